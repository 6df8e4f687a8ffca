/* SPDX-License-Identifier: MIT */
/*
 * stage3a memory map (se-image-format.md §3.1):
 *   0x00000-0x01fff lowcore        0x02000-0x05fff heap (SCCB at 0x2000)
 *   0x0c000-0x0cfff .bss           0x0f000-0x0ffff stack
 *   0x10000         init stub (< 0x400 bytes, zipl writes 0x10400-0x107ff)
 *   0x11000         main code, read-only data, data, parameter block
 *                   (last 24 bytes); the whole blob ends below 0x13000.
 */
#include "layout.h"

OUTPUT_FORMAT("elf64-s390", "elf64-s390", "elf64-s390")
OUTPUT_ARCH(s390:64-bit)
ENTRY(_start)

SECTIONS
{
	. = STAGE3A_BSS_ADDRESS;
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	}
	ASSERT(__bss_end <= STAGE3A_BSS_ADDRESS + STAGE3A_BSS_SIZE,
	       "stage3a: .bss does not fit 0xC000-0xCFFF")

	. = STAGE3A_INIT_ENTRY;
	.text.init : {
		KEEP(*(.text.init))
		__init_end = .;
	}
	ASSERT(__init_end - STAGE3A_INIT_ENTRY < PARMAREA - IMAGE_ENTRY,
	       "stage3a: init stub reaches the zipl parameter area 0x10400")

	. = STAGE3A_ENTRY;
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
	__end = .;
	ASSERT(_start == STAGE3A_ENTRY, "stage3a: _start is not at 0x11000")
	ASSERT(__parms_end - __parms_start == STAGE3A_PARMS_SIZE,
	       "stage3a: parameter block is not 24 bytes")
	ASSERT(__end <= STAGE3A_LIMIT,
	       "stage3a: blob reaches 0x13000 (SE header at 0x14000)")

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .comment .note .note.* .interp)
		*(.dynamic .dynsym .dynstr .hash .gnu.hash .got .got.plt)
	}
}
