// SPDX-License-Identifier: MIT
/* P-02: subcodes 5, 6, 8, 9 with an address not 4096-aligned -> PGM 6. */
#include "gt.h"

const char gt_name[] = "P-02";

void gt_main(void)
{
	static const uint64_t sc[] = { 5, 6, 8, 9 };
	static const uint64_t addr[] = {
		54321, GT_PAGE_A + 8, GT_PAGE_A + 0x800,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(sc); i++) {
		for (unsigned int j = 0; j < ARRAY_SIZE(addr); j++) {
			gt_d308(sc[i], addr[j]);
			gt_check(gt_pgm_take() == 6,
				 "subcode %llu address 0x%llx: no PGM 6",
				 (unsigned long long)sc[i],
				 (unsigned long long)addr[j]);
		}
	}
}
