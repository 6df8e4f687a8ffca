// SPDX-License-Identifier: MIT
/*
 * Streaming image build (se-image-format.md §2.6): keys, then the secure
 * components chunk by chunk at consecutive addresses (read, pad, encrypt,
 * ALD/TLD here, PLD on the pipeline's worker, write), then stage3b with its
 * parameter block, and last the SE header, IPIB and the image head
 * (head.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/be.h"
#include "build_priv.h"

static bool cancelled(void *opaque)
{
	struct build_ctx *c = opaque;

	return c->b->progress &&
	       c->b->progress(c->b->progress_opaque, c->done, c->total);
}

/*
 * The key job runs beside the stream, but by the KEY_JOB_LEAD-th chunk it
 * must have ended: that bounds how much is streamed before a refused
 * host-key document stops the build, on a loaded machine too (the job's
 * thread may get no CPU for a long while).  A full chain check takes
 * 6-11 ms on the benchmark machine, less than 16 MiB of the stream.
 */
#define KEY_JOB_LEAD 16

static int tick(struct build_ctx *c, uint64_t n, struct pv_err **err)
{
	c->done += n;
	if (++c->chunks == KEY_JOB_LEAD)
		key_job_wait(&c->kj);
	if (cancelled(c))
		return pv_err_set(err, PV_ERR_STATE, "cancelled");
	/* run() reports the key job's own error */
	if (key_job_failed(&c->kj))
		return pv_err_set(err, PV_ERR_STATE, "the key job failed");
	return 0;
}

static const char *input_what(enum pv_comp_kind kind)
{
	return kind == PV_COMP_CMDLINE ? "parmfile" : pv_comp_kind_name(kind);
}

static int open_inputs(struct build_ctx *c, struct pv_err **err)
{
	struct pv_builder *b = c->b;

	for (int k = 0; k < PV_INPUT_KINDS; k++) {
		struct build_input *in = &b->in[k];
		struct stat st;

		c->fds[k] = -1;
		if (!in->set)
			continue;
		if (!in->path) {
			c->fds[k] = in->fd;
		} else {
			c->fds[k] = open(in->path, O_RDONLY | O_CLOEXEC);
			if (c->fds[k] < 0)
				return pv_err_set(err, PV_ERR_IO,
						  "cannot open %s '%s': %s",
						  input_what(k), in->path,
						  strerror(errno));
			c->own_fd[k] = true;
		}
		if (fstat(c->fds[k], &st))
			return pv_err_set(err, PV_ERR_IO, "%s '%s': %s",
					  input_what(k), in->name,
					  strerror(errno));
		if (S_ISDIR(st.st_mode))
			return pv_err_set(err, PV_ERR_IO,
					  "%s '%s' is a directory",
					  input_what(k), in->name);
		if (S_ISREG(st.st_mode)) {
			c->total += (uint64_t)st.st_size;
			posix_fadvise(c->fds[k], 0, 0, POSIX_FADV_SEQUENTIAL);
		}
	}
	c->total += b->s3b_len;
	return 0;
}

static int gen(struct build_ctx *c, const char *label, uint8_t *buf,
	       size_t len, struct pv_err **err)
{
	return pv_rng_bytes(c->rng, label, buf, len, err);
}

/* se-image-format.md §6.1: every random value of the image */
static int setup_rng(struct build_ctx *c, struct pv_err **err)
{
	int rc;

	c->rng = c->b->rng;
	if (!c->rng) {
		rc = pv_rng_new_system(&c->own_rng, err);
		if (rc)
			return rc;
		c->rng = c->own_rng;
	}
	return 0;
}

static int setup_keys(struct build_ctx *c, struct pv_err **err)
{
	struct pv_builder *b = c->b;
	int rc;

	if (b->have_xk)
		memcpy(c->xk, b->xk, sizeof(c->xk));
	else if ((rc = gen(c, "image-key", c->xk, sizeof(c->xk), err)))
		return rc;
	if (b->have_cck)
		memcpy(c->cck, b->cck, sizeof(c->cck));
	else if ((rc = gen(c, "cck", c->cck, sizeof(c->cck), err)))
		return rc;
	if (b->have_hpk)
		memcpy(c->hpk, b->hpk, sizeof(c->hpk));
	else if ((rc = gen(c, "header-key", c->hpk, sizeof(c->hpk), err)))
		return rc;
	if (b->have_iv)
		memcpy(c->iv, b->iv, sizeof(c->iv));
	else if ((rc = gen(c, "header-iv", c->iv, sizeof(c->iv), err)))
		return rc;
	if (!(b->pcf & PV_PCF_NO_DECRYPTION)) {
		rc = pv_xts_new(c->xk, true, &c->xts, err);
		if (rc)
			return pv_err_prefix(err, "image key: ");
	}
	return 0;
}

static int make_tweak_prefix(struct build_ctx *c, struct pv_image_comp *comp,
			     struct pv_err **err)
{
	uint16_t id = pv_comp_tweak_id(c->b->layout, comp->kind);
	char label[32];
	uint8_t rnd[6];
	int rc;

	/* §6.7: prefix8 = BE16(component id) || 6 random bytes */
	snprintf(label, sizeof(label), "tweak/%u", id);
	rc = gen(c, label, rnd, sizeof(rnd), err);
	if (rc)
		return rc;
	comp->tweak_pref = pv_tweak_prefix(id, rnd);
	return 0;
}

/*
 * Pad @n bytes in @buf to whole pages (one zero page for nothing),
 * encrypt each page as one XTS data unit, feed ALD/TLD, hand the chunk to
 * the PLD worker and write it at its address.
 */
static int emit_chunk(struct build_ctx *c, struct pv_image_comp *comp,
		      uint8_t *buf, size_t n, struct pv_err **err)
{
	size_t len = n ? (size_t)pv_page_align(n) : PV_PAGE_SIZE;
	uint64_t base = comp->len;
	int rc;

	memset(buf + n, 0, len - n);
	for (size_t o = 0; o < len; o += PV_PAGE_SIZE) {
		uint8_t tweak[PV_TWEAK_LEN];

		/* §6.7: T_i = prefix8 || BE64(byte offset in the component) */
		pv_tweak_make(comp->tweak_pref, base + o, tweak);
		if (c->xts) {
			rc = pv_xts_page(c->xts, tweak, buf + o, buf + o, err);
			if (rc)
				return rc;
		}
		rc = pv_digests_add_addr_tweak(c->dig, comp->addr + base + o,
					       tweak, err);
		if (rc)
			return rc;
	}
	rc = pipe_submit(c->pipe, len, err);
	if (rc)
		return rc;
	if (c->out >= 0) {
		rc = pwrite_full(c->out, buf, len, comp->addr + base,
				 c->out_name, err);
		if (rc)
			return rc;
	}
	comp->len += len;
	c->nep += len / PV_PAGE_SIZE;
	return 0;
}

static int check_kernel(struct build_ctx *c, const uint8_t *buf, size_t n,
			struct pv_err **err)
{
	const char *name = c->b->in[PV_COMP_KERNEL].name;

	kernel_inspect(buf, n, &c->kf);
	if (c->kf.has_max_cmdline)
		c->res->max_cmdline = c->kf.max_cmdline;
	if (!c->b->check)
		return 0;
	/* pvimg kernel checks (se-image-format.md §8.2) */
	if (!n)
		return pv_err_set(err, PV_ERR_FORMAT, "kernel '%s' is empty",
				  name);
	if (c->kf.is_elf)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "kernel '%s' is an ELF file; give the raw binary s390x kernel (e.g. arch/s390/boot/image), not vmlinux",
				  name);
	if (!c->kf.has_s390ep)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "kernel '%s' has no \"S390EP\" marker at 0x10008: not a raw s390x Linux kernel (use --no-component-check to build anyway)",
				  name);
	if (!c->kf.has_max_cmdline)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "kernel '%s' is %zu bytes, too short to hold the command line size at 0x10430",
				  name, n);
	return 0;
}

static int stream_input(struct build_ctx *c, struct pv_image_comp *comp,
			struct pv_err **err)
{
	enum pv_comp_kind kind = comp->kind;
	struct build_input *in = &c->b->in[kind];
	bool nul_rule = kind == PV_COMP_CMDLINE;
	uint64_t total = 0;
	uint8_t last = 0;
	bool first = true;
	int rc;

	for (;;) {
		uint8_t *buf;
		ssize_t got;
		size_t n;
		bool eof;

		rc = pipe_get(c->pipe, &buf, err);
		if (rc)
			return rc;
		got = read_full(c->fds[kind], buf, c->b->chunk, in->name,
				cancelled, c, err);
		if (got < 0)
			return (int)got;
		n = (size_t)got;
		eof = n < c->b->chunk;
		if (first && kind == PV_COMP_KERNEL) {
			rc = check_kernel(c, buf, n, err);
			if (rc)
				return rc;
		}
		if (n)
			last = buf[n - 1];
		total += n;
		/* §10 item 7, pvimg rule: add a NUL only if it is missing */
		if (eof && nul_rule && (total == 0 || last != 0)) {
			buf[n++] = 0;
			total++;
		}
		if (!n && !first)
			break;	/* the input ended on a chunk boundary */
		rc = emit_chunk(c, comp, buf, n, err);
		if (rc)
			return rc;
		first = false;
		rc = tick(c, n, err);
		if (rc)
			return rc;
		if (eof)
			break;
	}
	comp->orig_size = total;
	if (kind == PV_COMP_CMDLINE && c->b->check && c->kf.has_max_cmdline &&
	    total > c->kf.max_cmdline)
		return pv_err_set(err, PV_ERR_RANGE,
				  "kernel command line '%s' has %llu bytes with its terminating NUL; the kernel accepts at most %llu (value at 0x10430)",
				  in->name, (unsigned long long)total,
				  (unsigned long long)c->kf.max_cmdline);
	return 0;
}

static struct pv_image_comp *find_comp(struct pv_build_result *res,
				       enum pv_comp_kind kind)
{
	for (size_t i = 0; i < res->ncomps; i++)
		if (res->comps[i].kind == kind)
			return &res->comps[i];
	return NULL;
}

/* §2.6 step 4: the stage3b parameter block needs the other components */
static int emit_stage3b(struct build_ctx *c, struct pv_image_comp *comp,
			struct pv_err **err)
{
	struct pv_build_result *res = c->res;
	struct pv_image_comp *k = find_comp(res, PV_COMP_KERNEL);
	struct pv_image_comp *cl = find_comp(res, PV_COMP_CMDLINE);
	struct pv_image_comp *rd = find_comp(res, PV_COMP_INITRD);
	struct pv_stage3b_parms p = { 0 };
	size_t n = c->b->s3b_len;
	uint8_t *buf;
	int rc;

	rc = pipe_get(c->pipe, &buf, err);
	if (rc)
		return rc;
	memcpy(buf, c->b->s3b, n);
	/* §3.3: kernel entry stays 0x10000 (--x-psw moves the header PSW) */
	p.kernel_src = k->addr;
	p.kernel_size = k->orig_size;
	if (cl) {
		p.cmdline_src = cl->addr;
		p.cmdline_size = cl->orig_size;
	}
	if (rd) {
		p.initrd_src = rd->addr;
		p.initrd_size = rd->orig_size;
	}
	p.psw_mask = PV_PSW_MASK_64;
	p.psw_addr = PV_IMAGE_ENTRY;
	pv_stage3b_parms_pack(&p, buf + n - PV_STAGE3B_PARMS_SIZE);
	rc = emit_chunk(c, comp, buf, n, err);
	if (rc)
		return rc;
	comp->orig_size = n;
	return tick(c, n, err);
}

static int stream_components(struct build_ctx *c, struct pv_err **err)
{
	static const enum pv_comp_kind order_r[] = {
		PV_COMP_KERNEL, PV_COMP_INITRD, PV_COMP_CMDLINE, PV_COMP_STAGE3B
	};
	static const enum pv_comp_kind order_c[] = {
		PV_COMP_KERNEL, PV_COMP_CMDLINE, PV_COMP_INITRD, PV_COMP_STAGE3B
	};
	/* §2.2 / §2.3: component order differs between the layouts */
	const enum pv_comp_kind *order =
		c->b->layout == PV_LAYOUT_C ? order_c : order_r;
	struct pv_build_result *res = c->res;
	uint64_t addr = c->plan.comp0;
	int rc;

	for (int i = 0; i < PV_COMP__MAX; i++) {
		enum pv_comp_kind kind = order[i];
		struct pv_image_comp *comp;

		if (kind != PV_COMP_STAGE3B && !c->b->in[kind].set)
			continue;
		comp = &res->comps[res->ncomps++];
		comp->kind = kind;
		comp->addr = addr;
		rc = make_tweak_prefix(c, comp, err);
		if (rc)
			return rc;
		if (kind == PV_COMP_STAGE3B)
			rc = emit_stage3b(c, comp, err);
		else
			rc = stream_input(c, comp, err);
		if (rc)
			return rc;
		addr = comp->addr + comp->len;
	}
	c->next_addr = addr;
	return 0;
}

static int finish(struct build_ctx *c, struct pv_err **err)
{
	struct pv_builder *b = c->b;
	struct pv_build_result *res = c->res;
	struct pv_sehdr *hdr = NULL;
	int rc = 0;

	/* the key job ran while the components streamed */
	rc = key_job_finish(&c->kj, err);
	if (!rc)
		rc = pipe_finish(c->pipe, err);
	if (!rc)
		rc = pv_digests_final(c->dig, res->pld, res->ald, res->tld,
				      err);
	if (rc)
		return rc;
	res->nep = c->nep;
	res->psw_addr = b->psw_set ? b->psw_addr :
				     res->comps[res->ncomps - 1].addr;
	res->hdr_addr = c->plan.hdr_addr;
	res->hdr_size = c->plan.phs;
	res->stage3a_parms_addr = c->plan.parms_addr;
	if (b->layout == PV_LAYOUT_C) {
		res->ipib_addr = c->plan.ipib_addr;
		res->ipib_len = PV_IPL_MAX_LEN;
		res->file_size = c->next_addr;
	} else {
		/* §2.3 step 5: IPIB at the next page, exact size, last */
		res->ipib_addr = c->next_addr;
		res->ipib_len =
			(uint32_t)pv_ipib_pv_size((uint32_t)res->ncomps);
		res->file_size = res->ipib_addr + res->ipib_len;
	}
	if (b->nhks) {
		rc = head_seal(c, &hdr, err);
		if (rc)
			return rc;
	}
	if (c->out >= 0)
		rc = head_write(c, hdr, err);
	pv_sehdr_free(hdr);
	return rc;
}

static void ctx_release(struct build_ctx *c)
{
	key_job_release(&c->kj);	/* first: it reads the rng and HPK */
	pipe_free(c->pipe);
	pv_digests_free(c->dig);
	pv_xts_free(c->xts);
	pv_rng_free(c->own_rng);
	for (int k = 0; k < PV_INPUT_KINDS; k++)
		if (c->own_fd[k])
			close(c->fds[k]);
	pv_cleanse(c->hpk, sizeof(c->hpk));
	pv_cleanse(c->xk, sizeof(c->xk));
	pv_cleanse(c->cck, sizeof(c->cck));
}

/*
 * After a failure: when the key job failed too, its error is the one to
 * report (a bad host-key document used to stop the build before it began).
 */
static int key_error_first(struct build_ctx *c, int rc, struct pv_err **err)
{
	struct pv_err *kerr = NULL;
	int krc;

	key_job_cancel(&c->kj);	/* it may wait for the HPK */
	krc = key_job_finish(&c->kj, &kerr);
	/* no error of its own, or finish() has reported it already */
	if (!krc || !kerr || c->kj.cancelled_early) {
		pv_err_free(kerr);
		return rc;
	}
	if (err) {
		pv_err_free(*err);
		*err = kerr;
	} else {
		pv_err_free(kerr);
	}
	return krc;
}

static int run(struct pv_builder *b, int out, struct pv_build_result *res,
	       struct pv_err **err)
{
	struct build_ctx c;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	c.b = b;
	c.out = out;
	if (b->out_name)
		snprintf(c.out_name, sizeof(c.out_name), "'%s'", b->out_name);
	else
		snprintf(c.out_name, sizeof(c.out_name), "the image");
	c.res = res;
	for (int k = 0; k < PV_INPUT_KINDS; k++)
		c.fds[k] = -1;
	res->layout = b->layout;
	res->pcf = b->pcf;
	res->scf = b->scf;
	if (!b->in[PV_COMP_KERNEL].set)
		return pv_err_set(err, PV_ERR_INVAL, "no kernel given");
	if (!b->s3a || !b->s3b)
		return pv_err_set(err, PV_ERR_STATE, "no boot loaders set");
	if (b->s3b_len > b->chunk)
		return pv_err_set(err, PV_ERR_INVAL,
				  "stage3b loader (%zu bytes) is larger than the chunk size %zu",
				  b->s3b_len, b->chunk);
	if (out >= 0 && !b->nhks && !b->hk_fn)
		return pv_err_set(err, PV_ERR_INVAL,
				  "at least one host-key document is needed");
	for (int k = 0; k < PV_INPUT_KINDS; k++)
		if (b->used && b->in[k].set && !b->in[k].path)
			return pv_err_set(err, PV_ERR_STATE,
					  "the %s fd was consumed by an earlier run",
					  input_what(k));
	b->used = true;
	/* the header's size, and so every address, needs the slot count */
	rc = image_plan_head(b->layout, b->s3a_len,
			     b->nhks + (b->hk_fn ? b->hk_count : 0), &c.plan,
			     err);
	if (!rc)
		rc = open_inputs(&c, err);
	if (!rc)
		rc = setup_rng(&c, err);
	/*
	 * The key job starts at once: while this thread sets up OpenSSL's
	 * ciphers, it reads the host keys and makes the customer key on the
	 * other CPU, which has nothing else to do before the stream begins.
	 */
	if (!rc && (b->nhks || b->hk_fn))
		key_job_start(&c.kj, b, c.rng, c.hpk);
	if (!rc)
		rc = setup_keys(&c, err);
	if (!rc)
		key_job_hpk_ready(&c.kj);
	if (!rc)
		rc = pv_digests_new(&c.dig, err);
	if (!rc)
		rc = pipe_new(c.dig, b->chunk, &c.pipe, err);
	if (!rc)
		rc = stream_components(&c, err);
	if (!rc)
		rc = finish(&c, err);
	if (rc)
		rc = key_error_first(&c, rc, err);
	ctx_release(&c);
	return rc;
}

int pv_builder_write(struct pv_builder *b, int fd,
		     struct pv_build_result *res, struct pv_err **err)
{
	if (fd < 0)
		return pv_err_set(err, PV_ERR_INVAL, "invalid output fd %d", fd);
	return run(b, fd, res, err);
}

int pv_image_measure(struct pv_builder *b, struct pv_build_result *res,
		     struct pv_err **err)
{
	return run(b, -1, res, err);
}
