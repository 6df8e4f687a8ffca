// SPDX-License-Identifier: MIT
/*
 * The attestation measurement (attestation-and-secrets.md §4.1, §4.2):
 * HMAC-SHA-512 over the boot-header tags, the CUID, the lengths, the user
 * data, the nonce and the additional data.  The UV and `attest verify`
 * both compute it here.
 */
#include "pvboot/attest.h"
#include "pvboot/be.h"

int pv_att_measure(const uint8_t key[PV_ATT_MEAS_KEY_LEN],
		   const struct pv_att_input *in,
		   uint8_t out[PV_ATT_MEAS_LEN], struct pv_err **err)
{
	uint8_t lens[8];
	const struct pv_iov iov[] = {
		{ in->tags->pld, PV_SHA512_LEN },
		{ in->tags->ald, PV_SHA512_LEN },
		{ in->tags->tld, PV_SHA512_LEN },
		{ in->tags->tag, PV_GCM_TAG_LEN },
		{ in->cuid, PV_CUID_LEN },
		{ lens, sizeof(lens) },
		{ in->user, in->user_len },
		{ in->nonce, in->nonce ? PV_ATT_NONCE_LEN : 0 },
		{ in->add, in->add_len },
	};

	if (in->user_len > PV_ATT_USER_MAX)
		return pv_err_set(err, PV_ERR_RANGE,
				  "user data of %u bytes, at most %d allowed",
				  in->user_len, PV_ATT_USER_MAX);
	/* §4.2: BE16 user length, two zero bytes, BE32 additional length */
	pv_put_be16(lens, in->user_len);
	pv_put_be16(lens + 2, 0);
	pv_put_be32(lens + 4, in->add_len);
	return pv_hmac_sha512(key, PV_ATT_MEAS_KEY_LEN, iov,
			      sizeof(iov) / sizeof(iov[0]), out, err);
}
