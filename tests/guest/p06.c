// SPDX-License-Identifier: MIT
/*
 * P-06: subcode 5 with the QEMU-private type 0xff answers 0x0001 (QEMU
 * rebuilds a block from its boot devices; this machine has none, so the
 * block is kept as it came).
 */
#include "gt.h"

const char gt_name[] = "P-06";

void gt_main(void)
{
	uint8_t *a = (uint8_t *)GT_PAGE_A, *b = (uint8_t *)GT_PAGE_B;

	gt_iplb_ccw(a, 200, NULL);
	a[0x0c] = 0xff;
	*(uint16_t *)(a + 0x6e) = 0;		/* boot index 0 */
	GT_EQ(gt_d308(5, GT_PAGE_A), DIAG308_RC_OK, "type 0xff");
	memset(b, 0, PAGE_SIZE);
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_OK, "stored");
	GT_EQ(b[0x0c], 0xff, "type of the stored block");
}
