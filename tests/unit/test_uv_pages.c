// SPDX-License-Identifier: MIT
/*
 * Software UV: page states and page commands, guest share/unshare, CPU
 * states and the PV-reset protocol (pv-machine-and-uv.md §4.8, §4.9,
 * M-03, M-04, U-09, U-11, U-13).
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

static void booted(struct uvt_host *h)
{
	assert_int_equal(uvt_host_new(h, guest, 0), 0);
	assert_int_equal(uvt_boot(h, guest), 0);
}

static uint32_t page_cmd(struct uvt_host *h, uint16_t cmd, uint64_t addr)
{
	uint8_t cb[0x28];

	uvt_cb(cb, cmd);
	if (cmd == PV_UVC_IMPORT || cmd == PV_UVC_UNPIN_PAGE_SHARED) {
		pv_put_be64(cb + PV_UVCB_HANDLE, h->conf);
		pv_put_be64(cb + PV_UVCB_GADDR, addr);
	} else {
		pv_put_be64(cb + PV_UVCB_PADDR, addr);
	}
	uvt_call(h->uv, cb);
	return UVT_RC(uvt_rc(cb), uvt_rrc(cb));
}

static uint32_t gcall(struct uvt_host *h, uint16_t cmd, uint64_t gaddr,
		      bool problem, uint16_t *pgm)
{
	uint8_t cb[0x120];
	int cc;

	uvt_cb(cb, cmd);
	if (cmd != PV_UVC_QUERY)
		pv_put_be64(cb + PV_UVCB_GADDR, gaddr);
	cc = pv_uv_guest_call(h->uv, h->cpu, cb, sizeof(cb), problem, pgm);
	if (cc < 0)
		return 0xffffffff;
	return UVT_RC(uvt_rc(cb), uvt_rrc(cb));
}

/* Import: N -> S zero-filled, with the §4.6-style rc for bad input. */
static void test_import(void **state)
{
	struct uvt_host h;
	uint8_t buf[8];

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, 0x3000), UVT_OK);
	assert_int_equal(pv_uv_page_state(h.uv, 0x3000), PV_PAGE_SECURE);
	for (int i = 0; i < 4096; i++)
		assert_int_equal(h.ram[0x3000 + i], 0);
	assert_int_equal(pv_uv_host_read(h.uv, 0x3000, buf, 8),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, 0x3000), UVT_OK);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, 0x3008),
			 UVT_RC(0x0107, 0));
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, h.ram_size),
			 UVT_RC(0x0101, 0));
	h.conf ^= 0x10000;
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, 0x3000),
			 UVT_RC(PV_UV_RC_INV_GHANDLE, 0));
	h.conf ^= 0x10000;
	/* An imported page cannot be unpacked any more. */
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	assert_int_equal(uvt_unpack(&h, 0x3000, 0, 0), UVT_RC(0x0104, 0));
	uvt_host_free(&h);
}

/* Import of an address that the host has not mapped: 0x010a. */
static void test_import_unmapped(void **state)
{
	struct uvt_host h;

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	h.msl = 2 * h.ram_size;
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, h.ram_size),
			 UVT_RC(0x010a, 0));
	uvt_host_free(&h);
}

/* Export/import round trip; a changed exported page fails on import. */
static void test_export_import(void **state)
{
	uint64_t a = guest->comp[0].addr, b = guest->comp[0].addr + 0x1000;
	struct uvt_host h;
	uint8_t buf[4096];

	booted(&h);
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, a), UVT_OK);
	assert_int_equal(pv_uv_page_state(h.uv, a), PV_PAGE_EXPORTED);
	assert_int_equal(pv_uv_host_read(h.uv, a, buf, sizeof(buf)), 0);
	assert_memory_not_equal(buf, guest->plain + a, sizeof(buf));
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, a), UVT_OK);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, a), UVT_OK);
	assert_memory_equal(h.ram + a, guest->plain + a, PV_PAGE_SIZE);
	assert_int_equal(pv_uv_page_state(h.uv, a), PV_PAGE_SECURE);
	/* Tampered while exported: integrity failure, stays exported. */
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, b), UVT_OK);
	h.ram[b + 77] ^= 1;
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, b), UVT_RC(0x0106, 0));
	assert_int_equal(pv_uv_page_state(h.uv, b), PV_PAGE_EXPORTED);
	h.ram[b + 77] ^= 1;
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, b), UVT_OK);
	assert_memory_equal(h.ram + b, guest->plain + b, PV_PAGE_SIZE);
	/* Moved to another address: the binding fails too. */
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, a), UVT_OK);
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, b), UVT_OK);
	memcpy(buf, h.ram + a, PV_PAGE_SIZE);
	memcpy(h.ram + a, h.ram + b, PV_PAGE_SIZE);
	memcpy(h.ram + b, buf, PV_PAGE_SIZE);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, a), UVT_RC(0x0106, 0));
	/* Export of donated storage, unaligned, unmapped. */
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, UVT_AREA),
			 UVT_RC(0x0104, 0));
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, a + 1),
			 UVT_RC(0x0107, 0));
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, 0x40000000),
			 UVT_RC(0x010a, 0));
	uvt_host_free(&h);
}

/* Destroy page: S -> N zeroed; donated storage refused. */
static void test_destroy_page(void **state)
{
	uint64_t a = guest->comp[2].addr;
	struct uvt_host h;
	uint8_t buf[16], zero[16] = { 0 };

	booted(&h);
	assert_int_equal(page_cmd(&h, PV_UVC_DESTROY_PAGE, a), UVT_OK);
	assert_int_equal(pv_uv_page_state(h.uv, a), PV_PAGE_NONSECURE);
	assert_int_equal(pv_uv_host_read(h.uv, a, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, zero, sizeof(buf));
	assert_int_equal(page_cmd(&h, PV_UVC_DESTROY_PAGE, a), UVT_OK);
	assert_int_equal(page_cmd(&h, PV_UVC_DESTROY_PAGE, UVT_AREA),
			 UVT_RC(0x0104, 0));
	uvt_host_free(&h);
}

/* Guest share/unshare (U-11), host pin/unpin, unshare-all. */
static void test_share_pin(void **state)
{
	uint64_t a = guest->comp[1].addr;
	struct uvt_host h;
	uint16_t pgm = 0;
	uint8_t buf[8];

	booted(&h);
	assert_int_equal(gcall(&h, PV_UVC_SET_SHARED_ACCESS, h.ram_size,
			       false, &pgm), UVT_RC(0x0101, 0));
	assert_int_equal(gcall(&h, PV_UVC_SET_SHARED_ACCESS, a + 8, false,
			       &pgm), UVT_RC(0x0102, 0));
	assert_int_equal(gcall(&h, PV_UVC_SET_SHARED_ACCESS, a, true, &pgm),
			 0xffffffff);
	assert_int_equal(pgm, PV_PGM_PRIVILEGED);
	/* Pin needs a shared page. */
	assert_int_equal(page_cmd(&h, PV_UVC_PIN_PAGE_SHARED, a),
			 UVT_RC(0x0104, 0));
	assert_int_equal(gcall(&h, PV_UVC_SET_SHARED_ACCESS, a, false, &pgm),
			 UVT_OK);
	assert_int_equal(pv_uv_page_state(h.uv, a), PV_PAGE_SHARED);
	assert_int_equal(page_cmd(&h, PV_UVC_PIN_PAGE_SHARED, a), UVT_OK);
	assert_int_equal(page_cmd(&h, PV_UVC_UNPIN_PAGE_SHARED, a), UVT_OK);
	/* The host writes into the shared page; the guest sees it. */
	assert_int_equal(pv_uv_host_write(h.uv, a, "hello!!", 8), 0);
	assert_memory_equal(h.ram + a, "hello!!", 8);
	assert_int_equal(gcall(&h, PV_UVC_REMOVE_SHARED_ACCESS, a, false,
			       &pgm), UVT_OK);
	assert_int_equal(pv_uv_host_read(h.uv, a, buf, 8),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	assert_memory_equal(h.ram + a, "hello!!", 8);
	/* Unshare of a page that is not shared changes nothing. */
	assert_int_equal(gcall(&h, PV_UVC_REMOVE_SHARED_ACCESS, a, false,
			       &pgm), UVT_OK);
	/* Unshare-all needs every CPU stopped. */
	assert_int_equal(gcall(&h, PV_UVC_SET_SHARED_ACCESS, a, false, &pgm),
			 UVT_OK);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_SET_UNSHARE_ALL, h.conf),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_STOPPED),
			 UVT_OK);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_SET_UNSHARE_ALL, h.conf),
			 UVT_OK);
	assert_int_equal(pv_uv_page_state(h.uv, a), PV_PAGE_SECURE);
	uvt_host_free(&h);
}

/* The guest's view of query: only guest calls installed. */
static void test_guest_query(void **state)
{
	uint8_t q[0x120];
	struct uvt_host h;
	uint16_t pgm = 0;

	booted(&h);
	uvt_cb(q, PV_UVC_QUERY);
	assert_int_equal(pv_uv_guest_call(h.uv, h.cpu, q, sizeof(q), false,
					  &pgm), 0);
	/* bits 0, 8, 9 and the attestation/secret calls 28-31 and 33 */
	assert_true(pv_get_be64(q + PV_QUI_INST_CALLS) ==
		    (1ULL << 63 | 1ULL << 55 | 1ULL << 54 | 0xfULL << 32 |
		     1ULL << 30));
	assert_true(pv_get_be64(q + PV_QUI_CPU_STOR) == 0);
	assert_true(pv_get_be64(q + PV_QUI_HDR_PCF) == 0x300000F2ULL);
	uvt_cb(q, PV_UVC_QUERY);
	assert_int_equal(pv_uv_guest_call(h.uv, h.cpu, q, sizeof(q), true,
					  &pgm), -1);
	assert_int_equal(pgm, PV_PGM_PRIVILEGED);
	/* Host commands are not guest commands. */
	uvt_cb(q, PV_UVC_VERIFY);
	assert_int_equal(pv_uv_guest_call(h.uv, h.cpu, q, sizeof(q), false,
					  &pgm), 1);
	assert_int_equal(uvt_rc(q), PV_UV_RC_INV_CMD);
	uvt_cb(q, PV_UVC_SET_SHARED_ACCESS);
	pv_put_be16(q, 0x28);
	assert_int_equal(pv_uv_guest_call(h.uv, h.cpu, q, sizeof(q), false,
					  &pgm), 1);
	assert_int_equal(uvt_rc(q), PV_UV_RC_INV_LEN);
	uvt_host_free(&h);
}

/* U-13: a non-secure prefix page -> intercept 0x70 until imported. */
static void test_prefix_intercept(void **state)
{
	struct uvt_host h;
	uint16_t why = 0;

	booted(&h);
	assert_int_equal(pv_uv_sie_entry(h.uv, h.cpu, 0, &why), 0);
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, 0x1000), UVT_OK);
	assert_int_equal(pv_uv_sie_entry(h.uv, h.cpu, 0, &why),
			 PV_SIE_IC_PV_PREFIX);
	/* A prefix elsewhere is fine. */
	assert_int_equal(pv_uv_sie_entry(h.uv, h.cpu, 0x4000, &why), 0);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, 0x0), UVT_OK);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, 0x1000), UVT_OK);
	assert_int_equal(pv_uv_sie_entry(h.uv, h.cpu, 0, &why), 0);
	assert_int_equal(pv_uv_sie_entry(h.uv, 777, 0, &why), -PV_ERR_INVAL);
	uvt_host_free(&h);
}

static uint16_t entry(struct uvt_host *h)
{
	uint16_t why = 0;
	int ic = pv_uv_sie_entry(h->uv, h->cpu, 0, &why);

	return ic == PV_SIE_IC_VALIDITY ? why : (uint16_t)ic;
}

/*
 * M-03/M-04: a guest DIAG 308 subcode 0 in PV mode; every SIE entry gives
 * a validity intercept naming the first missing host step until stop,
 * unshare-all, prepare-reset, CPU clear reset and operating-load are
 * done; then the CPU starts from the PSW at absolute 0.
 */
static void test_pv_reset_protocol(void **state)
{
	uint64_t mask, addr;
	struct uvt_host h;
	uint16_t pgm;

	booted(&h);
	assert_int_equal(gcall(&h, PV_UVC_SET_SHARED_ACCESS, 0x5000, false,
			       &pgm), UVT_OK);
	assert_int_equal(pv_uv_host_write(h.uv, 0x5000, "shared", 6), 0);
	/* Short PSW at absolute 0, written by the guest. */
	pv_put_be64(h.ram, 0x0008000180012340ULL);
	assert_int_equal(entry(&h), 0);
	assert_int_equal(pv_uv_guest_reset_request(h.uv, h.cpu, true), 0);
	assert_int_equal(entry(&h), 0x2030);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_PREPARE_RESET, h.conf),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_STOPPED),
			 UVT_OK);
	assert_int_equal(entry(&h), 0x2031);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_PREPARE_RESET, h.conf),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_SET_UNSHARE_ALL, h.conf),
			 UVT_OK);
	assert_int_equal(pv_uv_page_state(h.uv, 0x5000), PV_PAGE_SECURE);
	assert_memory_equal(h.ram + 0x5000, "shared", 6);
	assert_int_equal(entry(&h), 0x2032);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_PREPARE_RESET, h.conf),
			 UVT_OK);
	assert_int_equal(entry(&h), 0x2033);
	assert_int_equal(pv_uv_cpu_start_psw(h.uv, h.cpu, &mask, &addr),
			 -PV_ERR_STATE);
	/* Subcode 0 needs a clear reset: initial is not enough. */
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_CPU_RESET_INITIAL, h.cpu),
			 UVT_OK);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(entry(&h), 0x2033);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_CPU_RESET_CLEAR, h.cpu),
			 UVT_OK);
	assert_int_equal(entry(&h), 0x2034);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_OK);
	assert_true(pv_uv_cpu_load_from_abs0(h.uv, h.cpu));
	assert_int_equal(pv_uv_cpu_start_psw(h.uv, h.cpu, &mask, &addr), 0);
	assert_true(mask == 0x0000000180000000ULL);
	assert_true(addr == 0x12340);
	assert_int_equal(entry(&h), 0);
	assert_int_equal(pv_uv_cpu_state(h.uv, h.cpu), PV_UV_CPU_OPERATING);
	/* Secure memory survived the reset. */
	assert_memory_equal(h.ram + guest->comp[0].addr,
			    guest->plain + guest->comp[0].addr, PV_PAGE_SIZE);
	uvt_host_free(&h);
}

/* Subcode 1: initial reset of the issuing CPU is enough. */
static void test_pv_reset_subcode1(void **state)
{
	struct uvt_host h;

	booted(&h);
	assert_int_equal(pv_uv_guest_reset_request(h.uv, h.cpu, false), 0);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_STOPPED),
			 UVT_OK);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_SET_UNSHARE_ALL, h.conf),
			 UVT_OK);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_PREPARE_RESET, h.conf),
			 UVT_OK);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_CPU_RESET, h.cpu), UVT_OK);
	assert_int_equal(entry(&h), 0x2033);
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_CPU_RESET_INITIAL, h.cpu),
			 UVT_OK);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_OK);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING),
			 UVT_OK);
	assert_int_equal(entry(&h), 0);
	uvt_host_free(&h);
}

/* U-09: a guest access to a page that is not secure is a 0x3e for the
 * host, which imports the page (zero-filled) and lets the guest retry. */
static void test_guest_access(void **state)
{
	struct uvt_host h;
	uint64_t conf1, cpu1;

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(pv_uv_guest_access(h.uv, h.cpu, 0x7000),
			 PV_PGM_NONSECURE_STORAGE_ACCESS);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, 0x7000), UVT_OK);
	assert_int_equal(pv_uv_guest_access(h.uv, h.cpu, 0x7000), 0);
	assert_int_equal(pv_uv_guest_access(h.uv, h.cpu, h.ram_size),
			 PV_PGM_ADDRESSING);
	assert_int_equal(pv_uv_guest_access(h.uv, h.conf, 0x7000),
			 -PV_ERR_INVAL);
	assert_int_equal(page_cmd(&h, PV_UVC_EXPORT, 0x7000), UVT_OK);
	assert_int_equal(pv_uv_guest_access(h.uv, h.cpu, 0x7000),
			 PV_PGM_NONSECURE_STORAGE_ACCESS);
	/* A second configuration over the same memory: a violation. */
	conf1 = h.conf;
	cpu1 = h.cpu;
	h.asce += 0x1000;
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(pv_uv_guest_access(h.uv, h.cpu, 0x7000),
			 PV_PGM_SECURE_STORAGE_VIOLATION);
	assert_int_equal(page_cmd(&h, PV_UVC_IMPORT, 0x8000), UVT_OK);
	assert_int_equal(pv_uv_guest_access(h.uv, cpu1, 0x8000),
			 PV_PGM_SECURE_STORAGE_VIOLATION);
	assert_int_equal(pv_uv_guest_access(h.uv, h.cpu, 0x8000), 0);
	assert_int_equal(uvt_teardown(&h), UVT_OK);
	h.conf = conf1;
	h.cpu = cpu1;
	assert_int_equal(uvt_teardown(&h), UVT_OK);
	assert_int_equal(pv_uv_page_state(h.uv, 0x7000), PV_PAGE_NONSECURE);
	uvt_host_free(&h);
}

/* Set-CPU-state rc values and SIE entry before verify. */
static void test_cpu_state_errors(void **state)
{
	struct uvt_host h;
	uint64_t mask, addr;

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(entry(&h), 0x2001);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, 4), UVT_RC(0x0101, 0));
	assert_int_equal(uvt_cpu_state(&h, h.conf, PV_UV_CPU_STOPPED),
			 UVT_RC(PV_UV_RC_INV_CHANDLE, 0));
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(pv_uv_guest_reset_request(h.uv, h.cpu, true),
			 -PV_ERR_STATE);
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	assert_int_equal(uvt_unpack_all(&h, guest), UVT_OK);
	assert_int_equal(uvt_verify(&h), UVT_OK);
	/* Verified but not loaded: not operating, no start PSW. */
	assert_int_equal(entry(&h), 0x2002);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(pv_uv_cpu_start_psw(h.uv, h.cpu, &mask, &addr),
			 -PV_ERR_STATE);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_OK);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_OK);
	/* SIE entry from operating-load starts the CPU. */
	assert_int_equal(entry(&h), 0);
	assert_int_equal(pv_uv_cpu_state(h.uv, h.cpu), PV_UV_CPU_OPERATING);
	/* The header PSW is loaded once; a second load needs a PV reset. */
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_STOPPED),
			 UVT_OK);
	assert_int_equal(entry(&h), 0x2002);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_CHECK_STOP),
			 UVT_OK);
	assert_int_equal(pv_uv_cpu_state(h.uv, h.cpu), PV_UV_CPU_CHECK_STOP);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING),
			 UVT_OK);
	uvt_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_import_unmapped),
		cmocka_unit_test(test_export_import),
		cmocka_unit_test(test_destroy_page),
		cmocka_unit_test(test_share_pin),
		cmocka_unit_test(test_guest_query),
		cmocka_unit_test(test_prefix_intercept),
		cmocka_unit_test(test_pv_reset_protocol),
		cmocka_unit_test(test_pv_reset_subcode1),
		cmocka_unit_test(test_cpu_state_errors),
		cmocka_unit_test(test_guest_access),
	};

	return cmocka_run_group_tests_name("uv_pages", tests, group_setup,
					   group_teardown);
}
