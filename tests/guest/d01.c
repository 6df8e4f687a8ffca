// SPDX-License-Identifier: MIT
/* D-01: DIAG 308 in problem state (any subcode) -> PGM 0x0002, no change. */
#include "gt.h"

const char gt_name[] = "D-01";

void gt_main(void)
{
	static const uint64_t sc[] = { 0, 1, 3, 5, 6, 8, 9, 10, 0x1234 };

	gt_iplb_ccw((void *)GT_PAGE_A, 200, NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(sc); i++) {
		uint64_t r = gt_d308_pstate(sc[i], GT_PAGE_A);

		gt_check(gt_pgm_take() == 2,
			 "subcode %llu: no privileged-operation exception",
			 (unsigned long long)sc[i]);
		GT_EQ(r, ~0ULL, "response register unchanged");
	}
	/* Nothing was stored: the normal slot is still empty. */
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_NO_CONF, "subcode 6 after");
}
