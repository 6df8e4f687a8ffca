// SPDX-License-Identifier: MIT
/*
 * Tamper campaign, part 4: the report (per region, per field, per rc/rrc,
 * the flips that contradict the specification) and the per-flip log.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"

#define TP_KEY_LEN 160
#define TP_MAX_LISTED 40

struct tp_key_count {
	enum tp_region region;
	char key[TP_KEY_LEN];
	size_t n;
};

struct tp_keys {
	struct tp_key_count *k;
	size_t n, cap;
};

static void tp_keys_add(struct tp_keys *ks, enum tp_region r, const char *key)
{
	struct tp_key_count *k;

	for (size_t i = 0; i < ks->n; i++) {
		if (ks->k[i].region == r && !strcmp(ks->k[i].key, key)) {
			ks->k[i].n++;
			return;
		}
	}
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? 2 * ks->cap : 32;

		k = realloc(ks->k, cap * sizeof(*k));
		if (!k)
			return;		/* the report just lists fewer keys */
		ks->k = k;
		ks->cap = cap;
	}
	k = &ks->k[ks->n++];
	k->region = r;
	snprintf(k->key, sizeof(k->key), "%s", key);
	k->n = 1;
}

static int tp_key_cmp(const void *a, const void *b)
{
	const struct tp_key_count *x = a, *y = b;

	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

static uint64_t tp_region_base(const struct tp_campaign *c, enum tp_region r)
{
	switch (r) {
	case TP_HEADER:
		return c->hdr_addr;
	case TP_IPIB:
		return c->ipib_addr;
	case TP_S3B_ARGS:
		return c->s3b_args;
	case TP_S3A_PARMS:
		return c->s3a_parms;
	default:
		return 0;
	}
}

static void tp_report_regions(const struct tp_campaign *c, FILE *f)
{
	size_t n[TP__NREGIONS][TP__NCLASSES] = { { 0 } };
	size_t total[TP__NREGIONS] = { 0 }, unexp[TP__NREGIONS] = { 0 };

	for (size_t i = 0; i < c->nflips; i++) {
		enum tp_region r = c->fields[c->flips[i].field].region;

		n[r][c->out[i].cls]++;
		total[r]++;
		unexp[r] += tp_unexpected(c, i);
	}
	fprintf(f, "\nOutcomes per region (hv/uv: refused by the hypervisor layer / the Ultravisor;\nloader: stage3a stopped; same/diff: booted protected with the baseline's\nresult / another result):\n\n");
	fprintf(f, "%-14s %6s %6s %6s %6s %7s %6s %6s %6s %5s %5s %6s\n",
		"region", "flips", "hv", "uv", "loader", "stopped", "same",
		"diff", "crash", "hung", "error", "UNEXP");
	for (int r = 0; r < TP__NREGIONS; r++) {
		if (!total[r])
			continue;
		fprintf(f, "%-14s %6zu %6zu %6zu %6zu %7zu %6zu %6zu %6zu %5zu %5zu %6zu\n",
			tp_region_name(r), total[r], n[r][TP_REFUSED_HV],
			n[r][TP_REFUSED_UV], n[r][TP_REFUSED_LOADER],
			n[r][TP_STOPPED], n[r][TP_BOOTED_SAME],
			n[r][TP_BOOTED_DIFF], n[r][TP_CRASHED], n[r][TP_HUNG],
			n[r][TP_HOST_ERROR], unexp[r]);
	}
}

static void tp_report_keys(const struct tp_campaign *c, FILE *f)
{
	struct tp_keys ks = { 0 };
	char key[TP_KEY_LEN];

	for (size_t i = 0; i < c->nflips; i++) {
		tp_outcome_key(&c->out[i], key, sizeof(key));
		tp_keys_add(&ks, c->fields[c->flips[i].field].region, key);
	}
	qsort(ks.k, ks.n, sizeof(*ks.k), tp_key_cmp);
	fprintf(f, "\nOutcomes per region and rc/rrc:\n\n");
	fprintf(f, "%-14s %6s  %s\n", "region", "flips", "outcome");
	for (size_t i = 0; i < ks.n; i++)
		fprintf(f, "%-14s %6zu  %s\n", tp_region_name(ks.k[i].region),
			ks.k[i].n, ks.k[i].key);
	free(ks.k);
}

/* The most frequent outcome of one field's flips. */
static void tp_field_top(const struct tp_campaign *c, size_t field,
			 char *top, size_t len, size_t *topn)
{
	struct tp_keys ks = { 0 };
	char key[TP_KEY_LEN];

	*topn = 0;
	top[0] = '\0';
	for (size_t i = 0; i < c->nflips; i++) {
		if (c->flips[i].field != field)
			continue;
		tp_outcome_key(&c->out[i], key, sizeof(key));
		tp_keys_add(&ks, TP_HEADER, key);
	}
	for (size_t i = 0; i < ks.n; i++) {
		if (ks.k[i].n > *topn) {
			*topn = ks.k[i].n;
			snprintf(top, len, "%s", ks.k[i].key);
		}
	}
	free(ks.k);
}

static void tp_report_fields(const struct tp_campaign *c, FILE *f)
{
	enum tp_region last = TP__NREGIONS;
	char top[TP_KEY_LEN];
	size_t topn;

	fprintf(f, "\nOutcomes per field (off: from the start of the region; expect: checked =\nmust be refused, ignored/overwritten = must boot unchanged, range = boots\nexactly when the new value is still in range):\n");
	for (size_t fi = 0; fi < c->nfields; fi++) {
		const struct tp_field *fd = &c->fields[fi];
		size_t flips = 0, refused = 0, same = 0, other = 0, unexp = 0;

		for (size_t i = 0; i < c->nflips; i++) {
			if (c->flips[i].field != fi)
				continue;
			flips++;
			if (tp_class_is_refusal(c->out[i].cls))
				refused++;
			else if (c->out[i].cls == TP_BOOTED_SAME)
				same++;
			else
				other++;
			unexp += tp_unexpected(c, i);
		}
		if (!flips)
			continue;
		if (fd->region != last) {
			last = fd->region;
			fprintf(f, "\n%s:\n%-16s %6s %6s %-11s %5s %7s %6s %5s %5s  %s\n",
				tp_region_name(fd->region), "field", "off",
				"bytes", "expect", "flips", "refused", "booted",
				"other", "UNEXP", "most frequent outcome");
		}
		tp_field_top(c, fi, top, sizeof(top), &topn);
		fprintf(f, "%-16s %6llx %6llu %-11s %5zu %7zu %6zu %5zu %5zu  %s (%zu)\n",
			fd->name,
			(unsigned long long)(fd->off -
					     tp_region_base(c, fd->region)),
			(unsigned long long)fd->len, tp_expect_name(fd->expect),
			flips, refused, same, other, unexp, top, topn);
	}
}

static void tp_report_unexpected(const struct tp_campaign *c, FILE *f,
				 size_t nunexp)
{
	char key[TP_KEY_LEN];
	size_t listed = 0;

	if (!nunexp)
		return;
	fprintf(f, "\nUnexpected outcomes (%zu; at most %d listed):\n", nunexp,
		TP_MAX_LISTED);
	for (size_t i = 0; i < c->nflips && listed < TP_MAX_LISTED; i++) {
		const struct tp_flip *p = &c->flips[i];
		const struct tp_field *fd = &c->fields[p->field];

		if (!tp_unexpected(c, i))
			continue;
		listed++;
		tp_outcome_key(&c->out[i], key, sizeof(key));
		fprintf(f, "  %s %s: byte 0x%llx bit %u (%s%s) -> %s\n",
			tp_region_name(fd->region), fd->name,
			(unsigned long long)p->off, p->bit,
			tp_expect_name(fd->expect),
			fd->expect != TP_RANGE ? "" :
			p->want_boot ? ", in range" : ", out of range",
			key);
	}
}

void tp_report(const struct tp_campaign *c, FILE *f)
{
	size_t nunexp = tp_count_unexpected(c);
	size_t crashes = 0;

	fprintf(f, "Layout-%c image, %zu bytes: SE header at 0x%llx (%llu bytes), IPIB at 0x%llx (%llu bytes, %u components)\n",
		c->layout == 'c' ? 'C' : 'R', c->image_len,
		(unsigned long long)c->hdr_addr,
		(unsigned long long)c->hdr_len,
		(unsigned long long)c->ipib_addr,
		(unsigned long long)c->ipib_len, c->ncomps);
	if (c->s3b_args)
		fprintf(f, "stage3b parameter block at 0x%llx, ",
			(unsigned long long)c->s3b_args);
	if (c->s3a_parms)
		fprintf(f, "stage3a parameter block at 0x%llx",
			(unsigned long long)c->s3a_parms);
	fprintf(f, "\n");
	for (int i = 0; i < c->nnotes; i++)
		fprintf(f, "note: %s\n", c->notes[i]);
	fprintf(f, "baseline: booted protected, wait code 0x%llx, %.3f s\n",
		(unsigned long long)c->base.wait, c->base_seconds);
	fprintf(f, "flips: %zu in %.1f s with %u worker%s\n", c->nflips,
		c->seconds, c->o.jobs, c->o.jobs == 1 ? "" : "s");
	tp_report_regions(c, f);
	tp_report_keys(c, f);
	tp_report_fields(c, f);
	tp_report_unexpected(c, f, nunexp);
	for (size_t i = 0; i < c->nflips; i++)
		crashes += c->out[i].cls == TP_CRASHED ||
			   c->out[i].cls == TP_HUNG ||
			   c->out[i].cls == TP_HOST_ERROR;
	if (nunexp)
		fprintf(f, "\nRESULT: FAIL: %zu of %zu flips contradict the specification (%zu crashed, hung or failed on the host)\n",
			nunexp, c->nflips, crashes);
	else
		fprintf(f, "\nRESULT: PASS: %zu flips, no crash, no boot after a flip of a checked byte, every ignored field as specified\n",
			c->nflips);
}

int tp_write_log(const struct tp_campaign *c, const char *path,
		 struct pv_err **err)
{
	char key[TP_KEY_LEN];
	FILE *f = fopen(path, "w");

	if (!f)
		return pv_err_set(err, PV_ERR_IO, "cannot create log '%s': %s",
				  path, strerror(errno));
	fprintf(f, "flip\tregion\tfield\toffset\tbit\texpect\tclass\tunexpected\toutcome\n");
	for (size_t i = 0; i < c->nflips; i++) {
		const struct tp_flip *p = &c->flips[i];
		const struct tp_field *fd = &c->fields[p->field];

		tp_outcome_key(&c->out[i], key, sizeof(key));
		fprintf(f, "%zu\t%s\t%s\t0x%llx\t%u\t%s%s\t%s\t%d\t%s\n", i,
			tp_region_name(fd->region), fd->name,
			(unsigned long long)p->off, p->bit,
			tp_expect_name(fd->expect),
			fd->expect != TP_RANGE ? "" :
			p->want_boot ? "-in" : "-out",
			tp_class_name(c->out[i].cls), tp_unexpected(c, i), key);
	}
	if (fclose(f))
		return pv_err_set(err, PV_ERR_IO, "cannot write log '%s': %s",
				  path, strerror(errno));
	return 0;
}
