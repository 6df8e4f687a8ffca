// SPDX-License-Identifier: MIT
/*
 * virtio-blk on a host file (virtio 1.x §5.2; QEMU hw/block/virtio-blk.c
 * for what a Linux guest and the s390-ccw bios expect): one request queue
 * of 256 entries, 512-byte sectors, requests IN, OUT, FLUSH and GET_ID;
 * features SEG_MAX, GEOMETRY, BLK_SIZE, FLUSH, TOPOLOGY and RO for a
 * read-only disk.  Requests run to completion when the guest notifies
 * the queue.
 *
 * A request's buffers are guest memory the hypervisor must be allowed to
 * touch: for a protected guest, pages it shared with the UV.  Before any
 * data moves every buffer of the request is checked against the UV's
 * page states, so a request that names a secure page fails with
 * VIRTIO_BLK_S_IOERR and nothing is read from or written to the file or
 * the guest (ipl-from-devices.md §5.2, pv-machine-and-uv.md §4.8).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/uv.h"

#include "machine_priv.h"
#include "io.h"

#define BLK_F_SIZE_MAX 1
#define BLK_F_SEG_MAX 2
#define BLK_F_GEOMETRY 4
#define BLK_F_RO 5
#define BLK_F_BLK_SIZE 6
#define BLK_F_FLUSH 9
#define BLK_F_TOPOLOGY 10

#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8
#define S_OK 0
#define S_IOERR 1
#define S_UNSUPP 2

#define SECTOR 512
#define SEG_MAX 126
#define CONFIG_LEN 36
#define CHUNK (1U << 20)

struct vblk {
	struct blockdev *bd;
	struct virtio_dev *vd;
	uint8_t *buf;		/* bounce buffer, CHUNK bytes */
};

static uint64_t sectors(const struct vblk *b)
{
	return b->bd->size / SECTOR;
}

static uint64_t blk_features(struct virtio_dev *vd)
{
	struct vblk *b = vd->priv;
	uint64_t f = 1ULL << BLK_F_SEG_MAX | 1ULL << BLK_F_GEOMETRY |
		     1ULL << BLK_F_BLK_SIZE | 1ULL << BLK_F_FLUSH |
		     1ULL << BLK_F_TOPOLOGY;

	if (b->bd->readonly)
		f |= 1ULL << BLK_F_RO;
	return f;
}

static void put(const struct virtio_dev *vd, uint8_t *p, uint64_t v,
		int bytes)
{
	bool le = !virtio_legacy(vd);

	for (int i = 0; i < bytes; i++)
		p[le ? i : bytes - 1 - i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const struct virtio_dev *vd, const uint8_t *p, int bytes)
{
	bool le = !virtio_legacy(vd);
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[le ? i : bytes - 1 - i] << (8 * i);
	return v;
}

/* struct virtio_blk_config up to num_queues, in the guest's order. */
static size_t blk_config(struct virtio_dev *vd, uint8_t *cfg, size_t len)
{
	struct vblk *b = vd->priv;
	uint64_t cyl = sectors(b) / (16 * 63);

	if (len < CONFIG_LEN)
		return 0;
	memset(cfg, 0, CONFIG_LEN);
	put(vd, cfg, sectors(b), 8);		/* capacity */
	put(vd, cfg + 8, 0, 4);			/* size_max (not offered) */
	put(vd, cfg + 12, SEG_MAX, 4);		/* seg_max */
	put(vd, cfg + 16, cyl > 16383 ? 16383 : cyl, 2);	/* cylinders */
	cfg[18] = 16;				/* heads */
	cfg[19] = 63;				/* sectors per track */
	put(vd, cfg + 20, SECTOR, 4);		/* blk_size */
	cfg[24] = 0;				/* physical_block_exp */
	cfg[25] = 0;				/* alignment_offset */
	put(vd, cfg + 26, 1, 2);		/* min_io_size (blocks) */
	put(vd, cfg + 28, 0, 4);		/* opt_io_size */
	cfg[32] = 1;				/* wce: write back */
	put(vd, cfg + 34, 1, 2);		/* num_queues */
	return CONFIG_LEN;
}

/* May the hypervisor touch [a, a + len) of guest memory? */
static bool host_ok(struct pv_machine *m, uint64_t a, uint64_t len)
{
	if (a > m->ram_size || len > m->ram_size - a)
		return false;
	if (!m->protected_mode || !len)
		return true;
	/* one question for the range: with the UV in its own process, one
	 * per page cost more than the disk itself */
	return uvlink_next_hidden(m, a, a + len) >= a + len;
}

/* Move @len bytes of segment data: file -> guest (IN) or back (OUT). */
static int transfer(struct vblk *b, const struct vring_seg *s, uint64_t off,
		    bool in)
{
	struct pv_machine *m = b->vd->m;
	uint32_t done = 0;
	int rc;

	while (done < s->len) {
		uint32_t n = s->len - done < CHUNK ? s->len - done : CHUNK;

		if (in) {
			rc = blockdev_read(b->bd, off + done, b->buf, n);
			if (!rc && hv_write(m, s->addr + done, b->buf, n))
				rc = -EFAULT;
			if (!rc)
				codemap_written(m, s->addr + done, n);
		} else {
			rc = hv_read(m, s->addr + done, b->buf, n) ? -EFAULT :
				blockdev_write(b->bd, off + done, b->buf, n);
		}
		if (rc)
			return rc;
		done += n;
	}
	return 0;
}

/*
 * Run one request.  Returns the status byte; *@written: bytes placed in
 * the guest's device-writable buffers, the status byte excluded.
 */
static uint8_t run_request(struct vblk *b, struct vring_req *r,
			   uint64_t *written)
{
	struct virtio_dev *vd = b->vd;
	struct pv_machine *m = vd->m;
	uint8_t hdr[16], id[20] = { 0 };
	unsigned int first, last = r->nsegs - 1;
	uint64_t off, total = 0;
	uint32_t type;
	int rc = 0;

	*written = 0;
	/* the header is the first 16 device-readable bytes, one segment */
	if (r->seg[0].write || r->seg[0].len < sizeof(hdr) ||
	    !host_ok(m, r->seg[0].addr, sizeof(hdr)) ||
	    hv_read(m, r->seg[0].addr, hdr, sizeof(hdr)))
		return S_IOERR;
	type = (uint32_t)get(vd, hdr, 4);
	off = get(vd, hdr + 8, 8);
	if (type != T_IN && type != T_OUT && type != T_FLUSH &&
	    type != T_GET_ID)
		return S_UNSUPP;
	/* no ANY_LAYOUT: the header has a descriptor of its own */
	if (r->seg[0].len != sizeof(hdr))
		return S_IOERR;
	first = 1;
	for (unsigned int i = first; i < last; i++) {
		if (r->seg[i].write != (type != T_OUT) ||
		    !host_ok(m, r->seg[i].addr, r->seg[i].len))
			return S_IOERR;
		total += r->seg[i].len;
	}
	switch (type) {
	case T_IN:
	case T_OUT:
		if (type == T_OUT && b->bd->readonly)
			return S_IOERR;
		if (off > sectors(b) || total % SECTOR ||
		    total / SECTOR > sectors(b) - off)
			return S_IOERR;
		off *= SECTOR;
		for (unsigned int i = first; i < last && !rc; i++) {
			rc = transfer(b, &r->seg[i], off, type == T_IN);
			off += r->seg[i].len;
			if (!rc && type == T_IN)
				*written += r->seg[i].len;
		}
		if (type == T_IN)
			b->bd->reads++;
		else
			b->bd->writes++;
		return rc ? S_IOERR : S_OK;
	case T_FLUSH:
		return blockdev_flush(b->bd) ? S_IOERR : S_OK;
	case T_GET_ID:
		snprintf((char *)id, sizeof(id), "pvboot-disk-%u",
			 vd->sch->nr);
		for (unsigned int i = first; i < last && *written < 20; i++) {
			uint32_t n = r->seg[i].len;

			if (n > 20 - *written)
				n = (uint32_t)(20 - *written);
			if (hv_write(m, r->seg[i].addr, id + *written, n))
				return S_IOERR;
			*written += n;
		}
		return S_OK;
	default:
		return S_UNSUPP;
	}
}

static void blk_notify(struct virtio_dev *vd, unsigned int q)
{
	struct vblk *b = vd->priv;
	struct vring_req *r = malloc(sizeof(*r));
	bool used = false;
	int rc;

	if (!r) {
		virtio_ccw_broken(vd, "out of memory");
		return;
	}
	while ((rc = vring_pop(vd, q, r)) > 0) {
		struct vring_seg *st = &r->seg[r->nsegs - 1];
		uint64_t written = 0;
		uint8_t status = S_IOERR;

		/* the status byte: the last byte, device-writable */
		if (r->nsegs >= 2 && st->write && st->len >= 1 &&
		    host_ok(vd->m, st->addr + st->len - 1, 1))
			status = run_request(b, r, &written);
		else if (r->nsegs < 2 || !st->write || !st->len) {
			virtio_ccw_broken(vd, "request without a status byte");
			break;
		}
		if (status == S_IOERR)
			b->bd->errors++;
		if (vd->m->tr)
			mach_trace(vd->m, "  virtio-blk 0.0.%04x request: status %u, %llu bytes in",
				   vd->sch->nr, status,
				   (unsigned long long)written);
		if (hv_write(vd->m, st->addr + st->len - 1, &status, 1)) {
			virtio_ccw_broken(vd, "status byte not accessible");
			break;
		}
		if (vring_push(vd, q, r, (uint32_t)written + 1))
			break;
		used = true;
	}
	free(r);
	if (used)
		virtio_ccw_interrupt(vd, q);
}

static const struct virtio_dev_ops blk_ops = {
	.device_id = 2,
	.nvq = 1,
	.features = blk_features,
	.config = blk_config,
	.notify = blk_notify,
	.reset = NULL,
};

int virtio_blk_new(struct pv_machine *m, const char *path, bool readonly,
		   struct pv_err **err)
{
	struct vblk *b = calloc(1, sizeof(*b));
	struct io_state *io = m->io;
	int rc;

	if (!b)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	b->buf = malloc(CHUNK);
	if (!b->buf) {
		free(b);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	rc = blockdev_open(&b->bd, path, readonly, err);
	if (!rc)
		rc = virtio_ccw_new(m, &blk_ops, b, &b->vd, err);
	if (rc) {
		blockdev_close(b->bd);
		free(b->buf);
		free(b);
		return rc;
	}
	io->bdev[b->vd->sch->nr] = b->bd;
	io->ndisks++;
	return 0;
}

/* Free the device model of @vd (io_free). */
void virtio_blk_free(struct virtio_dev *vd)
{
	struct vblk *b = vd ? vd->priv : NULL;

	if (!b)
		return;
	blockdev_close(b->bd);
	free(b->buf);
	free(b);
}
