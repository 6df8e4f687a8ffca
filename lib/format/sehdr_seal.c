// SPDX-License-Identifier: MIT
/*
 * SE header protection: AES-256-GCM sealing of the 128-byte secret part
 * with the plaintext part as AAD (se-image-format.md §5.1, §6.6).
 */
#include <stdlib.h>
#include <string.h>

#include "pvboot/sehdr.h"

/* Serialize @hdr into a fresh phs-byte buffer (the AAD is its [0, E)). */
static int serialize_alloc(const struct pv_sehdr *hdr, uint8_t **out,
			   struct pv_err **err)
{
	uint8_t *buf;
	int rc;

	if (hdr->phs > PV_SEHDR_MAX_SIZE)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "SE header size (phs) %u exceeds the maximum of %u bytes",
				  hdr->phs, PV_SEHDR_MAX_SIZE);
	buf = calloc(1, hdr->phs ? hdr->phs : 1);
	if (!buf)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for an SE header");
	rc = pv_sehdr_serialize(hdr, buf, hdr->phs, err);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

int pv_sehdr_seal(struct pv_sehdr *hdr, const uint8_t hpk[PV_HPK_LEN],
		  const struct pv_sehdr_secret *secret, struct pv_err **err)
{
	uint8_t pt[PV_SEHDR_SEA_MIN];
	uint8_t *buf;
	int rc;

	/* se-image-format.md §5.1: optional items cannot be created */
	if (hdr->sea != PV_SEHDR_SEA_MIN || secret->noi != 0)
		return pv_err_set(err, PV_ERR_UNSUPPORTED,
				  "sealing an SE header with optional items (sea %llu, noi %u) is not supported",
				  (unsigned long long)hdr->sea, secret->noi);
	rc = serialize_alloc(hdr, &buf, err);
	if (rc)
		return rc;
	pv_sehdr_secret_pack(secret, pt);
	/* §6.6: IV from the header, AAD = bytes [0, E), tag at phs - 16 */
	rc = pv_gcm_encrypt(hpk, hdr->iv, buf, pv_sehdr_enc_offset(hdr), pt,
			    sizeof(pt), hdr->enc, hdr->tag, err);
	pv_cleanse(pt, sizeof(pt));
	free(buf);
	if (rc) {
		memset(hdr->enc, 0, hdr->sea);
		memset(hdr->tag, 0, sizeof(hdr->tag));
	}
	return rc;
}

int pv_sehdr_open(const struct pv_sehdr *hdr, const uint8_t hpk[PV_HPK_LEN],
		  struct pv_sehdr_secret *secret, struct pv_err **err)
{
	struct pv_err *gcm_err = NULL;
	uint8_t *buf, *pt;
	int rc;

	rc = serialize_alloc(hdr, &buf, err);
	if (rc)
		goto err_clear;
	pt = calloc(1, hdr->sea);
	if (!pt) {
		free(buf);
		rc = pv_err_set(err, PV_ERR_NOMEM,
				"out of memory for an SE header");
		goto err_clear;
	}
	rc = pv_gcm_decrypt(hpk, hdr->iv, buf, pv_sehdr_enc_offset(hdr),
			    hdr->enc, hdr->sea, hdr->tag, pt, &gcm_err);
	free(buf);
	if (rc == -PV_ERR_AUTH)
		rc = pv_err_set(err, PV_ERR_AUTH,
				"SE header authentication failed: wrong header protection key or modified header");
	else if (rc)
		rc = pv_err_set(err, rc, "SE header: %s",
				gcm_err ? gcm_err->msg : "decryption failed");
	pv_err_free(gcm_err);
	if (rc)
		goto err_free_pt;
	pv_sehdr_secret_unpack(pt, secret);
	/* §5.1: optional item semantics are unknown, so refuse them */
	if (secret->noi != 0 || hdr->sea != PV_SEHDR_SEA_MIN) {
		rc = pv_err_set(err, PV_ERR_UNSUPPORTED,
				"SE header has optional items (noi %u, encrypted area %llu bytes), which are not supported",
				secret->noi, (unsigned long long)hdr->sea);
		goto err_free_pt;
	}
	pv_free_secret(pt, hdr->sea);
	return 0;

err_free_pt:
	pv_free_secret(pt, hdr->sea);
err_clear:
	pv_cleanse(secret, sizeof(*secret));
	return rc;
}
