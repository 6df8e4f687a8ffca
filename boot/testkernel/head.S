/* SPDX-License-Identifier: MIT */
/*
 * Test kernel image header, laid out like a raw s390x Linux image:
 * a short IPL PSW at file offset 0 pointing at 0x10000, the "S390EP"
 * marker at 0x10008 and the Linux parameter area at 0x10400.
 */
#include "head.h"

	.section .ipl_psw,"a",@progbits
	.quad	TK_SHORT_PSW

	.section .head,"ax",@progbits
	.globl	_start
_start:					/* 0x10000 */
	j	.Lentry
	.org	8
	.ascii	"S390EP"		/* 0x10008 */
	.byte	0x00,0x01
.Lentry:
	BOOT_SET_ARCH
	BOOT_START_C tk_main

	/* Linux parameter area (se-image-format.md Appendix A). */
	.section .parmarea,"a",@progbits
	.quad	0			/* 0x10400 IPL device */
	.quad	0			/* 0x10408 initrd start */
	.quad	0			/* 0x10410 initrd size */
	.quad	0			/* 0x10418 */
	.quad	0			/* 0x10420 */
	.quad	0			/* 0x10428 */
	.quad	TK_CMDLINE_MAX		/* 0x10430 max command line size */

	.section .note.GNU-stack,"",@progbits
