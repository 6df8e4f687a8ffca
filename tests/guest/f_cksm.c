// SPDX-License-Identifier: MIT
/*
 * CHECKSUM (POP chapter 7, "CHECKSUM"): the R2 field must designate an
 * even register (R2 holds the address, R2 + 1 the length), otherwise a
 * specification exception, the operation suppressed.  Unicorn 2.0.1's
 * translator has no such check: with R2 = 15 it takes "register 16" and
 * crashes the process (guest fuzzing, base 20261211, seed
 * 0x6d029eb524a547ba); with R2 = 3 it would checksum with register 4 as
 * the length.  A valid CKSM adds the words with end-around carry.
 */
#include "at.h"

const char gt_name[] = "F-CKSM";

static const uint32_t data[4] __aligned(8) = {
	1, 2, 3, 0xfffffffeU,		/* 1 + 2 + 3 + 0xfffffffe = 5 + carry */
};

void gt_main(void)
{
	register uint64_t r2 asm("2") = (uint64_t)(uintptr_t)data;
	register uint64_t r3 asm("3") = sizeof(data);
	register uint64_t r4 asm("4") = 0;
	uint64_t keep, sum, left;

	/* valid: 1 + 2 + 3 + 0xfffffffe = 0x1_00000004, carry added back */
	asm volatile("0:\tcksm %[s],%[a]\n\tjo 0b"
		     : [s] "+d"(r4), [a] "+a"(r2), "+d"(r3) : : "cc", "memory");
	sum = r4;
	left = r3;
	GT_EQ(sum & 0xffffffffULL, 5, "CKSM of four words: the sum");
	GT_EQ(left, 0, "CKSM: the length is used up");

	/* R2 = 15 and R2 = 3: specification exception, nothing changed */
	at_reset_pgm();
	keep = 0x1234;
	sum = keep;
	asm volatile(AT_PRE ".insn rre,0xb2410000,%[s],15" AT_POST
		     : [s] "+d"(sum) : : "r1", "cc", "memory");
	at_expect("CKSM with R2 = 15", PGM_SPECIFICATION, 4, at_spot.next);
	GT_EQ(sum, keep, "CKSM with R2 = 15: R1 unchanged");
	at_reset_pgm();
	asm volatile(AT_PRE ".insn rre,0xb2410000,%[s],3" AT_POST
		     : [s] "+d"(sum) : : "r1", "cc", "memory");
	at_expect("CKSM with R2 = 3", PGM_SPECIFICATION, 4, at_spot.next);
	GT_EQ(sum, keep, "CKSM with R2 = 3: R1 unchanged");

	/* the same as the target of EXECUTE: the EXECUTE's address, ILC 4 */
	at_reset_pgm();
	asm volatile("larl %%r2,2f\n\t" AT_PRE "ex 0,0(%%r2)" AT_POST
		     "j 3f\n2:\t.insn rre,0xb2410000,4,15\n3:"
		     : : : "r1", "r2", "cc", "memory");
	at_expect("EX of CKSM with R2 = 15", PGM_SPECIFICATION, 4,
		  at_spot.next);
}
