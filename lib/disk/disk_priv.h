/* SPDX-License-Identifier: MIT */
/*
 * Inside lib/disk: a bootmap written block by block, as zipl's
 * disk_write_block_aligned() appends blocks to its bootmap file; here the
 * file is a contiguous run of the disk, so a file block is a disk block.
 */
#ifndef PVBOOT_DISK_PRIV_H
#define PVBOOT_DISK_PRIV_H

#include <stdint.h>

#include "pvboot/disk.h"

/* zipl's limit of blocks behind one SCSI block pointer (blockct + 1). */
#define BM_MAX_RUN 65536ULL

struct bm_run {
	uint64_t block;
	uint64_t count;
};

struct bm_writer {
	int fd;
	uint64_t next;		/* next free disk block */
	const char *out;	/* for messages */
};

/* One block pointer in zipl's linear format. */
void bm_put_ptr(uint8_t *p, uint64_t block, uint64_t count);

/* Append @len <= 512 bytes as one block (zero padded); its block. */
int bm_put_block(struct bm_writer *w, const void *buf, size_t len,
		 uint64_t *block, struct pv_err **err);

/*
 * Append @len bytes (from @fd at @off, or zeros when @fd < 0) as
 * consecutive blocks; the runs of at most BM_MAX_RUN blocks that hold
 * them go to @runs (at most @max).  Returns the number of runs or <0.
 */
long bm_put_data(struct bm_writer *w, int fd, uint64_t off, uint64_t len,
		 struct bm_run *runs, size_t max, struct pv_err **err);

/*
 * zipl's add_segment_table(): the run list as linked segment-table
 * blocks of 31 pointers and a link, written from the last one; *@first
 * is the pointer to the first.
 */
int bm_put_segments(struct bm_writer *w, const struct bm_run *runs,
		    size_t n, uint64_t *first, struct pv_err **err);

#endif
