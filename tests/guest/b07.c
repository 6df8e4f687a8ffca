// SPDX-License-Identifier: MIT
/* B-07: a component of size 0 -> UNPACK fails before any UVC: (3 << 48). */
#include "gt_se.h"

const char gt_name[] = "B-07";

void gt_main(void)
{
	uint8_t *ipib = gt_se_ipib();

	gt_se_comp(ipib, 0)->size = 0;
	GT_EQ(gt_se_boot(ipib), GT_PV_RESP(3, 0, 0), "subcode 10 response");
	gt_check(!gt_protected(), "protected");
}
