// SPDX-License-Identifier: MIT
/* V-04: SE header range not in guest memory -> 0x0402. */
#include "gt_pv.h"

const char gt_name[] = "V-04";

void gt_main(void)
{
	uint64_t ram = 0;

	if (!gt_check(sclp_read_ram_size(&ram) == 0, "READ SCP INFO"))
		return;
	*(uint64_t *)(gt_v_block(1) + 0x78) = ram;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "header at the end of memory");
	/* The header is 0x2000 bytes long. */
	*(uint64_t *)(gt_v_block(1) + 0x78) = ram - 0x1000;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "header crossing the end");
	*(uint64_t *)(gt_v_block(1) + 0x78) = ram - 0x2000;
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "header in the last two pages");
	*(uint64_t *)(gt_v_block(1) + 0x78) = ~0ULL - 0xfff;
	GT_EQ(gt_v_set(), DIAG308_RC_INVALID, "header address wrapping");
}
