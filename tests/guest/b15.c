// SPDX-License-Identifier: MIT
/*
 * B-15: the SE header is read at subcode-10 time, not at subcode 8: a
 * header changed in between makes SET_SEC_PARMS fail.
 */
#include "gt_se.h"

const char gt_name[] = "B-15";

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();
	uint8_t *ipib = gt_se_ipib();
	uint64_t r;

	GT_EQ(gt_d308(8, (uint64_t)(uintptr_t)ipib), DIAG308_RC_OK,
	      "subcode 8");
	/* A byte of the encrypted part: the header no longer authenticates. */
	*(volatile uint8_t *)(uintptr_t)(p->hdr + p->hdr_size - 40) ^= 0x55;
	r = gt_d308(10, 0);
	GT_EQ(r >> 48, 2, "failing command (set secure parameters)");
	GT_EQ((r >> 16) & 0xffff, 0x0108, "UV rc");
	GT_EQ(r & 0xffff, DIAG308_RC_INVAL_FOR_PV, "diag rc");
}
