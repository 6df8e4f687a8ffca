// SPDX-License-Identifier: MIT
/* V-07: a component address not 4096-aligned -> 0x0402. */
#include "gt_pv.h"

const char gt_name[] = "V-07";

void gt_main(void)
{
	gt_iplb_pv_comp(gt_v_block(3), 1, 2, GT_V_COMP + 0x1800, 0x1000);
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "component 1 at +0x800");
	gt_iplb_pv_comp(gt_v_block(3), 2, 3, GT_V_COMP + 0x2008, 0x1000);
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "component 2 at +8");
}
