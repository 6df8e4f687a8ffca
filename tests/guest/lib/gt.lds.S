/* SPDX-License-Identifier: MIT */
/*
 * Guest test programs: file offset == address (see gt.h for the map).
 */
#include "layout.h"

OUTPUT_FORMAT("elf64-s390", "elf64-s390", "elf64-s390")
OUTPUT_ARCH(s390:64-bit)
ENTRY(_start)

SECTIONS
{
	. = 0;
	.ipl_psw : {
		KEEP(*(.ipl_psw))
	}

	. = 0x6000;
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	}
	ASSERT(__bss_end <= STACK_ADDRESS, "guest test: .bss reaches the stack")

	. = IMAGE_ENTRY;
	.head : {
		KEEP(*(.head))
	}
	ASSERT(. <= PARMAREA, "guest test: entry code reaches 0x10400")

	. = PARMAREA;
	.parmarea : {
		KEEP(*(.parmarea))
	}

	/* Room for a command line of LEGACY_COMMAND_LINE_SIZE at 0x10480. */
	. = COMMAND_LINE + LEGACY_COMMAND_LINE_SIZE;
	.text : {
		*(.text .text.*)
	}
	.rodata : {
		*(.rodata .rodata.*)
		*(.data.rel.ro .data.rel.ro.*)
	}
	.data : {
		*(.data .data.*)
	}
	__end = .;
	ASSERT(_start == IMAGE_ENTRY, "guest test: _start is not at 0x10000")

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .comment .note .note.* .interp)
		*(.dynamic .dynsym .dynstr .hash .gnu.hash .got .got.plt)
	}
}
