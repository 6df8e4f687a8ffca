// SPDX-License-Identifier: MIT
/*
 * MONITOR CALL (POP chapter 7, "MONITOR CALL"; chapter 6, "Monitor
 * event"): with the class's mask bit (CR8 bit 48 + class) one, a monitor
 * event program interruption 0x40, ILC 4, old PSW after the instruction,
 * the class number at 0x94 (halfword) and the effective address as the
 * monitor code at 0xb0; with the bit zero, nothing; a class above 15
 * (I2 bits 0-3 not zero) is a specification exception.  Supervisor and
 * problem state.
 */
#include "at.h"

const char gt_name[] = "A-MC";

static void run(bool problem)
{
	const char *st = problem ? "problem state" : "supervisor";

	LC_U16(LC_MON_CLASS) = 0xeeee;
	LC_U64(LC_MON_CODE) = 0;
	at_reset_pgm();
	if (problem)
		at_pstate();
	asm volatile(AT_PRE "mc 0x123(%[b]),5" AT_POST
		     : : [b] "a"(0x4560000ULL) : "r1", "memory");
	at_supervisor();
	gt_check(at_expect("MC class 5, mask on", PGM_MONITOR, 4,
			   at_spot.next), "(%s)", st);
	GT_EQ(LC_U16(LC_MON_CLASS), 5, "monitor class number at 0x94");
	GT_EQ(LC_U64(LC_MON_CODE), 0x4560123, "monitor code at 0xb0");
	if (problem)
		at_pstate();
	asm volatile(AT_PRE "mc 0x123(%[b]),6" AT_POST
		     : : [b] "a"(0x4560000ULL) : "r1", "memory");
	at_supervisor();
	at_expect_none("MC class 6, mask off");
	if (problem)
		at_pstate();
	asm volatile(AT_PRE "mc 0,16" AT_POST : : : "r1", "memory");
	at_supervisor();
	at_expect("MC class 16", PGM_SPECIFICATION, 4, at_spot.next);
}

void gt_main(void)
{
	uint64_t cr8 = AT_STCTG(8);

	AT_LCTLG(8, (cr8 & ~0xffffULL) | (0x8000 >> 5));
	run(false);
	run(true);
	AT_LCTLG(8, cr8);
}
