// SPDX-License-Identifier: MIT
/* V-03: SE header length 8193 -> 0x0402; 8192 (readable) -> accepted. */
#include "gt_pv.h"

const char gt_name[] = "V-03";

void gt_main(void)
{
	*(uint64_t *)(gt_v_block(1) + 0x80) = 8193;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "header length 8193");
	*(uint64_t *)(gt_v_block(1) + 0x80) = 8192;
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "header length 8192");
	*(uint64_t *)(gt_v_block(1) + 0x80) = ~0ULL;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "header length -1");
}
