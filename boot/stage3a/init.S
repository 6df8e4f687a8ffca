/* SPDX-License-Identifier: MIT */
/*
 * stage3a init stub at 0x10000, the entry used after a zipl IPL
 * (se-image-format.md §2.7, §3.2 step 1).  It has to stay below 0x10400:
 * zipl's stage3 writes its parameter area from there on.
 */
#include "head.h"

	.section .text.init,"ax",@progbits
	.globl	_init
_init:
	BOOT_SET_ARCH
	jg	_start			/* stage3a main at 0x11000 */

	.section .note.GNU-stack,"",@progbits
