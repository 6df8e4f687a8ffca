// SPDX-License-Identifier: MIT
/*
 * The hexadecimal-floating-point exceptions (POP chapter 6, "Program
 * Interruption": exponent overflow 0x0c, exponent underflow 0x0d,
 * significance 0x0e, HFP divide 0x0f, HFP square root 0x1d; chapter 18,
 * "Hexadecimal-Floating-Point Instructions": ADD NORMALIZED, SUBTRACT
 * NORMALIZED, MULTIPLY, DIVIDE, SQUARE ROOT), long operands, in every
 * mode of at.h:
 *   exponent overflow: always an interruption; completed, the result
 *     with the right sign and fraction and a characteristic 128 too
 *     small, the condition code set from it;
 *   exponent underflow: with PSW bit 22 one, an interruption and the
 *     result completed with a characteristic 128 too large; with the bit
 *     zero, a true zero and no interruption;
 *   significance (a zero fraction from ADD or SUBTRACT): with PSW bit 23
 *     one, an interruption and a zero fraction with the intermediate
 *     characteristic and a plus sign; with the bit zero, a true zero;
 *     condition code 0 either way;
 *   HFP divide (a zero divisor), square root (a negative operand):
 *     suppressed, the first operand unchanged.
 * The old PSW points after the instruction, or after the EXECUTE that
 * ran it, with the ILC of the EXECUTE (chapter 7, "EXECUTE").  HFP
 * instructions on registers 0, 2, 4, 6 need no AFP-register control.
 *
 * And a few results: truncated (1/3, a subtraction whose last digit
 * survives in the guard digit) or, for SQUARE ROOT, rounded (sqrt(2):
 * 1.6A09E667F3BCC9... to 14 digits).  QEMU TCG (and Unicorn's translator) has no HFP arithmetic and
 * reports an operation exception; pvboot's machine runs these
 * instructions itself (machine/cpu/hfpemu.c).
 */
#include "a_fp.h"

const char gt_name[] = "A-FP-HFP";

#define H_ONE		0x4110000000000000ULL	/* 1.0 */
#define H_TWO		0x4120000000000000ULL
#define H_FOUR		0x4140000000000000ULL
#define H_MINUS_ONE	0xc110000000000000ULL
#define H_BIG		0x7ff0000000000000ULL	/* 0.9375 * 16^63 */
#define H_NBIG		0xfff0000000000000ULL
#define H_TINY		0x0110000000000000ULL	/* 16^-64 */
#define H_TINY_P	0x0110100000000000ULL	/* 16^-64 (1 + 1/256) */

enum op { ADR, SDR, MDR, DDR, SQDR };

static const char *const op_name[] = {
	[ADR] = "ADR", [SDR] = "SDR", [MDR] = "MDR", [DDR] = "DDR",
	[SQDR] = "SQDR",
};

struct hfp_case {
	const char *name;
	enum op op;
	uint64_t pm;		/* program mask (SPM_*) */
	uint64_t op1, op2;	/* FPR 0 and FPR 2 */
	uint16_t code;		/* 0: no interruption */
	uint64_t result;	/* FPR 0 afterwards */
	int cc;
};

static const struct hfp_case cases[] = {
	{ "1 + 1", ADR, 0, H_ONE, H_ONE, 0, H_TWO, 2 },
	{ "sqrt(4)", SQDR, 0, 0, H_FOUR, 0, H_TWO, PRESET_CC },
	/* truncated results, one guard digit in ADD and SUBTRACT */
	{ "1 / 3", DDR, 0, H_ONE, 0x4130000000000000ULL, 0,
	  0x4055555555555555ULL, PRESET_CC },
	{ "sqrt(2), rounded", SQDR, 0, 0, H_TWO, 0, 0x4116a09e667f3bcdULL,
	  PRESET_CC },
	{ "3 * 3", MDR, 0, 0x4130000000000000ULL, 0x4130000000000000ULL, 0,
	  0x4190000000000000ULL, PRESET_CC },
	{ "1 - (1/16 + 16^-15), guard digit", SDR, 0, H_ONE,
	  0x4010000000000001ULL, 0, 0x40efffffffffffffULL, 2 },
	/* exponent overflow */
	{ "big + big", ADR, 0, H_BIG, H_BIG, PGM_HFP_EXP_OVERFLOW,
	  0x001e000000000000ULL, 2 },
	{ "-big + -big", ADR, 0, H_NBIG, H_NBIG, PGM_HFP_EXP_OVERFLOW,
	  0x801e000000000000ULL, 1 },
	/* exponent underflow */
	{ "tiny * tiny, mask off", MDR, 0, H_TINY, H_TINY, 0, 0, PRESET_CC },
	{ "tiny * tiny, mask on", MDR, SPM_HFP_UF, H_TINY, H_TINY,
	  PGM_HFP_EXP_UNDERFLOW, 0x4110000000000000ULL, PRESET_CC },
	{ "tiny' - tiny, mask off", SDR, 0, H_TINY_P, H_TINY, 0, 0, 0 },
	{ "tiny' - tiny, mask on", SDR, SPM_HFP_UF, H_TINY_P, H_TINY,
	  PGM_HFP_EXP_UNDERFLOW, 0x7f10000000000000ULL, 2 },
	/* significance */
	{ "1 - 1, mask off", SDR, 0, H_ONE, H_ONE, 0, 0, 0 },
	{ "1 - 1, mask on", SDR, SPM_HFP_SIG, H_ONE, H_ONE,
	  PGM_HFP_SIGNIFICANCE, 0x4100000000000000ULL, 0 },
	{ "1 + -1, mask on", ADR, SPM_HFP_SIG, H_ONE, H_MINUS_ONE,
	  PGM_HFP_SIGNIFICANCE, 0x4100000000000000ULL, 0 },
	/* HFP divide, square root: suppressed */
	{ "1 / 0", DDR, 0, H_ONE, 0, PGM_HFP_DIVIDE, H_ONE, PRESET_CC },
	{ "sqrt(-1)", SQDR, 0, H_ONE, H_MINUS_ONE, PGM_HFP_SQRT, H_ONE,
	  PRESET_CC },
};

#define HFP_RUN(insn)							\
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\tspm %[pm]\n\t"		\
		     AT_PRE insn " 0,2" AT_POST				\
		     "ipm %[c]\n\tstd 0,%[r]"				\
		     : [r] "=Q"(*res), [c] "=&d"(ccr)			\
		     : [a] "Q"(op1), [b] "Q"(op2),			\
		       [pm] "d"(pm | SPM_CC(PRESET_CC))			\
		     : "r1", "cc", "memory")

static unsigned int hfp_run(enum op op, uint64_t pm, uint64_t op1,
			    uint64_t op2, uint64_t *res)
{
	uint64_t ccr = 0;

	go();
	switch (op) {
	case ADR:
		HFP_RUN("adr");
		break;
	case SDR:
		HFP_RUN("sdr");
		break;
	case MDR:
		HFP_RUN("mdr");
		break;
	case DDR:
		HFP_RUN("ddr");
		break;
	case SQDR:
		HFP_RUN("sqdr");
		break;
	}
	at_supervisor();
	asm volatile("spm %0" : : "d"(0ULL));
	return (unsigned int)(ccr >> 28) & 3;
}

static void one(const struct hfp_case *c)
{
	char name[80];
	uint64_t res = 0;
	unsigned int cc;

	boot_snprintf(name, sizeof(name), "%s %s", op_name[c->op], c->name);
	cc = hfp_run(c->op, c->pm, c->op1, c->op2, &res);
	if (c->code)
		expect_pgm(w(name), c->code, c->op == SQDR ? 4 : 2,
			   at_spot.next, c->pm);
	else
		at_expect_none(w(name));
	gt_check(res == c->result, "%s: FPR 0 0x%llx, want 0x%llx", w(name),
		 (unsigned long long)res, (unsigned long long)c->result);
	gt_check(cc == (unsigned int)c->cc, "%s: cc %u, want %d", w(name), cc,
		 c->cc);
}

/* EX of DDR by zero (suppressed), EXRL of ADR that overflows (completed). */
static void execute(void)
{
	uint64_t res = 0, ccr = 0, op1 = H_ONE, op2 = 0;

	go();
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\tlarl %%r2,2f\n\t"
		     AT_PRE "ex 0,0(%%r2)" AT_POST
		     "std 0,%[r]\n\tj 3f\n2:\tddr 0,2\n3:"
		     : [r] "=Q"(res)
		     : [a] "Q"(op1), [b] "Q"(op2)
		     : "r1", "r2", "cc", "memory");
	at_supervisor();
	expect_pgm(w("EX of DDR 1 / 0"), PGM_HFP_DIVIDE, 4, at_spot.next, 0);
	GT_EQ(res, H_ONE, w("EX of DDR 1 / 0: suppressed"));

	op1 = H_BIG;
	op2 = H_BIG;
	go();
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\t"
		     AT_PRE "exrl 0,2f" AT_POST
		     "ipm %[c]\n\tstd 0,%[r]\n\tj 3f\n2:\tadr 0,2\n3:"
		     : [r] "=Q"(res), [c] "=&d"(ccr)
		     : [a] "Q"(op1), [b] "Q"(op2)
		     : "r1", "cc", "memory");
	at_supervisor();
	expect_pgm(w("EXRL of ADR big + big"), PGM_HFP_EXP_OVERFLOW, 6,
		   at_spot.next, 0);
	GT_EQ(res, 0x001e000000000000ULL, w("EXRL of ADR: completed"));
	GT_EQ((ccr >> 28) & 3, 2, w("EXRL of ADR: cc"));
}

/* With CR0 bit 45 zero: FPRs 0 and 2 work, FPR 1 is DXC 1 (suppressed). */
static void afp_off(void)
{
	uint64_t res = 0, ccr = 0, op1 = H_ONE, op2 = H_ONE;

	afp(false);
	go();
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\t" AT_PRE "adr 0,2" AT_POST
		     "ipm %[c]\n\tstd 0,%[r]"
		     : [r] "=Q"(res), [c] "=&d"(ccr)
		     : [a] "Q"(op1), [b] "Q"(op2)
		     : "r1", "cc", "memory");
	at_supervisor();
	at_expect_none(w("ADR 0,2 with AFP off"));
	GT_EQ(res, H_TWO, w("ADR 0,2 with AFP off: sum"));
	GT_EQ((ccr >> 28) & 3, 2, w("ADR 0,2 with AFP off: cc"));
	LC_U8(LC_DXC) = 0xaa;
	go();
	asm volatile(AT_PRE "adr 1,0" AT_POST : : : "r1", "cc", "memory");
	at_supervisor();
	expect_pgm(w("ADR 1,0 with AFP off"), PGM_DATA, 2, at_spot.next, 0);
	GT_EQ(lc_dxc(), 1, w("ADR 1,0 with AFP off: DXC"));
	afp(true);
}

static void all(void)
{
	afp(true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		one(&cases[i]);
	execute();
	afp_off();
}

void gt_main(void)
{
	for_each_mode(all);
}
