// SPDX-License-Identifier: MIT
/* B-01: subcode 10 with an empty PV slot -> 0x0902, no reset. */
#include "gt.h"

const char gt_name[] = "B-01";

void gt_main(void)
{
	GT_EQ(gt_d308_regs(10, 0), DIAG308_RC_NO_PV_CONF, "subcode 10");
	for (int n = 5; n <= 13; n++)
		GT_EQ(gt_regs[n], GT_REG_PATTERN(n), "GPRs kept");
	gt_check(!gt_protected(), "protected after 0x0902");
}
