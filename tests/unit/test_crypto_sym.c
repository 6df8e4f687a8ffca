// SPDX-License-Identifier: MIT
/*
 * Unit tests for AES-256-GCM, AES-256-XTS pages, tweaks and the PLD/ALD/TLD
 * digests, including the component KAT of se-image-format.md §9.4.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "lib/testkeys.h"

#define PAGE ((size_t)PV_PAGE_SIZE)

static void expect_code(int rc, struct pv_err **errp, int code)
{
	assert_int_equal(rc, -code);
	assert_non_null(*errp);
	assert_int_equal((*errp)->code, code);
	pv_err_free(*errp);
	*errp = NULL;
}

static void unhex(const char *hex, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned int v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* ---- AES-256-GCM --------------------------------------------------------- */

static void test_gcm_kat(void **state)
{
	/* GCM spec test cases 13 and 14: zero key, zero IV. */
	static const uint8_t key[32], iv[PV_GCM_IV_LEN], pt[16];
	uint8_t ct[16], tag[PV_GCM_TAG_LEN], exp[16], back[16];
	struct pv_err *err = NULL;

	assert_int_equal(pv_gcm_encrypt(key, iv, NULL, 0, NULL, 0, NULL, tag,
					&err), 0);
	unhex("530f8afbc74536b9a963b4f1c4cb738b", exp, 16);
	assert_memory_equal(tag, exp, 16);

	assert_int_equal(pv_gcm_encrypt(key, iv, NULL, 0, pt, 16, ct, tag,
					&err), 0);
	unhex("cea7403d4d606b6e074ec5d3baf39d18", exp, 16);
	assert_memory_equal(ct, exp, 16);
	unhex("d0d1c8a799996bf0265b98b5d48ab919", exp, 16);
	assert_memory_equal(tag, exp, 16);
	assert_int_equal(pv_gcm_decrypt(key, iv, NULL, 0, ct, 16, tag, back,
					&err), 0);
	assert_memory_equal(back, pt, 16);
	assert_null(err);
}

static void test_gcm_roundtrip_and_tamper(void **state)
{
	uint8_t key[32], iv[PV_GCM_IV_LEN], aad[45], pt[1000], ct[1000];
	uint8_t back[1000], tag[PV_GCM_TAG_LEN], tag2[PV_GCM_TAG_LEN];
	struct pv_err *err = NULL;
	size_t len = 999;	/* not a block multiple */

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 1);
	memset(iv, 0x33, sizeof(iv));
	for (size_t i = 0; i < sizeof(aad); i++)
		aad[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)(i ^ 0x5a);

	assert_int_equal(pv_gcm_encrypt(key, iv, aad, sizeof(aad), pt, len,
					ct, tag, &err), 0);
	assert_memory_not_equal(ct, pt, len);
	assert_int_equal(pv_gcm_decrypt(key, iv, aad, sizeof(aad), ct, len,
					tag, back, &err), 0);
	assert_memory_equal(back, pt, len);

	/* In place gives the same ciphertext and tag. */
	memcpy(back, pt, len);
	assert_int_equal(pv_gcm_encrypt(key, iv, aad, sizeof(aad), back, len,
					back, tag2, &err), 0);
	assert_memory_equal(back, ct, len);
	assert_memory_equal(tag2, tag, sizeof(tag));
	assert_null(err);

	/* Tag, ciphertext, AAD, IV or key changed: PV_ERR_AUTH, output 0. */
	tag[15] ^= 0x80;
	memset(back, 0xee, sizeof(back));
	expect_code(pv_gcm_decrypt(key, iv, aad, sizeof(aad), ct, len, tag,
				   back, &err), &err, PV_ERR_AUTH);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(back[i], 0);
	tag[15] ^= 0x80;
	ct[500] ^= 1;
	expect_code(pv_gcm_decrypt(key, iv, aad, sizeof(aad), ct, len, tag,
				   back, &err), &err, PV_ERR_AUTH);
	ct[500] ^= 1;
	aad[0] ^= 1;
	expect_code(pv_gcm_decrypt(key, iv, aad, sizeof(aad), ct, len, tag,
				   back, &err), &err, PV_ERR_AUTH);
	aad[0] ^= 1;
	expect_code(pv_gcm_decrypt(key, iv, aad, sizeof(aad) - 1, ct, len,
				   tag, back, &err), &err, PV_ERR_AUTH);
	iv[11] ^= 1;
	expect_code(pv_gcm_decrypt(key, iv, aad, sizeof(aad), ct, len, tag,
				   back, &err), &err, PV_ERR_AUTH);
	iv[11] ^= 1;
	key[0] ^= 1;
	expect_code(pv_gcm_decrypt(key, iv, aad, sizeof(aad), ct, len, tag,
				   back, &err), &err, PV_ERR_AUTH);
	key[0] ^= 1;
	/* Untouched inputs still verify. */
	assert_int_equal(pv_gcm_decrypt(key, iv, aad, sizeof(aad), ct, len,
					tag, back, &err), 0);
	assert_memory_equal(back, pt, len);
}

/* ---- AES-256-XTS and digests --------------------------------------------- */

static void test_tweak_serialisation(void **state)
{
	static const uint8_t exp[PV_TWEAK_LEN] = {
		0x00, 0x03, 0x9d, 0xef, 0x2c, 0x67, 0xdb, 0x76,
	};
	uint8_t t[PV_TWEAK_LEN];

	/* §9.5: id 3, random 9def2c67db76 <=> u64 1018075497880438. */
	assert_true(0x00039def2c67db76ULL == 1018075497880438ULL);
	pv_tweak_make(1018075497880438ULL, 0, t);
	assert_memory_equal(t, exp, sizeof(t));
	/* §6.7: the second half is the byte offset, big-endian. */
	pv_tweak_make(TK_KAT_PREFIX, 0x3000, t);
	assert_memory_equal(t, "\0\0\0\0\0\0\0\x42\0\0\0\0\0\0\x30\0", 16);
	assert_true(pv_get_be64(t + 8) == 0x3000);
}

static void test_xts_equal_halves(void **state)
{
	uint8_t key[PV_XK_LEN];
	struct pv_xts *x = NULL;
	struct pv_err *err = NULL;

	memset(key, 0x42, sizeof(key));
	expect_code(pv_xts_new(key, true, &x, &err), &err, PV_ERR_KEY);
	assert_null(x);
	expect_code(pv_xts_new(key, false, &x, &err), &err, PV_ERR_KEY);
	key[63] = 0x43;	/* one byte differs: accepted */
	assert_int_equal(pv_xts_new(key, true, &x, &err), 0);
	pv_xts_free(x);
	pv_xts_free(NULL);
}

struct kat_comp {
	uint64_t addr;
	size_t len;
	uint8_t fill;
};

static const struct kat_comp kat_comps[] = {
	{ 0x10000, 0x3400, 0x01 },
	{ 0x20000, 0x3000, 0x02 },
};

#define KAT_PAGES 7

struct kat_page {
	uint8_t data[PV_PAGE_SIZE];	/* ciphertext as stored */
	uint64_t addr;
	uint8_t tweak[PV_TWEAK_LEN];
};

static void kat_key(uint8_t xk[PV_XK_LEN])
{
	memset(xk, 0x42, 32);
	memset(xk + 32, 0x43, 32);
}

/* Prepare the §9.4 components: pad to pages, encrypt, record addr/tweak. */
static struct kat_page *kat_prepare(void)
{
	struct kat_page *pages = calloc(KAT_PAGES, sizeof(*pages));
	struct pv_err *err = NULL;
	uint8_t xk[PV_XK_LEN];
	struct pv_xts *x;
	size_t n = 0;

	assert_non_null(pages);
	kat_key(xk);
	assert_int_equal(pv_xts_new(xk, true, &x, &err), 0);
	for (size_t c = 0; c < 2; c++) {
		const struct kat_comp *k = &kat_comps[c];

		for (size_t off = 0; off < k->len; off += PAGE, n++) {
			size_t rest = k->len - off;
			size_t chunk = rest < PAGE ? rest : PAGE;

			assert_true(n < KAT_PAGES);
			/* The last chunk stays zero-padded. */
			memset(pages[n].data, k->fill, chunk);
			pages[n].addr = k->addr + off;
			/* Offsets restart at 0 for every component. */
			pv_tweak_make(TK_KAT_PREFIX, off, pages[n].tweak);
			assert_int_equal(pv_xts_page(x, pages[n].tweak,
						     pages[n].data,
						     pages[n].data, &err), 0);
		}
	}
	assert_int_equal(n, KAT_PAGES);
	pv_xts_free(x);
	return pages;
}

static void test_component_kat(void **state)
{
	uint8_t pld[PV_SHA512_LEN], ald[PV_SHA512_LEN], tld[PV_SHA512_LEN];
	struct kat_page *pages = kat_prepare();
	struct pv_digests *d = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_digests_new(&d, &err), 0);
	for (size_t i = 0; i < KAT_PAGES; i++)
		assert_int_equal(pv_digests_add_page(d, pages[i].data,
						     pages[i].addr,
						     pages[i].tweak, &err), 0);
	assert_true(pv_digests_pages(d) == KAT_PAGES);
	assert_int_equal(pv_digests_final(d, pld, ald, tld, &err), 0);
	assert_memory_equal(ald, tk_kat_ald, sizeof(ald));
	assert_memory_equal(tld, tk_kat_tld, sizeof(tld));
	assert_memory_equal(pld, tk_kat_pld, sizeof(pld));
	assert_null(err);
	pv_digests_free(d);
	free(pages);
}

static void test_xts_decrypt_roundtrip(void **state)
{
	struct kat_page *pages = kat_prepare();
	uint8_t xk[PV_XK_LEN], out[PV_PAGE_SIZE], t[PV_TWEAK_LEN];
	struct pv_err *err = NULL;
	struct pv_xts *x;

	kat_key(xk);
	assert_int_equal(pv_xts_new(xk, false, &x, &err), 0);
	for (size_t i = 0; i < KAT_PAGES; i++) {
		const struct kat_comp *k = &kat_comps[i < 4 ? 0 : 1];
		size_t off = pages[i].addr - k->addr;

		assert_int_equal(pv_xts_page(x, pages[i].tweak, pages[i].data,
					     out, &err), 0);
		for (size_t b = 0; b < PAGE; b++)
			assert_int_equal(out[b],
					 off + b < k->len ? k->fill : 0);
	}
	/* A wrong tweak (page index instead of offset) gives other bytes. */
	pv_tweak_make(TK_KAT_PREFIX, 1, t);
	assert_int_equal(pv_xts_page(x, t, pages[1].data, out, &err), 0);
	assert_int_not_equal(out[0], 0x01);
	assert_memory_not_equal(out, pages[0].data, PAGE);
	assert_null(err);
	pv_xts_free(x);
	free(pages);
}

struct half_args {
	struct pv_digests *d;
	const struct kat_page *pages;
	int rc;
};

static void *pld_half(void *arg)
{
	struct half_args *a = arg;

	for (size_t i = 0; i < KAT_PAGES && !a->rc; i++)
		a->rc = pv_digests_add_pld(a->d, a->pages[i].data, PAGE, NULL);
	return NULL;
}

static void *addr_half(void *arg)
{
	struct half_args *a = arg;

	for (size_t i = 0; i < KAT_PAGES && !a->rc; i++)
		a->rc = pv_digests_add_addr_tweak(a->d, a->pages[i].addr,
						  a->pages[i].tweak, NULL);
	return NULL;
}

static void test_digests_split_threads(void **state)
{
	uint8_t pld[PV_SHA512_LEN], ald[PV_SHA512_LEN], tld[PV_SHA512_LEN];
	struct kat_page *pages = kat_prepare();
	struct half_args a, b;
	pthread_t ta, tb;

	assert_int_equal(pv_digests_new(&a.d, NULL), 0);
	a.pages = pages;
	a.rc = 0;
	b = a;
	assert_int_equal(pthread_create(&ta, NULL, pld_half, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, addr_half, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.rc, 0);
	assert_int_equal(b.rc, 0);
	assert_int_equal(pv_digests_final(a.d, pld, ald, tld, NULL), 0);
	assert_memory_equal(pld, tk_kat_pld, sizeof(pld));
	assert_memory_equal(ald, tk_kat_ald, sizeof(ald));
	assert_memory_equal(tld, tk_kat_tld, sizeof(tld));
	pv_digests_free(a.d);

	/* PLD in one call of 7 pages is the same digest. */
	assert_int_equal(pv_digests_new(&a.d, NULL), 0);
	for (size_t i = 0; i < KAT_PAGES; i++)
		assert_int_equal(pv_digests_add_addr_tweak(a.d, pages[i].addr,
							   pages[i].tweak,
							   NULL), 0);
	for (size_t i = 0; i < KAT_PAGES; i++)
		assert_int_equal(pv_digests_add_pld(a.d, pages[i].data, PAGE,
						    NULL), 0);
	assert_int_equal(pv_digests_final(a.d, pld, ald, tld, NULL), 0);
	assert_memory_equal(pld, tk_kat_pld, sizeof(pld));
	pv_digests_free(a.d);
	free(pages);
}

static void test_digests_state(void **state)
{
	uint8_t pld[PV_SHA512_LEN], ald[PV_SHA512_LEN], tld[PV_SHA512_LEN];
	uint8_t page[PV_PAGE_SIZE] = { 0 }, t[PV_TWEAK_LEN] = { 0 };
	uint8_t exp[PV_SHA512_LEN];
	struct pv_digests *d = NULL;
	struct pv_err *err = NULL;

	/* Halves that disagree are refused. */
	assert_int_equal(pv_digests_new(&d, &err), 0);
	assert_int_equal(pv_digests_add_pld(d, page, 100, &err), 0);
	assert_int_equal(pv_digests_add_addr_tweak(d, 0, t, &err), 0);
	expect_code(pv_digests_final(d, pld, ald, tld, &err), &err,
		    PV_ERR_STATE);
	pv_digests_free(d);

	/* No pages: three digests of the empty string. */
	assert_int_equal(pv_digests_new(&d, &err), 0);
	assert_true(pv_digests_pages(d) == 0);
	assert_int_equal(pv_digests_final(d, pld, ald, tld, &err), 0);
	assert_int_equal(pv_sha512(NULL, 0, exp, &err), 0);
	assert_memory_equal(pld, exp, sizeof(exp));
	assert_memory_equal(tld, exp, sizeof(exp));
	/* Finished: nothing more is accepted. */
	expect_code(pv_digests_final(d, pld, ald, tld, &err), &err,
		    PV_ERR_STATE);
	expect_code(pv_digests_add_page(d, page, 0, t, &err), &err,
		    PV_ERR_STATE);
	expect_code(pv_digests_add_addr_tweak(d, 0, t, &err), &err,
		    PV_ERR_STATE);
	pv_digests_free(d);
	pv_digests_free(NULL);
}

static void test_sha2(void **state)
{
	uint8_t out[PV_SHA512_LEN], exp[PV_SHA512_LEN];
	struct pv_err *err = NULL;

	assert_int_equal(pv_sha256("abc", 3, out, &err), 0);
	unhex("ba7816bf8f01cfea414140de5dae2223"
	      "b00361a396177a9cb410ff61f20015ad",
	      exp, 32);
	assert_memory_equal(out, exp, 32);
	assert_int_equal(pv_sha256(NULL, 0, out, &err), 0);
	unhex("e3b0c44298fc1c149afbf4c8996fb924"
	      "27ae41e4649b934ca495991b7852b855",
	      exp, 32);
	assert_memory_equal(out, exp, 32);
	assert_int_equal(pv_sha512("abc", 3, out, &err), 0);
	unhex("ddaf35a193617abacc417349ae204131"
	      "12e6fa4e89a97ea20a9eeee64b55d39a"
	      "2192992a274fc1a836ba3c23a3feebbd"
	      "454d4423643ce80e2a9ac94fa54ca49f",
	      exp, 64);
	assert_memory_equal(out, exp, 64);
	assert_null(err);
}

static void test_util(void **state)
{
	uint8_t a[33], b[33];
	uint8_t *s = malloc(64);

	memset(a, 7, sizeof(a));
	memcpy(b, a, sizeof(b));
	assert_true(pv_memeq_ct(a, b, sizeof(a)));
	b[32] = 8;
	assert_false(pv_memeq_ct(a, b, sizeof(a)));
	assert_true(pv_memeq_ct(a, b, 32));
	pv_cleanse(a, sizeof(a));
	for (size_t i = 0; i < sizeof(a); i++)
		assert_int_equal(a[i], 0);
	assert_non_null(s);
	memset(s, 0xaa, 64);
	pv_free_secret(s, 64);
	pv_free_secret(NULL, 10);
	pv_cleanse(NULL, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gcm_kat),
		cmocka_unit_test(test_gcm_roundtrip_and_tamper),
		cmocka_unit_test(test_tweak_serialisation),
		cmocka_unit_test(test_xts_equal_halves),
		cmocka_unit_test(test_component_kat),
		cmocka_unit_test(test_xts_decrypt_roundtrip),
		cmocka_unit_test(test_digests_split_threads),
		cmocka_unit_test(test_digests_state),
		cmocka_unit_test(test_sha2),
		cmocka_unit_test(test_util),
	};

	return cmocka_run_group_tests_name("crypto_sym", tests, NULL, NULL);
}
