// SPDX-License-Identifier: MIT
/*
 * V-10: versions, flags, loadparm, blk0_len and reserved bytes are not
 * looked at by subcode 8.
 */
#include "gt_pv.h"

const char gt_name[] = "V-10";

void gt_main(void)
{
	uint8_t *b = gt_v_block(2), *s = (uint8_t *)GT_PAGE_B;

	b[0x04] = 0xff;			/* list flags */
	b[0x07] = 0x77;			/* list version */
	*(uint32_t *)(b + 8) = 0x12345;	/* blk0_len */
	b[0x0d] = 0xff;			/* block flags */
	memcpy(b + 0x10, "GARBAGE!", 8);	/* loadparm */
	memset(b + 0x18, 0xee, 0x6f - 0x18);	/* reserved */
	b[0x6f] = 0x99;			/* PV block version */
	*(uint32_t *)(b + 0x70) = 0xdeadbeef;
	GT_EQ(gt_v_set(), DIAG308_RC_OK, "odd values in ignored fields");
	memset(s, 0, PAGE_SIZE);
	GT_EQ(gt_d308(9, GT_PAGE_B), DIAG308_RC_OK, "subcode 9");
	gt_check(!memcmp(s, b, 136 + 2 * 24), "stored block differs");
}
