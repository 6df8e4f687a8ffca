// SPDX-License-Identifier: MIT
/*
 * Software UV: set secure configuration parameters (0x0300) - every header
 * check with its rc/rrc (pv-machine-and-uv.md §4.6, U-06) and an
 * exhaustive single-bit-flip run over a whole sealed header.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/sehdr.h"
#include "pvboot/uv.h"
#include "lib/uvtest.h"


static struct uvt_guest *guest;

static int group_setup(void **state)
{
	return uvt_guest_build(NULL, &guest) ? -1 : 0;
}

static int group_teardown(void **state)
{
	uvt_guest_free(guest);
	return 0;
}

/* A host with a configuration, ready for SSC. */
static void host(struct uvt_host *h, const struct uvt_guest *g)
{
	assert_int_equal(uvt_host_new(h, g, 0), 0);
	assert_int_equal(uvt_create(h), UVT_OK);
}

/* SSC of the default header patched by @fn. */
static uint32_t ssc_patched(void (*fn)(uint8_t *hdr, uint32_t *len))
{
	struct uvt_host h;
	uint32_t len = guest->hdr_len, w;
	uint8_t *hdr = malloc(PV_SEHDR_MAX_SIZE);

	assert_non_null(hdr);
	memcpy(hdr, guest->hdr, len);
	fn(hdr, &len);
	host(&h, guest);
	w = uvt_ssc(&h, hdr, len);
	uvt_host_free(&h);
	free(hdr);
	return w;
}

static void p_magic(uint8_t *h, uint32_t *len)
{
	h[3] ^= 1;
}

static void p_version(uint8_t *h, uint32_t *len)
{
	pv_put_be32(h + PV_SEHDR_OFF_VERSION, 0x200);
}

static void p_len_short(uint8_t *h, uint32_t *len)
{
	*len -= 16;
}

static void p_phs(uint8_t *h, uint32_t *len)
{
	pv_put_be32(h + PV_SEHDR_OFF_PHS, *len + 80);
}

static void p_tiny(uint8_t *h, uint32_t *len)
{
	*len = 0x100;
}

static void p_nks0(uint8_t *h, uint32_t *len)
{
	pv_put_be64(h + PV_SEHDR_OFF_NKS, 0);
}

static void p_nks2(uint8_t *h, uint32_t *len)
{
	pv_put_be64(h + PV_SEHDR_OFF_NKS, 2);
}

static void p_sea(uint8_t *h, uint32_t *len)
{
	pv_put_be64(h + PV_SEHDR_OFF_SEA, 144);
}

static void p_pcf(uint8_t *h, uint32_t *len)
{
	pv_put_be64(h + PV_SEHDR_OFF_PCF, PV_PCF_DEFAULT | 1ULL << 40);
}

static void p_phkh(uint8_t *h, uint32_t *len)
{
	h[PV_SEHDR_OFF_SLOTS + 5] ^= 0x80;
}

static void p_cust_key(uint8_t *h, uint32_t *len)
{
	h[PV_SEHDR_OFF_CUSTPUB + 159] ^= 1;	/* point leaves the curve */
}

static void p_wrpk(uint8_t *h, uint32_t *len)
{
	h[PV_SEHDR_OFF_SLOTS + 40] ^= 4;
}

static void p_tag(uint8_t *h, uint32_t *len)
{
	h[*len - 1] ^= 1;
}

static void p_pld(uint8_t *h, uint32_t *len)
{
	h[PV_SEHDR_OFF_PLD] ^= 1;	/* AAD: header tag fails */
}

/* U-06: the plain-part checks, each with its rc/rrc. */
static void test_plain_checks(void **state)
{
	assert_int_equal(ssc_patched(p_magic), UVT_RC(0x0104, 0x0002));
	assert_int_equal(ssc_patched(p_version), UVT_RC(0x0104, 0x0001));
	assert_int_equal(ssc_patched(p_len_short), UVT_RC(0x010a, 0x0031));
	assert_int_equal(ssc_patched(p_phs), UVT_RC(0x010a, 0x0031));
	assert_int_equal(ssc_patched(p_tiny), UVT_RC(0x010a, 0x0031));
	assert_int_equal(ssc_patched(p_nks0), UVT_RC(0x010a, 0x0040));
	assert_int_equal(ssc_patched(p_nks2), UVT_RC(0x010a, 0x0031));
	assert_int_equal(ssc_patched(p_sea), UVT_RC(0x010a, 0x0039));
	assert_int_equal(ssc_patched(p_pcf), UVT_RC(0x0106, 0x0030));
}

/* U-06: key and authentication checks. */
static void test_key_checks(void **state)
{
	assert_int_equal(ssc_patched(p_phkh), UVT_RC(0x0108, 0x0005));
	assert_int_equal(ssc_patched(p_cust_key), UVT_RC(0x0108, 0x000b));
	assert_int_equal(ssc_patched(p_wrpk), UVT_RC(0x0108, 0x0006));
	assert_int_equal(ssc_patched(p_tag), UVT_RC(0x0108, 0x0007));
	assert_int_equal(ssc_patched(p_pld), UVT_RC(0x0108, 0x0007));
}

/* B-05: an image for another host -> 0x0108 / 0x0005. */
static void test_wrong_host_key(void **state)
{
	struct uvt_guest *other;
	struct uvt_host h;

	assert_int_equal(uvt_guest_build(NULL, &other), 0);
	host(&h, guest);
	assert_int_equal(uvt_ssc(&h, other->hdr, other->hdr_len),
			 UVT_RC(0x0108, 0x0005));
	/* Nothing was accepted: the right header still works. */
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	/* B-05: the hypervisor then destroys CPU and configuration. */
	assert_int_equal(uvt_teardown(&h), UVT_OK);
	assert_int_equal(uvt_verify(&h), UVT_RC(PV_UV_RC_INV_GHANDLE, 0));
	uvt_host_free(&h);
	uvt_guest_free(other);
}

/* Several host keys and slots: the UV finds its slot wherever it is. */
static void test_many_keys_and_slots(void **state)
{
	struct uvt_opts o = { .extra_slots = 4, .own_slot_last = true };
	struct uvt_guest *g;
	struct uvt_host h;

	assert_int_equal(uvt_guest_build(&o, &g), 0);
	assert_int_equal(uvt_host_new(&h, g, 2), 0);
	assert_int_equal(pv_uv_host_key_count(h.uv), 3);
	assert_int_equal(uvt_boot(&h, g), 0);
	uvt_host_free(&h);
	uvt_guest_free(g);
}

static void expect_secret_fail(const struct uvt_opts *o, uint32_t want)
{
	struct uvt_guest *g;
	struct uvt_host h;

	assert_int_equal(uvt_guest_build(o, &g), 0);
	host(&h, g);
	assert_int_equal(uvt_ssc(&h, g->hdr, g->hdr_len), want);
	uvt_host_free(&h);
	uvt_guest_free(g);
}

/* Checks of the decrypted part: SCF, optional items, PSW, image key. */
static void test_secret_checks(void **state)
{
	struct uvt_opts scf = { .scf = 1ULL << 63 };
	struct uvt_opts noi = { .noi = 1 };
	struct uvt_opts nomode = { .psw_mask = 0x0000000080000000ULL };
	struct uvt_opts bit12 = { .psw_mask = PV_PSW_MASK_64 |
					      0x0008000000000000ULL };
	struct uvt_opts odd = { .psw_addr = 0x10001 };
	struct uvt_opts far = { .psw_addr = 0x40000000 };
	struct uvt_opts xk = { .xk_equal_halves = true };
	struct uvt_opts okscf = { .scf = PV_SCF_CCK_EXT_SECRET,
				  .psw_mask = PV_PSW_MASK_64 |
					      0x0400000000000000ULL };

	expect_secret_fail(&scf, UVT_RC(0x0109, 0));
	expect_secret_fail(&noi, UVT_RC(0x010a, 0x003a));
	expect_secret_fail(&nomode, UVT_RC(0x010a, 0x003b));
	expect_secret_fail(&bit12, UVT_RC(0x010a, 0x003b));
	expect_secret_fail(&odd, UVT_RC(0x010a, 0x003b));
	expect_secret_fail(&far, UVT_RC(0x010a, 0x003b));
	expect_secret_fail(&xk, UVT_RC(0x010a, 0x003c));
	/* Known SCF bit and a DAT-on PSW are fine. */
	expect_secret_fail(&okscf, UVT_OK);
}

/* Handle, accessibility, length and state checks. */
static void test_ssc_access_and_state(void **state)
{
	uint8_t cb[0x50];
	struct uvt_host h;

	host(&h, guest);
	h.conf ^= 0x10000;
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len),
			 UVT_RC(PV_UV_RC_INV_GHANDLE, 0));
	h.conf ^= 0x10000;
	/* Header not in host memory / crossing the end of a region. */
	uvt_cb(cb, PV_UVC_SET_SEC_PARMS);
	pv_put_be64(cb + PV_UVCB_HANDLE, h.conf);
	pv_put_be64(cb + PV_UVCB_SSC_ORIGIN, 0x40000000);
	pv_put_be32(cb + PV_UVCB_SSC_LEN, guest->hdr_len);
	assert_int_equal(uvt_call(h.uv, cb), 1);
	assert_int_equal(uvt_rc(cb), 0x0103);
	pv_put_be64(cb + PV_UVCB_SSC_ORIGIN, h.ram_size - 0x100);
	assert_int_equal(uvt_call(h.uv, cb), 1);
	assert_int_equal(uvt_rc(cb), 0x0103);
	/* Header inside UV-donated storage. */
	pv_put_be64(cb + PV_UVCB_SSC_ORIGIN, UVT_AREA);
	assert_int_equal(uvt_call(h.uv, cb), 1);
	assert_int_equal(uvt_rc(cb), 0x0103);
	/* Longer than 8192. */
	pv_put_be64(cb + PV_UVCB_SSC_ORIGIN, h.hdr_addr);
	pv_put_be32(cb + PV_UVCB_SSC_LEN, 8193);
	assert_int_equal(uvt_call(h.uv, cb), 1);
	assert_int_equal(uvt_rc(cb), 0x010a);
	assert_int_equal(uvt_rrc(cb), 0x0031);
	/* Accepted once; a second SSC is refused (invalid state). */
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	/* The UV works on its own copy: changing the host copy now has no
	 * effect on verify. */
	memset(h.area + (h.hdr_addr - UVT_AREA), 0, guest->hdr_len);
	assert_int_equal(uvt_unpack_all(&h, guest), UVT_OK);
	assert_int_equal(uvt_verify(&h), UVT_OK);
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	uvt_host_free(&h);
}

/*
 * Every single-bit flip of the whole sealed header is refused at SSC, and
 * each refusal is one of the documented header errors.  A refused SSC
 * changes nothing, so one configuration serves all flips.
 */
static void test_exhaustive_header_flips(void **state)
{
	uint32_t len = guest->hdr_len, counts[8] = { 0 };
	uint8_t *hdr = malloc(len);
	struct uvt_host h;

	assert_non_null(hdr);
	memcpy(hdr, guest->hdr, len);
	host(&h, guest);
	for (uint32_t bit = 0; bit < len * 8; bit++) {
		uint32_t w;

		hdr[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		w = uvt_ssc(&h, hdr, len);
		hdr[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		if (w == UVT_OK)
			fail_msg("flip of header bit %u accepted", bit);
		switch (w) {
		case UVT_RC(0x0104, 0x0002):
			counts[0]++;
			break;
		case UVT_RC(0x0104, 0x0001):
			counts[1]++;
			break;
		case UVT_RC(0x010a, 0x0031):
		case UVT_RC(0x010a, 0x0039):
		case UVT_RC(0x010a, 0x0040):
			counts[2]++;
			break;
		case UVT_RC(0x0106, 0x0030):
			counts[3]++;
			break;
		case UVT_RC(0x0108, 0x0005):
			counts[4]++;
			break;
		case UVT_RC(0x0108, 0x000b):
		case UVT_RC(0x0108, 0x0006):
			counts[5]++;
			break;
		case UVT_RC(0x0108, 0x0007):
			counts[6]++;
			break;
		default:
			fail_msg("flip of header bit %u: rc/rrc %08x",
				 bit, w);
		}
	}
	/* Each class was hit: magic 64 bits, version 32, phkh 256, ... */
	assert_int_equal(counts[0], 64);
	assert_int_equal(counts[1], 32);
	assert_int_equal(counts[4], 256);
	for (int i = 2; i < 7; i++)
		assert_true(counts[i] > 0);
	/* The unmodified header is still accepted. */
	assert_int_equal(uvt_ssc(&h, hdr, len), UVT_OK);
	uvt_host_free(&h);
	free(hdr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_checks),
		cmocka_unit_test(test_key_checks),
		cmocka_unit_test(test_wrong_host_key),
		cmocka_unit_test(test_many_keys_and_slots),
		cmocka_unit_test(test_secret_checks),
		cmocka_unit_test(test_ssc_access_and_state),
		cmocka_unit_test(test_exhaustive_header_flips),
	};

	return cmocka_run_group_tests_name("uv_ssc", tests, group_setup,
					   group_teardown);
}
