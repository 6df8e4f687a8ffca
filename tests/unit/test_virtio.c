// SPDX-License-Identifier: MIT
/*
 * virtio-ccw and virtio-blk: the guest program io_virtio (tests/guest)
 * drives the disk as the s390-ccw bios does (legacy) and as Linux does
 * (revisions 1 and 2, classic indicators), on a read-write and on a
 * read-only disk, and the host checks what reached the file.  Run
 * protected (the program as the kernel of an SE image), it shows that
 * the device model cannot touch a page the guest did not share: the
 * request fails and nothing is written.  Below the CPU: broken rings,
 * the notify hypercall, and the block device's error paths.
 */
#include <errno.h>
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
#include "pvboot/boot_blobs.h"
#include "../../machine/machine_priv.h"
#include "../../machine/io.h"
#include "disktest.h"

#define MEM (64ULL << 20)

static struct mt_key key;

static int setup(void **state)
{
	(void)state;
	return mt_key_new(&key);
}

static int teardown(void **state)
{
	(void)state;
	mt_key_free(&key);
	return 0;
}

static void expect_ok(const char *what, struct dt_run *r)
{
	if (r->rc || r->res.wait_code != MT_WAIT_OK || getenv("DT_VERBOSE"))
		dt_dump(what, r);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->res.end, PV_RUN_DISABLED_WAIT);
	assert_int_equal(r->res.wait_code, MT_WAIT_OK);
}

static bool sector_is_pattern(const char *path, uint64_t s)
{
	uint8_t b[512];

	if (dt_read_sector(path, s, b))
		return false;
	for (int i = 0; i < 512; i++)
		if (b[i] != dt_pattern(s, (uint64_t)i))
			return false;
	return true;
}

static void run_prog(bool readonly, struct dt_run *r, char *path)
{
	struct pv_machine_disk d = { .path = path, .readonly = readonly };
	size_t len;
	uint8_t *buf = mt_guest("io_virtio", &len);

	assert_non_null(buf);
	mt_parms(buf, len, readonly ? 1 : 0, MEM, 0, NULL);
	dt_run(buf, len, &d, 1, 0, NULL, MEM, false, r);
	free(buf);
}

static void test_guest_io_virtio(void **s)
{
	char path[64];
	uint8_t b[512];
	struct dt_run r;

	(void)s;
	assert_non_null(dt_disk(path, sizeof(path), 64));
	run_prog(false, &r, path);
	expect_ok("io_virtio", &r);
	assert_true(r.disk[0].reads >= 6);
	assert_true(r.disk[0].writes >= 2);
	assert_true(r.disk[0].flushes >= 2);
	assert_true(r.disk[0].errors >= 4);	/* beyond the end */
	/* what the guest wrote is in the file, its neighbours untouched */
	assert_int_equal(dt_read_sector(path, 5, b), 0);
	for (int i = 0; i < 512; i++)
		assert_int_equal(b[i], (uint8_t)(0xa5 ^ i));
	assert_true(sector_is_pattern(path, 4));
	assert_true(sector_is_pattern(path, 6));
	dt_run_free(&r);
	unlink(path);
}

static void test_guest_io_virtio_readonly(void **s)
{
	char path[64];
	struct dt_run r;

	(void)s;
	assert_non_null(dt_disk(path, sizeof(path), 64));
	run_prog(true, &r, path);
	expect_ok("io_virtio read-only", &r);
	assert_int_equal(r.disk[0].writes, 0);
	assert_true(sector_is_pattern(path, 5));
	dt_run_free(&r);
	unlink(path);
}

/* The program as the kernel of an SE image: it runs protected. */
static void test_guest_io_virtio_protected(void **s)
{
	struct pv_machine_disk d;
	struct mt_image img;
	char path[64];
	struct dt_run r;
	uint8_t *k;
	size_t klen;

	(void)s;
	assert_non_null(dt_disk(path, sizeof(path), 64));
	d.path = path;
	d.readonly = false;
	k = mt_guest("io_virtio", &klen);
	assert_non_null(k);
	assert_int_equal(mt_build_se(k, klen, NULL, 0, "gt=1", key.key, &img),
			 0);
	free(k);
	dt_run(img.buf, img.len, &d, 1, 0, &key, MEM, false, &r);
	mt_image_free(&img);
	expect_ok("io_virtio protected", &r);
	assert_true(r.res.protected_mode);
	assert_non_null(strstr(r.console, "IO-VIRTIO: start (protected)"));
	/* 4 beyond the end, and the two that named the unshared page */
	assert_true(r.disk[0].errors >= 6);
	/* the write from the unshared page did not reach the file */
	assert_true(sector_is_pattern(path, 9));
	assert_false(sector_is_pattern(path, 5));	/* a shared one did */
	dt_run_free(&r);
	unlink(path);
}

/* ---- below the CPU ------------------------------------------------------- */

static struct pv_machine *machine_with(const char *path, bool ro)
{
	struct pv_machine_disk d = { .path = path, .readonly = ro };
	struct pv_machine_opts o = { .mem_size = MEM, .input_fd = -1,
				     .disks = &d, .ndisks = 1 };
	struct pv_machine *m = NULL;

	assert_int_equal(pv_machine_new(&m, &o, NULL), 0);
	return m;
}

/* A legacy queue at 0x10000 with one chain of @n descriptors. */
static void legacy_chain(struct pv_machine *m, struct virtio_dev *vd,
			 unsigned int n, uint16_t head)
{
	uint8_t *desc = m->ram + 0x10000, *avail = desc + 16 * 256;

	vd->vq[0].desc = 0x10000;
	vd->vq[0].avail = 0x10000 + 16 * 256;
	vd->vq[0].used = 0x12000;
	vd->vq[0].num = 256;
	for (unsigned int i = 0; i < n; i++) {
		pv_put_be64(desc + 16 * i, 0x20000);
		pv_put_be32(desc + 16 * i + 8, 16);
		pv_put_be16(desc + 16 * i + 12, 1);	/* NEXT */
		pv_put_be16(desc + 16 * i + 14, (uint16_t)(i + 1));
	}
	pv_put_be16(avail + 4, head);
	pv_put_be16(avail + 2, 1);
}

static void test_broken_rings(void **s)
{
	char path[64];
	struct pv_machine *m;
	struct virtio_dev *vd;
	struct vring_req *req = malloc(sizeof(*req));

	(void)s;
	assert_non_null(req);
	assert_non_null(dt_disk(path, sizeof(path), 8));
	m = machine_with(path, false);
	vd = m->io->vdev[0];
	/* a chain whose last NEXT points back to its start: loops */
	legacy_chain(m, vd, 3, 0);
	pv_put_be16(m->ram + 0x10000 + 32 + 14, 0);
	assert_true(vring_pop(vd, 0, req) < 0);
	assert_true(vd->broken);
	/* a broken device ignores further notifications */
	assert_int_equal(vring_pop(vd, 0, req), 0);
	pv_machine_free(m);
	m = machine_with(path, false);
	vd = m->io->vdev[0];
	/* a head index beyond the queue */
	legacy_chain(m, vd, 1, 300);
	assert_true(vring_pop(vd, 0, req) < 0);
	pv_machine_free(m);
	m = machine_with(path, false);
	vd = m->io->vdev[0];
	/* an indirect table was never offered */
	legacy_chain(m, vd, 1, 0);
	pv_put_be16(m->ram + 0x10000 + 12, 4);
	assert_true(vring_pop(vd, 0, req) < 0);
	/* the available index ran ahead by more than the queue */
	pv_machine_free(m);
	m = machine_with(path, false);
	vd = m->io->vdev[0];
	legacy_chain(m, vd, 1, 0);
	pv_put_be16(m->ram + 0x10000 + 16 * 256 + 2, 300);
	assert_true(vring_pop(vd, 0, req) < 0);
	pv_machine_free(m);
	free(req);
	unlink(path);
}

static void test_notify(void **s)
{
	char path[64];
	struct pv_machine *m;

	(void)s;
	assert_non_null(dt_disk(path, sizeof(path), 8));
	m = machine_with(path, false);
	assert_int_equal(virtio_ccw_notify(m, 0x00010000, 0), 0);
	assert_int_equal(virtio_ccw_notify(m, 0x00010001, 0), -EINVAL);
	assert_int_equal(virtio_ccw_notify(m, 0x00000000, 0), -EINVAL);
	assert_int_equal(virtio_ccw_notify(m, 0x00010000, 1024), -EINVAL);
	assert_int_equal(virtio_ccw_notify(m, 0x00010000, 5), 0);
	pv_machine_free(m);
	unlink(path);
}

static void test_blockdev_errors(void **s)
{
	char path[64];
	struct blockdev *bd = NULL;
	struct pv_err *err = NULL;
	uint8_t b[512];

	(void)s;
	assert_non_null(dt_disk(path, sizeof(path), 4));
	assert_int_equal(blockdev_open(&bd, path, false, &err), 0);
	/* the file shrinks under the machine: a read past its end fails */
	assert_int_equal(truncate(path, 1024), 0);
	assert_int_equal(blockdev_read(bd, 512, b, 512), 0);
	assert_int_equal(blockdev_read(bd, 1536, b, 512), -EIO);
	blockdev_close(bd);
	/* read-only: writes fail, flushes are nothing */
	assert_int_equal(blockdev_open(&bd, path, true, &err), 0);
	assert_int_equal(blockdev_write(bd, 0, b, 512), -EROFS);
	assert_int_equal(blockdev_flush(bd), 0);
	blockdev_close(bd);
	/* a file nobody may write must be attached read-only */
	assert_int_equal(chmod(path, 0444), 0);
	assert_true(blockdev_open(&bd, path, false, &err) < 0);
	assert_non_null(strstr(err->msg, "readonly"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(blockdev_open(&bd, path, true, &err), 0);
	/* a second writer is refused while the first holds it */
	blockdev_close(bd);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(blockdev_open(&bd, path, false, &err), 0);
	{
		struct blockdev *bd2 = NULL;

		assert_true(blockdev_open(&bd2, path, false, &err) < 0);
		assert_non_null(strstr(err->msg, "in use"));
		pv_err_free(err);
		err = NULL;
	}
	blockdev_close(bd);
	/* too small, missing */
	assert_int_equal(truncate(path, 100), 0);
	assert_true(blockdev_open(&bd, path, false, &err) < 0);
	pv_err_free(err);
	err = NULL;
	unlink(path);
	assert_true(blockdev_open(&bd, path, false, &err) < 0);
	assert_non_null(strstr(err->msg, "cannot open disk"));
	pv_err_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_io_virtio),
		cmocka_unit_test(test_guest_io_virtio_readonly),
		cmocka_unit_test(test_guest_io_virtio_protected),
		cmocka_unit_test(test_broken_rings),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_blockdev_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
