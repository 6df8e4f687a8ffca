// SPDX-License-Identifier: MIT
/*
 * V-09: a zero-size component, overlapping components and a component
 * outside memory are accepted by subcode 8 (they fail later, at 10).
 */
#include "gt_pv.h"

const char gt_name[] = "V-09";

void gt_main(void)
{
	uint8_t *b;

	b = gt_v_block(2);
	gt_iplb_pv_comp(b, 0, 1, GT_V_COMP, 0);
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "zero-size component");
	b = gt_v_block(2);
	gt_iplb_pv_comp(b, 0, 1, GT_V_COMP, 0x3000);
	gt_iplb_pv_comp(b, 1, 2, GT_V_COMP + 0x1000, 0x3000);
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "overlapping components");
	b = gt_v_block(2);
	gt_iplb_pv_comp(b, 1, 2, 0x7fff00000000ULL, 0x1000);
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "component outside memory");
	b = gt_v_block(1);
	gt_iplb_pv_comp(b, 0, 1, GT_V_COMP, 0x123);
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "size not a page multiple");
}
