// SPDX-License-Identifier: MIT
/*
 * Channel programs: the start function of a subchannel runs its CCWs one
 * after the other, synchronously, as QEMU's virtual subchannels do
 * (ipl-from-devices.md §5.1 item 3): format-0 and format-1 CCWs, command
 * chaining, TIC, suspend, the data of a CCW directly or through format-1
 * or format-2 IDAWs (2 KiB or 4 KiB blocks), the skip flag.  MIDAWs are
 * not offered (an ORB asking for them is an operand exception).
 *
 * Every access to guest memory is the hypervisor's (hv_read/hv_write): an
 * address outside guest memory ends the program with a channel-program
 * check (QEMU's answer to an inaccessible address); a page of a protected
 * guest that the guest did not share is storage the channel subsystem may
 * not touch and ends it with a protection check, nothing transferred
 * (ipl-from-devices.md §5.2, pv-machine-and-uv.md §4.8).
 */
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/uv.h"

#include "machine_priv.h"
#include "io.h"

/* The most CCWs one start function runs (see css_run_start). */
#define CCW_LIMIT 100000U

/* A failed hypervisor access as a channel condition. */
static int mem_fault(int pgm)
{
	return pgm == PV_PGM_ADDRESSING ? CCW_PROG_CHECK : CCW_PROT_CHECK;
}

static int guest_rw(struct pv_machine *m, uint64_t a, void *buf,
		    uint32_t len, bool to_guest)
{
	int pgm;

	if (!len)
		return 0;
	pgm = to_guest ? hv_write(m, a, buf, len) : hv_read(m, a, buf, len);
	if (pgm)
		return mem_fault(pgm);
	if (to_guest)
		codemap_written(m, a, len);
	return 0;
}

/* Data addresses a CCW may use directly: 31 bits (format 1), 24 (0). */
static bool direct_ok(const struct ccw_stream *s, uint64_t a, uint32_t len)
{
	uint64_t lim = (s->flags & CDS_FMT1) ? 1ULL << 31 : 1ULL << 24;

	return a + len <= lim;
}

static uint64_t ida_block(const struct ccw_stream *s)
{
	return (s->flags & CDS_C64) && !(s->flags & CDS_I2K) ? 4096 : 2048;
}

static int next_idaw(struct ccw_stream *s)
{
	uint8_t w[8];
	uint64_t at;
	int rc;

	if (s->flags & CDS_C64) {
		at = s->cda_orig + 8ULL * s->at_idaw;
		if ((at & 7) || !direct_ok(s, at, 8))
			return CCW_PROG_CHECK;
		rc = guest_rw(s->m, at, w, 8, false);
		s->cda = pv_get_be64(w);
	} else {
		at = s->cda_orig + 4ULL * s->at_idaw;
		if ((at & 3) || !direct_ok(s, at, 4))
			return CCW_PROG_CHECK;
		rc = guest_rw(s->m, at, w, 4, false);
		s->cda = pv_get_be32(w);
		if (!rc && (s->cda & 0x80000000U))
			return CCW_PROG_CHECK;
	}
	s->at_idaw++;
	return rc;
}

static int move(struct ccw_stream *s, void *buf, uint32_t len, bool to_guest)
{
	uint8_t *b = buf;
	int rc;

	if (s->flags & CDS_BROKEN)
		return CCW_PROG_CHECK;
	if ((uint64_t)s->at + len > s->count) {
		s->flags |= CDS_BROKEN;
		return CCW_PROG_CHECK;
	}
	if (!len)
		return 0;
	if (!(s->flags & CDS_IDA)) {
		if (!direct_ok(s, s->cda, len))
			rc = CCW_PROG_CHECK;
		else
			rc = (to_guest && s->skip) ? 0 :
				guest_rw(s->m, s->cda, b, len, to_guest);
		if (rc) {
			s->flags |= CDS_BROKEN;
			return rc;
		}
		s->cda += len;
		s->at += len;
		if (s->at > s->done)
			s->done = s->at;
		return 0;
	}
	while (len) {
		uint64_t bs = ida_block(s), left;
		uint32_t n;

		if (!s->at_idaw) {
			rc = next_idaw(s);
		} else if ((s->cda & (bs - 1)) == 0) {
			/* a block boundary: the next IDAW must start one */
			rc = next_idaw(s);
			if (!rc && (s->cda & (bs - 1)))
				rc = CCW_PROG_CHECK;
		} else {
			rc = 0;
		}
		if (rc) {
			s->flags |= CDS_BROKEN;
			return rc;
		}
		left = bs - (s->cda & (bs - 1));
		n = len < left ? len : (uint32_t)left;
		if (!(to_guest && s->skip)) {
			rc = guest_rw(s->m, s->cda, b, n, to_guest);
			if (rc) {
				s->flags |= CDS_BROKEN;
				return rc;
			}
		}
		s->cda += n;
		s->at += n;
		if (s->at > s->done)
			s->done = s->at;
		b += n;
		len -= n;
	}
	return 0;
}

int ccw_read(struct ccw_stream *s, void *buf, uint32_t len)
{
	return move(s, buf, len, false);
}

int ccw_write(struct ccw_stream *s, const void *buf, uint32_t len)
{
	return move(s, (void *)buf, len, true);
}

uint32_t ccw_residual(const struct ccw_stream *s)
{
	return s->count - s->done;
}

void ccw_rewind(struct ccw_stream *s)
{
	s->cda = s->cda_orig;
	s->at = 0;
	s->at_idaw = 0;
	s->flags &= ~CDS_BROKEN;
}

static void stream_init(struct ccw_stream *s, struct subch *sch,
			const struct ccw1 *ccw)
{
	uint16_t c0 = sch->orb.ctrl0;

	memset(s, 0, sizeof(*s));
	s->m = sch->m;
	s->flags = (c0 & ORB_CTRL0_I2K ? CDS_I2K : 0) |
		   (c0 & ORB_CTRL0_C64 ? CDS_C64 : 0) |
		   (sch->fmt1 ? CDS_FMT1 : 0) |
		   (ccw->flags & CCW_FLAG_IDA ? CDS_IDA : 0);
	s->count = ccw->count;
	s->cda = s->cda_orig = ccw->cda;
	/* skip applies to read, read backward and sense commands */
	s->skip = (ccw->flags & CCW_FLAG_SKIP) &&
		  ((ccw->cmd & 0x0f) == CCW_CMD_BASIC_SENSE ||
		   (ccw->cmd & 0x03) == 0x02 || (ccw->cmd & 0x0f) == 0x0c);
}

/* Fetch the CCW at @a in either format, as format 1. */
static int fetch(struct subch *sch, uint64_t a, struct ccw1 *c)
{
	uint8_t b[8];
	int rc = guest_rw(sch->m, a, b, 8, false);

	if (rc)
		return rc;
	if (sch->fmt1) {
		c->cmd = b[0];
		c->flags = b[1];
		c->count = pv_get_be16(b + 2);
		c->cda = pv_get_be32(b + 4);
		return 0;
	}
	c->cmd = b[0];
	c->cda = (uint32_t)b[1] << 16 | pv_get_be16(b + 2);
	if ((b[0] & 0x0f) == CCW_CMD_TIC) {
		c->cmd = CCW_CMD_TIC;
		c->flags = 0;
		c->count = 0;
	} else {
		c->flags = b[4];
		c->count = pv_get_be16(b + 6);
	}
	return 0;
}

static int sense_id(struct subch *sch, const struct ccw1 *c,
		    struct ccw_stream *ds, bool check_len)
{
	uint8_t id[256] = { 0 };
	uint32_t len = c->count < sizeof(id) ? c->count : sizeof(id);

	if (check_len && c->count != sizeof(id))
		return CCW_PROG_CHECK;
	memcpy(id, sch->senseid, sizeof(sch->senseid));
	/* 0xff only where bytes 0-3 fit (QEMU css_interpret_ccw) */
	id[0] = len >= 4 ? 0xff : 0;
	return ccw_write(ds, id, len);
}

static int basic_sense(struct subch *sch, const struct ccw1 *c,
		       struct ccw_stream *ds, bool check_len)
{
	uint32_t len = c->count < sizeof(sch->sense) ? c->count :
						      sizeof(sch->sense);
	int rc;

	if (check_len && c->count != sizeof(sch->sense))
		return CCW_PROG_CHECK;
	rc = ccw_write(ds, sch->sense, len);
	if (!rc)
		memset(sch->sense, 0, sizeof(sch->sense));
	return rc;
}

/* One CCW at sch->cp: 0 (ending), CCW_CHAIN, or an error. */
static int one_ccw(struct subch *sch, bool suspend_ok)
{
	struct ccw_stream ds;
	struct ccw1 c;
	bool check_len;
	int rc;

	if (!sch->cp)
		return CCW_PROG_CHECK;
	/* doubleword aligned, 31-bit (format 1) or 24-bit (format 0) */
	if (sch->cp & (sch->fmt1 ? 0xffffffff80000007ULL :
				   0xffffffffff000007ULL))
		return CCW_PROG_CHECK;
	rc = fetch(sch, sch->cp, &c);
	if (rc)
		return rc;
	if ((c.cmd & 0x0f) == 0)
		return CCW_PROG_CHECK;
	if ((c.cmd & 0x0f) == CCW_CMD_TIC && (c.cmd & 0xf0))
		return CCW_PROG_CHECK;
	if (!sch->fmt1 && !c.count && c.cmd != CCW_CMD_TIC)
		return CCW_PROG_CHECK;
	if (c.flags & CCW_FLAG_MIDA)
		return CCW_PROG_CHECK;
	if (c.flags & CCW_FLAG_SUSPEND)
		return suspend_ok ? CCW_SUSPEND : CCW_PROG_CHECK;
	check_len = !((c.flags & CCW_FLAG_SLI) && !(c.flags & CCW_FLAG_DC));
	if (!c.cda) {
		if (sch->no_data == 255)
			return CCW_PROG_CHECK;
		sch->no_data++;
	}
	stream_init(&ds, sch, &c);
	switch (c.cmd) {
	case CCW_CMD_NOOP:
		rc = 0;
		break;
	case CCW_CMD_BASIC_SENSE:
		rc = basic_sense(sch, &c, &ds, check_len);
		break;
	case CCW_CMD_SENSE_ID:
		rc = sense_id(sch, &c, &ds, check_len);
		break;
	case CCW_CMD_TIC:
		if ((sch->last_valid && sch->last.cmd == CCW_CMD_TIC) ||
		    c.flags || c.count) {
			rc = CCW_PROG_CHECK;
			break;
		}
		sch->cp = c.cda;
		rc = CCW_CHAIN;
		break;
	default:
		rc = sch->ops && sch->ops->ccw ?
			sch->ops->ccw(sch, &c, &ds, check_len) : CCW_REJECT;
		break;
	}
	if (c.cmd != CCW_CMD_TIC && c.cmd != CCW_CMD_NOOP)
		sch->scsw.count = (uint16_t)ccw_residual(&ds);
	else if (c.cmd == CCW_CMD_NOOP)
		sch->scsw.count = c.count;
	sch->last = c;
	sch->last_valid = true;
	if (!rc && (c.flags & CCW_FLAG_CC)) {
		sch->cp += 8;
		rc = CCW_CHAIN;
	}
	return rc;
}

/* End the start function with primary and secondary status. */
static void ending(struct subch *sch, uint16_t extra_stctl, uint8_t dstat,
		   uint8_t cstat)
{
	struct scsw *s = &sch->scsw;

	s->ctrl &= ~(SCSW_ACTL_START_PEND | SCSW_STCTL_MASK);
	s->ctrl |= SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY |
		   SCSW_STCTL_STATUS_PEND | extra_stctl;
	s->dstat = dstat;
	s->cstat = cstat;
	s->cpa = (uint32_t)(sch->cp + 8);
}

/*
 * The start function (SSCH, or RSCH of a suspended program): interpret
 * the channel program until it ends, and leave the subchannel status
 * pending (or suspended).  The caller makes the I/O interruption pending.
 */
void css_run_start(struct subch *sch)
{
	struct scsw *s = &sch->scsw;
	unsigned int n;
	bool suspend_ok;
	int rc = 0;

	if (!(s->ctrl & SCSW_ACTL_SUSP)) {
		s->cstat = 0;
		s->dstat = 0;
		s->flags &= ~SCSW_FLAGS_CC;
		sch->pmcw.intparm = sch->orb.intparm;
		/* one path, 0x80: a mask without it is a deferred cc 3 */
		if (!(sch->orb.lpm & 0x80)) {
			s->flags |= SCSW_FLAGS_CC;
			s->ctrl &= ~SCSW_STCTL_MASK;
			s->ctrl |= SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND;
			return;
		}
		sch->fmt1 = sch->orb.ctrl0 & ORB_CTRL0_FMT;
		if (sch->fmt1)
			s->flags |= SCSW_FLAGS_FMT;
		else
			s->flags &= ~SCSW_FLAGS_FMT;
		sch->no_data = 0;
		suspend_ok = sch->orb.ctrl0 & ORB_CTRL0_SPND;
	} else {
		s->ctrl &= ~(SCSW_ACTL_SUSP | SCSW_ACTL_RESUME_PEND);
		suspend_ok = true;
	}
	sch->last_valid = false;
	/*
	 * A channel program may loop through TICs for ever; a real channel
	 * would run until HSCH or CSCH, but this one runs inside the
	 * guest's SSCH: past CCW_LIMIT CCWs it ends with a program check.
	 */
	for (n = 0; n < CCW_LIMIT; n++) {
		rc = one_ccw(sch, suspend_ok);
		if (rc != CCW_CHAIN)
			break;
	}
	if (rc == CCW_CHAIN)
		rc = CCW_PROG_CHECK;
	switch (rc) {
	case 0:
		ending(sch, 0, DSTAT_CHANNEL_END | DSTAT_DEVICE_END, 0);
		break;
	case CCW_REJECT:
		sch->sense[0] = SENSE_CMD_REJECT;
		ending(sch, SCSW_STCTL_ALERT, DSTAT_CHANNEL_END |
			   DSTAT_DEVICE_END | DSTAT_UNIT_CHECK, 0);
		break;
	case CCW_SUSPEND:
		/* intermediate status unless the ORB suppresses it (U bit) */
		s->ctrl &= ~SCSW_ACTL_START_PEND;
		s->ctrl |= SCSW_ACTL_SUSP;
		s->cpa = (uint32_t)sch->cp;
		if (!(sch->orb.ctrl0 & 0x0008)) {
			s->ctrl &= ~SCSW_STCTL_MASK;
			s->ctrl |= SCSW_STCTL_INTERMEDIATE |
				   SCSW_STCTL_STATUS_PEND;
		}
		break;
	case CCW_PROT_CHECK:
		ending(sch, SCSW_STCTL_ALERT, 0, CSTAT_PROT_CHECK);
		break;
	default:
		ending(sch, SCSW_STCTL_ALERT, 0, CSTAT_PROG_CHECK);
		break;
	}
}
