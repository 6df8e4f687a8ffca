/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 compression (FIPS 180-4 §6.2.2) over consecutive 64-byte blocks,
 * for the compute benchmark.  Every piece between two cp_sha_* labels is
 * straight-line code ending in at most one branch, so main.c counts the
 * instructions of each piece from the code bytes and knows exactly how
 * many instructions a call executes:
 *
 *   pro + n * (head + 48 * sched + mid + 8 * round + tail) + epi
 *
 * void cp_sha256_blocks(uint32_t state[8], const void *data, uint64_t n,
 *                       uint32_t wk[128]);
 * wk: W[0..63] scratch, then K[0..63] (filled by the caller).  The data
 * address wraps inside its 64 KiB: after each block bit 16 of the address
 * is cleared, so n may exceed the blocks of a 64 KiB-aligned buffer
 * (blocks that never cross an address with bit 16 set are unaffected).
 *
 * Registers: a..h in r7..r14 (32-bit halves), temporaries r0-r2, r3 the
 * W/K pointer, r4 the loop counter, r5 the state, r6 wk; data address and
 * block count live in the stack frame.
 */

	.text

/* One round; a..h name registers, j the round within the group of 8. */
.macro	ROUND a, b, c, d, e, f, g, h, j
	rll	%r0,\e,26		/* ROTR 6 */
	rll	%r1,\e,21		/* ROTR 11 */
	xr	%r0,%r1
	rll	%r1,\e,7		/* ROTR 25 */
	xr	%r0,%r1			/* Sigma1(e) */
	ar	\h,%r0
	lr	%r1,\f
	xr	%r1,\g
	nr	%r1,\e
	xr	%r1,\g			/* Ch(e, f, g) */
	ar	\h,%r1
	a	\h,4*\j(%r3)		/* + W[i] */
	a	\h,256+4*\j(%r3)	/* + K[i]: h = T1 */
	ar	\d,\h			/* d += T1 */
	rll	%r0,\a,30		/* ROTR 2 */
	rll	%r1,\a,19		/* ROTR 13 */
	xr	%r0,%r1
	rll	%r1,\a,10		/* ROTR 22 */
	xr	%r0,%r1			/* Sigma0(a) */
	ar	\h,%r0
	lr	%r1,\a
	or	%r1,\b
	nr	%r1,\c
	lr	%r2,\a
	nr	%r2,\b
	or	%r1,%r2			/* Maj(a, b, c) */
	ar	\h,%r1			/* h = T1 + T2: the next a */
.endm

	.globl	cp_sha256_blocks
	.globl	cp_sha_pro, cp_sha_head, cp_sha_sched, cp_sha_mid
	.globl	cp_sha_round, cp_sha_tail, cp_sha_epi, cp_sha_end
cp_sha256_blocks:
cp_sha_pro:
	stmg	%r6,%r15,48(%r15)
	aghi	%r15,-176
	stg	%r3,160(%r15)		/* data address */
	stg	%r4,168(%r15)		/* blocks left */
	lgr	%r6,%r5			/* wk */
	lgr	%r5,%r2			/* state */
cp_sha_head:
	lg	%r3,160(%r15)
	mvc	0(64,%r6),0(%r3)	/* W[0..15]: the block, big-endian */
	la	%r3,64(%r3)
	nilh	%r3,0xfffe		/* wrap inside the 64 KiB */
	stg	%r3,160(%r15)
	la	%r3,64(%r6)		/* &W[16] */
	lhi	%r4,48
cp_sha_sched:				/* W[i], i = 16..63 */
	ly	%r0,-60(%r3)		/* W[i-15] */
	rll	%r1,%r0,25		/* ROTR 7 */
	rll	%r2,%r0,14		/* ROTR 18 */
	xr	%r1,%r2
	srl	%r0,3
	xr	%r1,%r0			/* sigma0 */
	ly	%r0,-8(%r3)		/* W[i-2] */
	rll	%r2,%r0,15		/* ROTR 17 */
	rll	%r7,%r0,13		/* ROTR 19 */
	xr	%r2,%r7
	srl	%r0,10
	xr	%r2,%r0			/* sigma1 */
	ar	%r1,%r2
	ay	%r1,-64(%r3)		/* + W[i-16] */
	ay	%r1,-28(%r3)		/* + W[i-7] */
	st	%r1,0(%r3)
	la	%r3,4(%r3)
	brct	%r4,cp_sha_sched
cp_sha_mid:
	lm	%r7,%r14,0(%r5)		/* a..h */
	lgr	%r3,%r6
	lhi	%r4,8
cp_sha_round:				/* 8 rounds, 8 times */
	ROUND	%r7,%r8,%r9,%r10,%r11,%r12,%r13,%r14,0
	ROUND	%r14,%r7,%r8,%r9,%r10,%r11,%r12,%r13,1
	ROUND	%r13,%r14,%r7,%r8,%r9,%r10,%r11,%r12,2
	ROUND	%r12,%r13,%r14,%r7,%r8,%r9,%r10,%r11,3
	ROUND	%r11,%r12,%r13,%r14,%r7,%r8,%r9,%r10,4
	ROUND	%r10,%r11,%r12,%r13,%r14,%r7,%r8,%r9,5
	ROUND	%r9,%r10,%r11,%r12,%r13,%r14,%r7,%r8,6
	ROUND	%r8,%r9,%r10,%r11,%r12,%r13,%r14,%r7,7
	la	%r3,32(%r3)
	brct	%r4,cp_sha_round
cp_sha_tail:
	a	%r7,0(%r5)
	a	%r8,4(%r5)
	a	%r9,8(%r5)
	a	%r10,12(%r5)
	a	%r11,16(%r5)
	a	%r12,20(%r5)
	a	%r13,24(%r5)
	a	%r14,28(%r5)
	stm	%r7,%r14,0(%r5)
	lg	%r4,168(%r15)
	aghi	%r4,-1
	stg	%r4,168(%r15)
	jnz	cp_sha_head
cp_sha_epi:
	lmg	%r6,%r15,176+48(%r15)
	br	%r14
cp_sha_end:

	.section .note.GNU-stack,"",@progbits
