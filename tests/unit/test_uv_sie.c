// SPDX-License-Identifier: MIT
/*
 * Software UV: SIE entry of a secure CPU names the first step the host
 * has not done yet (pv-machine-and-uv.md §3.5, validity intercept 0x20
 * with a reason 0x20xx): before the image is verified "not verified"
 * (0x2001), after verify and before operating-load "not operating"
 * (0x2002), then the CPU runs.  A refused verify keeps "not verified".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/uv.h"
#include "lib/uvtest.h"

#define VIR_NOT_VERIFIED 0x2001
#define VIR_NOT_OPERATING 0x2002

static struct uvt_guest *guest;

static int setup(void **state)
{
	return uvt_guest_build(NULL, &guest) ? -1 : 0;
}

static int teardown(void **state)
{
	uvt_guest_free(guest);
	return 0;
}

/* 0 when the CPU may run, else the validity reason (or the intercept). */
static unsigned int entry(struct uvt_host *h)
{
	uint16_t why = 0;
	int ic = pv_uv_sie_entry(h->uv, h->cpu, 0, &why);

	return ic == PV_SIE_IC_VALIDITY ? why : (unsigned int)ic;
}

static void test_steps_in_order(void **state)
{
	struct uvt_host h;

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(entry(&h), VIR_NOT_VERIFIED);
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	assert_int_equal(entry(&h), VIR_NOT_VERIFIED);
	assert_int_equal(uvt_unpack_all(&h, guest), UVT_OK);
	assert_int_equal(entry(&h), VIR_NOT_VERIFIED);
	assert_int_equal(uvt_verify(&h), UVT_OK);
	assert_int_equal(entry(&h), VIR_NOT_OPERATING);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_OK);
	assert_int_equal(entry(&h), 0);
	uvt_host_free(&h);
}

static void test_refused_verify(void **state)
{
	struct uvt_host h;

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	/* only the first page: the page count is wrong */
	assert_int_equal(uvt_unpack(&h, guest->comp[0].addr,
				    guest->comp[0].tweak_pref, 0), UVT_OK);
	assert_int_not_equal(uvt_verify(&h), UVT_OK);
	assert_int_equal(entry(&h), VIR_NOT_VERIFIED);
	assert_int_not_equal(uvt_cpu_state(&h, h.cpu,
					   PV_UV_CPU_OPERATING_LOAD), UVT_OK);
	assert_int_equal(entry(&h), VIR_NOT_VERIFIED);
	uvt_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_in_order),
		cmocka_unit_test(test_refused_verify),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
