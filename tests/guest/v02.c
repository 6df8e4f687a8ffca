// SPDX-License-Identifier: MIT
/*
 * V-02: len 147 -> 0x0402; len 148 with one component -> 0x0402 too (the
 * component would reach past the block: 136 + 24 > 148).
 */
#include "gt_pv.h"

const char gt_name[] = "V-02";

void gt_main(void)
{
	*(uint32_t *)gt_v_block(1) = 147;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "len 147");
	*(uint32_t *)gt_v_block(1) = 148;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "len 148, one component");
	*(uint32_t *)gt_v_block(1) = 160;
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "len 160, one component");
}
