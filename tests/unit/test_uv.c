// SPDX-License-Identifier: MIT
/*
 * Software UV: UVC dispatch, query, initialise, create/destroy of
 * configurations and CPUs, host reset (pv-machine-and-uv.md §4.1-§4.6,
 * U-01..U-05, U-08, U-10, U-12).
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

static bool bit_set(const uint8_t *q, unsigned int bit)
{
	return pv_get_be64(q + PV_QUI_INST_CALLS + 8 * (bit / 64)) >>
	       (63 - bit % 64) & 1;
}

static const uint16_t host_cmds[] = {
	PV_UVC_QUERY_KEYS, PV_UVC_CREATE_CONF, PV_UVC_DESTROY_CONF,
	PV_UVC_DESTROY_CONF_FAST, PV_UVC_CREATE_CPU, PV_UVC_DESTROY_CPU,
	PV_UVC_IMPORT, PV_UVC_EXPORT, PV_UVC_DESTROY_PAGE,
	PV_UVC_SET_SEC_PARMS, PV_UVC_UNPACK, PV_UVC_VERIFY, PV_UVC_CPU_RESET,
	PV_UVC_CPU_RESET_INITIAL, PV_UVC_PREPARE_RESET,
	PV_UVC_CPU_RESET_CLEAR, PV_UVC_SET_CPU_STATE, PV_UVC_SET_UNSHARE_ALL,
	PV_UVC_PIN_PAGE_SHARED, PV_UVC_UNPIN_PAGE_SHARED,
};

/* U-02: before INIT every command but query/init is rc 0x0003. */
static void test_uninitialised(void **state)
{
	struct pv_uv *uv;
	uint8_t cb[0x200];

	assert_int_equal(pv_uv_new(&uv, NULL), 0);
	for (size_t i = 0; i < sizeof(host_cmds) / sizeof(host_cmds[0]);
	     i++) {
		uvt_cb(cb, host_cmds[i]);
		assert_int_equal(uvt_call(uv, cb), 1);
		assert_int_equal(uvt_rc(cb), PV_UV_RC_INV_STATE);
	}
	uvt_cb(cb, PV_UVC_QUERY);
	assert_int_equal(uvt_call(uv, cb), 0);
	assert_int_equal(uvt_rc(cb), PV_UV_RC_EXECUTED);
	pv_uv_free(uv);
}

/* U-01, U-02: unknown command, bad length, inaccessible UVCB. */
static void test_dispatch_errors(void **state)
{
	struct uvt_host h;
	uint8_t cb[0x200];
	uint16_t pgm = 0;

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	memset(cb, 0, sizeof(cb));
	pv_put_be16(cb, 0x40);
	pv_put_be16(cb + 2, 0x4242);
	assert_int_equal(uvt_call(h.uv, cb), 1);
	assert_int_equal(uvt_rc(cb), PV_UV_RC_INV_CMD);
	/* Dump commands are known but not installed; guest-only commands
	 * are not host commands. */
	uvt_cb(cb, 0x0400);
	assert_int_equal(uvt_call(h.uv, cb), 1);
	assert_int_equal(uvt_rc(cb), PV_UV_RC_INV_CMD);
	uvt_cb(cb, PV_UVC_SET_SHARED_ACCESS);
	assert_int_equal(uvt_call(h.uv, cb), 1);
	assert_int_equal(uvt_rc(cb), PV_UV_RC_INV_CMD);
	/* One doubleword short (and one too long) -> 0x0005. */
	for (size_t i = 0; i < sizeof(host_cmds) / sizeof(host_cmds[0]);
	     i++) {
		uvt_cb(cb, host_cmds[i]);
		pv_put_be16(cb, pv_uvcb_size(host_cmds[i]) - 8);
		assert_int_equal(uvt_call(h.uv, cb), 1);
		assert_int_equal(uvt_rc(cb), PV_UV_RC_INV_LEN);
		pv_put_be16(cb, pv_uvcb_size(host_cmds[i]) + 8);
		assert_int_equal(uvt_call(h.uv, cb), 1);
		assert_int_equal(uvt_rc(cb), PV_UV_RC_INV_LEN);
	}
	/* The UVCB claims more bytes than are accessible -> PGM. */
	uvt_cb(cb, PV_UVC_CREATE_CONF);
	assert_int_equal(pv_uv_call(h.uv, cb, 0x78, &pgm), -1);
	assert_int_equal(pgm, PV_PGM_ADDRESSING);
	pgm = 0;
	assert_int_equal(pv_uv_call(h.uv, cb, 4, &pgm), -1);
	assert_int_equal(pgm, PV_PGM_ADDRESSING);
	/* A guest UVC from a CPU that is not secure: operation exception. */
	uvt_cb(cb, PV_UVC_QUERY);
	assert_int_equal(pv_uv_guest_call(h.uv, 12345, cb, 0x120, false,
					  &pgm), -1);
	assert_int_equal(pgm, PV_PGM_OPERATION);
	uvt_host_free(&h);
}

/* U-10 and the §4.5 layout. */
static void test_query(void **state)
{
	uint8_t q[0x140];
	struct pv_uv *uv;

	assert_int_equal(pv_uv_new(&uv, NULL), 0);
	uvt_cb(q, PV_UVC_QUERY);
	pv_put_be16(q, 0xa0);
	assert_int_equal(uvt_call(uv, q), 1);
	assert_int_equal(uvt_rc(q), PV_UV_RC_INV_LEN);
	memset(q, 0, sizeof(q));
	uvt_cb(q, PV_UVC_QUERY);
	pv_put_be16(q, 0xa8);
	assert_int_equal(uvt_call(uv, q), 1);
	assert_int_equal(uvt_rc(q), PV_UV_RC_MORE_DATA);
	/* Partial data: up to 0xa8, nothing beyond. */
	assert_true(bit_set(q, 0));
	assert_int_equal(pv_get_be16(q + PV_QUI_MAX_CPU_ID), 247);
	assert_true(pv_get_be64(q + PV_QUI_HDR_VERSIONS) == 0);
	uvt_cb(q, PV_UVC_QUERY);
	assert_int_equal(uvt_call(uv, q), 0);
	assert_int_equal(uvt_rc(q), PV_UV_RC_EXECUTED);
	/* Installed: query bits of every implemented command (§4.3). */
	for (unsigned int b = 0; b <= 23; b++) {
		bool want = b != 10 && b != 12;

		if (bit_set(q, b) != want)
			fail_msg("query bit %u is %d", b, !want);
	}
	for (unsigned int b = 24; b < 256; b++)
		if (bit_set(q, b) != (b == 34))
			fail_msg("query bit %u is %d", b, b != 34);
	assert_true(pv_get_be64(q + PV_QUI_UV_BASE_STOR) == 0x10000);
	assert_true(pv_get_be64(q + PV_QUI_CONF_BASE_STOR) == 0x4000);
	assert_true(pv_get_be64(q + PV_QUI_CPU_STOR) == 0x1000);
	assert_int_equal(pv_get_be32(q + PV_QUI_MAX_CONFS), 4);
	assert_true(pv_get_be64(q + PV_QUI_MAX_GADDR) == 0xFFFFFFFFFFULL);
	assert_true(pv_get_be64(q + PV_QUI_HDR_VERSIONS) == 1ULL << 63);
	assert_true(pv_get_be64(q + PV_QUI_HDR_PCF) == 0x300000F2ULL);
	/* A longer block is fine; nothing beyond 0x120 is written. */
	memset(q, 0x5a, sizeof(q));
	uvt_cb(q, PV_UVC_QUERY);
	memset(q + 0x120, 0x5a, 0x20);
	pv_put_be16(q, 0x140);
	assert_int_equal(uvt_call(uv, q), 0);
	assert_int_equal(q[0x130], 0x5a);
	pv_uv_free(uv);
}

static uint32_t init(struct pv_uv *uv, uint64_t origin, uint64_t len)
{
	uint8_t cb[0x48];

	uvt_cb(cb, PV_UVC_INIT);
	pv_put_be64(cb + PV_UVCB_INIT_ORIGIN, origin);
	pv_put_be64(cb + PV_UVCB_INIT_LEN, len);
	uvt_call(uv, cb);
	return UVT_RC(uvt_rc(cb), uvt_rrc(cb));
}

/* U-03 and U-09 for UV storage. */
static void test_init(void **state)
{
	uint8_t *low = aligned_alloc(4096, 0x200000);
	uint8_t *high = aligned_alloc(4096, 0x200000);
	uint8_t buf[8];
	struct pv_uv *uv;

	assert_non_null(low);
	assert_non_null(high);
	assert_int_equal(pv_uv_new(&uv, NULL), 0);
	assert_int_equal(pv_uv_map_host(uv, 0x100000, low, 0x200000, NULL),
			 0);
	assert_int_equal(pv_uv_map_host(uv, UVT_AREA, high, 0x200000, NULL),
			 0);
	memset(high, 0x77, 0x200000);
	assert_int_equal(init(uv, UVT_AREA, 0x20000), UVT_RC(0x0103, 0));
	assert_int_equal(init(uv, UVT_AREA + 0x1000, 0x10000),
			 UVT_RC(0x0104, 0));
	assert_int_equal(init(uv, UVT_AREA + 0x400000, 0x10000),
			 UVT_RC(0x0104, 0));
	assert_int_equal(init(uv, UVT_AREA + 0x100000, 0x10000), UVT_OK);
	pv_uv_host_reset(uv);
	assert_int_equal(pv_uv_host_read(uv, UVT_AREA + 0x100000, buf, 8), 0);
	/* Range running off the end of the mapping -> 0x0105. */
	free(high);
	high = aligned_alloc(4096, 0x108000);
	assert_non_null(high);
	pv_uv_free(uv);
	assert_int_equal(pv_uv_new(&uv, NULL), 0);
	assert_int_equal(pv_uv_map_host(uv, UVT_AREA, high, 0x108000, NULL),
			 0);
	assert_int_equal(pv_uv_map_host(uv, 0x100000, low, 0x200000, NULL),
			 0);
	assert_int_equal(init(uv, UVT_AREA + 0x100000, 0x10000),
			 UVT_RC(0x0105, 0));
	/* Below 2 GiB -> 0x0108. */
	assert_int_equal(init(uv, 0x100000, 0x10000), UVT_RC(0x0108, 0));
	assert_int_equal(init(uv, UVT_AREA, 0x10000), UVT_OK);
	assert_int_equal(init(uv, UVT_AREA, 0x10000), UVT_RC(0x0101, 0));
	/* Donated UV storage is closed to the host. */
	assert_int_equal(pv_uv_host_read(uv, UVT_AREA + 0x8000, buf, 8),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	assert_int_equal(pv_uv_page_state(uv, UVT_AREA), PV_PAGE_DONATED);
	pv_uv_free(uv);
	free(low);
	free(high);
}

static uint32_t create_conf(struct uvt_host *h, uint64_t base, uint64_t var,
			    uint64_t mso, uint64_t msl, uint64_t sca,
			    uint64_t asce, uint64_t *handle)
{
	uint8_t cb[0x80];

	uvt_cb(cb, PV_UVC_CREATE_CONF);
	pv_put_be64(cb + PV_UVCB_CGC_BASE, base);
	pv_put_be64(cb + PV_UVCB_CGC_VAR, var);
	pv_put_be64(cb + PV_UVCB_CGC_MSO, mso);
	pv_put_be64(cb + PV_UVCB_CGC_MSL, msl);
	pv_put_be64(cb + PV_UVCB_CGC_SCA, sca);
	pv_put_be64(cb + PV_UVCB_CGC_ASCE, asce);
	uvt_call(h->uv, cb);
	*handle = pv_get_be64(cb + PV_UVCB_HANDLE);
	return UVT_RC(uvt_rc(cb), uvt_rrc(cb));
}

/* U-04 including the 0x8000 flag. */
static void test_create_conf_errors(void **state)
{
	const uint64_t M = 0x100000, A = UVT_AREA;
	uint64_t base = A + 0x110000, var = A + 0x120000, hd;
	struct uvt_host h;
	uint8_t buf[8];

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(create_conf(&h, base, var, 0x10000000000ULL, M,
				     h.sca, h.asce, &hd), UVT_RC(0x0101, 0));
	assert_int_equal(create_conf(&h, base, var, 0x800, M, h.sca, h.asce,
				     &hd), UVT_RC(0x0101, 0));
	assert_int_equal(create_conf(&h, base, var, 0xFFFFF00000ULL,
				     0x200000, h.sca, h.asce, &hd),
			 UVT_RC(0x0102, 0));
	assert_int_equal(create_conf(&h, base, var, 0, 0, h.sca, h.asce,
				     &hd), UVT_RC(0x0102, 0));
	assert_int_equal(create_conf(&h, base, var, 0, M, h.sca, UVT_ASCE,
				     &hd), UVT_RC(0x0105, 0));
	assert_int_equal(create_conf(&h, base, var, 0, M, h.sca,
				     h.asce | 0x20, &hd), UVT_RC(0x0105, 0));
	assert_int_equal(create_conf(&h, 0x40000000, var, 0, M, h.sca,
				     h.asce, &hd), UVT_RC(0x0108, 0));
	assert_int_equal(create_conf(&h, A, var, 0, M, h.sca, h.asce, &hd),
			 UVT_RC(0x0108, 0));	/* UV storage */
	assert_int_equal(create_conf(&h, 0x1000, var, 0, M, h.sca, h.asce,
				     &hd), UVT_RC(0x0109, 0));
	assert_int_equal(create_conf(&h, base, var, 0, M, 0, h.asce, &hd),
			 UVT_RC(0x010c, 0));
	assert_true(hd == 0);
	assert_int_equal(create_conf(&h, base, var, 0, M, 0x50000000,
				     h.asce, &hd), UVT_RC(0x010d, 0));
	/* Variable storage unusable: handle returned with 0x8000. */
	assert_int_equal(create_conf(&h, base, 0x50000000, 0, M, h.sca,
				     h.asce, &hd), UVT_RC(0x810a, 0));
	assert_true(hd != 0);
	assert_int_equal(pv_uv_page_state(h.uv, base), PV_PAGE_DONATED);
	h.conf = hd;
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CONF, hd), UVT_OK);
	assert_int_equal(pv_uv_host_read(h.uv, base, buf, 8), 0);
	/* A proper one, then the ASCE is taken. */
	assert_int_equal(create_conf(&h, base, var, 0, M, h.sca, h.asce,
				     &hd), UVT_OK);
	assert_int_equal(pv_uv_page_state(h.uv, var), PV_PAGE_DONATED);
	assert_int_equal(create_conf(&h, base + 0x40000, var + 0x40000, 0, M,
				     h.sca, h.asce, &hd), UVT_RC(0x0104, 0));
	uvt_host_free(&h);
}

static uint32_t create_cpu(struct uvt_host *h, uint64_t conf, uint16_t num,
			   uint64_t stor, uint64_t sd, uint64_t *handle)
{
	uint8_t cb[0x60];

	uvt_cb(cb, PV_UVC_CREATE_CPU);
	pv_put_be64(cb + PV_UVCB_CSC_GUEST, conf);
	pv_put_be64(cb + PV_UVCB_CSC_STOR, stor);
	pv_put_be16(cb + PV_UVCB_CSC_NUM, num);
	pv_put_be64(cb + PV_UVCB_CSC_SD, sd);
	uvt_call(h->uv, cb);
	*handle = pv_get_be64(cb + PV_UVCB_HANDLE);
	return UVT_RC(uvt_rc(cb), uvt_rrc(cb));
}

/* U-05 and U-08. */
static void test_cpu_errors(void **state)
{
	uint64_t stor, c1, c2, hd;
	struct uvt_host h;
	uint8_t buf[8];

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_create(&h), UVT_OK);
	stor = uvt_alloc(&h, 0x1000);
	assert_int_equal(create_cpu(&h, h.cpu, 1, stor, h.sd, &hd),
			 UVT_RC(PV_UV_RC_INV_GHANDLE, 0));
	assert_int_equal(create_cpu(&h, h.conf, 248, stor, h.sd, &hd),
			 UVT_RC(0x0103, 0));
	assert_int_equal(create_cpu(&h, h.conf, 1, 0x50000000, h.sd, &hd),
			 UVT_RC(0x0105, 0));
	assert_int_equal(create_cpu(&h, h.conf, 1, UVT_AREA, h.sd, &hd),
			 UVT_RC(0x0105, 0));
	assert_int_equal(create_cpu(&h, h.conf, 1, 0x1000, h.sd, &hd),
			 UVT_RC(0x0106, 0));
	assert_int_equal(create_cpu(&h, h.conf, 1, stor, 0x50000000, &hd),
			 UVT_RC(0x0107, 0));
	assert_int_equal(create_cpu(&h, h.conf, 0, stor, h.sd, &hd),
			 UVT_RC(0x0104, 0));
	assert_int_equal(create_cpu(&h, h.conf, 247, stor, h.sd, &c1),
			 UVT_OK);
	assert_int_equal(pv_uv_host_read(h.uv, stor, buf, 8),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	assert_int_equal(pv_uv_cpu_state(h.uv, c1), PV_UV_CPU_STOPPED);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CPU, h.conf),
			 UVT_RC(PV_UV_RC_INV_CHANDLE, 0));
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CONF, h.cpu),
			 UVT_RC(PV_UV_RC_INV_GHANDLE, 0));
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CONF, 0),
			 UVT_RC(PV_UV_RC_INV_GHANDLE, 0));
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CPU, c1), UVT_OK);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CPU, c1),
			 UVT_RC(PV_UV_RC_INV_CHANDLE, 0));
	assert_int_equal(pv_uv_host_read(h.uv, stor, buf, 8), 0);
	/* The storage can be donated again. */
	assert_int_equal(create_cpu(&h, h.conf, 3, stor, h.sd, &c2), UVT_OK);
	assert_true(c2 != c1);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CPU, c2), UVT_OK);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CPU, h.cpu),
			 UVT_OK);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CONF_FAST,
					h.conf), UVT_OK);
	uvt_host_free(&h);
}

/* U-12: host load-normal reset. */
static void test_host_reset(void **state)
{
	struct uvt_host h;
	uint8_t cb[0x80], buf[16];

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_boot(&h, guest), 0);
	/* What the UV would keep in its donated storage. */
	memset(h.area, 0x33, 0x10000);
	memset(h.area + (h.sd + PV_PAGE_SIZE - UVT_AREA), 0x33,
	       h.area_next - h.sd - PV_PAGE_SIZE);
	pv_uv_host_reset(h.uv);
	assert_int_equal(uvt_verify(&h), UVT_RC(PV_UV_RC_INV_STATE, 0));
	uvt_cb(cb, PV_UVC_CREATE_CONF);
	assert_int_equal(uvt_call(h.uv, cb), 1);
	assert_int_equal(uvt_rc(cb), PV_UV_RC_INV_STATE);
	for (uint64_t a = UVT_AREA; a < UVT_AREA + UVT_AREA_SIZE;
	     a += PV_PAGE_SIZE) {
		uint8_t zero[16] = { 0 };

		assert_int_equal(pv_uv_host_read(h.uv, a, buf, 16), 0);
		if (a < UVT_AREA + 0x10000 || (a > h.sd && a < h.area_next))
			assert_memory_equal(buf, zero, 16);
	}
	for (uint64_t i = 0; i < h.ram_size; i++)
		if (h.ram[i])
			fail_msg("RAM byte 0x%llx not zero",
				 (unsigned long long)i);
	uvt_host_free(&h);
}

/* Host keys, host map and the size table. */
static void test_keys_map_sizes(void **state)
{
	uint8_t junk[64] = { 1, 2, 3 }, phkh[32], cb[0x200];
	struct pv_err *err = NULL;
	struct uvt_host h;
	uint8_t mem[8192];

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_true(pv_uv_add_host_key(h.uv, junk, sizeof(junk), &err) < 0);
	assert_non_null(err);
	pv_err_free(err);
	assert_int_equal(pv_uv_host_key_hash(h.uv, 0, phkh), 0);
	assert_memory_equal(phkh, guest->phkh, 32);
	assert_int_equal(pv_uv_host_key_hash(h.uv, 1, phkh), -PV_ERR_RANGE);
	uvt_cb(cb, PV_UVC_QUERY_KEYS);
	assert_int_equal(uvt_call(h.uv, cb), 0);
	assert_memory_equal(cb + PV_UVCB_QUERY_KEYS, guest->phkh, 32);
	/* Overlapping, unaligned or empty ranges are refused. */
	assert_true(pv_uv_map_host(h.uv, 0x1000, mem, 4096, NULL) < 0);
	assert_true(pv_uv_map_host(h.uv, 0x40000000 + 8, mem, 4096, NULL) <
		    0);
	assert_true(pv_uv_map_host(h.uv, 0x40000000, mem, 0, NULL) < 0);
	assert_true(pv_uv_map_host_flags(h.uv, 0x40000000, mem, 4096, 8,
					 NULL) < 0);
	assert_int_equal(pv_uv_map_host(h.uv, 0x40000000, mem, 4096, NULL),
			 0);
	assert_int_equal(pv_uvcb_size(PV_UVC_QUERY), 0x120);
	assert_int_equal(pv_uvcb_size(PV_UVC_CREATE_CONF), 0x80);
	assert_int_equal(pv_uvcb_size(PV_UVC_SET_SEC_PARMS), 0x50);
	assert_int_equal(pv_uvcb_size(PV_UVC_SET_SHARED_ACCESS), 0x30);
	assert_int_equal(pv_uvcb_size(0x4242), 0);
	assert_string_equal(pv_uvc_name(PV_UVC_UNPACK), "unpack");
	assert_string_equal(pv_uvc_name(0x4242), "unknown");
	uvt_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uninitialised),
		cmocka_unit_test(test_dispatch_errors),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_create_conf_errors),
		cmocka_unit_test(test_cpu_errors),
		cmocka_unit_test(test_host_reset),
		cmocka_unit_test(test_keys_map_sizes),
	};

	return cmocka_run_group_tests_name("uv", tests, group_setup,
					   group_teardown);
}
