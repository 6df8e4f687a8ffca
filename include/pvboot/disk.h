/* SPDX-License-Identifier: MIT */
/*
 * Raw disk images that IPL like a zipl-installed SCSI or virtio-blk disk
 * (ipl-from-devices.md §3): block 0 is zipl's SCSI master boot record,
 * then a bootmap laid out as zipl writes its bootmap file (header block,
 * empty block, each component's data and segment tables, the component
 * table, the program table), optionally followed by a data partition
 * (a DOS partition table entry next to the zipl record).  QEMU's s390-ccw
 * bios and IBM's firmware read it unchanged.
 *
 * Two layouts of the program:
 *   direct (default): the image from 0x10000 on is loaded at 0x10000 and
 *     the bios starts the image's IPL PSW (what stage3 would do for it);
 *   zipl (@stage3 given): zipl 2.16's SCSI program, byte for byte: heap
 *     and stack placeholders, stage3 at 0xA000, its parameter block at
 *     0x9000, the whole image at 0x10000, EXEC PSW 0x000800008000A000.
 * An SE image goes in as the program's kernel image; nothing in it is
 * changed (zipl has no SE-specific component).
 */
#ifndef PVBOOT_DISK_H
#define PVBOOT_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/err.h"

#define PV_DISK_BLOCK 512U
#define PV_DISK_MAX_SEGS 4096U	/* pointers per component in a listing */

/* On-disk sizes (zipl include/boot/boot_defs.h). */
#define PV_DISK_BLOCKPTR 16U	/* u64 block, u16 size, u16 count-1, 4 */
#define PV_DISK_MBR_LEN 152U	/* zIPL, version, program table, boot info */
#define PV_DISK_COMP_HDR 32U
#define PV_DISK_COMP_ENTRY 32U
#define PV_DISK_PROGRAM_ENTRIES 31U
#define PV_DISK_STAGE3_PARMS 64U

#define PV_DISK_COMP_EXEC 1
#define PV_DISK_COMP_LOAD 2
#define PV_DISK_COMP_SIGNATURE 3

struct pv_disk_opts {
	const char *image;	/* the program's kernel image (an SE image) */
	const char *stage3;	/* zipl's stage3.bin: zipl layout; or NULL */
	const char *data;	/* a file system image for partition 1, or NULL */
	uint64_t size;		/* at least this many bytes, 0 = as needed */
	bool overwrite;
};

/* Where pv_disk_write() put things (block numbers of 512 bytes). */
struct pv_disk_layout {
	uint64_t bootmap_start, bootmap_blocks;
	uint64_t program_table, component_table;
	uint64_t image_load, exec_psw;
	uint64_t image_bytes;	/* bytes of the image on the disk */
	uint64_t data_start, data_blocks;	/* 0 without --data */
	uint64_t disk_size;	/* bytes */
	unsigned int components;	/* in the component table */
};

/*
 * Write the disk image @out (atomically; an existing file only with
 * @o->overwrite).  Streams the inputs: memory use does not grow with
 * their size.  Returns 0 or a negative pv_errcode.
 */
int pv_disk_write(const struct pv_disk_opts *o, const char *out,
		  struct pv_disk_layout *lay, struct pv_err **err);

/* A component of a program read back from a disk. */
struct pv_disk_component {
	uint8_t type;		/* PV_DISK_COMP_* */
	uint64_t value;		/* load address, or the EXEC PSW */
	uint64_t bytes;		/* data behind its segment list */
	unsigned int segments;
};

/* What the boot record of a disk leads to (program table entry 0..30). */
struct pv_disk_program {
	unsigned int index;
	uint8_t header_type;	/* 0 IPL, 1 dump */
	unsigned int ncomp;
	struct pv_disk_component comp[32];
};

struct pv_disk_info {
	uint64_t size;		/* bytes */
	uint64_t program_table;
	unsigned int nprog;
	struct pv_disk_program prog[PV_DISK_PROGRAM_ENTRIES];
	bool dos_table;
	uint64_t part_start, part_blocks;	/* DOS partition 1 */
};

/*
 * Read the zipl SCSI boot record of @path as the s390-ccw bios does
 * (512-byte blocks) and describe its programs.  A disk without one is
 * PV_ERR_FORMAT with a message that says what is missing; pointers
 * outside the disk are PV_ERR_RANGE.
 */
int pv_disk_inspect(const char *path, struct pv_disk_info *info,
		    struct pv_err **err);

#endif
