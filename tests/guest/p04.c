// SPDX-License-Identifier: MIT
/* P-04: subcodes 5 and 8 with a block length above 4096 -> rc 0x0402. */
#include "gt.h"

const char gt_name[] = "P-04";

void gt_main(void)
{
	uint32_t *len = (uint32_t *)GT_PAGE_A;

	gt_iplb_ccw((void *)GT_PAGE_A, 200, NULL);
	*len = 4097;
	GT_EQ(gt_d308(5, GT_PAGE_A), DIAG308_RC_INVALID, "subcode 5 len 4097");
	gt_iplb_pv((void *)GT_PAGE_A, 1, GT_PAGE_B, 0x1000, 0x20000);
	*len = 0xffffffff;
	GT_EQ(gt_d308(8, GT_PAGE_A), DIAG308_RC_INVALID, "subcode 8 len -1");
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_NO_CONF, "normal slot empty");
	GT_EQ(gt_d308(9, GT_PAGE_B), DIAG308_RC_NO_CONF, "PV slot empty");
	GT_EQ(gt_pgm_take(), 0, "no program check");
}
