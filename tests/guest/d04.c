// SPDX-License-Identifier: MIT
/* D-04: subcode 7 (load normal) -> PGM 0x0006. */
#include "gt.h"

const char gt_name[] = "D-04";

void gt_main(void)
{
	uint64_t r = gt_d308(7, GT_PAGE_A);

	GT_EQ(gt_pgm_take(), 6, "subcode 7 program check");
	GT_EQ(r, 0xdeadbeef, "response register unchanged");
}
