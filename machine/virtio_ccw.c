// SPDX-License-Identifier: MIT
/*
 * The virtio-ccw transport (QEMU hw/s390x/virtio-ccw.c semantics): a
 * virtio device behind a subchannel with control unit type 0x3832 and
 * the device id as model, configured by channel commands
 * (ipl-from-devices.md §2):
 *   0x83 SET_VIRTIO_REV (revisions 0-2; once per enablement)
 *   0x33 VDEV_RESET    0x31 WRITE_STATUS    0x72 READ_STATUS (rev >= 2)
 *   0x12 READ_FEAT     0x11 WRITE_FEAT (32-bit words, little-endian)
 *   0x22 READ_CONF     0x21 WRITE_CONF (ignored: nothing writable)
 *   0x32 READ_VQ_CONF  0x13 SET_VQ (legacy and revision-1 layouts)
 *   0x43 SET_IND       0x53 SET_CONF_IND (classic indicators)
 * SET_IND_ADAPTER (0x73) is rejected: this machine has no adapter
 * interruptions, and Linux then uses classic indicators.  Unknown
 * commands are rejected (unit check, command reject); a wrong length
 * without SLI is a channel-program check, as in QEMU.
 *
 * A device that never negotiated a revision is a legacy device: the
 * s390-ccw bios drives it that way.  Revision 1 offers feature word 1
 * with VIRTIO_F_VERSION_1 and VIRTIO_F_ACCESS_PLATFORM, which a
 * protected Linux requires (its buffers are bounced through memory it
 * shared with the UV, §5.2).
 *
 * Queue notifications come with DIAG 0x500 subcode 3 and are processed at
 * once; completions set the queue's bit in the classic indicators and
 * make the subchannel status pending with alert status.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"

#include "machine_priv.h"
#include "io.h"

#define CCW_SET_VQ 0x13
#define CCW_VDEV_RESET 0x33
#define CCW_SET_IND 0x43
#define CCW_SET_CONF_IND 0x53
#define CCW_SET_IND_ADAPTER 0x73
#define CCW_READ_FEAT 0x12
#define CCW_WRITE_FEAT 0x11
#define CCW_READ_CONF 0x22
#define CCW_WRITE_CONF 0x21
#define CCW_WRITE_STATUS 0x31
#define CCW_READ_VQ_CONF 0x32
#define CCW_SET_VIRTIO_REV 0x83
#define CCW_READ_STATUS 0x72

#define QUEUE_MAX 1024		/* QEMU's VIRTIO_QUEUE_MAX */
#define RING_ALIGN 4096
#define CONFIG_MAX 256

/* Features only a legacy device offers. */
#define LEGACY_ONLY (1ULL << VIRTIO_F_NOTIFY_ON_EMPTY)

bool virtio_legacy(const struct virtio_dev *vd)
{
	return !(vd->guest_features & (1ULL << VIRTIO_F_VERSION_1));
}

static uint64_t host_features(struct virtio_dev *vd)
{
	uint64_t f = vd->ops->features(vd) | LEGACY_ONLY |
		     1ULL << VIRTIO_F_VERSION_1 |
		     1ULL << VIRTIO_F_ACCESS_PLATFORM;

	if (vd->revision >= 1)
		f &= ~LEGACY_ONLY;
	return f;
}

static void reset_queues(struct virtio_dev *vd)
{
	for (unsigned int q = 0; q < VIRTIO_MAX_VQ; q++) {
		memset(&vd->vq[q], 0, sizeof(vd->vq[q]));
		if (q < vd->ops->nvq)
			vd->vq[q].num = VIRTIO_QUEUE_SIZE;
	}
}

/* The virtio reset: status, features, queues and indicators forgotten. */
static void vdev_reset(struct virtio_dev *vd)
{
	vd->status = 0;
	vd->guest_features = 0;
	vd->ind = 0;
	vd->ind_conf = 0;
	vd->broken = false;
	reset_queues(vd);
	if (vd->ops->reset)
		vd->ops->reset(vd);
}

void virtio_ccw_broken(struct virtio_dev *vd, const char *why)
{
	uint8_t b[8];

	if (vd->m->tr)
		mach_trace(vd->m, "  virtio device 0.0.%04x broken: %s",
			   vd->sch->nr, why);
	if (vd->broken)
		return;
	vd->broken = true;
	if (vd->revision < 1)
		return;
	/* a modern driver learns it from the status and a config change */
	vd->status |= VIRTIO_S_NEEDS_RESET;
	if (vd->ind_conf && !hv_read(vd->m, vd->ind_conf, b, 8)) {
		pv_put_be64(b, pv_get_be64(b) | 1);
		if (!hv_write(vd->m, vd->ind_conf, b, 8))
			css_unsolicited(vd->sch);
	}
}

void virtio_ccw_interrupt(struct virtio_dev *vd, unsigned int q)
{
	uint8_t b[8];

	if (!vd->ind || vring_no_interrupt(vd, q))
		return;
	if (hv_read(vd->m, vd->ind, b, 8)) {
		virtio_ccw_broken(vd, "indicators not accessible");
		return;
	}
	pv_put_be64(b, pv_get_be64(b) | 1ULL << q);
	if (hv_write(vd->m, vd->ind, b, 8)) {
		virtio_ccw_broken(vd, "indicators not accessible");
		return;
	}
	vd->irqs++;
	css_unsolicited(vd->sch);
}

int64_t virtio_ccw_notify(struct pv_machine *m, uint64_t schid, uint64_t q)
{
	struct subch *sch;
	struct virtio_dev *vd;

	if (!m->io || !(schid & 0x00010000U))
		return -EINVAL;
	sch = css_find(m, (uint32_t)schid);
	if (!sch || q >= QUEUE_MAX)
		return -EINVAL;
	vd = m->io->vdev[sch->nr];
	if (!vd)
		return -EINVAL;
	vd->notifies++;
	if (q < vd->ops->nvq && !vd->broken)
		vd->ops->notify(vd, (unsigned int)q);
	return 0;
}

/* ---- channel commands ---------------------------------------------------- */

/* Length rule of a command with a fixed block of @want bytes. */
static int fixed_len(const struct ccw1 *c, bool check_len, uint32_t want)
{
	if (check_len ? c->count != want : c->count < want)
		return CCW_PROG_CHECK;
	return c->cda ? 0 : CCW_PROG_CHECK;
}

static int set_vq(struct virtio_dev *vd, const struct ccw1 *c,
		  struct ccw_stream *ds, bool check_len)
{
	bool legacy = vd->revision < 1;
	uint8_t b[32];
	uint64_t desc, avail, used;
	uint16_t index, num;
	int rc = fixed_len(c, check_len, legacy ? 16 : 32);

	if (!rc)
		rc = ccw_read(ds, b, legacy ? 16 : 32);
	if (rc)
		return rc;
	desc = pv_get_be64(b);
	index = pv_get_be16(b + 12);
	num = pv_get_be16(b + 14);
	if (index >= QUEUE_MAX || index >= vd->ops->nvq)
		return CCW_PROG_CHECK;
	if (legacy) {
		/* the ring's size stays the device's (QEMU ignores more) */
		if (desc && pv_get_be32(b + 8) != RING_ALIGN)
			return CCW_PROG_CHECK;
		if (desc && num < VIRTIO_QUEUE_SIZE)
			return CCW_PROG_CHECK;
		num = VIRTIO_QUEUE_SIZE;
		avail = desc + 16ULL * num;
		used = (avail + 2ULL * (3 + num) + RING_ALIGN - 1) &
		       ~(uint64_t)(RING_ALIGN - 1);
	} else {
		avail = pv_get_be64(b + 16);
		used = pv_get_be64(b + 24);
		if (desc && (!num || num > VIRTIO_QUEUE_SIZE))
			return CCW_PROG_CHECK;
		if (!desc)
			num = VIRTIO_QUEUE_SIZE;
	}
	vd->vq[index].desc = desc;
	vd->vq[index].avail = desc ? avail : 0;
	vd->vq[index].used = desc ? used : 0;
	vd->vq[index].num = num;
	vd->vq[index].last_avail = 0;
	vd->vq[index].used_idx = 0;
	return 0;
}

static int read_feat(struct virtio_dev *vd, const struct ccw1 *c,
		     struct ccw_stream *ds, bool check_len)
{
	uint8_t b[5], out[4];
	uint64_t f = host_features(vd);
	uint32_t w = 0;
	int rc = fixed_len(c, check_len, 5);

	if (!rc)
		rc = ccw_read(ds, b, 5);
	if (rc)
		return rc;
	if (b[4] == 0)
		w = (uint32_t)f;
	else if (b[4] == 1 && vd->revision >= 1)
		w = (uint32_t)(f >> 32);
	for (int i = 0; i < 4; i++)
		out[i] = (uint8_t)(w >> (8 * i));	/* little-endian */
	ccw_rewind(ds);
	return ccw_write(ds, out, 4);
}

static int write_feat(struct virtio_dev *vd, const struct ccw1 *c,
		      struct ccw_stream *ds, bool check_len)
{
	uint8_t b[5];
	uint64_t w, f = host_features(vd);
	int rc = fixed_len(c, check_len, 5);

	if (!rc)
		rc = ccw_read(ds, b, 5);
	if (rc)
		return rc;
	w = (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
	    (uint64_t)b[3] << 24;
	if (b[4] == 0)
		vd->guest_features = (vd->guest_features & ~0xffffffffULL) |
				     (w & f);
	else if (b[4] == 1 && vd->revision >= 1)
		vd->guest_features = (vd->guest_features & 0xffffffffULL) |
				     ((w << 32) & f);
	return 0;
}

static int read_conf(struct virtio_dev *vd, const struct ccw1 *c,
		     struct ccw_stream *ds, bool check_len)
{
	uint8_t cfg[CONFIG_MAX];
	size_t n = vd->ops->config(vd, cfg, sizeof(cfg));
	uint32_t len = c->count < n ? c->count : (uint32_t)n;

	if (check_len && c->count > n)
		return CCW_PROG_CHECK;
	if (!c->cda)
		return CCW_PROG_CHECK;
	return ccw_write(ds, cfg, len);
}

static int write_conf(struct virtio_dev *vd, const struct ccw1 *c,
		      struct ccw_stream *ds, bool check_len)
{
	uint8_t cfg[CONFIG_MAX];
	size_t n = vd->ops->config(vd, cfg, sizeof(cfg));
	uint32_t len = c->count < n ? c->count : (uint32_t)n;

	if (check_len && c->count > n)
		return CCW_PROG_CHECK;
	if (!c->cda)
		return CCW_PROG_CHECK;
	return ccw_read(ds, cfg, len);	/* no writable field offered */
}

static int write_status(struct virtio_dev *vd, const struct ccw1 *c,
			struct ccw_stream *ds, bool check_len)
{
	uint64_t f = host_features(vd);
	uint8_t st;
	int rc = fixed_len(c, check_len, 1);

	if (!rc)
		rc = ccw_read(ds, &st, 1);
	if (rc)
		return rc;
	/*
	 * FEATURES_OK is refused when the driver declined
	 * ACCESS_PLATFORM (QEMU virtio_validate_features).
	 */
	if ((st & VIRTIO_S_FEATURES_OK) &&
	    !(vd->status & VIRTIO_S_FEATURES_OK) &&
	    !virtio_legacy(vd) &&
	    (f & (1ULL << VIRTIO_F_ACCESS_PLATFORM)) &&
	    !(vd->guest_features & (1ULL << VIRTIO_F_ACCESS_PLATFORM)))
		return CCW_REJECT;
	if (!st) {
		vdev_reset(vd);
		return 0;
	}
	vd->status = (uint8_t)(st | (vd->status & VIRTIO_S_NEEDS_RESET));
	return 0;
}

static int set_ind(struct virtio_dev *vd, const struct ccw1 *c,
		   struct ccw_stream *ds, bool check_len, bool conf)
{
	uint8_t b[8];
	int rc = fixed_len(c, check_len, 8);

	if (!rc)
		rc = ccw_read(ds, b, 8);
	if (rc)
		return rc;
	if (conf)
		vd->ind_conf = pv_get_be64(b);
	else
		vd->ind = pv_get_be64(b);
	return 0;
}

static int read_vq_conf(struct virtio_dev *vd, const struct ccw1 *c,
			struct ccw_stream *ds, bool check_len)
{
	uint8_t b[4];
	uint16_t index;
	int rc = fixed_len(c, check_len, 4);

	if (!rc)
		rc = ccw_read(ds, b, 2);
	if (rc)
		return rc;
	index = pv_get_be16(b);
	if (index >= QUEUE_MAX)
		return CCW_PROG_CHECK;
	pv_put_be16(b + 2, index < vd->ops->nvq ? vd->vq[index].num : 0);
	return ccw_write(ds, b + 2, 2);
}

static int set_rev(struct virtio_dev *vd, const struct ccw1 *c,
		   struct ccw_stream *ds, bool check_len)
{
	uint8_t b[4];
	uint16_t rev, len;
	int rc;

	if (c->count < 4)
		return CCW_PROG_CHECK;
	if (!c->cda)
		return CCW_PROG_CHECK;
	rc = ccw_read(ds, b, 4);
	if (rc)
		return rc;
	rev = pv_get_be16(b);
	len = pv_get_be16(b + 2);
	if (c->count < 4U + len || (check_len && c->count > 4U + len))
		return CCW_PROG_CHECK;
	if (vd->revision >= 0 || rev > VIRTIO_CCW_REV_MAX)
		return CCW_REJECT;
	vd->revision = rev;
	return 0;
}

static int vccw_ccw(struct subch *sch, const struct ccw1 *c,
		    struct ccw_stream *ds, bool check_len)
{
	struct virtio_dev *vd = sch->dev;
	uint8_t st;
	int rc;

	switch (c->cmd) {
	case CCW_SET_VQ:
		return set_vq(vd, c, ds, check_len);
	case CCW_VDEV_RESET:
		vdev_reset(vd);
		return 0;
	case CCW_READ_FEAT:
		return read_feat(vd, c, ds, check_len);
	case CCW_WRITE_FEAT:
		return write_feat(vd, c, ds, check_len);
	case CCW_READ_CONF:
		return read_conf(vd, c, ds, check_len);
	case CCW_WRITE_CONF:
		return write_conf(vd, c, ds, check_len);
	case CCW_READ_STATUS:
		if (vd->revision < 2)
			return CCW_REJECT;
		rc = fixed_len(c, check_len, 1);
		st = vd->status;
		return rc ? rc : ccw_write(ds, &st, 1);
	case CCW_WRITE_STATUS:
		return write_status(vd, c, ds, check_len);
	case CCW_SET_IND:
		return set_ind(vd, c, ds, check_len, false);
	case CCW_SET_CONF_IND:
		return set_ind(vd, c, ds, check_len, true);
	case CCW_READ_VQ_CONF:
		return read_vq_conf(vd, c, ds, check_len);
	case CCW_SET_VIRTIO_REV:
		return set_rev(vd, c, ds, check_len);
	case CCW_SET_IND_ADAPTER:
	default:
		return CCW_REJECT;
	}
}

/* Disabling the subchannel ends the negotiated revision (QEMU). */
static void vccw_disabled(struct subch *sch)
{
	struct virtio_dev *vd = sch->dev;

	vd->revision = -1;
}

static void vccw_reset(struct subch *sch)
{
	struct virtio_dev *vd = sch->dev;

	vdev_reset(vd);
	vd->revision = -1;
}

static const struct subch_ops vccw_ops = {
	.ccw = vccw_ccw,
	.disabled = vccw_disabled,
	.reset = vccw_reset,
};

int virtio_ccw_new(struct pv_machine *m, const struct virtio_dev_ops *ops,
		   void *priv, struct virtio_dev **out, struct pv_err **err)
{
	uint8_t id[8] = { 0xff, VIRTIO_CCW_CU_TYPE >> 8,
			  VIRTIO_CCW_CU_TYPE & 0xff, ops->device_id, 0, 0, 0,
			  0 };
	struct virtio_dev *vd = calloc(1, sizeof(*vd));

	*out = NULL;
	if (!vd)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	vd->m = m;
	vd->ops = ops;
	vd->priv = priv;
	vd->revision = -1;
	vd->sch = css_add(m, id, &vccw_ops, vd, err);
	if (!vd->sch) {
		free(vd);
		return -PV_ERR_RANGE;
	}
	reset_queues(vd);
	m->io->vdev[vd->sch->nr] = vd;
	*out = vd;
	return 0;
}

void virtio_ccw_free(struct virtio_dev *vd)
{
	free(vd);
}
