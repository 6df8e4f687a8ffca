// SPDX-License-Identifier: MIT
/*
 * The request header shared by attestation and add-secret requests
 * (attestation-and-secrets.md §3.1): framing, sealing with a protection
 * key wrapped in SE-header style key slots, and the UV's unwrap.
 */
#include <string.h>

#include "pvboot/be.h"
#include "req_priv.h"

int pv_req_view(const uint8_t *req, size_t len, struct pv_req_view *v,
		struct pv_err **err)
{
	memset(v, 0, sizeof(*v));
	if (len < PV_REQ_HDR_LEN)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "request of %zu bytes is shorter than its %u-byte header",
				  len, PV_REQ_HDR_LEN);
	v->version = pv_get_be32(req + PV_REQ_OFF_VERSION);
	v->rql = pv_get_be32(req + PV_REQ_OFF_RQL);
	v->sea = pv_get_be32(req + PV_REQ_OFF_SEA);
	v->nks = req[PV_REQ_OFF_NKS];
	if (v->rql != len)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "request length field says %u bytes, the request has %zu",
				  v->rql, len);
	if ((uint64_t)v->sea + PV_GCM_TAG_LEN > v->rql ||
	    v->rql - v->sea - PV_GCM_TAG_LEN < PV_REQ_HDR_LEN)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "request encrypted size %u does not fit its length %u",
				  v->sea, v->rql);
	v->aad_len = v->rql - v->sea - PV_GCM_TAG_LEN;
	return 0;
}

int pv_req_decrypt(const uint8_t *req, const struct pv_req_view *v,
		   const uint8_t key[PV_REQ_KEY_LEN], uint8_t *plain,
		   struct pv_err **err)
{
	return pv_gcm_decrypt(key, req + PV_REQ_OFF_IV, req, v->aad_len,
			      req + v->aad_len, v->sea,
			      req + v->rql - PV_GCM_TAG_LEN, plain, err);
}

int pv_req_unwrap(const uint8_t *req, size_t slots_off, unsigned int nks,
		  const struct pv_eckey *host,
		  const uint8_t phkh[PV_SHA256_LEN],
		  uint8_t key[PV_REQ_KEY_LEN], struct pv_err **err)
{
	struct pv_eckey *cust = NULL;
	const uint8_t *slot = NULL;
	int rc;

	for (unsigned int i = 0; i < nks && !slot; i++)
		if (!memcmp(req + slots_off + PV_KEYSLOT_LEN * i, phkh,
			    PV_SHA256_LEN))
			slot = req + slots_off + PV_KEYSLOT_LEN * i;
	if (!slot)
		return pv_err_set(err, PV_ERR_NOKEYSLOT,
				  "the request has no key slot for this host key");
	/* The same construction as an SE-header key slot (§3.1). */
	rc = pv_eckey_from_coords(req + slots_off - PV_EC_COORDS_LEN, &cust,
				  err);
	if (!rc)
		rc = pv_keyslot_unwrap(host, cust, slot, key, err);
	pv_eckey_free(cust);
	if (rc)
		pv_cleanse(key, PV_REQ_KEY_LEN);
	return rc;
}

/* Fill what the caller left NULL from the rng (system CSPRNG if none). */
static int req_inputs(const struct pv_req_keys *k, struct pv_rng **own,
		      struct pv_eckey **cust, uint8_t iv[PV_GCM_IV_LEN],
		      uint8_t key[PV_REQ_KEY_LEN], struct pv_err **err)
{
	struct pv_rng *rng = k->rng;
	int rc = 0;

	if (!rng && (!k->cust || !k->iv || !k->prot_key)) {
		rc = pv_rng_new_system(own, err);
		rng = *own;
	}
	if (!rc && !k->cust)
		rc = pv_eckey_generate(rng, "request/customer-key", cust, err);
	if (!rc) {
		if (k->iv)
			memcpy(iv, k->iv, PV_GCM_IV_LEN);
		else
			rc = pv_rng_bytes(rng, "request/iv", iv,
					  PV_GCM_IV_LEN, err);
	}
	if (!rc) {
		if (k->prot_key)
			memcpy(key, k->prot_key, PV_REQ_KEY_LEN);
		else
			rc = pv_rng_bytes(rng, "request/protection-key", key,
					  PV_REQ_KEY_LEN, err);
	}
	return rc;
}

int req_seal(uint8_t *req, uint32_t rql, size_t slots_off,
	     const uint8_t *plain, uint32_t sea, const struct pv_req_keys *k,
	     uint8_t key_out[PV_REQ_KEY_LEN], struct pv_err **err)
{
	size_t aad_len = rql - sea - PV_GCM_TAG_LEN;
	struct pv_eckey *own_cust = NULL;
	struct pv_rng *own_rng = NULL;
	const struct pv_eckey *cust;
	int rc;

	if (!k->nhosts || k->nhosts > PV_REQ_MAX_KEYSLOTS)
		return pv_err_set(err, PV_ERR_INVAL,
				  "a request needs 1 to %u host keys, got %zu",
				  PV_REQ_MAX_KEYSLOTS, k->nhosts);
	rc = req_inputs(k, &own_rng, &own_cust, req + PV_REQ_OFF_IV, key_out,
			err);
	cust = k->cust ? k->cust : own_cust;
	pv_put_be32(req + PV_REQ_OFF_VERSION, PV_REQ_VERSION_1);
	pv_put_be32(req + PV_REQ_OFF_RQL, rql);
	memset(req + 0x1c, 0, 11);
	req[PV_REQ_OFF_NKS] = (uint8_t)k->nhosts;
	memset(req + 0x28, 0, 4);
	pv_put_be32(req + PV_REQ_OFF_SEA, sea);
	if (!rc)
		rc = pv_eckey_coords(cust, req + slots_off - PV_EC_COORDS_LEN,
				     err);
	for (size_t i = 0; !rc && i < k->nhosts; i++)
		rc = pv_keyslot_wrap(cust, k->hosts[i], key_out,
				     req + slots_off + PV_KEYSLOT_LEN * i, err);
	if (!rc)
		rc = pv_gcm_encrypt(key_out, req + PV_REQ_OFF_IV, req, aad_len,
				    plain, sea, req + aad_len,
				    req + rql - PV_GCM_TAG_LEN, err);
	pv_eckey_free(own_cust);
	pv_rng_free(own_rng);
	if (rc) {
		pv_cleanse(key_out, PV_REQ_KEY_LEN);
		memset(req, 0, rql);
	}
	return rc;
}
