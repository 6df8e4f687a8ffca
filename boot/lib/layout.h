/* SPDX-License-Identifier: MIT */
/*
 * Memory map of pvboot's s390x boot code.  Plain #defines only: this file is
 * included by C, by assembler sources and by the linker scripts (through the
 * C preprocessor).  Addresses are guest absolute addresses.
 */
#ifndef BOOT_LAYOUT_H
#define BOOT_LAYOUT_H

/* Common (se-image-format.md §3.1, §3.3, Appendix A). */
#define LOWCORE_END		0x2000
#define STACK_ADDRESS		0xF000		/* 0xF000-0xFFFF */
#define STACK_SIZE		0x1000
#define STACK_FRAME_OVERHEAD	160
#define STACK_INIT		(STACK_ADDRESS + STACK_SIZE - \
				 STACK_FRAME_OVERHEAD)
#define IMAGE_ENTRY		0x10000		/* kernel / stage3a load */
#define PARMAREA		0x10400
#define INITRD_START		0x10408
#define INITRD_SIZE		0x10410
#define MAX_COMMAND_LINE_SIZE	0x10430
#define COMMAND_LINE		0x10480
#define LEGACY_COMMAND_LINE_SIZE 896

/* Default PSW mask of every program: 64-bit addressing, all disabled. */
#define PSW_MASK_64BIT		0x0000000180000000

/* stage3a (§3.1): init stub at 0x10000, main at 0x11000, end < 0x13000. */
#define STAGE3A_INIT_ENTRY	0x10000
#define STAGE3A_ENTRY		0x11000
#define STAGE3A_LIMIT		0x13000
#define STAGE3A_SCCB		0x2000		/* heap 0x2000-0x5FFF */
#define STAGE3A_BSS_ADDRESS	0xC000		/* Layout-R: 0xC000-0xCFFF */
#define STAGE3A_BSS_SIZE	0x1000
#define STAGE3A_PARMS_SIZE	24

/* stage3b (§3.3): code 0xA000-0xEFFF, stack 0xF000-0xFFFF. */
#define STAGE3B_LOAD_ADDRESS	0xA000
#define STAGE3B_LIMIT		0xF000
#define STAGE3B_SCCB		0x5000		/* heap 0x2000-0x5FFF */
#define STAGE3B_PARMS_SIZE	64

/*
 * Test kernel.  File offset == address.  0x10000-0x103FF head,
 * 0x10400-0x1087F parameter area and a 1024-byte command line, code from
 * 0x10880, whole file <= 0x14000 bytes (so after stage3b's move nothing of
 * it reaches the SE header page at 0x14000).  The command line gave up
 * 3 KiB of Linux's 4096 bytes to the attestation and secret code.
 */
#define TK_SHORT_PSW		0x0008000080010000	/* 31-bit, 0x10000 */
#define TK_CMDLINE_MAX		1024
#define TK_TEXT_ADDRESS		0x10880
#define TK_FILE_LIMIT		0x14000
#define TK_IPLB_PAGE		0x3000		/* DIAG 308 sc 5/6 buffer */
#define TK_SCCB			0x4000		/* shared with the host */
#define TK_BSS_ADDRESS		0x6000		/* .bss 0x6000-0xEFFF */
#define TK_BSS_LIMIT		0xF000

#endif
