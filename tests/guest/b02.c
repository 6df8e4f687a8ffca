// SPDX-License-Identifier: MIT
/* B-02: memory backed by 1 MiB pages (host knob) -> 0x0a02, no reset. */
#include "gt.h"

const char gt_name[] = "B-02";

void gt_main(void)
{
	gt_iplb_pv((void *)GT_PAGE_A, 1, 0x20000, 0x1000, 0x21000);
	GT_EQ(gt_d308(8, GT_PAGE_A), DIAG308_RC_OK, "subcode 8");
	GT_EQ(gt_d308(10, 0), DIAG308_RC_INVAL_FOR_PV,
	      "subcode 10 (plain 0x0a02)");
	gt_check(!gt_protected(), "protected after 0x0a02");
}
