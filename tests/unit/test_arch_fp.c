// SPDX-License-Identifier: MIT
/*
 * Floating-point, decimal and vector program interruptions against the
 * Principles of Operation: each guest program of tests/guest (a_fp*,
 * a_dec) runs on pvboot's machine, once plainly and, where marked, as
 * the kernel of an SE image, and must end in the success wait 0x600d0
 * after "N checks, 0 failed".
 *
 * Programs that find something the machine does not do are kept and
 * skipped with the reason in `gap`: "machine bug" where QEMU TCG does
 * it right, "TCG limitation" where QEMU TCG 7.2 lacks it too.
 * PVBOOT_ARCH_BUGS=1 runs them, each in a child process, and they fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/machtest.h"

#define MEM (64ULL << 20)

struct fp_prog {
	const char *name;	/* tests/guest/NAME.c */
	bool pv;		/* as the kernel of an SE image */
	const char *gap;	/* why the machine fails it, or NULL */
};

static struct mt_key host;

static int group_setup(void **state)
{
	(void)state;
	return mt_key_new(&host);
}

static int group_teardown(void **state)
{
	(void)state;
	mt_key_free(&host);
	return 0;
}

/* Boot @p; true when it ended in the success wait with no failed check. */
static bool boot_prog(const struct fp_prog *p, bool dump)
{
	struct mt_image img = { 0 };
	struct mt_run r;
	uint8_t *bin;
	size_t len;
	bool ok;

	bin = mt_guest(p->name, &len);
	if (!bin) {
		fprintf(stderr, "%s: no guest program (build tests/guest)\n",
			p->name);
		return false;
	}
	if (p->pv) {
		if (mt_build_se(bin, len, NULL, 0, NULL, host.key, &img)) {
			mt_image_free(&img);
			free(bin);
			return false;
		}
		mt_parms(img.buf, img.len, 0, MEM, 0, &img.res);
		mt_run(img.buf, img.len, &host, 1, MEM, 0, false, &r, NULL);
	} else {
		mt_parms(bin, len, 0, MEM, 0, NULL);
		mt_run(bin, len, NULL, 0, MEM, 0, false, &r, NULL);
	}
	ok = r.rc == 0 && r.res.end == PV_RUN_DISABLED_WAIT &&
	     r.res.wait_code == MT_WAIT_OK && r.console &&
	     strstr(r.console, " checks, 0 failed") &&
	     (!p->pv || r.res.protected_mode);
	if (!ok && dump)
		mt_run_dump(p->name, &r);
	mt_run_free(&r);
	mt_image_free(&img);
	free(bin);
	return ok;
}

/* A known gap: in a child (a guest that finds one may crash pvboot). */
static void boot_in_child(const struct fp_prog *p)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(boot_prog(p, true) ? 0 : 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		fprintf(stderr, "%s: pvboot died with signal %d\n", p->name,
			WTERMSIG(st));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void run_one(void **state)
{
	const struct fp_prog *p = *state;

	if (p->gap) {
		if (!getenv("PVBOOT_ARCH_BUGS")) {
			fprintf(stderr, "# %s: %s\n", p->name, p->gap);
			skip();
		}
		boot_in_child(p);
		return;
	}
	assert_true(boot_prog(p, true));
}

/*
 * The programs (tests/README.md, "The machine against the architecture").
 *
 * a_fp_strict: the BFP overflow, underflow and inexact traps that
 * complete (scaled result, condition code, DXC exact/truncated/
 * incremented, exact tiny results).  QEMU's BFP helpers (Unicorn 2.0.1 =
 * QEMU 5.0; QEMU 7.2 the same) raise the trap before the result is
 * written; while an FPC mask for them is on, the machine runs those
 * instructions itself (cpu/bfptrap.c).
 *
 * a_fp_hfp, a_dec: neither Unicorn 2.0.1 nor QEMU 7.2 has HFP arithmetic
 * (ADR, SDR, MDR, DDR, SQDR) or decimal arithmetic (AP, SP, ZAP, CP, MP,
 * DP): each is an operation exception there.  The machine runs those
 * instructions itself (cpu/hfpemu.c, cpu/decemu.c).
 *
 * a_fp_vec, a_fp_vec_strict: STFLE leaves the vector facility (129) out,
 * so a vector instruction is an operation exception with CR0 bit 46 zero
 * and one alike; Unicorn's data exception (DXC 0xfe) is turned into one
 * by the machine (irq.c, pgm_from_cpu).
 */
static const struct fp_prog progs[] = {
	{ "a_fp", false, NULL },
	{ "a_fp", true, NULL },
	{ "a_fp_strict", false, NULL },
	{ "a_fp_hfp", false, NULL },
	{ "a_dec", false, NULL },
	{ "a_fp_vec", false, NULL },
	{ "a_fp_vec_strict", false, NULL },
};

#define PROG_TEST(i, title)						\
	{ title, run_one, NULL, NULL, (void *)&progs[i] }

int main(void)
{
	const struct CMUnitTest tests[] = {
		PROG_TEST(0, "a_fp"),
		PROG_TEST(1, "a_fp_protected"),
		PROG_TEST(2, "a_fp_strict"),
		PROG_TEST(3, "a_fp_hfp"),
		PROG_TEST(4, "a_dec"),
		PROG_TEST(5, "a_fp_vec"),
		PROG_TEST(6, "a_fp_vec_strict"),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
