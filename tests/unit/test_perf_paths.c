// SPDX-License-Identifier: MIT
/*
 * The fast paths give the same answers as the plain ones: the PLD worker
 * thread (same PLD/ALD/TLD as inline hashing, wherever it starts and
 * however the data is cut), the key checks that skip repeated P-521
 * multiplications (a mismatched key pair is still refused, ECDH with a
 * checked peer equals ECDH with a re-validated one), and Unicorn loaded
 * on first use (a clear error naming the library when it is missing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "../../machine/cpu/uc_lib.h"

#define NPAGES 700	/* 2.7 MiB: the 1 MiB ring wraps twice */

static uint8_t *data;

static int group_setup(void **state)
{
	uint64_t s = 0x243f6a8885a308d3ULL;

	data = malloc((size_t)NPAGES * PV_PAGE_SIZE);
	if (!data)
		return -1;
	for (size_t i = 0; i + 8 <= (size_t)NPAGES * PV_PAGE_SIZE; i += 8) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		memcpy(data + i, &s, 8);
	}
	return 0;
}

static int group_teardown(void **state)
{
	free(data);
	return 0;
}

struct result {
	uint8_t pld[PV_SHA512_LEN], ald[PV_SHA512_LEN], tld[PV_SHA512_LEN];
};

/*
 * Digest the test data; the worker starts before page @start (-1: never);
 * @cut > 0 feeds the PLD in pieces of @cut bytes instead of whole pages.
 */
static void digest(int start, size_t cut, struct result *r)
{
	struct pv_err *err = NULL;
	struct pv_digests *d;
	uint8_t tweak[PV_TWEAK_LEN];

	assert_int_equal(pv_digests_new(&d, &err), 0);
	for (int i = 0; i < NPAGES; i++) {
		const uint8_t *p = data + (size_t)i * PV_PAGE_SIZE;
		uint64_t addr = 0x10000 + i * PV_PAGE_SIZE;

		if (i == start)
			assert_int_equal(pv_digests_use_worker(d, &err), 0);
		pv_tweak_make(0x0001020304050607ULL, (uint64_t)i * 4096,
			      tweak);
		if (!cut) {
			assert_int_equal(pv_digests_add_page(d, p, addr, tweak,
							     &err),
					 0);
			continue;
		}
		assert_int_equal(pv_digests_add_addr_tweak(d, addr, tweak,
							   &err),
				 0);
		if (i == NPAGES - 1) {
			/* whole data in odd pieces at the end */
			for (size_t o = 0; o < (size_t)NPAGES * PV_PAGE_SIZE;
			     o += cut) {
				size_t n = (size_t)NPAGES * PV_PAGE_SIZE - o;

				if (n > cut)
					n = cut;
				assert_int_equal(pv_digests_add_pld(d, data + o,
								    n, &err),
						 0);
			}
		}
	}
	assert_int_equal(pv_digests_final(d, r->pld, r->ald, r->tld, &err),
			 0);
	pv_digests_free(d);
	assert_null(err);
}

static void test_worker_same_digests(void **state)
{
	struct result inl, w;

	digest(-1, 0, &inl);
	digest(0, 0, &w);
	assert_memory_equal(&inl, &w, sizeof(inl));
	memset(&w, 0, sizeof(w));
	digest(257, 0, &w);	/* taken over in the middle */
	assert_memory_equal(&inl, &w, sizeof(inl));
	memset(&w, 0, sizeof(w));
	digest(NPAGES - 1, 300007, &w);	/* pieces across the ring end */
	assert_memory_equal(&inl, &w, sizeof(inl));
	/* and the data itself matters: one flipped bit, another PLD */
	data[3 * PV_PAGE_SIZE + 17] ^= 0x40;
	digest(0, 0, &w);
	data[3 * PV_PAGE_SIZE + 17] ^= 0x40;
	assert_memory_not_equal(inl.pld, w.pld, PV_SHA512_LEN);
	assert_memory_equal(inl.ald, w.ald, PV_SHA512_LEN);
}

static void test_worker_states(void **state)
{
	uint8_t a[PV_SHA512_LEN], b[PV_SHA512_LEN], c[PV_SHA512_LEN];
	uint8_t tweak[PV_TWEAK_LEN] = { 0 };
	struct pv_err *err = NULL;
	struct pv_digests *d;

	/* twice is fine; after final it is a state error */
	assert_int_equal(pv_digests_new(&d, &err), 0);
	assert_int_equal(pv_digests_use_worker(d, &err), 0);
	assert_int_equal(pv_digests_use_worker(d, &err), 0);
	assert_int_equal(pv_digests_final(d, a, b, c, &err), 0);
	assert_int_equal(pv_digests_use_worker(d, &err), -PV_ERR_STATE);
	assert_non_null(err);
	assert_non_null(strstr(err->msg, "finalised"));
	pv_err_free(err);
	err = NULL;
	pv_digests_free(d);

	/* freed with data still queued: no hang, nothing leaks */
	assert_int_equal(pv_digests_new(&d, &err), 0);
	assert_int_equal(pv_digests_use_worker(d, &err), 0);
	for (int i = 0; i < NPAGES; i++) {
		const uint8_t *p = data + (size_t)i * PV_PAGE_SIZE;

		assert_int_equal(pv_digests_add_page(d, p, i * PV_PAGE_SIZE,
						     tweak, &err),
				 0);
	}
	pv_digests_free(d);

	/* the byte-count check still holds with a worker */
	assert_int_equal(pv_digests_new(&d, &err), 0);
	assert_int_equal(pv_digests_use_worker(d, &err), 0);
	assert_int_equal(pv_digests_add_pld(d, data, 100, &err), 0);
	assert_int_equal(pv_digests_final(d, a, b, c, &err), -PV_ERR_STATE);
	pv_err_free(err);
	pv_digests_free(d);
}

/* A P-521 "key pair" whose public point belongs to another scalar. */
static EVP_PKEY *mixed_pair(EVP_PKEY *a, EVP_PKEY *b)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM *params;
	EVP_PKEY *pk = NULL;
	uint8_t pub[200];
	size_t publen = 0;
	BIGNUM *d = NULL;

	assert_non_null(bld);
	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_get_bn_param(a, OSSL_PKEY_PARAM_PRIV_KEY, &d),
			 1);
	assert_int_equal(EVP_PKEY_get_octet_string_param(
				 b, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub),
				 &publen),
			 1);
	assert_true(OSSL_PARAM_BLD_push_utf8_string(bld,
						    OSSL_PKEY_PARAM_GROUP_NAME,
						    "secp521r1", 0));
	assert_true(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d));
	assert_true(OSSL_PARAM_BLD_push_octet_string(bld,
						     OSSL_PKEY_PARAM_PUB_KEY,
						     pub, publen));
	params = OSSL_PARAM_BLD_to_param(bld);
	assert_non_null(params);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_KEYPAIR, params),
			 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_clear_free(d);
	return pk;
}

static void test_key_checks(void **state)
{
	EVP_PKEY *a = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
	EVP_PKEY *b = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
	struct pv_eckey *ka = NULL, *kb = NULL, *kb_raw = NULL, *peer = NULL;
	uint8_t z1[PV_ECDH_LEN], z2[PV_ECDH_LEN], z3[PV_ECDH_LEN];
	uint8_t coords[PV_EC_COORDS_LEN];
	struct pv_err *err = NULL;
	unsigned char *der = NULL;
	EVP_PKEY *mix;
	int len;

	assert_non_null(a);
	assert_non_null(b);
	/* a good pair loads, a mismatched one is refused */
	len = i2d_PrivateKey(a, &der);
	assert_true(len > 0);
	assert_int_equal(pv_eckey_from_bytes(der, (size_t)len, true, &ka,
					     &err),
			 0);
	OPENSSL_clear_free(der, (size_t)len);
	der = NULL;
	mix = mixed_pair(a, b);
	len = i2d_PrivateKey(mix, &der);
	assert_true(len > 0);
	assert_int_equal(pv_eckey_from_bytes(der, (size_t)len, true, &kb,
					     &err),
			 -PV_ERR_KEY);
	assert_non_null(strstr(err->msg, "consistency"));
	pv_err_free(err);
	err = NULL;
	assert_null(kb);
	OPENSSL_clear_free(der, (size_t)len);
	EVP_PKEY_free(mix);

	/* ECDH: checked peer (from coordinates) == re-validated peer */
	assert_int_equal(pv_eckey_from_evp(b, &kb_raw, &err), 0);
	assert_int_equal(pv_eckey_coords(kb_raw, coords, &err), 0);
	assert_int_equal(pv_eckey_from_coords(coords, &peer, &err), 0);
	assert_int_equal(pv_ecdh(ka, peer, z1, &err), 0);
	assert_int_equal(pv_ecdh(ka, kb_raw, z2, &err), 0);
	assert_memory_equal(z1, z2, sizeof(z1));
	/* and both sides agree */
	assert_int_equal(pv_ecdh(kb_raw, ka, z3, &err), 0);
	assert_memory_equal(z1, z3, sizeof(z1));
	pv_eckey_free(peer);
	peer = NULL;
	/* a point off the curve still does not make a key */
	coords[PV_EC_COORDS_LEN - 1] ^= 1;
	assert_int_equal(pv_eckey_from_coords(coords, &peer, &err),
			 -PV_ERR_KEY);
	assert_null(peer);
	pv_err_free(err);
	pv_eckey_free(ka);
	pv_eckey_free(kb_raw);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
}

static void test_unicorn_loading(void **state)
{
	struct pv_err *err = NULL;
	unsigned int major = 0, minor = 0;

	/* a missing library: the error names it and the package */
	setenv("PVBOOT_LIBUNICORN", "/nonexistent/libunicorn.so.2", 1);
	assert_int_equal(uc_lib_load(&err), -PV_ERR_IO);
	assert_non_null(strstr(err->msg, "/nonexistent/libunicorn.so.2"));
	assert_non_null(strstr(err->msg, "libunicorn2"));
	pv_err_free(err);
	err = NULL;
	/* a library that is not Unicorn */
	setenv("PVBOOT_LIBUNICORN", "libcrypto.so.3", 1);
	assert_int_equal(uc_lib_load(&err), -PV_ERR_IO);
	assert_non_null(strstr(err->msg, "has no function uc_"));
	pv_err_free(err);
	err = NULL;
	/* the real one, then it stays loaded */
	unsetenv("PVBOOT_LIBUNICORN");
	assert_int_equal(uc_lib_load(&err), 0);
	assert_non_null(uc_lib.open);
	assert_non_null(uc_lib.ctl);
	uc_lib.version(&major, &minor);
	assert_int_equal(major, 2);
	setenv("PVBOOT_LIBUNICORN", "/nonexistent/libunicorn.so.2", 1);
	assert_int_equal(uc_lib_load(&err), 0);
	unsetenv("PVBOOT_LIBUNICORN");
	assert_null(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worker_same_digests),
		cmocka_unit_test(test_worker_states),
		cmocka_unit_test(test_key_checks),
		cmocka_unit_test(test_unicorn_loading),
	};

	return cmocka_run_group_tests_name("perf", tests, group_setup,
					   group_teardown);
}
