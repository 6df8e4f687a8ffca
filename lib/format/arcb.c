// SPDX-License-Identifier: MIT
/*
 * Attestation Request Control Block v1 (attestation-and-secrets.md §3.2):
 * build it on the trusted side, open it with its ARPK for verification.
 */
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"
#include "req_priv.h"

#define ARCB_PLAIN_MAX (PV_ATT_MEAS_KEY_LEN + PV_ATT_NONCE_LEN)

uint32_t pv_arcb_sea(uint64_t paf)
{
	return PV_ATT_MEAS_KEY_LEN + (paf & PV_PAF_NONCE ? PV_ATT_NONCE_LEN :
							   0);
}

uint32_t pv_arcb_rql(unsigned int nks, uint64_t paf)
{
	return PV_ARCB_OFF_SLOTS + PV_KEYSLOT_LEN * nks + pv_arcb_sea(paf) +
	       PV_GCM_TAG_LEN;
}

uint32_t pv_paf_add_size(uint64_t paf)
{
	uint32_t n = 0;

	if (paf & PV_PAF_IMAGE_PHKH)
		n += PV_ADD_PHKH_LEN;
	if (paf & PV_PAF_ATT_PHKH)
		n += PV_ADD_PHKH_LEN;
	if (paf & PV_PAF_SECRET_HASH)
		n += PV_ADD_SECRET_HASH_LEN;
	if (paf & PV_PAF_FW_STATE)
		n += PV_ADD_FW_STATE_LEN;
	return n;
}

static int fill_plain(const struct pv_arcb_opts *o, struct pv_rng **own,
		      uint8_t plain[ARCB_PLAIN_MAX], struct pv_err **err)
{
	struct pv_rng *rng = o->keys.rng;
	int rc = 0;

	if (!rng && (!o->meas_key || !o->nonce)) {
		rc = pv_rng_new_system(own, err);
		rng = *own;
	}
	if (!rc) {
		if (o->meas_key)
			memcpy(plain, o->meas_key, PV_ATT_MEAS_KEY_LEN);
		else
			rc = pv_rng_bytes(rng, "arcb/measurement-key", plain,
					  PV_ATT_MEAS_KEY_LEN, err);
	}
	if (!rc) {
		if (o->nonce)
			memcpy(plain + PV_ATT_MEAS_KEY_LEN, o->nonce,
			       PV_ATT_NONCE_LEN);
		else
			rc = pv_rng_bytes(rng, "arcb/nonce",
					  plain + PV_ATT_MEAS_KEY_LEN,
					  PV_ATT_NONCE_LEN, err);
	}
	return rc;
}

int pv_arcb_build(const struct pv_arcb_opts *o, uint8_t **out, size_t *len,
		  uint8_t arpk[PV_REQ_KEY_LEN], struct pv_err **err)
{
	/* pvattest always asks for a nonce (§3.2) */
	uint64_t paf = o->paf | PV_PAF_NONCE;
	uint8_t plain[ARCB_PLAIN_MAX];
	struct pv_rng *own = NULL;
	uint32_t rql;
	uint8_t *req;
	int rc;

	*out = NULL;
	*len = 0;
	if (paf & ~PV_PAF_KNOWN)
		return pv_err_set(err, PV_ERR_INVAL,
				  "attestation flags 0x%016llx have unknown bits",
				  (unsigned long long)paf);
	if (!o->keys.nhosts || o->keys.nhosts > PV_REQ_MAX_KEYSLOTS)
		return pv_err_set(err, PV_ERR_INVAL,
				  "an attestation request needs 1 to %u host keys, got %zu",
				  PV_REQ_MAX_KEYSLOTS, o->keys.nhosts);
	rql = pv_arcb_rql((unsigned int)o->keys.nhosts, paf);
	req = calloc(1, rql);
	if (!req)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for a %u-byte request", rql);
	pv_put_be64(req + PV_ARCB_OFF_PAF, paf);
	pv_put_be32(req + PV_ARCB_OFF_MAI, PV_ARCB_MAI_HMAC_SHA512);
	rc = fill_plain(o, &own, plain, err);
	if (!rc)
		rc = req_seal(req, rql, PV_ARCB_OFF_SLOTS, plain,
			      pv_arcb_sea(paf), &o->keys, arpk, err);
	pv_cleanse(plain, sizeof(plain));
	pv_rng_free(own);
	if (rc) {
		free(req);
		return pv_err_prefix(err, "building the attestation request: ");
	}
	*out = req;
	*len = rql;
	return 0;
}

static bool all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

int pv_arcb_open(const uint8_t *arcb, size_t len,
		 const uint8_t arpk[PV_REQ_KEY_LEN], struct pv_arcb_plain *p,
		 struct pv_err **err)
{
	uint8_t plain[ARCB_PLAIN_MAX];
	struct pv_req_view v;
	int rc;

	memset(p, 0, sizeof(*p));
	if (len >= 8 && !all_zero(arcb, 8))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "not an attestation request: its first 8 bytes are not zero");
	rc = pv_req_view(arcb, len, &v, err);
	if (rc)
		return pv_err_prefix(err, "attestation request: ");
	if (v.version != PV_REQ_VERSION_1)
		return pv_err_set(err, PV_ERR_UNSUPPORTED,
				  "attestation request version 0x%x is not supported (0x100 is)",
				  v.version);
	if (v.aad_len < PV_ARCB_OFF_CUSTPUB)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "attestation request: authenticated part of %zu bytes has no flags",
				  v.aad_len);
	p->paf = pv_get_be64(arcb + PV_ARCB_OFF_PAF);
	p->mai = pv_get_be32(arcb + PV_ARCB_OFF_MAI);
	if (p->mai != PV_ARCB_MAI_HMAC_SHA512)
		return pv_err_set(err, PV_ERR_UNSUPPORTED,
				  "attestation request: measurement algorithm %u is not supported (1 = HMAC-SHA-512 is)",
				  p->mai);
	if (v.sea != PV_ATT_MEAS_KEY_LEN && v.sea != ARCB_PLAIN_MAX)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "attestation request: encrypted size %u, expected 64 or 80",
				  v.sea);
	rc = pv_req_decrypt(arcb, &v, arpk, plain, err);
	if (rc) {
		if (rc == -PV_ERR_AUTH)
			return pv_err_prefix(err, "attestation request does not authenticate with this protection key (wrong ARPK or changed request): ");
		return rc;
	}
	memcpy(p->meas_key, plain, PV_ATT_MEAS_KEY_LEN);
	p->has_nonce = v.sea == ARCB_PLAIN_MAX;
	if (p->has_nonce)
		memcpy(p->nonce, plain + PV_ATT_MEAS_KEY_LEN, PV_ATT_NONCE_LEN);
	pv_cleanse(plain, sizeof(plain));
	return 0;
}
