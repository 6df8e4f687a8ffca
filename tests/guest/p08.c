// SPDX-License-Identifier: MIT
/* P-08: subcode 9 with no PV block stored -> 0x0102 (not 0x0902). */
#include "gt.h"

const char gt_name[] = "P-08";

void gt_main(void)
{
	GT_EQ(gt_d308(9, GT_PAGE_B), DIAG308_RC_NO_CONF, "empty PV slot");
	GT_EQ(gt_pgm_take(), 0, "no program check");
}
