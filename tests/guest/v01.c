// SPDX-License-Identifier: MIT
/* V-01: subcode 8 with a block type other than 5 -> 0x0402. */
#include "gt_pv.h"

const char gt_name[] = "V-01";

void gt_main(void)
{
	static const uint8_t pbt[] = { 0, 2, 4, 6, 0xff };

	GT_EQ(gt_v_set() , DIAG308_RC_INVALID, "empty page");
	gt_v_block(1);
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "valid PV block");
	for (unsigned int i = 0; i < ARRAY_SIZE(pbt); i++) {
		gt_v_block(1)[0x0c] = pbt[i];
		gt_check(gt_v_set() == DIAG308_RC_INVALID, "type %u accepted",
			 pbt[i]);
	}
}
