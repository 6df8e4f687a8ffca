// SPDX-License-Identifier: MIT
/*
 * Secrets kept in stack buffers are wiped before the function returns:
 * the KEK of a key slot (lib/crypto/keyslot.c, wrap and unwrap), the ECDH
 * secret it comes from (lib/crypto/ecdh.c), and the header key and
 * decrypted header secrets of the UV's set-secure-parameters
 * (lib/uv/uv_ssc.c).  test_zeroize watches heap blocks; this test watches
 * the stack.
 *
 * How: the function under test runs on a stack of its own (makecontext),
 * which the test allocated and filled with a pattern.  After it returned
 * (swapcontext back to the test's own stack), the whole of that stack is
 * ordinary memory the test owns, and every frame the function and its
 * callees left behind is still there: it is searched for any 16
 * consecutive bytes of each known secret, in both byte orders.  No
 * read below a live stack pointer, no compiler trick.  Two control cases
 * show the search finds a secret that a function leaves in its frame and
 * misses it once the function wipes it.
 *
 * Only the control cases run in the sanitizer build: there the frames are
 * larger and laid out otherwise, and a stale copy of the ECDH secret that
 * OpenSSL's SHA-256 leaves in vector registers, spilled to the stack by
 * its GCM code, survives in a spot that later calls overwrite in the
 * plain build (seen with gdb: it is written inside pv_gcm_decrypt, in
 * no frame of ours).  The plain build runs every case in `make check`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "pvboot/sehdr.h"
#include "pvboot/uv.h"
#include "lib/uvtest.h"

#if defined(__SANITIZE_ADDRESS__)
#define SW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SW_ASAN 1
#endif
#endif

/* the cases that only the plain build registers */
#define SW_PLAIN __attribute__((unused))

#define SW_STACK (512 * 1024)
#define SW_WINDOW 16
#define SW_FILL 0xa5

static uint8_t *sw_stack;
static ucontext_t sw_main, sw_job;
static void (*sw_fn)(void);

static void sw_trampoline(void)
{
	sw_fn();
}

/* Run @fn on the private stack (filled with the pattern first). */
static void sw_run(void (*fn)(void))
{
	memset(sw_stack, SW_FILL, SW_STACK);
	sw_fn = fn;
	assert_int_equal(getcontext(&sw_job), 0);
	sw_job.uc_stack.ss_sp = sw_stack;
	sw_job.uc_stack.ss_size = SW_STACK;
	sw_job.uc_link = &sw_main;
	makecontext(&sw_job, sw_trampoline, 0);
	assert_int_equal(swapcontext(&sw_main, &sw_job), 0);
}

/* Bytes of the private stack the job touched (below the pattern). */
static size_t sw_used(void)
{
	size_t i = 0;

	while (i < SW_STACK && sw_stack[i] == SW_FILL)
		i++;
	return SW_STACK - i;
}

/* Offset of any @SW_WINDOW-byte piece of @s (or reversed) in the stack. */
static long sw_find(const uint8_t *s, size_t len)
{
	uint8_t rev[128];

	assert_true(len >= SW_WINDOW && len <= sizeof(rev));
	for (size_t i = 0; i < len; i++)
		rev[i] = s[len - 1 - i];
	for (size_t off = 0; off + SW_WINDOW <= len; off++) {
		uint8_t *p = memmem(sw_stack, SW_STACK, s + off, SW_WINDOW);

		if (!p)
			p = memmem(sw_stack, SW_STACK, rev + off, SW_WINDOW);
		if (p)
			return (long)(p - sw_stack);
	}
	return -1;
}

/* Fail when @name (@len bytes) is anywhere on the job's stack. */
static void sw_expect_wiped(const char *job, const char *name,
			    const uint8_t *s, size_t len)
{
	long at = sw_find(s, len);

	if (at >= 0)
		fail_msg("%s left the %s on its stack (%zu bytes used, found "
			 "at %ld bytes below the top)",
			 job, name, sw_used(), (long)SW_STACK - at);
}

/* ---- the secrets --------------------------------------------------------- */

static struct pv_eckey *cust, *host, *cust_pub, *host_pub;
static uint8_t hpk[PV_HPK_LEN], z[PV_ECDH_LEN], kek[PV_KEK_LEN];
static uint8_t slot[PV_KEYSLOT_LEN], hpk_out[PV_HPK_LEN];
static int job_rc;

static struct pv_eckey *scalar_key(uint8_t first)
{
	uint8_t d[PV_ECDH_LEN];
	struct pv_eckey *k = NULL;

	memset(d, 0x5c, sizeof(d));
	d[0] = 0;
	d[1] = first;
	assert_int_equal(pv_eckey_from_scalar(d, sizeof(d), &k, NULL), 0);
	return k;
}

static struct pv_eckey *public_of(const struct pv_eckey *k)
{
	uint8_t c[PV_EC_COORDS_LEN];
	struct pv_eckey *p = NULL;

	assert_int_equal(pv_eckey_coords(k, c, NULL), 0);
	assert_int_equal(pv_eckey_from_coords(c, &p, NULL), 0);
	return p;
}

static int setup(void **state)
{
	sw_stack = mmap(NULL, SW_STACK, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sw_stack == MAP_FAILED)
		return -1;
	cust = scalar_key(0x71);
	host = scalar_key(0x93);
	cust_pub = public_of(cust);
	host_pub = public_of(host);
	for (size_t i = 0; i < sizeof(hpk); i++)
		hpk[i] = (uint8_t)(0x3b * i + 0x11);
	/* the values the functions must not leave behind, computed here */
	if (pv_ecdh(cust, host_pub, z, NULL) ||
	    pv_derive_kek(cust, host_pub, kek, NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	pv_eckey_free(cust);
	pv_eckey_free(host);
	pv_eckey_free(cust_pub);
	pv_eckey_free(host_pub);
	munmap(sw_stack, SW_STACK);
	return 0;
}

/* ---- control: the search finds what a frame keeps ------------------------ */

/* Keeps the KEK in its frame; the empty asm makes the copy real. */
static __attribute__((noinline)) void leaky(void)
{
	uint8_t copy[PV_KEK_LEN];

	memcpy(copy, kek, sizeof(copy));
	__asm__ __volatile__("" : : "r"(copy) : "memory");
}

static __attribute__((noinline)) void tidy(void)
{
	uint8_t copy[PV_KEK_LEN];

	memcpy(copy, kek, sizeof(copy));
	__asm__ __volatile__("" : : "r"(copy) : "memory");
	pv_cleanse(copy, sizeof(copy));
}

static void test_control(void **state)
{
	sw_run(leaky);
	assert_true(sw_used() > 0);
	assert_true(sw_find(kek, sizeof(kek)) >= 0);
	sw_run(tidy);
	assert_true(sw_used() > 0);
	sw_expect_wiped("tidy", "KEK", kek, sizeof(kek));
}

/* ---- key slots ----------------------------------------------------------- */

static void job_wrap(void)
{
	job_rc = pv_keyslot_wrap(cust, host_pub, hpk, slot, NULL);
}

static void job_unwrap(void)
{
	job_rc = pv_keyslot_unwrap(host, cust_pub, slot, hpk_out, NULL);
}

static SW_PLAIN void test_keyslot_wrap(void **state)
{
	sw_run(job_wrap);
	assert_int_equal(job_rc, 0);
	assert_true(sw_used() > 1024);
	sw_expect_wiped("pv_keyslot_wrap", "KEK", kek, sizeof(kek));
	sw_expect_wiped("pv_keyslot_wrap", "ECDH secret", z, sizeof(z));
}

static SW_PLAIN void test_keyslot_unwrap(void **state)
{
	assert_int_equal(pv_keyslot_wrap(cust, host_pub, hpk, slot, NULL), 0);
	memset(hpk_out, 0, sizeof(hpk_out));
	sw_run(job_unwrap);
	assert_int_equal(job_rc, 0);
	assert_memory_equal(hpk_out, hpk, sizeof(hpk));
	assert_true(sw_used() > 1024);
	sw_expect_wiped("pv_keyslot_unwrap", "KEK", kek, sizeof(kek));
	sw_expect_wiped("pv_keyslot_unwrap", "ECDH secret", z, sizeof(z));
	/* a wrong slot: the KEK is still derived, and still wiped */
	slot[PV_KEYSLOT_LEN - 1] ^= 1;
	sw_run(job_unwrap);
	assert_int_equal(job_rc, -PV_ERR_AUTH);
	sw_expect_wiped("pv_keyslot_unwrap (bad tag)", "KEK", kek,
			sizeof(kek));
	slot[PV_KEYSLOT_LEN - 1] ^= 1;
}

/* ---- the UV opening an SE header ----------------------------------------- */

static struct uvt_guest *guest;
static struct uvt_host uvh;
static uint32_t ssc_word;

static void job_ssc(void)
{
	ssc_word = uvt_ssc(&uvh, guest->hdr, guest->hdr_len);
}

/* HPK, KEK, Z and the decrypted part of @g's header, recomputed here. */
struct hdr_secrets {
	uint8_t hpk[PV_HPK_LEN], kek[PV_KEK_LEN], z[PV_ECDH_LEN];
	uint8_t sec[128];
};

static void hdr_secrets(const struct uvt_guest *g, struct hdr_secrets *s)
{
	const uint8_t *h = g->hdr;
	size_t e = PV_SEHDR_OFF_SLOTS +
		   PV_KEYSLOT_LEN * pv_get_be64(h + PV_SEHDR_OFF_NKS);
	struct pv_eckey *hk = NULL, *ck = NULL;

	assert_int_equal(pv_eckey_from_bytes(g->host_der, g->host_der_len,
					     true, &hk, NULL), 0);
	assert_int_equal(pv_eckey_from_coords(h + PV_SEHDR_OFF_CUSTPUB, &ck,
					      NULL), 0);
	assert_int_equal(pv_ecdh(hk, ck, s->z, NULL), 0);
	assert_int_equal(pv_derive_kek(hk, ck, s->kek, NULL), 0);
	assert_int_equal(pv_keyslot_unwrap(hk, ck, h + PV_SEHDR_OFF_SLOTS,
					   s->hpk, NULL), 0);
	assert_int_equal(pv_gcm_decrypt(s->hpk, h + PV_SEHDR_OFF_IV, h, e,
					h + e, sizeof(s->sec),
					h + g->hdr_len - PV_GCM_TAG_LEN,
					s->sec, NULL), 0);
	pv_eckey_free(hk);
	pv_eckey_free(ck);
}

static SW_PLAIN void test_uv_set_sec_parms(void **state)
{
	struct hdr_secrets s;

	assert_int_equal(uvt_guest_build(NULL, &guest), 0);
	hdr_secrets(guest, &s);
	assert_int_equal(uvt_host_new(&uvh, guest, 0), 0);
	assert_int_equal(uvt_create(&uvh), UVT_OK);
	sw_run(job_ssc);
	assert_int_equal(ssc_word, UVT_OK);
	assert_true(sw_used() > 1024);
	sw_expect_wiped("set secure parameters", "header key", s.hpk,
			sizeof(s.hpk));
	sw_expect_wiped("set secure parameters", "KEK", s.kek, sizeof(s.kek));
	sw_expect_wiped("set secure parameters", "ECDH secret", s.z,
			sizeof(s.z));
	sw_expect_wiped("set secure parameters", "image key",
			s.sec + PV_SEHDR_ENC_XTS, PV_XK_LEN);
	sw_expect_wiped("set secure parameters", "CCK",
			s.sec + PV_SEHDR_ENC_CCK, PV_CCK_LEN);
	uvt_host_free(&uvh);
	uvt_guest_free(guest);
	pv_cleanse(&s, sizeof(s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control),
#ifndef SW_ASAN
		cmocka_unit_test(test_keyslot_wrap),
		cmocka_unit_test(test_keyslot_unwrap),
		cmocka_unit_test(test_uv_set_sec_parms),
#endif
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
