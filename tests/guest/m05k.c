// SPDX-License-Identifier: MIT
/*
 * M-05, kernel part (runs protected): store a CCW block with loadparm
 * M05KERNL through the SIDA (subcode 5) and re-IPL with subcode 3, which
 * leaves protected mode.
 */
#include "gt.h"

const char gt_name[] = "M-05k";

void gt_main(void)
{
	gt_check(gt_protected(), "kernel not protected");
	gt_reipl("M05KERNL", 3);
}
