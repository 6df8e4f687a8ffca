/* SPDX-License-Identifier: MIT */
/*
 * Architecture programs: the recording external handler, PSW changes that
 * keep the current address, enabled waits (see at.h).
 * Lowcore scratch 0x280-0x2ff belongs to the external handler.
 */
#include "head.h"

#define AT_EXT_LOG 16

	.text
/* External new PSW target: log, then resume with EXT and WAIT off. */
	.globl	at_ext_entry
at_ext_entry:
	stmg	%r0,%r15,0x280
	larl	%r1,at_ext
	lg	%r2,0(%r1)
	clgfi	%r2,AT_EXT_LOG
	jhe	1f
	sllg	%r3,%r2,1
	lh	%r4,0x86
	sth	%r4,24(%r3,%r1)		/* code[] */
	lh	%r4,0x84
	sth	%r4,56(%r3,%r1)		/* cpu[] */
	sllg	%r3,%r2,2
	l	%r4,0x80
	st	%r4,88(%r3,%r1)		/* param[] */
1:	aghi	%r2,1
	stg	%r2,0(%r1)
	mvc	8(16,%r1),0x130
	ni	0x130,0xfe		/* external mask (bit 7) off */
	ni	0x131,0xfd		/* wait (bit 14) off */
	lmg	%r0,%r15,0x280
	lpswe	0x130

	.globl	at_ext_install
at_ext_install:
	llihl	%r1,0x0001
	oilh	%r1,0x8000
	stg	%r1,0x1b0
	larl	%r1,at_ext_entry
	stg	%r1,0x1b8
	br	%r14

/* void at_ext_wait(void): enabled wait, current PSW mask + EXT + WAIT. */
	.globl	at_ext_wait
at_ext_wait:
	stmg	%r14,%r15,112(%r15)
	brasl	%r14,at_ext_install
	lmg	%r14,%r15,112(%r15)
	epsw	%r2,%r3
	sllg	%r2,%r2,32
	llgfr	%r3,%r3
	ogr	%r2,%r3
	oihh	%r2,0x0102		/* EXT (bit 7), WAIT (bit 14) */
	larl	%r1,at_wait_psw
	stg	%r2,0(%r1)
	larl	%r3,0f
	stg	%r3,8(%r1)
	lpswe	0(%r1)
0:	br	%r14

/* void at_pstate(void): go on in problem state (other bits kept). */
	.globl	at_pstate
at_pstate:
	epsw	%r2,%r3
	sllg	%r2,%r2,32
	llgfr	%r3,%r3
	ogr	%r2,%r3
	oihh	%r2,0x0001		/* P (bit 15) */
	larl	%r1,at_pstate_psw
	stg	%r2,0(%r1)
	stg	%r14,8(%r1)
	lpswe	0(%r1)

/*
 * Program new PSW target while low-address protection is on: the
 * recorder of gt_asm.S writes into 0x151, which LAP protects, so CR0
 * becomes at_cr0_nolap first (0x2f0 is not protected).
 */
	.globl	at_lap_entry
at_lap_entry:
	stg	%r1,0x2f0
	larl	%r1,at_cr0_nolap
	lctlg	0,0,0(%r1)
	lg	%r1,0x2f0
	jg	gt_pgm_entry

	.data
	.balign	8
	.globl	at_cr0_nolap
at_cr0_nolap:
	.quad	0
at_wait_psw:
	.quad	0, 0
at_pstate_psw:
	.quad	0, 0

	.section .note.GNU-stack,"",@progbits
