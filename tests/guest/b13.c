// SPDX-License-Identifier: MIT
/*
 * B-13: after a failed subcode 10 every page that was unpacked reads as
 * zero (the configuration's pages were destroyed when it was torn down).
 */
#include "gt_se.h"

const char gt_name[] = "B-13";

void gt_main(void)
{
	uint8_t *ipib = gt_se_ipib();
	uint32_t n = gt_se_ncomp(ipib);
	uint64_t nonzero = 0, pages = 0;

	*(volatile uint8_t *)(uintptr_t)(gt_se_comp(ipib, 0)->addr + 8) ^= 1;
	GT_EQ(gt_se_boot(ipib) >> 48, 4, "failing command (verify)");
	for (uint32_t i = 0; i < n; i++) {
		struct gt_comp *c = gt_se_comp(ipib, i);

		for (uint64_t a = c->addr; a < c->addr + c->size; a += 8) {
			nonzero += *(volatile uint64_t *)(uintptr_t)a != 0;
			pages += !(a & 0xfff);
		}
	}
	GT_EQ(nonzero, 0, "non-zero doublewords in the components");
	gt_check(pages > 2, "only %llu pages checked",
		 (unsigned long long)pages);
}
