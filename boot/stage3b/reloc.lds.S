/* SPDX-License-Identifier: MIT */
/*
 * stage3b_reloc: position-independent relocator followed by stage3b.bin.
 */
OUTPUT_FORMAT("elf64-s390", "elf64-s390", "elf64-s390")
OUTPUT_ARCH(s390:64-bit)
ENTRY(_start)

SECTIONS
{
	. = 0;
	.text : {
		KEEP(*(.text.start))
	}
	__end = .;
	ASSERT(_start == 0, "stage3b_reloc: _start must be the first byte")
	ASSERT(SIZEOF(.text) == __end, "stage3b_reloc: stray sections")

	/DISCARD/ : {
		*(.text .text.* .data .data.* .bss .bss.* .rodata .rodata.*)
		*(.eh_frame .eh_frame_hdr .comment .note .note.* .interp)
	}
}
