/* SPDX-License-Identifier: MIT */
/*
 * stage3a main entry at 0x11000 (short PSW at 0, or from the init stub).
 */
#include "head.h"

	.section .text.start,"ax",@progbits
	.globl	_start
_start:
	BOOT_SET_ARCH
	BOOT_START_C stage3a_main

	.section .note.GNU-stack,"",@progbits
