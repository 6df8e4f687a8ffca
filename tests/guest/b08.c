// SPDX-License-Identifier: MIT
/* B-08: a component outside guest memory -> UNPACK fails (cmd 3). */
#include "gt_se.h"

const char gt_name[] = "B-08";

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();
	uint8_t *ipib = gt_se_ipib();
	uint32_t last = gt_se_ncomp(ipib) - 1;

	gt_se_comp(ipib, last)->addr = p->ram_size;
	GT_EQ(gt_se_boot(ipib), GT_PV_RESP(3, 0, 0), "subcode 10 response");
	gt_check(!gt_protected(), "protected");
}
