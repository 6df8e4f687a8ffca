// SPDX-License-Identifier: MIT
/* P-01: subcodes 5, 6, 8 and 9 with an odd R1 -> PGM 0x0006. */
#include "gt.h"

const char gt_name[] = "P-01";

void gt_main(void)
{
	static const uint64_t sc[] = { 5, 6, 8, 9 };

	gt_iplb_ccw((void *)GT_PAGE_A, 200, NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(sc); i++) {
		uint64_t r = gt_d308_odd(sc[i], GT_PAGE_A);

		gt_check(gt_pgm_take() == 6, "subcode %llu: no PGM 6",
			 (unsigned long long)sc[i]);
		GT_EQ(r, 0xdeadbeef, "GR(R1+1) unchanged");
	}
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_NO_CONF, "nothing was set");
}
