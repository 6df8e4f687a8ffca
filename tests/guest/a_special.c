// SPDX-License-Identifier: MIT
/*
 * Special-operation exception (POP chapter 10, "SET ADDRESS SPACE
 * CONTROL"; chapter 6, "Special-operation exception"): SACF to the
 * secondary-space or home-space mode while DAT is off (PSW bit 5 zero) is
 * a special-operation exception 0x13, ILC 4, suppressed (the old PSW
 * after the instruction, the address-space control unchanged); with DAT
 * on and CR0 bit 37 (secondary-space control) one, SACF 0x100 works.
 */
#include "at.h"

const char gt_name[] = "A-SPECIAL";

void gt_main(void)
{
	at_dat_identity(1);
	AT_LCTLG(0, AT_STCTG(0) | CR0_SECONDARY);
	at_reset_pgm();
	asm volatile(AT_PRE "sacf 0x100" AT_POST : : : "r1", "memory");
	at_expect("SACF secondary-space mode with DAT off", PGM_SPECIAL_OP,
		  4, at_spot.next);
	GT_EQ((at_psw_mask() >> 46) & 3, 0, "still primary-space mode");
	asm volatile(AT_PRE "sacf 0x300" AT_POST : : : "r1", "memory");
	at_expect("SACF home-space mode with DAT off", PGM_SPECIAL_OP, 4,
		  at_spot.next);
	at_dat_on();
	asm volatile(AT_PRE "sacf 0x100" AT_POST : : : "r1", "memory");
	gt_check((at_psw_mask() >> 46) & 3, "SACF 0x100 with DAT on: mode");
	asm volatile("sacf 0" : : : "memory");
	at_dat_off();
	at_expect_none("SACF 0x100 with DAT on");
}
