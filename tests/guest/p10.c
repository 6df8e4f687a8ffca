// SPDX-License-Identifier: MIT
/*
 * P-10: after the machine start (an EXTERNAL reset) subcode 6 answers
 * 0x0102; after a re-IPL (REIPL reset) the normal slot survives.
 */
#include "gt.h"

const char gt_name[] = "P-10";

void gt_main(void)
{
	if (gt_reboot_marker("P10BOOT1")) {
		boot_printf("P-10: second boot: the normal slot survived\n");
		gt_check(true, "slot after re-IPL");
		return;
	}
	GT_EQ(gt_d308(6, GT_PAGE_B), DIAG308_RC_NO_CONF,
	      "empty after the machine start");
	gt_reipl("P10BOOT1", 3);
}
