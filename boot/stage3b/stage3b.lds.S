/* SPDX-License-Identifier: MIT */
/*
 * stage3b memory map (se-image-format.md §3.3):
 *   0x00000-0x01fff lowcore        0x02000-0x05fff heap (SCCB at 0x5000)
 *   0x0a000         code, read-only data, data; the parameter block is the
 *                   last 64 bytes of the binary; .bss follows (not in the
 *                   binary); everything below 0xF000
 *   0x0f000-0x0ffff stack
 */
#include "layout.h"

OUTPUT_FORMAT("elf64-s390", "elf64-s390", "elf64-s390")
OUTPUT_ARCH(s390:64-bit)
ENTRY(_start)

SECTIONS
{
	. = STAGE3B_LOAD_ADDRESS;
	.text : {
		KEEP(*(.text.start))
		*(.text .text.*)
	}
	.rodata : {
		*(.rodata .rodata.*)
		*(.data.rel.ro .data.rel.ro.*)
	}
	.data : {
		*(.data .data.*)
		. = ALIGN(8);
		__parms_start = .;
		KEEP(*(.loader_parms))
		__parms_end = .;
	}
	.bss (NOLOAD) : {
		. = ALIGN(8);
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	}
	ASSERT(_start == STAGE3B_LOAD_ADDRESS,
	       "stage3b: _start is not at 0xA000")
	ASSERT(__parms_end - __parms_start == STAGE3B_PARMS_SIZE,
	       "stage3b: parameter block is not 64 bytes")
	ASSERT(__bss_end <= STAGE3B_LIMIT,
	       "stage3b: does not fit 0xA000-0xEFFF")

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .comment .note .note.* .interp)
		*(.dynamic .dynsym .dynstr .hash .gnu.hash .got .got.plt)
	}
}
