// SPDX-License-Identifier: MIT
/*
 * D-05: subcode 4 (load normal with dump).  KVM-like: a re-IPL (the program
 * starts again and finds its loadparm in the normal slot, which REIPL
 * keeps); TCG-like (the host says so in gt_parms): PGM 0x0006.
 */
#include "gt.h"

const char gt_name[] = "D-05";

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();

	if (p && (p->flags & GT_F_TCG_DIAG)) {
		gt_d308(4, 0);
		GT_EQ(gt_pgm_take(), 6, "TCG: subcode 4 program check");
		return;
	}
	if (gt_reboot_marker("D05BOOT1")) {
		boot_printf("D-05: second boot after subcode 4\n");
		gt_check(true, "re-IPL");
		return;
	}
	gt_reipl("D05BOOT1", 4);
}
