// SPDX-License-Identifier: MIT
/*
 * P-07: subcode 6 with nothing stored -> 0x0102; after a valid subcode 5
 * it stores exactly the len bytes of that block.
 */
#include "gt.h"

const char gt_name[] = "P-07";

void gt_main(void)
{
	uint8_t *a = (uint8_t *)GT_PAGE_A, *b = (uint8_t *)GT_PAGE_B;

	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_NO_CONF, "empty slot");
	gt_iplb_ccw(a, 232, "P07LDPRM");
	for (int i = 0x80; i < 232; i++)
		a[i] = (uint8_t)i;
	a[300] = 0x77;			/* beyond len: not taken */
	GT_EQ(gt_d308(5, GT_PAGE_A), DIAG308_RC_OK, "subcode 5");
	memset(b, 0xaa, PAGE_SIZE);
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_OK, "subcode 6");
	gt_check(!memcmp(a, b, 232), "stored block differs");
	GT_EQ(b[232], 0xaa, "byte after len untouched");
	GT_EQ(b[300], 0xaa, "byte 300 untouched");
}
