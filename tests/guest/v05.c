// SPDX-License-Identifier: MIT
/* V-05: no components -> 0x0402. */
#include "gt_pv.h"

const char gt_name[] = "V-05";

void gt_main(void)
{
	*(uint32_t *)(gt_v_block(1) + 0x74) = 0;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "num_comp 0");
	GT_EQ(gt_d308(9, GT_PAGE_B), DIAG308_RC_NO_CONF, "nothing stored");
}
