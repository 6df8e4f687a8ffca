// SPDX-License-Identifier: MIT
/* V-06: 136 + 24 * num_comp larger than len -> 0x0402. */
#include "gt_pv.h"

const char gt_name[] = "V-06";

void gt_main(void)
{
	*(uint32_t *)(gt_v_block(3) + 0x74) = 4;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "4 components in a 3-block");
	*(uint32_t *)(gt_v_block(3) + 0x74) = 165;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "165 components in a 3-block");
	*(uint32_t *)(gt_v_block(3) + 0x74) = 2;
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "2 components in a 3-block");
}
