// SPDX-License-Identifier: MIT
/*
 * B-05: the image is for another host key: SET_SEC_PARMS fails with rc
 * 0x0108 rrc 0x0005 -> r1+1 = 0x0002_0005_0108_0a02, not protected.
 */
#include "gt_se.h"

const char gt_name[] = "B-05";

void gt_main(void)
{
	GT_EQ(gt_se_boot(gt_se_ipib()), GT_PV_RESP(2, 0x0108, 0x0005),
	      "subcode 10 response");
	gt_check(!gt_protected(), "protected after a failed subcode 10");
}
