/* SPDX-License-Identifier: MIT */
/*
 * Test kernel: file offset == address.
 *   0x00000         short IPL PSW (plain IPL of the file)
 *   0x06000-0x0efff .bss (not in the file)    0x0f000-0x0ffff stack
 *   0x10000         entry, "S390EP" at 0x10008, then small libboot
 *                   functions filling the room below 0x10400
 *   0x10400         Linux parameter area, command line at 0x10480
 *                   (up to TK_CMDLINE_MAX = 1024 bytes)
 *   0x10880         code and data; the file ends at or below 0x14000
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

	. = TK_BSS_ADDRESS;
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	}
	ASSERT(__bss_end <= TK_BSS_LIMIT, "testkernel: .bss reaches the stack")

	. = IMAGE_ENTRY;
	.head : {
		KEEP(*(.head))
		*libboot.a:cpu.o(.text .text.*)
		*libboot.a:cpu_asm.o(.text .text.*)
		*libboot.a:string.o(.text .text.*)
		*libboot.a:facility.o(.text .text.*)
		__head_end = .;
	}
	ASSERT(__head_end <= PARMAREA, "testkernel: head reaches 0x10400")

	. = PARMAREA;
	.parmarea : {
		KEEP(*(.parmarea))
	}

	. = TK_TEXT_ADDRESS;
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
	ASSERT(_start == IMAGE_ENTRY, "testkernel: _start is not at 0x10000")
	ASSERT(COMMAND_LINE + TK_CMDLINE_MAX <= TK_TEXT_ADDRESS,
	       "testkernel: code overlaps the command line")
	ASSERT(__end <= TK_FILE_LIMIT,
	       "testkernel: file larger than 0x14000 bytes")

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .comment .note .note.* .interp)
		*(.dynamic .dynsym .dynstr .hash .gnu.hash .got .got.plt)
	}
}
