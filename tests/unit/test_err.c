// SPDX-License-Identifier: MIT
/* Unit tests for the error type and the big-endian accessors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/err.h"

static void test_err_first_wins(void **state)
{
	struct pv_err *err = NULL;

	assert_int_equal(pv_err_set(&err, PV_ERR_FORMAT, "bad %s", "magic"),
			 -PV_ERR_FORMAT);
	assert_int_equal(pv_err_set(&err, PV_ERR_IO, "later"), -PV_ERR_IO);
	assert_int_equal(err->code, PV_ERR_FORMAT);
	assert_string_equal(err->msg, "bad magic");
	pv_err_prefix(&err, "image '%s': ", "x.img");
	assert_string_equal(err->msg, "image 'x.img': bad magic");
	assert_string_equal(pv_err_name(err->code), "format");
	pv_err_free(err);
}

static void test_err_null_sink(void **state)
{
	assert_int_equal(pv_err_set(NULL, PV_ERR_AUTH, "x"), -PV_ERR_AUTH);
	assert_int_equal(pv_err_prefix(NULL, "x"), -PV_ERR_INTERNAL);
	assert_string_equal(pv_err_name(-PV_ERR_AUTH), "auth");
	assert_string_equal(pv_err_name(999), "unknown");
	pv_err_free(NULL);
}

static void test_be_roundtrip(void **state)
{
	uint8_t b[8];

	pv_put_be64(b, 0x0008000180011000ULL);
	assert_memory_equal(b, "\x00\x08\x00\x01\x80\x01\x10\x00", 8);
	assert_true(pv_get_be64(b) == 0x0008000180011000ULL);
	pv_put_be32(b, 0xdeadbeef);
	assert_int_equal(pv_get_be32(b), 0xdeadbeef);
	assert_int_equal(b[0], 0xde);
	pv_put_be16(b, 0x0a02);
	assert_int_equal(pv_get_be16(b), 0x0a02);
	assert_int_equal(b[1], 0x02);
	assert_true(pv_page_align(0) == 0);
	assert_true(pv_page_align(1) == 4096);
	assert_true(pv_page_align(4096) == 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_first_wins),
		cmocka_unit_test(test_err_null_sink),
		cmocka_unit_test(test_be_roundtrip),
	};

	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
