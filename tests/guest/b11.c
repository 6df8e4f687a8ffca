// SPDX-License-Identifier: MIT
/*
 * B-11: VERIFY finds what was changed (one change per run, chosen by the
 * host): 0 tampered ciphertext -> rrc 0x1b (PLD), 1 wrong address -> 0x1a
 * (ALD), 2 wrong tweak -> 0x1c (TLD), 3 missing page -> 0x1d (count).
 */
#include "gt_se.h"

const char gt_name[] = "B-11";

void gt_main(void)
{
	static const uint16_t rrc[] = { 0x1b, 0x1a, 0x1c, 0x1d };
	const struct gt_parms *p = gt_parms();
	uint8_t *ipib = gt_se_ipib();
	uint32_t last = gt_se_ncomp(ipib) - 1;
	uint64_t v = p->variant;

	if (!gt_check(v < ARRAY_SIZE(rrc), "variant %llu",
		      (unsigned long long)v))
		return;
	switch (v) {
	case 0:
		*(volatile uint8_t *)(uintptr_t)(gt_se_comp(ipib, 0)->addr +
						 100) ^= 0x01;
		break;
	case 1:
		gt_se_comp(ipib, last)->addr += 0x100000;
		break;
	case 2:
		gt_se_comp(ipib, last)->tweak += 1;
		break;
	case 3:
		gt_se_comp(ipib, 0)->size -= PAGE_SIZE;
		break;
	}
	GT_EQ(gt_se_boot(ipib), GT_PV_RESP(4, 0x0102, rrc[v]),
	      "subcode 10 response");
}
