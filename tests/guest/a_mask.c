// SPDX-License-Identifier: MIT
/*
 * The program mask (PSW bits 20-23, POP chapter 4 "Program mask" and
 * chapter 6): fixed-point overflow is a program interruption 0x08 only
 * while bit 20 is one.  ADD (AGR, AR) and SUBTRACT (SGR) overflow:
 * completed (the result is stored, cc 3), ILC of the instruction, old PSW
 * after it with bit 20 still one; with bit 20 zero only cc 3.  Supervisor
 * and problem state.  QEMU 7.2 TCG never presents this interruption, so
 * arch_qemu.sh skips this program.
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
		     "ipm %[r]\n"
		     : [a] "+d"(a), [r] "=d"(r)
		     : [one] "d"(1ULL), [m] "d"(mask) : "r1", "cc", "memory");
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
		     : [b] "+d"(b) : [m] "d"(mask) : "r1", "cc", "memory");
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
		     : [a] "+d"(a) : [one] "d"(1ULL), [m] "d"(mask)
		     : "r1", "cc", "memory");
	at_supervisor();
	if (on)
		at_expect("SGR overflow", PGM_FIXP_OVERFLOW, 4, at_spot.next);
	else
		at_expect_none("SGR overflow, bit 20 zero");
	spm(0);
}

void gt_main(void)
{
	uint64_t r;

	/* SPM then IPM: the mask really is in the PSW (bits 36-39 of IPM). */
	asm volatile("spm %[m]\n ipm %[r]\n spm %[z]"
		     : [r] "=d"(r) : [m] "d"(0x08000000ULL), [z] "d"(0ULL));
	GT_EQ((r >> 24) & 0xf, 8, "IPM after SPM: program mask 8");
	one(false, true);
	one(false, false);
	one(true, true);
	one(true, false);
}
