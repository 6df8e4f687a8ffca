// SPDX-License-Identifier: MIT
/*
 * The bootmap's building blocks as zipl writes them (s390-tools 2.16,
 * zipl/src/bootmap.c and disk.c; ipl-from-devices.md §3): linear block
 * pointers, data blocks, and segment tables.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvboot/be.h"

#include "disk_priv.h"

#define CHUNK (1U << 20)

void bm_put_ptr(uint8_t *p, uint64_t block, uint64_t count)
{
	memset(p, 0, PV_DISK_BLOCKPTR);
	pv_put_be64(p, block);
	pv_put_be16(p + 8, PV_DISK_BLOCK);
	pv_put_be16(p + 10, (uint16_t)(count - 1));
}

static int wr(struct bm_writer *w, const void *buf, size_t len, uint64_t off,
	      struct pv_err **err)
{
	const uint8_t *b = buf;

	while (len) {
		ssize_t n = pwrite(w->fd, b, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return pv_err_set(err, PV_ERR_IO, "writing '%s': %s",
					  w->out, n ? strerror(errno) :
					  "no space left");
		b += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int bm_put_block(struct bm_writer *w, const void *buf, size_t len,
		 uint64_t *block, struct pv_err **err)
{
	uint8_t b[PV_DISK_BLOCK] = { 0 };
	int rc;

	memcpy(b, buf, len < sizeof(b) ? len : sizeof(b));
	rc = wr(w, b, sizeof(b), w->next * PV_DISK_BLOCK, err);
	if (rc)
		return rc;
	*block = w->next++;
	return 0;
}

long bm_put_data(struct bm_writer *w, int fd, uint64_t off, uint64_t len,
		 struct bm_run *runs, size_t max, struct pv_err **err)
{
	uint64_t blocks = (len + PV_DISK_BLOCK - 1) / PV_DISK_BLOCK;
	uint64_t start = w->next, done = 0;
	uint8_t *buf = calloc(1, CHUNK);
	long n = 0;
	int rc = 0;

	if (!buf)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	while (done < len && !rc) {
		size_t k = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
		ssize_t got = 0;

		if (fd >= 0) {
			got = pread(fd, buf, k, (off_t)(off + done));
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				rc = pv_err_set(err, PV_ERR_IO,
						"reading input: %s",
						got ? strerror(errno) :
						      "file shrank while reading");
				break;
			}
			k = (size_t)got;
		}
		/* the last block is padded with zeros, as zipl's are */
		if (done + k == len && k % PV_DISK_BLOCK)
			memset(buf + k, 0, PV_DISK_BLOCK - k % PV_DISK_BLOCK);
		rc = wr(w, buf, (k + PV_DISK_BLOCK - 1) / PV_DISK_BLOCK *
				PV_DISK_BLOCK,
			start * PV_DISK_BLOCK + done, err);
		done += k;
	}
	free(buf);
	if (rc)
		return rc;
	w->next = start + blocks;
	/* zipl's disk_compact_blocklist: adjacent blocks merge per pointer */
	for (uint64_t b = 0; b < blocks; b += BM_MAX_RUN) {
		if ((size_t)n == max)
			return pv_err_set(err, PV_ERR_RANGE,
					  "a component of %llu bytes needs too many block pointers",
					  (unsigned long long)len);
		runs[n].block = start + b;
		runs[n].count = blocks - b < BM_MAX_RUN ? blocks - b :
							  BM_MAX_RUN;
		n++;
	}
	return n;
}

int bm_put_segments(struct bm_writer *w, const struct bm_run *runs,
		    size_t n, uint64_t *first, struct pv_err **err)
{
	const size_t per = PV_DISK_BLOCK / PV_DISK_BLOCKPTR - 1;	/* 31 */
	uint8_t b[PV_DISK_BLOCK];
	uint64_t next = 0, blk;
	size_t off;
	int rc;

	/* zipl keeps one buffer: unused slots exist only in the last table */
	memset(b, 0, sizeof(b));
	for (off = (n - 1) % per; n > 0; n--, off--) {
		bm_put_ptr(b + off * PV_DISK_BLOCKPTR, runs[n - 1].block,
			   runs[n - 1].count);
		if (off > 0)
			continue;
		if (next)
			bm_put_ptr(b + per * PV_DISK_BLOCKPTR, next, 1);
		else
			memset(b + per * PV_DISK_BLOCKPTR, 0, PV_DISK_BLOCKPTR);
		rc = bm_put_block(w, b, sizeof(b), &blk, err);
		if (rc)
			return rc;
		next = blk;
		off = per;
	}
	*first = next;
	return 0;
}
