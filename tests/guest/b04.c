// SPDX-License-Identifier: MIT
/*
 * B-04: KVM_PV_ENABLE fails (the host has no initialised UV) -> r1+1 =
 * 0x0a02 with command, rc and rrc zero; the guest resumes after the DIAG,
 * not protected.
 */
#include "gt.h"

const char gt_name[] = "B-04";

void gt_main(void)
{
	gt_iplb_pv((void *)GT_PAGE_A, 1, 0x20000, 0x1000, 0x21000);
	GT_EQ(gt_d308(8, GT_PAGE_A), DIAG308_RC_OK, "subcode 8");
	GT_EQ(gt_d308_regs(10, 0), DIAG308_RC_INVAL_FOR_PV,
	      "subcode 10 response");
	for (int n = 5; n <= 13; n++)
		GT_EQ(gt_regs[n], GT_REG_PATTERN(n), "GPRs kept");
	gt_check(!gt_protected(), "protected after a failed ENABLE");
	gt_check(!test_facility(FAC_UV_CALL), "facility 158 when not protected");
	GT_EQ(gt_uv_query_cc(), -1, "UVC is an exception when not protected");
}
