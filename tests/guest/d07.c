// SPDX-License-Identifier: MIT
/*
 * D-07: subcode register 0x10003.  KVM looks at the low 16 bits only, so
 * it is subcode 3 (re-IPL); the TCG-like path gives PGM 0x0006.
 */
#include "gt.h"

const char gt_name[] = "D-07";

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();

	if (p && (p->flags & GT_F_TCG_DIAG)) {
		gt_d308(0x10003, 0);
		GT_EQ(gt_pgm_take(), 6, "TCG: 0x10003 program check");
		return;
	}
	if (gt_reboot_marker("D07BOOT1")) {
		boot_printf("D-07: second boot after subcode 0x10003\n");
		gt_check(true, "re-IPL");
		return;
	}
	gt_reipl("D07BOOT1", 0x10003);
}
