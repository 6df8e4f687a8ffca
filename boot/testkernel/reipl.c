// SPDX-License-Identifier: MIT
/*
 * Test kernel: re-IPL test (pv-machine-and-uv.md §1.5.3, §1.5.5, §1.5.6,
 * §2.3, §2.5).  The first boot stores a CCW IPL block carrying a marker
 * loadparm in the normal slot (subcode 5) and re-IPLs with load clear
 * (subcode 3), which leaves protected mode and IPLs the image again.  The
 * normal slot survives a re-IPL, so the next boot finds the marker with
 * subcode 6.
 */
#include "tk.h"

/* IPL block offsets (pv-machine-and-uv.md §2.2, §2.3). */
#define IPLB_LEN		0x00
#define IPLB_VERSION		0x07
#define IPLB_BLK0_LEN		0x08
#define IPLB_PBT		0x0c
#define IPLB_FLAGS		0x0d
#define IPLB_LOADPARM		0x10
#define IPLB_CCW_DEVNO		0x6e
#define IPLB_CCW_SIZE		200
#define IPL_PBT_CCW		2
#define IPLB_FLAG_LP_VALID	0x80

static bool marker_present(const uint8_t *iplb, const uint8_t *marker)
{
	return iplb[IPLB_PBT] == IPL_PBT_CCW &&
	       (iplb[IPLB_FLAGS] & IPLB_FLAG_LP_VALID) &&
	       !memcmp(iplb + IPLB_LOADPARM, marker, 8);
}

void tk_reipl_test(void)
{
	uint8_t *iplb = (uint8_t *)TK_IPLB_PAGE;
	uint8_t marker[8];
	uint64_t rc;

	boot_ascii_to_ebcdic(marker, PV_TK_REIPL_LOADPARM, sizeof(marker));
	memset(iplb, 0, PAGE_SIZE);
	rc = diag308(DIAG308_STORE, iplb);
	if (rc == DIAG308_RC_OK && marker_present(iplb, marker)) {
		boot_printf("re-IPL: second boot (loadparm %s)\n",
			    PV_TK_REIPL_LOADPARM);
		return;
	}

	memset(iplb, 0, PAGE_SIZE);
	*(uint32_t *)(iplb + IPLB_LEN) = IPLB_CCW_SIZE;
	iplb[IPLB_VERSION] = 0;
	*(uint32_t *)(iplb + IPLB_BLK0_LEN) = IPLB_CCW_SIZE - 8;
	iplb[IPLB_PBT] = IPL_PBT_CCW;
	iplb[IPLB_FLAGS] = IPLB_FLAG_LP_VALID;
	memcpy(iplb + IPLB_LOADPARM, marker, sizeof(marker));
	*(uint16_t *)(iplb + IPLB_CCW_DEVNO) = 0;
	rc = diag308(DIAG308_SET, iplb);
	if (rc != DIAG308_RC_OK)
		tk_fail(PV_TK_FAIL_REIPL,
			"re-IPL: DIAG 308 subcode 5 (set IPL block) rc 0x%04lx",
			rc);
	boot_printf("re-IPL: first boot, IPL block set (loadparm %s), re-IPL with DIAG 308 subcode 3\n",
		    PV_TK_REIPL_LOADPARM);
	diag308(DIAG308_LOAD_CLEAR, NULL);
	tk_fail(PV_TK_FAIL_REIPL, "re-IPL: DIAG 308 subcode 3 returned");
}
