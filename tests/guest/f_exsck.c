// SPDX-License-Identifier: MIT
/*
 * SET CLOCK where the machine's hiding of it from the translator once
 * failed, and the translator took the process down (guest fuzzing, base
 * 20261210, seed 0x064b4abb2967808b): EXECUTE of a 4-byte instruction at
 * T, then EXECUTE of SET CLOCK at T+4 (EXECUTE's second fetch at T+2 made
 * the fetch at T+4 look like the second halfword of an instruction);
 * SET CLOCK right after a 2-byte instruction (the same confusion in the
 * translator's own fetches); and EXECUTE whose R1 byte turns 0xB200 into
 * SET CLOCK's 0xB204 (POP chapter 7, "EXECUTE": bits 8-15 of the target
 * are ORed with bits 56-63 of R1).  Each SCK must set the clock, cc 0.
 */
#include "at.h"

const char gt_name[] = "F-EXSCK";

#define SEC AT_TOD_US(1000000ULL)

static uint64_t tod __aligned(8);

/* The clock must read at least @set and less than a second more. */
static void clock_is(uint64_t set, const char *what)
{
	uint64_t b = at_stck();

	gt_check(b >= set && b < set + SEC, "%s: clock 0x%llx, set 0x%llx",
		 what, (unsigned long long)b, (unsigned long long)set);
}

void gt_main(void)
{
	uint64_t set;
	int cc;

	/* EX of LHI at T, then EX of SCK at T+4 */
	set = at_stck() + SEC;
	tod = set;
	asm volatile("larl %%r1,1f\n\tex %%r0,0(%%r1)\n\t"
		     "ex %%r0,4(%%r1)\n\tipm %[cc]\n\tj 2f\n"
		     "1:\tlhi %%r3,1\n\tsck 0(%[t])\n2:\n\tsrl %[cc],28"
		     : [cc] "=d"(cc) : [t] "a"(&tod)
		     : "r1", "r3", "cc", "memory");
	GT_EQ(cc, 0, "EX of SCK after EX of a 4-byte target: cc");
	clock_is(set, "EX of SCK after EX of a 4-byte target");

	/* SCK right after a 2-byte instruction, in one block */
	set = at_stck() + SEC;
	tod = set;
	asm volatile("lr %%r3,%%r3\n\tsck 0(%[t])\n\tipm %[cc]\n\t"
		     "srl %[cc],28"
		     : [cc] "=d"(cc) : [t] "a"(&tod) : "r3", "cc", "memory");
	GT_EQ(cc, 0, "SCK after LR: cc");
	clock_is(set, "SCK after LR");

	/* EX with R1 = 4 of 0xB200 (no instruction): SET CLOCK */
	set = at_stck() + SEC;
	tod = set;
	asm volatile("lhi %%r2,4\n\tlarl %%r1,1f\n\tex %%r2,0(%%r1)\n\t"
		     "ipm %[cc]\n\tj 2f\n"
		     "1:\t.insn s,0xb2000000,0(%[t])\n2:\n\tsrl %[cc],28"
		     : [cc] "=d"(cc) : [t] "a"(&tod)
		     : "r1", "r2", "cc", "memory");
	GT_EQ(cc, 0, "EX R1=4 of 0xB200 (SCK): cc");
	clock_is(set, "EX R1=4 of 0xB200 (SCK)");

	/* and the clock back where it was, near enough */
	set = at_stck() - 3 * SEC;
	tod = set;
	asm volatile("sck 0(%[t])" : : [t] "a"(&tod) : "cc", "memory");
	clock_is(set, "SCK back");
}
