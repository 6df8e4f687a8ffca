// SPDX-License-Identifier: MIT
/*
 * Add-Secret Request Control Block v1 (attestation-and-secrets.md §6.1):
 * the trusted side's builder, the extension-secret derivation, and the
 * size relations the UV checks before it decrypts (§6.5 step 6).
 */
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"
#include "req_priv.h"

static size_t shdr_len(uint16_t type)
{
	return type == PV_SECRET_NULL ? PV_ASRCB_SHDR_NULL :
					PV_ASRCB_SHDR_LISTABLE;
}

int pv_asrcb_derive_ext(const uint8_t cck[PV_CCK_LEN],
			const uint8_t tag[PV_GCM_TAG_LEN],
			uint8_t ext[PV_ASRCB_EXT_LEN], struct pv_err **err)
{
	return pv_hkdf_sha512(cck, PV_CCK_LEN, tag, PV_GCM_TAG_LEN,
			      (const uint8_t *)PV_ASRCB_EXT_INFO,
			      sizeof(PV_ASRCB_EXT_INFO) - 1, ext,
			      PV_ASRCB_EXT_LEN, err);
}

static int check_opts(const struct pv_asrcb_opts *o, struct pv_err **err)
{
	if (!pv_secret_type_name(o->type) || !pv_secret_len_ok(o->type,
							       o->secret_len))
		return pv_err_set(err, PV_ERR_INVAL,
				  "secret type 0x%04x with %u bytes is not a valid secret",
				  o->type, o->secret_len);
	if (o->secret_len && !o->secret)
		return pv_err_set(err, PV_ERR_INVAL, "secret value missing");
	if (pv_secret_listable(o->type) && !o->id)
		return pv_err_set(err, PV_ERR_INVAL, "secret ID missing");
	if (o->user && o->user_len > PV_ASRCB_USER_LEN)
		return pv_err_set(err, PV_ERR_RANGE,
				  "user data of %zu bytes, at most %d allowed",
				  o->user_len, PV_ASRCB_USER_LEN);
	if (!o->tags)
		return pv_err_set(err, PV_ERR_INVAL,
				  "an add-secret request needs the image's header tags");
	if (!o->keys.nhosts || o->keys.nhosts > PV_REQ_MAX_KEYSLOTS)
		return pv_err_set(err, PV_ERR_INVAL,
				  "an add-secret request needs 1 to %u host keys, got %zu",
				  PV_REQ_MAX_KEYSLOTS, o->keys.nhosts);
	return 0;
}

/* The authenticated part in front of the key slots (§6.1). */
static void fill_aad(const struct pv_asrcb_opts *o, uint8_t *req)
{
	memcpy(req, PV_ASRCB_MAGIC, 6);
	pv_put_be16(req + PV_ASRCB_OFF_UDT, o->user ? PV_ASRCB_UD_UNSIGNED :
						       PV_ASRCB_UD_NONE);
	pv_put_be64(req + PV_ASRCB_OFF_FLAGS, o->flags);
	memcpy(req + PV_ASRCB_OFF_TAGS, o->tags->pld, PV_SHA512_LEN);
	memcpy(req + PV_ASRCB_OFF_TAGS + 0x40, o->tags->ald, PV_SHA512_LEN);
	memcpy(req + PV_ASRCB_OFF_TAGS + 0x80, o->tags->tld, PV_SHA512_LEN);
	memcpy(req + PV_ASRCB_OFF_TAGS + 0xc0, o->tags->tag, PV_GCM_TAG_LEN);
	if (o->cuid)
		memcpy(req + PV_ASRCB_OFF_CUID, o->cuid, PV_CUID_LEN);
	if (o->user && o->user_len)
		memcpy(req + PV_ASRCB_OFF_USER, o->user, o->user_len);
}

/* Secret header after the slots: type, length and (listable) ID. */
static void fill_shdr(const struct pv_asrcb_opts *o, uint8_t *shdr)
{
	pv_put_be16(shdr + 2, o->type);
	pv_put_be32(shdr + 4, o->secret_len);
	if (pv_secret_listable(o->type))
		memcpy(shdr + 16, o->id, PV_SECRET_ID_LEN);
}

int pv_asrcb_build(const struct pv_asrcb_opts *o, uint8_t **out, size_t *len,
		   struct pv_err **err)
{
	uint8_t key[PV_REQ_KEY_LEN];
	size_t k, h = shdr_len(o->type);
	uint8_t *req, *plain;
	uint32_t sea, rql;
	int rc;

	*out = NULL;
	*len = 0;
	rc = check_opts(o, err);
	if (rc)
		return rc;
	k = PV_ASRCB_OFF_SLOTS + PV_KEYSLOT_LEN * o->keys.nhosts;
	sea = o->secret_len + PV_ASRCB_EXT_LEN;
	rql = (uint32_t)(k + h + sea + PV_GCM_TAG_LEN);
	req = calloc(1, rql);
	plain = malloc(sea);
	if (!req || !plain) {
		free(req);
		free(plain);
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for a %u-byte request", rql);
	}
	fill_aad(o, req);
	fill_shdr(o, req + k);
	/* encrypted: the secret, then the extension secret (§6.1) */
	if (o->secret_len)
		memcpy(plain, o->secret, o->secret_len);
	if (o->ext)
		memcpy(plain + o->secret_len, o->ext, PV_ASRCB_EXT_LEN);
	else
		memset(plain + o->secret_len, 0, PV_ASRCB_EXT_LEN);
	rc = req_seal(req, rql, PV_ASRCB_OFF_SLOTS, plain, sea, &o->keys, key,
		      err);
	pv_free_secret(plain, sea);
	pv_cleanse(key, sizeof(key));
	if (rc) {
		free(req);
		return pv_err_prefix(err, "building the add-secret request: ");
	}
	*out = req;
	*len = rql;
	return 0;
}

int pv_asrcb_view(const uint8_t *req, size_t len, struct pv_asrcb_view *v,
		  struct pv_err **err)
{
	size_t k;
	int rc;

	memset(v, 0, sizeof(*v));
	if (len < 8 || memcmp(req, PV_ASRCB_MAGIC, 6))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "not an add-secret request (no \"asrcbM\" magic)");
	rc = pv_req_view(req, len, &v->req, err);
	if (rc)
		return pv_err_prefix(err, "add-secret request: ");
	v->udt = pv_get_be16(req + PV_ASRCB_OFF_UDT);
	if (!v->req.nks)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "add-secret request without key slots");
	k = PV_ASRCB_OFF_SLOTS + PV_KEYSLOT_LEN * (size_t)v->req.nks;
	if (k + PV_ASRCB_SHDR_NULL > v->req.aad_len)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "add-secret request: %u key slots leave no room for the secret header",
				  v->req.nks);
	v->flags = pv_get_be64(req + PV_ASRCB_OFF_FLAGS);
	v->shdr_off = k;
	v->type = pv_get_be16(req + k + 2);
	v->secret_len = pv_get_be32(req + k + 4);
	v->shdr_len = shdr_len(v->type);
	if (k + v->shdr_len != v->req.aad_len ||
	    v->req.sea < PV_ASRCB_EXT_LEN)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "add-secret request: sizes do not add up (slots end at 0x%zx, secret header %zu bytes, encrypted %u, length %u)",
				  k, v->shdr_len, v->req.sea, v->req.rql);
	return 0;
}
