// SPDX-License-Identifier: MIT
/*
 * Software UV: Retrieve Attestation Measurement (0x1020), every rc of
 * attestation-and-secrets.md §2.3 with one fault at a time, the exact
 * additional-data length (§4.3), the measurement as the trusted side
 * recomputes it (§4), the CUID (§8 #1) and the query fields (§2.2).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "lib/atttest.h"

static struct uvt_guest *guest;
static const uint8_t seed[32] = "attestation test seed, 32 bytes";

static int group_setup(void **state)
{
	return uvt_guest_build(NULL, &guest) ? -1 : 0;
}

static int group_teardown(void **state)
{
	uvt_guest_free(guest);
	return 0;
}

#define ALL_ADD (PV_PAF_IMAGE_PHKH | PV_PAF_ATT_PHKH | PV_PAF_SECRET_HASH | \
		 PV_PAF_FW_STATE)

/* What `attest verify` does with the UV's answer. */
static void verify_measurement(struct at_fix *f, const uint8_t *arcb,
			       size_t len, const uint8_t *arpk,
			       const uint8_t *cb, bool expect_equal)
{
	struct pv_arcb_plain p;
	struct pv_att_input in;
	uint8_t m[64];

	assert_int_equal(pv_arcb_open(arcb, len, arpk, &p, NULL), 0);
	in = (struct pv_att_input){
		.tags = &f->tags, .cuid = cb + PV_UVCB_ATT_CUID,
		.user = cb + PV_UVCB_ATT_USER,
		.user_len = pv_get_be16(cb + PV_UVCB_ATT_USER_LEN),
		.nonce = p.has_nonce ? p.nonce : NULL,
		.add = f->h.ram + AT_ADD,
		.add_len = pv_get_be32(cb + PV_UVCB_ATT_ADD_LEN),
	};
	assert_int_equal(pv_att_measure(p.meas_key, &in, m, NULL), 0);
	assert_true(!memcmp(m, f->h.ram + AT_MEAS, 64) == expect_equal);
	pv_cleanse(&p, sizeof(p));
}

static void test_attest_ok(void **state)
{
	static const uint64_t pafs[] = { 0, PV_PAF_IMAGE_PHKH,
					 PV_PAF_SECRET_HASH, ALL_ADD };
	uint8_t cb[0x188], arpk[32], cuid[16], h0[64];
	struct at_fix f;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	for (size_t i = 0; i < 4; i++) {
		size_t len;
		uint8_t *arcb = at_arcb(&f, NULL, pafs[i], &len, arpk);
		uint32_t need = pv_paf_add_size(pafs[i]);

		assert_non_null(arcb);
		at_att_cb(&f, cb, arcb, len);
		/* more room than needed: the UV writes exactly need (§4.3) */
		pv_put_be32(cb + PV_UVCB_ATT_ADD_LEN, need + 100);
		pv_put_be32(cb + PV_UVCB_ATT_MEAS_LEN, 128);
		pv_put_be16(cb + PV_UVCB_ATT_USER_LEN, 5);
		memcpy(cb + PV_UVCB_ATT_USER, "hello", 5);
		memset(f.h.ram + AT_ADD, 0xcc, 0x1000);
		assert_int_equal(at_call(&f, cb, sizeof(cb)), UVT_OK);
		assert_int_equal(at_cc, 0);
		assert_int_equal(pv_get_be32(cb + PV_UVCB_ATT_MEAS_LEN), 64);
		assert_int_equal(pv_get_be32(cb + PV_UVCB_ATT_ADD_LEN), need);
		assert_int_equal(f.h.ram[AT_ADD + need], 0xcc);
		assert_int_equal(pv_uv_conf_cuid(f.h.uv, f.h.cpu, cuid), 0);
		assert_memory_equal(cb + PV_UVCB_ATT_CUID, cuid, 16);
		verify_measurement(&f, arcb, len, arpk, cb, true);
		/* user data is measured: another byte, another result */
		cb[PV_UVCB_ATT_USER] ^= 1;
		verify_measurement(&f, arcb, len, arpk, cb, false);
		free(arcb);
	}
	/* §4.3 item order with every item: phkh img, phkh att, hash, fw */
	assert_memory_equal(f.h.ram + AT_ADD, guest->phkh, 32);
	assert_memory_equal(f.h.ram + AT_ADD + 32, guest->phkh, 32);
	assert_int_equal(pv_sha512("\0", 1, h0, NULL), 0);
	assert_memory_equal(f.h.ram + AT_ADD + 64, h0, 64);
	assert_memory_equal(f.h.ram + AT_ADD + 128, "SWUV-FWS", 8);
	assert_int_equal(pv_get_be32(f.h.ram + AT_ADD + 128 + 12), 320);
	at_free(&f);
}

/* One fault at a time, with the rc of §2.3 (kvm-unit-tests' cases). */
static void test_attest_rcs(void **state)
{
	uint8_t cb[0x188], arpk[32], *arcb, *bad, cb_big[0x190];
	struct at_fix f;
	size_t len;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	arcb = at_arcb(&f, NULL, PV_PAF_IMAGE_PHKH, &len, arpk);
	assert_non_null(arcb);
	bad = malloc(len + 80);
	assert_non_null(bad);

#define FAULT(rc, stmt) do {                                              \
		memcpy(bad, arcb, len);                                   \
		at_att_cb(&f, cb, arcb, len);                             \
		stmt;                                                     \
		memcpy(f.h.ram + AT_REQ, bad, len);                       \
		assert_int_equal(at_call(&f, cb, sizeof(cb)), UVT_RC(rc, 0)); \
		assert_int_equal(at_cc, 1);                               \
	} while (0)

	FAULT(0x0101, pv_put_be64(cb + PV_UVCB_ATT_CONT, 1));
	FAULT(0x0102, pv_put_be16(cb + PV_UVCB_ATT_USER_LEN, 257));
	FAULT(0x0103, pv_put_be64(cb + PV_UVCB_ATT_ARCB, AT_BAD));
	FAULT(0x0106, pv_put_be32(bad + PV_REQ_OFF_VERSION, 0));
	FAULT(0x0106, pv_put_be32(bad + PV_REQ_OFF_VERSION, 0x200));
	FAULT(0x0107, pv_put_be32(bad + PV_REQ_OFF_RQL, (uint32_t)len + 1));
	FAULT(0x0107, bad[PV_REQ_OFF_NKS] = 2);
	FAULT(0x0108, bad[PV_REQ_OFF_NKS] = 0);
	FAULT(0x0109, pv_put_be64(bad + PV_ARCB_OFF_PAF, PV_PAF_IMAGE_PHKH));
	FAULT(0x0109, pv_put_be32(bad + PV_REQ_OFF_SEA, 17));
	FAULT(0x010a, bad[PV_ARCB_OFF_PAF + 7] = 1);	/* bit 63 */
	FAULT(0x010a, bad[PV_ARCB_OFF_PAF + 7] = 2);	/* bit 62 */
	FAULT(0x010a, bad[PV_ARCB_OFF_PAF] |= 0x80);	/* bit 0 */
	FAULT(0x010b, pv_put_be32(bad + PV_ARCB_OFF_MAI, 0));
	FAULT(0x010b, pv_put_be32(bad + PV_ARCB_OFF_MAI, 2));
	FAULT(0x010d, pv_put_be32(cb + PV_UVCB_ATT_MEAS_LEN, 63));
	FAULT(0x010e, pv_put_be32(cb + PV_UVCB_ATT_ADD_LEN, 31));
	FAULT(0x0104, pv_put_be64(cb + PV_UVCB_ATT_MEAS, AT_BAD));
	FAULT(0x0105, pv_put_be64(cb + PV_UVCB_ATT_ADD, AT_BAD));
	/* the ARCB ends beyond the guest's storage */
	FAULT(0x0103, (pv_put_be64(cb + PV_UVCB_ATT_ARCB,
				   guest->mem_size - 0x40),
		       memcpy(f.h.ram + guest->mem_size - 0x40, arcb, 0x40)));
	/* every authenticated and every encrypted byte -> 0x010C */
	for (size_t i = 0; i < len; i++) {
		if (i == PV_REQ_OFF_VERSION + 3 || i == PV_REQ_OFF_RQL + 3 ||
		    i == PV_REQ_OFF_NKS || i == PV_REQ_OFF_SEA + 3 ||
		    (i >= PV_ARCB_OFF_PAF && i < PV_ARCB_OFF_PAF + 12) ||
		    (i >= 8 && i < 0x10) || i == 0x2c || i == 0x2d ||
		    i == 0x2e || i == 0x0c || i == 0x0d || i == 0x0e)
			continue;	/* fields checked before (above) */
		FAULT(0x010c, bad[i] ^= 0x10);
	}
	free(bad);
	free(arcb);

	/* a request for another host only */
	{
		struct pv_eckey *other = NULL;
		struct pv_rng *rng = NULL;

		assert_int_equal(pv_rng_new_system(&rng, NULL), 0);
		assert_int_equal(pv_eckey_generate(rng, "x", &other, NULL), 0);
		arcb = at_arcb(&f, other, 0, &len, arpk);
		at_att_cb(&f, cb, arcb, len);
		assert_int_equal(at_call(&f, cb, sizeof(cb)),
				 UVT_RC(0x010c, 0));
		free(arcb);
		pv_eckey_free(other);
		pv_rng_free(rng);
	}

	/* UVCB length one more or one less -> 0x0005 */
	arcb = at_arcb(&f, NULL, 0, &len, arpk);
	at_att_cb(&f, cb_big, arcb, len);
	pv_put_be16(cb_big, 0x189);
	assert_int_equal(at_call(&f, cb_big, sizeof(cb_big)), UVT_RC(5, 0));
	at_att_cb(&f, cb_big, arcb, len);
	pv_put_be16(cb_big, 0x187);
	assert_int_equal(at_call(&f, cb_big, sizeof(cb_big)), UVT_RC(5, 0));
	/* a host may not ask (rc 0x0002); problem state -> PGM 2 */
	at_att_cb(&f, cb, arcb, len);
	assert_int_equal(uvt_call(f.h.uv, cb), 1);
	assert_int_equal(uvt_rc(cb), PV_UV_RC_INV_CMD);
	{
		uint16_t pgm = 0;

		at_att_cb(&f, cb, arcb, len);
		assert_int_equal(pv_uv_guest_call(f.h.uv, f.h.cpu, cb,
						  sizeof(cb), true, &pgm), -1);
		assert_int_equal(pgm, PV_PGM_PRIVILEGED);
	}
	free(arcb);
	at_free(&f);
#undef FAULT
}

/* CUID: pinned by a seed, different per configuration, state before SSC. */
static void test_cuid(void **state)
{
	uint8_t c0[16], c1[16], exp[16], cb[0x188], arpk[32], *arcb;
	static const char salt[] = "pvboot reproducible v1";
	struct at_fix f;
	size_t len;

	assert_int_equal(at_boot(&f, guest, seed), 0);
	assert_int_equal(pv_uv_conf_cuid(f.h.uv, f.h.cpu, c0), 0);
	assert_int_equal(pv_hkdf_sha512(seed, 32, (const uint8_t *)salt,
					sizeof(salt) - 1,
					(const uint8_t *)"cuid/0", 6, exp, 16,
					NULL), 0);
	assert_memory_equal(c0, exp, 16);
	assert_int_equal(uvt_teardown(&f.h), UVT_OK);
	uvt_reload_ram(&f.h, guest);
	/* a configuration without a header: attestation is not possible */
	assert_int_equal(uvt_create(&f.h), UVT_OK);
	arcb = at_arcb(&f, NULL, 0, &len, arpk);
	at_att_cb(&f, cb, arcb, len);
	assert_int_equal(at_call(&f, cb, sizeof(cb)),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(pv_uv_conf_cuid(f.h.uv, f.h.cpu, c1), 0);
	assert_int_equal(pv_hkdf_sha512(seed, 32, (const uint8_t *)salt,
					sizeof(salt) - 1,
					(const uint8_t *)"cuid/1", 6, exp, 16,
					NULL), 0);
	assert_memory_equal(c1, exp, 16);
	assert_memory_not_equal(c0, c1, 16);
	assert_int_equal(pv_uv_conf_cuid(f.h.uv, 77, c1), -PV_ERR_INVAL);
	free(arcb);
	at_free(&f);

	/* without a seed: random, so two UVs differ */
	assert_int_equal(at_boot(&f, guest, NULL), 0);
	assert_int_equal(pv_uv_conf_cuid(f.h.uv, f.h.cpu, c1), 0);
	assert_memory_not_equal(c0, c1, 16);
	at_free(&f);
}

/* §2.2: the guest's query announces versions, flags, types, limits. */
static void test_query_fields(void **state)
{
	uint8_t q[0x120];
	struct at_fix f;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	uvt_cb(q, PV_UVC_QUERY);
	assert_int_equal(at_call(&f, q, sizeof(q)), UVT_OK);
	assert_true(pv_get_be64(q + PV_QUI_ATT_VERSIONS) == 1ULL << 63);
	assert_true(pv_get_be64(q + PV_QUI_ATT_PAF) == 0x7c00000000000000ULL);
	assert_true(pv_get_be64(q + PV_QUI_SECRET_VERSIONS) == 1ULL << 63);
	assert_true(pv_get_be64(q + PV_QUI_SECRET_FLAGS) == 1ULL << 63);
	/* types 1-0xA and 0x11-0x16 -> MSB-0 bits 0-9 and 16-21 */
	assert_true(pv_get_be64(q + PV_QUI_SECRET_TYPES) ==
		    0xffc0fc0000000000ULL);
	assert_int_equal(pv_get_be16(q + PV_QUI_MAX_ASSOC), 16);
	assert_int_equal(pv_get_be16(q + PV_QUI_MAX_RETR), 32);
	at_free(&f);
}

/* Every rql below the real one (and one above) is refused. */
static void test_attest_truncated(void **state)
{
	uint8_t cb[0x188], arpk[32], *arcb;
	struct at_fix f;
	size_t len;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	arcb = at_arcb(&f, NULL, PV_PAF_SECRET_HASH, &len, arpk);
	for (size_t n = 0; n <= len + 1; n++) {
		if (n == len)
			continue;
		at_att_cb(&f, cb, arcb, len);
		pv_put_be32(f.h.ram + AT_REQ + PV_REQ_OFF_RQL, (uint32_t)n);
		assert_int_equal(at_call(&f, cb, sizeof(cb)),
				 UVT_RC(0x0107, 0));
	}
	free(arcb);
	at_free(&f);
}

/*
 * A machine that runs its guest with DAT on translates the UVCB's
 * addresses (pv_uv_set_guest_xlate); a translation exception is an
 * access exception of the area.
 */
#define XLATE_OFF 0x40000ULL
static int xlate(void *opaque, uint64_t cpu, uint64_t laddr, uint64_t *gabs)
{
	(*(int *)opaque)++;
	if (laddr >= 0x200000)
		return 0x11;	/* page translation */
	*gabs = laddr - XLATE_OFF;
	return 0;
}

static void test_attest_xlate(void **state)
{
	uint8_t cb[0x188], arpk[32], *arcb;
	struct at_fix f;
	int calls = 0;
	size_t len;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	pv_uv_set_guest_xlate(f.h.uv, xlate, &calls);
	arcb = at_arcb(&f, NULL, PV_PAF_IMAGE_PHKH, &len, arpk);
	at_att_cb(&f, cb, arcb, len);
	pv_put_be64(cb + PV_UVCB_ATT_ARCB, AT_REQ + XLATE_OFF);
	pv_put_be64(cb + PV_UVCB_ATT_MEAS, AT_MEAS + XLATE_OFF);
	pv_put_be64(cb + PV_UVCB_ATT_ADD, AT_ADD + XLATE_OFF);
	memset(f.h.ram + AT_MEAS, 0, 64);
	assert_int_equal(at_call(&f, cb, sizeof(cb)), UVT_OK);
	assert_true(calls >= 3);
	assert_memory_equal(f.h.ram + AT_ADD, guest->phkh, 32);
	verify_measurement(&f, arcb, len, arpk, cb, true);
	at_att_cb(&f, cb, arcb, len);
	pv_put_be64(cb + PV_UVCB_ATT_ARCB, AT_REQ + XLATE_OFF);
	pv_put_be64(cb + PV_UVCB_ATT_MEAS, 0x300000);
	pv_put_be64(cb + PV_UVCB_ATT_ADD, AT_ADD + XLATE_OFF);
	assert_int_equal(at_call(&f, cb, sizeof(cb)), UVT_RC(0x0104, 0));
	free(arcb);
	at_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attest_ok),
		cmocka_unit_test(test_attest_rcs),
		cmocka_unit_test(test_cuid),
		cmocka_unit_test(test_query_fields),
		cmocka_unit_test(test_attest_truncated),
		cmocka_unit_test(test_attest_xlate),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
