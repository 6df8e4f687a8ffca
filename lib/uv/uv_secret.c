// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: the per-configuration secret store and its guest
 * calls Add Secret (0x1031), List Secrets (0x1033), Lock Secret Store
 * (0x1034) and Retrieve Secret (0x1035) (attestation-and-secrets.md §2.4,
 * §6.5-§6.8, §8).  The store lives and dies with the secure configuration:
 * destroy (and so every re-IPL into a new configuration) clears it.
 */
#include <stdlib.h>
#include <string.h>

#include "pvboot/sehdr.h"
#include "uv_priv.h"

struct uv_secret {
	uint16_t index;
	uint16_t type;
	uint32_t len;			/* secret_len of the request */
	uint8_t id[PV_SECRET_ID_LEN];
	uint8_t *val;			/* len bytes */
};

struct uv_store {
	struct uv_secret *s;
	size_t n, cap;
	unsigned int nassoc, nretr;
	bool locked;
	bool disable_dump;		/* latched by a request flag (§6.2) */
	bool ext_set;			/* reference extension secret known */
	uint8_t ext[PV_ASRCB_EXT_LEN];
	struct pv_sha512 *hash;		/* SHA-512 over successful tags */
	bool wk_set;
	uint8_t wk[32];			/* wraps retrieved keys (§8 #11) */
};

void uv_store_free(struct uv_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++)
		pv_free_secret(st->s[i].val, st->s[i].len);
	pv_free_secret(st->s, st->cap * sizeof(*st->s));
	pv_sha512_free(st->hash);
	pv_free_secret(st, sizeof(*st));
}

static struct uv_store *store_get(struct uv_conf *conf)
{
	struct uv_store *st = conf->store;

	if (st)
		return st;
	st = calloc(1, sizeof(*st));
	if (!st || pv_sha512_new(&st->hash, NULL)) {
		free(st);
		return NULL;
	}
	conf->store = st;
	return st;
}

/* §4.3 item 3: SHA-512(tag_1 || ... || tag_n || L). */
int uv_store_hash(struct uv_conf *conf, uint8_t out[PV_SHA512_LEN])
{
	uint8_t l = conf->store && conf->store->locked;

	if (!conf->store)
		return pv_sha512(&l, 1, out, NULL);
	return pv_sha512_peek(conf->store->hash, &l, 1, out, NULL);
}

/* Size that List reports and Retrieve returns (§6.4, §6.7). */
static uint32_t out_size(const struct uv_secret *s)
{
	if (s->type == PV_SECRET_ASSOCIATION || s->type == PV_SECRET_PLAIN)
		return s->len;
	return s->len + PV_SECRET_WKVP_LEN;
}

/* ---- Add Secret --------------------------------------------------------- */

struct add_req {
	uint64_t addr;
	uint32_t rql, sea, secret_len;
	unsigned int nks;
	size_t k, h;
	uint16_t type;
	uint64_t flags;
};

/* §6.5 steps 2-7: everything that needs no key, in that order. */
static uint16_t add_check(struct pv_uv *uv, struct uv_cpu *cpu,
			  struct uv_store *st, struct add_req *r)
{
	uint8_t h[PV_REQ_HDR_LEN], t[8];
	uint32_t aad;

	if (st->locked)
		return 0x0102;
	if (uv_gread(uv, cpu, r->addr, h, PV_REQ_HDR_LEN))
		return 0x0103;
	r->rql = pv_get_be32(h + PV_REQ_OFF_RQL);
	if (uv_gcheck(uv, cpu, r->addr, r->rql))
		return 0x0103;
	if (pv_get_be32(h + PV_REQ_OFF_VERSION) != PV_REQ_VERSION_1)
		return 0x0104;
	r->nks = h[PV_REQ_OFF_NKS];
	if (!r->nks)
		return 0x0106;
	r->sea = pv_get_be32(h + PV_REQ_OFF_SEA);
	r->k = PV_ASRCB_OFF_SLOTS + PV_KEYSLOT_LEN * (size_t)r->nks;
	if ((uint64_t)r->sea + PV_GCM_TAG_LEN > r->rql)
		return 0x0105;
	aad = r->rql - r->sea - PV_GCM_TAG_LEN;
	if (r->k + PV_ASRCB_SHDR_NULL > aad ||
	    uv_gread(uv, cpu, r->addr + r->k + 2, t, 2))
		return 0x0105;
	r->type = pv_get_be16(t);
	r->h = r->type == PV_SECRET_NULL ? PV_ASRCB_SHDR_NULL :
					   PV_ASRCB_SHDR_LISTABLE;
	if (r->k + r->h != aad || r->sea < PV_ASRCB_EXT_LEN ||
	    r->rql > PV_ASRCB_MAX_LEN)
		return 0x0105;
	/* rql >= K + 64 now, so the flags lie inside the request */
	if (uv_gread(uv, cpu, r->addr + PV_ASRCB_OFF_FLAGS, t, 8))
		return 0x0103;
	r->flags = pv_get_be64(t);
	if (r->flags & ~PV_ASRCB_FLAGS_KNOWN)
		return 0x0107;
	return PV_UV_RC_EXECUTED;
}

/* §6.5 steps 9-10 on the decrypted request. */
static uint16_t add_check_secret(struct uv_conf *conf, const uint8_t *req,
				 const struct add_req *r, const uint8_t *plain)
{
	uint32_t len = pv_get_be32(req + r->k + 4);

	if (!pv_secret_type_name(r->type) ||
	    (r->type == PV_SECRET_UPDATE_CCK &&
	     !(conf->scf & PV_SCF_CCK_UPDATE)))
		return 0x0109;
	if (r->sea - PV_ASRCB_EXT_LEN != len ||
	    !pv_secret_len_ok(r->type, len))
		return 0x010a;
	/* plaintext: BE16 payload length, payload, zero padding */
	if (r->type == PV_SECRET_PLAIN &&
	    pv_get_be16(plain) > len - 2)
		return 0x010a;
	return PV_UV_RC_EXECUTED;
}

static bool all_zero(const uint8_t *b, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return !acc;
}

/*
 * §6.5 step 11: bound to this image (PLD, ALD, TLD, header tag), to this
 * instance when the CUID is not zero, and carrying the reference
 * extension secret.  *@ref_new tells the caller to keep E as reference.
 */
static uint16_t add_check_binding(struct uv_conf *conf, struct uv_store *st,
				  const uint8_t *req, const uint8_t *ext,
				  bool *ref_new)
{
	const uint8_t *tags = req + PV_ASRCB_OFF_TAGS;
	uint8_t ref[PV_ASRCB_EXT_LEN];
	bool ok;

	*ref_new = false;
	if (memcmp(tags, conf->pld, PV_SHA512_LEN) ||
	    memcmp(tags + 0x40, conf->ald, PV_SHA512_LEN) ||
	    memcmp(tags + 0x80, conf->tld, PV_SHA512_LEN) ||
	    memcmp(tags + 0xc0, conf->hdr_tag, PV_GCM_TAG_LEN))
		return 0x010c;
	if (!all_zero(req + PV_ASRCB_OFF_CUID, PV_CUID_LEN) &&
	    memcmp(req + PV_ASRCB_OFF_CUID, conf->cuid, PV_CUID_LEN))
		return 0x010c;
	if (conf->scf & PV_SCF_CCK_EXT_SECRET) {
		if (pv_asrcb_derive_ext(conf->cck, conf->hdr_tag, ref, NULL))
			return PV_UV_RC_NO_RESUME;
		ok = pv_memeq_ct(ref, ext, sizeof(ref));
		pv_cleanse(ref, sizeof(ref));
		return ok ? PV_UV_RC_EXECUTED : 0x010c;
	}
	if (!st->ext_set) {
		*ref_new = true;	/* §8 decision 10: zeros included */
		return PV_UV_RC_EXECUTED;
	}
	return pv_memeq_ct(st->ext, ext, sizeof(st->ext)) ? PV_UV_RC_EXECUTED :
							     0x010c;
}

/* §6.5 step 12, §8 decision 7: null and update-CCK take no room. */
static uint16_t add_check_room(const struct uv_store *st, uint16_t type)
{
	if (type == PV_SECRET_ASSOCIATION &&
	    st->nassoc >= PV_UV_MAX_ASSOC_SECRETS)
		return 0x010b;
	if (pv_secret_retrievable(type) && st->nretr >= PV_UV_MAX_RETR_SECRETS)
		return 0x010b;
	return PV_UV_RC_EXECUTED;
}

/* §6.5 step 13. */
static uint16_t add_commit(struct uv_conf *conf, struct uv_store *st,
			   const uint8_t *req, const struct add_req *r,
			   const uint8_t *plain, bool ref_new)
{
	uint32_t len = r->sea - PV_ASRCB_EXT_LEN;

	if (pv_secret_listable(r->type)) {
		struct uv_secret *s;

		if (st->n == st->cap) {
			size_t cap = st->cap ? 2 * st->cap : 8;

			s = calloc(cap, sizeof(*s));
			if (!s)
				return PV_UV_RC_NO_RESUME;
			if (st->n)
				memcpy(s, st->s, st->n * sizeof(*s));
			pv_free_secret(st->s, st->cap * sizeof(*s));
			st->s = s;
			st->cap = cap;
		}
		s = &st->s[st->n];
		s->val = malloc(len);
		if (!s->val)
			return PV_UV_RC_NO_RESUME;
		memcpy(s->val, plain, len);
		s->index = (uint16_t)st->n;
		s->type = r->type;
		s->len = len;
		memcpy(s->id, req + r->k + 16, PV_SECRET_ID_LEN);
		st->n++;
		if (r->type == PV_SECRET_ASSOCIATION)
			st->nassoc++;
		else
			st->nretr++;
	}
	if (pv_sha512_update(st->hash, req + r->rql - PV_GCM_TAG_LEN,
			     PV_GCM_TAG_LEN, NULL))
		return PV_UV_RC_NO_RESUME;
	if (r->type == PV_SECRET_UPDATE_CCK)
		memcpy(conf->cck, plain, PV_CCK_LEN);
	if (r->flags & PV_ASRCB_FLAG_DISABLE_DUMP)
		st->disable_dump = true;
	if (ref_new) {
		memcpy(st->ext, plain + len, PV_ASRCB_EXT_LEN);
		st->ext_set = true;
	}
	return PV_UV_RC_EXECUTED;
}

/* Steps 8-13 on a private copy of the request. */
static uint16_t add_open(struct pv_uv *uv, struct uv_cpu *cpu,
			 struct uv_store *st, const struct add_req *r)
{
	struct pv_req_view v = {
		.rql = r->rql, .sea = r->sea, .nks = r->nks,
		.aad_len = r->rql - r->sea - PV_GCM_TAG_LEN,
	};
	uint8_t key[PV_REQ_KEY_LEN], *req, *plain;
	size_t which;
	bool ref_new = false;
	uint16_t rc;

	req = malloc(r->rql);
	plain = malloc(r->sea);
	if (!req || !plain) {
		free(req);
		free(plain);
		return PV_UV_RC_NO_RESUME;
	}
	/* checked by add_check(); copied once so the guest cannot race us */
	rc = uv_gread(uv, cpu, r->addr, req, r->rql) ? 0x0103 :
						       PV_UV_RC_EXECUTED;
	if (rc == PV_UV_RC_EXECUTED &&
	    (uv_req_key(uv, req, PV_ASRCB_OFF_SLOTS, r->nks, key, &which) ||
	     pv_req_decrypt(req, &v, key, plain, NULL)))
		rc = 0x0108;
	pv_cleanse(key, sizeof(key));
	if (rc == PV_UV_RC_EXECUTED &&
	    pv_get_be16(req + r->k + 2) != r->type)
		rc = 0x0103;	/* the guest changed it under us */
	if (rc == PV_UV_RC_EXECUTED)
		rc = add_check_secret(cpu->conf, req, r, plain);
	if (rc == PV_UV_RC_EXECUTED)
		rc = add_check_binding(cpu->conf, st, req,
				       plain + r->sea - PV_ASRCB_EXT_LEN,
				       &ref_new);
	if (rc == PV_UV_RC_EXECUTED)
		rc = add_check_room(st, r->type);
	if (rc == PV_UV_RC_EXECUTED)
		rc = add_commit(cpu->conf, st, req, r, plain, ref_new);
	pv_free_secret(plain, r->sea);
	free(req);
	return rc;
}

/*
 * 0x1031.  Rc order of §6.5: 0x0102 locked, 0x0103 request not
 * accessible, 0x0104 version, 0x0106 nks 0, 0x0105 sizes, 0x0107 flags,
 * 0x0108 not decryptable, 0x0109 type, 0x010A length, 0x010C binding,
 * 0x010B store full.  0x0101 and 0x010D are never given (§8 #5, #12: no
 * policy, no dump support in this model).
 */
uint16_t uv_guest_add_secret(struct pv_uv *uv, struct uv_cpu *cpu,
			     uint8_t *cb, uint16_t len, uint16_t *rrc)
{
	struct add_req r = { .addr = pv_get_be64(cb + PV_UVCB_SECRET_ADDR) };
	struct uv_store *st;
	uint16_t rc;

	if (cpu->conf->hdr != UV_HDR_VERIFIED)
		return PV_UV_RC_INV_STATE;
	st = store_get(cpu->conf);
	if (!st)
		return PV_UV_RC_NO_RESUME;
	rc = add_check(uv, cpu, st, &r);
	if (rc == PV_UV_RC_EXECUTED)
		rc = add_open(uv, cpu, st, &r);
	return rc;
}

/* ---- List, Lock, Retrieve ----------------------------------------------- */

/*
 * 0x1033 (§6.7): the listable secrets with index >= the start index, at
 * most 85 per page; rc 0x0100 and the next index when more remain.  An
 * output page that is not accessible gives 0x0102 (no rc is documented;
 * chosen like Retrieve's buffer).
 */
uint16_t uv_guest_list_secrets(struct pv_uv *uv, struct uv_cpu *cpu,
			       uint8_t *cb, uint16_t len, uint16_t *rrc)
{
	uint16_t start = pv_get_be16(cb + PV_UVCB_LIST_START);
	uint64_t addr = pv_get_be64(cb + PV_UVCB_SECRET_ADDR);
	struct uv_store *st = cpu->conf->store;
	uint8_t page[PV_SECRET_LIST_LEN] = { 0 };
	uint16_t rc = PV_UV_RC_EXECUTED, n = 0;
	size_t total = st ? st->n : 0;

	for (size_t i = 0; i < total; i++) {
		const struct uv_secret *s = &st->s[i];
		uint8_t *e;

		if (s->index < start)
			continue;
		if (n == PV_SECRET_LIST_MAX) {
			pv_put_be16(page + 4, s->index);
			rc = PV_UV_RC_MORE_DATA;
			break;
		}
		e = page + PV_SECRET_LIST_HDR + PV_SECRET_ENTRY_LEN * n++;
		pv_put_be16(e, s->index);
		pv_put_be16(e + 2, s->type);
		pv_put_be32(e + 4, out_size(s));
		memcpy(e + 16, s->id, PV_SECRET_ID_LEN);
	}
	pv_put_be16(page, n);
	pv_put_be16(page + 2, (uint16_t)total);
	if (uv_gwrite(uv, cpu, addr, page, sizeof(page)))
		return 0x0102;
	return rc;
}

/* 0x1034: 0x0102 when already locked (§2.4). */
uint16_t uv_guest_lock_secrets(struct pv_uv *uv, struct uv_cpu *cpu,
			       uint8_t *cb, uint16_t len, uint16_t *rrc)
{
	struct uv_store *st = store_get(cpu->conf);

	if (!st)
		return PV_UV_RC_NO_RESUME;
	if (st->locked)
		return 0x0102;
	st->locked = true;
	return PV_UV_RC_EXECUTED;
}

/*
 * A retrieved key (§8 #11): AES-256-CTR under the configuration's random
 * wrapping key WK with the counter block BE64(index) || 0^8 (one keystream
 * per secret: indexes are never reused), then WKVP = SHA-256(WK).
 */
static int wrap_key(struct pv_uv *uv, struct uv_store *st,
		    const struct uv_secret *s, uint8_t *out)
{
	uint8_t iv[16] = { 0 };

	if (!st->wk_set) {
		if (pv_rng_bytes(uv->rng, "secret-wrapping-key", st->wk,
				 sizeof(st->wk), NULL))
			return -1;
		st->wk_set = true;
	}
	pv_put_be64(iv, s->index);
	if (pv_aes256_ctr(st->wk, iv, s->val, s->len, out, NULL) ||
	    pv_sha256(st->wk, sizeof(st->wk), out + s->len, NULL))
		return -1;
	return 0;
}

/*
 * 0x1035 (§6.8): 0x010F store empty, 0x0110 no such index, 0x0111 not a
 * retrievable type, 0x0109 buffer smaller than the secret, 0x0102 buffer
 * not accessible.
 */
uint16_t uv_guest_retrieve_secret(struct pv_uv *uv, struct uv_cpu *cpu,
				  uint8_t *cb, uint16_t len, uint16_t *rrc)
{
	uint16_t idx = pv_get_be16(cb + PV_UVCB_RETR_INDEX);
	uint32_t size = pv_get_be32(cb + PV_UVCB_RETR_SIZE);
	uint64_t addr = pv_get_be64(cb + PV_UVCB_SECRET_ADDR);
	struct uv_store *st = cpu->conf->store;
	const struct uv_secret *s = NULL;
	uint32_t n;
	uint8_t *out;
	uint16_t rc;

	if (!st || !st->n)
		return 0x010f;
	for (size_t i = 0; i < st->n && !s; i++)
		if (st->s[i].index == idx)
			s = &st->s[i];
	if (!s)
		return 0x0110;
	if (!pv_secret_retrievable(s->type))
		return 0x0111;
	n = out_size(s);
	if (size < n)
		return 0x0109;
	if (uv_gcheck(uv, cpu, addr, n))
		return 0x0102;
	out = malloc(n);
	if (!out)
		return PV_UV_RC_NO_RESUME;
	if (s->type == PV_SECRET_PLAIN)
		memcpy(out, s->val, n);
	else if (wrap_key(uv, st, s, out)) {
		pv_free_secret(out, n);
		return PV_UV_RC_NO_RESUME;
	}
	rc = uv_gwrite(uv, cpu, addr, out, n) ? 0x0102 : PV_UV_RC_EXECUTED;
	pv_free_secret(out, n);
	return rc;
}
