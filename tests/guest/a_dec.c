// SPDX-License-Identifier: MIT
/*
 * Program interruptions of the decimal instructions (POP chapter 8,
 * "Decimal Instructions": "Decimal-Operand Data Exception", "Decimal-
 * Divide Exception", "Decimal-Overflow Exception" and the instructions
 * ADD, SUBTRACT, ZERO AND ADD, COMPARE, MULTIPLY, DIVIDE DECIMAL; chapter
 * 6 for the codes), in every mode of at.h:
 *   decimal overflow (0x0a): the result's leftmost nonzero digits do not
 *     fit; completed with the rightmost digits and the sign of the true
 *     result, condition code 3; an interruption only while PSW bit 21
 *     (program mask) is one;
 *   decimal divide (0x0b): a zero divisor or a quotient longer than its
 *     field; suppressed, the first operand unchanged;
 *   data (0x07) with DXC 0 at 0x93, and in FPC byte 2 while CR0 bit 45
 *     (AFP) is one (the FPC is left alone while it is zero): an invalid
 *     sign (0-9) or digit (A-F) in an operand the instruction checks
 *     (not the first operand of ZAP), or a multiplicand of MP without
 *     enough leading zeros; an invalid sign suppresses the operation (the
 *     first operand and the condition code stay).
 * The old PSW points after the instruction, or after the EXECUTE that
 * ran it (ILC of the EXECUTE, chapter 7 "EXECUTE").
 *
 * QEMU TCG (and Unicorn's translator) has none of these instructions and
 * reports an operation exception; pvboot's machine runs them itself
 * (machine/cpu/decemu.c).
 */
#include "a_fp.h"

const char gt_name[] = "A-DEC";

/* The instructions with the operand lengths the cases use. */
enum op { AP_2_1, SP_2_1, ZAP_1_3, ZAP_2_1, DP_4_1, CP_2_2, MP_2_1 };

static const char *const op_name[] = {
	[AP_2_1] = "AP", [SP_2_1] = "SP", [ZAP_1_3] = "ZAP",
	[ZAP_2_1] = "ZAP", [DP_4_1] = "DP", [CP_2_2] = "CP", [MP_2_1] = "MP",
};

static const uint8_t op_len1[] = {
	[AP_2_1] = 2, [SP_2_1] = 2, [ZAP_1_3] = 1, [ZAP_2_1] = 2,
	[DP_4_1] = 4, [CP_2_2] = 2, [MP_2_1] = 2,
};

#define ANY_CC	-1	/* unpredictable after termination */

struct dec_case {
	const char *name;
	enum op op;
	uint64_t pm;		/* program mask (SPM_DEC or 0) */
	uint8_t op1[4], op2[4];
	uint16_t code;		/* 0: no interruption */
	bool check_result;	/* false: result unpredictable */
	uint8_t result[4];	/* first operand afterwards */
	int cc;
};

static const struct dec_case cases[] = {
	{ "123 + 1", AP_2_1, 0, { 0x12, 0x3c }, { 0x1c }, 0, true,
	  { 0x12, 0x4c }, 2 },
	{ "-1 into 999", ZAP_2_1, 0, { 0x99, 0x9c }, { 0x1d }, 0, true,
	  { 0x00, 0x1d }, 1 },
	{ "123 = +123 (sign F)", CP_2_2, 0, { 0x12, 0x3c }, { 0x12, 0x3f }, 0,
	  true, { 0x12, 0x3c }, 0 },
	{ "123 / 3", DP_4_1, 0, { 0x00, 0x00, 0x12, 0x3c }, { 0x3c }, 0, true,
	  { 0x00, 0x04, 0x1c, 0x0c }, PRESET_CC },
	{ "into a first operand with an invalid sign", ZAP_2_1, 0,
	  { 0x12, 0x35 }, { 0x7c }, 0, true, { 0x00, 0x7c }, 2 },
	/* decimal overflow */
	{ "999 + 1, mask off", AP_2_1, 0, { 0x99, 0x9c }, { 0x1c }, 0, true,
	  { 0x00, 0x0c }, 3 },
	{ "999 + 1, mask on", AP_2_1, SPM_DEC, { 0x99, 0x9c }, { 0x1c },
	  PGM_DEC_OVERFLOW, true, { 0x00, 0x0c }, 3 },
	{ "-999 - 1, mask on", SP_2_1, SPM_DEC, { 0x99, 0x9d }, { 0x1c },
	  PGM_DEC_OVERFLOW, true, { 0x00, 0x0d }, 3 },
	{ "12345 into 1 byte, mask on", ZAP_1_3, SPM_DEC, { 0x00 },
	  { 0x12, 0x34, 0x5c }, PGM_DEC_OVERFLOW, true, { 0x5c }, 3 },
	/* decimal divide */
	{ "123 / 0", DP_4_1, 0, { 0x00, 0x00, 0x12, 0x3c }, { 0x0c },
	  PGM_DEC_DIVIDE, true, { 0x00, 0x00, 0x12, 0x3c }, PRESET_CC },
	{ "9999999 / 1 (quotient too long)", DP_4_1, 0,
	  { 0x99, 0x99, 0x99, 0x9c }, { 0x1c }, PGM_DEC_DIVIDE, true,
	  { 0x99, 0x99, 0x99, 0x9c }, PRESET_CC },
	/* data */
	{ "invalid sign in operand 2", AP_2_1, 0, { 0x12, 0x3c }, { 0x15 },
	  PGM_DATA, true, { 0x12, 0x3c }, PRESET_CC },
	{ "invalid sign in operand 1", SP_2_1, 0, { 0x12, 0x39 }, { 0x1c },
	  PGM_DATA, true, { 0x12, 0x39 }, PRESET_CC },
	{ "invalid sign", CP_2_2, 0, { 0x12, 0x3c }, { 0x12, 0x39 }, PGM_DATA,
	  true, { 0x12, 0x3c }, PRESET_CC },
	{ "invalid digit in operand 2", AP_2_1, 0, { 0x12, 0x3c }, { 0xac },
	  PGM_DATA, false, { 0 }, ANY_CC },
	{ "invalid digit, mask on", AP_2_1, SPM_DEC, { 0x1a, 0x3c }, { 0x1c },
	  PGM_DATA, false, { 0 }, ANY_CC },
	{ "multiplicand without leading zeros", MP_2_1, 0, { 0x12, 0x3c },
	  { 0x2c }, PGM_DATA, false, { 0 }, ANY_CC },
};

static uint8_t d1[8] __aligned(8), d2[8] __aligned(8);

#define DEC_RUN(insn)							\
	asm volatile("spm %[pm]\n\t" AT_PRE insn AT_POST "ipm %[c]"	\
		     : [c] "=&d"(ccr)					\
		     : [x] "a"(d1), [y] "a"(d2),			\
		       [pm] "d"(pm | SPM_CC(PRESET_CC))			\
		     : "r1", "cc", "memory")

static unsigned int dec_run(enum op op, uint64_t pm)
{
	uint64_t ccr = 0;

	go();
	switch (op) {
	case AP_2_1:
		DEC_RUN("ap 0(2,%[x]),0(1,%[y])");
		break;
	case SP_2_1:
		DEC_RUN("sp 0(2,%[x]),0(1,%[y])");
		break;
	case ZAP_1_3:
		DEC_RUN("zap 0(1,%[x]),0(3,%[y])");
		break;
	case ZAP_2_1:
		DEC_RUN("zap 0(2,%[x]),0(1,%[y])");
		break;
	case DP_4_1:
		DEC_RUN("dp 0(4,%[x]),0(1,%[y])");
		break;
	case CP_2_2:
		DEC_RUN("cp 0(2,%[x]),0(2,%[y])");
		break;
	case MP_2_1:
		DEC_RUN("mp 0(2,%[x]),0(1,%[y])");
		break;
	}
	at_supervisor();
	asm volatile("spm %0" : : "d"(0ULL));
	return (unsigned int)(ccr >> 28) & 3;
}

static void one(const struct dec_case *c, bool afp_on)
{
	char name[96];
	unsigned int cc, n = op_len1[c->op];
	uint32_t fpc = 0x00005500;

	boot_snprintf(name, sizeof(name), "%s %s%s", op_name[c->op], c->name,
		      afp_on ? "" : ", AFP off");
	memset(d1, 0xee, sizeof(d1));
	memset(d2, 0xee, sizeof(d2));
	memcpy(d1, c->op1, n);
	memcpy(d2, c->op2, sizeof(c->op2));
	afp(true);
	sfpc(fpc);
	afp(afp_on);
	LC_U8(LC_DXC) = 0xaa;
	cc = dec_run(c->op, c->pm);
	if (c->code) {
		expect_pgm(w(name), c->code, 6, at_spot.next, c->pm);
	} else {
		at_expect_none(w(name));
	}
	if (c->code == PGM_DATA) {
		GT_EQ(lc_dxc(), 0, w("DXC at 0x93"));
		afp(true);
		GT_EQ(FPC_DXC(efpc()), afp_on ? 0 : 0x55,
		      w(afp_on ? "DXC in the FPC" : "FPC unchanged, AFP off"));
	}
	afp(true);
	if (c->check_result) {
		bool same = !memcmp(d1, c->result, n);

		gt_check(same, "%s: first operand %02x%02x%02x%02x, want %02x%02x%02x%02x",
			 w(name), d1[0], n > 1 ? d1[1] : 0, n > 2 ? d1[2] : 0,
			 n > 3 ? d1[3] : 0, c->result[0], c->result[1],
			 c->result[2], c->result[3]);
	}
	GT_EQ(d1[n], 0xee, w("byte after the first operand"));
	if (c->cc != ANY_CC)
		gt_check(cc == (unsigned int)c->cc, "%s: cc %u, want %d",
			 w(name), cc, c->cc);
}

/*
 * EX of AP that overflows (completed), EX of DP by zero (suppressed),
 * EXRL of AP with an invalid sign (data, suppressed).
 */
static void execute(void)
{
	uint64_t ccr = 0;

	d1[0] = 0x99;
	d1[1] = 0x9c;
	d2[0] = 0x1c;
	go();
	asm volatile("spm %[pm]\n\tlarl %%r2,2f\n\t" AT_PRE "ex 0,0(%%r2)"
		     AT_POST "ipm %[c]\n\tj 3f\n2:\tap 0(2,%[x]),0(1,%[y])\n3:"
		     : [c] "=&d"(ccr)
		     : [x] "a"(d1), [y] "a"(d2), [pm] "d"(SPM_DEC)
		     : "r1", "r2", "cc", "memory");
	at_supervisor();
	asm volatile("spm %0" : : "d"(0ULL));
	expect_pgm(w("EX of AP 999 + 1"), PGM_DEC_OVERFLOW, 4, at_spot.next,
		   SPM_DEC);
	gt_check(d1[0] == 0x00 && d1[1] == 0x0c,
		 "%s: result %02x%02x, want 000c", w("EX of AP 999 + 1"),
		 d1[0], d1[1]);
	GT_EQ((ccr >> 28) & 3, 3, w("EX of AP 999 + 1: cc"));

	memcpy(d1, (const uint8_t[]){ 0x00, 0x00, 0x12, 0x3c }, 4);
	d2[0] = 0x0c;
	go();
	asm volatile("larl %%r2,2f\n\t" AT_PRE "ex 0,0(%%r2)" AT_POST
		     "j 3f\n2:\tdp 0(4,%[x]),0(1,%[y])\n3:"
		     : : [x] "a"(d1), [y] "a"(d2)
		     : "r1", "r2", "cc", "memory");
	at_supervisor();
	expect_pgm(w("EX of DP 123 / 0"), PGM_DEC_DIVIDE, 4, at_spot.next, 0);
	GT_EQ(d1[3], 0x3c, w("EX of DP 123 / 0: suppressed"));

	d1[0] = 0x12;
	d1[1] = 0x3c;
	d2[0] = 0x15;
	LC_U8(LC_DXC) = 0xaa;
	go();
	asm volatile(AT_PRE "exrl 0,2f" AT_POST
		     "j 3f\n2:\tap 0(2,%[x]),0(1,%[y])\n3:"
		     : : [x] "a"(d1), [y] "a"(d2)
		     : "r1", "cc", "memory");
	at_supervisor();
	expect_pgm(w("EXRL of AP, invalid sign"), PGM_DATA, 6, at_spot.next,
		   0);
	GT_EQ(lc_dxc(), 0, w("EXRL of AP, invalid sign: DXC"));
	GT_EQ(d1[1], 0x3c, w("EXRL of AP, invalid sign: suppressed"));
}

static void all(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		one(&cases[i], true);
		if (cases[i].code == PGM_DATA)
			one(&cases[i], false);
	}
	execute();
	sfpc(0);
}

void gt_main(void)
{
	for_each_mode(all);
}
