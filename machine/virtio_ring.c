// SPDX-License-Identifier: MIT
/*
 * Split virtqueues as a device sees them: take a descriptor chain the
 * driver made available, give it back as used.  The rings are guest
 * memory read and written through hv_read/hv_write only; a ring the
 * hypervisor cannot access (a protected guest's unshared page) or that
 * makes no sense (an index out of range, a loop, an indirect table that
 * was not negotiated) breaks the device, as QEMU's virtio_error does.
 *
 * Integers in the rings are in the guest's order (big-endian) for a
 * legacy device and little-endian once VIRTIO_F_VERSION_1 was accepted
 * (ipl-from-devices.md §2: the bios uses a legacy device).
 */
#include <string.h>

#include "pvboot/be.h"

#include "machine_priv.h"
#include "io.h"

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1

static uint16_t rd16(const struct virtio_dev *vd, const uint8_t *p)
{
	return virtio_legacy(vd) ? pv_get_be16(p) :
				   (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const struct virtio_dev *vd, const uint8_t *p)
{
	if (virtio_legacy(vd))
		return pv_get_be32(p);
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const struct virtio_dev *vd, const uint8_t *p)
{
	if (virtio_legacy(vd))
		return pv_get_be64(p);
	return (uint64_t)rd32(vd, p) | (uint64_t)rd32(vd, p + 4) << 32;
}

static void wr16(const struct virtio_dev *vd, uint8_t *p, uint16_t v)
{
	if (virtio_legacy(vd)) {
		pv_put_be16(p, v);
		return;
	}
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr32(const struct virtio_dev *vd, uint8_t *p, uint32_t v)
{
	if (virtio_legacy(vd)) {
		pv_put_be32(p, v);
		return;
	}
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int gread(struct virtio_dev *vd, uint64_t a, void *b, uint32_t n)
{
	return hv_read(vd->m, a, b, n) ? -1 : 0;
}

static int gwrite(struct virtio_dev *vd, uint64_t a, const void *b,
		  uint32_t n)
{
	if (hv_write(vd->m, a, b, n))
		return -1;
	codemap_written(vd->m, a, n);
	return 0;
}

int vring_pop(struct virtio_dev *vd, unsigned int q, struct vring_req *req)
{
	struct virtqueue *vq = &vd->vq[q];
	uint8_t b[16];
	uint16_t idx, head, i;
	unsigned int steps = 0;

	if (vd->broken || !vq->num || !vq->desc)
		return 0;
	if (gread(vd, vq->avail + 2, b, 2)) {
		virtio_ccw_broken(vd, "available ring not accessible");
		return -1;
	}
	idx = rd16(vd, b);
	if (idx == vq->last_avail)
		return 0;
	if ((uint16_t)(idx - vq->last_avail) > vq->num) {
		virtio_ccw_broken(vd, "available index moved too far");
		return -1;
	}
	if (gread(vd, vq->avail + 4 + 2ULL * (vq->last_avail % vq->num), b,
		  2)) {
		virtio_ccw_broken(vd, "available ring not accessible");
		return -1;
	}
	head = rd16(vd, b);
	if (head >= vq->num) {
		virtio_ccw_broken(vd, "descriptor index out of range");
		return -1;
	}
	vq->last_avail++;
	req->head = head;
	req->nsegs = 0;
	i = head;
	for (;;) {
		uint16_t flags;

		if (++steps > vq->num || req->nsegs == VRING_MAX_SEGS) {
			virtio_ccw_broken(vd, "descriptor chain loops");
			return -1;
		}
		if (gread(vd, vq->desc + 16ULL * i, b, 16)) {
			virtio_ccw_broken(vd, "descriptor table not accessible");
			return -1;
		}
		flags = rd16(vd, b + 12);
		if (flags & VRING_DESC_F_INDIRECT) {
			virtio_ccw_broken(vd, "indirect descriptors were not offered");
			return -1;
		}
		req->seg[req->nsegs].addr = rd64(vd, b);
		req->seg[req->nsegs].len = rd32(vd, b + 8);
		req->seg[req->nsegs].write = flags & VRING_DESC_F_WRITE;
		req->nsegs++;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		i = rd16(vd, b + 14);
		if (i >= vq->num) {
			virtio_ccw_broken(vd, "descriptor index out of range");
			return -1;
		}
	}
	return 1;
}

int vring_push(struct virtio_dev *vd, unsigned int q,
	       const struct vring_req *req, uint32_t written)
{
	struct virtqueue *vq = &vd->vq[q];
	uint8_t e[8], idx[2];

	wr32(vd, e, req->head);
	wr32(vd, e + 4, written);
	if (gwrite(vd, vq->used + 4 + 8ULL * (vq->used_idx % vq->num), e,
		   8)) {
		virtio_ccw_broken(vd, "used ring not accessible");
		return -1;
	}
	vq->used_idx++;
	wr16(vd, idx, vq->used_idx);
	if (gwrite(vd, vq->used + 2, idx, 2)) {
		virtio_ccw_broken(vd, "used ring not accessible");
		return -1;
	}
	return 0;
}

bool vring_no_interrupt(struct virtio_dev *vd, unsigned int q)
{
	uint8_t b[2];

	if (gread(vd, vd->vq[q].avail, b, 2))
		return false;
	return rd16(vd, b) & VRING_AVAIL_F_NO_INTERRUPT;
}
