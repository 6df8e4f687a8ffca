// SPDX-License-Identifier: MIT
/*
 * Structural checks of the offline verifier (se-image-format.md §6.9):
 * metadata, SE header, IPIB, stage3a and the stage3b parameter block.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"
#include "verify_priv.h"

#define HX(x) ((unsigned long long)(x))

static void vrecord(struct vctx *v, enum vprio prio, enum pv_region region,
		    int comp, uint64_t page, const char *fmt, va_list ap)
{
	struct pv_verify_report *rep = v->rep;
	char detail[400];
	const char *kname;

	if (prio >= v->best)
		return;
	v->best = prio;
	vsnprintf(detail, sizeof(detail), fmt, ap);
	rep->verified = false;
	rep->region = region;
	rep->comp = comp;
	rep->kind = PV_COMP__MAX;
	rep->page = 0;
	rep->addr = 0;
	if (comp >= 0 && (size_t)comp < v->in->ncomps) {
		rep->kind = v->in->comps[comp].kind;
		rep->page = page;
		rep->addr = v->in->comps[comp].addr + page * PV_PAGE_SIZE;
	}
	if (region == PV_REGION_COMPONENT && comp < 0) {
		snprintf(rep->what, sizeof(rep->what), "components: %s",
			 detail);
		return;
	}
	if (region != PV_REGION_COMPONENT) {
		snprintf(rep->what, sizeof(rep->what), "%s: %s",
			 pv_region_name(region), detail);
		return;
	}
	kname = pv_comp_kind_name(rep->kind);
	snprintf(rep->what, sizeof(rep->what),
		 "component %s page %llu at 0x%llx: %s", kname,
		 (unsigned long long)page, HX(rep->addr), detail);
}

void vfail(struct vctx *v, enum vprio prio, enum pv_region region,
	   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(v, prio, region, -1, 0, fmt, ap);
	va_end(ap);
}

void vfail_page(struct vctx *v, enum vprio prio, int comp, uint64_t page,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(v, prio, PV_REGION_COMPONENT, comp, page, fmt, ap);
	va_end(ap);
}

void vnote(struct vctx *v, const char *fmt, ...)
{
	struct pv_verify_report *rep = v->rep;
	va_list ap;

	if (rep->nnotes >= PV_VERIFY_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(rep->notes[rep->nnotes++], sizeof(rep->notes[0]), fmt, ap);
	va_end(ap);
}

/* Where would the header and IPIB be without the metadata? */
static bool header_at(struct vctx *v, uint64_t addr)
{
	uint8_t m[8];

	return !pv_image_read(v->img, addr, m, sizeof(m), NULL) &&
	       pv_get_be64(m) == PV_SEHDR_MAGIC;
}

int vcheck_meta(struct vctx *v, struct pv_err **err)
{
	const struct pv_image_info *in = v->in;
	uint64_t tail = in->file_size & ~PV_PAGE_MASK;

	if (!in->has_meta) {
		/* a Layout-R image (IPIB at the tail) must carry it (§2.3) */
		if (in->layout == PV_LAYOUT_R)
			vfail(v, VP_META, PV_REGION_METADATA,
			      "no \"SeImgLnx\" block at 0xC000, but the IPIB is at the end of the file (Layout-R)");
		return 0;
	}
	if (in->meta.version != PV_META_VERSION)
		vfail(v, VP_META, PV_REGION_METADATA,
		      "version %u is not %u", in->meta.version,
		      PV_META_VERSION);
	if (!in->hdr && !header_at(v, in->meta.hdr_off)) {
		for (uint64_t a = 0; a + 8 <= in->file_size && a < 0x100000;
		     a += PV_PAGE_SIZE) {
			if (header_at(v, a)) {
				vfail(v, VP_META, PV_REGION_METADATA,
				      "names the SE header at 0x%llx, but it is at 0x%llx",
				      HX(in->meta.hdr_off), HX(a));
				break;
			}
		}
	}
	/* §2.3: the IPIB is the last thing in the file, page aligned */
	if (in->meta.ipib_off & PV_PAGE_MASK ||
	    in->meta.ipib_off >= in->file_size ||
	    in->file_size - in->meta.ipib_off > PV_IPL_MAX_LEN)
		vfail(v, VP_META, PV_REGION_METADATA,
		      "names the IPIB at 0x%llx, but the file ends with an IPIB page at 0x%llx",
		      HX(in->meta.ipib_off), HX(tail));
	return 0;
}

int vcheck_header(struct vctx *v, struct pv_err **err)
{
	const struct pv_image_info *in = v->in;
	const struct pv_verify_opts *o = v->o;
	struct pv_err *e = NULL;
	uint8_t hpk[PV_HPK_LEN];
	uint8_t pad[PV_PAGE_SIZE];
	int rc;

	if (!in->hdr) {
		vfail(v, VP_HEADER, PV_REGION_HEADER, "%s", in->hdr_problem);
		return 0;
	}
	if (o->hpk) {
		memcpy(hpk, o->hpk, sizeof(hpk));
	} else {
		rc = pv_image_unwrap_hpk(v->img, o->host_key, hpk,
					 &v->rep->slot, &e);
		if (rc == -PV_ERR_NOKEYSLOT || rc == -PV_ERR_AUTH) {
			vfail(v, VP_HEADER, PV_REGION_HEADER, "%s", e->msg);
			pv_err_free(e);
			return 0;
		}
		if (rc) {
			*err = e;
			return rc;
		}
	}
	rc = pv_image_open_header(v->img, hpk, &v->sec, &e);
	pv_cleanse(hpk, sizeof(hpk));
	if (rc == -PV_ERR_AUTH || rc == -PV_ERR_UNSUPPORTED) {
		vfail(v, VP_HEADER, PV_REGION_HEADER, "%s%s", e->msg,
		      rc == -PV_ERR_AUTH ?
			      " (wrong key, or the header was modified)" : "");
		pv_err_free(e);
		return 0;
	}
	if (rc) {
		*err = e;
		return rc;
	}
	v->opened = true;
	/* §6.9: PSW mask of a 64-bit start */
	if (v->sec.psw_mask != PV_PSW_MASK_64)
		vfail(v, VP_HEADER, PV_REGION_HEADER,
		      "PSW mask 0x%016llx is not 0x%016llx",
		      HX(v->sec.psw_mask), HX(PV_PSW_MASK_64));
	if (in->hdr->pcf & ~PV_PCF_KNOWN)
		vnote(v, "PCF 0x%016llx has bits this tool does not know",
		      HX(in->hdr->pcf));
	if (v->sec.scf & ~PV_SCF_KNOWN)
		vnote(v, "SCF 0x%016llx has bits this tool does not know",
		      HX(v->sec.scf));
	v->encrypted = !(in->hdr->pcf & PV_PCF_NO_DECRYPTION);
	if (v->encrypted) {
		rc = pv_xts_new(v->sec.xts, false, &v->xts, &e);
		if (rc) {
			vfail(v, VP_HEADER, PV_REGION_HEADER, "image key: %s",
			      e->msg);
			pv_err_free(e);
			return 0;
		}
	}
	/* padding after the header up to the next page is zero */
	{
		uint64_t end = in->hdr_addr + in->hdr->phs;
		uint64_t pend = pv_page_align(end);

		if (pend > in->file_size)
			pend = in->file_size;
		if (pend > end &&
		    !pv_image_read(v->img, end, pad, (size_t)(pend - end),
				   NULL)) {
			for (size_t i = 0; i < pend - end; i++) {
				if (pad[i]) {
					vfail(v, VP_HEADER, PV_REGION_HEADER,
					      "padding byte at 0x%llx after the header is 0x%02x",
					      HX(end + i), pad[i]);
					break;
				}
			}
		}
	}
	return 1;
}

static void check_ipib_fields(struct vctx *v)
{
	const struct pv_image_info *in = v->in;
	const struct pv_ipib_pv *ip = in->ipib;
	bool r = in->layout == PV_LAYOUT_R;
	uint32_t want_len = r ? (uint32_t)pv_ipib_pv_size(ip->num_comp) :
				PV_IPL_MAX_LEN;

	/* §4: the fields that differ between the layouts [DIFF] */
	if (ip->len != want_len)
		vfail(v, VP_IPIB, PV_REGION_IPIB,
		      "length %u is not %u (Layout-%s)", ip->len, want_len,
		      r ? "R" : "C");
	if (ip->pv_version != (r ? 1 : 0))
		vfail(v, VP_IPIB, PV_REGION_IPIB,
		      "PV block version %u is not %u (Layout-%s)",
		      ip->pv_version, r ? 1 : 0, r ? "R" : "C");
	if (ip->flags || ip->blk_flags)
		vfail(v, VP_IPIB, PV_REGION_IPIB, "flags are not zero");
	for (size_t i = 0; i < sizeof(ip->loadparm); i++) {
		if (ip->loadparm[i]) {
			vfail(v, VP_IPIB, PV_REGION_IPIB,
			      "loadparm byte %zu is 0x%02x, not zero", i,
			      ip->loadparm[i]);
			break;
		}
	}
	if (r && ip->hdr_addr != in->hdr_addr)
		vfail(v, VP_IPIB, PV_REGION_IPIB,
		      "SE header address 0x%llx is not 0x%llx",
		      HX(ip->hdr_addr), HX(in->hdr_addr));
	if (!r && ip->hdr_addr)
		vfail(v, VP_IPIB, PV_REGION_IPIB,
		      "SE header address 0x%llx is not 0 (Layout-C)",
		      HX(ip->hdr_addr));
	if (in->hdr && ip->hdr_size != in->hdr->phs)
		vfail(v, VP_IPIB, PV_REGION_IPIB,
		      "SE header size %llu is not %u", HX(ip->hdr_size),
		      in->hdr->phs);
}

static void check_ipib_comps(struct vctx *v)
{
	const struct pv_image_info *in = v->in;
	uint64_t prev_end = in->hdr ? in->hdr_addr + in->hdr->phs : 0;
	bool seen[PV_COMP__MAX] = { false };

	for (size_t i = 0; i < in->ncomps; i++) {
		const struct pv_image_comp *c = &in->comps[i];
		uint16_t id = pv_tweak_prefix_id(c->tweak_pref);
		enum pv_layout lay;
		enum pv_comp_kind k = pv_comp_kind_from_id(id, &lay);

		if (k == PV_COMP__MAX || lay != in->layout || seen[k]) {
			vfail(v, VP_IPIB, PV_REGION_IPIB,
			      "component %zu has tweak id %u: not a known, single component of a Layout-%s image",
			      i, id, in->layout == PV_LAYOUT_R ? "R" : "C");
			continue;
		}
		seen[k] = true;
		if (c->addr & PV_PAGE_MASK || c->len & PV_PAGE_MASK || !c->len)
			vfail(v, VP_IPIB, PV_REGION_IPIB,
			      "component %zu (%s): address 0x%llx / length 0x%llx not page aligned or empty",
			      i, pv_comp_kind_name(k), HX(c->addr), HX(c->len));
		if (c->addr < prev_end)
			vfail(v, VP_IPIB, PV_REGION_IPIB,
			      "component %zu (%s) at 0x%llx overlaps what comes before (ends at 0x%llx)",
			      i, pv_comp_kind_name(k), HX(c->addr),
			      HX(prev_end));
		if (c->addr > in->file_size ||
		    c->len > in->file_size - c->addr)
			vfail(v, VP_IPIB, PV_REGION_IPIB,
			      "component %zu (%s) at 0x%llx, 0x%llx bytes, reaches past the end of the file",
			      i, pv_comp_kind_name(k), HX(c->addr), HX(c->len));
		if (i && c->tweak_pref <= in->comps[i - 1].tweak_pref)
			vfail(v, VP_IPIB, PV_REGION_IPIB,
			      "tweak prefix of component %zu is not above the one before",
			      i);
		if (k == PV_COMP_KERNEL)
			v->kernel = (int)i;
		else if (k == PV_COMP_CMDLINE)
			v->cmdline = (int)i;
		else if (k == PV_COMP_INITRD)
			v->initrd = (int)i;
		else
			v->stage3b = (int)i;
		prev_end = c->addr + c->len;
	}
	if (v->kernel != 0 || v->stage3b != (int)in->ncomps - 1)
		vfail(v, VP_IPIB, PV_REGION_IPIB,
		      "components must start with the kernel and end with stage3b");
}

void vcheck_ipib(struct vctx *v)
{
	const struct pv_image_info *in = v->in;

	if (!in->ipib) {
		vfail(v, VP_IPIB, PV_REGION_IPIB, "%s", in->ipib_problem);
		return;
	}
	check_ipib_fields(v);
	check_ipib_comps(v);
	if (v->stage3b >= 0 && v->opened &&
	    v->sec.psw_addr != in->comps[v->stage3b].addr)
		vnote(v, "header PSW address 0x%llx is not the stage3b address 0x%llx (--x-psw)",
		      HX(v->sec.psw_addr), HX(in->comps[v->stage3b].addr));
	if (in->layout == PV_LAYOUT_R && v->stage3b >= 0) {
		const struct pv_image_comp *s = &in->comps[v->stage3b];

		if (in->ipib_addr != s->addr + s->len)
			vfail(v, VP_IPIB, PV_REGION_IPIB,
			      "IPIB at 0x%llx does not follow stage3b (ends at 0x%llx)",
			      HX(in->ipib_addr), HX(s->addr + s->len));
		else if (in->file_size != in->ipib_addr + in->ipib->len)
			vfail(v, VP_IPIB, PV_REGION_IPIB,
			      "file size %llu is not IPIB address + length (%llu)",
			      HX(in->file_size),
			      HX(in->ipib_addr + in->ipib->len));
	}
}

/* Fraction of 16-byte blocks in which @a and @b agree, in percent. */
static unsigned int same_blocks(const uint8_t *a, const uint8_t *b,
				size_t len)
{
	size_t same = 0, n = len / 16;

	for (size_t i = 0; i < n; i++)
		same += !memcmp(a + 16 * i, b + 16 * i, 16);
	return n ? (unsigned int)(same * 100 / n) : 100;
}

int vcheck_stage3a(struct vctx *v, struct pv_err **err)
{
	const struct pv_image_info *in = v->in;
	const struct pv_verify_opts *o = v->o;
	uint64_t want;
	int rc;

	rc = pv_psw_to_short(PV_PSW_MASK_64, PV_STAGE3A_ENTRY, &want, err);
	if (rc)
		return rc;
	if (in->short_psw != want)
		vfail(v, VP_STAGE3A, PV_REGION_STAGE3A,
		      "short PSW at 0 is 0x%016llx, not 0x%016llx",
		      HX(in->short_psw), HX(want));
	if (o->stage3a && o->stage3a_len > PV_STAGE3A_PARMS_SIZE &&
	    in->hdr) {
		size_t code = o->stage3a_len - PV_STAGE3A_PARMS_SIZE;
		uint8_t *buf = malloc(o->stage3a_len);
		struct pv_stage3a_parms p;
		uint64_t pa = PV_IMAGE_ENTRY + code;

		if (!buf)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		if (pv_image_read(v->img, PV_IMAGE_ENTRY, buf, o->stage3a_len,
				  NULL) ||
		    same_blocks(buf, o->stage3a, code) < 90) {
			free(buf);
			if (o->loaders_required) {
				vfail(v, VP_STAGE3A, PV_REGION_STAGE3A,
				      "stage3a is not the loader given");
				return 0;
			}
			vnote(v, "stage3a is not the expected loader; its code was not compared");
			goto heuristic;
		}
		for (size_t i = 0; i < code; i++) {
			if (buf[i] != o->stage3a[i]) {
				vfail(v, VP_STAGE3A, PV_REGION_STAGE3A,
				      "byte at 0x%llx differs from the loader",
				      HX(PV_IMAGE_ENTRY + i));
				break;
			}
		}
		pv_stage3a_parms_unpack(buf + code, &p);
		free(buf);
		if (pa + p.hdr_offs != in->hdr_addr ||
		    p.hdr_size != in->hdr->phs ||
		    (in->has_ipib && pa + p.ipib_offs != in->ipib_addr))
			vfail(v, VP_STAGE3A, PV_REGION_STAGE3A,
			      "parameter block at 0x%llx does not point at the SE header (0x%llx, %u bytes) and IPIB (0x%llx)",
			      HX(pa), HX(in->hdr_addr), in->hdr->phs,
			      HX(in->ipib_addr));
		return 0;
	}
heuristic:
	if (in->hdr && !in->has_stage3a_parms)
		vfail(v, VP_STAGE3A, PV_REGION_STAGE3A,
		      "no parameter block pointing at the SE header (0x%llx) and IPIB (0x%llx) found",
		      HX(in->hdr_addr), HX(in->ipib_addr));
	return 0;
}

int vread_page(struct vctx *v, int comp, uint64_t off, uint8_t *page,
	       struct pv_err **err)
{
	const struct pv_image_comp *c = &v->in->comps[comp];
	uint8_t tweak[PV_TWEAK_LEN];
	int rc;

	rc = pv_image_read(v->img, c->addr + off, page, PV_PAGE_SIZE, err);
	if (rc || !v->encrypted)
		return rc;
	pv_tweak_make(c->tweak_pref, off, tweak);
	return pv_xts_page(v->xts, tweak, page, page, err);
}

/* §3.3: find the block at the loader's end, or by its known fields */
static bool locate_s3b_parms(struct vctx *v, size_t *at)
{
	const struct pv_verify_opts *o = v->o;
	uint64_t kaddr = v->in->comps[v->kernel].addr;

	if (o->stage3b && o->stage3b_len > PV_STAGE3B_PARMS_SIZE &&
	    o->stage3b_len <= v->s3b_len &&
	    same_blocks(v->s3b, o->stage3b,
			o->stage3b_len - PV_STAGE3B_PARMS_SIZE) >= 90) {
		*at = o->stage3b_len - PV_STAGE3B_PARMS_SIZE;
		return true;
	}
	/* the loader size need not be a multiple of 8: try every byte */
	for (size_t off = v->s3b_len - PV_STAGE3B_PARMS_SIZE + 1; off; off--) {
		const uint8_t *p = v->s3b + off - 1;

		if (pv_get_be64(p) == kaddr &&
		    pv_get_be64(p + 0x30) == PV_PSW_MASK_64) {
			*at = off - 1;
			return true;
		}
	}
	return false;
}

/* With the expected loader known, name the first changed stage3b page. */
static void compare_s3b(struct vctx *v)
{
	const struct pv_verify_opts *o = v->o;
	size_t code, i;

	if (!o->stage3b || o->stage3b_len <= PV_STAGE3B_PARMS_SIZE)
		return;
	if (o->stage3b_len > v->s3b_len) {
		if (o->loaders_required)
			vfail_page(v, VP_COMP, v->stage3b, 0,
				   "stage3b is longer than the image's");
		return;
	}
	code = o->stage3b_len - PV_STAGE3B_PARMS_SIZE;
	if (same_blocks(v->s3b, o->stage3b, code) < 90) {
		if (o->loaders_required)
			vfail_page(v, VP_COMP, v->stage3b, 0,
				   "stage3b is not the loader given");
		else
			vnote(v, "stage3b is not the expected loader; its code was not compared");
		return;
	}
	for (i = 0; i < code && v->s3b[i] == o->stage3b[i]; i++)
		;
	if (i == code)
		for (i = o->stage3b_len; i < v->s3b_len && !v->s3b[i]; i++)
			;
	if (i < code || i < v->s3b_len)
		vfail_page(v, VP_COMP, v->stage3b, i / PV_PAGE_SIZE,
			   "byte 0x%zx differs from the stage3b loader", i);
}

static void check_arg_comp(struct vctx *v, int idx, const char *what,
			   uint64_t src, uint64_t size)
{
	const struct pv_image_comp *c;
	uint64_t pages;

	if (idx < 0) {
		if (src || size)
			vfail(v, VP_STAGE3B, PV_REGION_STAGE3B_ARGS,
			      "%s at 0x%llx, %llu bytes, but the image has no %s component",
			      what, HX(src), HX(size), what);
		return;
	}
	c = &v->in->comps[idx];
	pages = size ? (size + PV_PAGE_MASK) / PV_PAGE_SIZE : 1;
	if (src != c->addr)
		vfail(v, VP_STAGE3B, PV_REGION_STAGE3B_ARGS,
		      "%s address 0x%llx is not the component address 0x%llx",
		      what, HX(src), HX(c->addr));
	else if (pages * PV_PAGE_SIZE != c->len)
		vfail(v, VP_STAGE3B, PV_REGION_STAGE3B_ARGS,
		      "%s size %llu does not fill the %llu-byte component",
		      what, HX(size), HX(c->len));
}

int vcheck_stage3b(struct vctx *v, struct pv_err **err)
{
	struct pv_verify_report *rep = v->rep;
	struct pv_stage3b_parms *p = &rep->stage3b;
	size_t at;
	int rc;

	if (!v->s3b || v->kernel < 0)
		return 0;
	compare_s3b(v);
	if (v->s3b_len < PV_STAGE3B_PARMS_SIZE || !locate_s3b_parms(v, &at)) {
		vfail(v, VP_STAGE3B, PV_REGION_STAGE3B_ARGS,
		      "parameter block not found in the decrypted stage3b");
		return 0;
	}
	pv_stage3b_parms_unpack(v->s3b + at, p);
	rep->have_stage3b = true;
	check_arg_comp(v, v->kernel, "kernel", p->kernel_src, p->kernel_size);
	check_arg_comp(v, v->cmdline, "cmdline", p->cmdline_src,
		       p->cmdline_size);
	check_arg_comp(v, v->initrd, "initrd", p->initrd_src, p->initrd_size);
	/* §3.4: what stage3b itself refuses at boot */
	if (p->kernel_size < PV_IMAGE_ENTRY)
		vfail(v, VP_STAGE3B, PV_REGION_STAGE3B_ARGS,
		      "kernel size %llu is below 0x10000; stage3b refuses such a kernel",
		      HX(p->kernel_size));
	if (p->psw_mask != PV_PSW_MASK_64)
		vfail(v, VP_STAGE3B, PV_REGION_STAGE3B_ARGS,
		      "kernel PSW mask 0x%016llx is not 0x%016llx",
		      HX(p->psw_mask), HX(PV_PSW_MASK_64));
	if (p->psw_addr != PV_IMAGE_ENTRY)
		vnote(v, "kernel entry 0x%llx is not 0x10000",
		      HX(p->psw_addr));
	if (v->cmdline >= 0 && p->cmdline_size &&
	    p->cmdline_src == v->in->comps[v->cmdline].addr &&
	    p->cmdline_size <= v->in->comps[v->cmdline].len) {
		uint8_t page[PV_PAGE_SIZE];
		uint64_t last = p->cmdline_size - 1;

		rc = vread_page(v, v->cmdline, last & ~PV_PAGE_MASK, page,
				err);
		if (rc)
			return rc;
		/* the block is fine, the cmdline page itself changed */
		if (page[last & PV_PAGE_MASK])
			vfail_page(v, VP_COMP, v->cmdline, last / PV_PAGE_SIZE,
				   "the command line does not end with a NUL byte");
		pv_cleanse(page, sizeof(page));
	}
	/* sizes against the inputs the caller gave */
	for (int k = 0; k < PV_INPUT_KINDS; k++) {
		uint64_t size = k == PV_COMP_KERNEL ? p->kernel_size :
				k == PV_COMP_INITRD ? p->initrd_size :
						      p->cmdline_size;

		if (v->input_used[k] && v->input_size[k] != size)
			vfail(v, VP_STAGE3B, PV_REGION_STAGE3B_ARGS,
			      "%s size %llu differs from the input (%llu bytes)",
			      pv_comp_kind_name(k), HX(size),
			      HX(v->input_size[k]));
	}
	return 0;
}
