// SPDX-License-Identifier: MIT
/*
 * Disks with a zipl SCSI bootmap (lib/disk) byte by byte against zipl's
 * structures (s390-tools include/boot/boot_defs.h, zipl/src/bootmap.c):
 * the master boot record, the bootmap header and empty block, segment
 * tables filled from the last one, component and program tables, the
 * direct and the zipl (stage3) programs, the data partition; reading a
 * disk back as the bios does, with its errors; bad inputs leave nothing
 * behind.  And the bios loader: QEMU's placement rule and the relocation
 * of Debian's s390-ccw.img, whose build is pinned.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "pvboot/disk.h"
#include "../../lib/disk/disk_priv.h"
#include "../../machine/io.h"

#define BS 512
#define BIOS_SHA256 \
	"f7eb969377a89842e01dcecc5c81af46308fafb32d0dba95c2da2b4ad8f9e2b0"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pvboot-bootmap.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
	static char p[32][128];
	static int k;

	k = (k + 1) % 32;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

/* A file of @len bytes: a short PSW @psw at 0, then a pattern. */
static const char *make_file(const char *name, size_t len, uint64_t psw)
{
	const char *p = path_of(name);
	uint8_t *b = malloc(len);
	FILE *f;

	assert_non_null(b);
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 13 + i / 512);
	if (len >= 8)
		pv_put_be64(b, psw);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	fclose(f);
	free(b);
	return p;
}

static uint8_t *slurp(const char *p, size_t *len)
{
	struct stat st;
	uint8_t *b;
	FILE *f = fopen(p, "rb");

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	b = malloc((size_t)st.st_size);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*len = (size_t)st.st_size;
	return b;
}

/* A block pointer at @p: block, size 512, count. */
static void expect_ptr(const uint8_t *p, uint64_t block, uint64_t count)
{
	assert_int_equal(pv_get_be64(p), block);
	assert_int_equal(pv_get_be16(p + 8), BS);
	assert_int_equal(pv_get_be16(p + 10), count - 1);
	assert_int_equal(pv_get_be32(p + 12), 0);
}

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_direct_layout(void **s)
{
	const size_t ilen = 0x10000 + 3000;
	const char *img = make_file("se.img", ilen, 0x0008000180011000ULL);
	const char *out = path_of("direct.disk");
	struct pv_disk_opts o = { .image = img };
	struct pv_disk_layout lay;
	uint8_t *d, *src;
	size_t len, slen;
	uint64_t nb = (3000 + BS - 1) / BS;

	(void)s;
	assert_int_equal(pv_disk_write(&o, out, &lay, NULL), 0);
	d = slurp(out, &len);
	src = slurp(img, &slen);
	/* block 0: zipl's SCSI MBR, nothing else */
	assert_memory_equal(d, "zIPL", 4);
	assert_int_equal(pv_get_be32(d + 4), 1);
	assert_true(zero(d + 8, 8));
	expect_ptr(d + 16, lay.program_table, 1);
	assert_true(zero(d + 32, BS - 32));
	/* block 1: zipl's bootmap header text; block 2: the empty block */
	assert_int_equal(lay.bootmap_start, 1);
	assert_string_equal((char *)d + BS,
			    "zSeries bootmap file\ncreated by zIPL\n");
	assert_true(zero(d + BS + 38, BS - 38));
	assert_true(zero(d + 2 * BS, BS));
	/* blocks 3..: the image from 0x10000, the last block zero padded */
	assert_memory_equal(d + 3 * BS, src + 0x10000, 3000);
	assert_true(zero(d + 3 * BS + 3000, nb * BS - 3000));
	/* the segment table: one pointer, then zeros */
	expect_ptr(d + (3 + nb) * BS, 3, nb);
	assert_true(zero(d + (3 + nb) * BS + 16, BS - 16));
	/* the component table: LOAD 0x10000, EXEC the image's PSW */
	assert_int_equal(lay.component_table, 4 + nb);
	{
		const uint8_t *t = d + lay.component_table * BS;

		assert_memory_equal(t, "zIPL", 4);
		assert_true(zero(t + 4, 28));	/* type 0: IPL */
		expect_ptr(t + 32, 3 + nb, 1);
		assert_true(zero(t + 48, 7));
		assert_int_equal(t[32 + 23], PV_DISK_COMP_LOAD);
		assert_int_equal(pv_get_be64(t + 32 + 24), 0x10000);
		assert_true(zero(t + 64, 23));
		assert_int_equal(t[64 + 23], PV_DISK_COMP_EXEC);
		assert_int_equal(pv_get_be64(t + 64 + 24), 0x0008000180011000ULL);
		assert_true(zero(t + 96, BS - 96));
	}
	/* the program table: "zIPL", entry 0 is the component table */
	{
		const uint8_t *p = d + lay.program_table * BS;

		assert_int_equal(lay.program_table, lay.component_table + 1);
		assert_memory_equal(p, "zIPL", 4);
		assert_true(zero(p + 4, 12));
		expect_ptr(p + 16, lay.component_table, 1);
		assert_true(zero(p + 32, BS - 32));
	}
	assert_int_equal(len, (lay.program_table + 1) * BS);
	assert_int_equal(lay.disk_size, len);
	free(d);
	free(src);
}

/* zipl's add_segment_table: 31 pointers and a link per block, last first. */
static void test_segment_tables(void **s)
{
	const char *out = path_of("seg.bin");
	struct bm_writer w = { .out = out, .next = 10 };
	struct bm_run runs[70];
	uint64_t first;
	uint8_t *d;
	size_t len;

	(void)s;
	w.fd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(w.fd >= 0);
	for (int i = 0; i < 70; i++) {
		runs[i].block = 1000 + 100ULL * i;
		runs[i].count = (uint64_t)i + 1;
	}
	assert_int_equal(bm_put_segments(&w, runs, 70, &first, NULL), 0);
	close(w.fd);
	d = slurp(out, &len);
	/* 70 = 31 + 31 + 8: written last table first, at 10, 11, 12 */
	assert_int_equal(w.next, 13);
	assert_int_equal(first, 12);
	/* the first table: runs 0..30, link to 11 */
	for (int i = 0; i < 31; i++)
		expect_ptr(d + 12 * BS + 16 * i, runs[i].block, runs[i].count);
	expect_ptr(d + 12 * BS + 16 * 31, 11, 1);
	for (int i = 0; i < 31; i++)
		expect_ptr(d + 11 * BS + 16 * i, runs[31 + i].block,
			   runs[31 + i].count);
	expect_ptr(d + 11 * BS + 16 * 31, 10, 1);
	/* the last: 8 pointers, zeros, no link */
	for (int i = 0; i < 8; i++)
		expect_ptr(d + 10 * BS + 16 * i, runs[62 + i].block,
			   runs[62 + i].count);
	assert_true(zero(d + 10 * BS + 16 * 8, BS - 16 * 8));
	free(d);
}

/* A component larger than one pointer can name (65536 blocks). */
static void test_long_component(void **s)
{
	const size_t ilen = 0x10000 + 65536 * BS + 700;
	const char *img = make_file("long.img", ilen, 0x0008000180011000ULL);
	const char *out = path_of("long.disk");
	struct pv_disk_opts o = { .image = img };
	struct pv_disk_layout lay;
	struct pv_disk_info *info = calloc(1, sizeof(*info));
	uint8_t seg[BS];
	int fd;

	(void)s;
	assert_non_null(info);
	assert_int_equal(pv_disk_write(&o, out, &lay, NULL), 0);
	fd = open(out, O_RDONLY);
	assert_int_equal(pread(fd, seg, BS, (off_t)((3 + 65538) * BS)), BS);
	close(fd);
	expect_ptr(seg, 3, 65536);
	expect_ptr(seg + 16, 3 + 65536, 2);
	assert_true(zero(seg + 32, BS - 32));
	assert_int_equal(pv_disk_inspect(out, info, NULL), 0);
	assert_int_equal(info->prog[0].comp[0].segments, 2);
	assert_int_equal(info->prog[0].comp[0].bytes, 65538ULL * BS);
	free(info);
	unlink(out);
	unlink(img);
}

/* zipl 2.16's SCSI program with a stage3 that carries a signature. */
static void test_zipl_layout(void **s)
{
	const char *img = make_file("z.img", 0x10000 + 100, 0x0008000180011000ULL);
	const char *s3 = path_of("stage3.bin");
	const char *out = path_of("zipl.disk");
	struct pv_disk_opts o = { .image = img, .stage3 = s3 };
	struct pv_disk_layout lay;
	struct pv_disk_info *info = calloc(1, sizeof(*info));
	const uint64_t want[][2] = {
		{ PV_DISK_COMP_LOAD, 0x2000 }, { PV_DISK_COMP_LOAD, 0xf000 },
		{ PV_DISK_COMP_LOAD, 0xa000 }, { PV_DISK_COMP_LOAD, 0x9000 },
		{ PV_DISK_COMP_LOAD, 0x10000 },
		{ PV_DISK_COMP_EXEC, 0x000800008000a000ULL },
	};
	uint8_t tail[12 + 28] = { 0 }, parms[64];
	FILE *f = fopen(s3, "wb");
	uint64_t pb = 0;
	int fd;

	(void)s;
	assert_non_null(info);
	assert_non_null(f);
	for (int i = 0; i < 1000; i++)
		fputc(i & 0xff, f);
	fwrite("SIGNATURE", 1, 9, f);
	pv_put_be32(tail + 8, 9);	/* sig_len */
	memcpy(tail + 12, "~Module signature appended~\n", 28);
	fwrite(tail, 1, sizeof(tail), f);
	fclose(f);
	assert_int_equal(pv_disk_write(&o, out, &lay, NULL), 0);
	assert_int_equal(pv_disk_inspect(out, info, NULL), 0);
	assert_int_equal(info->nprog, 1);
	assert_int_equal(info->prog[0].ncomp, 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(info->prog[0].comp[i].type, want[i][0]);
		assert_int_equal(info->prog[0].comp[i].value, want[i][1]);
	}
	assert_int_equal(info->prog[0].comp[0].bytes, 0x4000);
	assert_int_equal(info->prog[0].comp[1].bytes, 0x1000);
	/* stage3 without its signature: 1000 bytes, 2 blocks */
	assert_int_equal(info->prog[0].comp[2].bytes, 1024);
	assert_int_equal(info->prog[0].comp[4].bytes, 0x10000 + 512);
	/* the parameter block: one block after heap, stack, stage3 */
	pb = 1 + 2 + 32 + 1 + 8 + 1 + 2 + 1;
	fd = open(out, O_RDONLY);
	assert_int_equal(pread(fd, parms, 64, (off_t)(pb * BS)), 64);
	close(fd);
	assert_int_equal(pv_get_be64(parms), 0xffffffffffffffffULL);
	assert_int_equal(pv_get_be64(parms + 8), 0);
	assert_int_equal(pv_get_be64(parms + 16), 0);
	assert_int_equal(pv_get_be64(parms + 24), 0x0008000080010000ULL);
	assert_int_equal(pv_get_be64(parms + 32), 0);
	assert_int_equal(pv_get_be64(parms + 40), 0x0001000000000000ULL);
	assert_int_equal(pv_get_be64(parms + 48), 0x10000 + 100);
	assert_int_equal(pv_get_be64(parms + 56), 0x10000);
	free(info);
}

static void test_data_partition(void **s)
{
	const char *img = make_file("d.img", 0x10000 + 512, 0x0008000180011000ULL);
	const char *data = make_file("fs.img", 3 * BS + 10, 0);
	const char *out = path_of("data.disk");
	struct pv_disk_opts o = { .image = img, .data = data, .size = 8 << 20 };
	struct pv_disk_layout lay;
	uint8_t *d, *fs;
	size_t len, flen;

	(void)s;
	assert_int_equal(pv_disk_write(&o, out, &lay, NULL), 0);
	d = slurp(out, &len);
	fs = slurp(data, &flen);
	assert_int_equal(len, 8 << 20);
	assert_int_equal(lay.data_start, 2048);
	assert_int_equal(lay.data_blocks, 4);
	/* zipl's record and a DOS partition table share block 0 */
	assert_memory_equal(d, "zIPL", 4);
	assert_int_equal(d[0x1be], 0);
	assert_int_equal(d[0x1c2], 0x83);
	assert_int_equal(d[0x1c6] | d[0x1c7] << 8, 2048);
	assert_int_equal(d[0x1ca], 4);
	assert_true(zero(d + 0x1ce, 48));
	assert_int_equal(d[510], 0x55);
	assert_int_equal(d[511], 0xaa);
	assert_memory_equal(d + 2048 * BS, fs, flen);
	free(d);
	free(fs);
}

static void expect_fail(const struct pv_disk_opts *o, const char *out,
			int code, const char *text)
{
	struct pv_err *err = NULL;
	struct stat st;

	assert_int_equal(pv_disk_write(o, out, NULL, &err), -code);
	assert_non_null(err);
	if (!strstr(err->msg, text))
		fprintf(stderr, "message: %s\n", err->msg);
	assert_non_null(strstr(err->msg, text));
	pv_err_free(err);
	assert_int_equal(stat(out, &st), -1);	/* nothing left behind */
}

static void test_bad_inputs(void **s)
{
	struct pv_disk_opts o = { 0 };
	char out[128];

	(void)s;
	snprintf(out, sizeof(out), "%s", path_of("bad.disk"));
	o.image = make_file("nopsw.img", 0x10000 + 10, 0);
	expect_fail(&o, out, PV_ERR_FORMAT, "no IPL PSW");
	o.image = make_file("short.img", 0x8000, 0x0008000180011000ULL);
	expect_fail(&o, out, PV_ERR_FORMAT, "ends before 0x10000");
	o.image = path_of("missing.img");
	expect_fail(&o, out, PV_ERR_IO, "cannot open image");
	o.image = make_file("ok.img", 0x10000 + 10, 0x0008000180011000ULL);
	o.stage3 = make_file("big3.bin", 0x6000, 0);
	expect_fail(&o, out, PV_ERR_FORMAT, "stage3");
	o.stage3 = NULL;
	o.data = make_file("empty.fs", 0, 0);
	expect_fail(&o, out, PV_ERR_FORMAT, "is empty");
	o.data = NULL;
	/* an existing output is kept without --overwrite */
	make_file("exists.disk", 100, 0);
	{
		struct pv_err *err = NULL;
		struct stat st;

		assert_int_equal(pv_disk_write(&o, path_of("exists.disk"),
					       NULL, &err), -PV_ERR_EXISTS);
		pv_err_free(err);
		assert_int_equal(stat(path_of("exists.disk"), &st), 0);
		assert_int_equal(st.st_size, 100);
		o.overwrite = true;
		assert_int_equal(pv_disk_write(&o, path_of("exists.disk"),
					       NULL, NULL), 0);
	}
}

static int inspect_code(const char *p, const char *text)
{
	struct pv_disk_info *info = calloc(1, sizeof(*info));
	struct pv_err *err = NULL;
	int rc;

	assert_non_null(info);
	rc = pv_disk_inspect(p, info, &err);
	if (rc && text && !strstr(err->msg, text))
		fprintf(stderr, "message: %s\n", err->msg);
	if (rc && text)
		assert_non_null(strstr(err->msg, text));
	pv_err_free(err);
	free(info);
	return -rc;
}

static void test_inspect_errors(void **s)
{
	const char *img = make_file("i.img", 0x10000 + 4096, 0x0008000180011000ULL);
	const char *out = path_of("i.disk");
	struct pv_disk_opts o = { .image = img };
	struct pv_disk_layout lay;
	uint8_t b[BS];
	int fd;

	(void)s;
	assert_int_equal(pv_disk_write(&o, out, &lay, NULL), 0);
	assert_int_equal(inspect_code(out, NULL), 0);
	/* a pointer beyond the end of the disk */
	fd = open(out, O_RDWR);
	assert_int_equal(pread(fd, b, BS, 0), BS);
	pv_put_be64(b + 16, 1000000);
	assert_int_equal(pwrite(fd, b, BS, 0), BS);
	close(fd);
	assert_int_equal(inspect_code(out, "beyond the end"), PV_ERR_RANGE);
	/* truncated: the program table is gone */
	assert_int_equal(pv_disk_write(&(struct pv_disk_opts){ .image = img,
				       .overwrite = true }, out, &lay, NULL), 0);
	assert_int_equal(truncate(out, (off_t)(lay.program_table * BS)), 0);
	assert_int_equal(inspect_code(out, "beyond the end"), PV_ERR_RANGE);
	/* no boot record at all */
	fd = open(out, O_RDWR);
	memset(b, 0, BS);
	assert_int_equal(pwrite(fd, b, BS, 0), BS);
	close(fd);
	assert_int_equal(inspect_code(out, "no zipl boot record"),
			 PV_ERR_FORMAT);
	/* a block size the disk does not have */
	assert_int_equal(pv_disk_write(&(struct pv_disk_opts){ .image = img,
				       .overwrite = true }, out, &lay, NULL), 0);
	fd = open(out, O_RDWR);
	assert_int_equal(pread(fd, b, BS, 0), BS);
	pv_put_be16(b + 16 + 8, 4096);
	assert_int_equal(pwrite(fd, b, BS, 0), BS);
	close(fd);
	assert_int_equal(inspect_code(out, "blocks of 4096"), PV_ERR_FORMAT);
}

/* ---- the bios loader ------------------------------------------------------ */

static void test_bios_base(void **s)
{
	(void)s;
	assert_int_equal(bios_base_for(512ULL << 20), 0x1fe00000);
	assert_int_equal(bios_base_for(256ULL << 20), 0x0fe00000);
	assert_int_equal(bios_base_for(4ULL << 30), 0x7fe00000);
	assert_int_equal(bios_base_for((2ULL << 20) + 0x12345), 0x10000);
	assert_int_equal(bios_base_for(1ULL << 20), 0);
}

static void test_debian_bios(void **s)
{
	const char *p = "/usr/share/qemu/s390-ccw.img";
	uint64_t entry, memsz, base = 0x1fe00000;
	uint8_t h[PV_SHA256_LEN], *elf, *mem;
	char hex[65];
	size_t len;

	(void)s;
	if (access(p, R_OK)) {
		/* scripts/setup.sh installs qemu-system-data */
		fail_msg("%s is missing: install qemu-system-data", p);
	}
	elf = slurp(p, &len);
	assert_int_equal(pv_sha256(elf, len, h, NULL), 0);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	/* pinned: a new build needs the IPL scenarios run against it */
	assert_string_equal(hex, BIOS_SHA256);
	mem = calloc(1, 1 << 20);
	assert_non_null(mem);
	assert_int_equal(bios_relocate(elf, len, base, mem, 1 << 20, &entry,
				       &memsz, NULL), 0);
	assert_int_equal(entry, 0x3e8);
	assert_int_equal(memsz, 0xeed0 + 0x35130);
	/* R_390_RELATIVE: the word at 0xefe8 becomes base + 0xcf70 */
	assert_int_equal(pv_get_be64(mem + 0xefe8), base + 0xcf70);
	assert_int_equal(pv_get_be64(mem + 0xf1d8), base + 0x4003c);
	/* the text as in the file, the bss zeroed */
	assert_memory_equal(mem + 0x3e8, elf + 0x3e8, 64);
	assert_true(zero(mem + 0xeed0 + 0x350, 0x1000));
	free(mem);
	free(elf);
}

static void test_bad_bios(void **s)
{
	uint8_t elf[512] = { 0 };
	uint64_t entry, memsz;
	uint8_t mem[4096];
	struct pv_err *err = NULL;

	(void)s;
	assert_true(bios_relocate(elf, sizeof(elf), 0, NULL, 0, &entry,
				  &memsz, &err) < 0);
	assert_non_null(strstr(err->msg, "not an ELF"));
	pv_err_free(err);
	err = NULL;
	/* an s390 ELF64 with one PT_LOAD and a relocation of another type */
	memcpy(elf, "\177ELF\2\2\1", 7);
	pv_put_be16(elf + 16, 3);		/* ET_DYN */
	pv_put_be16(elf + 18, 22);		/* EM_S390 */
	pv_put_be64(elf + 24, 0x100);		/* entry */
	pv_put_be64(elf + 32, 64);		/* phoff */
	pv_put_be16(elf + 54, 56);
	pv_put_be16(elf + 56, 2);
	pv_put_be32(elf + 64, 1);		/* PT_LOAD */
	pv_put_be64(elf + 64 + 8, 0);
	pv_put_be64(elf + 64 + 16, 0);
	pv_put_be64(elf + 64 + 32, 512);
	pv_put_be64(elf + 64 + 40, 1024);
	pv_put_be32(elf + 120, 2);		/* PT_DYNAMIC at 0x180 */
	pv_put_be64(elf + 120 + 8, 0x180);
	pv_put_be64(elf + 120 + 16, 0x180);
	pv_put_be64(elf + 120 + 32, 48);
	pv_put_be64(elf + 0x180, 7);		/* DT_RELA 0x1c0 */
	pv_put_be64(elf + 0x188, 0x1c0);
	pv_put_be64(elf + 0x190, 8);		/* DT_RELASZ 24 */
	pv_put_be64(elf + 0x198, 24);
	pv_put_be64(elf + 0x1c0, 0x10);		/* r_offset */
	pv_put_be64(elf + 0x1c8, 22);		/* R_390_64: unsupported */
	assert_int_equal(bios_relocate(elf, sizeof(elf), 0x1000, mem,
				       sizeof(mem), &entry, &memsz, NULL), 0 - PV_ERR_UNSUPPORTED);
	pv_put_be64(elf + 0x1c8, 12);		/* R_390_RELATIVE */
	pv_put_be64(elf + 0x1d0, 0x40);
	assert_int_equal(bios_relocate(elf, sizeof(elf), 0x1000, mem,
				       sizeof(mem), &entry, &memsz, NULL), 0);
	assert_int_equal(pv_get_be64(mem + 0x10), 0x1040);
	/* the entry outside the segments */
	pv_put_be64(elf + 24, 0x5000);
	assert_true(bios_relocate(elf, sizeof(elf), 0x1000, mem, sizeof(mem),
				  &entry, &memsz, &err) < 0);
	assert_non_null(strstr(err->msg, "entry point"));
	pv_err_free(err);
	err = NULL;
	/* the wrong machine */
	pv_put_be16(elf + 18, 62);
	assert_true(bios_relocate(elf, sizeof(elf), 0, NULL, 0, &entry,
				  &memsz, &err) < 0);
	assert_non_null(strstr(err->msg, "s390"));
	pv_err_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_layout),
		cmocka_unit_test(test_segment_tables),
		cmocka_unit_test(test_long_component),
		cmocka_unit_test(test_zipl_layout),
		cmocka_unit_test(test_data_partition),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_inspect_errors),
		cmocka_unit_test(test_bios_base),
		cmocka_unit_test(test_debian_bios),
		cmocka_unit_test(test_bad_bios),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
