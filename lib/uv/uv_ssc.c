// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: set secure configuration parameters (0x0300), i.e.
 * open the SE header (pv-machine-and-uv.md §4.6, §4.7; se-image-format.md
 * §5, §6.3-§6.6, §6.10).  The header is copied out of host memory first so
 * that later host writes cannot change what was checked.
 */
#include <stdlib.h>
#include <string.h>

#include "pvboot/sehdr.h"
#include "uv_priv.h"

#define SEA_V1 128U		/* encrypted area without optional items */

/*
 * PSW mask bits that may be set in a z/Architecture PSW: 1 (PER), 5-11
 * (DAT, I/O, EXT, key), 13-24 (M, W, P, AS, CC, program mask, RI), 31 (EA)
 * and 32 (BA).  Bits 0, 2-4, 12, 25-30 and 33-63 must be zero.
 */
#define PSW_ALLOWED 0x47F7FF8180000000ULL
#define PSW_EA_BA PV_PSW_MASK_64

struct ssc_state {
	const struct pv_eckey *cust;	/* borrowed from the UV's cache */
	size_t key;			/* host key that opened the header */
	uint8_t hpk[PV_HPK_LEN];
	uint8_t secret[SEA_V1];
};

static void ssc_state_clear(struct ssc_state *s)
{
	s->cust = NULL;
	pv_cleanse(s->hpk, sizeof(s->hpk));
	pv_cleanse(s->secret, sizeof(s->secret));
}

/* Size relations of se-image-format.md §5.1, each with its rrc (§4.6). */
static uint16_t check_plain(const uint8_t *h, uint32_t hlen, uint16_t *rrc)
{
	uint64_t nks, sea, phs;

	if (hlen < PV_SEHDR_HEAD_SIZE) {
		*rrc = UV_RRC_HDR_SIZE;
		return 0x010a;
	}
	if (pv_get_be64(h + PV_SEHDR_OFF_MAGIC) != PV_SEHDR_MAGIC) {
		*rrc = UV_RRC_HDR_MAGIC;
		return 0x0104;
	}
	if (pv_get_be32(h + PV_SEHDR_OFF_VERSION) != PV_SEHDR_VERSION_1) {
		*rrc = 0x0001;
		return 0x0104;
	}
	phs = pv_get_be32(h + PV_SEHDR_OFF_PHS);
	nks = pv_get_be64(h + PV_SEHDR_OFF_NKS);
	sea = pv_get_be64(h + PV_SEHDR_OFF_SEA);
	if (phs != hlen) {
		*rrc = UV_RRC_HDR_SIZE;
		return 0x010a;
	}
	if (!nks) {
		*rrc = UV_RRC_HDR_NKS;
		return 0x010a;
	}
	if (sea != SEA_V1) {
		*rrc = UV_RRC_HDR_SEA;
		return 0x010a;
	}
	if (nks > PV_SEHDR_MAX_KEYSLOTS ||
	    phs != PV_SEHDR_HEAD_SIZE + PV_KEYSLOT_LEN * nks + sea +
			   PV_GCM_TAG_LEN) {
		*rrc = UV_RRC_HDR_SIZE;
		return 0x010a;
	}
	if (pv_get_be64(h + PV_SEHDR_OFF_PCF) & ~PV_PCF_KNOWN) {
		*rrc = UV_RRC_UNSUPP_PCF;
		return 0x0106;
	}
	return PV_UV_RC_EXECUTED;
}

/* First loaded host key with a slot (§6.10); -1 when none matches. */
static int find_slot(const struct pv_uv *uv, const uint8_t *h, uint64_t nks,
		     size_t *key)
{
	for (size_t k = 0; k < uv->nkeys; k++) {
		for (uint64_t i = 0; i < nks; i++) {
			const uint8_t *slot = h + PV_SEHDR_OFF_SLOTS +
					      PV_KEYSLOT_LEN * i;

			if (!memcmp(slot, uv->phkh[k], PV_SHA256_LEN)) {
				*key = k;
				return (int)i;
			}
		}
	}
	return -1;
}

/*
 * The customer key as a validated P-521 point, or NULL.  The last key is
 * kept (it is public): booting the same image again, or another image of
 * the same build, skips the point validation.
 */
static const struct pv_eckey *cust_key(struct pv_uv *uv,
				       const uint8_t coords[PV_EC_COORDS_LEN])
{
	struct pv_eckey *key;

	if (uv->cust && !memcmp(uv->cust_coords, coords, PV_EC_COORDS_LEN))
		return uv->cust;
	if (pv_eckey_from_coords(coords, &key, NULL))
		return NULL;
	pv_eckey_free(uv->cust);
	uv->cust = key;
	memcpy(uv->cust_coords, coords, PV_EC_COORDS_LEN);
	return key;
}

/* Slot lookup, KEK derivation and unwrap, GCM open with AAD [0, E). */
static uint16_t open_hdr(struct pv_uv *uv, const uint8_t *h, uint32_t hlen,
			 struct ssc_state *s, uint16_t *rrc)
{
	uint64_t nks = pv_get_be64(h + PV_SEHDR_OFF_NKS);
	size_t e = PV_SEHDR_HEAD_SIZE + PV_KEYSLOT_LEN * nks, key = 0;
	int slot, rc;

	slot = find_slot(uv, h, nks, &key);
	if (slot < 0) {
		*rrc = UV_RRC_HOST_KEY;
		return 0x0108;
	}
	s->key = key;
	s->cust = cust_key(uv, h + PV_SEHDR_OFF_CUSTPUB);
	if (!s->cust) {
		*rrc = UV_RRC_CUST_KEY;
		return 0x0108;
	}
	rc = pv_keyslot_unwrap(uv->keys[key], s->cust,
			       h + PV_SEHDR_OFF_SLOTS + PV_KEYSLOT_LEN * slot,
			       s->hpk, NULL);
	if (rc == -PV_ERR_AUTH) {
		*rrc = UV_RRC_SLOT_AUTH;
		return 0x0108;
	}
	if (rc)
		return UV_RC_INTERNAL;
	rc = pv_gcm_decrypt(s->hpk, h + PV_SEHDR_OFF_IV, h, e, h + e, SEA_V1,
			    h + hlen - PV_GCM_TAG_LEN, s->secret, NULL);
	if (rc == -PV_ERR_AUTH) {
		*rrc = UV_RRC_HDR_AUTH;
		return 0x0108;
	}
	return rc ? UV_RC_INTERNAL : PV_UV_RC_EXECUTED;
}

/* Checks of the decrypted part: SCF, optional items, PSW, image key. */
static uint16_t check_secret(struct uv_conf *conf, const uint8_t *sec,
			     uint64_t pcf, struct pv_xts **xts, uint16_t *rrc)
{
	uint64_t mask = pv_get_be64(sec + PV_SEHDR_ENC_PSW_MASK);
	uint64_t addr = pv_get_be64(sec + PV_SEHDR_ENC_PSW_ADDR);

	if (pv_get_be64(sec + PV_SEHDR_ENC_SCF) & ~PV_SCF_KNOWN)
		return 0x0109;
	if (pv_get_be32(sec + PV_SEHDR_ENC_NOI)) {
		*rrc = UV_RRC_HDR_NOI;
		return 0x010a;
	}
	/*
	 * The start PSW must be a valid 64-bit-mode PSW (EA and BA set, no
	 * bit that must be zero in a z/Architecture PSW, not bit 12) pointing
	 * at an even address inside guest storage.
	 */
	if ((mask & PSW_EA_BA) != PSW_EA_BA || (mask & ~PSW_ALLOWED) ||
	    (addr & 1) || addr >= conf->msl) {
		*rrc = UV_RRC_HDR_PSW;
		return 0x010a;
	}
	if (!(pcf & PV_PCF_NO_DECRYPTION) &&
	    pv_xts_new(sec + PV_SEHDR_ENC_XTS, false, xts, NULL)) {
		*rrc = UV_RRC_HDR_XTS;
		return 0x010a;
	}
	return PV_UV_RC_EXECUTED;
}

static uint16_t accept(struct uv_conf *conf, const uint8_t *h,
		       const uint8_t *sec, struct pv_xts *xts)
{
	if (pv_digests_new(&conf->dig, NULL))
		return UV_RC_INTERNAL;
	conf->xts = xts;
	conf->pcf = pv_get_be64(h + PV_SEHDR_OFF_PCF);
	conf->decrypt = !(conf->pcf & PV_PCF_NO_DECRYPTION);
	conf->nep = pv_get_be64(h + PV_SEHDR_OFF_NEP);
	memcpy(conf->pld, h + PV_SEHDR_OFF_PLD, PV_SHA512_LEN);
	memcpy(conf->ald, h + PV_SEHDR_OFF_ALD, PV_SHA512_LEN);
	memcpy(conf->tld, h + PV_SEHDR_OFF_TLD, PV_SHA512_LEN);
	memcpy(conf->cck, sec + PV_SEHDR_ENC_CCK, PV_CCK_LEN);
	conf->psw_mask = pv_get_be64(sec + PV_SEHDR_ENC_PSW_MASK);
	conf->psw_addr = pv_get_be64(sec + PV_SEHDR_ENC_PSW_ADDR);
	conf->scf = pv_get_be64(sec + PV_SEHDR_ENC_SCF);
	conf->pages = 0;
	conf->hdr = UV_HDR_OPEN;
	return PV_UV_RC_EXECUTED;
}

/*
 * 0x0300.  Bad handle 0x0020; header already accepted 0x0003 (also after
 * verify); length > 8192 0x010a/0x31; header range unmapped or not host
 * memory (secure/donated) 0x0103; then the header checks above.  A
 * refused header changes nothing, so a corrected header may be set again.
 */
uint16_t uv_cmd_set_sec_parms(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			      uint16_t *rrc)
{
	struct uv_conf *conf = uv_conf_get(uv, pv_get_be64(cb + 0x18));
	uint64_t origin = pv_get_be64(cb + PV_UVCB_SSC_ORIGIN);
	uint32_t hlen = pv_get_be32(cb + PV_UVCB_SSC_LEN);
	struct ssc_state s = { 0 };
	struct pv_xts *xts = NULL;
	uint8_t *h;
	uint16_t rc;

	if (!conf)
		return PV_UV_RC_INV_GHANDLE;
	if (conf->defunct || conf->hdr != UV_HDR_NONE)
		return PV_UV_RC_INV_STATE;
	if (hlen > PV_SEHDR_MAX_SIZE) {
		*rrc = UV_RRC_HDR_SIZE;
		return 0x010a;
	}
	if (!hlen || !uv_range_host_ok(uv, origin, hlen))
		return 0x0103;
	h = malloc(hlen);
	if (!h)
		return UV_RC_INTERNAL;
	memcpy(h, uv_ptr(uv, origin, hlen), hlen);

	rc = check_plain(h, hlen, rrc);
	if (rc == PV_UV_RC_EXECUTED)
		rc = open_hdr(uv, h, hlen, &s, rrc);
	if (rc == PV_UV_RC_EXECUTED)
		rc = check_secret(conf, s.secret,
				  pv_get_be64(h + PV_SEHDR_OFF_PCF), &xts, rrc);
	if (rc == PV_UV_RC_EXECUTED) {
		rc = accept(conf, h, s.secret, xts);
		if (rc != PV_UV_RC_EXECUTED)
			pv_xts_free(xts);
	}
	if (rc == PV_UV_RC_EXECUTED) {
		/* what attestation measures (attestation-and-secrets §4) */
		memcpy(conf->hdr_tag, h + hlen - PV_GCM_TAG_LEN,
		       PV_GCM_TAG_LEN);
		memcpy(conf->img_phkh, uv->phkh[s.key], PV_SHA256_LEN);
	}
	ssc_state_clear(&s);
	free(h);
	return rc;
}
