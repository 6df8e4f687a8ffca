/* SPDX-License-Identifier: MIT */
/*
 * Compute benchmark guest: laid out like a raw s390x Linux image (short
 * IPL PSW at 0, "S390EP" at 0x10008, parameter area at 0x10400, command
 * line at 0x10480), so that QEMU's -kernel/-append and pvboot run
 * --append both pass a command line.  Linked with tests/guest/lib/gt.lds.
 */
#include "head.h"

	.section .ipl_psw,"a",@progbits
	.quad	0x0008000080010000	/* short PSW: 31-bit, 0x10000 */

	.section .head,"ax",@progbits
	.globl	_start
_start:					/* 0x10000 */
	j	.Lentry
	.org	8
	.ascii	"S390EP"		/* 0x10008 */
	.byte	0x00,0x01
.Lentry:
	BOOT_SET_ARCH
	BOOT_START_C cp_main

	.section .parmarea,"a",@progbits
	.quad	0			/* 0x10400 */
	.quad	0			/* 0x10408 initrd start */
	.quad	0			/* 0x10410 initrd size */
	.quad	0, 0, 0			/* 0x10418 */
	.quad	LEGACY_COMMAND_LINE_SIZE	/* 0x10430 max command line */

	.section .note.GNU-stack,"",@progbits
