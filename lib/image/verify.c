// SPDX-License-Identifier: MIT
/*
 * Offline image verification (se-image-format.md §6.9): structural checks
 * (verify_checks.c), then one streaming pass over every component that
 * recomputes PLD/ALD/TLD/nep, decrypts each page and compares it with the
 * inputs when given, then the stage3b parameter block and the digests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verify_priv.h"

#define HX(x) ((unsigned long long)(x))

/* An input file read as the builder read it: data, NUL rule, zeros. */
struct vinput {
	int fd;
	const char *name;
	bool nul_rule;
	bool eof, nul_done;
	uint8_t last;
	uint64_t total;
};

static ssize_t vinput_fill(struct vinput *p, uint8_t *buf, size_t len,
			   struct pv_err **err)
{
	size_t n = 0;

	if (!p->eof) {
		ssize_t got = read_full(p->fd, buf, len, p->name, NULL, NULL,
					err);

		if (got < 0)
			return got;
		n = (size_t)got;
		if (n)
			p->last = buf[n - 1];
		p->total += n;
		p->eof = n < len;
	}
	if (p->eof && p->nul_rule && !p->nul_done && n < len) {
		p->nul_done = true;
		if (p->total == 0 || p->last != 0) {
			buf[n++] = 0;
			p->total++;
		}
	}
	memset(buf + n, 0, len - n);
	return (ssize_t)n;
}

struct vstream {
	struct pv_digests *dig;
	struct pv_pipe *pipe;
	uint8_t *plain;
	uint8_t *inbuf;
	struct vinput inp[PV_INPUT_KINDS];
	uint64_t done, total, nep;
};

static int open_inputs(struct vctx *v, struct vstream *s, struct pv_err **err)
{
	for (int k = 0; k < PV_INPUT_KINDS; k++) {
		const char *path = v->o->inputs[k];
		bool present = false;

		s->inp[k].fd = -1;
		if (!path)
			continue;
		for (size_t i = 0; i < v->in->ncomps; i++)
			present |= v->in->comps[i].kind == (enum pv_comp_kind)k;
		if (!present) {
			vfail(v, VP_COMP, PV_REGION_COMPONENT,
			      "the image has no %s, but '%s' was given",
			      pv_comp_kind_name(k), path);
			continue;
		}
		s->inp[k].fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->inp[k].fd < 0)
			return pv_err_set(err, PV_ERR_IO,
					  "cannot open %s '%s': %s",
					  pv_comp_kind_name(k), path,
					  strerror(errno));
		s->inp[k].name = path;
		s->inp[k].nul_rule = k == PV_COMP_CMDLINE;
		if (!s->inbuf) {
			s->inbuf = aligned_alloc(PV_PAGE_SIZE, PV_IMAGE_CHUNK);
			if (!s->inbuf)
				return pv_err_set(err, PV_ERR_NOMEM,
						  "out of memory");
		}
	}
	return 0;
}

/* Compare a decrypted chunk with the same bytes of the input. */
static int compare_input(struct vctx *v, struct vstream *s, int ci,
			 struct vinput *inp, bool *differs,
			 const uint8_t *plain, uint64_t off, size_t n,
			 struct pv_err **err)
{
	ssize_t got = vinput_fill(inp, s->inbuf, n, err);

	if (got < 0)
		return (int)got;
	for (size_t o = 0; o < n; o += PV_PAGE_SIZE) {
		if (memcmp(plain + o, s->inbuf + o, PV_PAGE_SIZE)) {
			vfail_page(v, VP_COMP, ci, (off + o) / PV_PAGE_SIZE,
				   "differs from the input '%s'", inp->name);
			*differs = true;
			break;
		}
	}
	return 0;
}

static int stream_comp(struct vctx *v, struct vstream *s, int ci,
		       struct pv_err **err)
{
	const struct pv_image_comp *c = &v->in->comps[ci];
	struct vinput *inp = NULL;
	bool differs = false;
	int rc;

	if ((unsigned int)c->kind < PV_INPUT_KINDS && s->inp[c->kind].fd >= 0)
		inp = &s->inp[c->kind];
	if (ci == v->stage3b) {
		if (c->len > PV_IMAGE_MAX_LOADER + PV_PAGE_SIZE) {
			vfail(v, VP_STAGE3B, PV_REGION_STAGE3B_ARGS,
			      "stage3b component of %llu bytes is too large for a loader",
			      HX(c->len));
		} else {
			v->s3b = malloc(c->len);
			if (!v->s3b)
				return pv_err_set(err, PV_ERR_NOMEM,
						  "out of memory");
			v->s3b_len = c->len;
		}
	}
	for (uint64_t off = 0; off < c->len;) {
		size_t n = PV_IMAGE_CHUNK;
		const uint8_t *plain;
		uint8_t *buf;

		if (c->len - off < n)
			n = (size_t)(c->len - off);
		rc = pipe_get(s->pipe, &buf, err);
		if (!rc)
			rc = pv_image_read(v->img, c->addr + off, buf, n, err);
		if (!rc)
			rc = pipe_submit(s->pipe, n, err);
		for (size_t o = 0; !rc && o < n; o += PV_PAGE_SIZE) {
			uint8_t tweak[PV_TWEAK_LEN];

			/* §6.8: ALD over addresses, TLD over tweaks */
			pv_tweak_make(c->tweak_pref, off + o, tweak);
			rc = pv_digests_add_addr_tweak(s->dig,
						       c->addr + off + o,
						       tweak, err);
			if (!rc && v->encrypted)
				rc = pv_xts_page(v->xts, tweak, buf + o,
						 s->plain + o, err);
		}
		if (rc)
			return rc;
		plain = v->encrypted ? s->plain : buf;
		if (v->s3b)
			memcpy(v->s3b + off, plain, n);
		if (inp && !differs) {
			rc = compare_input(v, s, ci, inp, &differs, plain, off,
					   n, err);
			if (rc)
				return rc;
		}
		off += n;
		s->nep += n / PV_PAGE_SIZE;
		s->done += n;
		if (v->o->progress &&
		    v->o->progress(v->o->progress_opaque, s->done, s->total))
			return pv_err_set(err, PV_ERR_STATE, "cancelled");
	}
	if (inp && !differs) {
		ssize_t more = vinput_fill(inp, s->inbuf, PV_PAGE_SIZE, err);

		if (more < 0)
			return (int)more;
		if (more)
			vfail_page(v, VP_COMP, ci, c->len / PV_PAGE_SIZE - 1,
				   "the input '%s' goes on past the component's end",
				   inp->name);
		else
			v->input_used[c->kind] = true;
		v->input_size[c->kind] = inp->total;
	}
	return 0;
}

static void compare_digests(struct vctx *v, struct vstream *s)
{
	const struct pv_sehdr *h = v->in->hdr;
	struct pv_verify_report *rep = v->rep;

	/* §6.8: nep, ALD and TLD follow from the IPIB alone */
	if (rep->nep != h->nep)
		vfail(v, VP_IPIB, PV_REGION_IPIB,
		      "components hold %llu pages, the header counts %llu",
		      HX(rep->nep), HX(h->nep));
	if (memcmp(rep->ald, h->ald, PV_SHA512_LEN))
		vfail(v, VP_IPIB, PV_REGION_IPIB,
		      "address list digest (ALD) mismatch: component addresses or lengths were changed");
	if (memcmp(rep->tld, h->tld, PV_SHA512_LEN))
		vfail(v, VP_IPIB, PV_REGION_IPIB,
		      "tweak list digest (TLD) mismatch: component tweak prefixes were changed");
	if (memcmp(rep->pld, h->pld, PV_SHA512_LEN))
		vfail(v, VP_PLD, PV_REGION_COMPONENT,
		      "page list digest (PLD) mismatch: a component page was changed (give the inputs, -i/-r/-p, to find the page)");
	(void)s;
}

static int vstream(struct vctx *v, struct pv_err **err)
{
	struct vstream s;
	int rc;

	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < v->in->ncomps; i++)
		s.total += v->in->comps[i].len;
	rc = pv_digests_new(&s.dig, err);
	if (!rc)
		rc = pipe_new(s.dig, PV_IMAGE_CHUNK, &s.pipe, err);
	if (!rc) {
		s.plain = aligned_alloc(PV_PAGE_SIZE, PV_IMAGE_CHUNK);
		if (!s.plain)
			rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	if (!rc)
		rc = open_inputs(v, &s, err);
	for (size_t i = 0; !rc && i < v->in->ncomps; i++)
		rc = stream_comp(v, &s, (int)i, err);
	if (!rc)
		rc = pipe_finish(s.pipe, err);
	if (!rc)
		rc = pv_digests_final(s.dig, v->rep->pld, v->rep->ald,
				      v->rep->tld, err);
	if (!rc) {
		v->rep->nep = s.nep;
		compare_digests(v, &s);
	}
	pipe_free(s.pipe);
	pv_digests_free(s.dig);
	if (s.plain)
		pv_cleanse(s.plain, PV_IMAGE_CHUNK);
	free(s.plain);
	if (s.inbuf)
		pv_cleanse(s.inbuf, PV_IMAGE_CHUNK);
	free(s.inbuf);
	for (int k = 0; k < PV_INPUT_KINDS; k++)
		if (s.inp[k].name)
			close(s.inp[k].fd);
	return rc;
}

int pv_image_verify(struct pv_image *img, const struct pv_verify_opts *opts,
		    struct pv_verify_report *rep, struct pv_err **err)
{
	struct vctx v;
	int rc;

	memset(rep, 0, sizeof(*rep));
	rep->verified = true;
	rep->comp = -1;
	rep->slot = -1;
	rep->kind = PV_COMP__MAX;
	if (!opts || !opts->hpk == !opts->host_key)
		return pv_err_set(err, PV_ERR_INVAL,
				  "verify needs either the header protection key or the host private key");
	if (opts->host_key && !pv_eckey_has_private(opts->host_key))
		return pv_err_set(err, PV_ERR_KEY,
				  "the host key for verify must be a private key");
	memset(&v, 0, sizeof(v));
	v.img = img;
	v.in = pv_image_get_info(img);
	v.o = opts;
	v.rep = rep;
	v.best = VP__MAX;
	v.kernel = v.cmdline = v.initrd = v.stage3b = -1;

	rc = vcheck_meta(&v, err);
	if (!rc)
		rc = vcheck_header(&v, err);
	if (rc < 0)
		goto out;
	vcheck_ipib(&v);
	rc = vcheck_stage3a(&v, err);
	/* components are streamed only with an open header and sane IPIB */
	if (!rc && v.opened && v.best > VP_IPIB)
		rc = vstream(&v, err);
	if (!rc && v.opened && v.best > VP_IPIB)
		rc = vcheck_stage3b(&v, err);
out:
	pv_xts_free(v.xts);
	if (v.s3b)
		pv_free_secret(v.s3b, v.s3b_len);
	pv_cleanse(&v.sec, sizeof(v.sec));
	return rc < 0 ? rc : 0;
}
