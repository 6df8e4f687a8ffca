/* SPDX-License-Identifier: MIT */
/*
 * stage3b entry at 0xA000, reached from the relocator.
 */
#include "head.h"

	.section .text.start,"ax",@progbits
	.globl	_start
_start:
	BOOT_SET_ARCH
	BOOT_START_C stage3b_main

	.section .note.GNU-stack,"",@progbits
