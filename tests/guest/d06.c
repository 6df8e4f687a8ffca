// SPDX-License-Identifier: MIT
/* D-06: subcode 3 (load clear) -> re-IPL on CPU 0; the normal slot stays. */
#include "gt.h"

const char gt_name[] = "D-06";

void gt_main(void)
{
	if (gt_reboot_marker("D06BOOT1")) {
		boot_printf("D-06: second boot after subcode 3\n");
		gt_check(!gt_protected(), "not protected after the re-IPL");
		return;
	}
	gt_reipl("D06BOOT1", 3);
}
