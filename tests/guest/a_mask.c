// SPDX-License-Identifier: MIT
/*
 * The program mask (PSW bits 20-23, POP chapter 4 "Program mask" and
 * chapter 6): fixed-point overflow is a program interruption 0x08 only
 * while bit 20 is one.  ADD (AGR, AR) and SUBTRACT (SGR) overflow:
 * completed (the result is stored, cc 3), ILC of the instruction, old PSW
 * after it with bit 20 still one; with bit 20 zero only cc 3.  Supervisor
 * and problem state; then AHI, AFI, A, LCR, SLAK, AGSI and LPGR with the
 * mask on, and an AHI that does not overflow.  Each case sets the mask back to zero before any
 * compiled code runs (its own arithmetic may overflow).  QEMU 7.2 TCG
 * never presents this interruption, so arch_qemu.sh skips this program;
 * tests/indep/hercules.sh runs it on Hercules.
 */
#include "at.h"

const char gt_name[] = "A-MASK";

static void spm(uint64_t m)
{
	asm volatile("spm %0" : : "d"(m));
}

static void one(bool problem, bool on)
{
	const uint64_t mask = on ? 0x08000000ULL : 0;
	uint64_t a = 0x7fffffffffffffffULL, r, cc_mask;
	uint32_t b = 0x7fffffff;
	const char *st = problem ? (on ? "problem, mask on" : "problem, mask off")
				 : (on ? "supervisor, mask on" : "supervisor, mask off");

	at_reset_pgm();
	if (problem)
		at_pstate();
	asm volatile("spm %[m]\n" AT_PRE "agr %[a],%[one]" AT_POST
		     "ipm %[r]\n\tspm %[z]\n"
		     : [a] "+d"(a), [r] "=d"(r)
		     : [one] "d"(1ULL), [m] "d"(mask), [z] "d"(0ULL)
		     : "r1", "cc", "memory");
	at_supervisor();
	cc_mask = (gt_pgm.old_mask >> 44) & 3;
	if (on) {
		gt_check(cc_mask == 3, "AGR (%s): cc %llu in the old PSW, want 3",
			 st, (unsigned long long)cc_mask);
		gt_check(gt_pgm.old_mask & PSW_FIXP_OVERFLOW,
			 "AGR (%s): old PSW without bit 20", st);
		at_expect("AGR overflow", PGM_FIXP_OVERFLOW, 4, at_spot.next);
	} else {
		at_expect_none("AGR overflow, bit 20 zero");
		GT_EQ((r >> 28) & 3, 3, "AGR overflow, bit 20 zero: cc 3");
	}
	GT_EQ(a, 0x8000000000000000ULL, "AGR: result stored");

	if (problem)
		at_pstate();
	asm volatile("spm %[m]\n" AT_PRE "ar %[b],%[b]" AT_POST
		     "spm %[z]\n"
		     : [b] "+d"(b) : [m] "d"(mask), [z] "d"(0ULL)
		     : "r1", "cc", "memory");
	at_supervisor();
	if (on)
		at_expect("AR overflow", PGM_FIXP_OVERFLOW, 2, at_spot.next);
	else
		at_expect_none("AR overflow, bit 20 zero");
	GT_EQ(b, 0xfffffffe, "AR: result stored");

	a = 0x8000000000000000ULL;
	if (problem)
		at_pstate();
	asm volatile("spm %[m]\n" AT_PRE "sgr %[a],%[one]" AT_POST
		     "spm %[z]\n"
		     : [a] "+d"(a) : [one] "d"(1ULL), [m] "d"(mask),
		       [z] "d"(0ULL)
		     : "r1", "cc", "memory");
	at_supervisor();
	if (on)
		at_expect("SGR overflow", PGM_FIXP_OVERFLOW, 4, at_spot.next);
	else
		at_expect_none("SGR overflow, bit 20 zero");
	spm(0);
}

/*
 * More forms, mask on, supervisor state: each overflows, is completed
 * (result stored, cc 3 in the old PSW) and interrupts with its own ILC.
 */
#define MASK_ON 0x08000000ULL
#define FORM(insn, ...)							\
	asm volatile("spm %[m]\n" AT_PRE insn AT_POST "spm %[z]\n"	\
		     : __VA_ARGS__ [m] "d"(MASK_ON), [z] "d"(0ULL)	\
		     : "r1", "cc", "memory")

static int32_t word __aligned(8);
static int64_t dword __aligned(8);

static void check(const char *what, unsigned int ilc)
{
	char name[64];

	uint64_t cc = (gt_pgm.old_mask >> 44) & 3;	/* before at_expect */

	boot_snprintf(name, sizeof(name), "%s overflow", what);
	at_expect(name, PGM_FIXP_OVERFLOW, ilc, at_spot.next);
	gt_check(cc == 3, "%s: cc %llu in the old PSW, want 3", what,
		 (unsigned long long)cc);
}

static void forms(void)
{
	uint32_t w;
	uint64_t g;

	w = 0x7fffffff;
	at_reset_pgm();
	FORM("ahi %[w],1", [w] "+d"(w) :);
	check("AHI", 4);
	GT_EQ(w, 0x80000000, "AHI: result");
	w = 0x7fffffff;
	at_reset_pgm();
	FORM("afi %[w],2", [w] "+d"(w) :);
	check("AFI", 6);
	GT_EQ(w, 0x80000001, "AFI: result");
	w = 0x7fffffff;
	word = 1;
	at_reset_pgm();
	FORM("a %[w],%[x]", [w] "+d"(w) : [x] "R"(word),);
	check("A", 4);
	GT_EQ(w, 0x80000000, "A: result");
	w = 0x80000000;
	at_reset_pgm();
	FORM("lcr %[w],%[w]", [w] "+d"(w) :);
	check("LCR", 2);
	GT_EQ(w, 0x80000000, "LCR: result");
	w = 0x40000001;
	at_reset_pgm();
	FORM(".insn rsy,0xeb00000000dd,%[w],%[w],1", [w] "+d"(w) :);
	check("SLAK", 6);
	GT_EQ(w, 0x00000002, "SLAK: result keeps the sign");
	dword = 0x7fffffffffffffffLL;
	at_reset_pgm();
	FORM("agsi %[d],1", [d] "+QS"(dword) :);
	check("AGSI", 6);
	GT_EQ((uint64_t)dword, 0x8000000000000000ULL, "AGSI: result");
	g = 0x8000000000000000ULL;
	at_reset_pgm();
	FORM("lpgr %[g],%[g]", [g] "+d"(g) :);
	check("LPGR", 4);
	GT_EQ(g, 0x8000000000000000ULL, "LPGR: result");
	/* no overflow: no interruption, cc from the result */
	w = 5;
	at_reset_pgm();
	FORM("ahi %[w],-7", [w] "+d"(w) :);
	at_expect_none("AHI 5 - 7");
	GT_EQ(w, 0xfffffffe, "AHI 5 - 7: result");
}

void gt_main(void)
{
	uint64_t r;

#ifdef A_HERCULES	/* tests/indep/hercules.sh: line mode */
	sclp_console_setup(SCLP_CONS_ASCII | SCLP_CONS_LINEMODE);
#endif
	/* SPM then IPM: the mask really is in the PSW (bits 36-39 of IPM). */
	asm volatile("spm %[m]\n ipm %[r]\n spm %[z]"
		     : [r] "=d"(r) : [m] "d"(0x08000000ULL), [z] "d"(0ULL));
	GT_EQ((r >> 24) & 0xf, 8, "IPM after SPM: program mask 8");
	one(false, true);
	one(false, false);
	one(true, true);
	one(true, false);
	forms();
}
