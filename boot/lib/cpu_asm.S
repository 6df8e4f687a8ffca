/* SPDX-License-Identifier: MIT */
/*
 * Assembler helpers that have to survive a program interruption.
 */

	.section .text.boot_uvc_try,"ax",@progbits
	.globl	boot_uvc_try
	.type	boot_uvc_try,@function
/*
 * int boot_uvc_try(void *uvcb)
 * Issue UVC with the UVCB address in %r2 and return the condition code,
 * or -1 when the instruction raised a program interruption.  The program
 * new PSW is pointed at .Lfault for the duration of the call; the old one
 * is kept in %r4/%r5, which an interruption does not change.
 */
boot_uvc_try:
	lg	%r4,0x1d0		/* save the program new PSW */
	lg	%r5,0x1d8
	llihl	%r1,0x0001		/* 64-bit mask 0x0000000180000000 */
	oilh	%r1,0x8000
	stg	%r1,0x1d0
	larl	%r1,.Lfault
	stg	%r1,0x1d8
	lghi	%r3,0
	.insn	rrf,0xb9a40000,%r3,%r2,0,0	/* uvc 0,%r2 */
	ipm	%r1
	srl	%r1,28
	llgfr	%r2,%r1
	j	.Lout
.Lfault:
	lghi	%r2,-1
.Lout:
	stg	%r4,0x1d0
	stg	%r5,0x1d8
	br	%r14
	.size	boot_uvc_try,.-boot_uvc_try

	.section .text.boot_pgm_entry,"ax",@progbits
	.globl	boot_pgm_entry
	.type	boot_pgm_entry,@function
/*
 * Program new PSW target installed by boot_pgm_fatal_install(): switch to
 * the emergency stack and report (never returns).
 */
boot_pgm_entry:
	larl	%r15,boot_pgm_stack
	aghi	%r15,1024-160
	brasl	%r14,boot_pgm_report
	j	boot_pgm_entry
	.size	boot_pgm_entry,.-boot_pgm_entry

	.section .note.GNU-stack,"",@progbits
