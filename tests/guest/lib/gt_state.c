// SPDX-License-Identifier: MIT
/* Guest test harness state shared with gt_asm.S. */
#include "gt.h"

volatile struct gt_pgm_state gt_pgm;
uint64_t gt_regs[16];
void (*gt_resume_fn)(void);

void gt_set_resume(void (*fn)(void))
{
	extern char gt_resume_entry[];

	gt_resume_fn = fn;
	/* Short PSW: bit 12, EA (bit 31), BA (bit 32), address. */
	LC_U64(0) = 0x0008000180000000ULL |
		    (uint64_t)(uintptr_t)gt_resume_entry;
}

void gt_set_pgm_resume(void (*fn)(void))
{
	extern char gt_resume_entry[];

	gt_resume_fn = fn;
	gt_pgm.resume = (uint64_t)(uintptr_t)gt_resume_entry;
}

bool gt_reboot_marker(const char *lp)
{
	uint8_t *b = (uint8_t *)GT_PAGE_B;

	memset(b, 0, PAGE_SIZE);
	return gt_d308(DIAG308_STORE, GT_PAGE_B) == DIAG308_RC_OK &&
	       !memcmp(b + 0x10, lp, 8);
}

void gt_reipl(const char *lp, uint64_t subcode)
{
	gt_iplb_ccw((void *)GT_PAGE_A, 200, lp);
	GT_EQ(gt_d308(DIAG308_SET, GT_PAGE_A), DIAG308_RC_OK,
	      "subcode 5 before the re-IPL");
	boot_printf("%s: re-IPL with subcode 0x%llx\n", gt_name,
		    (unsigned long long)subcode);
	gt_d308(subcode, 0);
	gt_check(false, "subcode 0x%llx returned (program check 0x%x)",
		 (unsigned long long)subcode, gt_pgm_take());
}
