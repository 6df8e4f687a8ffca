// SPDX-License-Identifier: MIT
/*
 * The end of a build (se-image-format.md §2.6 steps 5-8): the SE header
 * sealed with everything final, the IPIB, the stage3a parameter block, the
 * short PSW, the metadata and the image head, written last.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/be.h"
#include "build_priv.h"

int head_seal(struct build_ctx *c, struct pv_sehdr **out,
	      struct pv_err **err)
{
	struct pv_builder *b = c->b;
	struct pv_build_result *res = c->res;
	struct pv_sehdr_secret sec;
	struct pv_sehdr *hdr;
	int rc;

	*out = NULL;
	rc = pv_sehdr_new(b->nhks, &hdr, err);
	if (rc)
		return rc;
	/* §5.1 plaintext part; everything is final before sealing (§6.6) */
	memcpy(hdr->iv, c->iv, sizeof(hdr->iv));
	hdr->nep = res->nep;
	hdr->pcf = res->pcf;
	memcpy(hdr->pld, res->pld, PV_SHA512_LEN);
	memcpy(hdr->ald, res->ald, PV_SHA512_LEN);
	memcpy(hdr->tld, res->tld, PV_SHA512_LEN);
	rc = pv_eckey_coords(c->kj.ck, hdr->cust_pub, err);
	for (size_t i = 0; !rc && i < b->nhks; i++) {
		const uint8_t *slot = c->kj.slots[i];

		memcpy(hdr->slots[i].phkh, slot, PV_SHA256_LEN);
		memcpy(hdr->slots[i].wrpk, slot + 32, 32);
		memcpy(hdr->slots[i].kst, slot + 64, PV_GCM_TAG_LEN);
	}
	if (!rc) {
		memset(&sec, 0, sizeof(sec));
		memcpy(sec.cck, c->cck, sizeof(sec.cck));
		memcpy(sec.xts, c->xk, sizeof(sec.xts));
		sec.psw_mask = PV_PSW_MASK_64;
		sec.psw_addr = res->psw_addr;
		sec.scf = res->scf;
		rc = pv_sehdr_seal(hdr, c->hpk, &sec, err);
		pv_cleanse(&sec, sizeof(sec));
	}
	if (rc) {
		pv_sehdr_free(hdr);
		return rc;
	}
	memcpy(res->tag, hdr->tag, sizeof(res->tag));
	res->have_tag = true;
	*out = hdr;
	return 0;
}

static void fill_ipib(struct build_ctx *c, struct pv_ipib_pv *ipib)
{
	struct pv_build_result *res = c->res;
	bool r = c->b->layout == PV_LAYOUT_R;

	/* §4: list len, PV version and pv_hdr_addr differ [DIFF] */
	memset(ipib, 0, sizeof(*ipib));
	ipib->len = r ? (uint32_t)pv_ipib_pv_size((uint32_t)res->ncomps) :
			PV_IPL_MAX_LEN;
	ipib->version = 1;
	ipib->pbt = PV_IPL_PBT_PV;
	ipib->blk0_len = ipib->len - PV_IPL_HDR_LEN;
	ipib->pv_version = r ? 1 : 0;
	ipib->num_comp = (uint32_t)res->ncomps;
	ipib->hdr_addr = r ? res->hdr_addr : 0;
	ipib->hdr_size = res->hdr_size;
	for (size_t i = 0; i < res->ncomps; i++) {
		ipib->comps[i].tweak_pref = res->comps[i].tweak_pref;
		ipib->comps[i].addr = res->comps[i].addr;
		ipib->comps[i].len = res->comps[i].len;
	}
}

int head_write(struct build_ctx *c, const struct pv_sehdr *hdr,
	       struct pv_err **err)
{
	const struct image_plan *pl = &c->plan;
	struct pv_build_result *res = c->res;
	struct pv_stage3a_parms s3p;
	struct pv_ipib_pv *ipib;
	uint8_t *head = NULL, *own_head = NULL, *ibuf = NULL;
	uint64_t psw;
	int rc;

	ipib = calloc(1, sizeof(*ipib));
	/* the ring's memory is faulted in already: no fresh page per 4 KiB */
	head = pipe_scratch(c->pipe, pl->comp0);
	if (!head)
		head = own_head = calloc(1, pl->comp0);
	if (!ipib || !head) {
		rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory for the image head");
		goto out;
	}
	fill_ipib(c, ipib);
	if (c->b->layout == PV_LAYOUT_C) {
		rc = pv_ipib_pv_serialize(ipib, head + res->ipib_addr,
					  PV_IPL_MAX_LEN, err);
	} else {
		ibuf = calloc(1, res->ipib_len);
		if (!ibuf)
			rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		else
			rc = pv_ipib_pv_serialize(ipib, ibuf, res->ipib_len,
						  err);
	}
	if (rc)
		goto out;
	rc = pv_sehdr_serialize(hdr, head + pl->hdr_addr, pl->phs, err);
	if (rc)
		goto out;
	/* §3.1: offsets relative to the block, which ends stage3a */
	memcpy(head + PV_IMAGE_ENTRY, c->b->s3a, c->b->s3a_len);
	s3p.hdr_offs = pl->hdr_addr - pl->parms_addr;
	s3p.hdr_size = pl->phs;
	s3p.ipib_offs = res->ipib_addr - pl->parms_addr;
	pv_stage3a_parms_pack(&s3p, head + pl->parms_addr);
	/* §2.1: short PSW to the stage3a entry at 0x11000 */
	rc = pv_psw_to_short(PV_PSW_MASK_64, PV_STAGE3A_ENTRY, &psw, err);
	if (rc)
		goto out;
	pv_put_be64(head, psw);
	if (c->b->layout == PV_LAYOUT_R) {
		struct pv_meta m = {
			.hdr_off = pl->hdr_addr,
			.version = PV_META_VERSION,
			.ipib_off = res->ipib_addr,
		};

		pv_meta_pack(&m, head + PV_META_OFF);
		rc = pwrite_full(c->out, ibuf, res->ipib_len, res->ipib_addr,
				 c->out_name, err);
		if (rc)
			goto out;
	}
	rc = pwrite_full(c->out, head, pl->comp0, 0, c->out_name, err);
	if (!rc) {
		struct stat st;

		if (!fstat(c->out, &st) && S_ISREG(st.st_mode) &&
		    ftruncate(c->out, (off_t)res->file_size))
			rc = pv_err_set(err, PV_ERR_IO,
					"truncating %s to %llu bytes: %s",
					c->out_name,
					(unsigned long long)res->file_size,
					strerror(errno));
	}
out:
	free(ibuf);
	free(own_head);
	free(ipib);
	return rc;
}
