// SPDX-License-Identifier: MIT
/*
 * IEEE exceptions of the binary-floating-point instructions (POP chapter
 * 9, "IEEE Exceptions" and "Data exception"; chapter 19, the results
 * figures of ADD, DIVIDE, MULTIPLY, SQUARE ROOT, COMPARE AND SIGNAL) and
 * the data exceptions of the AFP-register control (chapter 9, "Additional
 * Floating-Point (AFP) Registers"), in every mode of at.h.
 *
 * Each IEEE exception with its FPC mask bit zero sets its flag in FPC
 * byte 1 and delivers the default result (QNaN, infinity, the
 * denormalized or rounded value); the underflow flag only when the tiny
 * result is also inexact.  With the mask bit one it is a program
 * interruption for a data exception (0x07) with the DXC at 0x93 and in
 * FPC byte 2, no flag set, and
 *   invalid operation (DXC 0x80), division by zero (0x40): suppressed,
 *     the first operand and the condition code unchanged;
 *   overflow (0x20 exact, 0x28 inexact and truncated), underflow (0x10,
 *     0x18): completed with the scaled result (the value divided or
 *     multiplied by 2^192 for short, 2^1536 for long BFP), the
 *     condition code set from it;
 *   inexact (0x08 truncated, 0x0c incremented): completed with the
 *     rounded result.
 * The old PSW points after the instruction (suppression and completion),
 * or after the EXECUTE that ran it (ILC of the EXECUTE).
 * With CR0 bit 45 zero: a floating-point register other than 0, 2, 4, 6
 * is a data exception with DXC 1, a BFP instruction one with DXC 2, both
 * suppressed, and the FPC is left alone.
 *
 * a_fp_strict.c adds what pvboot's machine gets wrong (A_FP_STRICT).
 */
#include "a_fp.h"

#ifndef A_FP_STRICT
#define A_FP_STRICT 0
const char gt_name[] = "A-FP";
#endif

/* Long BFP operands. */
#define ONE		0x3ff0000000000000ULL
#define THREE		0x4008000000000000ULL
#define HALF		0x3fe0000000000000ULL
#define HALF_P		0x3fe0000000000001ULL	/* 0.5 (1 + 2^-52) */
#define MINUS_ONE	0xbff0000000000000ULL
#define INF		0x7ff0000000000000ULL
#define NINF		0xfff0000000000000ULL
#define DNAN		0x7ff8000000000000ULL	/* default QNaN */
#define QNAN		0x7ff8000000000123ULL
#define MAXD		0x7fefffffffffffffULL
#define MIN_NORMAL	0x0010000000000000ULL	/* 2^-1022 */
#define MIN_NORMAL_P	0x0010000000000001ULL	/* 2^-1022 (1 + 2^-52) */
#define TWO_M60		0x3c30000000000000ULL	/* 2^-60 */
#define TWO_M53_P	0x3ca0200000000000ULL	/* 2^-53 + 2^-60 */
#define NMAXD		0xffefffffffffffffULL	/* -max */
#define MIN_NORMAL_175	0x001c000000000000ULL	/* 2^-1022 * 1.75 */
#define MIN_SUB		0x0000000000000001ULL	/* 2^-1074 */
#define BIG_P		0x7fe0000000000001ULL	/* 2^1023 (1 + 2^-52) */
#define THREE_HALF	0x400c000000000000ULL	/* 3.5 */
#define TWO_600		0x6570000000000000ULL	/* 2^600 */
#define TWO_200		0x4c70000000000000ULL	/* 2^200 */
#define TWO_200_P	0x4c70000000000001ULL	/* 2^200 (1 + 2^-52) */
#define TWO_M200	0x3370000000000000ULL	/* 2^-200 */
/* Short BFP in the left half of a register (the right half stays). */
#define MAXE		0x7f7fffff00000000ULL
#define INFE		0x7f80000000000000ULL
#define THREE_E		0x4040000000000000ULL	/* 3.0 */
#define TWO_E		0x4000000000000000ULL	/* 2.0 */
#define ONE_E		0x3f80000000000000ULL	/* 1.0 */
#define TWO_M30_E	0x3080000000000000ULL	/* 2^-30 */
#define MIN_NORMAL_E	0x0080000000000000ULL	/* 2^-126 */
/* FPC rounding modes (bits 61-63) */
#define RM_ZERO		1
#define RM_UP		2
#define RM_DOWN		3

enum op { ADBR, DDBR, MDBR, SQDBR, KDBR, CDBR, AEBR, SDBR, MEEBR, DEBR,
	  SEBR, LEDBR, MADBR, ADB };

static const char *const op_name[] = {
	[ADBR] = "ADBR", [DDBR] = "DDBR", [MDBR] = "MDBR",
	[SQDBR] = "SQDBR", [KDBR] = "KDBR", [CDBR] = "CDBR", [AEBR] = "AEBR",
	[SDBR] = "SDBR", [MEEBR] = "MEEBR", [DEBR] = "DEBR", [SEBR] = "SEBR",
	[LEDBR] = "LEDBR", [MADBR] = "MADBR 0,2,2", [ADB] = "ADB",
};

struct bfp_case {
	const char *name;
	enum op op;
	uint32_t fpc;		/* masks before the instruction */
	uint64_t op1, op2;	/* FPR 0 (first operand) and FPR 2 */
	uint8_t dxc;		/* 0: no interruption */
	uint64_t result;	/* FPR 0 afterwards */
	int cc;			/* condition code afterwards */
	uint32_t flags;		/* FPC byte 1 afterwards */
	bool strict;		/* pvboot's machine gets it wrong */
};

static const struct bfp_case cases[] = {
	/* invalid operation */
	{ "inf + -inf, masked", ADBR, 0, INF, NINF, 0, DNAN, 3, FPC_FLAG_I, false },
	{ "inf + -inf, trap", ADBR, FPC_MASK_I, INF, NINF, 0x80, INF,
	  PRESET_CC, 0, false },
	{ "sqrt(-1), masked", SQDBR, 0, 0, MINUS_ONE, 0, DNAN, PRESET_CC,
	  FPC_FLAG_I, false },
	{ "sqrt(-1), trap", SQDBR, FPC_MASK_I, ONE, MINUS_ONE, 0x80, ONE,
	  PRESET_CC, 0, false },
	{ "KDBR with a QNaN, trap", KDBR, FPC_MASK_I, ONE, QNAN, 0x80, ONE,
	  PRESET_CC, 0, false },
	{ "CDBR with a QNaN, mask on", CDBR, FPC_MASK_I, ONE, QNAN, 0, ONE, 3,
	  0, false },
	/* division by zero */
	{ "1 / 0, masked", DDBR, 0, ONE, 0, 0, INF, PRESET_CC, FPC_FLAG_Z, false },
	{ "1 / 0, trap", DDBR, FPC_MASK_Z, ONE, 0, 0x40, ONE, PRESET_CC, 0, false },
	/* overflow */
	{ "max + max, masked", ADBR, 0, MAXD, MAXD, 0, INF, 2,
	  FPC_FLAG_O | FPC_FLAG_X, false },
	{ "max + max, trap (exact)", ADBR, FPC_MASK_O, MAXD, MAXD, 0x20,
	  0x1fffffffffffffffULL, 2, 0, true },
	{ "max * 3, trap (inexact, truncated)", MDBR, FPC_MASK_O, MAXD, THREE,
	  0x28, 0x2007ffffffffffffULL, PRESET_CC, 0, true },
	{ "short max + max, masked", AEBR, 0, MAXE, MAXE, 0, INFE, 2,
	  FPC_FLAG_O | FPC_FLAG_X, false },
	{ "short max + max, trap (exact, scaled by 2^-192)", AEBR, FPC_MASK_O,
	  MAXE, MAXE, 0x20, 0x1fffffff00000000ULL, 2, 0, true },
	/* underflow */
	{ "tiny exact, masked", MDBR, 0, MIN_NORMAL, HALF, 0,
	  0x0008000000000000ULL, PRESET_CC, 0, false },
	{ "tiny inexact, masked", MDBR, 0, MIN_NORMAL_P, HALF_P, 0,
	  0x0008000000000001ULL, PRESET_CC, FPC_FLAG_U | FPC_FLAG_X, false },
	{ "tiny exact, trap", MDBR, FPC_MASK_U, MIN_NORMAL, HALF, 0x10,
	  0x6000000000000000ULL, PRESET_CC, 0, true },
	{ "tiny inexact, trap", MDBR, FPC_MASK_U, MIN_NORMAL_P, HALF_P, 0x18,
	  0x6000000000000002ULL, PRESET_CC, 0, true },
	/* inexact */
	{ "1 + 2^-60, masked", ADBR, 0, ONE, TWO_M60, 0, ONE, 2, FPC_FLAG_X, false },
	{ "2^-60 + 1, trap (truncated)", ADBR, FPC_MASK_X, TWO_M60, ONE, 0x08,
	  ONE, 2, 0, true },
	{ "1 + 2^-53 + 2^-60, trap (incremented)", ADBR, FPC_MASK_X, ONE,
	  TWO_M53_P, 0x0c, 0x3ff0000000000001ULL, 2, 0, true },
	/*
	 * Scaled results (tests/indep/bfp_scaled.py recomputes each row of
	 * this table from the PoP rules with exact fractions).
	 *
	 * max - -max = (2 - 2^-52) 2^1024, exact; * 2^-1536 = (2 - 2^-52)
	 * 2^-512: biased exponent 511 (0x1ff), fraction all ones; cc 2.
	 */
	{ "max - -max, trap (exact)", SDBR, FPC_MASK_O, MAXD, NMAXD, 0x20,
	  0x1fffffffffffffffULL, 2, 0, true },
	/* -max + -max: the same with the sign; cc 1 from the scaled result */
	{ "-max + -max, trap (exact)", ADBR, FPC_MASK_O, NMAXD, NMAXD, 0x20,
	  0x9fffffffffffffffULL, 1, 0, true },
	/*
	 * 2^1023 (1 + 2^-52) * 3.5 = (1.75 + 1.75 ulp) 2^1024 (ulp = 2^-52):
	 * nearest is 1.75 + 2 ulp (incremented, 0x2c); toward zero and
	 * toward -inf 1.75 + 1 ulp (truncated, 0x28); toward +inf 1.75 +
	 * 2 ulp.  * 2^-1536: exponent 0x1ff, fraction 0xc000000000002/1.
	 */
	{ "2^1023 (1 + 2^-52) * 3.5, trap (inexact, incremented)", MDBR,
	  FPC_MASK_O, BIG_P, THREE_HALF, 0x2c, 0x1ffc000000000002ULL,
	  PRESET_CC, 0, true },
	{ "the same toward 0 (truncated)", MDBR, FPC_MASK_O | RM_ZERO, BIG_P,
	  THREE_HALF, 0x28, 0x1ffc000000000001ULL, PRESET_CC, 0, true },
	{ "the same toward +inf (incremented)", MDBR, FPC_MASK_O | RM_UP,
	  BIG_P, THREE_HALF, 0x2c, 0x1ffc000000000002ULL, PRESET_CC, 0, true },
	{ "the same toward -inf (truncated)", MDBR, FPC_MASK_O | RM_DOWN,
	  BIG_P, THREE_HALF, 0x28, 0x1ffc000000000001ULL, PRESET_CC, 0, true },
	/* max / 0.5 = (2 - 2^-52) 2^1024, exact: as max + max */
	{ "max / 0.5, trap (exact)", DDBR, FPC_MASK_O, MAXD, HALF, 0x20,
	  0x1fffffffffffffffULL, PRESET_CC, 0, true },
	/*
	 * Overflow masked, inexact enabled: the default result (infinity
	 * to nearest: larger than the precise value, incremented 0x0c;
	 * max toward zero: truncated 0x08), the overflow flag set, cc 2.
	 */
	{ "max + max, overflow masked, inexact trap (incremented)", ADBR,
	  FPC_MASK_X, MAXD, MAXD, 0x0c, INF, 2, FPC_FLAG_O, true },
	{ "max + max toward 0, overflow masked, inexact trap (truncated)",
	  ADBR, FPC_MASK_X | RM_ZERO, MAXD, MAXD, 0x08, MAXD, 2, FPC_FLAG_O,
	  true },
	/*
	 * 2^-1022 1.75 * 0.5 (1 + 2^-52) = 2^-1023 (1.75 + 1.75 ulp): tiny;
	 * to nearest 1.75 + 2 ulp, incremented (0x1c); * 2^1536: exponent
	 * 513 + 1023 = 0x600.  Masked: the denormalized 2^-1022 (0.875 +
	 * 0.875 * 2^-52) rounds to fraction 0xe000000000001, flags U, X.
	 */
	{ "tiny inexact incremented, trap", MDBR, FPC_MASK_U, MIN_NORMAL_175,
	  HALF_P, 0x1c, 0x600c000000000002ULL, PRESET_CC, 0, true },
	{ "tiny inexact incremented, masked", MDBR, 0, MIN_NORMAL_175, HALF_P,
	  0, 0x000e000000000001ULL, PRESET_CC, FPC_FLAG_U | FPC_FLAG_X, false },
	/*
	 * 2^-1074 + 2^-1074 = 2^-1073, exact and tiny: with the mask on
	 * DXC 0x10 and 2^(1536 - 1073) = 2^463 (exponent 0x5ce); masked
	 * the denormal 2, no flag.
	 */
	{ "denormal + denormal, trap (exact)", ADBR, FPC_MASK_U, MIN_SUB,
	  MIN_SUB, 0x10, 0x5ce0000000000000ULL, 2, 0, true },
	{ "denormal + denormal, masked", ADBR, 0, MIN_SUB, MIN_SUB, 0,
	  0x0000000000000002ULL, 2, 0, false },
	/*
	 * MADBR 0,2,2: 2^600 * 2^600 + 1 = 2^1200 (1 + 2^-1200): rounds to
	 * 2^1200 (truncated, 0x28); * 2^-1536 = 2^-336 (exponent 0x2af).
	 */
	{ "2^600 * 2^600 + 1, trap (inexact, truncated)", MADBR, FPC_MASK_O,
	  ONE, TWO_600, 0x28, 0x2af0000000000000ULL, PRESET_CC, 0, true },
	/*
	 * max + 1 toward +inf: the precise value rounds up to 2^1024, an
	 * overflow (inexact, incremented); * 2^-1536 = 2^-512 (0x1ff).
	 */
	{ "max + 1 toward +inf, trap (inexact, incremented)", ADBR,
	  FPC_MASK_O | RM_UP, MAXD, ONE, 0x2c, 0x1ff0000000000000ULL, 2, 0,
	  true },
	/* ADB (RXE, the second operand in storage): as ADBR max + max */
	{ "max + max, trap (exact)", ADB, FPC_MASK_O, MAXD, MAXD, 0x20,
	  0x1fffffffffffffffULL, 2, 0, true },
	/*
	 * Short: max * 3 = (1.5 - 0.75 ulp) 2^129 (ulp = 2^-23) rounds to
	 * 1.5 - 1 ulp (truncated); * 2^-192 = 2^-63: exponent 64 (0x40),
	 * fraction 0x3fffff: 0x203fffff.
	 */
	{ "short max * 3, trap (inexact, truncated)", MEEBR, FPC_MASK_O, MAXE,
	  THREE_E, 0x28, 0x203fffff00000000ULL, PRESET_CC, 0, true },
	/* 2^-126 / 2 = 2^-127, exact, tiny: * 2^192 = 2^65 (0xc0): 0x60000000 */
	{ "short 2^-126 / 2, trap (tiny, exact)", DEBR, FPC_MASK_U,
	  MIN_NORMAL_E, TWO_E, 0x10, 0x6000000000000000ULL, PRESET_CC, 0, true },
	/* 1 - 2^-30 rounds to 1 (more than the precise value: 0x0c), cc 2 */
	{ "short 1 - 2^-30, trap (inexact, incremented)", SEBR, FPC_MASK_X,
	  ONE_E, TWO_M30_E, 0x0c, ONE_E, 2, 0, true },
	/*
	 * LOAD ROUNDED long to short: the trap result is long, the source
	 * rounded to 24 bits and scaled by 2^-512 or 2^512 (PoO: "Scale
	 * factors" for LOAD ROUNDED): 2^200 -> 2^-312 (exponent 0x2c7);
	 * 2^200 (1 + 2^-52) -> the same, inexact and truncated; 2^-200 ->
	 * 2^312 (exponent 0x537).  Masked: short infinity in the left half,
	 * the right half of FPR 0 kept, flags O, X.
	 */
	{ "2^200, trap (exact)", LEDBR, FPC_MASK_O, ONE, TWO_200, 0x20,
	  0x2c70000000000000ULL, PRESET_CC, 0, true },
	{ "2^200 (1 + 2^-52), trap (inexact, truncated)", LEDBR, FPC_MASK_O,
	  ONE, TWO_200_P, 0x28, 0x2c70000000000000ULL, PRESET_CC, 0, true },
	{ "2^-200, trap (tiny, exact)", LEDBR, FPC_MASK_U, ONE, TWO_M200, 0x10,
	  0x5370000000000000ULL, PRESET_CC, 0, true },
	{ "2^200, masked", LEDBR, 0, 0x3ff0000012345678ULL, TWO_200, 0,
	  0x7f80000012345678ULL, PRESET_CC, FPC_FLAG_O | FPC_FLAG_X, false },
};

/* Extended operands and results: FPRs 0/2 (first) and 4/6 (second). */
enum xop { AXBR, SXBR, MXBR, DXBR };

static const char *const xop_name[] = {
	[AXBR] = "AXBR", [SXBR] = "SXBR", [MXBR] = "MXBR", [DXBR] = "DXBR",
};

struct xbfp_case {
	const char *name;
	enum xop op;
	uint32_t fpc;
	uint64_t a_hi, a_lo, b_hi, b_lo;
	uint8_t dxc;
	uint64_t r_hi, r_lo;
	int cc;
	uint32_t flags;
	bool strict;
};

#define MAXX_HI		0x7ffeffffffffffffULL	/* with lo all ones */
#define ONES		0xffffffffffffffffULL
#define ONE_X_HI	0x3fff000000000000ULL
#define THREE_X_HI	0x4000800000000000ULL
#define HALF_X_HI	0x3ffe000000000000ULL
#define MIN_NORMAL_X_HI	0x0001000000000000ULL	/* 2^-16382 */
#define TWO_M200_X_HI	0x3f37000000000000ULL

static const struct xbfp_case xcases[] = {
	/*
	 * max + max = (2 - 2^-112) 2^16384, exact; * 2^-24576 = 2^-8192
	 * (2 - 2^-112): exponent 8191 (0x1fff), fraction all ones; cc 2.
	 * Masked: infinity, flags O, X.
	 */
	{ "max + max, trap (exact)", AXBR, FPC_MASK_O, MAXX_HI, ONES, MAXX_HI,
	  ONES, 0x20, 0x1fffffffffffffffULL, ONES, 2, 0, true },
	{ "max + max, masked", AXBR, 0, MAXX_HI, ONES, MAXX_HI, ONES, 0,
	  0x7fff000000000000ULL, 0, 2, FPC_FLAG_O | FPC_FLAG_X, false },
	/*
	 * max * 3 = (1.5 - 0.75 ulp) 2^16385 (ulp = 2^-112): 1.5 - 1 ulp,
	 * truncated; * 2^-24576 = 2^-8191: exponent 0x2000, fraction
	 * 0x7fff...f (112 bits).
	 */
	{ "max * 3, trap (inexact, truncated)", MXBR, FPC_MASK_O, MAXX_HI,
	  ONES, THREE_X_HI, 0, 0x28, 0x20007fffffffffffULL, ONES, PRESET_CC, 0,
	  true },
	/* 2^-16382 * 0.5 = 2^-16383, exact, tiny; * 2^24576 = 2^8193 (0x6000) */
	{ "2^-16382 * 0.5, trap (tiny, exact)", MXBR, FPC_MASK_U,
	  MIN_NORMAL_X_HI, 0, HALF_X_HI, 0, 0x10, 0x6000000000000000ULL, 0,
	  PRESET_CC, 0, true },
	/*
	 * 2^-16382 / 3: tiny, inexact; * 2^24576 = 2^8192 (4 / 3): fraction
	 * 0101... cut after 112 bits (the rest is 1/3 ulp: truncated);
	 * exponent 8192 + 16383 = 0x5fff.
	 */
	{ "2^-16382 / 3, trap (tiny, inexact, truncated)", DXBR, FPC_MASK_U,
	  MIN_NORMAL_X_HI, 0, THREE_X_HI, 0, 0x18, 0x5fff555555555555ULL,
	  0x5555555555555555ULL, PRESET_CC, 0, true },
	/*
	 * max + 1 toward +inf rounds up to 2^16384: overflow, inexact,
	 * incremented; * 2^-24576 = 2^-8192 (exponent 0x1fff).  Scaled,
	 * the 1 is far below the last bit of max (only its sign counts).
	 */
	{ "max + 1 toward +inf, trap (inexact, incremented)", AXBR,
	  FPC_MASK_O | RM_UP, MAXX_HI, ONES, ONE_X_HI, 0, 0x2c,
	  0x1fff000000000000ULL, 0, 2, 0, true },
	/* 1 - 2^-200 rounds to 1: inexact, incremented, cc 2 */
	{ "1 - 2^-200, trap (inexact, incremented)", SXBR, FPC_MASK_X,
	  ONE_X_HI, 0, TWO_M200_X_HI, 0, 0x0c, ONE_X_HI, 0, 2, 0, true },
};

/*
 * One instruction with FPR 0 = @op1, FPR 2 = @op2, the FPC = @fpc and
 * condition code PRESET_CC; FPR 0 afterwards in *@res, the condition
 * code in *@cc.  The old PSW is expected at at_spot.next.
 */
#define BFP_RUN(insn) BFP_RUN_T(insn " 0,2")
#define BFP_RUN_T(text)							\
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\tsfpc %[f]\n\tspm %[pm]\n\t" \
		     AT_PRE text AT_POST				\
		     "ipm %[c]\n\tstd 0,%[r]"				\
		     : [r] "=Q"(*res), [c] "=&d"(ccr)			\
		     : [a] "Q"(op1), [b] "Q"(op2), [f] "d"(fpc),		\
		       [pm] "d"(SPM_CC(PRESET_CC))			\
		     : "r1", "cc", "memory")

static unsigned int bfp_run(enum op op, uint32_t fpc, uint64_t op1,
			    uint64_t op2, uint64_t *res)
{
	uint64_t ccr = 0;

	go();
	switch (op) {
	case ADBR:
		BFP_RUN("adbr");
		break;
	case DDBR:
		BFP_RUN("ddbr");
		break;
	case MDBR:
		BFP_RUN("mdbr");
		break;
	case SQDBR:
		BFP_RUN("sqdbr");
		break;
	case KDBR:
		BFP_RUN("kdbr");
		break;
	case CDBR:
		BFP_RUN("cdbr");
		break;
	case AEBR:
		BFP_RUN("aebr");
		break;
	case SDBR:
		BFP_RUN("sdbr");
		break;
	case MEEBR:
		BFP_RUN("meebr");
		break;
	case DEBR:
		BFP_RUN("debr");
		break;
	case SEBR:
		BFP_RUN("sebr");
		break;
	case LEDBR:
		BFP_RUN("ledbr");
		break;
	case MADBR:
		BFP_RUN_T("madbr 0,2,2");
		break;
	case ADB:
		BFP_RUN_T("adb 0,%[b]");
		break;
	}
	at_supervisor();
	return (unsigned int)(ccr >> 28) & 3;
}

static void one(const struct bfp_case *c)
{
	char name[80];
	uint64_t res = 0;
	unsigned int cc;
	uint32_t fpc;

	boot_snprintf(name, sizeof(name), "%s %s", op_name[c->op], c->name);
	LC_U8(LC_DXC) = 0xaa;
	cc = bfp_run(c->op, c->fpc, c->op1, c->op2, &res);
	fpc = efpc();
	if (c->dxc) {
		/* ADB is RXE: 6 bytes */
		expect_pgm(w(name), PGM_DATA, c->op == ADB ? 6 : 4,
			   at_spot.next, 0);
		GT_EQ(lc_dxc(), c->dxc, w("DXC at 0x93"));
	} else {
		at_supervisor();
		at_expect_none(w(name));
	}
	gt_check(res == c->result, "%s: FPR 0 0x%llx, want 0x%llx", w(name),
		 (unsigned long long)res, (unsigned long long)c->result);
	gt_check(cc == (unsigned int)c->cc, "%s: cc %u, want %d", w(name), cc,
		 c->cc);
	gt_check(fpc == (c->fpc | c->flags | ((uint32_t)c->dxc << 8)),
		 "%s: FPC 0x%08x, want 0x%08x", w(name), fpc,
		 c->fpc | c->flags | ((uint32_t)c->dxc << 8));
}

/* One extended case: FPRs 0/2 op 4/6 into 0/2. */
static void xone(const struct xbfp_case *c)
{
	uint64_t a[2] = { c->a_hi, c->a_lo }, b[2] = { c->b_hi, c->b_lo };
	uint64_t r[2] = { 0, 0 }, ccr = 0;
	uint32_t fpc = c->fpc, want;
	char name[80];
	unsigned int cc;

	boot_snprintf(name, sizeof(name), "%s %s", xop_name[c->op], c->name);
	LC_U8(LC_DXC) = 0xaa;
	go();
#define XBFP_RUN(insn)							\
	asm volatile("ld 0,%[a0]\n\tld 2,%[a1]\n\tld 4,%[b0]\n\t"	\
		     "ld 6,%[b1]\n\tsfpc %[f]\n\tspm %[pm]\n\t"	\
		     AT_PRE insn " 0,4" AT_POST				\
		     "ipm %[c]\n\tstd 0,%[r0]\n\tstd 2,%[r1]"		\
		     : [r0] "=Q"(r[0]), [r1] "=Q"(r[1]), [c] "=&d"(ccr)	\
		     : [a0] "Q"(a[0]), [a1] "Q"(a[1]), [b0] "Q"(b[0]),	\
		       [b1] "Q"(b[1]), [f] "d"(fpc),			\
		       [pm] "d"(SPM_CC(PRESET_CC))			\
		     : "r1", "cc", "memory")
	switch (c->op) {
	case AXBR:
		XBFP_RUN("axbr");
		break;
	case SXBR:
		XBFP_RUN("sxbr");
		break;
	case MXBR:
		XBFP_RUN("mxbr");
		break;
	case DXBR:
		XBFP_RUN("dxbr");
		break;
	}
#undef XBFP_RUN
	at_supervisor();
	cc = (unsigned int)(ccr >> 28) & 3;
	fpc = efpc();
	if (c->dxc) {
		expect_pgm(w(name), PGM_DATA, 4, at_spot.next, 0);
		GT_EQ(lc_dxc(), c->dxc, w("DXC at 0x93"));
	} else {
		at_expect_none(w(name));
	}
	gt_check(r[0] == c->r_hi && r[1] == c->r_lo,
		 "%s: FPR 0/2 0x%llx %llx, want 0x%llx %llx", w(name),
		 (unsigned long long)r[0], (unsigned long long)r[1],
		 (unsigned long long)c->r_hi, (unsigned long long)c->r_lo);
	gt_check(cc == (unsigned int)c->cc, "%s: cc %u, want %d", w(name), cc,
		 c->cc);
	want = c->fpc | c->flags | ((uint32_t)c->dxc << 8);
	gt_check(fpc == want, "%s: FPC 0x%08x, want 0x%08x", w(name), fpc,
		 want);
}

/*
 * EXECUTE and EXECUTE RELATIVE LONG of a BFP instruction that traps: the
 * ILC (4, 6) and the old PSW are those of the EXECUTE (POP chapter 7,
 * "EXECUTE"; chapter 6, "Instruction-Length Code").
 */
static void execute(void)
{
	uint64_t res = 0, ccr = 0;
	uint64_t op1 = INF, op2 = NINF;
	uint32_t fpc = FPC_MASK_I;

	go();
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\tsfpc %[f]\n\tspm %[pm]\n\t"
		     "larl %%r2,2f\n\t" AT_PRE "ex 0,0(%%r2)" AT_POST
		     "ipm %[c]\n\tstd 0,%[r]\n\tj 3f\n2:\tadbr 0,2\n3:"
		     : [r] "=Q"(res), [c] "=&d"(ccr)
		     : [a] "Q"(op1), [b] "Q"(op2), [f] "d"(fpc),
		       [pm] "d"(SPM_CC(PRESET_CC))
		     : "r1", "r2", "cc", "memory");
	at_supervisor();
	expect_pgm(w("EX of ADBR inf + -inf, trap"), PGM_DATA, 4, at_spot.next,
		   0);
	GT_EQ(lc_dxc(), 0x80, w("EX of ADBR: DXC"));
	GT_EQ(res, INF, w("EX of ADBR: suppressed"));
	GT_EQ((ccr >> 28) & 3, PRESET_CC, w("EX of ADBR: cc unchanged"));

	op1 = ONE;
	op2 = 0;
	fpc = FPC_MASK_Z;
	go();
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\tsfpc %[f]\n\t"
		     AT_PRE "exrl 0,2f" AT_POST
		     "std 0,%[r]\n\tj 3f\n2:\tddbr 0,2\n3:"
		     : [r] "=Q"(res)
		     : [a] "Q"(op1), [b] "Q"(op2), [f] "d"(fpc)
		     : "r1", "cc", "memory");
	at_supervisor();
	expect_pgm(w("EXRL of DDBR 1 / 0, trap"), PGM_DATA, 6, at_spot.next,
		   0);
	GT_EQ(lc_dxc(), 0x40, w("EXRL of DDBR: DXC"));
	GT_EQ(res, ONE, w("EXRL of DDBR: suppressed"));

	if (!A_FP_STRICT)
		return;
	/* A completing trap through EXECUTE: the result is delivered. */
	op1 = TWO_M60;
	op2 = ONE;
	fpc = FPC_MASK_X;
	go();
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\tsfpc %[f]\n\t"
		     "larl %%r2,2f\n\t" AT_PRE "ex 0,0(%%r2)" AT_POST
		     "ipm %[c]\n\tstd 0,%[r]\n\tj 3f\n2:\tadbr 0,2\n3:"
		     : [r] "=Q"(res), [c] "=&d"(ccr)
		     : [a] "Q"(op1), [b] "Q"(op2), [f] "d"(fpc)
		     : "r1", "r2", "cc", "memory");
	at_supervisor();
	expect_pgm(w("EX of ADBR 2^-60 + 1, inexact trap"), PGM_DATA, 4,
		   at_spot.next, 0);
	GT_EQ(lc_dxc(), 0x08, w("EX of ADBR inexact: DXC"));
	GT_EQ(res, ONE, w("EX of ADBR inexact: result"));
	GT_EQ((ccr >> 28) & 3, 2, w("EX of ADBR inexact: cc"));

	/*
	 * EXRL of an ADBR whose overflow trap completes: the SFPC that
	 * turns the mask on is in the same block; ILC 6, the scaled result
	 * (max + max * 2^-1536), cc 2, no overflow flag.
	 */
	op1 = MAXD;
	op2 = MAXD;
	fpc = FPC_MASK_O;
	go();
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\tsfpc %[f]\n\t"
		     AT_PRE "exrl 0,2f" AT_POST
		     "ipm %[c]\n\tstd 0,%[r]\n\tj 3f\n2:\tadbr 0,2\n3:"
		     : [r] "=Q"(res), [c] "=&d"(ccr)
		     : [a] "Q"(op1), [b] "Q"(op2), [f] "d"(fpc)
		     : "r1", "cc", "memory");
	at_supervisor();
	expect_pgm(w("EXRL of ADBR max + max, overflow trap"), PGM_DATA, 6,
		   at_spot.next, 0);
	GT_EQ(lc_dxc(), 0x20, w("EXRL of ADBR overflow: DXC"));
	GT_EQ(res, 0x1fffffffffffffffULL, w("EXRL of ADBR overflow: result"));
	GT_EQ((ccr >> 28) & 3, 2, w("EXRL of ADBR overflow: cc"));
	GT_EQ(efpc(), FPC_MASK_O | 0x2000, w("EXRL of ADBR overflow: FPC"));

	/*
	 * EX of an SFPC that turns the inexact mask on (after an SFPC that
	 * turned every mask off), the ADBR right after it in the same
	 * block: 2^-60 + 1 traps, DXC 0x08, the rounded result, cc 2.
	 */
	op1 = TWO_M60;
	op2 = ONE;
	fpc = FPC_MASK_X;
	go();
	asm volatile("ld 0,%[a]\n\tld 2,%[b]\n\tsfpc %[z]\n\t"
		     "larl %%r2,2f\n\tex 0,0(%%r2)\n\t"
		     AT_PRE "adbr 0,2" AT_POST
		     "ipm %[c]\n\tstd 0,%[r]\n\tj 3f\n2:\tsfpc %[f]\n3:"
		     : [r] "=Q"(res), [c] "=&d"(ccr)
		     : [a] "Q"(op1), [b] "Q"(op2), [f] "d"(fpc), [z] "d"(0)
		     : "r1", "r2", "cc", "memory");
	at_supervisor();
	expect_pgm(w("ADBR after EX of SFPC, inexact trap"), PGM_DATA, 4,
		   at_spot.next, 0);
	GT_EQ(lc_dxc(), 0x08, w("ADBR after EX of SFPC: DXC"));
	GT_EQ(res, ONE, w("ADBR after EX of SFPC: result"));
	GT_EQ((ccr >> 28) & 3, 2, w("ADBR after EX of SFPC: cc"));
}

/*
 * Other instructions that trap after completing, each with FPRs 0, 2, 4,
 * 6 and GR 3 set, FPRs 0 and 2 checked afterwards (values derived next
 * to each row).
 */
enum other { O_CEGBR, O_FIDBR, O_LDXBR, O_MAEBR, O_MSDBR };

static const struct other_case {
	const char *name;
	enum other op;
	uint32_t fpc;
	uint64_t f0, f2, f4, f6, r3;
	uint8_t dxc;
	uint64_t want0, want2;
} others_tab[] = {
	/* 2^24 + 3 to short: halfway between 2^24 + 2 and + 4, to even:
	 * 2^24 + 4 (0x4b800002), incremented */
	{ "CEGBR 0,3 of 2^24 + 3, inexact trap", O_CEGBR, FPC_MASK_X, ONE, 0,
	  0, 0, (1 << 24) + 3, 0x0c, 0x4b80000200000000ULL, 0 },
	/* 3.5 to an integer, to nearest even: 4 (incremented) */
	{ "FIDBR 0,0,2 of 3.5, inexact trap", O_FIDBR, FPC_MASK_X, 0,
	  THREE_HALF, 0, 0, 0, 0x0c, 0x4010000000000000ULL, THREE_HALF },
	/* extended 2^2000 to long overflows, exact: the trap result is
	 * extended, 2^2000 * 2^-8192 = 2^-6192 (exponent 0x27cf) */
	{ "LDXBR 0,4 of 2^2000, overflow trap", O_LDXBR, FPC_MASK_O, 0, 0,
	  0x47cf000000000000ULL, 0, 0, 0x20, 0x27cf000000000000ULL, 0 },
	/* short 2^100 * 2^100 + 1 = 2^200 (1 + 2^-200): truncated to 2^200;
	 * * 2^-192 = 2^8 (0x43800000) */
	{ "MAEBR 0,2,2 of 2^100 * 2^100 + 1, overflow trap", O_MAEBR,
	  FPC_MASK_O, ONE_E, 0x7180000000000000ULL, 0, 0, 0, 0x28,
	  0x4380000000000000ULL, 0x7180000000000000ULL },
	/* 2^600 * 2^600 - 1 rounds up to 2^1200 (incremented); * 2^-1536
	 * = 2^-336 (0x2af) */
	{ "MSDBR 0,2,2 of 2^600 * 2^600 - 1, overflow trap", O_MSDBR,
	  FPC_MASK_O, ONE, TWO_600, 0, 0, 0, 0x2c, 0x2af0000000000000ULL,
	  TWO_600 },
};

static void other(const struct other_case *c)
{
	uint64_t f[4] = { c->f0, c->f2, c->f4, c->f6 }, r[2] = { 0, 0 };
	uint32_t fpc = c->fpc;

	LC_U8(LC_DXC) = 0xaa;
	go();
#define OTHER_RUN(text)							\
	asm volatile("ld 0,%[f0]\n\tld 2,%[f1]\n\tld 4,%[f2]\n\t"	\
		     "ld 6,%[f3]\n\tlgr %%r3,%[g]\n\tsfpc %[f]\n\t"	\
		     AT_PRE text AT_POST "std 0,%[r0]\n\tstd 2,%[r1]"	\
		     : [r0] "=Q"(r[0]), [r1] "=Q"(r[1])			\
		     : [f0] "Q"(f[0]), [f1] "Q"(f[1]), [f2] "Q"(f[2]),	\
		       [f3] "Q"(f[3]), [g] "d"(c->r3), [f] "d"(fpc)	\
		     : "r1", "r3", "cc", "memory")
	switch (c->op) {
	case O_CEGBR:
		OTHER_RUN("cegbr 0,3");
		break;
	case O_FIDBR:
		OTHER_RUN("fidbr 0,0,2");
		break;
	case O_LDXBR:
		OTHER_RUN("ldxbr 0,4");
		break;
	case O_MAEBR:
		OTHER_RUN("maebr 0,2,2");
		break;
	case O_MSDBR:
		OTHER_RUN("msdbr 0,2,2");
		break;
	}
#undef OTHER_RUN
	at_supervisor();
	expect_pgm(w(c->name), PGM_DATA, 4, at_spot.next, 0);
	GT_EQ(lc_dxc(), c->dxc, w(c->name));
	gt_check(r[0] == c->want0 && r[1] == c->want2,
		 "%s: FPR 0, 2 0x%llx 0x%llx, want 0x%llx 0x%llx", w(c->name),
		 (unsigned long long)r[0], (unsigned long long)r[1],
		 (unsigned long long)c->want0, (unsigned long long)c->want2);
	GT_EQ(efpc(), c->fpc | (uint32_t)c->dxc << 8, w(c->name));
}

/*
 * CR0 bit 45 zero: LDR 1,0 (DXC 1), LD 3 (DXC 1), ADBR 0,2 (DXC 2), all
 * suppressed; the DXC goes to 0x93 only, the FPC keeps its DXC byte.
 */
static void afp_off(void)
{
	uint64_t v = ONE, f1, f3;

	sfpc(0x00005500);
	FPR_SET(1, 0x1111111111111111ULL);
	FPR_SET(3, 0x3333333333333333ULL);
	FPR_SET(0, ONE);
	FPR_SET(2, ONE);
	afp(false);
	LC_U8(LC_DXC) = 0xaa;
	go();
	asm volatile(AT_PRE "ldr 1,0" AT_POST : : : "r1", "memory");
	at_supervisor();
	expect_pgm(w("LDR 1,0 with AFP off"), PGM_DATA, 2, at_spot.next, 0);
	GT_EQ(lc_dxc(), 1, w("LDR 1,0 with AFP off: DXC"));
	LC_U8(LC_DXC) = 0xaa;
	go();
	asm volatile(AT_PRE "ld 3,%[v]" AT_POST : : [v] "Q"(v)
		     : "r1", "memory");
	at_supervisor();
	expect_pgm(w("LD 3 with AFP off"), PGM_DATA, 4, at_spot.next, 0);
	GT_EQ(lc_dxc(), 1, w("LD 3 with AFP off: DXC"));
	LC_U8(LC_DXC) = 0xaa;
	go();
	asm volatile(AT_PRE "adbr 0,2" AT_POST : : : "r1", "cc", "memory");
	at_supervisor();
	expect_pgm(w("ADBR with AFP off"), PGM_DATA, 4, at_spot.next, 0);
	GT_EQ(lc_dxc(), 2, w("ADBR with AFP off: DXC"));
	/* HFP loads of FPRs 0, 2, 4, 6 need no AFP. */
	go();
	asm volatile(AT_PRE "ldr 4,0" AT_POST : : : "r1", "memory");
	at_supervisor();
	at_expect_none(w("LDR 4,0 with AFP off"));
	afp(true);
	f1 = FPR_GET(1);
	f3 = FPR_GET(3);
	GT_EQ(f1, 0x1111111111111111ULL, w("LDR 1,0 suppressed"));
	GT_EQ(f3, 0x3333333333333333ULL, w("LD 3 suppressed"));
	GT_EQ(FPR_GET(0), ONE, w("ADBR suppressed"));
	GT_EQ(FPR_GET(4), ONE, w("LDR 4,0 with AFP off loaded"));
	GT_EQ(efpc(), 0x00005500, w("FPC unchanged with AFP off"));
}

static void all(void)
{
	afp(true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!cases[i].strict || A_FP_STRICT)
			one(&cases[i]);
	for (size_t i = 0; i < sizeof(xcases) / sizeof(xcases[0]); i++)
		if (!xcases[i].strict || A_FP_STRICT)
			xone(&xcases[i]);
	for (size_t i = 0; A_FP_STRICT && i < sizeof(others_tab) /
						 sizeof(others_tab[0]); i++)
		other(&others_tab[i]);
	execute();
	afp_off();
	sfpc(0);
}

void gt_main(void)
{
	for_each_mode(all);
}
