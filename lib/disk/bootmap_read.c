// SPDX-License-Identifier: MIT
/*
 * Read a zipl SCSI boot record the way the s390-ccw bios does
 * (ipl-from-devices.md §3, QEMU pc-bios/s390-ccw/bootmap.c): block 0
 * starts with "zIPL" and points at the program table; each program-table
 * entry (a zero block number ends them) points at a component table
 * ("zIPL" header, 32-byte entries up to EXEC); each LOAD or SIGNATURE
 * entry points at a segment table whose pointers, until a zero block
 * number, name the data; a pointer in the last slot of a table, or one
 * with a count of 1 followed by unused slots, continues the table.
 * Every pointer is checked against the size of the disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/be.h"
#include "pvboot/disk.h"

#define MAX_TABLES 65536U

struct rd {
	int fd;
	uint64_t blocks;
	const char *path;
};

static int get_block(struct rd *r, uint64_t blk, uint8_t *b,
		     struct pv_err **err)
{
	if (blk >= r->blocks)
		return pv_err_set(err, PV_ERR_RANGE,
				  "disk '%s': block %llu is beyond the end of the disk (%llu blocks)",
				  r->path, (unsigned long long)blk,
				  (unsigned long long)r->blocks);
	if (pread(r->fd, b, PV_DISK_BLOCK, (off_t)(blk * PV_DISK_BLOCK)) !=
	    PV_DISK_BLOCK)
		return pv_err_set(err, PV_ERR_IO, "disk '%s': cannot read block %llu",
				  r->path, (unsigned long long)blk);
	return 0;
}

/* A block pointer: 0 ok, or an error for a wrong size or range. */
static int check_ptr(struct rd *r, const uint8_t *p, uint64_t *blk,
		     uint64_t *count, struct pv_err **err)
{
	*blk = pv_get_be64(p);
	*count = (uint64_t)pv_get_be16(p + 10) + 1;
	if (!*blk)
		return 0;
	if (pv_get_be16(p + 8) != PV_DISK_BLOCK)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "disk '%s': a block pointer says blocks of %u bytes, the disk has %u",
				  r->path, pv_get_be16(p + 8), PV_DISK_BLOCK);
	if (*blk >= r->blocks || *count > r->blocks - *blk)
		return pv_err_set(err, PV_ERR_RANGE,
				  "disk '%s': a block pointer names blocks %llu-%llu beyond the end of the disk (%llu blocks)",
				  r->path, (unsigned long long)*blk,
				  (unsigned long long)(*blk + *count - 1),
				  (unsigned long long)r->blocks);
	return 0;
}

static int read_segments(struct rd *r, uint64_t blk,
			 struct pv_disk_component *c, struct pv_err **err)
{
	const unsigned int per = PV_DISK_BLOCK / PV_DISK_BLOCKPTR;
	uint8_t b[PV_DISK_BLOCK];
	unsigned int tables = 0;
	uint64_t pb, cnt;
	int rc;

	while (blk) {
		if (++tables > MAX_TABLES)
			return pv_err_set(err, PV_ERR_FORMAT,
					  "disk '%s': segment tables loop",
					  r->path);
		rc = get_block(r, blk, b, err);
		if (rc)
			return rc;
		blk = 0;
		for (unsigned int i = 0; i < per; i++) {
			rc = check_ptr(r, b + i * PV_DISK_BLOCKPTR, &pb, &cnt,
				       err);
			if (rc)
				return rc;
			if (!pb)
				return 0;
			if (i == per - 1) {	/* the link slot */
				blk = pb;
				break;
			}
			c->bytes += cnt * PV_DISK_BLOCK;
			c->segments++;
		}
	}
	return 0;
}

static int read_program(struct rd *r, uint64_t blk,
			struct pv_disk_program *p, struct pv_err **err)
{
	uint8_t b[PV_DISK_BLOCK];
	uint64_t pb, cnt;
	int rc = get_block(r, blk, b, err);

	if (rc)
		return rc;
	if (memcmp(b, "zIPL", 4))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "disk '%s': program %u: the component table at block %llu has no \"zIPL\" header",
				  r->path, p->index, (unsigned long long)blk);
	p->header_type = b[4];
	for (unsigned int off = PV_DISK_COMP_HDR; off < PV_DISK_BLOCK;
	     off += PV_DISK_COMP_ENTRY) {
		struct pv_disk_component *c = &p->comp[p->ncomp];

		memset(c, 0, sizeof(*c));
		c->type = b[off + 23];
		c->value = pv_get_be64(b + off + 24);
		p->ncomp++;
		if (c->type == PV_DISK_COMP_EXEC)
			return 0;
		if (c->type != PV_DISK_COMP_LOAD &&
		    c->type != PV_DISK_COMP_SIGNATURE)
			return pv_err_set(err, PV_ERR_FORMAT,
					  "disk '%s': program %u: component %u has the unknown type %u",
					  r->path, p->index, p->ncomp - 1,
					  c->type);
		rc = check_ptr(r, b + off, &pb, &cnt, err);
		if (!rc)
			rc = read_segments(r, pb, c, err);
		if (rc)
			return rc;
	}
	return pv_err_set(err, PV_ERR_FORMAT,
			  "disk '%s': program %u has no EXEC component",
			  r->path, p->index);
}

int pv_disk_inspect(const char *path, struct pv_disk_info *info,
		    struct pv_err **err)
{
	uint8_t b[PV_DISK_BLOCK];
	struct rd r = { .path = path };
	struct stat st;
	uint64_t pb, cnt;
	int rc;

	memset(info, 0, sizeof(*info));
	r.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0)
		return pv_err_set(err, PV_ERR_IO, "cannot open disk '%s': %s",
				  path, strerror(errno));
	if (fstat(r.fd, &st) || !S_ISREG(st.st_mode)) {
		close(r.fd);
		return pv_err_set(err, PV_ERR_IO,
				  "disk '%s' is not a regular file", path);
	}
	info->size = (uint64_t)st.st_size;
	r.blocks = info->size / PV_DISK_BLOCK;
	rc = get_block(&r, 0, b, err);
	if (!rc && memcmp(b, "zIPL", 4))
		rc = pv_err_set(err, PV_ERR_FORMAT,
				"disk '%s' has no zipl boot record (no \"zIPL\" in block 0)",
				path);
	if (!rc) {
		info->dos_table = b[510] == 0x55 && b[511] == 0xaa;
		if (info->dos_table) {
			for (int i = 0; i < 4; i++) {
				info->part_start |= (uint64_t)b[0x1c6 + i] << (8 * i);
				info->part_blocks |= (uint64_t)b[0x1ca + i] << (8 * i);
			}
		}
		rc = check_ptr(&r, b + 16, &pb, &cnt, err);
	}
	if (!rc && !pb)
		rc = pv_err_set(err, PV_ERR_FORMAT,
				"disk '%s': the boot record points at no program table",
				path);
	if (!rc) {
		info->program_table = pb;
		rc = get_block(&r, pb, b, err);
	}
	if (!rc && memcmp(b, "zIPL", 4))
		rc = pv_err_set(err, PV_ERR_FORMAT,
				"disk '%s': the program table at block %llu has no \"zIPL\" header",
				path, (unsigned long long)pb);
	for (unsigned int i = 0; !rc && i < PV_DISK_PROGRAM_ENTRIES; i++) {
		uint8_t *e = b + PV_DISK_BLOCKPTR * (i + 1);
		uint8_t tab[PV_DISK_BLOCK];

		rc = check_ptr(&r, e, &pb, &cnt, err);
		if (rc || !pb)
			break;
		memcpy(tab, b, sizeof(tab));
		info->prog[info->nprog].index = i;
		rc = read_program(&r, pb, &info->prog[info->nprog], err);
		memcpy(b, tab, sizeof(tab));
		info->nprog++;
	}
	if (!rc && !info->nprog)
		rc = pv_err_set(err, PV_ERR_FORMAT,
				"disk '%s': the program table is empty", path);
	close(r.fd);
	return rc;
}
