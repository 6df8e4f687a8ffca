// SPDX-License-Identifier: MIT
/* P-09: subcode 5 never fills the PV slot, subcode 8 never the normal. */
#include "gt.h"

const char gt_name[] = "P-09";

void gt_main(void)
{
	uint8_t *a = (uint8_t *)GT_PAGE_A, *b = (uint8_t *)GT_PAGE_B;

	gt_iplb_ccw(a, 200, "P09NORML");
	GT_EQ(gt_d308(5, GT_PAGE_A), DIAG308_RC_OK, "subcode 5");
	GT_EQ(gt_d308(9, GT_PAGE_B), DIAG308_RC_NO_CONF, "PV slot after 5");
	gt_iplb_pv(a, 2, 0x20000, 0x1000, 0x21000);
	GT_EQ(gt_d308(8, GT_PAGE_A), DIAG308_RC_OK, "subcode 8");
	memset(b, 0, PAGE_SIZE);
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_OK, "subcode 6");
	GT_EQ(b[0x0c], 2, "normal slot still holds the CCW block");
	gt_check(!memcmp(b + 0x10, "P09NORML", 8), "normal slot loadparm");
	memset(b, 0, PAGE_SIZE);
	GT_EQ(gt_d308(9, GT_PAGE_B), DIAG308_RC_OK, "subcode 9");
	GT_EQ(b[0x0c], 5, "PV slot holds the PV block");
	GT_EQ(*(uint32_t *)(b + 0x74), 2, "PV block components");
}
