// SPDX-License-Identifier: MIT
/*
 * Unit tests for the embedded s390x blobs (layout facts the image builder
 * and the machine rely on) and the pvsum64 initrd checksum.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/boot_abi.h"
#include "pvboot/boot_blobs.h"

/* sr %r0,%r0; lhi %r1,1; sigp %r1,%r0,0x12; sam64 */
static const uint8_t set_arch[] = {
	0x1b, 0x00, 0xa7, 0x18, 0x00, 0x01, 0xae, 0x10, 0x00, 0x12, 0x01, 0x0e,
};

static int all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i])
			return 0;
	}
	return 1;
}

static int contains(const struct pv_blob *b, const char *text)
{
	size_t n = strlen(text), i;

	for (i = 0; i + n <= b->len; i++) {
		if (!memcmp(b->data + i, text, n))
			return 1;
	}
	return 0;
}

static void test_stage3a_layout(void **state)
{
	const struct pv_blob *b = &pv_blob_stage3a;
	int64_t disp;

	assert_string_equal(b->name, "stage3a.bin");
	/* se-image-format.md §2.1, §3.1: main at 0x11000, end < 0x13000. */
	assert_true(b->len > 0x1000 + 24);
	assert_true(0x10000 + b->len <= 0x13000);
	/* Init stub at 0x10000: set-arch, then jg to 0x11000 (< 0x400). */
	assert_memory_equal(b->data, set_arch, sizeof(set_arch));
	assert_int_equal(b->data[12], 0xc0);
	assert_int_equal(b->data[13], 0xf4);
	disp = (int32_t)pv_get_be32(b->data + 14);
	assert_int_equal(12 + 2 * disp, 0x1000);
	assert_true(all_zero(b->data + 18, 0x400 - 18));
	assert_memory_equal(b->data + 0x1000, set_arch, sizeof(set_arch));
	/* Parameter block: the last 24 bytes, left zero for the builder. */
	assert_true(all_zero(b->data + b->len - 24, 24));
	assert_true(contains(b, "Secure unpack facility is not available"));
	assert_true(contains(b, "Protected boot has failed"));
	assert_true(contains(b, "page list digest mismatch"));
}

static void test_stage3b_reloc_layout(void **state)
{
	const struct pv_blob *b = &pv_blob_stage3b_reloc;

	assert_string_equal(b->name, "stage3b_reloc.bin");
	assert_memory_equal(b->data, set_arch, sizeof(set_arch));
	/* stage3b runs at 0xA000 and must end below 0xF000. */
	assert_true(b->len > 64 && b->len < 0x5000);
	assert_true(all_zero(b->data + b->len - 64, 64));
	assert_true(contains(b, "Command line needs to be null-terminated"));
	assert_true(contains(b, "Invalid kernel"));
}

static void test_testkernel_layout(void **state)
{
	const struct pv_blob *b = &pv_blob_testkernel;
	uint64_t psw;

	assert_string_equal(b->name, "testkernel.bin");
	/* After stage3b drops 64 KiB nothing may reach 0x14000. */
	assert_true(b->len > 0x11480 && b->len <= 0x14000);
	psw = pv_get_be64(b->data);
	assert_int_equal(psw & 0x7fffffff, 0x10000);
	assert_true(psw & 0x0008000000000000ULL);
	assert_memory_equal(b->data + 0x10008, "S390EP", 6);
	assert_int_equal(b->data[0x10000], 0xa7);	/* j over the marker */
	/* Parameter area: no initrd, 1024-byte command line, empty. */
	assert_int_equal(pv_get_be64(b->data + 0x10408), 0);
	assert_int_equal(pv_get_be64(b->data + 0x10410), 0);
	assert_int_equal(pv_get_be64(b->data + 0x10430), 1024);
	assert_true(all_zero(b->data + 0x10480, 1024));
	assert_true(contains(b, "pvboot test kernel: all checks passed"));
	assert_true(contains(b, "initrd pvsum64: 0x%016lx"));
}

/* Known answers from an independent implementation of the definition. */
static void test_pvsum64_known_answers(void **state)
{
	uint8_t pat[1000], zero[8] = { 0 };
	size_t i;

	for (i = 0; i < sizeof(pat); i++)
		pat[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(pv_sum64("", 0), 0x50230369aac10987ULL);
	assert_int_equal(pv_sum64("a", 1), 0x711437a19ad37dafULL);
	assert_int_equal(pv_sum64("abcdefgh", 8), 0x6de72eff3e547027ULL);
	assert_int_equal(pv_sum64("abcdefghi", 9), 0x8ad29a4f3d0efde0ULL);
	assert_int_equal(pv_sum64(zero, 8), 0xb8398c090fbd8b6fULL);
	assert_int_equal(pv_sum64(zero, 7), 0xb2f7aa342d7925a2ULL);
	assert_int_equal(pv_sum64(pat, sizeof(pat)), 0xc75e8c0b90424547ULL);
}

static void test_pvsum64_streaming(void **state)
{
	uint8_t buf[777];
	uint64_t want;
	size_t i, a, b;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + 17);
	want = pv_sum64(buf, sizeof(buf));
	for (a = 0; a <= 20; a++) {
		for (b = a; b <= a + 19; b++) {
			struct pv_sum64 s;

			pv_sum64_init(&s);
			pv_sum64_update(&s, buf, a);
			pv_sum64_update(&s, buf + a, b - a);
			pv_sum64_update(&s, buf + b, sizeof(buf) - b);
			assert_int_equal(pv_sum64_final(&s), want);
		}
	}
}

static void test_pvsum64_sensitivity(void **state)
{
	uint8_t buf[64];
	uint64_t base;
	size_t i;

	memset(buf, 0x5a, sizeof(buf));
	base = pv_sum64(buf, sizeof(buf));
	/* Every single-bit flip changes the sum. */
	for (i = 0; i < sizeof(buf) * 8; i++) {
		buf[i / 8] ^= (uint8_t)(1 << (i % 8));
		assert_int_not_equal(pv_sum64(buf, sizeof(buf)), base);
		buf[i / 8] ^= (uint8_t)(1 << (i % 8));
	}
	/* Zero padding of the tail is not the same as real zero bytes. */
	assert_int_not_equal(pv_sum64(buf, 61), pv_sum64(buf, 62));
	memset(buf + 61, 0, 3);
	assert_int_not_equal(pv_sum64(buf, 61), pv_sum64(buf, 64));
	/* Swapping two words changes the sum. */
	memcpy(buf, "AAAAAAAABBBBBBBB", 16);
	base = pv_sum64(buf, 16);
	memcpy(buf, "BBBBBBBBAAAAAAAA", 16);
	assert_int_not_equal(pv_sum64(buf, 16), base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage3a_layout),
		cmocka_unit_test(test_stage3b_reloc_layout),
		cmocka_unit_test(test_testkernel_layout),
		cmocka_unit_test(test_pvsum64_known_answers),
		cmocka_unit_test(test_pvsum64_streaming),
		cmocka_unit_test(test_pvsum64_sensitivity),
	};

	return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
