// SPDX-License-Identifier: MIT
/*
 * M-01 (kernel of an SE image): subcodes 4, 7, 8, 9 and 10 in protected
 * mode -> PGM 0x0006; the guest stays protected.
 */
#include "gt.h"

const char gt_name[] = "M-01";

void gt_main(void)
{
	static const uint64_t sc[] = { 4, 7, 8, 9, 10, 0x10004 };

	gt_check(gt_protected(), "not protected at the start");
	gt_iplb_pv((void *)GT_PAGE_A, 1, 0x20000, 0x1000, 0x21000);
	for (unsigned int i = 0; i < ARRAY_SIZE(sc); i++) {
		uint64_t r = gt_d308(sc[i], GT_PAGE_A);

		gt_check(gt_pgm_take() == 6, "subcode 0x%llx: no PGM 6",
			 (unsigned long long)sc[i]);
		GT_EQ(r, 0xdeadbeef, "response register unchanged");
	}
	gt_check(gt_protected(), "not protected any more");
}
