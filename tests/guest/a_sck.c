// SPDX-License-Identifier: MIT
/*
 * SET CLOCK (POP chapter 10, "SET CLOCK"): cc 0, the TOD clock takes the
 * new value and runs on from it (STCK then reads at least the value set,
 * and less than one second more); setting it back works the same way;
 * SCK is privileged.
 */
#include "at.h"

const char gt_name[] = "A-SCK";

#define HOUR AT_TOD_US(3600000000ULL)

static int sck(uint64_t t)
{
	int cc;

	asm volatile("sck %[t]\n ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc) : [t] "Q"(t) : "cc");
	return cc;
}

void gt_main(void)
{
	uint64_t a = at_stck(), b, t = 0;

	GT_EQ(sck(a + HOUR), 0, "SCK cc");
	b = at_stck();
	gt_check(b >= a + HOUR && b < a + HOUR + AT_TOD_US(1000000),
		 "after SCK +1 h: 0x%llx, set 0x%llx", (unsigned long long)b,
		 (unsigned long long)(a + HOUR));
	GT_EQ(sck(at_stck() - HOUR), 0, "SCK back cc");
	b = at_stck();
	gt_check(b >= a && b < a + AT_TOD_US(1000000),
		 "SCK back: 0x%llx, was 0x%llx", (unsigned long long)b,
		 (unsigned long long)a);
	at_reset_pgm();
	at_pstate();
	asm volatile(AT_PRE "sck %[t]" AT_POST : : [t] "Q"(t)
		     : "r1", "cc", "memory");
	at_expect("SCK in problem state", PGM_PRIVILEGED, 4, at_spot.next);
}
