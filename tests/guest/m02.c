// SPDX-License-Identifier: MIT
/*
 * M-02 (kernel of an SE image): subcodes 5 and 6 in protected mode move
 * the block through the SIDA; the response comes back in R1+1.
 */
#include "gt.h"

const char gt_name[] = "M-02";

void gt_main(void)
{
	uint8_t *a = (uint8_t *)GT_PAGE_A, *b = (uint8_t *)GT_PAGE_B;

	gt_check(gt_protected(), "not protected");
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_NO_CONF, "subcode 6, empty");
	gt_iplb_ccw(a, 200, "M02LDPRM");
	GT_EQ(gt_d308(5, GT_PAGE_A), DIAG308_RC_OK, "subcode 5");
	memset(b, 0xaa, PAGE_SIZE);
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_OK, "subcode 6");
	gt_check(!memcmp(a, b, 200), "stored block differs");
	GT_EQ(b[200], 0xaa, "byte after the block");
	a[0x0c] = 5;
	GT_EQ(gt_d308(5, GT_PAGE_A), DIAG308_RC_INVALID, "type 5 by subcode 5");
	gt_d308(5, GT_PAGE_A + 8);
	GT_EQ(gt_pgm_take(), 6, "unaligned block address");
	gt_d308_odd(6, GT_PAGE_B);
	GT_EQ(gt_pgm_take(), 6, "odd R1");
	GT_EQ(gt_pgm_take(), 0, "no further program checks");
	gt_check(gt_protected(), "still protected");
}
