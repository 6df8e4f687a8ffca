// SPDX-License-Identifier: MIT
/*
 * Tamper campaign, part 1: find the regions of an image and decide which
 * bits to flip and what each flip is allowed to do.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pvboot/be.h"
#include "pvboot/image.h"

#include "campaign.h"

#define TP_DEFAULT_COMP_FLIPS 3000
#define TP_DEFAULT_PAD_FLIPS 512

static void tp_note(struct tp_campaign *c, const char *text)
{
	if (c->nnotes < (int)(sizeof(c->notes) / sizeof(c->notes[0])))
		snprintf(c->notes[c->nnotes++], sizeof(c->notes[0]), "%s",
			 text);
}

static int tp_add_field(struct tp_campaign *c, enum tp_region region,
			const char *name, uint64_t off, uint64_t len,
			enum tp_expect expect, struct pv_err **err)
{
	struct tp_field *f;

	if (off > c->image_len || len > c->image_len - off)
		return pv_err_set(err, PV_ERR_RANGE,
				  "%s field %s at 0x%llx (%llu bytes) lies outside the %zu-byte image",
				  tp_region_name(region), name,
				  (unsigned long long)off,
				  (unsigned long long)len, c->image_len);
	if (c->nfields == c->fields_cap) {
		size_t cap = c->fields_cap ? 2 * c->fields_cap : 64;

		f = realloc(c->fields, cap * sizeof(*f));
		if (!f)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		c->fields = f;
		c->fields_cap = cap;
	}
	f = &c->fields[c->nfields++];
	memset(f, 0, sizeof(*f));
	f->region = region;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->off = off;
	f->len = len;
	f->expect = expect;
	return 0;
}

static int tp_add_flip(struct tp_campaign *c, uint32_t field, uint64_t off,
		       unsigned int bit, struct pv_err **err)
{
	struct tp_flip *p;

	if (c->nflips == c->flips_cap) {
		size_t cap = c->flips_cap ? 2 * c->flips_cap : 4096;

		p = realloc(c->flips, cap * sizeof(*p));
		if (!p)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		c->flips = p;
		c->flips_cap = cap;
	}
	p = &c->flips[c->nflips++];
	memset(p, 0, sizeof(*p));
	p->off = off;
	p->field = field;
	p->bit = (uint8_t)bit;
	return 0;
}

static bool tp_want(const struct tp_campaign *c, enum tp_region r)
{
	return !c->o.regions || (c->o.regions & (1U << r));
}

/* se-image-format.md §5.1: the fields of a version-1 header. */
static int tp_header_fields(struct tp_campaign *c,
			    const struct pv_image_info *in,
			    struct pv_err **err)
{
	static const struct {
		const char *name;
		uint32_t off, len;
	} head[] = {
		{ "magic", PV_SEHDR_OFF_MAGIC, 8 },
		{ "version", PV_SEHDR_OFF_VERSION, 4 },
		{ "phs", PV_SEHDR_OFF_PHS, 4 },
		{ "iv", PV_SEHDR_OFF_IV, 12 },
		{ "res1", PV_SEHDR_OFF_RES1, 4 },
		{ "nks", PV_SEHDR_OFF_NKS, 8 },
		{ "sea", PV_SEHDR_OFF_SEA, 8 },
		{ "nep", PV_SEHDR_OFF_NEP, 8 },
		{ "pcf", PV_SEHDR_OFF_PCF, 8 },
		{ "cust-pub-x", PV_SEHDR_OFF_CUSTPUB, PV_EC_COORD_LEN },
		{ "cust-pub-y", PV_SEHDR_OFF_CUSTPUB + PV_EC_COORD_LEN,
		  PV_EC_COORD_LEN },
		{ "pld", PV_SEHDR_OFF_PLD, PV_SHA512_LEN },
		{ "ald", PV_SEHDR_OFF_ALD, PV_SHA512_LEN },
		{ "tld", PV_SEHDR_OFF_TLD, PV_SHA512_LEN },
	};
	const struct pv_sehdr *h = in->hdr;
	uint64_t base = c->hdr_addr, e;
	char name[24];
	int rc;

	/* a header that does not parse is flipped as one field */
	if (!h || h->phs != c->hdr_len)
		return tp_add_field(c, TP_HEADER, "header", base, c->hdr_len,
				    TP_MUST_REFUSE, err);
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
		rc = tp_add_field(c, TP_HEADER, head[i].name,
				  base + head[i].off, head[i].len,
				  TP_MUST_REFUSE, err);
		if (rc)
			return rc;
	}
	for (uint64_t k = 0; k < h->nks && k < PV_SEHDR_MAX_KEYSLOTS; k++) {
		uint64_t s = base + PV_SEHDR_OFF_SLOTS + PV_KEYSLOT_LEN * k;

		snprintf(name, sizeof(name), "slot%u.phkh", (unsigned int)k);
		rc = tp_add_field(c, TP_HEADER, name, s, 32, TP_MUST_REFUSE,
				  err);
		snprintf(name, sizeof(name), "slot%u.wrpk", (unsigned int)k);
		rc = rc ? rc : tp_add_field(c, TP_HEADER, name, s + 32, 32,
					    TP_MUST_REFUSE, err);
		snprintf(name, sizeof(name), "slot%u.kst", (unsigned int)k);
		rc = rc ? rc : tp_add_field(c, TP_HEADER, name, s + 64, 16,
					    TP_MUST_REFUSE, err);
		if (rc)
			return rc;
	}
	e = pv_sehdr_enc_offset(h);
	rc = tp_add_field(c, TP_HEADER, "encrypted", base + e, h->sea,
			  TP_MUST_REFUSE, err);
	return rc ? rc : tp_add_field(c, TP_HEADER, "tag",
				      base + c->hdr_len - PV_GCM_TAG_LEN,
				      PV_GCM_TAG_LEN, TP_MUST_REFUSE, err);
}

/*
 * pv-machine-and-uv.md §2.4 and se-image-format.md §4: which IPIB fields
 * the hypervisor validates (rules 1-9), which the UV covers through the
 * digests (component entries), which stage3a rewrites and which nobody
 * reads.
 */
static int tp_ipib_fields(struct tp_campaign *c, struct pv_err **err)
{
	static const struct {
		const char *name;
		uint32_t off, len;
		enum tp_expect expect;
	} fixed[] = {
		{ "len", 0x00, 4, TP_RANGE },
		{ "flags", 0x04, 1, TP_IGNORED },
		{ "reserved-05", 0x05, 2, TP_IGNORED },
		{ "version", 0x07, 1, TP_IGNORED },
		{ "blk0_len", 0x08, 4, TP_IGNORED },
		{ "pbt", 0x0c, 1, TP_MUST_REFUSE },
		{ "blk-flags", 0x0d, 1, TP_IGNORED },
		{ "reserved-0e", 0x0e, 2, TP_IGNORED },
		{ "loadparm", 0x10, 8, TP_IGNORED },
		{ "reserved-18", 0x18, 87, TP_IGNORED },
		{ "pv-version", 0x6f, 1, TP_IGNORED },
		{ "reserved-70", 0x70, 4, TP_IGNORED },
		{ "num_comp", 0x74, 4, TP_MUST_REFUSE },
		{ "pv_hdr_addr", 0x78, 8, TP_OVERWRITTEN },
		{ "pv_hdr_len", 0x80, 8, TP_OVERWRITTEN },
	};
	uint64_t base = c->ipib_addr, end;
	char name[24];
	int rc;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		rc = tp_add_field(c, TP_IPIB, fixed[i].name,
				  base + fixed[i].off, fixed[i].len,
				  fixed[i].expect, err);
		if (rc)
			return rc;
	}
	for (uint32_t i = 0; i < c->ncomps; i++) {
		uint64_t e = base + PV_IPIB_OFF_COMPS + PV_IPIB_PV_COMP * i;

		snprintf(name, sizeof(name), "comp%u.tweak", i);
		rc = tp_add_field(c, TP_IPIB, name, e, 8, TP_MUST_REFUSE,
				  err);
		snprintf(name, sizeof(name), "comp%u.addr", i);
		rc = rc ? rc : tp_add_field(c, TP_IPIB, name, e + 8, 8,
					    TP_MUST_REFUSE, err);
		snprintf(name, sizeof(name), "comp%u.size", i);
		rc = rc ? rc : tp_add_field(c, TP_IPIB, name, e + 16, 8,
					    TP_MUST_REFUSE, err);
		if (rc)
			return rc;
	}
	/* Layout-C: the list is 4096 bytes long, the rest is padding */
	end = PV_IPIB_PV_FIXED + (uint64_t)PV_IPIB_PV_COMP * c->ncomps;
	if (c->ipib_len > end)
		return tp_add_field(c, TP_IPIB, "padding", base + end,
				    c->ipib_len - end, TP_IGNORED, err);
	return 0;
}

/* se-image-format.md §3.3: the block's kernel address and PSW mask. */
static bool tp_find_s3b_block(const uint8_t *p, size_t len, uint64_t kaddr,
			      size_t *at)
{
	if (len < PV_STAGE3B_PARMS_SIZE)
		return false;
	for (size_t off = len - PV_STAGE3B_PARMS_SIZE + 1; off; off--) {
		if (pv_get_be64(p + off - 1) == kaddr &&
		    pv_get_be64(p + off - 1 + 0x30) == PV_PSW_MASK_64) {
			*at = off - 1;
			return true;
		}
	}
	return false;
}

/* Decrypt stage3b with the first key that opens the header. */
static void tp_locate_s3b(struct tp_campaign *c, struct pv_image *img,
			  const struct pv_image_info *in)
{
	const struct pv_image_comp *s, *k;
	struct pv_sehdr_secret sec;
	uint8_t hpk[PV_HPK_LEN], tweak[PV_TWEAK_LEN];
	struct pv_xts *x = NULL;
	struct pv_eckey *host;
	uint8_t *plain;
	bool plaintext;
	size_t at;
	int slot;

	if (in->ncomps < 2 || !in->hdr)
		return;
	k = &in->comps[0];
	s = &in->comps[in->ncomps - 1];
	if (k->kind != PV_COMP_KERNEL || s->kind != PV_COMP_STAGE3B ||
	    s->len > PV_IMAGE_MAX_LOADER || s->addr > c->image_len ||
	    s->len > c->image_len - s->addr)
		return;
	plaintext = in->hdr->pcf & PV_PCF_NO_DECRYPTION;
	plain = malloc(s->len);
	if (!plain)
		return;
	for (size_t i = 0; i < c->nkeys; i++) {
		if (pv_eckey_from_bytes(c->keys[i].data, c->keys[i].len, true,
					&host, NULL))
			continue;
		if (!pv_image_unwrap_hpk(img, host, hpk, &slot, NULL) &&
		    !pv_image_open_header(img, hpk, &sec, NULL)) {
			if (!plaintext)
				pv_xts_new(sec.xts, false, &x, NULL);
			pv_cleanse(&sec, sizeof(sec));
		}
		pv_cleanse(hpk, sizeof(hpk));
		pv_eckey_free(host);
		if (x || plaintext)
			break;
	}
	if (!x && !plaintext) {
		free(plain);
		tp_note(c, "no host key opens the SE header: the stage3b parameter block was not located");
		return;
	}
	memcpy(plain, c->image + s->addr, s->len);
	for (uint64_t off = 0; x && off < s->len; off += PV_PAGE_SIZE) {
		pv_tweak_make(s->tweak_pref, off, tweak);
		pv_xts_page(x, tweak, plain + off, plain + off, NULL);
	}
	if (tp_find_s3b_block(plain, s->len, k->addr, &at))
		c->s3b_args = s->addr + at;
	else
		tp_note(c, "the stage3b parameter block was not found in the decrypted stage3b");
	pv_free_secret(plain, s->len);
	pv_xts_free(x);
}

static int tp_stage3b_fields(struct tp_campaign *c, struct pv_err **err)
{
	static const char *const names[] = {
		"kernel_src", "kernel_size", "cmdline_src", "cmdline_size",
		"initrd_src", "initrd_size", "psw_mask", "psw_addr",
	};
	int rc;

	for (unsigned int i = 0; i < 8; i++) {
		rc = tp_add_field(c, TP_S3B_ARGS, names[i],
				  c->s3b_args + 8 * i, 8, TP_MUST_REFUSE, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int tp_stage3a_fields(struct tp_campaign *c, struct pv_err **err)
{
	static const char *const names[] = {
		"hdr_offs", "hdr_size", "ipib_offs",
	};
	int rc;

	for (unsigned int i = 0; i < 3; i++) {
		rc = tp_add_field(c, TP_S3A_PARMS, names[i],
				  c->s3a_parms + 8 * i, 8, TP_MUST_REFUSE, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* QEMU's bounds on the list length (§2.4 rules 1, 3 and 7). */
static bool tp_len_ok(const struct tp_campaign *c, uint32_t len)
{
	uint64_t min = PV_IPIB_PV_FIXED + (uint64_t)PV_IPIB_PV_COMP * c->ncomps;

	if (min < PV_IPIB_PV_MIN_LEN)
		min = PV_IPIB_PV_MIN_LEN;
	return len >= min && len <= PV_IPL_MAX_LEN;
}

/* Every bit (or one bit per byte) of every field of @region. */
static int tp_plan_all_bits(struct tp_campaign *c, enum tp_region region,
			    struct pv_err **err)
{
	uint64_t n = 0;
	int rc;

	for (size_t f = 0; f < c->nfields; f++) {
		const struct tp_field *fd = &c->fields[f];

		if (fd->region != region || !strcmp(fd->name, "padding"))
			continue;
		for (uint64_t b = 0; b < fd->len; b++, n++) {
			for (unsigned int bit = 0; bit < 8; bit++) {
				if (c->o.one_bit_per_byte && bit != n % 8)
					continue;
				rc = tp_add_flip(c, (uint32_t)f, fd->off + b,
						 bit, err);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

/* xorshift64*: a fixed, reproducible sample for a given seed. */
static uint64_t tp_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* Bit numbers already drawn (open addressing, key + 1 so 0 is empty). */
struct tp_seen {
	uint64_t *slot;
	size_t cap;
};

static bool tp_seen_add(struct tp_seen *s, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (s->cap - 1);

	while (s->slot[i]) {
		if (s->slot[i] == key + 1)
			return false;
		i = (i + 1) & (s->cap - 1);
	}
	s->slot[i] = key + 1;
	return true;
}

/* @count distinct random bits spread evenly over @fields. */
static int tp_plan_sample(struct tp_campaign *c, const uint32_t *fields,
			  size_t nf, uint64_t count, struct pv_err **err)
{
	uint64_t s = c->o.seed ? c->o.seed : 0x243F6A8885A308D3ULL;
	uint64_t bits = 0, tries = 0;
	struct tp_seen seen = { 0 };
	int rc = 0;

	for (size_t i = 0; i < nf; i++)
		bits += c->fields[fields[i]].len * 8;
	if (!nf || !count)
		return 0;
	if (count > bits)
		count = bits;
	for (seen.cap = 16; seen.cap < 2 * count; seen.cap *= 2)
		;
	seen.slot = calloc(seen.cap, sizeof(*seen.slot));
	if (!seen.slot)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	for (uint64_t n = 0; n < count && tries < 64 * count; tries++) {
		const struct tp_field *fd = &c->fields[fields[n % nf]];
		uint64_t b = tp_rand(&s) % (fd->len * 8);

		if (!tp_seen_add(&seen, (fd->off * 8 + b)))
			continue;
		rc = tp_add_flip(c, fields[n % nf], fd->off + b / 8,
				 (unsigned int)(b % 8), err);
		if (rc)
			break;
		n++;
	}
	free(seen.slot);
	return rc;
}

static int tp_plan_sampled(struct tp_campaign *c, enum tp_region region,
			   bool padding, uint64_t count, struct pv_err **err)
{
	uint32_t *idx = calloc(c->nfields ? c->nfields : 1, sizeof(*idx));
	size_t n = 0;
	int rc;

	if (!idx)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	for (size_t f = 0; f < c->nfields; f++)
		if (c->fields[f].region == region &&
		    padding == !strcmp(c->fields[f].name, "padding"))
			idx[n++] = (uint32_t)f;
	rc = tp_plan_sample(c, idx, n, count, err);
	free(idx);
	return rc;
}

static void tp_plan_ranges(struct tp_campaign *c)
{
	for (size_t i = 0; i < c->nflips; i++) {
		struct tp_flip *p = &c->flips[i];
		const struct tp_field *f = &c->fields[p->field];
		uint32_t v;

		if (f->expect != TP_RANGE)
			continue;
		/* the IPIB list length is the only ranged field (§2.4) */
		v = pv_get_be32(c->image + f->off);
		v ^= 1U << (8 * (f->off + f->len - 1 - p->off) + 7 - p->bit);
		p->want_boot = tp_len_ok(c, v);
	}
}

static int tp_build_plan(struct tp_campaign *c, struct pv_err **err)
{
	uint64_t comp = c->o.comp_flips ? c->o.comp_flips :
					  TP_DEFAULT_COMP_FLIPS;
	uint64_t pad = c->o.pad_flips ? c->o.pad_flips : TP_DEFAULT_PAD_FLIPS;
	int rc = 0;

	if (c->o.one_bit_per_byte)
		pad = (pad + 7) / 8;
	if (tp_want(c, TP_HEADER))
		rc = tp_plan_all_bits(c, TP_HEADER, err);
	if (!rc && tp_want(c, TP_IPIB))
		rc = tp_plan_all_bits(c, TP_IPIB, err);
	if (!rc && tp_want(c, TP_IPIB))
		rc = tp_plan_sampled(c, TP_IPIB, true, pad, err);
	if (!rc && tp_want(c, TP_COMPONENT))
		rc = tp_plan_sampled(c, TP_COMPONENT, false, comp, err);
	if (!rc && tp_want(c, TP_S3B_ARGS))
		rc = tp_plan_all_bits(c, TP_S3B_ARGS, err);
	if (!rc && tp_want(c, TP_S3A_PARMS))
		rc = tp_plan_all_bits(c, TP_S3A_PARMS, err);
	if (rc)
		return rc;
	tp_plan_ranges(c);
	if (!c->nflips)
		return pv_err_set(err, PV_ERR_INVAL,
				  "the selected regions hold no bit to flip");
	c->out_size = c->nflips * sizeof(*c->out);
	c->out = mmap(NULL, c->out_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c->out == MAP_FAILED) {
		c->out = NULL;
		return pv_err_set(err, PV_ERR_NOMEM,
				  "cannot map %zu bytes for the results",
				  c->out_size);
	}
	return 0;
}

static int tp_regions(struct tp_campaign *c, struct pv_image *img,
		      const struct pv_image_info *in, struct pv_err **err)
{
	int rc;

	if (!in->hdr_raw)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "the image has no readable SE header: %s",
				  in->hdr_problem ? in->hdr_problem : "?");
	if (!in->ipib)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "the image has no readable IPIB: %s",
				  in->ipib_problem ? in->ipib_problem : "?");
	c->layout = in->layout == PV_LAYOUT_C ? 'c' : 'r';
	c->hdr_addr = in->hdr_addr;
	c->hdr_len = in->hdr_raw_len;
	c->ipib_addr = in->ipib_addr;
	c->ipib_len = in->ipib->len < in->ipib_raw_len ? in->ipib->len :
							 in->ipib_raw_len;
	c->ncomps = (uint32_t)in->ncomps;
	if (in->has_stage3a_parms)
		c->s3a_parms = in->stage3a_parms_addr;
	else
		tp_note(c, "the stage3a parameter block was not found");
	tp_locate_s3b(c, img, in);
	rc = tp_header_fields(c, in, err);
	if (!rc)
		rc = tp_ipib_fields(c, err);
	for (size_t i = 0; !rc && i < in->ncomps; i++)
		rc = tp_add_field(c, TP_COMPONENT,
				  pv_comp_kind_name(in->comps[i].kind),
				  in->comps[i].addr, in->comps[i].len,
				  TP_MUST_REFUSE, err);
	if (!rc && c->s3b_args)
		rc = tp_stage3b_fields(c, err);
	if (!rc && c->s3a_parms)
		rc = tp_stage3a_fields(c, err);
	return rc;
}

int tp_campaign_init(struct tp_campaign *c, const uint8_t *image,
		     size_t image_len, const struct pv_machine_key *keys,
		     size_t nkeys, const struct tp_opts *o,
		     struct pv_err **err)
{
	struct pv_image *img = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	c->image = image;
	c->image_len = image_len;
	c->keys = keys;
	c->nkeys = nkeys;
	c->o = *o;
	if (!c->o.jobs)
		c->o.jobs = 2;
	if (!(c->o.timeout > 0))
		c->o.timeout = 30;
	rc = pv_image_open_mem(image, image_len, &img, err);
	if (rc)
		return rc;
	rc = tp_regions(c, img, pv_image_get_info(img), err);
	pv_image_close(img);
	if (!rc)
		rc = tp_build_plan(c, err);
	if (rc)
		tp_campaign_free(c);
	return rc;
}

void tp_campaign_free(struct tp_campaign *c)
{
	free(c->fields);
	free(c->flips);
	if (c->out)
		munmap(c->out, c->out_size);
	c->fields = NULL;
	c->flips = NULL;
	c->out = NULL;
	c->nfields = c->nflips = 0;
}
