// SPDX-License-Identifier: MIT
/*
 * An enabled wait of one second (POP chapter 4, "Wait state"; "Clock
 * comparator"): the clock comparator is set one second ahead and the CPU
 * waits with only that subclass enabled.  The program prints the TOD
 * clock before and after ("A-WAIT1S: tod 0x... 0x...") so that the host
 * test can compare it with its own clock and measure how much CPU time
 * the wait cost; here it checks that the wait ended by the comparator and
 * lasted at least one second of TOD time and less than 1.5 s.
 */
#include "at.h"

const char gt_name[] = "A-WAIT1S";

void gt_main(void)
{
	uint64_t t0, t1;

	at_subclasses(CR0_CKC);
	at_ext_reset();
	t0 = at_stck();
	at_sckc(t0 + AT_TOD_US(1000000));
	at_ext_wait();
	t1 = at_stck();
	at_sckc(~0ULL);
	at_subclasses(0);
	GT_EQ(at_ext.code[0], EXT_CKC, "the wait ended by the clock comparator");
	gt_check(t1 - t0 >= AT_TOD_US(1000000) &&
		 t1 - t0 < AT_TOD_US(1500000),
		 "wait of %llu us, want 1 s", (unsigned long long)((t1 - t0) >> 12));
	boot_printf("A-WAIT1S: tod 0x%llx 0x%llx\n", (unsigned long long)t0,
		    (unsigned long long)t1);
}
