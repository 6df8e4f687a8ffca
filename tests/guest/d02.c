// SPDX-License-Identifier: MIT
/* D-02: subcode register 0x10001 or -1 -> PGM 0x0006. */
#include "gt.h"

const char gt_name[] = "D-02";

void gt_main(void)
{
	static const uint64_t sc[] = { 0x10001, ~0ULL, 0x10005, 1ULL << 63 };

	for (unsigned int i = 0; i < ARRAY_SIZE(sc); i++) {
		uint64_t r = gt_d308(sc[i], GT_PAGE_A);

		GT_EQ(gt_pgm_take(), 6, "program check");
		GT_EQ(r, 0xdeadbeef, "response register unchanged");
	}
}
