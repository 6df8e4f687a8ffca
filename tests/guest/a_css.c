// SPDX-License-Identifier: MIT
/*
 * The channel subsystem of a machine without devices (POP chapter 14,
 * "I/O instructions"): STORE SUBCHANNEL, START SUBCHANNEL, TEST
 * SUBCHANNEL, MODIFY, CLEAR, HALT, RESUME and CANCEL SUBCHANNEL on
 * subchannels of set 0 give cc 3 (not operational); a subsystem-id word
 * without its one bit (GR1 bit 47) is an operand exception (0x15); TEST
 * PENDING INTERRUPTION finds none (cc 0); STORE CHANNEL REPORT WORD finds
 * none (cc 1, zeros stored); the I/O instructions are privileged.  Kept in
 * its own program: it is the part to adjust when devices come.
 */
#include "at.h"

const char gt_name[] = "A-CSS";

#define BUF ((uint8_t *)AT_TEST_PAGES)

static int css(int which, uint32_t sid)
{
	register uint64_t r1 asm("1") = sid;
	int cc;

	switch (which) {
	case 0:
		asm volatile("stsch 0(%[b])\n ipm %[cc]\n srl %[cc],28"
			     : [cc] "=d"(cc) : "d"(r1), [b] "a"(BUF) : "cc", "memory");
		break;
	case 1:
		asm volatile("ssch 0(%[b])\n ipm %[cc]\n srl %[cc],28"
			     : [cc] "=d"(cc) : "d"(r1), [b] "a"(BUF) : "cc", "memory");
		break;
	case 2:
		asm volatile("tsch 0(%[b])\n ipm %[cc]\n srl %[cc],28"
			     : [cc] "=d"(cc) : "d"(r1), [b] "a"(BUF) : "cc", "memory");
		break;
	case 3:
		asm volatile("msch 0(%[b])\n ipm %[cc]\n srl %[cc],28"
			     : [cc] "=d"(cc) : "d"(r1), [b] "a"(BUF) : "cc", "memory");
		break;
	case 4:
		asm volatile("csch\n ipm %[cc]\n srl %[cc],28"
			     : [cc] "=d"(cc) : "d"(r1) : "cc", "memory");
		break;
	case 5:
		asm volatile("hsch\n ipm %[cc]\n srl %[cc],28"
			     : [cc] "=d"(cc) : "d"(r1) : "cc", "memory");
		break;
	case 6:
		asm volatile("rsch\n ipm %[cc]\n srl %[cc],28"
			     : [cc] "=d"(cc) : "d"(r1) : "cc", "memory");
		break;
	default:
		asm volatile("xsch\n ipm %[cc]\n srl %[cc],28"
			     : [cc] "=d"(cc) : "d"(r1) : "cc", "memory");
		break;
	}
	return cc;
}

static const char *const names[] = {
	"STSCH", "SSCH", "TSCH", "MSCH", "CSCH", "HSCH", "RSCH", "XSCH",
};

void gt_main(void)
{
	static const uint32_t sids[] = { 0x10000, 0x10001, 0x1000f, 0x1ffff };
	char what[64];
	int cc;

	memset(BUF, 0, PAGE_SIZE);
	for (unsigned int i = 0; i < ARRAY_SIZE(sids); i++) {
		boot_snprintf(what, sizeof(what), "STSCH 0.0.%04x",
			      sids[i] & 0xffff);
		GT_EQ(css(0, sids[i]), 3, what);
	}
	for (int op = 1; op < 8; op++) {
		boot_snprintf(what, sizeof(what), "%s 0.0.0000", names[op]);
		GT_EQ(css(op, 0x10000), 3, what);
	}
	at_reset_pgm();
	for (int op = 0; op < 8; op++) {
		css(op, 0x00000000);
		boot_snprintf(what, sizeof(what), "%s without the one bit",
			      names[op]);
		GT_EQ(gt_pgm_take(), PGM_OPERAND, what);
	}
	/* TPI with a zero operand address: the code goes to the lowcore. */
	asm volatile("tpi 0(%[b])\n ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc) : [b] "a"(BUF) : "cc", "memory");
	GT_EQ(cc, 0, "TPI: no interruption pending");
	memset(BUF, 0xee, 8);
	asm volatile("stcrw 0(%[b])\n ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc) : [b] "a"(BUF) : "cc", "memory");
	GT_EQ(cc, 1, "STCRW: no channel report word");
	GT_EQ(*(uint32_t *)BUF, 0, "STCRW stores zeros");
	at_reset_pgm();
	at_pstate();
	css(0, 0x10000);
	at_supervisor();
	GT_EQ(gt_pgm.code, PGM_PRIVILEGED, "STSCH in problem state");
	at_reset_pgm();
}
