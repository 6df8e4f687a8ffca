// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: unpack (0x0301) and verify (0x0302)
 * (pv-machine-and-uv.md §3.5, §4.6, §4.7, B-11; se-image-format.md §6.7,
 * §6.8).
 */
#include <string.h>

#include "uv_priv.h"

#define UV_PLD_WORKER_PAGES 256

/*
 * Unpack one page.  Bad handle 0x0020; no header accepted, or already
 * verified / failed 0x0003; gaddr unaligned 0x0107; gaddr >= MSL 0x0101;
 * host page not mapped 0x010a (host faults it in and retries, B-10); page
 * already secure, shared, exported or donated 0x0104.
 *
 * The page is hashed as stored (PLD), with its guest address (ALD, BE64)
 * and the 16-byte tweak tweak[0] || tweak[1] (TLD), then decrypted in
 * place with AES-256-XTS unless PCF bit 35 (no decryption) is set.
 */
uint16_t uv_cmd_unpack(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		       uint16_t *rrc)
{
	struct uv_conf *conf = uv_conf_get(uv, pv_get_be64(cb + 0x18));
	uint64_t gaddr = pv_get_be64(cb + PV_UVCB_GADDR), haddr;
	uint8_t tweak[PV_TWEAK_LEN], *p;
	struct uv_region *r;
	struct uv_page *pg;

	if (!conf)
		return PV_UV_RC_INV_GHANDLE;
	if (conf->hdr != UV_HDR_OPEN)
		return PV_UV_RC_INV_STATE;
	if (gaddr & PV_PAGE_MASK)
		return 0x0107;
	if (gaddr >= conf->msl)
		return 0x0101;
	haddr = conf->mso + gaddr;
	pg = uv_page_of(uv, haddr, &r);
	if (!pg)
		return 0x010a;
	if (pg->state != PV_PAGE_NONSECURE)
		return 0x0104;
	p = r->ptr + (haddr - r->haddr);
	memcpy(tweak, cb + PV_UVCB_UNP_TWEAK0, 8);
	memcpy(tweak + 8, cb + PV_UVCB_UNP_TWEAK1, 8);
	/*
	 * From the first MiB on, SHA-512 of the PLD runs on a second CPU
	 * while this one decrypts: each page is copied (as stored) first.
	 * Small guests stay inline; a thread would cost more than it saves.
	 * Without memory for the worker the digests simply stay inline.
	 */
	if (conf->pages == UV_PLD_WORKER_PAGES)
		pv_digests_use_worker(conf->dig, NULL);
	if (pv_digests_add_page(conf->dig, p, gaddr, tweak, NULL))
		goto fail;
	if (conf->decrypt && pv_xts_page(conf->xts, tweak, p, p, NULL))
		goto fail;
	pg->state = PV_PAGE_SECURE;
	pg->owner = (uint8_t)(conf->slot + 1);
	conf->pages++;
	uv->st.pages_unpacked++;
	uv_notify(uv, haddr, PV_PAGE_SIZE);
	return PV_UV_RC_EXECUTED;
fail:
	/* The digests are no longer meaningful: verify cannot succeed. */
	conf->hdr = UV_HDR_FAILED;
	return UV_RC_INTERNAL;
}

/*
 * Verify.  Bad handle 0x0020; not unpacking 0x0003.  Mismatches give
 * 0x0102 with the first failing check in the order page count (0x1d),
 * ALD (0x1a), PLD (0x1b), TLD (0x1c) (B-11).  Either way the running
 * digests are consumed; after a failure only destroy makes sense.
 */
uint16_t uv_cmd_verify(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		       uint16_t *rrc)
{
	struct uv_conf *conf = uv_conf_get(uv, pv_get_be64(cb + 0x18));
	uint8_t pld[PV_SHA512_LEN], ald[PV_SHA512_LEN], tld[PV_SHA512_LEN];

	if (!conf)
		return PV_UV_RC_INV_GHANDLE;
	if (conf->hdr != UV_HDR_OPEN)
		return PV_UV_RC_INV_STATE;
	conf->hdr = UV_HDR_FAILED;
	if (pv_digests_final(conf->dig, pld, ald, tld, NULL))
		return UV_RC_INTERNAL;
	if (conf->pages != conf->nep)
		*rrc = PV_UV_RRC_NEP;
	else if (!pv_memeq_ct(ald, conf->ald, sizeof(ald)))
		*rrc = PV_UV_RRC_ALD;
	else if (!pv_memeq_ct(pld, conf->pld, sizeof(pld)))
		*rrc = PV_UV_RRC_PLD;
	else if (!pv_memeq_ct(tld, conf->tld, sizeof(tld)))
		*rrc = PV_UV_RRC_TLD;
	if (*rrc)
		return 0x0102;
	conf->hdr = UV_HDR_VERIFIED;
	return PV_UV_RC_EXECUTED;
}
