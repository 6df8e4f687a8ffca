/* SPDX-License-Identifier: MIT */
/*
 * Guest test programs: IPL PSW, entry, the recording program-check handler,
 * the reset-resume entry and DIAG helpers that need exact registers.
 * Lowcore scratch: 0x300-0x37f (program handler), 0x380-0x3ff (resume).
 */
#include "head.h"

	.section .ipl_psw,"a",@progbits
	.quad	0x0008000180010000	/* short PSW: 64-bit, 0x10000 */

	.section .head,"ax",@progbits
	.globl	_start
_start:					/* 0x10000 */
	BOOT_SET_ARCH
	BOOT_START_C gt_entry

	/*
	 * Linux parameter area: stage3b writes the initrd location here and
	 * the command line to 0x10480 when the program is an SE kernel.
	 */
	.section .parmarea,"a",@progbits
	.quad	0			/* 0x10400 */
	.quad	0			/* 0x10408 initrd start */
	.quad	0			/* 0x10410 initrd size */
	.quad	0, 0, 0			/* 0x10418 */
	.quad	LEGACY_COMMAND_LINE_SIZE	/* 0x10430 */

	.text
/* Program new PSW target: record, then resume (see gt.h). */
	.globl	gt_pgm_entry
gt_pgm_entry:
	stmg	%r0,%r15,0x300
	larl	%r1,gt_pgm
	lg	%r2,0(%r1)
	aghi	%r2,1
	stg	%r2,0(%r1)
	llgh	%r2,0x8e
	stg	%r2,8(%r1)
	llgh	%r2,0x8c
	stg	%r2,16(%r1)
	mvc	24(16,%r1),0x150
	lg	%r2,40(%r1)
	ltgr	%r2,%r2
	jz	1f
	stg	%r2,0x158
	llihl	%r3,0x0001
	oilh	%r3,0x8000
	stg	%r3,0x150
	lghi	%r2,0
	stg	%r2,40(%r1)
1:	ni	0x151,0xfe		/* back to supervisor state */
	lmg	%r0,%r15,0x300
	lpswe	0x150

	.globl	gt_pgm_install
gt_pgm_install:
	llihl	%r1,0x0001
	oilh	%r1,0x8000
	stg	%r1,0x1d0
	larl	%r1,gt_pgm_entry
	stg	%r1,0x1d8
	br	%r14

/* After a load-normal reset: GPRs to gt_regs, fresh stack, gt_resume_fn. */
	.globl	gt_resume_entry
gt_resume_entry:
	stmg	%r0,%r15,0x380
	larl	%r1,gt_regs
	mvc	0(128,%r1),0x380
	llilf	%r15,STACK_INIT
	larl	%r1,gt_resume_fn
	lg	%r1,0(%r1)
	basr	%r14,%r1
	llill	%r2,0xdead
	brasl	%r14,boot_disabled_wait

/* uint64_t gt_d308_pstate(uint64_t subcode, uint64_t addr) */
	.globl	gt_d308_pstate
gt_d308_pstate:
	stmg	%r6,%r15,48(%r15)
	lgr	%r4,%r2
	lgr	%r2,%r3
	lghi	%r3,-1
	larl	%r1,gt_pstate_psw
	larl	%r5,0f
	stg	%r5,8(%r1)
	lpswe	0(%r1)
0:	diag	%r2,%r4,0x308
	lgr	%r2,%r3
	lmg	%r6,%r15,48(%r15)
	br	%r14

/* uint64_t gt_d308_regs(uint64_t subcode, uint64_t addr) */
	.globl	gt_d308_regs
gt_d308_regs:
	stmg	%r6,%r15,48(%r15)
	lgr	%r4,%r2
	lgr	%r2,%r3
	lghi	%r3,-1
	.irp	n,5,6,7,8,9,10,11,12,13
	llihf	%r\n,0x5a5a0000
	oilf	%r\n,(\n << 8) | \n
	.endr
	diag	%r2,%r4,0x308
	stmg	%r0,%r15,0x380
	larl	%r1,gt_regs
	mvc	0(128,%r1),0x380
	lgr	%r2,%r3
	lmg	%r6,%r15,48(%r15)
	br	%r14

	.data
	.balign	8
gt_pstate_psw:
	.quad	0x0001000180000000, 0	/* problem state, 64-bit */

	.section .note.GNU-stack,"",@progbits
