/* SPDX-License-Identifier: MIT */
/*
 * Assembler macros shared by the entry code of every program.
 */
#ifndef BOOT_HEAD_H
#define BOOT_HEAD_H

#include "layout.h"

#ifdef __ASSEMBLER__

/*
 * Switch to z/Architecture (SIGP set-architecture, parameter 1) and
 * 64-bit addressing.  Written with ESA/390 instructions up to the SIGP so
 * it also works when entered in 31-bit mode by a plain IPL.
 */
.macro	BOOT_SET_ARCH
	sr	%r0,%r0			/* CPU address 0 (ignored) */
	lhi	%r1,1			/* z/Architecture */
	sigp	%r1,%r0,0x12		/* set architecture */
	sam64
.endm

/*
 * Stack at STACK_ADDRESS, zero __bss_start..__bss_end, call \main (which
 * does not return; if it does, disabled wait 0xdead).
 */
.macro	BOOT_START_C main
	llilf	%r15,STACK_INIT
	larl	%r2,__bss_start
	larl	%r3,__bss_end
	sgr	%r3,%r2
	lghi	%r4,0
	lghi	%r5,0
0:	mvcle	%r2,%r4,0
	jo	0b
	brasl	%r14,\main
	llill	%r2,0xdead
	brasl	%r14,boot_disabled_wait
.endm

#endif
#endif
