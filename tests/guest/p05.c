// SPDX-License-Identifier: MIT
/*
 * P-05: subcode 5 validation by type: CCW >= 200, FCP >= 384, PCI/NVMe
 * (4) >= 376; types 1, 3 and 5 are invalid (rc 0x0402).
 */
#include "gt.h"

const char gt_name[] = "P-05";

static uint64_t set(uint8_t pbt, uint32_t len)
{
	uint8_t *b = (uint8_t *)GT_PAGE_A;

	gt_iplb_ccw(b, len, NULL);
	b[0x0c] = pbt;
	return gt_d308(5, GT_PAGE_A);
}

void gt_main(void)
{
	GT_EQ(set(2, 199), DIAG308_RC_INVALID, "CCW 199");
	GT_EQ(set(2, 200), DIAG308_RC_OK, "CCW 200");
	GT_EQ(set(0, 383), DIAG308_RC_INVALID, "FCP 383");
	GT_EQ(set(0, 384), DIAG308_RC_OK, "FCP 384");
	GT_EQ(set(4, 375), DIAG308_RC_INVALID, "PCI 375");
	GT_EQ(set(4, 376), DIAG308_RC_OK, "PCI 376");
	GT_EQ(set(1, 400), DIAG308_RC_INVALID, "type 1");
	GT_EQ(set(3, 400), DIAG308_RC_INVALID, "type 3 (ECKD)");
	GT_EQ(set(5, 400), DIAG308_RC_INVALID, "type 5 (PV) via subcode 5");
	GT_EQ(set(6, 400), DIAG308_RC_INVALID, "type 6");
	GT_EQ(gt_pgm_take(), 0, "no program check");
}
