// SPDX-License-Identifier: MIT
/*
 * Software UV: sampled single-bit flips in encrypted component pages are
 * refused at verify with rrc 0x001b (page-list digest), B-11.  Every flip
 * gets a fresh configuration (create, SSC, unpack of every page, verify,
 * destroy), so each one is a complete, independent boot attempt.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/uv.h"
#include "lib/uvtest.h"


#define FLIPS_PER_TEST 2560	/* four tests: 10,240 flips */

static struct uvt_guest *guest;
static struct uvt_host host;
static uint64_t comp_bits;	/* bits in all component pages */

static int group_setup(void **state)
{
	struct uvt_opts o = { .mem_size = 0x40000 };

	if (uvt_guest_build(&o, &guest) || uvt_host_new(&host, guest, 0))
		return -1;
	for (unsigned int i = 0; i < guest->ncomp; i++)
		comp_bits += guest->comp[i].len * 8;
	return 0;
}

static int group_teardown(void **state)
{
	uvt_host_free(&host);
	uvt_guest_free(guest);
	return 0;
}

/* Guest address of component bit @n (components in IPIB order). */
static uint64_t bit_addr(uint64_t n, unsigned int *bit)
{
	for (unsigned int i = 0; i < guest->ncomp; i++) {
		if (n < guest->comp[i].len * 8) {
			*bit = n % 8;
			return guest->comp[i].addr + n / 8;
		}
		n -= guest->comp[i].len * 8;
	}
	fail();
	return 0;
}

static void restore_comps(void)
{
	for (unsigned int i = 0; i < guest->ncomp; i++)
		memcpy(host.ram + guest->comp[i].addr,
		       guest->image + guest->comp[i].addr, guest->comp[i].len);
}

/* xorshift64*: a fixed, reproducible sample per test. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static void run_flips(uint64_t seed, int count)
{
	uint64_t s = seed;

	for (int i = 0; i < count; i++) {
		uint64_t n = next(&s) % comp_bits;
		unsigned int bit = 0;
		uint64_t a = bit_addr(n, &bit);
		uint32_t w;

		restore_comps();
		host.ram[a] ^= (uint8_t)(0x80 >> bit);
		assert_int_equal(uvt_create(&host), UVT_OK);
		assert_int_equal(uvt_ssc(&host, guest->hdr, guest->hdr_len),
				 UVT_OK);
		assert_int_equal(uvt_unpack_all(&host, guest), UVT_OK);
		w = uvt_verify(&host);
		if (w != UVT_RC(0x0102, PV_UV_RRC_PLD))
			fail_msg("flip at 0x%llx bit %u: verify gave %08x",
				 (unsigned long long)a, bit, w);
		assert_int_equal(uvt_teardown(&host), UVT_OK);
	}
	/* Control: the untouched image boots in the same host. */
	restore_comps();
	assert_int_equal(uvt_boot(&host, guest), 0);
	assert_memory_equal(host.ram + guest->comp[0].addr,
			    guest->plain + guest->comp[0].addr, PV_PAGE_SIZE);
	assert_int_equal(uvt_teardown(&host), UVT_OK);
}

static void test_flips_a(void **state)
{
	run_flips(0x9e3779b97f4a7c15ULL, FLIPS_PER_TEST);
}

static void test_flips_b(void **state)
{
	run_flips(0xd1b54a32d192ed03ULL, FLIPS_PER_TEST);
}

static void test_flips_c(void **state)
{
	run_flips(0x8cb92ba72f3d8dd7ULL, FLIPS_PER_TEST);
}

static void test_flips_d(void **state)
{
	run_flips(0x2545f4914f6cdd1dULL, FLIPS_PER_TEST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flips_a),
		cmocka_unit_test(test_flips_b),
		cmocka_unit_test(test_flips_c),
		cmocka_unit_test(test_flips_d),
	};

	return cmocka_run_group_tests_name("uv_flips", tests, group_setup,
					   group_teardown);
}
