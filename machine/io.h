/* SPDX-License-Identifier: MIT */
/*
 * The machine's I/O side: the channel subsystem (css.c, css_ccw.c,
 * chsc.c), virtio-ccw devices (virtio_ccw.c, virtio_ring.c) with the
 * virtio-blk device model (virtio_blk.c) on host files (blockdev.c), and
 * QEMU's s390-ccw bios that IPLs from them (bios.c).
 *
 * Layering (DESIGN.md): the channel subsystem runs a channel program when
 * the guest starts it (SSCH), synchronously, and every access it or a
 * device makes to guest memory goes through hv_read/hv_write, the UV's
 * host-access rule: a protected guest's I/O reaches only the pages it
 * shared (ipl-from-devices.md §5.2, pv-machine-and-uv.md §4.8).  The
 * operands of the I/O instructions (ORB, SCHIB, IRB, CHSC blocks, CRW)
 * are the instruction's, read and written as the CPU does; for a
 * protected guest they travel through the SIDA (§4.10).
 *
 * Addresses: one channel-subsystem image (CSS 0), subchannel set 0,
 * device N on subchannel 0.0.000N with device number 0.0.000N, all behind
 * the virtual channel path 0 of type 0x32, as QEMU numbers devices that
 * were given no bus id.
 */
#ifndef PVBOOT_MACHINE_IO_H
#define PVBOOT_MACHINE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/err.h"

struct pv_machine;
struct vcpu;

#define CSS_MAX_DEVICES 8

/* ---- architected control blocks (host order; css.c converts) --------- */

/* Subchannel-status word (command mode). */
struct scsw {
	uint16_t flags, ctrl;
	uint32_t cpa;
	uint8_t dstat, cstat;
	uint16_t count;
};

#define SCSW_FLAGS_KEY 0xf000
#define SCSW_FLAGS_SCTL 0x0800
#define SCSW_FLAGS_ESWF 0x0400
#define SCSW_FLAGS_CC 0x0300
#define SCSW_FLAGS_FMT 0x0080
#define SCSW_FLAGS_PFCH 0x0040
#define SCSW_FLAGS_ECTL 0x0002
#define SCSW_FLAGS_PNO 0x0001

#define SCSW_FCTL_MASK 0x7000
#define SCSW_FCTL_START 0x4000
#define SCSW_FCTL_HALT 0x2000
#define SCSW_FCTL_CLEAR 0x1000
#define SCSW_ACTL_MASK 0x0fe0
#define SCSW_ACTL_RESUME_PEND 0x0800
#define SCSW_ACTL_START_PEND 0x0400
#define SCSW_ACTL_HALT_PEND 0x0200
#define SCSW_ACTL_CLEAR_PEND 0x0100
#define SCSW_ACTL_SUBCH_ACTIVE 0x0080
#define SCSW_ACTL_DEVICE_ACTIVE 0x0040
#define SCSW_ACTL_SUSP 0x0020
#define SCSW_STCTL_MASK 0x001f
#define SCSW_STCTL_ALERT 0x0010
#define SCSW_STCTL_INTERMEDIATE 0x0008
#define SCSW_STCTL_PRIMARY 0x0004
#define SCSW_STCTL_SECONDARY 0x0002
#define SCSW_STCTL_STATUS_PEND 0x0001

#define DSTAT_CHANNEL_END 0x08
#define DSTAT_DEVICE_END 0x04
#define DSTAT_UNIT_CHECK 0x02
#define CSTAT_PROG_CHECK 0x20
#define CSTAT_PROT_CHECK 0x10
#define CSTAT_DATA_CHECK 0x08

/* Path-management-control word. */
struct pmcw {
	uint32_t intparm;
	uint16_t flags, devno;
	uint8_t lpm, pnom, lpum, pim;
	uint16_t mbi;
	uint8_t pom, pam;
	uint8_t chpid[8];
	uint32_t chars;
};

#define PMCW_FLAGS_ISC 0x3800
#define PMCW_FLAGS_ENA 0x0080
#define PMCW_FLAGS_LM 0x0060
#define PMCW_FLAGS_MME 0x0018
#define PMCW_FLAGS_MP 0x0004
#define PMCW_FLAGS_TF 0x0002
#define PMCW_FLAGS_DNV 0x0001
#define PMCW_FLAGS_INVALID 0xc300	/* must be 0 in MSCH (bits 0,1,6,7) */
#define PMCW_CHARS_MBFC 0x00000004
#define PMCW_CHARS_XMWME 0x00000002
#define PMCW_CHARS_CSENSE 0x00000001
#define PMCW_CHARS_INVALID 0xff1ffff8

#define SCHIB_SIZE 52
#define IRB_SIZE 96		/* SCSW, ESW, ECW, EMW */
#define IRB_SIZE_NO_EMW 64
#define ORB_SIZE 32		/* the ORB occupies 12 bytes + reserved */

/* Operation-request block (the fields of format 0). */
struct orb {
	uint32_t intparm;
	uint16_t ctrl0;
	uint8_t lpm, ctrl1;
	uint32_t cpa;
};

#define ORB_CTRL0_KEY 0xf000
#define ORB_CTRL0_SPND 0x0800
#define ORB_CTRL0_FMT 0x0080
#define ORB_CTRL0_PFCH 0x0040
#define ORB_CTRL0_C64 0x0002
#define ORB_CTRL0_I2K 0x0001
#define ORB_CTRL0_INVALID 0x0004
#define ORB_CTRL1_MIDAW 0x40
#define ORB_CTRL1_INVALID 0x3e

/* Channel-command word, format 1 (format 0 is converted to it). */
struct ccw1 {
	uint8_t cmd, flags;
	uint16_t count;
	uint32_t cda;
};

#define CCW_FLAG_DC 0x80
#define CCW_FLAG_CC 0x40
#define CCW_FLAG_SLI 0x20
#define CCW_FLAG_SKIP 0x10
#define CCW_FLAG_PCI 0x08
#define CCW_FLAG_IDA 0x04
#define CCW_FLAG_SUSPEND 0x02
#define CCW_FLAG_MIDA 0x01

#define CCW_CMD_NOOP 0x03
#define CCW_CMD_BASIC_SENSE 0x04
#define CCW_CMD_TIC 0x08
#define CCW_CMD_SENSE_ID 0xe4

#define SENSE_CMD_REJECT 0x80	/* sense byte 0 */

/* ---- channel data streams (css_ccw.c) ----------------------------------- */

/*
 * Results of a CCW: 0 done, or one of these (negative).  A device model
 * returns them from its command handler; css_ccw.c makes the ending
 * status from them (QEMU's css_interpret_ccw conventions).
 */
#define CCW_CHAIN (-1)		/* go on with the next CCW (internal) */
#define CCW_REJECT (-2)		/* unit check, command reject */
#define CCW_PROG_CHECK (-3)	/* channel-program check */
#define CCW_PROT_CHECK (-4)	/* protection check: storage the channel
				 * subsystem may not access (a secure page) */
#define CCW_SUSPEND (-5)	/* suspended (S flag) */

#define CDS_IDA 0x1
#define CDS_C64 0x2		/* format-2 IDAWs */
#define CDS_I2K 0x4		/* 2 KiB IDAW blocks */
#define CDS_FMT1 0x8
#define CDS_BROKEN 0x10

struct ccw_stream {
	struct pv_machine *m;
	uint64_t cda;		/* next data address */
	uint64_t cda_orig;	/* the CCW's data address (IDAW list) */
	uint32_t count, at;	/* the CCW's count, position */
	uint32_t done;		/* highest position reached */
	unsigned int at_idaw;
	unsigned int flags;	/* CDS_* */
	bool skip;
};

/* Move @len bytes between the CCW's data area and @buf: 0 or CCW_*. */
int ccw_read(struct ccw_stream *s, void *buf, uint32_t len);
int ccw_write(struct ccw_stream *s, const void *buf, uint32_t len);
/* Count minus the bytes reached; back to the start of the data. */
uint32_t ccw_residual(const struct ccw_stream *s);
void ccw_rewind(struct ccw_stream *s);

/* ---- subchannels (css.c) ------------------------------------------------ */

struct subch;

struct subch_ops {
	/* A device command (not NOOP/SENSE/SENSE ID/TIC): 0 or CCW_*. */
	int (*ccw)(struct subch *sch, const struct ccw1 *ccw,
		   struct ccw_stream *ds, bool check_len);
	/* MSCH turned the enable bit off. */
	void (*disabled)(struct subch *sch);
	/* Subsystem reset (DIAG 308 resets, machine reset). */
	void (*reset)(struct subch *sch);
};

struct subch {
	struct pv_machine *m;
	uint16_t nr;		/* subchannel number (set 0) */
	struct pmcw pmcw;
	struct scsw scsw;
	uint64_t mba;
	struct orb orb;
	uint64_t cp;		/* address of the current CCW */
	bool fmt1;
	uint8_t no_data;	/* CCWs without data address in a program */
	struct ccw1 last;
	bool last_valid;
	uint8_t sense[32];
	uint8_t senseid[8];	/* 0xff, CU type/model, device type/model */
	bool irq;		/* an I/O interruption is pending for it */
	const struct subch_ops *ops;
	void *dev;
};

struct css {
	struct subch *sch[CSS_MAX_DEVICES];
	unsigned int nsch;
	bool mss;		/* multiple subchannel sets enabled (CHSC) */
	bool chnmon;
	uint64_t chnmon_area;
	uint64_t ios;		/* channel programs started */
};

int css_new(struct pv_machine *m, struct pv_err **err);
void css_free(struct pv_machine *m);
/* Add a subchannel for a device; returns it (number = order added). */
struct subch *css_add(struct pv_machine *m, const uint8_t senseid[8],
		      const struct subch_ops *ops, void *dev,
		      struct pv_err **err);
/* Subsystem reset: every subchannel and device back to its initial state,
 * pending I/O interruptions dropped (QEMU's css reset on every reset). */
void css_reset(struct pv_machine *m);
/* The subchannel is status pending with alert status unless it already
 * was (a device's unsolicited interruption); only when enabled. */
void css_unsolicited(struct subch *sch);
/* Subchannel identification word for the I/O-interruption code. */
uint32_t css_schid_word(const struct subch *sch);
/* Start the channel program of @orb as SSCH would (cc 0-3). */
int css_ssch(struct subch *sch, const struct orb *orb);
/* TSCH's IRB (96 bytes, big-endian) and its cc; then clear conditions. */
int css_tsch(struct subch *sch, uint8_t irb[IRB_SIZE], unsigned int *len);
/* CSCH (0xb230), HSCH (0xb231), RSCH (0xb238) or XSCH (0xb276): cc. */
int css_function(struct subch *sch, uint16_t op);
/* MSCH with a guest SCHIB (52 bytes, big-endian), STSCH into one. */
int css_msch(struct subch *sch, const uint8_t schib[SCHIB_SIZE]);
void css_stsch(const struct subch *sch, uint8_t schib[SCHIB_SIZE]);
/* Find subchannel @nr of set 0, or NULL. */
struct subch *css_find(struct pv_machine *m, uint32_t schid_word);

/* css_ccw.c: run the start function of @sch (SSCH or RSCH). */
void css_run_start(struct subch *sch);

/* chsc.c: CHSC on the request page @page (4096 bytes); cc. */
int chsc_execute(struct pv_machine *m, uint8_t *page);

/* ---- block devices (blockdev.c) ----------------------------------------- */

struct blockdev {
	char *path;
	int fd;
	uint64_t size;		/* bytes when opened */
	bool readonly;
	uint64_t reads, writes, flushes;	/* requests */
	uint64_t errors;			/* requests failed */
	uint64_t read_bytes, written_bytes;
};

int blockdev_open(struct blockdev **out, const char *path, bool readonly,
		  struct pv_err **err);
void blockdev_close(struct blockdev *bd);
/* pread/pwrite of the whole range: 0, or -errno (-EIO for a short read
 * past the end of a file that shrank). */
int blockdev_read(struct blockdev *bd, uint64_t off, void *buf, size_t len);
int blockdev_write(struct blockdev *bd, uint64_t off, const void *buf,
		   size_t len);
int blockdev_flush(struct blockdev *bd);

/* ---- virtio-ccw (virtio_ccw.c, virtio_ring.c) --------------------------- */

#define VIRTIO_MAX_VQ 4
#define VIRTIO_QUEUE_SIZE 256
#define VIRTIO_CCW_CU_TYPE 0x3832
#define VIRTIO_CCW_CHPID_TYPE 0x32
#define VIRTIO_CCW_REV_MAX 2

#define VIRTIO_S_ACKNOWLEDGE 1
#define VIRTIO_S_DRIVER 2
#define VIRTIO_S_DRIVER_OK 4
#define VIRTIO_S_FEATURES_OK 8
#define VIRTIO_S_NEEDS_RESET 0x40
#define VIRTIO_S_FAILED 0x80

#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_NOTIFY_ON_EMPTY 24
#define VIRTIO_F_ANY_LAYOUT 27

struct virtqueue {
	uint64_t desc, avail, used;
	uint16_t num;		/* 0: not set up */
	uint16_t last_avail;
	uint16_t used_idx;
};

struct virtio_dev;

struct virtio_dev_ops {
	uint8_t device_id;	/* CU model: 2 = block */
	unsigned int nvq;
	/* Device features (the transport adds its own). */
	uint64_t (*features)(struct virtio_dev *vd);
	/* The configuration space as the guest sees it now. */
	size_t (*config)(struct virtio_dev *vd, uint8_t *buf, size_t len);
	/* The guest notified queue @q (DIAG 0x500). */
	void (*notify)(struct virtio_dev *vd, unsigned int q);
	void (*reset)(struct virtio_dev *vd);
};

struct virtio_dev {
	struct pv_machine *m;
	struct subch *sch;
	const struct virtio_dev_ops *ops;
	void *priv;
	int revision;		/* -1: none negotiated yet */
	uint8_t status;
	uint64_t guest_features;
	uint64_t ind, ind_conf;	/* classic indicators, 0 = none */
	bool broken;
	struct virtqueue vq[VIRTIO_MAX_VQ];
	uint64_t notifies, irqs;
};

int virtio_ccw_new(struct pv_machine *m, const struct virtio_dev_ops *ops,
		   void *priv, struct virtio_dev **out, struct pv_err **err);
void virtio_ccw_free(struct virtio_dev *vd);
/* Guest integers of the device: little-endian once VERSION_1 was
 * negotiated, big-endian (the guest's order) for a legacy device. */
bool virtio_legacy(const struct virtio_dev *vd);
/* DIAG 0x500 subcode 3: GR2 schid word, GR3 queue; the return value for
 * GR2 (0, or -EINVAL for an unknown subchannel or queue). */
int64_t virtio_ccw_notify(struct pv_machine *m, uint64_t schid, uint64_t q);
/* The device used buffers of queue @q: tell the guest (indicator bit and
 * an I/O interruption) unless it asked not to be told. */
void virtio_ccw_interrupt(struct virtio_dev *vd, unsigned int q);
/* The device is in a state it cannot leave without a reset. */
void virtio_ccw_broken(struct virtio_dev *vd, const char *why);

/* One descriptor chain taken from a queue (virtio_ring.c). */
#define VRING_MAX_SEGS 260
struct vring_seg {
	uint64_t addr;
	uint32_t len;
	bool write;		/* device writes (guest reads) */
};
struct vring_req {
	uint16_t head;
	unsigned int nsegs;
	struct vring_seg seg[VRING_MAX_SEGS];
};
/* Next available chain of queue @q: 1 taken, 0 none, <0 ring broken. */
int vring_pop(struct virtio_dev *vd, unsigned int q, struct vring_req *req);
/* Put @req back as used with @written bytes: 0 or <0 (ring broken). */
int vring_push(struct virtio_dev *vd, unsigned int q,
	       const struct vring_req *req, uint32_t written);
/* The driver asked for no interruption (VRING_AVAIL_F_NO_INTERRUPT). */
bool vring_no_interrupt(struct virtio_dev *vd, unsigned int q);

/* ---- virtio-blk (virtio_blk.c) ------------------------------------------ */

int virtio_blk_new(struct pv_machine *m, const char *path, bool readonly,
		   struct pv_err **err);
void virtio_blk_free(struct virtio_dev *vd);

/* ---- the machine's I/O state (hangs off struct pv_machine) -------------- */

struct io_state {
	struct css css;
	struct virtio_dev *vdev[CSS_MAX_DEVICES];
	struct blockdev *bdev[CSS_MAX_DEVICES];
	unsigned int ndisks;
	/* IPL through the bios (bios.c) */
	char *bios_path;
	uint8_t *bios;		/* the file */
	size_t bios_len;
	uint64_t bios_base, bios_entry, bios_end;
	char bios_sha256[65];
	const char *bios_build;	/* a tested build, or NULL */
	int boot_disk;		/* -1: IPL of an image file */
	bool bios_running;	/* IPLed, not yet handed over (DIAG 308 sc 1) */
	bool bios_stopped;	/* the run ended in the bios */
	uint64_t bios_start_ns, handover_ns;
};

int io_new(struct pv_machine *m, struct pv_err **err);
void io_free(struct pv_machine *m);
/* The machine reset @type happens: subsystem reset, bios bookkeeping. */
void io_reset(struct pv_machine *m, int type);

/* bios.c */
int bios_load_file(struct pv_machine *m, const char *path,
		   struct pv_err **err);
/* Copy the bios into RAM (relocated), write the IPL information, and set
 * the IPL PSW to its entry: every IPL from a device. */
int bios_ipl(struct pv_machine *m, struct pv_err **err);
/* Where the bios goes in guest memory of @ram bytes (QEMU 7.2 rule). */
uint64_t bios_base_for(uint64_t ram);
/* Relocate an s390 ELF bios image into @dst at @base (for tests). */
int bios_relocate(const uint8_t *elf, size_t len, uint64_t base,
		  uint8_t *dst, uint64_t dst_len, uint64_t *entry,
		  uint64_t *memsz, struct pv_err **err);

#endif
