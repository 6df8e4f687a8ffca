// SPDX-License-Identifier: MIT
/*
 * B-12: after a failed subcode 10 the CPU continues after the DIAG with
 * its GPRs (normal reset only) and is not protected.
 */
#include "gt_se.h"

const char gt_name[] = "B-12";

void gt_main(void)
{
	uint8_t *ipib = gt_se_ipib();
	uint64_t r;

	*(volatile uint8_t *)(uintptr_t)(gt_se_comp(ipib, 0)->addr) ^= 0x80;
	GT_EQ(gt_d308(8, (uint64_t)(uintptr_t)ipib), DIAG308_RC_OK,
	      "subcode 8");
	r = gt_d308_regs(10, 0);
	GT_EQ(r >> 48, 4, "failing command (verify)");
	for (int n = 5; n <= 13; n++)
		GT_EQ(gt_regs[n], GT_REG_PATTERN(n), "GPR kept");
	GT_EQ(gt_regs[4], 10, "subcode register kept");
	GT_EQ(gt_stctg0() & 0x200, 0, "CR0 service-signal bit");
	gt_check(!gt_protected(), "protected");
}
