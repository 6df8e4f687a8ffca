// SPDX-License-Identifier: MIT
/*
 * D-09: subcode 0 -> clear reset, the CPU loads the short PSW at absolute
 * 0 (GPRs zero, CR0 = 0xE0, memory kept); a long-format PSW there is a
 * specification exception when loaded.
 */
#include "gt.h"

const char gt_name[] = "D-09";

static uint64_t marker;

static void after_bad_psw(void)
{
	GT_EQ(gt_pgm_take(), 6, "long-format PSW at 0: program check");
	/* Load normal inverts bit 12: the loaded mask has it set. */
	GT_EQ(gt_pgm.old_mask, 0x0008000180000000ULL,
	      "old PSW mask is the loaded (invalid) PSW");
	GT_EQ(gt_pgm.old_addr, 0x10000, "old PSW address");
	GT_EQ(gt_pgm.ilc, 0, "ILC of an early exception");
	gt_done();
}

static void after_reset(void)
{
	unsigned int nonzero = 0;

	for (int i = 0; i < 16; i++)
		nonzero += gt_regs[i] != 0;
	GT_EQ(nonzero, 0, "GPRs not zero after clear reset");
	GT_EQ(gt_stctg0(), 0xe0, "CR0 after clear reset");
	GT_EQ(marker, 0x0d09, "memory kept");
	/* Part 2: a z/Architecture (long) PSW word at 0 has bit 12 clear. */
	gt_set_pgm_resume(after_bad_psw);
	LC_U64(0) = 0x0000000180000000ULL | 0x10000;
	gt_d308(0, 0);
	gt_check(false, "second subcode 0 returned");
	gt_done();
}

void gt_main(void)
{
	marker = 0x0d09;
	ctl0_set(ctl0_get() | 0x40000);		/* something to reset */
	gt_set_resume(after_reset);
	gt_d308_regs(0, 0);
	gt_check(false, "subcode 0 returned");
}
