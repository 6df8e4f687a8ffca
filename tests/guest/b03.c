// SPDX-License-Identifier: MIT
/*
 * B-03: a good image: subcode 10 switches into protected mode and never
 * returns; the SE-header PSW starts stage3b, which starts the test kernel
 * (the host expects the test kernel's success wait).
 */
#include "gt_se.h"

const char gt_name[] = "B-03";

void gt_main(void)
{
	uint64_t r = gt_se_boot(gt_se_ipib());

	gt_check(false, "subcode 10 returned 0x%llx", (unsigned long long)r);
}
