// SPDX-License-Identifier: MIT
/*
 * SIGP on a one-CPU machine (machine unit test): set-architecture cc 0,
 * sense of CPU 0 cc 0, other CPUs not operational (cc 3), an unassigned
 * order cc 1 with status "invalid order", sense running of itself cc 0;
 * the program ends with SIGP stop to itself.
 */
#include "gt.h"

const char gt_name[] = "T-SIGP";

void gt_main(void)
{
	uint32_t st = 0;

	GT_EQ(sigp(0, SIGP_SET_ARCHITECTURE, 1, NULL), 0, "set architecture");
	GT_EQ(sigp(0, 0x01, 0, &st), 0, "sense CPU 0");
	GT_EQ(sigp(1, 0x01, 0, &st), 3, "sense CPU 1");
	GT_EQ(sigp(0xffff, SIGP_STOP, 0, &st), 3, "stop CPU 0xffff");
	st = 0;
	GT_EQ(sigp(0, 0x07, 0, &st), 1, "order 0x07 (unassigned)");
	GT_EQ(st, 2, "status: invalid order");
	GT_EQ(sigp(0, 0x15, 0, &st), 0, "sense running: CPU 0 runs");
	GT_EQ(gt_pgm_take(), 0, "no program check");
	boot_printf("T-SIGP: %u failed, stopping\n", gt_failures());
	sigp(0, SIGP_STOP, 0, NULL);
	gt_check(false, "SIGP stop returned");
}
