// SPDX-License-Identifier: MIT
/* Helpers for the UV attestation and secret tests (see atttest.h). */
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"
#include "atttest.h"

int at_cc;

int at_boot(struct at_fix *f, const struct uvt_guest *g,
	    const uint8_t *cuid_seed)
{
	int rc;

	memset(f, 0, sizeof(*f));
	rc = uvt_host_new(&f->h, g, 0);
	if (!rc && cuid_seed)
		rc = pv_uv_set_cuid_seed(f->h.uv, cuid_seed, 32, NULL);
	if (!rc && uvt_boot(&f->h, g))
		rc = -PV_ERR_STATE;
	if (!rc)
		rc = pv_eckey_from_bytes(g->host_der, g->host_der_len, true,
					 &f->hk, NULL);
	if (!rc)
		rc = pv_hdr_tags_from_hdr(g->hdr, g->hdr_len, &f->tags, NULL);
	return rc;
}

void at_free(struct at_fix *f)
{
	pv_eckey_free(f->hk);
	uvt_host_free(&f->h);
}

uint8_t *at_arcb(struct at_fix *f, const struct pv_eckey *hk, uint64_t paf,
		 size_t *len, uint8_t arpk[PV_REQ_KEY_LEN])
{
	const struct pv_eckey *hosts[1] = { hk ? hk : f->hk };
	struct pv_arcb_opts o = {
		.paf = paf, .keys = { .hosts = hosts, .nhosts = 1 },
	};
	uint8_t *arcb = NULL;

	if (pv_arcb_build(&o, &arcb, len, arpk, NULL))
		return NULL;
	return arcb;
}

void at_att_cb(struct at_fix *f, uint8_t *cb, const uint8_t *arcb,
	       size_t len)
{
	uint64_t paf = pv_get_be64(arcb + PV_ARCB_OFF_PAF);

	memcpy(f->h.ram + AT_REQ, arcb, len);
	uvt_cb(cb, PV_UVC_ATTESTATION);
	pv_put_be64(cb + PV_UVCB_ATT_ARCB, AT_REQ);
	pv_put_be32(cb + PV_UVCB_ATT_MEAS_LEN, PV_ATT_MEAS_LEN);
	pv_put_be64(cb + PV_UVCB_ATT_MEAS, AT_MEAS);
	pv_put_be32(cb + PV_UVCB_ATT_ADD_LEN, pv_paf_add_size(paf));
	pv_put_be64(cb + PV_UVCB_ATT_ADD, AT_ADD);
}

uint32_t at_call(struct at_fix *f, uint8_t *cb, size_t cblen)
{
	uint16_t pgm = 0;

	at_cc = pv_uv_guest_call(f->h.uv, f->h.cpu, cb, cblen, false, &pgm);
	if (at_cc < 0)
		return 0xffffffff;
	return UVT_RC(uvt_rc(cb), uvt_rrc(cb));
}

void at_asrcb_opts(struct at_fix *f, struct pv_asrcb_opts *o,
		   const struct pv_eckey **hosts)
{
	memset(o, 0, sizeof(*o));
	hosts[0] = f->hk;
	o->tags = &f->tags;
	o->type = PV_SECRET_NULL;
	o->keys.hosts = hosts;
	o->keys.nhosts = 1;
}

uint32_t at_add(struct at_fix *f, const uint8_t *req, size_t len)
{
	uint8_t cb[0x48];

	memcpy(f->h.ram + AT_REQ, req, len);
	uvt_cb(cb, PV_UVC_ADD_SECRET);
	pv_put_be64(cb + PV_UVCB_SECRET_ADDR, AT_REQ);
	return at_call(f, cb, sizeof(cb));
}

uint32_t at_list(struct at_fix *f, uint16_t start, uint8_t *page)
{
	uint8_t cb[0x48];
	uint32_t w;

	memset(f->h.ram + AT_PAGE, 0xee, PV_SECRET_LIST_LEN);
	uvt_cb(cb, PV_UVC_LIST_SECRETS);
	pv_put_be16(cb + PV_UVCB_LIST_START, start);
	pv_put_be64(cb + PV_UVCB_SECRET_ADDR, AT_PAGE);
	w = at_call(f, cb, sizeof(cb));
	if (page)
		memcpy(page, f->h.ram + AT_PAGE, PV_SECRET_LIST_LEN);
	return w;
}

uint32_t at_lock(struct at_fix *f)
{
	uint8_t cb[0x40];

	uvt_cb(cb, PV_UVC_LOCK_SECRETS);
	return at_call(f, cb, sizeof(cb));
}

uint32_t at_retrieve(struct at_fix *f, uint16_t idx, uint32_t size,
		     uint64_t addr)
{
	uint8_t cb[0x48];

	uvt_cb(cb, PV_UVC_RETRIEVE_SECRET);
	pv_put_be16(cb + PV_UVCB_RETR_INDEX, idx);
	pv_put_be32(cb + PV_UVCB_RETR_SIZE, size);
	pv_put_be64(cb + PV_UVCB_SECRET_ADDR, addr);
	return at_call(f, cb, sizeof(cb));
}
