// SPDX-License-Identifier: MIT
/* D-03: subcodes 2, 0x101 and 0xffff -> PGM 0x0006. */
#include "gt.h"

const char gt_name[] = "D-03";

void gt_main(void)
{
	static const uint64_t sc[] = { 2, 0x101, 0xffff, 11, 0x308 };

	for (unsigned int i = 0; i < ARRAY_SIZE(sc); i++) {
		gt_d308(sc[i], GT_PAGE_A);
		gt_check(gt_pgm_take() == 6, "subcode 0x%llx: no PGM 6",
			 (unsigned long long)sc[i]);
	}
}
