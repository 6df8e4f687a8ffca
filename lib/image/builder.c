// SPDX-License-Identifier: MIT
/*
 * The image builder object: inputs, host keys, user keys, flags, loaders.
 * The streaming work itself is in build.c.
 */
#include <stdlib.h>
#include <string.h>

#include "image_priv.h"

int pv_builder_new(enum pv_layout layout, struct pv_builder **out,
		   struct pv_err **err)
{
	struct pv_builder *b;

	*out = NULL;
	if (layout != PV_LAYOUT_R && layout != PV_LAYOUT_C)
		return pv_err_set(err, PV_ERR_INVAL, "unknown image layout %d",
				  (int)layout);
	b = calloc(1, sizeof(*b));
	if (!b)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory for the builder");
	b->layout = layout;
	/* se-image-format.md §5.3: PCF default 0xE0 (PCKMO), SCF 0 */
	b->pcf = PV_PCF_DEFAULT;
	b->scf = 0;
	b->check = true;
	b->chunk = PV_IMAGE_CHUNK;
	for (int i = 0; i < PV_INPUT_KINDS; i++)
		b->in[i].fd = -1;
	*out = b;
	return 0;
}

static void input_clear(struct build_input *in)
{
	free(in->path);
	free(in->name);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
}

void pv_builder_free(struct pv_builder *b)
{
	if (!b)
		return;
	for (int i = 0; i < PV_INPUT_KINDS; i++)
		input_clear(&b->in[i]);
	free(b->out_name);
	pv_cleanse(b, sizeof(*b));	/* HPK, XK, CCK */
	free(b);
}

static int input_kind_ok(enum pv_comp_kind kind, struct pv_err **err)
{
	if ((unsigned int)kind >= PV_INPUT_KINDS)
		return pv_err_set(err, PV_ERR_INVAL,
				  "component %s cannot be given as an input",
				  pv_comp_kind_name(kind));
	return 0;
}

int pv_builder_set_input_path(struct pv_builder *b, enum pv_comp_kind kind,
			      const char *path, struct pv_err **err)
{
	struct build_input *in;
	int rc = input_kind_ok(kind, err);

	if (rc)
		return rc;
	if (!path || !*path)
		return pv_err_set(err, PV_ERR_INVAL, "empty path for the %s",
				  pv_comp_kind_name(kind));
	in = &b->in[kind];
	input_clear(in);
	in->path = strdup(path);
	in->name = strdup(path);
	if (!in->path || !in->name) {
		input_clear(in);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	in->set = true;
	return 0;
}

int pv_builder_set_input_fd(struct pv_builder *b, enum pv_comp_kind kind,
			    int fd, const char *name, struct pv_err **err)
{
	struct build_input *in;
	int rc = input_kind_ok(kind, err);

	if (rc)
		return rc;
	if (fd < 0)
		return pv_err_set(err, PV_ERR_INVAL, "invalid fd %d for the %s",
				  fd, pv_comp_kind_name(kind));
	in = &b->in[kind];
	input_clear(in);
	in->name = strdup(name ? name : pv_comp_kind_name(kind));
	if (!in->name)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	in->fd = fd;
	in->set = true;
	return 0;
}

int pv_builder_add_host_key(struct pv_builder *b, const struct pv_eckey *hk,
			    struct pv_err **err)
{
	if (!hk)
		return pv_err_set(err, PV_ERR_INVAL, "no host key given");
	/* se-image-format.md §5.2: 8192-byte header, at most 95 slots */
	if (b->nhks >= PV_SEHDR_MAX_KEYSLOTS)
		return pv_err_set(err, PV_ERR_RANGE,
				  "host key %zu is one too many: an SE header holds at most %u key slots (8192 bytes)",
				  b->nhks + 1, PV_SEHDR_MAX_KEYSLOTS);
	b->hks[b->nhks++] = hk;
	return 0;
}

int pv_builder_set_host_key_source(struct pv_builder *b, size_t count,
				   pv_host_key_fn fn, void *opaque,
				   struct pv_err **err)
{
	if (!fn || !count)
		return pv_err_set(err, PV_ERR_INVAL,
				  "a host-key source needs a function and a count");
	if (count > PV_SEHDR_MAX_KEYSLOTS - b->nhks)
		return pv_err_set(err, PV_ERR_RANGE,
				  "%zu host keys are too many: an SE header holds at most %u key slots (8192 bytes)",
				  b->nhks + count, PV_SEHDR_MAX_KEYSLOTS);
	b->hk_fn = fn;
	b->hk_opaque = opaque;
	b->hk_count = count;
	return 0;
}

int pv_builder_set_key(struct pv_builder *b, enum pv_build_key which,
		       const uint8_t *key, size_t len, struct pv_err **err)
{
	uint8_t *dst;
	bool *have;
	size_t need;
	const char *what;

	switch (which) {
	case PV_KEY_HPK:
		dst = b->hpk, need = PV_HPK_LEN, have = &b->have_hpk;
		what = "header protection key";
		break;
	case PV_KEY_XK:
		dst = b->xk, need = PV_XK_LEN, have = &b->have_xk;
		what = "image key";
		break;
	case PV_KEY_CCK:
		dst = b->cck, need = PV_CCK_LEN, have = &b->have_cck;
		what = "customer communication key";
		break;
	default:
		return pv_err_set(err, PV_ERR_INVAL, "unknown key kind %d",
				  (int)which);
	}
	/* se-image-format.md §6.1: key files must have the exact size */
	if (!key || len != need)
		return pv_err_set(err, PV_ERR_KEY,
				  "%s must be exactly %zu bytes, got %zu", what,
				  need, key ? len : 0);
	if (which == PV_KEY_XK && !memcmp(key, key + 32, 32))
		return pv_err_set(err, PV_ERR_KEY,
				  "image key halves are equal; AES-XTS needs two different 32-byte keys");
	memcpy(dst, key, need);
	*have = true;
	return 0;
}

void pv_builder_set_rng(struct pv_builder *b, struct pv_rng *rng)
{
	b->rng = rng;
}

void pv_builder_set_flags(struct pv_builder *b, uint64_t pcf, uint64_t scf)
{
	b->pcf = pcf;
	b->scf = scf;
}

void pv_builder_set_psw_addr(struct pv_builder *b, uint64_t addr)
{
	b->psw_set = true;
	b->psw_addr = addr;
}

void pv_builder_set_component_check(struct pv_builder *b, bool on)
{
	b->check = on;
}

int pv_builder_set_loaders(struct pv_builder *b, const uint8_t *stage3a,
			   size_t stage3a_len, const uint8_t *stage3b,
			   size_t stage3b_len, struct pv_err **err)
{
	if (!stage3a || stage3a_len <= PV_STAGE3A_PARMS_SIZE ||
	    stage3a_len > PV_IMAGE_MAX_LOADER)
		return pv_err_set(err, PV_ERR_INVAL,
				  "stage3a loader has %zu bytes; it needs more than %u (its parameter block) and at most %u",
				  stage3a ? stage3a_len : 0,
				  PV_STAGE3A_PARMS_SIZE, PV_IMAGE_MAX_LOADER);
	if (!stage3b || stage3b_len <= PV_STAGE3B_PARMS_SIZE ||
	    stage3b_len > PV_IMAGE_MAX_LOADER)
		return pv_err_set(err, PV_ERR_INVAL,
				  "stage3b loader has %zu bytes; it needs more than %u (its parameter block) and at most %u",
				  stage3b ? stage3b_len : 0,
				  PV_STAGE3B_PARMS_SIZE, PV_IMAGE_MAX_LOADER);
	b->s3a = stage3a;
	b->s3a_len = stage3a_len;
	b->s3b = stage3b;
	b->s3b_len = stage3b_len;
	return 0;
}

void pv_builder_set_progress(struct pv_builder *b, pv_progress_fn fn,
			     void *opaque)
{
	b->progress = fn;
	b->progress_opaque = opaque;
}

int pv_builder_set_chunk_size(struct pv_builder *b, size_t size,
			      struct pv_err **err)
{
	if (size < PV_IMAGE_CHUNK_MIN || size % PV_PAGE_SIZE ||
	    size > (size_t)256 * 1024 * 1024)
		return pv_err_set(err, PV_ERR_INVAL,
				  "chunk size %zu: need a multiple of 4096 between %d and 256 MiB",
				  size, PV_IMAGE_CHUNK_MIN);
	b->chunk = size;
	return 0;
}

int pv_builder_set_output_name(struct pv_builder *b, const char *name,
			       struct pv_err **err)
{
	char *copy = name ? strdup(name) : NULL;

	if (name && !copy)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	free(b->out_name);
	b->out_name = copy;
	return 0;
}

void pv_builder_set_customer_key(struct pv_builder *b,
				 const struct pv_eckey *ck)
{
	b->ck_fixed = ck;
}

void pv_builder_set_header_iv(struct pv_builder *b,
			      const uint8_t iv[PV_GCM_IV_LEN])
{
	memcpy(b->iv, iv, PV_GCM_IV_LEN);
	b->have_iv = true;
}
