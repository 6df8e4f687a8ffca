// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: Retrieve Attestation Measurement (0x1020), the
 * configuration unique ID, the query fields of attestation and secrets,
 * and the request-key unwrap shared with Add Secret
 * (attestation-and-secrets.md §2.2, §2.3, §3.1, §4, §8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uv_priv.h"

#ifndef PVBOOT_VERSION
#define PVBOOT_VERSION "0"
#endif

/* Supported request versions: MSB-0 bit n stands for 0x100 * (n + 1). */
#define UV_REQ_VERSIONS (1ULL << 63)
#define UV_ATT_MAX_NKS 255U		/* §8 decision 6 */

/* Secret types announced at +0x108: MSB-0 bit (type - 1) (§8 #13). */
static uint64_t secret_types_bits(void)
{
	uint64_t bits = 0;

	for (uint16_t t = 1; t <= 64; t++)
		if (pv_secret_type_name(t))
			bits |= 1ULL << (64 - t);
	return bits;
}

void uv_query_attest(uint8_t *out)
{
	pv_put_be64(out + PV_QUI_ATT_VERSIONS, UV_REQ_VERSIONS);
	pv_put_be64(out + PV_QUI_ATT_PAF, PV_PAF_KNOWN);
	pv_put_be64(out + PV_QUI_SECRET_VERSIONS, UV_REQ_VERSIONS);
	pv_put_be64(out + PV_QUI_SECRET_FLAGS, PV_ASRCB_FLAGS_KNOWN);
	pv_put_be64(out + PV_QUI_SECRET_TYPES, secret_types_bits());
	pv_put_be16(out + PV_QUI_MAX_ASSOC, PV_UV_MAX_ASSOC_SECRETS);
	pv_put_be16(out + PV_QUI_MAX_RETR, PV_UV_MAX_RETR_SECRETS);
}

int pv_uv_set_cuid_seed(struct pv_uv *uv, const uint8_t *seed, size_t len,
			struct pv_err **err)
{
	struct pv_rng *rng;
	int rc = pv_rng_new_seeded(seed, len, &rng, err);

	if (rc)
		return pv_err_prefix(err, "CUID seed: ");
	pv_rng_free(uv->cuid_rng);
	uv->cuid_rng = rng;
	return 0;
}

/* §8 decision 1: random per configuration, or derived from the seed. */
int uv_conf_new_cuid(struct pv_uv *uv, struct uv_conf *conf)
{
	char label[32];
	int rc;

	snprintf(label, sizeof(label), "cuid/%llu",
		 (unsigned long long)uv->conf_seq++);
	rc = pv_rng_bytes(uv->cuid_rng ? uv->cuid_rng : uv->rng, label,
			  conf->cuid, PV_CUID_LEN, NULL);
	return rc ? -1 : 0;
}

int pv_uv_conf_cuid(struct pv_uv *uv, uint64_t cpu_handle,
		    uint8_t cuid[PV_CUID_LEN])
{
	struct uv_cpu *cpu = uv_cpu_get(uv, cpu_handle);

	if (!cpu)
		return -PV_ERR_INVAL;
	memcpy(cuid, cpu->conf->cuid, PV_CUID_LEN);
	return 0;
}

/*
 * The protection key of a request: the first loaded host key (load order)
 * that has a slot, as for the SE header (§3.1).  0, or -1 when no key has
 * a slot or the slot does not open.  *@which is the host key's index.
 */
int uv_req_key(struct pv_uv *uv, const uint8_t *req, size_t slots_off,
	       unsigned int nks, uint8_t key[PV_REQ_KEY_LEN], size_t *which)
{
	for (size_t k = 0; k < uv->nkeys; k++) {
		int rc = pv_req_unwrap(req, slots_off, nks, uv->keys[k],
				       uv->phkh[k], key, NULL);

		if (rc == -PV_ERR_NOKEYSLOT)
			continue;
		*which = k;
		return rc ? -1 : 0;
	}
	return -1;
}

/*
 * Firmware state (§8 decision 2): "SWUV-FWS", BE32 format 1, BE32 length
 * 320, SHA-512 of this UV's build id, zeros.
 */
static int fw_state(uint8_t out[PV_ADD_FW_STATE_LEN])
{
	static const char id[] = "pvboot software UV " PVBOOT_VERSION;

	memset(out, 0, PV_ADD_FW_STATE_LEN);
	memcpy(out, "SWUV-FWS", 8);
	pv_put_be32(out + 8, 1);
	pv_put_be32(out + 12, PV_ADD_FW_STATE_LEN);
	return pv_sha512(id, sizeof(id) - 1, out + 16, NULL);
}

/* Additional data in PAF bit order (§4.3); *@n gets its length. */
static int additional(struct pv_uv *uv, struct uv_conf *conf, uint64_t paf,
		      size_t att_key, uint8_t *out, uint32_t *n)
{
	*n = 0;
	if (paf & PV_PAF_IMAGE_PHKH) {
		memcpy(out + *n, conf->img_phkh, PV_ADD_PHKH_LEN);
		*n += PV_ADD_PHKH_LEN;
	}
	if (paf & PV_PAF_ATT_PHKH) {
		memcpy(out + *n, uv->phkh[att_key], PV_ADD_PHKH_LEN);
		*n += PV_ADD_PHKH_LEN;
	}
	if (paf & PV_PAF_SECRET_HASH) {
		if (uv_store_hash(conf, out + *n))
			return -1;
		*n += PV_ADD_SECRET_HASH_LEN;
	}
	if (paf & PV_PAF_FW_STATE) {
		if (fw_state(out + *n))
			return -1;
		*n += PV_ADD_FW_STATE_LEN;
	}
	return 0;
}

struct att_req {
	uint64_t arcb, meas, add;
	uint32_t meas_cap, add_cap, rql, sea, need;
	uint16_t user_len;
	uint64_t paf;
	unsigned int nks;
};

/*
 * The checks before decryption, in the order of §2.3 that satisfies every
 * kvm-unit-tests case: 0x101 continuation, 0x102 user length, 0x103 ARCB
 * header, 0x106 version, 0x108 nks, 0x10A flags, 0x10B algorithm, 0x109
 * sea, 0x107 rql, 0x10D / 0x10E capacities, 0x104 / 0x105 access to the
 * output areas, then 0x103 for the whole ARCB.
 */
static uint16_t att_check(struct pv_uv *uv, struct uv_cpu *cpu,
			  const uint8_t *cb, struct att_req *r)
{
	uint8_t h[PV_ARCB_OFF_CUSTPUB];

	r->arcb = pv_get_be64(cb + PV_UVCB_ATT_ARCB);
	r->user_len = pv_get_be16(cb + PV_UVCB_ATT_USER_LEN);
	r->meas_cap = pv_get_be32(cb + PV_UVCB_ATT_MEAS_LEN);
	r->meas = pv_get_be64(cb + PV_UVCB_ATT_MEAS);
	r->add_cap = pv_get_be32(cb + PV_UVCB_ATT_ADD_LEN);
	r->add = pv_get_be64(cb + PV_UVCB_ATT_ADD);
	if (pv_get_be64(cb + PV_UVCB_ATT_CONT))
		return 0x0101;
	if (r->user_len > PV_ATT_USER_MAX)
		return 0x0102;
	if (uv_gread(uv, cpu, r->arcb, h, sizeof(h)))
		return 0x0103;
	r->rql = pv_get_be32(h + PV_REQ_OFF_RQL);
	r->sea = pv_get_be32(h + PV_REQ_OFF_SEA);
	r->nks = h[PV_REQ_OFF_NKS];
	r->paf = pv_get_be64(h + PV_ARCB_OFF_PAF);
	if (pv_get_be32(h + PV_REQ_OFF_VERSION) != PV_REQ_VERSION_1)
		return 0x0106;
	if (!r->nks || r->nks > UV_ATT_MAX_NKS)
		return 0x0108;
	if (r->paf & ~PV_PAF_KNOWN)
		return 0x010a;
	if (pv_get_be32(h + PV_ARCB_OFF_MAI) != PV_ARCB_MAI_HMAC_SHA512)
		return 0x010b;
	if (r->sea != pv_arcb_sea(r->paf))
		return 0x0109;
	if (r->rql != pv_arcb_rql(r->nks, r->paf))
		return 0x0107;
	r->need = pv_paf_add_size(r->paf);
	if (r->meas_cap < PV_ATT_MEAS_LEN)
		return 0x010d;
	if (r->add_cap < r->need)
		return 0x010e;
	if (uv_gcheck(uv, cpu, r->meas, PV_ATT_MEAS_LEN))
		return 0x0104;
	if (r->need && uv_gcheck(uv, cpu, r->add, r->need))
		return 0x0105;
	if (uv_gcheck(uv, cpu, r->arcb, r->rql))
		return 0x0103;
	return PV_UV_RC_EXECUTED;
}

struct att_secrets {
	uint8_t arcb[0xe0 + 80 * 255 + 96];	/* largest ARCB v1 */
	uint8_t key[PV_REQ_KEY_LEN];
	uint8_t plain[PV_ATT_MEAS_KEY_LEN + PV_ATT_NONCE_LEN];
	uint8_t add[PV_ADD_PHKH_LEN * 2 + PV_ADD_SECRET_HASH_LEN +
		    PV_ADD_FW_STATE_LEN];
	uint8_t meas[PV_ATT_MEAS_LEN];
};

/* Decrypt, build the additional data and the measurement (§4.4 2-3). */
static uint16_t att_measure(struct pv_uv *uv, struct uv_cpu *cpu,
			    const uint8_t *cb, const struct att_req *r,
			    struct att_secrets *s, uint32_t *add_len)
{
	struct uv_conf *conf = cpu->conf;
	struct pv_req_view v = {
		.rql = r->rql, .sea = r->sea, .nks = r->nks,
		.aad_len = r->rql - r->sea - PV_GCM_TAG_LEN,
	};
	struct pv_hdr_tags tags;
	struct pv_att_input in;
	size_t which = 0;

	if (uv_gread(uv, cpu, r->arcb, s->arcb, r->rql))
		return 0x0103;
	if (uv_req_key(uv, s->arcb, PV_ARCB_OFF_SLOTS, r->nks, s->key,
		       &which) ||
	    pv_req_decrypt(s->arcb, &v, s->key, s->plain, NULL))
		return 0x010c;
	if (additional(uv, conf, r->paf, which, s->add, add_len))
		return PV_UV_RC_NO_RESUME;
	memcpy(tags.pld, conf->pld, PV_SHA512_LEN);
	memcpy(tags.ald, conf->ald, PV_SHA512_LEN);
	memcpy(tags.tld, conf->tld, PV_SHA512_LEN);
	memcpy(tags.tag, conf->hdr_tag, PV_GCM_TAG_LEN);
	in = (struct pv_att_input){
		.tags = &tags,
		.cuid = conf->cuid,
		.user = cb + PV_UVCB_ATT_USER,
		.user_len = r->user_len,
		.nonce = r->paf & PV_PAF_NONCE ? s->plain + PV_ATT_MEAS_KEY_LEN :
						 NULL,
		.add = s->add,
		.add_len = *add_len,
	};
	if (pv_att_measure(s->plain, &in, s->meas, NULL))
		return PV_UV_RC_NO_RESUME;
	return PV_UV_RC_EXECUTED;
}

/*
 * 0x1020 (§2.3, §4.4).  Writes 64 measurement bytes (+0x13C = 64), exactly
 * the additional data the flags ask for (+0x15C = its length, §4.3) and
 * the CUID.  Keys and the decrypted ARCB live in one block that is
 * cleansed before it is freed.
 */
uint16_t uv_guest_attest(struct pv_uv *uv, struct uv_cpu *cpu, uint8_t *cb,
			 uint16_t len, uint16_t *rrc)
{
	struct att_secrets *s;
	struct att_req r;
	uint32_t add_len = 0;
	uint16_t rc;

	if (cpu->conf->hdr != UV_HDR_VERIFIED)
		return PV_UV_RC_INV_STATE;
	rc = att_check(uv, cpu, cb, &r);
	if (rc != PV_UV_RC_EXECUTED)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return PV_UV_RC_NO_RESUME;
	rc = att_measure(uv, cpu, cb, &r, s, &add_len);
	if (rc == PV_UV_RC_EXECUTED &&
	    (uv_gwrite(uv, cpu, r.meas, s->meas, PV_ATT_MEAS_LEN) ||
	     (add_len && uv_gwrite(uv, cpu, r.add, s->add, add_len))))
		rc = PV_UV_RC_NO_RESUME;	/* checked above: not reached */
	if (rc == PV_UV_RC_EXECUTED) {
		pv_put_be32(cb + PV_UVCB_ATT_MEAS_LEN, PV_ATT_MEAS_LEN);
		pv_put_be32(cb + PV_UVCB_ATT_ADD_LEN, add_len);
		memcpy(cb + PV_UVCB_ATT_CUID, cpu->conf->cuid, PV_CUID_LEN);
	}
	pv_free_secret(s, sizeof(*s));
	return rc;
}
