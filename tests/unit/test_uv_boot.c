// SPDX-License-Identifier: MIT
/*
 * Software UV: the host boot sequence on a synthetic guest
 * (pv-machine-and-uv.md §3.2-§3.6, B-10, B-11, B-13, B-14, U-09).
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


static struct uvt_guest *guest;		/* default guest, built once */

static int group_setup(void **state)
{
	return uvt_guest_build(NULL, &guest) ? -1 : 0;
}

static int group_teardown(void **state)
{
	uvt_guest_free(guest);
	return 0;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static uint32_t guest_uvc(struct uvt_host *h, uint16_t cmd, uint64_t gaddr)
{
	uint8_t cb[0x30];
	uint16_t pgm = 0;

	uvt_cb(cb, cmd);
	pv_put_be64(cb + PV_UVCB_GADDR, gaddr);
	assert_true(pv_uv_guest_call(h->uv, h->cpu, cb, sizeof(cb), false,
				     &pgm) >= 0);
	return UVT_RC(uvt_rc(cb), uvt_rrc(cb));
}

/* B-03/B-14: unpacked pages hold plaintext, every other page reads 0. */
static void test_full_boot(void **state)
{
	struct pv_uv_stats st;
	struct uvt_host h;
	uint64_t mask, addr, pages = guest->mem_size / PV_PAGE_SIZE;
	uint8_t buf[64];

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_boot(&h, guest), 0);
	assert_int_equal(pv_uv_cpu_state(h.uv, h.cpu), PV_UV_CPU_OPERATING);
	for (uint64_t a = 0; a < guest->mem_size; a += PV_PAGE_SIZE) {
		if (uvt_is_comp_page(guest, a))
			assert_memory_equal(h.ram + a, guest->plain + a,
					    PV_PAGE_SIZE);
		else
			assert_true(all_zero(h.ram + a, PV_PAGE_SIZE));
		assert_int_equal(pv_uv_page_state(h.uv, a), PV_PAGE_SECURE);
	}
	/* U-09: the hypervisor cannot read or write a secure page. */
	assert_int_equal(pv_uv_host_read(h.uv, guest->comp[0].addr, buf, 8),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(pv_uv_host_write(h.uv, 0x1000, buf, 8),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	assert_true(all_zero(h.ram + 0x1000, 8));
	/* A page the guest shares is readable; unshare protects it again. */
	assert_int_equal(guest_uvc(&h, PV_UVC_SET_SHARED_ACCESS,
				   guest->comp[1].addr), UVT_OK);
	assert_int_equal(pv_uv_host_read(h.uv, guest->comp[1].addr, buf,
					 sizeof(buf)), 0);
	assert_memory_equal(buf, guest->plain + guest->comp[1].addr,
			    sizeof(buf));
	assert_int_equal(guest_uvc(&h, PV_UVC_REMOVE_SHARED_ACCESS,
				   guest->comp[1].addr), UVT_OK);
	assert_int_equal(pv_uv_host_read(h.uv, guest->comp[1].addr, buf, 8),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	/* The CPU starts at the SE-header PSW. */
	assert_int_equal(pv_uv_cpu_start_psw(h.uv, h.cpu, &mask, &addr), 0);
	assert_true(mask == guest->psw_mask);
	assert_true(addr == guest->psw_addr);
	assert_false(pv_uv_cpu_load_from_abs0(h.uv, h.cpu));
	pv_uv_get_stats(h.uv, &st);
	assert_true(st.pages_unpacked == guest->nep);
	assert_true(st.pages_imported == pages - guest->nep);
	uvt_host_free(&h);
}

/* The same with anonymous RAM: zeroing by MADV_DONTNEED (B-14). */
static void test_full_boot_anon(void **state)
{
	struct uvt_opts o = { .mem_size = 0x400000, .ncomp = 3,
			      .comp_addr = { 0x10000, 0x200000, 0x3ff000 },
			      .comp_pages = { 2, 3, 1 } };
	struct uvt_guest *g;
	struct uvt_host h;

	assert_int_equal(uvt_guest_build(&o, &g), 0);
	assert_int_equal(uvt_host_new_flags(&h, g, 0, PV_UV_MAP_ANON), 0);
	assert_int_equal(uvt_boot(&h, g), 0);
	for (uint64_t a = 0; a < g->mem_size; a += PV_PAGE_SIZE) {
		if (uvt_is_comp_page(g, a))
			assert_memory_equal(h.ram + a, g->plain + a,
					    PV_PAGE_SIZE);
		else if (!all_zero(h.ram + a, PV_PAGE_SIZE))
			fail_msg("page 0x%llx not zero",
				 (unsigned long long)a);
	}
	assert_int_equal(uvt_teardown(&h), UVT_OK);
	assert_true(all_zero(h.ram, h.ram_size));
	uvt_host_free(&h);
	uvt_guest_free(g);
}

struct notes {
	uint64_t bytes;
	uint64_t calls;
};

static void note(void *opaque, uint64_t haddr, uint64_t len)
{
	struct notes *n = opaque;

	n->bytes += len;
	n->calls++;
}

/* Every page the UV changes is reported to the CPU model. */
static void test_notify(void **state)
{
	struct notes n = { 0 };
	struct uvt_host h;

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	pv_uv_set_notify(h.uv, note, &n);
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	assert_int_equal(uvt_unpack_all(&h, guest), UVT_OK);
	assert_true(n.bytes == guest->nep * PV_PAGE_SIZE);
	assert_true(n.calls == guest->nep);
	assert_int_equal(uvt_verify(&h), UVT_OK);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_OK);
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING),
			 UVT_OK);
	assert_true(n.bytes == guest->mem_size);
	uvt_host_free(&h);
}

/* B-13: after a failed verify, destroy zeroes what was unpacked. */
static void test_failed_verify_destroy_zeroes(void **state)
{
	const struct uvt_comp *c = &guest->comp[0];
	struct uvt_host h;

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	h.ram[c->addr + 100] ^= 0x10;
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	assert_int_equal(uvt_unpack_all(&h, guest), UVT_OK);
	assert_int_equal(uvt_verify(&h), UVT_RC(0x0102, PV_UV_RRC_PLD));
	/* Not verified: the CPU cannot be loaded or started. */
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING_LOAD),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_cpu_state(&h, h.cpu, PV_UV_CPU_OPERATING),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_verify(&h), UVT_RC(PV_UV_RC_INV_STATE, 0));
	/* Destroy: CPUs first (0x0102 otherwise), then the configuration. */
	assert_int_equal(uvt_handle_cmd(&h, PV_UVC_DESTROY_CONF, h.conf),
			 UVT_RC(0x0102, 0));
	assert_int_equal(uvt_teardown(&h), UVT_OK);
	for (unsigned int i = 0; i < guest->ncomp; i++) {
		uint64_t a = guest->comp[i].addr;

		assert_true(all_zero(h.ram + a, guest->comp[i].len));
		assert_int_equal(pv_uv_page_state(h.uv, a),
				 PV_PAGE_NONSECURE);
	}
	/* Pages never unpacked kept their (non-secure) content. */
	assert_memory_equal(h.ram, guest->image, PV_PAGE_SIZE);
	uvt_host_free(&h);
}

/* Destroying a running configuration zeroes all of its memory. */
static void test_destroy_zeroes_everything(void **state)
{
	struct uvt_host h;
	uint8_t buf[16];

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_boot(&h, guest), 0);
	assert_int_equal(uvt_teardown(&h), UVT_OK);
	assert_true(all_zero(h.ram, h.ram_size));
	assert_int_equal(pv_uv_host_read(h.uv, guest->comp[0].addr, buf,
					 sizeof(buf)), 0);
	assert_int_equal(pv_uv_page_state(h.uv, 0), PV_PAGE_NONSECURE);
	/* The same host can boot the guest again. */
	memcpy(h.ram, guest->image, h.ram_size);
	assert_int_equal(uvt_boot(&h, guest), 0);
	uvt_host_free(&h);
}

static void start(struct uvt_host *h)
{
	assert_int_equal(uvt_host_new(h, guest, 0), 0);
	assert_int_equal(uvt_create(h), UVT_OK);
	assert_int_equal(uvt_ssc(h, guest->hdr, guest->hdr_len), UVT_OK);
}

/* B-11: unpack at a wrong address -> ALD mismatch (rrc 0x1a). */
static void test_verify_wrong_address(void **state)
{
	const struct uvt_comp *c = &guest->comp[0];
	uint64_t other = 0x80000;
	struct uvt_host h;

	start(&h);
	memcpy(h.ram + other, h.ram + c->addr, PV_PAGE_SIZE);
	for (unsigned int i = 0; i < guest->ncomp; i++) {
		const struct uvt_comp *ci = &guest->comp[i];

		for (uint64_t off = 0; off < ci->len; off += PV_PAGE_SIZE) {
			uint64_t a = ci->addr + off;

			if (i == 0 && off == 0)
				a = other;
			assert_int_equal(uvt_unpack(&h, a, ci->tweak_pref,
						    off), UVT_OK);
		}
	}
	assert_int_equal(uvt_verify(&h), UVT_RC(0x0102, PV_UV_RRC_ALD));
	uvt_host_free(&h);
}

/* B-11: a wrong tweak -> TLD mismatch (rrc 0x1c). */
static void test_verify_wrong_tweak(void **state)
{
	const struct uvt_comp *c = &guest->comp[1];
	struct uvt_host h;

	start(&h);
	for (unsigned int i = 0; i < guest->ncomp; i++) {
		const struct uvt_comp *ci = &guest->comp[i];

		for (uint64_t off = 0; off < ci->len; off += PV_PAGE_SIZE) {
			uint64_t t1 = ci == c && off ? off + 1 : off;

			assert_int_equal(uvt_unpack(&h, ci->addr + off,
						    ci->tweak_pref, t1),
					 UVT_OK);
		}
	}
	assert_int_equal(uvt_verify(&h), UVT_RC(0x0102, PV_UV_RRC_TLD));
	uvt_host_free(&h);
}

/* B-11: a missing page and an extra page -> page count (rrc 0x1d). */
static void test_verify_missing_and_extra_page(void **state)
{
	const struct uvt_comp *last = &guest->comp[guest->ncomp - 1];
	struct uvt_host h;

	start(&h);
	for (unsigned int i = 0; i + 1 < guest->ncomp; i++) {
		const struct uvt_comp *ci = &guest->comp[i];

		for (uint64_t off = 0; off < ci->len; off += PV_PAGE_SIZE)
			assert_int_equal(uvt_unpack(&h, ci->addr + off,
						    ci->tweak_pref, off),
					 UVT_OK);
	}
	assert_int_equal(uvt_verify(&h), UVT_RC(0x0102, PV_UV_RRC_NEP));
	uvt_host_free(&h);

	start(&h);
	assert_int_equal(uvt_unpack_all(&h, guest), UVT_OK);
	assert_int_equal(uvt_unpack(&h, last->addr + last->len,
				    last->tweak_pref, last->len), UVT_OK);
	assert_int_equal(uvt_verify(&h), UVT_RC(0x0102, PV_UV_RRC_NEP));
	uvt_host_free(&h);
}

/* Unpack rc values (README): state, alignment, range, secure page. */
static void test_unpack_errors(void **state)
{
	const struct uvt_comp *c = &guest->comp[0];
	struct uvt_host h;

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_create(&h), UVT_OK);
	/* Before SSC: invalid state. */
	assert_int_equal(uvt_unpack(&h, c->addr, c->tweak_pref, 0),
			 UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_verify(&h), UVT_RC(PV_UV_RC_INV_STATE, 0));
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	assert_int_equal(uvt_unpack(&h, c->addr + 8, c->tweak_pref, 0),
			 UVT_RC(0x0107, 0));
	assert_int_equal(uvt_unpack(&h, h.ram_size, c->tweak_pref, 0),
			 UVT_RC(0x0101, 0));
	h.conf ^= 0x10000;
	assert_int_equal(uvt_unpack(&h, c->addr, c->tweak_pref, 0),
			 UVT_RC(PV_UV_RC_INV_GHANDLE, 0));
	h.conf ^= 0x10000;
	assert_int_equal(uvt_unpack(&h, c->addr, c->tweak_pref, 0), UVT_OK);
	/* The same page twice: already secure. */
	assert_int_equal(uvt_unpack(&h, c->addr, c->tweak_pref, 0),
			 UVT_RC(0x0104, 0));
	uvt_host_free(&h);
}

/* B-10: rc 0x010a for an unmapped host page; mapping it and retrying
 * succeeds. */
static void test_unpack_fault_in_retry(void **state)
{
	struct uvt_opts o = { .mem_size = 0x80000, .ncomp = 2,
			      .comp_addr = { 0x10000, 0x80000 },
			      .comp_pages = { 2, 2 } };
	struct uvt_guest *g;
	struct uvt_host h;
	uint8_t *more;

	/* The component at 0x80000 lies beyond the RAM first mapped. */
	o.mem_size = 0x100000;
	assert_int_equal(uvt_guest_build(&o, &g), 0);
	g->mem_size = 0x80000;
	assert_int_equal(uvt_host_new(&h, g, 0), 0);
	h.msl = 0x100000;
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(uvt_ssc(&h, g->hdr, g->hdr_len), UVT_OK);
	assert_int_equal(uvt_unpack(&h, 0x10000, g->comp[0].tweak_pref, 0),
			 UVT_OK);
	assert_int_equal(uvt_unpack(&h, 0x11000, g->comp[0].tweak_pref,
				    0x1000), UVT_OK);
	assert_int_equal(uvt_unpack(&h, 0x80000, g->comp[1].tweak_pref, 0),
			 UVT_RC(0x010a, 0));
	more = aligned_alloc(4096, 0x80000);
	assert_non_null(more);
	memcpy(more, g->image + 0x80000, 0x80000);
	assert_int_equal(pv_uv_map_host(h.uv, 0x80000, more, 0x80000, NULL),
			 0);
	assert_int_equal(uvt_unpack(&h, 0x80000, g->comp[1].tweak_pref, 0),
			 UVT_OK);
	assert_int_equal(uvt_unpack(&h, 0x81000, g->comp[1].tweak_pref,
				    0x1000), UVT_OK);
	assert_int_equal(uvt_verify(&h), UVT_OK);
	assert_memory_equal(more, g->plain + 0x80000, 0x2000);
	uvt_host_free(&h);
	free(more);
	g->mem_size = 0x100000;
	uvt_guest_free(g);
}

/* PCF bit 35: pages are hashed and made secure but not decrypted. */
static void test_no_decryption(void **state)
{
	struct uvt_opts o = { .pcf = PV_PCF_NO_DECRYPTION, .pcf_set = true };
	struct uvt_guest *g;
	struct uvt_host h;

	assert_int_equal(uvt_guest_build(&o, &g), 0);
	assert_int_equal(uvt_host_new(&h, g, 0), 0);
	assert_int_equal(uvt_boot(&h, g), 0);
	for (unsigned int i = 0; i < g->ncomp; i++)
		assert_memory_equal(h.ram + g->comp[i].addr,
				    g->plain + g->comp[i].addr,
				    g->comp[i].len);
	uvt_host_free(&h);
	uvt_guest_free(g);
}

/* Two guests in two configurations of one UV stay apart. */
static void test_two_configurations(void **state)
{
	struct uvt_host h;
	uint64_t conf1, cpu1;
	uint8_t cb[0x80];

	assert_int_equal(uvt_host_new(&h, guest, 0), 0);
	assert_int_equal(uvt_boot(&h, guest), 0);
	conf1 = h.conf;
	cpu1 = h.cpu;
	/* Same ASCE again: refused. */
	assert_int_equal(uvt_create(&h), UVT_RC(0x0104, 0));
	h.asce += 0x1000;
	/* The guest memory is already secure: the second config's unpack
	 * sees pages owned by the first one. */
	assert_int_equal(uvt_create(&h), UVT_OK);
	assert_int_equal(uvt_ssc(&h, guest->hdr, guest->hdr_len), UVT_OK);
	assert_int_equal(uvt_unpack(&h, guest->comp[0].addr,
				    guest->comp[0].tweak_pref, 0),
			 UVT_RC(0x0104, 0));
	uvt_cb(cb, PV_UVC_IMPORT);
	pv_put_be64(cb + PV_UVCB_HANDLE, h.conf);
	pv_put_be64(cb + PV_UVCB_GADDR, 0x2000);
	uvt_call(h.uv, cb);
	assert_int_equal(uvt_rc(cb), 0x0105);
	assert_int_equal(uvt_teardown(&h), UVT_OK);
	/* The first configuration is untouched. */
	assert_int_equal(pv_uv_page_state(h.uv, guest->comp[0].addr),
			 PV_PAGE_SECURE);
	assert_memory_equal(h.ram + guest->comp[0].addr,
			    guest->plain + guest->comp[0].addr, PV_PAGE_SIZE);
	h.conf = conf1;
	h.cpu = cpu1;
	uvt_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_boot),
		cmocka_unit_test(test_full_boot_anon),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_failed_verify_destroy_zeroes),
		cmocka_unit_test(test_destroy_zeroes_everything),
		cmocka_unit_test(test_verify_wrong_address),
		cmocka_unit_test(test_verify_wrong_tweak),
		cmocka_unit_test(test_verify_missing_and_extra_page),
		cmocka_unit_test(test_unpack_errors),
		cmocka_unit_test(test_unpack_fault_in_retry),
		cmocka_unit_test(test_no_decryption),
		cmocka_unit_test(test_two_configurations),
	};

	return cmocka_run_group_tests_name("uv_boot", tests, group_setup,
					   group_teardown);
}
