// SPDX-License-Identifier: MIT
/*
 * Unit tests for the random source: system CSPRNG and the reproducible
 * HKDF-SHA512 stream (crypto.h), and reproducible key generation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/crypto.h"

static uint8_t seed[32];

static int setup(void **state)
{
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)i;
	return 0;
}

static void unhex(const char *hex, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned int v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void test_seeded_kat(void **state)
{
	uint8_t out[64], exp[64], *big;
	struct pv_rng *rng = NULL;
	struct pv_err *err = NULL;

	/*
	 * Pin the documented derivation: HKDF-SHA512(ikm = seed 00..1f,
	 * salt = "pvboot reproducible v1", info = label).
	 */
	assert_int_equal(pv_rng_new_seeded(seed, sizeof(seed), &rng, &err), 0);
	assert_true(pv_rng_is_seeded(rng));
	assert_int_equal(pv_rng_bytes(rng, "header-key", out, 32, &err), 0);
	unhex("fefd809c8ffe04b9b1ba090b0cc26065"
	      "ae5da9ee49677c930d4c477194927e9e",
	      exp, 32);
	assert_memory_equal(out, exp, 32);
	assert_int_equal(pv_rng_bytes(rng, "image-key", out, 64, &err), 0);
	unhex("267245689cc1134d12adf8cc413e9fdd"
	      "341d75af1dc413fe9a41fb8f03eaf772"
	      "ce3b451be18e3a42f5dae78d39c25928"
	      "b82f2e953e1318e2504e917e22d836c5",
	      exp, 64);
	assert_memory_equal(out, exp, 64);

	/* The HKDF maximum (255 blocks) works, one byte more does not. */
	big = malloc(16321);
	assert_non_null(big);
	assert_int_equal(pv_rng_bytes(rng, "x", big, 16320, &err), 0);
	unhex("8e07dd3bfa32a872", exp, 8);
	assert_memory_equal(big + 16312, exp, 8);
	assert_int_equal(pv_rng_bytes(rng, "x", big, 16321, &err),
			 -PV_ERR_RANGE);
	assert_int_equal(err->code, PV_ERR_RANGE);
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_rng_bytes(rng, NULL, out, 8, &err), -PV_ERR_INVAL);
	pv_err_free(err);
	free(big);
	pv_rng_free(rng);
}

static void test_seeded_determinism(void **state)
{
	uint8_t a[48], b[48], c[48], seed2[33];
	struct pv_rng *r1 = NULL, *r2 = NULL, *r3 = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_rng_new_seeded(seed, sizeof(seed), &r1, &err), 0);
	assert_int_equal(pv_rng_new_seeded(seed, sizeof(seed), &r2, &err), 0);
	/* Same label, any request order, any instance: same bytes. */
	assert_int_equal(pv_rng_bytes(r1, "tweak/40", a, sizeof(a), &err), 0);
	assert_int_equal(pv_rng_bytes(r2, "cck", b, sizeof(b), &err), 0);
	assert_int_equal(pv_rng_bytes(r2, "tweak/40", b, sizeof(b), &err), 0);
	assert_memory_equal(a, b, sizeof(a));
	assert_int_equal(pv_rng_bytes(r1, "tweak/40", c, sizeof(c), &err), 0);
	assert_memory_equal(a, c, sizeof(a));
	/* Different label: different bytes. */
	assert_int_equal(pv_rng_bytes(r1, "tweak/50", c, sizeof(c), &err), 0);
	assert_memory_not_equal(a, c, sizeof(a));
	/* Different seed (one more byte): different bytes. */
	memcpy(seed2, seed, sizeof(seed));
	seed2[32] = 0;
	assert_int_equal(pv_rng_new_seeded(seed2, sizeof(seed2), &r3, &err),
			 0);
	assert_int_equal(pv_rng_bytes(r3, "tweak/40", c, sizeof(c), &err), 0);
	assert_memory_not_equal(a, c, sizeof(a));
	pv_rng_free(r3);
	seed2[0] ^= 1;
	assert_int_equal(pv_rng_new_seeded(seed2, sizeof(seed), &r3, &err), 0);
	assert_int_equal(pv_rng_bytes(r3, "tweak/40", c, sizeof(c), &err), 0);
	assert_memory_not_equal(a, c, sizeof(a));
	assert_null(err);
	pv_rng_free(r1);
	pv_rng_free(r2);
	pv_rng_free(r3);
}

static void test_seed_too_short(void **state)
{
	struct pv_rng *rng = (struct pv_rng *)&rng;	/* must be reset */
	struct pv_err *err = NULL;

	assert_int_equal(pv_rng_new_seeded(seed, 31, &rng, &err),
			 -PV_ERR_INVAL);
	assert_null(rng);
	assert_int_equal(err->code, PV_ERR_INVAL);
	assert_non_null(strstr(err->msg, "31"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_rng_new_seeded(NULL, 0, &rng, &err),
			 -PV_ERR_INVAL);
	pv_err_free(err);
	pv_rng_free(NULL);
	assert_false(pv_rng_is_seeded(NULL));
}

static void test_system_rng(void **state)
{
	uint8_t a[32], b[32], zero[32] = { 0 };
	struct pv_rng *rng = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_rng_new_system(&rng, &err), 0);
	assert_false(pv_rng_is_seeded(rng));
	/* Labels do not make system output repeat. */
	assert_int_equal(pv_rng_bytes(rng, "cck", a, sizeof(a), &err), 0);
	assert_int_equal(pv_rng_bytes(rng, "cck", b, sizeof(b), &err), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_int_equal(pv_rng_bytes(rng, NULL, a, 0, &err), 0);
	assert_null(err);
	pv_rng_free(rng);
}

static void test_generate(void **state)
{
	uint8_t c1[PV_EC_COORDS_LEN], c2[PV_EC_COORDS_LEN], dig[32], exp[32];
	struct pv_eckey *k1 = NULL, *k2 = NULL;
	struct pv_rng *rng = NULL, *sys = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_rng_new_seeded(seed, sizeof(seed), &rng, &err), 0);
	assert_int_equal(pv_eckey_generate(rng, "customer-key/0", &k1, &err),
			 0);
	assert_true(pv_eckey_has_private(k1));
	assert_int_equal(pv_eckey_coords(k1, c1, &err), 0);
	/* d = (HKDF(80 bytes) mod (n - 1)) + 1, pinned by its coordinates. */
	assert_int_equal(pv_sha256(c1, sizeof(c1), dig, &err), 0);
	unhex("ab004f4513d06e13d68163361cfb927e"
	      "72f13b8e2206efb2cab02a41eb9c0918",
	      exp, 32);
	assert_memory_equal(dig, exp, 32);
	assert_int_equal(pv_eckey_generate(rng, "customer-key/0", &k2, &err),
			 0);
	assert_int_equal(pv_eckey_coords(k2, c2, &err), 0);
	assert_memory_equal(c1, c2, sizeof(c1));
	pv_eckey_free(k2);
	assert_int_equal(pv_eckey_generate(rng, "customer-key/1", &k2, &err),
			 0);
	assert_int_equal(pv_eckey_coords(k2, c2, &err), 0);
	assert_memory_not_equal(c1, c2, sizeof(c1));
	pv_eckey_free(k2);

	/* System keys differ from each other. */
	assert_int_equal(pv_rng_new_system(&sys, &err), 0);
	assert_int_equal(pv_eckey_generate(sys, "customer-key/0", &k2, &err),
			 0);
	assert_true(pv_eckey_has_private(k2));
	assert_int_equal(pv_eckey_coords(k2, c2, &err), 0);
	assert_memory_not_equal(c1, c2, sizeof(c1));
	assert_null(err);
	pv_eckey_free(k1);
	pv_eckey_free(k2);
	pv_rng_free(rng);
	pv_rng_free(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeded_kat),
		cmocka_unit_test(test_seeded_determinism),
		cmocka_unit_test(test_seed_too_short),
		cmocka_unit_test(test_system_rng),
		cmocka_unit_test(test_generate),
	};

	return cmocka_run_group_tests_name("crypto_rng", tests, setup, NULL);
}
