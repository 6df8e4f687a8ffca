// SPDX-License-Identifier: MIT
/* V-08: tweak prefixes equal or decreasing -> 0x0402. */
#include "gt_pv.h"

const char gt_name[] = "V-08";

void gt_main(void)
{
	uint8_t *b;

	b = gt_v_block(3);
	gt_iplb_pv_comp(b, 1, 1, GT_V_COMP + 0x1000, 0x1000);
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "equal tweak prefixes");
	b = gt_v_block(3);
	gt_iplb_pv_comp(b, 2, 1, GT_V_COMP + 0x2000, 0x1000);
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "decreasing tweak prefixes");
	b = gt_v_block(2);
	gt_iplb_pv_comp(b, 0, 0x8000000000000000ULL, GT_V_COMP, 0x1000);
	gt_iplb_pv_comp(b, 1, 1, GT_V_COMP + 0x1000, 0x1000);
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "unsigned compare");
	b = gt_v_block(2);
	gt_iplb_pv_comp(b, 0, 0x0040000000000000ULL, GT_V_COMP, 0x1000);
	gt_iplb_pv_comp(b, 1, 0x0070000000000000ULL, GT_V_COMP + 0x1000,
			0x1000);
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "increasing tweak prefixes");
}
