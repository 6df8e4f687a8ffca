/* SPDX-License-Identifier: MIT */
/*
 * Register-only loop of the compute benchmark: xorshift64 mixed into an
 * accumulator, no memory access.  cp_alu_loop..cp_alu_epi is straight-line
 * code ending in its branch, so a call executes exactly
 *   pro + n * loop + epi
 * instructions (main.c counts them from the code bytes).
 *
 * uint64_t cp_alu(uint64_t seed, uint64_t n);	n >= 1
 */

	.text
	.globl	cp_alu, cp_alu_pro, cp_alu_loop, cp_alu_epi, cp_alu_end
cp_alu:
cp_alu_pro:
	lgr	%r0,%r2			/* x */
	lghi	%r1,0			/* s */
cp_alu_loop:
	sllg	%r4,%r0,13
	xgr	%r0,%r4
	srlg	%r4,%r0,7
	xgr	%r0,%r4
	sllg	%r4,%r0,17
	xgr	%r0,%r4			/* x = xorshift64(x) */
	algr	%r1,%r0
	rllg	%r1,%r1,5
	xgr	%r1,%r0
	agfi	%r1,0x3779b97f
	brctg	%r3,cp_alu_loop
cp_alu_epi:
	lgr	%r2,%r1
	br	%r14
cp_alu_end:

	.section .note.GNU-stack,"",@progbits
