// SPDX-License-Identifier: MIT
/*
 * Unit tests for the SE header structure: sizes, parsing, serialization,
 * flag tables and the real header of se-image-format.md §9.3.  Sealing is
 * tested in test_sehdr_seal.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/sehdr.h"
#include "sehdr_fixture.h"

/* Parse must fail with @code and a message containing @what. */
static void expect_parse_error(const uint8_t *buf, size_t len, int code,
			       const char *what)
{
	struct pv_sehdr *hdr = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_sehdr_parse(buf, len, &hdr, &err), -code);
	assert_null(hdr);
	assert_non_null(err);
	assert_int_equal(err->code, code);
	if (!strstr(err->msg, what))
		fail_msg("message '%s' does not name '%s'", err->msg, what);
	pv_err_free(err);
}

/* ---- sizes and plain structure ------------------------------------------ */

static void test_sizes(void **state)
{
	struct pv_err *err = NULL;
	uint32_t phs = 0;

	assert_int_equal(pv_sehdr_size(1, &phs, NULL), 0);
	assert_int_equal(phs, 640);
	assert_int_equal(pv_sehdr_size(44, &phs, NULL), 0);
	assert_int_equal(phs, 4080);
	assert_int_equal(pv_sehdr_size(45, &phs, NULL), 0);
	assert_int_equal(phs, 4160);
	/* se-image-format.md §5.2, §9.5 */
	assert_int_equal(pv_sehdr_size(95, &phs, &err), 0);
	assert_int_equal(phs, 8160);
	assert_null(err);
	phs = 1;
	assert_int_equal(pv_sehdr_size(96, &phs, &err), -PV_ERR_RANGE);
	assert_int_equal(phs, 1);
	assert_non_null(err);
	assert_non_null(strstr(err->msg, "at most 95 host keys"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_sehdr_size(0, &phs, NULL), -PV_ERR_RANGE);
	assert_int_equal(pv_sehdr_size(UINT64_MAX, &phs, NULL),
			 -PV_ERR_RANGE);
}

static void test_new(void **state)
{
	struct pv_sehdr *hdr = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_sehdr_new(3, &hdr, &err), 0);
	assert_true(hdr->magic == PV_SEHDR_MAGIC);
	assert_int_equal(hdr->version, 0x100);
	assert_int_equal(hdr->phs, 560 + 3 * 80);
	assert_true(hdr->nks == 3 && hdr->sea == 128);
	assert_int_equal(pv_sehdr_enc_offset(hdr), 0x1A0 + 240);
	assert_true(all_zero(hdr->slots, 3 * sizeof(*hdr->slots)));
	assert_true(all_zero(hdr->enc, 128));
	pv_sehdr_free(hdr);
	hdr = NULL;
	assert_int_equal(pv_sehdr_new(96, &hdr, &err), -PV_ERR_RANGE);
	assert_null(hdr);
	assert_non_null(strstr(err->msg, "at most 95"));
	pv_err_free(err);
	pv_sehdr_free(NULL);
}

static void test_layout_offsets(void **state)
{
	struct pv_sehdr *hdr;
	uint8_t *b;
	size_t e;

	prng_state = 0x1234;
	hdr = random_header(2);
	b = serialize(hdr);
	/* se-image-format.md §5.1 byte positions */
	assert_memory_equal(b, "IBMSecEx", 8);
	assert_int_equal(pv_get_be32(b + 0x08), 0x100);
	assert_int_equal(pv_get_be32(b + 0x0C), 720);
	assert_memory_equal(b + 0x10, hdr->iv, 12);
	assert_int_equal(pv_get_be32(b + 0x1C), 0);
	assert_true(pv_get_be64(b + 0x20) == 2);
	assert_true(pv_get_be64(b + 0x28) == 128);
	assert_true(pv_get_be64(b + 0x30) == hdr->nep);
	assert_true(pv_get_be64(b + 0x38) == hdr->pcf);
	assert_memory_equal(b + 0x40, hdr->cust_pub, 160);
	assert_memory_equal(b + 0xE0, hdr->pld, 64);
	assert_memory_equal(b + 0x120, hdr->ald, 64);
	assert_memory_equal(b + 0x160, hdr->tld, 64);
	assert_memory_equal(b + 0x1A0, hdr->slots[0].phkh, 32);
	assert_memory_equal(b + 0x1C0, hdr->slots[0].wrpk, 32);
	assert_memory_equal(b + 0x1E0, hdr->slots[0].kst, 16);
	assert_memory_equal(b + 0x1F0, hdr->slots[1].phkh, 32);
	e = pv_sehdr_enc_offset(hdr);
	assert_int_equal(e, 0x240);
	assert_memory_equal(b + e, hdr->enc, 128);
	assert_memory_equal(b + 720 - 16, hdr->tag, 16);
	free(b);
	pv_sehdr_free(hdr);
}

static void test_parse_serialize_roundtrip(void **state)
{
	static const uint64_t nks[] = { 1, 2, 5, 44, 45, 95 };
	struct pv_sehdr *hdr, *back;
	uint8_t *b, *c;
	uint32_t phs;
	size_t i;

	prng_state = 0x5eed;
	for (i = 0; i < sizeof(nks) / sizeof(nks[0]); i++) {
		hdr = random_header(nks[i]);
		b = serialize(hdr);
		assert_true(pv_sehdr_probe(b, hdr->phs, &phs));
		assert_int_equal(phs, hdr->phs);
		back = NULL;
		assert_int_equal(pv_sehdr_parse(b, hdr->phs, &back, NULL), 0);
		assert_true(back->nks == nks[i]);
		assert_memory_equal(back->slots, hdr->slots,
				    nks[i] * sizeof(*hdr->slots));
		assert_memory_equal(back->enc, hdr->enc, 128);
		c = serialize(back);
		assert_memory_equal(b, c, hdr->phs);
		/* trailing bytes after phs are not part of the header */
		free(c);
		pv_sehdr_free(back);
		pv_sehdr_free(hdr);
		free(b);
	}
}

static void test_parse_rejects(void **state)
{
	struct pv_sehdr *hdr;
	uint8_t good[800], b[800];

	prng_state = 77;
	hdr = random_header(1);
	memset(good, 0, sizeof(good));
	assert_int_equal(pv_sehdr_serialize(hdr, good, sizeof(good), NULL), 0);
	pv_sehdr_free(hdr);

	memcpy(b, good, sizeof(b));
	b[7] = 'y';
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "bad magic");
	memcpy(b, good, sizeof(b));
	pv_put_be32(b + 0x08, 0x200);
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "version 0x200");
	memcpy(b, good, sizeof(b));
	pv_put_be32(b + 0x0C, 656);	/* phs not 0x1A0 + 80 + 128 + 16 */
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "does not match");
	memcpy(b, good, sizeof(b));
	pv_put_be64(b + 0x20, 2);	/* nks 2, phs still for 1 */
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "nks (2)");
	memcpy(b, good, sizeof(b));
	pv_put_be64(b + 0x20, 0);
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "nks is 0");
	memcpy(b, good, sizeof(b));
	pv_put_be64(b + 0x20, 0x8000000000000001ULL);	/* overflow bait */
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "does not match");
	memcpy(b, good, sizeof(b));
	pv_put_be64(b + 0x28, 112);	/* sea < 128, phs adjusted */
	pv_put_be32(b + 0x0C, 624);
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "(sea) 112");
	memcpy(b, good, sizeof(b));
	pv_put_be64(b + 0x28, 136);	/* sea % 16, phs adjusted */
	pv_put_be32(b + 0x0C, 648);
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "multiple of 16");
	memcpy(b, good, sizeof(b));
	pv_put_be64(b + 0x28, UINT64_MAX - 15);
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "does not match");
	memcpy(b, good, sizeof(b));
	pv_put_be32(b + 0x0C, 8208);	/* consistent with nks 96 */
	pv_put_be64(b + 0x20, 96);
	expect_parse_error(b, sizeof(b), PV_ERR_FORMAT, "8192");
	/* a larger sea with a matching phs is well formed */
	memcpy(b, good, sizeof(b));
	pv_put_be64(b + 0x28, 144);
	pv_put_be32(b + 0x0C, 656);
	hdr = NULL;
	assert_int_equal(pv_sehdr_parse(b, sizeof(b), &hdr, NULL), 0);
	assert_true(hdr->sea == 144);
	pv_sehdr_free(hdr);
	/* buffer shorter than phs */
	expect_parse_error(good, 639, PV_ERR_TRUNC, "639");
	expect_parse_error(good, 7, PV_ERR_TRUNC, "magic");
}

static void test_parse_truncated_everywhere(void **state)
{
	static const uint64_t nks[] = { 1, 3 };
	struct pv_sehdr *hdr, *back;
	struct pv_err *err;
	uint8_t *b, *cut;
	size_t i, len;
	int rc;

	prng_state = 99;
	for (i = 0; i < 2; i++) {
		hdr = random_header(nks[i]);
		b = serialize(hdr);
		for (len = 0; len < hdr->phs; len++) {
			/* exact-size copies let ASan see any over-read */
			cut = malloc(len ? len : 1);
			assert_non_null(cut);
			memcpy(cut, b, len);
			back = NULL;
			err = NULL;
			rc = pv_sehdr_parse(cut, len, &back, &err);
			assert_int_equal(rc, -PV_ERR_TRUNC);
			assert_null(back);
			assert_non_null(err);
			pv_err_free(err);
			assert_false(pv_sehdr_probe(cut, len, NULL) &&
				     len < 16);
			free(cut);
		}
		free(b);
		pv_sehdr_free(hdr);
	}
}

static void test_probe(void **state)
{
	uint8_t b[16] = "IBMSecEx";
	uint32_t phs = 0;

	pv_put_be32(b + 12, 0x280);
	assert_true(pv_sehdr_probe(b, 16, &phs));
	assert_int_equal(phs, 0x280);
	assert_true(pv_sehdr_probe(b, 16, NULL));
	assert_false(pv_sehdr_probe(b, 15, &phs));
	b[0] = 'i';
	assert_false(pv_sehdr_probe(b, 16, &phs));
}

static void test_serialize_rejects(void **state)
{
	struct pv_sehdr *hdr = NULL;
	struct pv_err *err = NULL;
	uint8_t b[1024];

	assert_int_equal(pv_sehdr_new(1, &hdr, NULL), 0);
	assert_int_equal(pv_sehdr_serialize(hdr, b, 639, &err),
			 -PV_ERR_RANGE);
	assert_non_null(strstr(err->msg, "639"));
	pv_err_free(err);
	hdr->nks = 2;	/* slots array is still 1 long: must not be read */
	assert_int_equal(pv_sehdr_serialize(hdr, b, sizeof(b), NULL),
			 -PV_ERR_FORMAT);
	hdr->nks = 1;
	hdr->sea = 256;	/* enc is still 128 bytes long */
	assert_int_equal(pv_sehdr_serialize(hdr, b, sizeof(b), NULL),
			 -PV_ERR_FORMAT);
	hdr->sea = 128;
	assert_int_equal(pv_sehdr_serialize(hdr, b, sizeof(b), NULL), 0);
	pv_sehdr_free(hdr);
}

static void test_find_slot(void **state)
{
	struct pv_sehdr *hdr;
	uint8_t phkh[32];

	prng_state = 4;
	hdr = random_header(5);
	memcpy(phkh, hdr->slots[3].phkh, 32);
	assert_int_equal(pv_sehdr_find_slot(hdr, phkh), 3);
	memcpy(phkh, hdr->slots[0].phkh, 32);
	assert_int_equal(pv_sehdr_find_slot(hdr, phkh), 0);
	phkh[31] ^= 1;
	assert_int_equal(pv_sehdr_find_slot(hdr, phkh), -1);
	/* a matching wrapped key is not a matching digest */
	memcpy(phkh, hdr->slots[2].wrpk, 32);
	assert_int_equal(pv_sehdr_find_slot(hdr, phkh), -1);
	pv_sehdr_free(hdr);
}

static uint64_t table_or(const struct pv_flag_name *t, const char *only)
{
	uint64_t m = 0;

	for (; t->name; t++)
		if (!only || !strcmp(t->name, only))
			m |= t->mask;
	return m;
}

static void test_flag_masks(void **state)
{
	const struct pv_flag_name *t, *u;

	/* se-image-format.md §9.5 */
	assert_true(PV_PCF_ALLOW_DUMP == 0x20000000ULL);
	assert_true((PV_PCF_ALLOW_DUMP | PV_PCF_BACKUP_KEYS) == 0x20000002ULL);
	assert_true(table_or(pv_pcf_names, NULL) == 0x300000F2ULL);
	assert_true(table_or(pv_scf_names, NULL) == 0x6000000000000000ULL);
	assert_true(table_or(pv_pcf_names, "allow-dump") == 0x20000000ULL);
	assert_true(table_or(pv_pcf_names, "backup-target-keys") == 2);
	assert_true(PV_PCF_DEFAULT == 0xE0);
	assert_true(PV_SCF_CCK_EXT_SECRET == 0x4000000000000000ULL);
	assert_true(PV_SCF_CCK_UPDATE == 0x2000000000000000ULL);
	/* one bit per entry, names unique */
	for (t = pv_pcf_names; t->name; t++) {
		assert_int_equal(__builtin_popcountll(t->mask), 1);
		assert_non_null(t->option);
		for (u = t + 1; u->name; u++)
			assert_string_not_equal(t->name, u->name);
	}
	for (t = pv_scf_names; t->name; t++)
		assert_int_equal(__builtin_popcountll(t->mask), 1);
}

static void test_secret_pack(void **state)
{
	struct pv_sehdr_secret s, q;
	uint8_t b[128];

	memset(&s, 0, sizeof(s));
	memset(s.cck, 0x31, 32);
	memset(s.xts, 0x03, 64);
	s.psw_mask = 0x162E;
	s.psw_addr = 0x4D2;
	s.scf = PV_SCF_CCK_UPDATE;
	s.noi = 7;
	s.res2 = 9;
	pv_sehdr_secret_pack(&s, b);
	assert_true(all_zero(b + 0x60, 6));
	assert_int_equal(b[0x66], 0x16);
	assert_int_equal(b[0x67], 0x2E);
	assert_int_equal(b[0x6F], 0xD2);
	assert_int_equal(b[0x70], 0x20);
	assert_int_equal(pv_get_be32(b + 0x78), 7);
	assert_int_equal(pv_get_be32(b + 0x7C), 9);
	pv_sehdr_secret_unpack(b, &q);
	assert_memory_equal(&s, &q, sizeof(s));
}

static void test_real_header_9_3(void **state)
{
	uint8_t b[640], c[640], want[64];
	struct pv_sehdr *hdr = NULL;
	struct pv_err *err = NULL;
	uint32_t phs = 0;

	assert_int_equal(hex_decode(real_hdr, b, sizeof(b)), 640);
	assert_true(pv_sehdr_probe(b, sizeof(b), &phs));
	assert_int_equal(phs, 0x280);
	assert_int_equal(pv_sehdr_parse(b, sizeof(b), &hdr, &err), 0);
	assert_null(err);
	hex_decode("4dc42a795fd9d2e4a40fcb33", want, 12);
	assert_memory_equal(hdr->iv, want, 12);
	assert_true(hdr->nks == 1 && hdr->sea == 0x80);
	assert_true(hdr->nep == 0xFC25);
	assert_true(hdr->pcf == 0);
	hex_decode("782966a6298f6f5968780c3134ca4c55958d2dbca5292f59e9f5d2670befaf2f",
		   want, 32);
	assert_memory_equal(hdr->slots[0].phkh, want, 32);
	assert_int_equal(pv_sehdr_find_slot(hdr, want), 0);
	hex_decode("be94b5ea", want, 4);
	assert_memory_equal(hdr->pld, want, 4);
	hex_decode("2f3e0161", want, 4);
	assert_memory_equal(hdr->pld + 60, want, 4);
	hex_decode("2858c336", want, 4);
	assert_memory_equal(hdr->ald, want, 4);
	hex_decode("9fe67af5", want, 4);
	assert_memory_equal(hdr->tld + 60, want, 4);
	hex_decode("92309d4589b9a85b427f8753171d1520", want, 16);
	assert_memory_equal(hdr->tag, want, 16);
	assert_int_equal(pv_sehdr_serialize(hdr, c, sizeof(c), NULL), 0);
	assert_memory_equal(b, c, sizeof(b));
	pv_sehdr_free(hdr);
}

static void test_probe_in_image(void **state)
{
	struct pv_sehdr *hdr = NULL;
	uint32_t phs = 0;
	uint8_t *img;

	/* §9.3: the real header at a page boundary of a larger buffer */
	img = calloc(1, 0x13000);
	assert_non_null(img);
	assert_int_equal(hex_decode(real_hdr, img + 0x12000, 640), 640);
	assert_false(pv_sehdr_probe(img + 0x11000, 0x2000, NULL));
	assert_true(pv_sehdr_probe(img + 0x12000, 0x1000, &phs));
	assert_int_equal(phs, 640);
	assert_int_equal(pv_sehdr_parse(img + 0x12000, 0x1000, &hdr, NULL), 0);
	assert_true(hdr->nep == 0xFC25);
	pv_sehdr_free(hdr);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_layout_offsets),
		cmocka_unit_test(test_parse_serialize_roundtrip),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_truncated_everywhere),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_serialize_rejects),
		cmocka_unit_test(test_find_slot),
		cmocka_unit_test(test_flag_masks),
		cmocka_unit_test(test_secret_pack),
		cmocka_unit_test(test_real_header_9_3),
		cmocka_unit_test(test_probe_in_image),
	};

	return cmocka_run_group_tests_name("sehdr", tests, NULL, NULL);
}
