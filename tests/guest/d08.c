// SPDX-License-Identifier: MIT
/* D-08: without facility 161, subcodes 8, 9 and 10 -> PGM 0x0006. */
#include "gt.h"

const char gt_name[] = "D-08";

void gt_main(void)
{
	gt_check(!test_facility(FAC_UNPACK), "facility 161 is installed");
	gt_iplb_pv((void *)GT_PAGE_A, 1, GT_PAGE_B, 0x1000, 0x20000);
	GT_EQ(gt_d308(8, GT_PAGE_A), 0xdeadbeef, "subcode 8 response");
	GT_EQ(gt_pgm_take(), 6, "subcode 8 program check");
	gt_d308(9, GT_PAGE_B);
	GT_EQ(gt_pgm_take(), 6, "subcode 9 program check");
	gt_d308(10, 0);
	GT_EQ(gt_pgm_take(), 6, "subcode 10 program check");
	/* Subcodes below 8 still work. */
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_NO_CONF, "subcode 6");
	GT_EQ(gt_pgm_take(), 0, "no program check for subcode 6");
}
