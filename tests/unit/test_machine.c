// SPDX-License-Identifier: MIT
/*
 * Machine unit tests: STFLE, SIGP, SCLP and interruption delivery (guest
 * programs t_*.c from tests/guest), the kernel command line, how a run
 * ends (waits, stop, timeout, a guest without handlers), the trace, the
 * options, and the proof that the hypervisor cannot read a secure page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/boot_abi.h"
#include "pvboot/boot_blobs.h"
#include "pvboot/uv.h"
#include "lib/machtest.h"

#define MEM (64ULL << 20)
#define ENTRY 0x10000

static struct mt_key key;

static int setup(void **state)
{
	(void)state;
	return mt_key_new(&key);
}

static int teardown(void **state)
{
	(void)state;
	mt_key_free(&key);
	return 0;
}

static void guest(const char *prog, bool trace, struct mt_run *r)
{
	size_t len;
	uint8_t *buf = mt_guest(prog, &len);

	assert_non_null(buf);
	mt_parms(buf, len, 0, MEM, 0, NULL);
	mt_run(buf, len, NULL, 0, MEM, 0, trace, r, NULL);
	free(buf);
	if (r->rc || r->res.end == PV_RUN_ERROR ||
	    r->res.end == PV_RUN_TIMEOUT)
		mt_run_dump(prog, r);
}

static void expect_ok(const char *prog, struct mt_run *r)
{
	if (r->res.wait_code != MT_WAIT_OK)
		mt_run_dump(prog, r);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->res.end, PV_RUN_DISABLED_WAIT);
	assert_int_equal(r->res.wait_code, MT_WAIT_OK);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_stfle(void **s)
{
	struct mt_run r;

	(void)s;
	guest("t_stfle", false, &r);
	expect_ok("t_stfle", &r);
	assert_true(r.res.stats.intercepts >= 4);
	mt_run_free(&r);
}

static void test_sigp(void **s)
{
	struct mt_run r;

	(void)s;
	guest("t_sigp", false, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.end, PV_RUN_SIGP_STOP);
	assert_non_null(strstr(r.console, "T-SIGP: 0 failed, stopping"));
	mt_run_free(&r);
}

static void test_sclp(void **s)
{
	struct mt_run r;

	(void)s;
	guest("t_sclp", false, &r);
	expect_ok("t_sclp", &r);
	/* Line mode decoded from EBCDIC; the doubled message printed once. */
	assert_int_equal(count(r.console, "LINE MODE 123\n"), 1);
	assert_int_equal(count(r.console, "DUP TEXT 42"), 1);
	assert_int_equal(count(r.console, "ASCII ONLY\n"), 1);
	/* Linux's line mode (EBCDIC 037 brackets) and its ASCII copy. */
	assert_int_equal(count(r.console, "[ 0.5]\n"), 1);
	assert_int_equal(count(r.console, " 0.5"), 1);
	assert_true(r.res.stats.ext_irqs >= 10);
	assert_int_equal(r.res.stats.ext_irqs, r.res.stats.sclp_calls - 4);
	mt_run_free(&r);
}

/* Console input: held until asked for, VT220 framing, signal parameters. */
static void test_console_input(void **s)
{
	struct mt_run r;

	(void)s;
	mt_console_input = "hello pvboot\n";
	guest("t_input", false, &r);
	mt_console_input = NULL;
	expect_ok("t_input", &r);
	mt_run_free(&r);
}

static void test_interrupts(void **s)
{
	struct mt_run r;

	(void)s;
	guest("t_irq", false, &r);
	expect_ok("t_irq", &r);
	assert_true(r.res.stats.pgm_irqs >= 5);
	assert_int_equal(r.res.stats.svc_irqs, 1);
	mt_run_free(&r);
}

/* Code written over code that ran: the new DIAG is intercepted. */
static void test_new_code(void **s)
{
	struct mt_run r;

	(void)s;
	guest("t_smc", false, &r);
	expect_ok("t_smc", &r);
	assert_int_equal(r.res.stats.d308_total, 2);
	mt_run_free(&r);
}

/* The whole-range hook gives the same result and logs privileged ops. */
static void test_trace(void **s)
{
	struct mt_run r;

	(void)s;
	guest("t_stfle", true, &r);
	expect_ok("t_stfle", &r);
	assert_non_null(r.trace);
	assert_non_null(strstr(r.trace, "STFLE"));
	assert_non_null(strstr(r.trace, "program interruption 0x0006"));
	assert_non_null(strstr(r.trace, "LPSWE"));
	mt_run_free(&r);
}

/* ---- command line ----------------------------------------------------- */

static int run_append(const uint8_t *img, size_t len, const char *append,
		      struct mt_run *r, struct pv_err **err)
{
	struct pv_machine_opts o = { .mem_size = MEM };
	struct pv_machine *m = NULL;
	FILE *con;
	int rc;

	memset(r, 0, sizeof(*r));
	con = open_memstream(&r->console, &r->console_len);
	o.console = con;
	o.timeout = 30;
	rc = pv_machine_new(&m, &o, err);
	if (!rc)
		rc = pv_machine_set_append(m, append, err);
	if (!rc)
		rc = pv_machine_load_buffer(m, img, len, err);
	if (!rc)
		rc = pv_machine_run(m, &r->res, err);
	pv_machine_free(m);
	fclose(con);
	return rc;
}

static void test_append(void **s)
{
	struct pv_err *err = NULL;
	struct mt_run r;
	char *longline;
	uint8_t *prog;
	size_t plen;

	(void)s;
	assert_int_equal(run_append(pv_blob_testkernel.data,
				    pv_blob_testkernel.len,
				    "root=/dev/null pvboot.x=1", &r, &err), 0);
	assert_int_equal(r.res.wait_code, PV_WAIT_TK_OK);
	assert_non_null(strstr(r.console, "cmdline: root=/dev/null pvboot.x=1"));
	mt_run_free(&r);

	/* Limit from the u64 at 0x10430 (1024 in the test kernel). */
	longline = malloc(5000);
	assert_non_null(longline);
	memset(longline, 'x', 4999);
	longline[4999] = '\0';
	assert_int_equal(run_append(pv_blob_testkernel.data,
				    pv_blob_testkernel.len, longline, &r,
				    &err), -PV_ERR_RANGE);
	assert_non_null(strstr(err->msg, "command line"));
	pv_err_free(err);
	err = NULL;
	mt_run_free(&r);
	longline[1023] = '\0';		/* 1023 + NUL = 1024: fits */
	assert_int_equal(run_append(pv_blob_testkernel.data,
				    pv_blob_testkernel.len, longline, &r,
				    &err), 0);
	assert_int_equal(r.res.wait_code, PV_WAIT_TK_OK);
	mt_run_free(&r);
	free(longline);

	/*
	 * Without "S390EP" a kernel that starts at 0x10000 takes it too, as
	 * with QEMU's -append (guest programs start there); one that starts
	 * elsewhere (an SE image's stage3a, here a program moved) does not.
	 */
	prog = mt_guest("d01", &plen);
	assert_non_null(prog);
	assert_int_equal(run_append(prog, plen, "x", &r, &err), 0);
	assert_int_equal(r.res.wait_code, MT_WAIT_OK);
	mt_run_free(&r);
	pv_put_be32(prog + 4, 0x80000000U | 0x11000U);
	assert_int_equal(run_append(prog, plen, "x", &r, &err),
			 -PV_ERR_INVAL);
	assert_non_null(strstr(err->msg, "not at 0x10000"));
	pv_err_free(err);
	mt_run_free(&r);
	free(prog);
}

/* ---- how runs end ------------------------------------------------------ */

/* A raw image: short PSW at 0 -> ENTRY, @code at ENTRY, @lc at 0x100. */
static uint8_t *raw(const uint8_t *code, size_t n, const uint8_t *lc,
		    size_t lclen, size_t *len)
{
	uint8_t *b = calloc(1, ENTRY + 0x1000);

	assert_non_null(b);
	pv_put_be64(b, 0x0008000180000000ULL | ENTRY);
	memcpy(b + ENTRY, code, n);
	if (lc)
		memcpy(b + 0x100, lc, lclen);
	*len = ENTRY + 0x1000;
	return b;
}

static void test_disabled_wait(void **s)
{
	static const uint8_t code[] = { 0xb2, 0xb2, 0x01, 0x00 }; /* lpswe */
	uint8_t psw[16];
	struct mt_run r;
	uint8_t *b;
	size_t len;

	(void)s;
	pv_put_be64(psw, 0x0002000180000000ULL);
	pv_put_be64(psw + 8, 0xabc0);
	b = raw(code, sizeof(code), psw, sizeof(psw), &len);
	mt_run(b, len, NULL, 0, MEM, 0, false, &r, NULL);
	assert_int_equal(r.res.end, PV_RUN_DISABLED_WAIT);
	assert_int_equal(r.res.wait_code, 0xabc0);
	assert_int_equal(r.res.psw_mask, 0x0002000180000000ULL);
	mt_run_free(&r);
	free(b);
}

/* No program new PSW: the run ends with a message, it does not spin. */
static void test_no_handler(void **s)
{
	static const uint8_t code[] = { 0x00, 0x00 };
	struct mt_run r;
	uint8_t *b;
	size_t len;

	(void)s;
	b = raw(code, sizeof(code), NULL, 0, &len);
	mt_run(b, len, NULL, 0, MEM, 0, false, &r, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.end, PV_RUN_ERROR);
	assert_non_null(strstr(r.res.detail, "0x1d0 is zero"));
	assert_int_equal(r.res.stats.pgm_irqs, 1);
	mt_run_free(&r);
	free(b);
}

/* A handler that faults itself: the loop is detected. */
static void test_pgm_loop(void **s)
{
	static const uint8_t code[] = { 0x00, 0x00 };
	struct mt_run r;
	uint8_t *b;
	size_t len;

	(void)s;
	b = raw(code, sizeof(code), NULL, 0, &len);
	/* Program new PSW: ENTRY, where the fault is. */
	pv_put_be64(b + 0x1d0, 0x0000000180000000ULL);
	pv_put_be64(b + 0x1d8, ENTRY);
	mt_run(b, len, NULL, 0, MEM, 0, false, &r, NULL);
	assert_int_equal(r.res.end, PV_RUN_ERROR);
	assert_non_null(strstr(r.res.detail, "repeats without progress"));
	mt_run_free(&r);
	free(b);
}

static void test_enabled_wait(void **s)
{
	static const uint8_t code[] = { 0xb2, 0xb2, 0x01, 0x00 };
	uint8_t psw[16];
	struct mt_run r;
	uint8_t *b;
	size_t len;

	(void)s;
	pv_put_be64(psw, 0x0102000180000000ULL);	/* EXT on, wait */
	pv_put_be64(psw + 8, 0x2000);
	b = raw(code, sizeof(code), psw, sizeof(psw), &len);
	mt_run(b, len, NULL, 0, MEM, 0, false, &r, NULL);
	assert_int_equal(r.res.end, PV_RUN_ERROR);
	assert_non_null(strstr(r.res.detail, "enabled wait"));
	mt_run_free(&r);
	free(b);
}

static void test_timeout(void **s)
{
	static const uint8_t code[] = { 0xa7, 0xf4, 0x00, 0x00 }; /* j . */
	struct pv_machine_opts o = { .mem_size = MEM, .timeout = 0.2 };
	struct pv_run_result res;
	struct pv_machine *m;
	uint8_t *b;
	size_t len;

	(void)s;
	b = raw(code, sizeof(code), NULL, 0, &len);
	assert_int_equal(pv_machine_new(&m, &o, NULL), 0);
	assert_int_equal(pv_machine_load_buffer(m, b, len, NULL), 0);
	assert_int_equal(pv_machine_run(m, &res, NULL), 0);
	assert_int_equal(res.end, PV_RUN_TIMEOUT);
	assert_int_equal(res.psw_addr, ENTRY);
	assert_true(res.seconds >= 0.2 && res.seconds < 5);
	assert_true(res.guest_seconds >= 0.15);
	/* A machine runs once. */
	assert_int_equal(pv_machine_run(m, &res, NULL), -PV_ERR_STATE);
	pv_machine_free(m);
	free(b);
}

static void test_options(void **s)
{
	struct pv_machine_opts o = { .mem_size = 1000 * 1024 };
	struct pv_machine *m = NULL;
	struct pv_run_result res;
	struct pv_err *err = NULL;
	uint64_t v;
	uint8_t *b;

	(void)s;
	assert_int_equal(pv_machine_new(&m, &o, &err), -PV_ERR_INVAL);
	pv_err_free(err);
	err = NULL;
	o.mem_size = 2ULL << 20;
	assert_int_equal(pv_machine_new(&m, &o, NULL), 0);
	assert_int_equal(pv_machine_mem_size(m), 2ULL << 20);
	assert_int_equal(pv_machine_run(m, &res, NULL), -PV_ERR_STATE);
	b = calloc(1, (2 << 20) + 1);
	assert_int_equal(pv_machine_load_buffer(m, b, (2 << 20) + 1, &err),
			 -PV_ERR_RANGE);
	assert_non_null(strstr(err->msg, "does not fit"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_machine_load_file(m, "/nonexistent/image", &err),
			 -PV_ERR_IO);
	pv_err_free(err);
	pv_machine_free(m);
	free(b);

	assert_int_equal(pv_parse_size("256M", &v, NULL), 0);
	assert_int_equal(v, 256ULL << 20);
	assert_int_equal(pv_parse_size("2g", &v, NULL), 0);
	assert_int_equal(v, 2ULL << 30);
	assert_int_equal(pv_parse_size("512KiB", &v, NULL), 0);
	assert_int_equal(v, 512ULL << 10);
	assert_int_equal(pv_parse_size("4096", &v, NULL), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(pv_parse_size("12Q", &v, NULL), -PV_ERR_INVAL);
	assert_int_equal(pv_parse_size("M", &v, NULL), -PV_ERR_INVAL);
	assert_int_equal(pv_parse_size("99999999999999999999G", &v, NULL),
			 -PV_ERR_INVAL);
	assert_int_equal(pv_parse_size("1G1", &v, NULL), -PV_ERR_INVAL);
}

/*
 * The hypervisor cannot read a secure page (DESIGN.md, §4.8): after a
 * protected boot the kernel's pages answer PGM 0x3d to the hypervisor's
 * read, while the same read works for a non-protected guest.
 */
static void test_secure_page(void **s)
{
	uint8_t initrd[8192], buf[64];
	struct pv_machine *m = NULL;
	struct mt_image img;
	struct mt_run r;

	(void)s;
	memset(initrd, 0x5a, sizeof(initrd));
	assert_int_equal(mt_build_se(pv_blob_testkernel.data,
				     pv_blob_testkernel.len, initrd,
				     sizeof(initrd), NULL, key.key, &img), 0);
	mt_run(img.buf, img.len, &key, 1, MEM, 0, false, &r, &m);
	assert_non_null(m);
	assert_int_equal(r.res.wait_code, PV_WAIT_TK_OK);
	assert_true(pv_machine_protected(m));
	/* Kernel code (moved by stage3b) and the decrypted initrd. */
	assert_int_equal(pv_machine_hv_read(m, ENTRY, buf, 8),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	assert_int_equal(pv_machine_hv_read(m, img.res.comps[1].addr, buf,
					    sizeof(buf)),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	/* Never-unpacked pages were imported as secure zero pages too. */
	assert_int_equal(pv_machine_hv_read(m, MEM - 4096, buf, 8),
			 PV_PGM_SECURE_STORAGE_ACCESS);
	assert_int_equal(pv_machine_hv_read(m, MEM, buf, 8),
			 PV_PGM_ADDRESSING);
	pv_machine_free(m);
	mt_run_free(&r);

	/* The same kernel, not protected: the hypervisor reads it. */
	mt_run(pv_blob_testkernel.data, pv_blob_testkernel.len, NULL, 0, MEM,
	       0, false, &r, &m);
	assert_non_null(m);
	assert_false(pv_machine_protected(m));
	assert_int_equal(pv_machine_hv_read(m, ENTRY, buf, 16), 0);
	assert_memory_equal(buf, pv_blob_testkernel.data + ENTRY, 16);
	pv_machine_free(m);
	mt_run_free(&r);
	mt_image_free(&img);
}

/* A wrong host key: stage3a reports rc 0x0108 rrc 0x0005, wait 0x4608. */
static void test_wrong_key(void **s)
{
	struct mt_key other;
	struct mt_image img;
	struct mt_run r;

	(void)s;
	assert_int_equal(mt_key_new(&other), 0);
	assert_int_equal(mt_build_se(pv_blob_testkernel.data,
				     pv_blob_testkernel.len, NULL, 0, NULL,
				     other.key, &img), 0);
	mt_run(img.buf, img.len, &key, 1, MEM, 0, false, &r, NULL);
	assert_int_equal(r.res.end, PV_RUN_DISABLED_WAIT);
	assert_int_equal(r.res.wait_code, PV_WAIT_EPV);
	assert_false(r.res.protected_mode);
	assert_true(r.res.unpack_failed);
	assert_int_equal(r.res.unpack_response, 0x0002000501080a02ULL);
	assert_non_null(strstr(r.console, "0x0108"));
	mt_run_free(&r);
	mt_image_free(&img);
	mt_key_free(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stfle),
		cmocka_unit_test(test_sigp),
		cmocka_unit_test(test_sclp),
		cmocka_unit_test(test_console_input),
		cmocka_unit_test(test_interrupts),
		cmocka_unit_test(test_new_code),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_disabled_wait),
		cmocka_unit_test(test_no_handler),
		cmocka_unit_test(test_pgm_loop),
		cmocka_unit_test(test_enabled_wait),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_secure_page),
		cmocka_unit_test(test_wrong_key),
	};

	return cmocka_run_group_tests_name("machine", tests, setup, teardown);
}
