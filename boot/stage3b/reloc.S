/* SPDX-License-Identifier: MIT */
/*
 * stage3b relocator (se-image-format.md §3.3).  The SE-header PSW points at
 * its first byte, wherever the stage3b component was unpacked; it copies
 * the stage3b image that follows it to 0xA000 and branches there.  Only
 * PC-relative addressing, so it runs at any address.  stage3b.bin is the
 * last thing in the blob: its last 64 bytes, the stage3b parameter block,
 * are the last 64 bytes of stage3b_reloc.bin.
 */
#include "head.h"

	.section .text.start,"ax",@progbits
	.globl	_start
_start:
	BOOT_SET_ARCH
	larl	%r4,stage3b_image	/* source: %r4/%r5 */
	larl	%r5,stage3b_image_end
	sgr	%r5,%r4
	llilf	%r2,STAGE3B_LOAD_ADDRESS	/* destination: %r2/%r3 */
	lgr	%r3,%r5
0:	mvcle	%r2,%r4,0
	jo	0b
	llilf	%r1,STAGE3B_LOAD_ADDRESS
	br	%r1

	.balign	16
stage3b_image:
	.incbin	"stage3b.bin"
stage3b_image_end:

	.section .note.GNU-stack,"",@progbits
