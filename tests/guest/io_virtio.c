// SPDX-License-Identifier: MIT
/*
 * virtio-ccw and virtio-blk on subchannel 0.0.0000 (a 64-sector disk
 * whose byte i of sector s is s * 7 + i * 3 + 1; tests/unit/test_virtio.c):
 *   legacy, as the s390-ccw bios drives it: no revision, big-endian
 *     rings and configuration, feature word 1 empty, a 4 KiB-aligned ring
 *     of 256, requests read, write (sector 5), flush, get-id, beyond the
 *     end, unknown type, and a reset that forgets the queue;
 *   revision 1, as Linux drives it: SET_VIRTIO_REV once, VERSION_1 and
 *     ACCESS_PLATFORM offered, FEATURES_OK refused without
 *     ACCESS_PLATFORM, little-endian rings, classic indicators with an
 *     unsolicited I/O interruption, NO_INTERRUPT honoured, adapter
 *     interruptions rejected;
 *   revision 2: READ_STATUS.
 * Variant 1 (gt_parms): the disk is read-only (VIRTIO_BLK_F_RO, writes
 * fail).  Run protected (as the kernel of an SE image) the program shares
 * the pages of its I/O area with the UV first, and shows that a request
 * naming an unshared page fails with nothing transferred (sector 9 is
 * not written, the page keeps its bytes), also when its first data
 * segment is in a shared page (that page keeps its bytes too), and that
 * a CCW in an unshared page ends in a protection check.
 */
#include "io_guest.h"

const char gt_name[] = "IO-VIRTIO";

#define IOA 0x400000UL		/* CCW and command data (shared in PV) */
#define RING 0x401000UL		/* desc; avail +0x1000; used +0x2000 */
#define REQ 0x404000UL		/* request header, status byte */
#define IND 0x405000UL		/* classic indicators */
#define DATA 0x410000UL		/* data (shared in PV) */
#define SECRET 0x420000UL	/* never shared */
#define SECTORS 64

#define F_GEOMETRY (1U << 4)
#define F_RO (1U << 5)
#define F_BLK_SIZE (1U << 6)
#define F_FLUSH (1U << 9)

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
} __packed;

static struct ccw1 *const ccw = (struct ccw1 *)IOA;
static uint8_t *const cdata = (uint8_t *)(IOA + 0x100);
static struct irb irb;
static bool le, ro, pv;
static uint16_t avail_idx;

static uint16_t g16(uint16_t v) { return le ? __builtin_bswap16(v) : v; }
static uint32_t g32(uint32_t v) { return le ? __builtin_bswap32(v) : v; }
static uint64_t g64(uint64_t v) { return le ? __builtin_bswap64(v) : v; }

static uint8_t pattern(uint64_t s, uint64_t i)
{
	return (uint8_t)(s * 7 + i * 3 + 1);
}

/* One channel command on 0.0.0000: DSTAT << 8 | CSTAT, or -cc. */
static int cmd(uint8_t code, uint8_t flags, uint16_t count, void *data)
{
	*ccw = (struct ccw1){ .cmd = code, .flags = flags, .count = count,
			      .cda = (uint32_t)(uintptr_t)data };
	return io_run(SCHID0, ccw, ORB_FMT1 | ORB_PFCH | ORB_C64, &irb);
}

static bool reject(int st)
{
	return (st >> 8) & 0x02;	/* unit check: command reject */
}

static uint32_t read_feat(uint8_t index)
{
	cdata[4] = index;
	cmd(0x12, 0, 5, cdata);
	return __builtin_bswap32(*(uint32_t *)cdata);
}

static int write_feat(uint8_t index, uint32_t f)
{
	*(uint32_t *)cdata = __builtin_bswap32(f);
	cdata[4] = index;
	return cmd(0x11, 0, 5, cdata);
}

static int write_status(uint8_t st)
{
	cdata[0] = st;
	return cmd(0x31, 0, 1, cdata);
}

/* A request of 2 or 3 descriptors; returns the status byte. */
/* One request with data segments @seg (@nseg of them, at most 2). */
struct seg {
	uint64_t addr;
	uint32_t len;
};

static uint8_t request_segs(uint32_t type, uint64_t sector,
			    const struct seg *seg, unsigned int nseg, bool in,
			    uint32_t *used_len)
{
	struct desc *d = (struct desc *)RING;
	volatile uint16_t *avail = (uint16_t *)(RING + 0x1000);
	volatile uint16_t *used = (uint16_t *)(RING + 0x2000);
	uint32_t *hdr = (uint32_t *)REQ;
	volatile uint8_t *status = (uint8_t *)(REQ + 0x80);
	unsigned int n = 0;
	uint16_t slot = avail_idx % 256;

	hdr[0] = g32(type);
	hdr[1] = 0;
	*(uint64_t *)(hdr + 2) = g64(sector);
	*status = 0xee;
	d[n] = (struct desc){ g64(REQ), g32(16), g16(1), g16(1) };
	n++;
	for (unsigned int i = 0; i < nseg; i++) {
		d[n] = (struct desc){ g64(seg[i].addr), g32(seg[i].len),
				      g16(in ? 3 : 1), g16((uint16_t)(n + 1)) };
		n++;
	}
	d[n] = (struct desc){ g64(REQ + 0x80), g32(1), g16(2), 0 };
	avail[2 + slot] = g16(0);
	avail_idx++;
	asm volatile("bcr 15,0" : : : "memory");
	avail[1] = g16(avail_idx);
	GT_EQ(virtio_notify(SCHID0, 0), 0, "DIAG 0x500 notify: 0");
	if (g16(used[1]) != avail_idx)
		return 0xff;	/* not used */
	if (used_len)
		*used_len = g32(*(uint32_t *)(RING + 0x2000 + 4 +
					      8 * (slot) + 4));
	return *status;
}

static uint8_t request(uint32_t type, uint64_t sector, uint64_t data,
		       uint32_t len, bool in, uint32_t *used_len)
{
	const struct seg one = { data, len };

	return request_segs(type, sector, &one, len ? 1 : 0, in, used_len);
}

static bool data_is(const uint8_t *p, uint64_t s)
{
	for (int i = 0; i < 512; i++)
		if (p[i] != pattern(s, (uint64_t)i))
			return false;
	return true;
}

static void blk_io(void)
{
	uint8_t *buf = (uint8_t *)DATA;
	uint32_t len = 0;
	uint8_t st;

	memset(buf, 0, 1024);
	st = request(0, 3, DATA, 512, true, &len);
	GT_EQ(st, 0, "read sector 3: OK");
	GT_EQ(len, 513, "read: used length 512 + status");
	gt_check(data_is(buf, 3), "read sector 3: the disk's bytes");
	for (int i = 0; i < 512; i++)
		buf[i] = (uint8_t)(0xa5 ^ i);
	st = request(1, 5, DATA, 512, false, NULL);
	GT_EQ(st, ro ? 1 : 0, ro ? "write to a read-only disk: IOERR" :
				   "write sector 5: OK");
	GT_EQ(request(4, 0, 0, 0, false, NULL), 0, "flush: OK");
	memset(buf, 0, 1024);
	GT_EQ(request(0, 5, DATA, 512, true, NULL), 0, "read sector 5 back");
	gt_check(ro ? data_is(buf, 5) : buf[7] == (uint8_t)(0xa5 ^ 7),
		 "sector 5 holds %s", ro ? "the old bytes" : "what was written");
	GT_EQ(request(0, SECTORS, DATA, 512, true, NULL), 1,
	      "read beyond the last sector: IOERR");
	GT_EQ(request(0, SECTORS - 1, DATA, 1024, true, NULL), 1,
	      "read across the end: IOERR");
	memset(buf, 0, 32);
	GT_EQ(request(8, 0, DATA, 20, true, NULL), 0, "get id: OK");
	gt_check(!memcmp(buf, "pvboot-disk-0", 14), "get id: pvboot-disk-0");
	GT_EQ(request(11, 0, DATA, 512, false, NULL), 2,
	      "an unknown request type: UNSUPP");
}

/* Legacy: what the s390-ccw bios does (ipl-from-devices.md §2). */
static void legacy(void)
{
	uint8_t *cfg = cdata + 0x40;
	uint32_t f;

	le = false;
	GT_EQ(cmd(0xe4, CCW_SLI, 256, cdata), 0x0c00, "SENSE ID");
	GT_EQ(cdata[3], 2, "SENSE ID: virtio block");
	GT_EQ(cmd(0x33, 0, 0, NULL), 0x0c00, "VDEV_RESET");
	GT_EQ(write_status(1), 0x0c00, "status ACKNOWLEDGE");
	GT_EQ(write_status(3), 0x0c00, "status DRIVER");
	f = read_feat(0);
	GT_EQ(f & (F_GEOMETRY | F_BLK_SIZE | F_FLUSH),
	      F_GEOMETRY | F_BLK_SIZE | F_FLUSH, "features: geometry, blk_size, flush");
	GT_EQ(f & F_RO, ro ? F_RO : 0, "feature RO as the disk is");
	GT_EQ(read_feat(1), 0, "legacy: feature word 1 is 0");
	GT_EQ(write_feat(0, f & (F_GEOMETRY | F_BLK_SIZE)), 0x0c00, "WRITE_FEAT");
	memset(cfg, 0, 64);
	GT_EQ(cmd(0x22, 0, 33, cfg), 0x0c00, "READ_CONF 33 bytes");
	GT_EQ(*(uint64_t *)cfg, SECTORS, "config: capacity, big-endian");
	GT_EQ(*(uint32_t *)(cfg + 20), 512, "config: blk_size 512");
	GT_EQ(cmd(0x22, 0, 200, cfg), 0x0020,
	      "READ_CONF beyond the config without SLI: program check");
	*(uint16_t *)cdata = 0;
	GT_EQ(cmd(0x32, 0, 4, cdata), 0x0c00, "READ_VQ_CONF 0");
	GT_EQ(*(uint16_t *)(cdata + 2), 256, "queue 0: 256 entries");
	*(uint16_t *)cdata = 1;
	cmd(0x32, 0, 4, cdata);
	GT_EQ(*(uint16_t *)(cdata + 2), 0, "queue 1: none");
	memset((void *)RING, 0, 0x3000);
	*(uint64_t *)cdata = RING;
	*(uint32_t *)(cdata + 8) = 8192;
	*(uint16_t *)(cdata + 12) = 0;
	*(uint16_t *)(cdata + 14) = 256;
	GT_EQ(cmd(0x13, 0, 16, cdata), 0x0020,
	      "legacy SET_VQ with alignment 8192: program check");
	*(uint32_t *)(cdata + 8) = 4096;
	GT_EQ(cmd(0x13, 0, 16, cdata), 0x0c00, "legacy SET_VQ");
	avail_idx = 0;
	GT_EQ(write_status(7), 0x0c00, "status DRIVER_OK");
	blk_io();
	/* status 0 resets: the queue is forgotten */
	GT_EQ(write_status(0), 0x0c00, "status 0 resets the device");
	GT_EQ(request(0, 3, DATA, 512, true, NULL), 0xff,
	      "after the reset a request is not taken");
}

static void modern(void)
{
	uint8_t *cfg = cdata + 0x40;
	volatile uint64_t *ind = (uint64_t *)IND;
	uint32_t code[2];

	/* disabling the subchannel ends the (no) revision; enable again */
	io_enable(SCHID0, 0, 0);
	{
		static struct schib s;

		stsch(SCHID0, &s);
		s.flags &= (uint16_t)~PMCW_ENA;
		GT_EQ(msch(SCHID0, &s), 0, "MSCH disable");
		GT_EQ(io_enable(SCHID0, 0x11, 0), 0, "MSCH enable");
	}
	*(uint32_t *)cdata = 1U << 16;	/* revision 1, length 0 */
	GT_EQ(cmd(0x83, 0, 4, cdata), 0x0c00, "SET_VIRTIO_REV 1");
	*(uint32_t *)cdata = 1U << 16;
	gt_check(reject(cmd(0x83, 0, 4, cdata)),
		 "a second SET_VIRTIO_REV: command reject");
	GT_EQ(cmd(0x33, 0, 0, NULL), 0x0c00, "VDEV_RESET");
	gt_check(reject(cmd(0x72, 0, 1, cdata)),
		 "READ_STATUS below revision 2: command reject");
	write_status(1);
	write_status(3);
	GT_EQ(read_feat(1), 3, "feature word 1: VERSION_1, ACCESS_PLATFORM");
	write_feat(0, F_BLK_SIZE | F_FLUSH);
	write_feat(1, 1);
	gt_check(reject(write_status(0xb)),
		 "FEATURES_OK without ACCESS_PLATFORM: command reject");
	write_feat(1, 3);
	GT_EQ(write_status(0xb), 0x0c00, "FEATURES_OK with ACCESS_PLATFORM");
	le = true;
	memset(cfg, 0, 64);
	cmd(0x22, CCW_SLI, 36, cfg);
	GT_EQ(__builtin_bswap64(*(uint64_t *)cfg), SECTORS,
	      "config: capacity, little-endian");
	memset((void *)RING, 0, 0x3000);
	memset(cdata, 0, 32);
	*(uint64_t *)cdata = RING;
	*(uint16_t *)(cdata + 12) = 0;
	*(uint16_t *)(cdata + 14) = 128;
	*(uint64_t *)(cdata + 16) = RING + 0x1000;
	*(uint64_t *)(cdata + 24) = RING + 0x2000;
	GT_EQ(cmd(0x13, 0, 32, cdata), 0x0c00, "SET_VQ (revision 1)");
	gt_check(reject(cmd(0x73, CCW_SLI, 25, cdata)),
		 "SET_IND_ADAPTER: command reject (no adapter interruptions)");
	*ind = 0;
	*(uint64_t *)cdata = IND;
	GT_EQ(cmd(0x43, 0, 8, cdata), 0x0c00, "SET_IND");
	*(uint64_t *)cdata = IND + 8;
	GT_EQ(cmd(0x53, 0, 8, cdata), 0x0c00, "SET_CONF_IND");
	GT_EQ(write_status(0xf), 0x0c00, "DRIVER_OK");
	avail_idx = 0;
	/* a completion: indicator bit 0 and an unsolicited interruption */
	cr6_set(0x10000000ULL);
	GT_EQ(request(0, 7, DATA, 512, true, NULL), 0, "read sector 7 (revision 1)");
	gt_check(data_is((uint8_t *)DATA, 7), "read sector 7: the disk's bytes");
	GT_EQ(*ind, 1, "classic indicator of queue 0 set");
	LC_IO_SCHID = 0;
	io_wait();
	GT_EQ(LC_IO_SCHID, SCHID0, "an I/O interruption for 0.0.0000");
	GT_EQ(tsch(SCHID0, &irb), 0, "TSCH: status pending");
	GT_EQ(irb.ctrl & 0x001f, ST_ALERT | ST_PEND,
	      "unsolicited: alert status only");
	/* the driver asks for no interruption */
	*ind = 0;
	*(volatile uint16_t *)(RING + 0x1000) = g16(1);
	GT_EQ(request(0, 8, DATA, 512, true, NULL), 0, "read with NO_INTERRUPT");
	GT_EQ(*ind, 0, "NO_INTERRUPT: no indicator");
	GT_EQ(tpi(code), 0, "NO_INTERRUPT: no interruption pending");
	*(volatile uint16_t *)(RING + 0x1000) = 0;
	cr6_set(0);
	blk_io();
	tsch(SCHID0, &irb);	/* the interruptions blk_io's requests made */
}

static void rev2(void)
{
	static struct schib s;

	stsch(SCHID0, &s);
	s.flags &= (uint16_t)~PMCW_ENA;
	msch(SCHID0, &s);
	io_enable(SCHID0, 0x22, 0);
	*(uint32_t *)cdata = 2U << 16;
	GT_EQ(cmd(0x83, 0, 4, cdata), 0x0c00, "SET_VIRTIO_REV 2");
	write_status(3);
	cdata[0] = 0;
	GT_EQ(cmd(0x72, 0, 1, cdata), 0x0c00, "READ_STATUS (revision 2)");
	GT_EQ(cdata[0], 3, "READ_STATUS: what was written");
	cmd(0x33, 0, 0, NULL);
}

/* Protected: what the hypervisor may not touch. */
static void unshared(void)
{
	uint8_t *secret = (uint8_t *)SECRET;
	bool same = true;

	memset(secret, 0xcc, 4096);
	GT_EQ(request(0, 3, SECRET, 512, true, NULL), 1,
	      "read into an unshared page: IOERR");
	for (int i = 0; i < 4096; i++)
		same &= secret[i] == 0xcc;
	gt_check(same, "the unshared page kept its bytes");
	/* two segments, the first in a shared page: the device refuses the
	 * request before it moves anything (it checks every segment) */
	{
		const struct seg two[2] = { { DATA, 512 }, { SECRET, 512 } };
		uint8_t *data = (uint8_t *)DATA;

		memset(data, 0xbb, 512);
		GT_EQ(request_segs(0, 3, two, 2, true, NULL), 1,
		      "read into a shared and an unshared page: IOERR");
		same = true;
		for (int i = 0; i < 512; i++)
			same &= data[i] == 0xbb;
		gt_check(same, "the shared page of that request kept its bytes");
	}
	memset(secret, 0xdd, 512);
	GT_EQ(request(1, 9, SECRET, 512, false, NULL), 1,
	      "write from an unshared page: IOERR");
	/* a CCW the channel subsystem cannot fetch */
	{
		struct ccw1 *c = (struct ccw1 *)(SECRET + 0x800);
		int st;

		*c = (struct ccw1){ .cmd = 0x03, .flags = CCW_SLI };
		st = io_run(SCHID0, c, ORB_FMT1, &irb);
		GT_EQ(st & 0xff, 0x10, "a CCW in an unshared page: protection check");
	}
}

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();

	gt_pgm_install();
	pv = gt_protected();
	ro = p && p->variant == 1;
	if (pv) {
		for (uint64_t a = IOA; a <= IND; a += 4096)
			GT_EQ(uv_set_shared(a), 1, "share an I/O page");
		GT_EQ(uv_set_shared(DATA), 1, "share the data page");
	}
	GT_EQ(io_enable(SCHID0, 0x10, 0), 0, "enable 0.0.0000");
	legacy();
	modern();
	rev2();
	if (pv) {
		static struct schib sc;

		/* a legacy device again: disabling ends the revision */
		le = false;
		stsch(SCHID0, &sc);
		sc.flags &= (uint16_t)~PMCW_ENA;
		msch(SCHID0, &sc);
		io_enable(SCHID0, 0x33, 0);
		cmd(0x33, 0, 0, NULL);
		write_status(3);
		memset((void *)RING, 0, 0x3000);
		*(uint64_t *)cdata = RING;
		*(uint32_t *)(cdata + 8) = 4096;
		*(uint16_t *)(cdata + 12) = 0;
		*(uint16_t *)(cdata + 14) = 256;
		cmd(0x13, 0, 16, cdata);
		write_status(7);
		avail_idx = 0;
		unshared();
		GT_EQ(request(0, 3, DATA, 512, true, NULL), 0,
		      "the same read into a shared page: OK");
		gt_check(data_is((uint8_t *)DATA, 3), "shared page: the disk's bytes");
	}
	gt_done();
}
