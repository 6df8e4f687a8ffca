// SPDX-License-Identifier: MIT
/*
 * M-05, loader part (takes stage3a's place): first boot -> subcodes 8 and
 * 10 into protected mode, whose kernel (m05k) stores a normal block and
 * asks for subcode 3.  Second boot (the block is there): not protected,
 * the image was loaded again and the PV slot still holds the PV block.
 */
#include "gt_se.h"

const char gt_name[] = "M-05";

void gt_main(void)
{
	uint8_t *ipib = gt_se_ipib(), *b = (uint8_t *)GT_PAGE_B;

	if (!gt_reboot_marker("M05KERNL")) {
		uint64_t r = gt_se_boot(ipib);

		gt_check(false, "first boot: subcode 10 returned 0x%llx",
			 (unsigned long long)r);
		return;
	}
	boot_printf("M-05: second boot after subcode 3 in protected mode\n");
	gt_check(!gt_protected(), "protected after subcode 3");
	memset(b, 0, PAGE_SIZE);
	GT_EQ(gt_d308(9, GT_PAGE_B), DIAG308_RC_OK, "PV slot kept");
	gt_check(!memcmp(b, ipib, 136 + 24 * gt_se_ncomp(ipib)),
		 "PV slot differs from the image's IPIB");
}
