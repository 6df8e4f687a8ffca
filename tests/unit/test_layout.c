// SPDX-License-Identifier: MIT
/*
 * Unit tests for the small image blocks: tweak prefix, short PSW, stage3a
 * and stage3b parameter blocks, Layout-R metadata (se-image-format.md §2,
 * §3, §9.5).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/layout.h"

static void test_tweak_prefix_kat(void **state)
{
	static const uint8_t rand6[6] = { 0x9d, 0xef, 0x2c, 0x67, 0xdb, 0x76 };
	static const uint8_t want[8] = { 0x00, 0x03, 0x9d, 0xef,
					 0x2c, 0x67, 0xdb, 0x76 };
	uint8_t b[8];
	uint64_t p;

	/* §9.5: id 3, rand 9def2c67db76 */
	p = pv_tweak_prefix(3, rand6);
	assert_true(p == 1018075497880438ULL);
	pv_put_be64(b, p);
	assert_memory_equal(b, want, 8);
	assert_int_equal(pv_tweak_prefix_id(p), 3);
	p = pv_tweak_prefix(PV_TWEAK_ID_R_STAGE3B, rand6);
	assert_int_equal(pv_tweak_prefix_id(p), 70);
	assert_true((p & 0xFFFFFFFFFFFFULL) == 0x9def2c67db76ULL);
}

static void test_short_psw_kat(void **state)
{
	struct pv_err *err = NULL;
	uint64_t sw = 0;

	/* §9.5 */
	assert_int_equal(pv_psw_to_short(0x180000000ULL, 0x11000, &sw, &err),
			 0);
	assert_null(err);
	assert_true(sw == 0x0008000180011000ULL);
	assert_true(sw == PV_SHORT_PSW_SE);
	assert_int_equal(pv_psw_to_short(0x80000000ULL, 0x7FFFFFFF, &sw,
					 NULL), 0);
	assert_true(sw == 0x00080000FFFFFFFFULL);
}

static void test_short_psw_errors(void **state)
{
	struct pv_err *err = NULL;
	uint64_t sw = 0x1234;

	/* §2.1: mask bits 33..63 cannot be expressed */
	assert_int_equal(pv_psw_to_short(0x180000001ULL, 0x11000, &sw, &err),
			 -PV_ERR_RANGE);
	assert_non_null(err);
	assert_int_equal(err->code, PV_ERR_RANGE);
	assert_non_null(strstr(err->msg, "0x0000000180000001"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_psw_to_short(0x40000000ULL, 0, &sw, NULL),
			 -PV_ERR_RANGE);
	/* bit 12 is the short-format marker */
	assert_int_equal(pv_psw_to_short(0x0008000180000000ULL, 0x11000, &sw,
					 &err), -PV_ERR_RANGE);
	assert_non_null(strstr(err->msg, "bit 12"));
	pv_err_free(err);
	err = NULL;
	/* address beyond 31 bits */
	assert_int_equal(pv_psw_to_short(0x180000000ULL, 0x80000000ULL, &sw,
					 &err), -PV_ERR_RANGE);
	assert_non_null(strstr(err->msg, "0x80000000"));
	pv_err_free(err);
	assert_true(sw == 0x1234);	/* untouched on error */
}

static void test_short_psw_inverse(void **state)
{
	uint64_t mask, addr, sw;

	/* guest-boot-probe.md §0 */
	pv_psw_from_short(0x0008000180011000ULL, &mask, &addr);
	assert_true(mask == 0x0000000180000000ULL);
	assert_true(addr == 0x11000);
	pv_psw_from_short(0x0008000080010000ULL, &mask, &addr);
	assert_true(mask == 0x0000000080000000ULL);
	assert_true(addr == 0x10000);
	/* round trip */
	assert_int_equal(pv_psw_to_short(0x0702000180000000ULL, 0x4d2, &sw,
					 NULL), 0);
	pv_psw_from_short(sw, &mask, &addr);
	assert_true(mask == 0x0702000180000000ULL);
	assert_true(addr == 0x4d2);
}

static void test_stage3a_parms(void **state)
{
	/* §2.4 worked example, Layout-R */
	struct pv_stage3a_parms p = {
		.hdr_offs = 0x1BB0, .hdr_size = 0x280, .ipib_offs = 0xF05BB0,
	}, q;
	uint8_t b[PV_STAGE3A_PARMS_SIZE];

	pv_stage3a_parms_pack(&p, b);
	assert_true(pv_get_be64(b) == 0x1BB0);
	assert_true(pv_get_be64(b + 8) == 0x280);
	assert_true(pv_get_be64(b + 16) == 0xF05BB0);
	assert_int_equal(b[7], 0xB0);
	memset(&q, 0xAA, sizeof(q));
	pv_stage3a_parms_unpack(b, &q);
	assert_memory_equal(&p, &q, sizeof(p));
}

static void test_stage3b_parms(void **state)
{
	struct pv_stage3b_parms p = {
		.kernel_src = 0x15000, .kernel_size = 0x500000,
		.cmdline_src = 0xF15000, .cmdline_size = 31,
		.initrd_src = 0x515000, .initrd_size = 0xA00000,
		.psw_mask = 0x0000000180000000ULL, .psw_addr = PV_IMAGE_ENTRY,
	}, q;
	uint8_t b[PV_STAGE3B_PARMS_SIZE];
	unsigned int i;

	pv_stage3b_parms_pack(&p, b);
	/* §3.3 field order */
	assert_true(pv_get_be64(b + 0x00) == 0x15000);
	assert_true(pv_get_be64(b + 0x08) == 0x500000);
	assert_true(pv_get_be64(b + 0x10) == 0xF15000);
	assert_true(pv_get_be64(b + 0x18) == 31);
	assert_true(pv_get_be64(b + 0x20) == 0x515000);
	assert_true(pv_get_be64(b + 0x28) == 0xA00000);
	assert_true(pv_get_be64(b + 0x30) == 0x0000000180000000ULL);
	assert_true(pv_get_be64(b + 0x38) == 0x10000);
	pv_stage3b_parms_unpack(b, &q);
	assert_memory_equal(&p, &q, sizeof(p));
	for (i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)i;
	pv_stage3b_parms_unpack(b, &q);
	assert_true(q.psw_addr == 0x38393a3b3c3d3e3fULL);
}

static void test_meta_kat(void **state)
{
	static const uint8_t want[PV_META_SIZE] = {
		0x53, 0x65, 0x49, 0x6d, 0x67, 0x4c, 0x6e, 0x78,
		0, 0, 0, 0, 0, 0x01, 0x40, 0x00,
		0, 0, 0, 0x01,
		0, 0, 0, 0, 0, 0x01, 0x60, 0x00,
	};
	struct pv_meta m = {
		.hdr_off = 0x14000, .version = PV_META_VERSION,
		.ipib_off = 0x16000,
	}, q;
	uint8_t b[PV_META_SIZE];
	struct pv_err *err = NULL;

	/* §2.3: SeImgMetaData::new_v1(0x14000, 0x16000) */
	pv_meta_pack(&m, b);
	assert_memory_equal(b, want, sizeof(want));
	assert_int_equal(pv_meta_unpack(b, sizeof(b), &q, &err), 0);
	assert_true(q.hdr_off == 0x14000 && q.ipib_off == 0x16000);
	assert_int_equal(q.version, 1);

	assert_int_equal(pv_meta_unpack(b, sizeof(b) - 1, &q, &err),
			 -PV_ERR_TRUNC);
	assert_int_equal(err->code, PV_ERR_TRUNC);
	pv_err_free(err);
	err = NULL;
	b[0] ^= 0x20;	/* "seImgLnx" */
	assert_int_equal(pv_meta_unpack(b, sizeof(b), &q, &err),
			 -PV_ERR_FORMAT);
	assert_non_null(strstr(err->msg, "SeImgLnx"));
	pv_err_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tweak_prefix_kat),
		cmocka_unit_test(test_short_psw_kat),
		cmocka_unit_test(test_short_psw_errors),
		cmocka_unit_test(test_short_psw_inverse),
		cmocka_unit_test(test_stage3a_parms),
		cmocka_unit_test(test_stage3b_parms),
		cmocka_unit_test(test_meta_kat),
	};

	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
