// SPDX-License-Identifier: MIT
/*
 * D-10: subcode 1 -> initial reset of the CPU and load normal: the GPRs
 * (GR15 in particular) survive, CR0 is reset to 0xE0.
 */
#include "gt.h"

const char gt_name[] = "D-10";

static uint64_t sp;

static void after_reset(void)
{
	for (int n = 5; n <= 13; n++)
		gt_check(gt_regs[n] == GT_REG_PATTERN(n),
			 "GR%d = 0x%llx after subcode 1", n,
			 (unsigned long long)gt_regs[n]);
	GT_EQ(gt_regs[15], sp, "GR15 kept");
	GT_EQ(gt_regs[4], 1, "GR4 (subcode) kept");
	GT_EQ(gt_stctg0(), 0xe0, "CR0 after initial reset");
	gt_done();
}

void gt_main(void)
{
	asm volatile("lgr %0,%%r15" : "=d"(sp));
	ctl0_set(ctl0_get() | 0x40000);
	gt_set_resume(after_reset);
	gt_d308_regs(1, 0);
	gt_check(false, "subcode 1 returned");
}
