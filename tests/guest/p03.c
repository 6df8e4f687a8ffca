// SPDX-License-Identifier: MIT
/*
 * P-03: subcodes 5, 6, 8, 9 with [addr, addr + 4096) leaving guest memory
 * -> PGM 0x0005; the last page of memory is fine.
 */
#include "gt.h"

const char gt_name[] = "P-03";

void gt_main(void)
{
	static const uint64_t sc[] = { 5, 6, 8, 9 };
	uint64_t ram = 0;

	if (!gt_check(sclp_read_ram_size(&ram) == 0, "READ SCP INFO"))
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(sc); i++) {
		gt_d308(sc[i], ram);
		gt_check(gt_pgm_take() == 5, "subcode %llu at 0x%llx: no PGM 5",
			 (unsigned long long)sc[i], (unsigned long long)ram);
		gt_d308(sc[i], ram + 0x100000);
		GT_EQ(gt_pgm_take(), 5, "far outside");
	}
	/* The last page: subcode 6 answers "no IPL block", no exception. */
	GT_EQ(gt_d308(6, ram - PAGE_SIZE), DIAG308_RC_NO_CONF,
	      "subcode 6 on the last page");
	GT_EQ(gt_pgm_take(), 0, "no program check on the last page");
}
