/* SPDX-License-Identifier: MIT */
/*
 * Shared by the floating-point and decimal architecture programs
 * (a_fp.c, a_fp_hfp.c, a_fp_vec.c, a_dec.c): the mode loop of at.h, the
 * FPC and the floating-point registers, the PSW program mask and
 * condition code, and one check of a program interruption that also
 * looks at the old PSW's state bits.
 *
 * Registers and the FPC are reached with explicit register numbers in
 * assembler only: the programs are built with -msoft-float.
 */
#ifndef A_FP_H
#define A_FP_H

#include "at.h"

/* Program-interruption codes at.h does not name (POP chapter 6). */
#define PGM_VECTOR_PROCESSING	0x1b

/* FPC (POP chapter 9, "Floating-Point-Control (FPC) Register"). */
#define FPC_MASK_I	0x80000000U	/* IEEE invalid operation */
#define FPC_MASK_Z	0x40000000U	/* division by zero */
#define FPC_MASK_O	0x20000000U	/* overflow */
#define FPC_MASK_U	0x10000000U	/* underflow */
#define FPC_MASK_X	0x08000000U	/* inexact */
#define FPC_FLAG_I	0x00800000U
#define FPC_FLAG_Z	0x00400000U
#define FPC_FLAG_O	0x00200000U
#define FPC_FLAG_U	0x00100000U
#define FPC_FLAG_X	0x00080000U
#define FPC_DXC(f)	(((f) >> 8) & 0xff)

/* CR0 bit 46: vector enablement (POP chapter 4, "Control Registers"). */
#define CR0_VECTOR	0x0000000000020000ULL

/* PSW program mask as SET PROGRAM MASK takes it (R1 bits 36-39). */
#define SPM_FIXP	0x08000000ULL	/* PSW bit 20 */
#define SPM_DEC		0x04000000ULL	/* PSW bit 21 */
#define SPM_HFP_UF	0x02000000ULL	/* PSW bit 22 */
#define SPM_HFP_SIG	0x01000000ULL	/* PSW bit 23 */
#define SPM_CC(cc)	((uint64_t)(cc) << 28)	/* R1 bits 34-35 */

/* The condition code a test sets before the instruction: a suppressed
 * instruction and one that sets no code must leave it alone. */
#define PRESET_CC	1

static enum at_mode mode;
static char what_buf[128];

/* @s with the mode appended, for the messages. */
static inline const char *w(const char *s)
{
	boot_snprintf(what_buf, sizeof(what_buf), "%s (%s)", s,
		      at_mode_name[mode]);
	return what_buf;
}

static inline bool problem(void)
{
	return mode == AT_PROBLEM || mode == AT_DAT_PROBLEM;
}

static inline bool dat(void)
{
	return mode == AT_DAT || mode == AT_DAT_PROBLEM;
}

/*
 * Forget earlier interruptions; problem state where the mode wants it.
 * DAT is switched on again where the mode has it: printing a failed check
 * waits for the SCLP in a PSW without DAT (boot/lib's boot_ext_wait).
 */
static inline void go(void)
{
	at_reset_pgm();
	if (dat())
		at_dat_on();
	if (problem())
		at_pstate();
}

static inline uint32_t efpc(void)
{
	uint32_t f;

	asm volatile("efpc %0" : "=d"(f));
	return f;
}

static inline void sfpc(uint32_t f)
{
	asm volatile("sfpc %0" : : "d"(f));
}

/* FPR @n (a constant) from and to memory. */
#define FPR_SET(n, v) ({						\
	uint64_t __v = (v);						\
	asm volatile("ld %c1,%0" : : "Q"(__v), "i"(n) : "memory");	\
})
#define FPR_GET(n) ({							\
	uint64_t __v;							\
	asm volatile("std %c1,%0" : "=Q"(__v) : "i"(n) : "memory");	\
	__v;								\
})

/* Old PSW's condition code of the last program interruption. */
static inline unsigned int old_cc(void)
{
	return (unsigned int)(gt_pgm.old_mask >> 44) & 3;
}

/*
 * expect_pgm() - at_expect() plus the state bits of the old PSW: problem
 * state and DAT as the mode has them (POP chapter 6: the old PSW is the
 * PSW of the interrupted program) and @pm, the program mask (bits
 * 20-23) the instruction ran under.
 */
static inline bool expect_pgm(const char *what, uint16_t code,
			      unsigned int ilc, uint64_t addr, uint64_t pm)
{
	uint64_t m = gt_pgm.old_mask;
	bool ok = true;

	if (gt_pgm.count == 1) {
		ok &= gt_check(!!(m & PSW_PROBLEM) == problem(),
			       "%s: old PSW mask 0x%llx, problem state %s", what,
			       (unsigned long long)m, problem() ? "off" : "on");
		ok &= gt_check(!!(m & PSW_DAT) == dat(),
			       "%s: old PSW mask 0x%llx, DAT %s", what,
			       (unsigned long long)m, dat() ? "off" : "on");
		ok &= gt_check(((m >> 40) & 0xf) == ((pm >> 24) & 0xf),
			       "%s: old PSW program mask %llx, want %llx",
			       what, (unsigned long long)((m >> 40) & 0xf),
			       (unsigned long long)((pm >> 24) & 0xf));
	}
	return at_expect(what, code, ilc, addr) && ok;
}

/* The data-exception code in the lowcore (POP chapter 3: byte 0x93). */
static inline uint8_t lc_dxc(void)
{
	return LC_U8(LC_DXC);
}

/* Switch the AFP-register control (CR0 bit 45) on or off. */
static inline void afp(bool on)
{
	uint64_t cr0 = AT_STCTG(0);

	AT_LCTLG(0, on ? cr0 | CR0_AFP : cr0 & ~CR0_AFP);
}

/* for_each_mode() - @fn once in each mode of at.h (DAT maps 1 MiB 1:1). */
static inline void for_each_mode(void (*fn)(void))
{
#ifdef A_HERCULES	/* hand runs on Hercules (tests/README.md): line mode */
	sclp_console_setup(SCLP_CONS_ASCII | SCLP_CONS_LINEMODE);
#endif
	at_dat_identity(1);
	for (mode = 0; mode < AT_MODES; mode++) {
		boot_printf("%s: %s\n", gt_name, at_mode_name[mode]);
		at_enter(mode);
		at_supervisor();	/* each case enters problem state */
		fn();
		at_leave();
	}
}

#endif
