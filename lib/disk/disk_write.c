// SPDX-License-Identifier: MIT
/*
 * `pvboot disk`: a raw disk whose zipl SCSI boot record leads to the SE
 * image (pvboot/disk.h).  The order of the bootmap's blocks is zipl's for
 * one IPL section (zipl/src/bootmap.c bootmap_create, build_program_table,
 * add_ipl_program of s390-tools 2.16): header text, empty block, each
 * component's data followed by its segment tables, the component table,
 * the program table; then zipl's update_scsi_mbr writes block 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/be.h"
#include "pvboot/disk.h"
#include "pvboot/outfile.h"

#include "disk_priv.h"

#define MAX_RUNS 512
#define IMAGE_ENTRY 0x10000ULL
#define STAGE3_ENTRY 0xa000ULL
#define STAGE3_PARAMS 0x9000ULL
#define STAGE3_HEAP 0x2000ULL
#define STAGE3_HEAP_SIZE 0x4000ULL
#define STAGE3_STACK 0xf000ULL
#define STAGE3_STACK_SIZE 0x1000ULL
#define STAGE3_FLAG_SCSI 0x0001000000000000ULL
#define PSW_LOAD 0x0008000080000000ULL
#define PSW_SHORT_BIT 0x0008000000000000ULL
#define UNSPECIFIED 0xffffffffffffffffULL
#define SIG_MAGIC "~Module signature appended~\n"
#define DATA_ALIGN 2048ULL	/* partition start: 1 MiB */

static const char header_text[] = "zSeries bootmap file\ncreated by zIPL\n";

struct input {
	int fd;
	uint64_t size;
	const char *path;
};

static int open_input(struct input *in, const char *path, const char *what,
		      struct pv_err **err)
{
	struct stat st;

	in->path = path;
	in->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0)
		return pv_err_set(err, PV_ERR_IO, "cannot open %s '%s': %s",
				  what, path, strerror(errno));
	if (fstat(in->fd, &st) || !S_ISREG(st.st_mode)) {
		close(in->fd);
		in->fd = -1;
		return pv_err_set(err, PV_ERR_IO,
				  "%s '%s' is not a regular file", what, path);
	}
	in->size = (uint64_t)st.st_size;
	return 0;
}

static void close_input(struct input *in)
{
	if (in->fd >= 0)
		close(in->fd);
	in->fd = -1;
}

/* One LOAD component: its data, its segment tables, its table entry. */
static int load_comp(struct bm_writer *w, int fd, uint64_t off,
		     uint64_t len, uint64_t addr, uint8_t *entry,
		     struct pv_err **err)
{
	struct bm_run runs[MAX_RUNS];
	uint64_t seg;
	long n = bm_put_data(w, fd, off, len, runs, MAX_RUNS, err);
	int rc;

	if (n < 0)
		return (int)n;
	rc = bm_put_segments(w, runs, (size_t)n, &seg, err);
	if (rc)
		return rc;
	memset(entry, 0, PV_DISK_COMP_ENTRY);
	bm_put_ptr(entry, seg, 1);
	entry[23] = PV_DISK_COMP_LOAD;
	pv_put_be64(entry + 24, addr);
	return 0;
}

/* The size of stage3.bin without a module-signature trailer (zipl's
 * extract_signature: 12-byte descriptor, then the magic string). */
static int stage3_size(struct input *s3, uint64_t *len, struct pv_err **err)
{
	uint8_t tail[12 + sizeof(SIG_MAGIC) - 1];
	uint64_t siglen;

	*len = s3->size;
	if (s3->size < sizeof(tail))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "stage3 '%s' is too small to be zipl's stage3.bin",
				  s3->path);
	if (pread(s3->fd, tail, sizeof(tail),
		  (off_t)(s3->size - sizeof(tail))) != (ssize_t)sizeof(tail))
		return pv_err_set(err, PV_ERR_IO, "reading stage3 '%s'",
				  s3->path);
	if (!memcmp(tail + 12, SIG_MAGIC, sizeof(SIG_MAGIC) - 1)) {
		siglen = pv_get_be32(tail + 8);
		if (siglen + sizeof(tail) > s3->size)
			return pv_err_set(err, PV_ERR_FORMAT,
					  "stage3 '%s': malformed signature trailer",
					  s3->path);
		*len = s3->size - sizeof(tail) - siglen;
	}
	/* it is loaded at 0xA000, below the loader's stack at 0xF000 */
	if (*len > STAGE3_STACK - STAGE3_ENTRY)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "stage3 '%s' holds %llu bytes, more than fit between 0x%llx and 0x%llx",
				  s3->path, (unsigned long long)*len,
				  (unsigned long long)STAGE3_ENTRY,
				  (unsigned long long)STAGE3_STACK);
	return 0;
}

/* zipl 2.16's SCSI program: heap, stack, stage3, parameters, image. */
static int zipl_program(struct bm_writer *w, struct input *img,
			struct input *s3, uint8_t *table, unsigned int *n,
			struct pv_disk_layout *lay, struct pv_err **err)
{
	uint8_t parms[PV_DISK_STAGE3_PARMS] = { 0 };
	uint64_t s3len, pblk;
	struct bm_run run;
	int rc;

	rc = stage3_size(s3, &s3len, err);
	if (!rc)
		rc = load_comp(w, -1, 0, STAGE3_HEAP_SIZE, STAGE3_HEAP,
			       table + PV_DISK_COMP_ENTRY * (*n)++, err);
	if (!rc)
		rc = load_comp(w, -1, 0, STAGE3_STACK_SIZE, STAGE3_STACK,
			       table + PV_DISK_COMP_ENTRY * (*n)++, err);
	if (!rc)
		rc = load_comp(w, s3->fd, 0, s3len, STAGE3_ENTRY,
			       table + PV_DISK_COMP_ENTRY * (*n)++, err);
	if (rc)
		return rc;
	/* struct stage3_parms: no parmline, no ramdisk */
	pv_put_be64(parms, UNSPECIFIED);
	pv_put_be64(parms + 24, IMAGE_ENTRY | PSW_LOAD);
	pv_put_be64(parms + 40, STAGE3_FLAG_SCSI);
	pv_put_be64(parms + 48, img->size);
	pv_put_be64(parms + 56, IMAGE_ENTRY);
	rc = bm_put_block(w, parms, sizeof(parms), &pblk, err);
	run.block = pblk;
	run.count = 1;
	if (!rc)
		rc = bm_put_segments(w, &run, 1, &pblk, err);
	if (rc)
		return rc;
	{
		uint8_t *e = table + PV_DISK_COMP_ENTRY * (*n)++;

		memset(e, 0, PV_DISK_COMP_ENTRY);
		bm_put_ptr(e, pblk, 1);
		e[23] = PV_DISK_COMP_LOAD;
		pv_put_be64(e + 24, STAGE3_PARAMS);
	}
	rc = load_comp(w, img->fd, 0, img->size, IMAGE_ENTRY,
		       table + PV_DISK_COMP_ENTRY * (*n)++, err);
	lay->image_load = IMAGE_ENTRY;
	lay->image_bytes = img->size;
	lay->exec_psw = PSW_LOAD | STAGE3_ENTRY;
	return rc;
}

/* The direct program: image[64K:] at 0x10000, the image's IPL PSW. */
static int direct_program(struct bm_writer *w, struct input *img,
			  uint8_t *table, unsigned int *n,
			  struct pv_disk_layout *lay, struct pv_err **err)
{
	uint8_t psw[8];

	if (img->size <= IMAGE_ENTRY)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "image '%s' (%llu bytes) ends before 0x10000, where a loaded program starts",
				  img->path, (unsigned long long)img->size);
	if (pread(img->fd, psw, 8, 0) != 8)
		return pv_err_set(err, PV_ERR_IO, "reading image '%s'",
				  img->path);
	lay->exec_psw = pv_get_be64(psw);
	if (!(lay->exec_psw & PSW_SHORT_BIT))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "image '%s' has no IPL PSW at 0 (short-PSW bit 12 is off in %016llx)",
				  img->path,
				  (unsigned long long)lay->exec_psw);
	lay->image_load = IMAGE_ENTRY;
	lay->image_bytes = img->size - IMAGE_ENTRY;
	return load_comp(w, img->fd, IMAGE_ENTRY, img->size - IMAGE_ENTRY,
			 IMAGE_ENTRY, table + PV_DISK_COMP_ENTRY * (*n)++,
			 err);
}

static int write_bootmap(struct bm_writer *w, struct input *img,
			 struct input *s3, struct pv_disk_layout *lay,
			 struct pv_err **err)
{
	uint8_t table[PV_DISK_BLOCK] = { 0 }, prog[PV_DISK_BLOCK] = { 0 };
	uint8_t *comps = table + PV_DISK_COMP_HDR, *e;
	uint64_t blk;
	unsigned int n = 0;
	int rc;

	lay->bootmap_start = w->next;
	rc = bm_put_block(w, header_text, sizeof(header_text), &blk, err);
	if (!rc)	/* the empty block zipl reads in place of holes */
		rc = bm_put_block(w, "", 0, &blk, err);
	if (!rc)
		rc = s3 ? zipl_program(w, img, s3, comps, &n, lay, err) :
			  direct_program(w, img, comps, &n, lay, err);
	if (rc)
		return rc;
	memcpy(table, "zIPL", 4);	/* component header: IPL (type 0) */
	e = comps + PV_DISK_COMP_ENTRY * n++;
	e[23] = PV_DISK_COMP_EXEC;
	pv_put_be64(e + 24, lay->exec_psw);
	lay->components = n;
	rc = bm_put_block(w, table, sizeof(table), &lay->component_table, err);
	if (rc)
		return rc;
	memcpy(prog, "zIPL", 4);
	bm_put_ptr(prog + PV_DISK_BLOCKPTR, lay->component_table, 1);
	rc = bm_put_block(w, prog, sizeof(prog), &lay->program_table, err);
	lay->bootmap_blocks = w->next - lay->bootmap_start;
	return rc;
}

/* Block 0: zipl's SCSI MBR, and a DOS table for the data partition. */
static int write_mbr(struct bm_writer *w, const struct pv_disk_layout *lay,
		     struct pv_err **err)
{
	uint8_t b[PV_DISK_BLOCK] = { 0 };
	uint8_t *p = b + 0x1be;
	uint64_t next = w->next;
	int rc;

	memcpy(b, "zIPL", 4);
	pv_put_be32(b + 4, 1);		/* DISK_LAYOUT_ID */
	bm_put_ptr(b + 16, lay->program_table, 1);
	if (lay->data_blocks) {
		/* partition 1, Linux (0x83), LBA only (CHS "beyond 1024") */
		p[0] = 0x00;
		p[1] = 0xfe;
		p[2] = 0xff;
		p[3] = 0xff;
		p[4] = 0x83;
		p[5] = 0xfe;
		p[6] = 0xff;
		p[7] = 0xff;
		for (int i = 0; i < 4; i++) {
			p[8 + i] = (uint8_t)(lay->data_start >> (8 * i));
			p[12 + i] = (uint8_t)(lay->data_blocks >> (8 * i));
		}
		b[510] = 0x55;
		b[511] = 0xaa;
	}
	w->next = 0;
	rc = bm_put_block(w, b, sizeof(b), &(uint64_t){ 0 }, err);
	w->next = next;
	return rc;
}

static int build(const struct pv_disk_opts *o, struct bm_writer *w,
		 struct pv_disk_layout *lay, struct pv_err **err)
{
	struct input img = { .fd = -1 }, s3 = { .fd = -1 }, data = { .fd = -1 };
	struct bm_run runs[MAX_RUNS];
	uint64_t end;
	long n;
	int rc;

	rc = open_input(&img, o->image, "image", err);
	if (!rc && o->stage3)
		rc = open_input(&s3, o->stage3, "stage3", err);
	if (!rc && o->data)
		rc = open_input(&data, o->data, "data", err);
	if (!rc && img.size > 0x80000000ULL - IMAGE_ENTRY)
		rc = pv_err_set(err, PV_ERR_RANGE,
				"image '%s' does not fit below 2 GiB from 0x10000",
				o->image);
	w->next = 1;
	if (!rc)
		rc = write_bootmap(w, &img, o->stage3 ? &s3 : NULL, lay, err);
	if (!rc && o->data) {
		if (!data.size) {
			rc = pv_err_set(err, PV_ERR_FORMAT,
					"data '%s' is empty", o->data);
			goto out;
		}
		lay->data_start = (w->next + DATA_ALIGN - 1) / DATA_ALIGN *
				  DATA_ALIGN;
		lay->data_blocks = (data.size + PV_DISK_BLOCK - 1) /
				   PV_DISK_BLOCK;
		if (lay->data_start + lay->data_blocks > 0xffffffffULL) {
			rc = pv_err_set(err, PV_ERR_RANGE,
					"data '%s' does not fit a DOS partition table (2 TiB)",
					o->data);
			goto out;
		}
		w->next = lay->data_start;
		n = bm_put_data(w, data.fd, 0, data.size, runs, MAX_RUNS,
				err);
		if (n < 0)
			rc = (int)n;
	}
	if (!rc)
		rc = write_mbr(w, lay, err);
	end = w->next * PV_DISK_BLOCK;
	if (o->size > end)
		end = (o->size + PV_DISK_BLOCK - 1) / PV_DISK_BLOCK *
		      PV_DISK_BLOCK;
	lay->disk_size = end;
	if (!rc && ftruncate(w->fd, (off_t)end))
		rc = pv_err_set(err, PV_ERR_IO, "sizing '%s': %s", w->out,
				strerror(errno));
out:
	close_input(&img);
	close_input(&s3);
	close_input(&data);
	return rc;
}

int pv_disk_write(const struct pv_disk_opts *o, const char *out,
		  struct pv_disk_layout *lay, struct pv_err **err)
{
	struct pv_outfile of;
	struct bm_writer w = { .out = out };
	struct pv_disk_layout tmp;
	int rc;

	if (!lay)
		lay = &tmp;
	memset(lay, 0, sizeof(*lay));
	if (!o->image)
		return pv_err_set(err, PV_ERR_INVAL, "no image given");
	rc = pv_outfile_open(&of, out, o->overwrite ? PV_OUTFILE_OVERWRITE : 0,
			     0644, err);
	if (rc)
		return rc;
	w.fd = of.fd;
	rc = build(o, &w, lay, err);
	if (rc) {
		pv_outfile_abort(&of);
		return rc;
	}
	return pv_outfile_commit(&of, err);
}
