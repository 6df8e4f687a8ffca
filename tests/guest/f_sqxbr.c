// SPDX-License-Identifier: MIT
/*
 * Reproducer: SQUARE ROOT (extended BFP), SQXBR, crashes libunicorn
 * 2.0.1's translator (issue 14), from any state, problem state included.
 *
 * QEMU 5.0's s390x translator declares SQXBR (0xB316) with the output
 * preparation "new", which allocates only o->out, but its 128-bit result
 * needs o->out2 as well: op_sqxb loads the low half into o->out2 and the
 * writer x1 copies it to the second register of the pair, both on a null
 * TCGv.  tcg_optimize() then indexes its bitmap with the "temporary" at
 * offset 0 of the TCGContext, as for SET CLOCK (f_sck.c): SIGSEGV while
 * the block is translated.  The translator only gets that far when the
 * AFP-register control (CR0 bit 45) is on; without it SQXBR is a data
 * exception (DXC 2) and nothing happens.  SQXBR is not privileged, so a
 * guest's user program can do it.  (QEMU fixed it in 5.1 with new_P.)
 *
 * gt_parms variant: 0 SQXBR, 1 SQXBR in problem state, 2 EX of SQXBR,
 * 3 SQXBR with AFP off.  Without the crash: the square root of 4 is 2
 * (0-2), a data exception with DXC 2 (3).  Variant 0 then checks the IEEE
 * rules (PoO chapter 19): sqrt(2) inexact, masked (flag) and trapped
 * (completes, DXC 0x08: the nearest value is the truncated one); sqrt(-4)
 * invalid, masked (default NaN, flag) and trapped (suppressed, DXC 0x80).
 * The expected bits: sqrt(2) to 113 bits by hand (Python decimal), the
 * same as QEMU 7.2 TCG gives.
 */
#include "at.h"

const char gt_name[] = "F-SQXBR";

static uint64_t four[2] __aligned(16) = { 0x4001000000000000ULL, 0 };
static uint64_t root[2] __aligned(16);

#define SQXBR ".insn rre,0xb3160000,0,4"

#define FPC_MASK_I 0x80000000U
#define FPC_MASK_X 0x08000000U
#define FPC_FLAG_I 0x00800000U
#define FPC_FLAG_X 0x00080000U

struct ieee_case {
	const char *name;
	uint64_t in_hi;
	uint32_t fpc;
	uint64_t out_hi, out_lo;
	uint32_t fpc_after;	/* flags and DXC byte */
	uint8_t dxc;
};

#define SQRT2_HI 0x3fff6a09e667f3bcULL
#define SQRT2_LO 0xc908b2fb1366ea95ULL
#define PRESET 0x1234567812345678ULL

static const struct ieee_case ieee[] = {
	{ "sqrt(2), masked", 0x4000000000000000ULL, 0, SQRT2_HI, SQRT2_LO,
	  FPC_FLAG_X, 0 },
	{ "sqrt(2), trap", 0x4000000000000000ULL, FPC_MASK_X, SQRT2_HI,
	  SQRT2_LO, 0x0800, 0x08 },
	{ "sqrt(-4), masked", 0xc001000000000000ULL, 0, 0x7fff800000000000ULL,
	  0, FPC_FLAG_I, 0 },
	{ "sqrt(-4), trap", 0xc001000000000000ULL, FPC_MASK_I, PRESET, PRESET,
	  0x8000, 0x80 },
};

static void ieee_one(const struct ieee_case *c)
{
	uint64_t in[2] = { c->in_hi, 0 }, out[2] = { PRESET, PRESET };
	uint32_t fpc = c->fpc;

	at_reset_pgm();
	LC_U8(LC_DXC) = 0xaa;
	asm volatile("ld 4,0(%[i])\n\tld 6,8(%[i])\n\t"
		     "ld 0,0(%[o])\n\tld 2,8(%[o])\n\tsfpc %[f]\n\t"
		     AT_PRE_RESUME SQXBR AT_POST
		     "std 0,0(%[o])\n\tstd 2,8(%[o])\n\tefpc %[f]\n\t"
		     "lhi %%r0,0\n\tsfpc %%r0"
		     : [f] "+d"(fpc)
		     : [i] "a"(in), [o] "a"(out)
		     : "r0", "r1", "cc", "memory");
	if (c->dxc) {
		gt_check(at_expect(c->name, PGM_DATA, 4, at_spot.next), "%s",
			 c->name);
		GT_EQ(LC_U8(LC_DXC), c->dxc, c->name);
	} else {
		at_expect_none(c->name);
	}
	GT_EQ(out[0], c->out_hi, c->name);
	GT_EQ(out[1], c->out_lo, c->name);
	GT_EQ(fpc, c->fpc | c->fpc_after, c->name);
}

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();
	uint64_t v = p ? p->variant : 0, cr0 = AT_STCTG(0);

	boot_printf("%s: variant %llu\n", gt_name, (unsigned long long)v);
	if (v != 3)
		AT_LCTLG(0, cr0 | CR0_AFP);
	at_reset_pgm();
	asm volatile("ld 4,0(%[s])\n\tld 6,8(%[s])" : : [s] "a"(four)
		     : "memory");
	if (v == 1)
		at_pstate();
	switch (v) {
	case 2:
		asm volatile("larl %%r1,1f\n\tex %%r0,0(%%r1)\n\tj 2f\n"
			     "1:\t" SQXBR "\n2:\n" : : : "r1", "cc", "memory");
		break;
	case 3:
		asm volatile(AT_PRE_RESUME SQXBR AT_POST
			     : : : "r1", "cc", "memory");
		break;
	default:
		asm volatile(SQXBR : : : "cc", "memory");
		break;
	}
	at_supervisor();
	AT_LCTLG(0, cr0 | CR0_AFP);
	asm volatile("std 0,0(%[d])\n\tstd 2,8(%[d])" : : [d] "a"(root)
		     : "memory");
	AT_LCTLG(0, cr0);
	if (v == 3) {
		GT_EQ(gt_pgm.code, PGM_DATA, "SQXBR with AFP off");
		GT_EQ(LC_U8(LC_DXC), 2, "data-exception code");
		at_reset_pgm();
		return;
	}
	at_expect_none("SQXBR");
	GT_EQ(root[0], 0x4000000000000000ULL, "sqrt(4) high half");
	GT_EQ(root[1], 0, "sqrt(4) low half");
	if (v != 0)
		return;
	AT_LCTLG(0, cr0 | CR0_AFP);
	for (unsigned int i = 0; i < sizeof(ieee) / sizeof(ieee[0]); i++)
		ieee_one(&ieee[i]);
	AT_LCTLG(0, cr0);
}
