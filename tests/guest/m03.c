// SPDX-License-Identifier: MIT
/*
 * M-03 (kernel of an SE image): subcodes 1 and 0 in protected mode reset
 * the CPU and restart it at the short PSW at absolute 0 (fetched by the
 * UV from secure memory); the VM stays protected and its memory is kept.
 */
#include "gt.h"

const char gt_name[] = "M-03";

static uint64_t marker;

static void after_clear(void)
{
	unsigned int nonzero = 0;

	uv_set_shared(GT_SCCB);	/* unshare-all made it secure again */
	for (int i = 0; i < 16; i++)
		nonzero += gt_regs[i] != 0;
	GT_EQ(nonzero, 0, "GPRs not zero after subcode 0");
	GT_EQ(marker, 2, "memory kept after subcode 0");
	gt_check(gt_protected(), "not protected after subcode 0");
	gt_done();
}

static void after_load_normal(void)
{
	uv_set_shared(GT_SCCB);
	for (int n = 5; n <= 13; n++)
		GT_EQ(gt_regs[n], GT_REG_PATTERN(n), "GPR kept by subcode 1");
	GT_EQ(marker, 1, "memory kept after subcode 1");
	gt_check(gt_protected(), "not protected after subcode 1");
	GT_EQ(gt_stctg0(), 0xe0, "CR0 after the initial reset");
	marker = 2;
	gt_set_resume(after_clear);
	gt_d308(0, 0);
	gt_check(false, "subcode 0 returned");
	gt_done();
}

void gt_main(void)
{
	gt_check(gt_protected(), "not protected at the start");
	marker = 1;
	gt_set_resume(after_load_normal);
	gt_d308_regs(1, 0);
	gt_check(false, "subcode 1 returned");
}
