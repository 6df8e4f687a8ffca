// SPDX-License-Identifier: MIT
/*
 * The machine against the z/Architecture Principles of Operation: the
 * guest programs tests/guest/a_*.c check each behaviour from inside the
 * guest and end in the success wait (0x600d0) with "N checks, 0 failed".
 * Some run on several CPUs, some also as the kernel of an SE image
 * (protected), and a_wait1s is also timed from the host: the one-second
 * enabled wait must last a second of host time and cost little CPU time.
 *
 * Programs that once crashed pvboot run in a child process.  No program
 * is skipped here any more (the last, a_mask, passes since cpu/fxo.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "pvboot/be.h"
#include "lib/machtest.h"

#define MEM (64ULL << 20)

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

/* Like mt_run, with @cpus guest CPUs. */
static void run_buf(const uint8_t *buf, size_t len, unsigned int cpus,
		    const struct mt_key *k, struct mt_run *out)
{
	struct pv_machine_key mk = { 0 };
	struct pv_machine_opts o = { 0 };
	struct pv_machine *m = NULL;
	struct pv_err *err = NULL;
	FILE *con;
	int rc;

	memset(out, 0, sizeof(*out));
	con = open_memstream(&out->console, &out->console_len);
	assert_non_null(con);
	if (k) {
		mk.data = k->pem;
		mk.len = k->pem_len;
		o.host_keys = &mk;
		o.nhost_keys = 1;
	}
	o.mem_size = MEM;
	o.console = con;
	o.timeout = 30;
	o.cpus = cpus;
	o.input_fd = -1;
	rc = pv_machine_new(&m, &o, &err);
	if (!rc)
		rc = pv_machine_load_buffer(m, buf, len, &err);
	if (!rc)
		rc = pv_machine_run(m, &out->res, &err);
	if (rc && err)
		snprintf(out->err, sizeof(out->err), "%s", err->msg);
	pv_err_free(err);
	pv_machine_free(m);
	fclose(con);
	out->rc = rc;
}

/* Run program @prog (plain, or as the kernel of an SE image). */
static void run_prog(const char *prog, unsigned int cpus, bool pv,
		     struct mt_run *r)
{
	size_t len;
	uint8_t *buf = mt_guest(prog, &len);

	assert_non_null(buf);
	if (!pv) {
		mt_parms(buf, len, cpus, MEM, 0, NULL);
		run_buf(buf, len, cpus, NULL, r);
	} else {
		struct mt_image img;

		assert_int_equal(mt_build_se(buf, len, NULL, 0, NULL, key.key,
					     &img), 0);
		mt_parms(img.buf, img.len, cpus, MEM, 0, &img.res);
		run_buf(img.buf, img.len, cpus, &key, r);
		mt_image_free(&img);
	}
	free(buf);
}

/* The program ended in its success wait after checks that all passed. */
static bool passed(const struct mt_run *r)
{
	const char *s = r->console ? strstr(r->console, " checks, 0 failed")
				   : NULL;

	return r->rc == 0 && r->res.end == PV_RUN_DISABLED_WAIT &&
	       r->res.wait_code == MT_WAIT_OK && s;
}

static void expect_pass(const char *prog, unsigned int cpus, bool pv)
{
	struct mt_run r;

	run_prog(prog, cpus, pv, &r);
	if (!passed(&r))
		mt_run_dump(prog, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.end, PV_RUN_DISABLED_WAIT);
	assert_int_equal(r.res.wait_code, MT_WAIT_OK);
	assert_non_null(strstr(r.console, " checks, 0 failed"));
	if (pv)
		assert_true(r.res.protected_mode);
	mt_run_free(&r);
}

/* A program in a child process (some once crashed it); it must pass. */
static void in_child(const char *prog, unsigned int cpus)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct mt_run r;

		run_prog(prog, cpus, false, &r);
		if (!passed(&r))
			mt_run_dump(prog, &r);
		_exit(passed(&r) ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st))
		fprintf(stderr, "%s: pvboot died with signal %d\n", prog,
			WTERMSIG(st));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* ---- programs the machine passes ----------------------------------------- */

static void test_pgm(void **s)
{
	(void)s;
	expect_pass("a_pgm", 1, false);
}

static void test_pgm_protected(void **s)
{
	(void)s;
	expect_pass("a_pgm", 1, true);
}

static void test_dat(void **s)
{
	(void)s;
	expect_pass("a_dat", 1, false);
}

/*
 * One instruction faulting on page after page (a kernel clearing a fresh
 * user buffer) is progress, not a loop; the same exception on the same
 * page, again and again, is a loop the machine ends.
 */
static void test_pgwalk(void **s)
{
	(void)s;
	expect_pass("a_pgwalk", 1, false);
	expect_pass("a_pgwalk", 1, true);
}

static void test_pgwalk_loop(void **s)
{
	struct mt_run r;
	size_t len;
	uint8_t *buf = mt_guest("a_pgwalk", &len);

	(void)s;
	assert_non_null(buf);
	mt_parms(buf, len, 1, MEM, MT_F_BROKEN_HANDLER, NULL);
	run_buf(buf, len, 1, NULL, &r);
	free(buf);
	if (r.res.end != PV_RUN_ERROR)
		mt_run_dump("a_pgwalk, broken handler", &r);
	assert_int_equal(r.res.end, PV_RUN_ERROR);
	assert_non_null(strstr(r.res.detail,
			       "program interruption 0x0011 at "));
	assert_non_null(strstr(r.res.detail,
			       "repeats without progress (64 times, same address)"));
	/* the first fault and 64 repeats */
	assert_int_equal(r.res.stats.pgm_irqs, 65);
	mt_run_free(&r);
}

static void test_timer(void **s)
{
	(void)s;
	expect_pass("a_timer", 1, false);
}

static void test_timer_protected(void **s)
{
	(void)s;
	expect_pass("a_timer", 1, true);
}

static void test_stsi_1(void **s)
{
	(void)s;
	expect_pass("a_stsi", 1, false);
}

static void test_stsi_3(void **s)
{
	(void)s;
	expect_pass("a_stsi", 3, false);
}

static void test_sigp_2(void **s)
{
	(void)s;
	expect_pass("a_sigp", 2, false);
}

static void test_sigp_3(void **s)
{
	(void)s;
	expect_pass("a_sigp", 3, false);
}

static void test_css(void **s)
{
	(void)s;
	expect_pass("a_css", 1, false);
}

static void test_diag(void **s)
{
	(void)s;
	expect_pass("a_diag", 1, false);
}

static void test_diag_protected(void **s)
{
	(void)s;
	expect_pass("a_diag", 1, true);
}

static void test_sclp(void **s)
{
	(void)s;
	expect_pass("a_sclp", 3, false);
}

static void test_sclp_protected(void **s)
{
	(void)s;
	expect_pass("a_sclp", 1, true);
}

static double cpu_seconds(void)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 +
	       (double)u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One second of enabled wait: a second of host time, little CPU time,
 * and a TOD clock that reads the host's wall time (epoch 1900).
 */
static void test_wait_sleeps(void **s)
{
	struct mt_run r;
	double c0, c1, w0, w1, wall;
	unsigned long long t0 = 0, t1 = 0;
	const char *p;

	(void)s;
	wall = now(CLOCK_REALTIME);
	c0 = cpu_seconds();
	w0 = now(CLOCK_MONOTONIC);
	run_prog("a_wait1s", 1, false, &r);
	w1 = now(CLOCK_MONOTONIC);
	c1 = cpu_seconds();
	if (!passed(&r))
		mt_run_dump("a_wait1s", &r);
	assert_true(passed(&r));
	p = strstr(r.console, "A-WAIT1S: tod ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "A-WAIT1S: tod %llx %llx", &t0, &t1), 2);
	fprintf(stderr, "# a_wait1s: %.3f s wall, %.3f s CPU, TOD %.6f s\n",
		w1 - w0, c1 - c0, (double)((t1 - t0) >> 12) / 1e6);
	assert_true(w1 - w0 >= 1.0 && w1 - w0 < 1.6);
	assert_true(c1 - c0 < 0.3);
	/* TOD bit 51 = 1 us, epoch 1900-01-01 (2208988800 s before 1970). */
	{
		double tod_s = (double)(t0 >> 12) / 1e6 - 2208988800.0;

		assert_true(tod_s > wall - 5 && tod_s < wall + 5);
	}
	mt_run_free(&r);
}

/* ---- programs that once found machine bugs (run in a child) ------------ */

/*
 * LPSWE of an invalid PSW (EA without BA, bit 24 without the RI facility)
 * is an early specification exception with ILC 0 and that PSW as the old
 * PSW (Unicorn aborted on some); a branch to an odd address is one too,
 * with the odd address in the old PSW (Unicorn ran the bytes there).
 */
static void test_psw(void **s)
{
	(void)s;
	in_child("a_psw", 1);
}

/* MONITOR CALL: a monitor event (0x40) with class and code in the lowcore
 * when CR8 enables the class (Unicorn has no MC). */
static void test_mc(void **s)
{
	(void)s;
	in_child("a_mc", 1);
}

/*
 * Fixed-point overflow while PSW bit 20 is one: TCG never interrupts (QEMU
 * 7.2 neither); the machine runs the instructions itself then (cpu/fxo.c).
 */
static void test_mask(void **s)
{
	(void)s;
	in_child("a_mask", 1);
}

/* After SPX, real P..P+8191 reach absolute 0 (the TLB was stale); SPX of
 * an address beyond memory is an addressing exception. */
static void test_prefix(void **s)
{
	(void)s;
	in_child("a_prefix", 1);
}

/* SACF to secondary or home space with DAT off: special operation. */
static void test_special(void **s)
{
	(void)s;
	in_child("a_special", 1);
}

/* SET CLOCK (it crashed Unicorn's translator; the machine runs it). */
static void test_sck(void **s)
{
	(void)s;
	in_child("a_sck", 1);
}

/* A CPU that spins lets a CPU it restarted run; SIGP sense reports a
 * pending external call (0x80); initial CPU reset clears the PSW and the
 * CPU timer. */
static void test_sigp_strict(void **s)
{
	(void)s;
	in_child("a_sigp_strict", 2);
}

/* DIAG 0x258 with Linux's pfault blocks: KVM's answers. */
static void test_diag258(void **s)
{
	(void)s;
	in_child("a_diag258", 1);
}

/* COMPARE AND SWAP AND STORE (Unicorn's helper asserted on sc 0). */
static void test_csst(void **s)
{
	(void)s;
	in_child("a_csst", 1);
}

/* RNSBG, ROSBG, RXSBG test forms (Unicorn's translator aborted). */
static void test_rsbg(void **s)
{
	(void)s;
	in_child("a_rsbg", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pgm),
		cmocka_unit_test(test_pgm_protected),
		cmocka_unit_test(test_dat),
		cmocka_unit_test(test_pgwalk),
		cmocka_unit_test(test_pgwalk_loop),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_timer_protected),
		cmocka_unit_test(test_stsi_1),
		cmocka_unit_test(test_stsi_3),
		cmocka_unit_test(test_sigp_2),
		cmocka_unit_test(test_sigp_3),
		cmocka_unit_test(test_css),
		cmocka_unit_test(test_diag),
		cmocka_unit_test(test_diag_protected),
		cmocka_unit_test(test_sclp),
		cmocka_unit_test(test_sclp_protected),
		cmocka_unit_test(test_wait_sleeps),
		cmocka_unit_test(test_psw),
		cmocka_unit_test(test_mc),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_special),
		cmocka_unit_test(test_sck),
		cmocka_unit_test(test_sigp_strict),
		cmocka_unit_test(test_diag258),
		cmocka_unit_test(test_csst),
		cmocka_unit_test(test_rsbg),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
