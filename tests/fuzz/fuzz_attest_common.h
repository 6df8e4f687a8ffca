/* SPDX-License-Identifier: MIT */
/*
 * Shared by fuzz_arcb.c and fuzz_asrcb.c: a small synthetic guest booted
 * on the software UV (the unit tests' helpers, compiled in), with the
 * fixed host key the seed corpora were made for (gen_attest_seeds.c).
 */
#ifndef PVBOOT_FUZZ_ATTEST_COMMON_H
#define PVBOOT_FUZZ_ATTEST_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "../unit/lib/atttest.c"
#include "../unit/lib/uvtest.c"

/* Host scalar 01 || 65 x 5a (as fuzz_uv) and a fixed guest seed. */
static const uint8_t fz_seed[32] = "pvboot attestation fuzz guest!!";

static struct uvt_guest *fz_guest;

static struct uvt_guest *fz_guest_get(void)
{
	uint8_t d[66];
	struct uvt_opts o = { .seed = fz_seed, .host_scalar = d };

	if (fz_guest)
		return fz_guest;
	d[0] = 0x01;
	memset(d + 1, 0x5a, sizeof(d) - 1);
	if (uvt_guest_build(&o, &fz_guest))
		abort();
	return fz_guest;
}

/* A booted guest; aborts when the fixture cannot be made. */
static void fz_boot(struct at_fix *f)
{
	if (at_boot(f, fz_guest_get(), fz_seed))
		abort();
}

/* The UV rc of a guest call must be one the specification lists. */
static __attribute__((unused)) void fz_rc_in(uint32_t w,
					    const uint16_t *ok, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w >> 16 == ok[i] && !(w & 0xffff))
			return;
	abort();
}

#endif
