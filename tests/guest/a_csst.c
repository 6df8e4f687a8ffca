// SPDX-License-Identifier: MIT
/*
 * COMPARE AND SWAP AND STORE (POP chapter 7): GR0 bits 56-63 the function
 * code (0: 4 bytes, 1: 8, 2: 16), bits 48-55 the store characteristic
 * (2^sc bytes); the parameter list at GR1 (16-aligned) holds the
 * replacement value at offset 0 and the store value at offset 16, both
 * left-aligned.  Equal: first operand replaced, store done, cc 0.
 * Unequal: the first operand into GR r3 (fc 0: bits 32-63 only), nothing
 * stored, cc 1.  Specification exception for fc 3, sc 5, fc 2 with an
 * odd r3, a misaligned first or second operand.
 *
 * Store characteristic 0 took Unicorn 2.0.1 down (an assertion in its
 * helper, found by tests/guestfuzz), so every case below would have.
 */
#include "at.h"

const char gt_name[] = "A-CSST";

static uint64_t plist[4] __aligned(16);
static uint8_t op1[16] __aligned(16), op2[16] __aligned(16);

#define R_OLD 0x1111111122222222ULL

struct csst_out {
	int cc;
	uint64_t r2, r3;
};

/*
 * CSST with fc, sc; first operand at @a1, second at @a2; its R3 field is
 * 2: the compare value is GR2 (fc 0, 1) or the pair GR2:GR3 (fc 2).
 */
static struct csst_out csst(unsigned int fc, unsigned int sc, void *a1,
			    void *a2, uint64_t r2, uint64_t r3)
{
	register uint64_t g0 asm("0") = fc | sc << 8;
	register uint64_t g1 asm("1") = (uint64_t)(uintptr_t)plist;
	register uint64_t g2 asm("2") = r2;
	register uint64_t g3 asm("3") = r3;
	struct csst_out o;
	int cc = -1;

	asm volatile("larl %%r4,1f\n\tstgrl %%r4,gt_pgm+40\n\t"
		     ".insn ssf,0xc80200000000,0(%[a1]),0(%[a2]),%%r2\n\t"
		     "ipm %[cc]\n\tsrl %[cc],28\n1:"
		     : [cc] "+d"(cc), "+d"(g2), "+d"(g3)
		     : [a1] "a"(a1), [a2] "a"(a2), "d"(g0), "d"(g1)
		     : "r4", "cc", "memory");
	o.cc = cc;
	o.r2 = g2;
	o.r3 = g3;
	return o;
}

static void fill(void)
{
	plist[0] = 0xaaaaaaaabbbbbbbbULL;	/* replacement */
	plist[1] = 0xccccccccddddddddULL;
	plist[2] = 0x0102030405060708ULL;	/* store value */
	plist[3] = 0x090a0b0c0d0e0f10ULL;
	memset(op1, 0x5a, sizeof(op1));
	memset(op2, 0xee, sizeof(op2));
}

static void equal_cases(void)
{
	struct csst_out o;

	/* fc 0, sc 0: compare bits 32-63 of r3 with 4 bytes */
	fill();
	memcpy(op1, "\x12\x34\x56\x78", 4);
	o = csst(0, 0, op1, op2, 0xffffffff12345678ULL, 0);
	GT_EQ(o.cc, 0, "fc 0 sc 0 equal: cc");
	GT_EQ(*(uint32_t *)op1, 0xaaaaaaaa, "fc 0 sc 0: replacement");
	GT_EQ(op2[0], 0x01, "fc 0 sc 0: one byte stored");
	GT_EQ(op2[1], 0xee, "fc 0 sc 0: only one byte");
	/* fc 1, sc 3 */
	fill();
	memcpy(op1, "\x00\x11\x22\x33\x44\x55\x66\x77", 8);
	o = csst(1, 3, op1, op2, 0x0011223344556677ULL, 0);
	GT_EQ(o.cc, 0, "fc 1 sc 3 equal: cc");
	GT_EQ(*(uint64_t *)op1, 0xaaaaaaaabbbbbbbbULL, "fc 1: replacement");
	GT_EQ(*(uint64_t *)op2, 0x0102030405060708ULL, "sc 3: 8 bytes");
	GT_EQ(op2[8], 0xee, "sc 3: only 8 bytes");
	/* fc 2, sc 4: r2:r3 against 16 bytes */
	fill();
	memset(op1, 0x77, 16);
	o = csst(2, 4, op1, op2, 0x7777777777777777ULL,
		 0x7777777777777777ULL);
	GT_EQ(o.cc, 0, "fc 2 sc 4 equal: cc");
	GT_EQ(*(uint64_t *)(op1 + 8), 0xccccccccddddddddULL,
	      "fc 2: replacement, second half");
	GT_EQ(*(uint64_t *)(op2 + 8), 0x090a0b0c0d0e0f10ULL,
	      "sc 4: 16 bytes");
	/* sc 1, 2 */
	fill();
	memcpy(op1, "\x12\x34\x56\x78", 4);
	o = csst(0, 1, op1, op2, 0x12345678ULL, 0);
	GT_EQ(o.cc, 0, "sc 1: cc");
	GT_EQ(*(uint16_t *)op2, 0x0102, "sc 1: 2 bytes");
	GT_EQ(op2[2], 0xee, "sc 1: only 2 bytes");
}

static void unequal_cases(void)
{
	struct csst_out o;

	fill();
	memcpy(op1, "\x12\x34\x56\x78", 4);
	o = csst(0, 0, op1, op2, R_OLD, 0);
	GT_EQ(o.cc, 1, "fc 0 unequal: cc");
	GT_EQ(o.r2, 0x1111111112345678ULL,
	      "fc 0 unequal: old value in bits 32-63 of r2");
	GT_EQ(*(uint32_t *)op1, 0x12345678, "fc 0 unequal: first operand");
	GT_EQ(op2[0], 0xee, "fc 0 unequal: nothing stored");
	fill();
	o = csst(1, 0, op1, op2, R_OLD, 0);
	GT_EQ(o.cc, 1, "fc 1 unequal: cc");
	GT_EQ(o.r2, 0x5a5a5a5a5a5a5a5aULL, "fc 1 unequal: r2");
	fill();
	o = csst(2, 0, op1, op2, R_OLD, R_OLD);
	GT_EQ(o.cc, 1, "fc 2 unequal: cc");
	GT_EQ(o.r2, 0x5a5a5a5a5a5a5a5aULL, "fc 2 unequal: r2");
	GT_EQ(o.r3, 0x5a5a5a5a5a5a5a5aULL, "fc 2 unequal: r3");
}

static void spec(const char *what, unsigned int fc, unsigned int sc,
		 void *a1, void *a2)
{
	fill();
	at_reset_pgm();
	csst(fc, sc, a1, a2, 0x5a5a5a5a5a5a5a5aULL, 0x5a5a5a5a5a5a5a5aULL);
	GT_EQ(gt_pgm.code, PGM_SPECIFICATION, what);
	GT_EQ(op1[0], 0x5a, "no store");
	GT_EQ(op2[0], 0xee, "no store");
}

void gt_main(void)
{
#ifdef A_HERCULES	/* tests/indep/hercules.sh: line mode */
	sclp_console_setup(SCLP_CONS_ASCII | SCLP_CONS_LINEMODE);
#endif
	equal_cases();
	unequal_cases();
	spec("fc 3", 3, 0, op1, op2);
	spec("sc 5", 0, 5, op1, op2);
	spec("first operand not aligned", 1, 0, op1 + 4, op2);
	spec("second operand not aligned", 0, 2, op1, op2 + 2);
	at_reset_pgm();
}
