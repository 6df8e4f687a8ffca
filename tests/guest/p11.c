// SPDX-License-Identifier: MIT
/*
 * P-11: the PV slot survives every reset: re-IPL (subcode 3), load normal
 * (1), clear (0) and a failed switch into protected mode (10).
 */
#include "gt.h"

const char gt_name[] = "P-11";

static bool pv_slot(void)
{
	uint8_t *b = (uint8_t *)GT_PAGE_B;

	memset(b, 0, PAGE_SIZE);
	return gt_d308(9, GT_PAGE_B) == DIAG308_RC_OK && b[0x0c] == 5 &&
	       *(uint64_t *)(b + 0x78) == 0x20000;
}

static void after_clear(void)
{
	gt_check(pv_slot(), "PV slot after subcode 0");
	/* No valid SE header: the switch fails and the guest goes on. */
	GT_EQ(gt_d308(10, 0) & 0xffff, DIAG308_RC_INVAL_FOR_PV,
	      "subcode 10 with a bogus header");
	gt_check(pv_slot(), "PV slot after a failed subcode 10");
	gt_done();
}

static void after_load_normal(void)
{
	gt_check(pv_slot(), "PV slot after subcode 1");
	gt_set_resume(after_clear);
	gt_d308(0, 0);
	gt_check(false, "subcode 0 returned");
	gt_done();
}

void gt_main(void)
{
	if (!pv_slot()) {
		gt_iplb_pv((void *)GT_PAGE_A, 1, 0x20000, 0x1000, 0x21000);
		GT_EQ(gt_d308(8, GT_PAGE_A), DIAG308_RC_OK, "subcode 8");
		boot_printf("P-11: re-IPL with subcode 3\n");
		gt_d308(3, 0);
		gt_check(false, "subcode 3 returned");
		return;
	}
	boot_printf("P-11: second boot: the PV slot survived the re-IPL\n");
	gt_set_resume(after_load_normal);
	gt_d308(1, 0);
	gt_check(false, "subcode 1 returned");
}
