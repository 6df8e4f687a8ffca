// SPDX-License-Identifier: MIT
/*
 * ROTATE THEN AND / OR / EXCLUSIVE OR SELECTED BITS (POP chapter 7), in
 * the normal and the test-only form (I3 bit 0): the second operand
 * rotated left by I5, bits I3..I4 (wrapping around when I3 > I4) of it
 * combined with GR r1; the normal form stores the selected bits into GR
 * r1, the test form leaves GR r1 alone; both set cc 0 when the selected
 * result bits are all zero, else 1.  The test forms took Unicorn 2.0.1
 * down (found by tests/guestfuzz); the machine runs them.
 */
#include "at.h"

const char gt_name[] = "A-RSBG";

struct rs {
	uint64_t r1;
	int cc;
};

/* One form at a time; I3, I4, I5 are immediates, so each is spelled out. */
#define RSBG(op, i3, i4, i5, a, b)					\
	({								\
		register uint64_t x asm("2") = (a);			\
		register uint64_t y asm("3") = (b);			\
		int cc;							\
		asm volatile(".byte 0xec,0x23," #i3 "," #i4 "," #i5	\
			     ",0x" op "\n\t"				\
			     "ipm %[cc]\n\tsrl %[cc],28"			\
			     : "+d"(x), [cc] "=d"(cc)			\
			     : "d"(y) : "cc");				\
		(struct rs){ x, cc };					\
	})

#define A 0x0123456789abcdefULL
#define B 0xf0f0f0f00ff00ff0ULL

static void same(const char *what, struct rs normal, struct rs test,
		 uint64_t r1, uint64_t want_r1, int want_cc)
{
	gt_check(normal.r1 == want_r1, "%s: GR r1 0x%llx, want 0x%llx", what,
		 (unsigned long long)normal.r1, (unsigned long long)want_r1);
	gt_check(normal.cc == want_cc, "%s: cc %d, want %d", what, normal.cc,
		 want_cc);
	gt_check(test.r1 == r1, "%s, test form: GR r1 changed", what);
	gt_check(test.cc == want_cc, "%s, test form: cc %d, want %d", what,
		 test.cc, want_cc);
}

void gt_main(void)
{
#ifdef A_HERCULES	/* tests/indep/hercules.sh: line mode */
	sclp_console_setup(SCLP_CONS_ASCII | SCLP_CONS_LINEMODE);
#endif
	/* RXSBG bits 32-63, no rotation: r1 low word ^ B's low word */
	same("RXSBG 32,63,0", RSBG("57", 32, 63, 0, A, B),
	     RSBG("57", 160, 63, 0, A, B), A,
	     (A & 0xffffffff00000000ULL) | ((A ^ B) & 0xffffffffULL), 1);
	/* ROSBG bits 0-7 of B rotated by 8: B's bits 8-15 */
	same("ROSBG 0,7,8", RSBG("56", 0, 7, 8, A, B),
	     RSBG("56", 128, 7, 8, A, B), A,
	     (A & 0x00ffffffffffffffULL) | 0xf100000000000000ULL, 1);
	/* RNSBG with selected bits that AND to zero: cc 0 */
	same("RNSBG 4,7,0", RSBG("54", 4, 7, 0, A, B),
	     RSBG("54", 132, 7, 0, A, B), A, A & ~0x0f00000000000000ULL, 0);
	/* wrapping selection 60..3: bits 60-63 and 0-3 */
	same("RXSBG 60,3,0", RSBG("57", 60, 3, 0, A, A),
	     RSBG("57", 188, 3, 0, A, A), A,
	     A & ~0xf00000000000000fULL, 0);
}
