// SPDX-License-Identifier: MIT
/*
 * Reproducer: LOAD LENGTHENED (short to long HFP), LDER, aborts
 * libunicorn 2.0.1's translator (found by tests/guestfuzz, seed
 * 0xf0bf2447ca2b708f).
 *
 * QEMU 5.0's s390x translator declares LDER (0xB324, format RRE) with the
 * format RXE, which has no R2 field; its operand loader in2_e2 asks for
 * R2 and get_field1() fails its assertion ("translate.c:1101: get_field1:
 * Assertion `have_field1(s, o)' failed"): SIGABRT while the block is
 * translated.  LDER is not privileged and needs no AFP control for the
 * registers 0, 2, 4 and 6, so any guest program can do it.  (QEMU fixed
 * it in 8.0: LDER is RRE.)
 *
 * gt_parms variant: 0 LDER, 1 LDER in problem state, 2 EX of LDER.
 * Without the crash: FPR 0 holds FPR 4's left half and zeros.
 */
#include "at.h"

const char gt_name[] = "F-LDER";

static uint64_t in __aligned(8) = 0x4110000012345678ULL;
static uint64_t out __aligned(8) = 0xffffffffffffffffULL;

#define LDER ".insn rre,0xb3240000,0,4"

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();
	uint64_t v = p ? p->variant : 0;

	boot_printf("%s: variant %llu\n", gt_name, (unsigned long long)v);
	asm volatile("ld 4,0(%[s])\n\tld 0,0(%[d])" : : [s] "a"(&in),
		     [d] "a"(&out) : "memory");
	at_reset_pgm();
	if (v == 1)
		at_pstate();
	if (v == 2)
		asm volatile("larl %%r1,1f\n\tex %%r0,0(%%r1)\n\tj 2f\n"
			     "1:\t" LDER "\n2:\n" : : : "r1", "memory");
	else
		asm volatile(LDER : : : "memory");
	at_supervisor();
	asm volatile("std 0,0(%[d])" : : [d] "a"(&out) : "memory");
	at_expect_none("LDER");
	GT_EQ(out, 0x4110000000000000ULL, "LDER result");
}
