// SPDX-License-Identifier: MIT
/*
 * The channel subsystem: subchannels for the attached devices only
 * (io.h: subchannel 0.0.000N, device number 0.0.000N), the I/O
 * instructions with the architecture's checks in QEMU's order
 * (target/s390x/ioinst.c: a malformed subchannel identification or ORB
 * or SCHIB is an operand exception, a misaligned operand a specification
 * exception, access exceptions before cc 3), the subchannel functions
 * (start, halt, clear, resume, cancel) with QEMU's status rules
 * (hw/s390x/css.c), and I/O interruptions by interruption subclass.
 *
 * Easy to miss (ipl-from-devices.md §2): TSCH clears the status-pending
 * condition but keeps DSTAT in the SCSW, so a second TSCH gives cc 1 and
 * an IRB still showing CE+DE (the s390-ccw bios relies on it); STSCH
 * beyond the last subchannel is cc 3; status pending makes SSCH and MSCH
 * cc 1.
 *
 * Operands (ORB, SCHIB, IRB, TPI's code) are the instruction's: read and
 * written at their logical address as the CPU does; for a protected guest
 * the UV copies them through the CPU's SIDA and the hypervisor side sees
 * only that copy (pv-machine-and-uv.md §4.10).
 */
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"

#include "machine_priv.h"
#include "io.h"

#define SCHID_ONE 0x00010000U
#define SCHID_M 0x00080000U

/* ---- operands ------------------------------------------------------------ */

/*
 * The translator hands most of these helpers the instruction itself,
 * left-aligned in 64 bits (QEMU's in2_insn): the operand address is its
 * base and displacement (S format), CHSC's is in its R1 (RRE format).
 */
static uint64_t op_addr(struct vcpu *v, uint16_t op, uint64_t inst)
{
	uint32_t ipb = (uint32_t)(inst >> 16);

	if (op == 0xb25f)
		return addr_wrap(vcpu_pswm(v), vcpu_gr(v, (ipb >> 20) & 0xf));
	return vcpu_ea(v, vcpu_pswm(v), 0, ipb >> 28, (ipb >> 16) & 0xfff);
}

/* Operand in: the CPU reads it; a protected guest's goes via the SIDA. */
static void op_in(struct vcpu *v, uint64_t a, void *buf, size_t len,
		  uintptr_t ra)
{
	mem_read_op(v, a, buf, len, ra);
	if (v->m->protected_mode) {
		memcpy(hv_sida(v), buf, len);
		memcpy(buf, hv_sida(v), len);
	}
}

static void op_out(struct vcpu *v, uint64_t a, const void *buf, size_t len,
		   uintptr_t ra)
{
	if (v->m->protected_mode)
		memcpy(hv_sida(v), buf, len);
	mem_write_op(v, a, v->m->protected_mode ? hv_sida(v) : buf, len, ra);
}

/* Access exceptions of a store operand, without storing (cc 3 paths). */
static void op_check_write(struct vcpu *v, uint64_t a, size_t len,
			   uintptr_t ra)
{
	uint64_t ends[2] = { a, a + len - 1 }, abs, tec;

	for (int i = 0; i < 2; i++) {
		int rc = mem_translate(v, vcpu_pswm(v), ends[i], 1, &abs,
				       &tec);

		if (rc) {
			uint8_t *lc = mem_lowcore(v);

			if (rc != PGM_ADDRESSING && lc)
				pv_put_be64(lc + LC_TEC, tec);
			vcpu_raise(v, (uint16_t)rc, ra);
		}
	}
}

/* ---- control blocks, host order <-> big-endian --------------------------- */

static void put_scsw(uint8_t *b, const struct scsw *s)
{
	pv_put_be16(b, s->flags);
	pv_put_be16(b + 2, s->ctrl);
	pv_put_be32(b + 4, s->cpa);
	b[8] = s->dstat;
	b[9] = s->cstat;
	pv_put_be16(b + 10, s->count);
}

static void put_pmcw(uint8_t *b, const struct pmcw *p)
{
	pv_put_be32(b, p->intparm);
	pv_put_be16(b + 4, p->flags);
	pv_put_be16(b + 6, p->devno);
	b[8] = p->lpm;
	b[9] = p->pnom;
	b[10] = p->lpum;
	b[11] = p->pim;
	pv_put_be16(b + 12, p->mbi);
	b[14] = p->pom;
	b[15] = p->pam;
	memcpy(b + 16, p->chpid, 8);
	pv_put_be32(b + 24, p->chars);
}

static void get_pmcw(const uint8_t *b, struct pmcw *p)
{
	p->intparm = pv_get_be32(b);
	p->flags = pv_get_be16(b + 4);
	p->devno = pv_get_be16(b + 6);
	p->lpm = b[8];
	p->pnom = b[9];
	p->lpum = b[10];
	p->pim = b[11];
	p->mbi = pv_get_be16(b + 12);
	p->pom = b[14];
	p->pam = b[15];
	memcpy(p->chpid, b + 16, 8);
	p->chars = pv_get_be32(b + 24);
}

void css_stsch(const struct subch *sch, uint8_t schib[SCHIB_SIZE])
{
	memset(schib, 0, SCHIB_SIZE);
	put_pmcw(schib, &sch->pmcw);
	put_scsw(schib + 28, &sch->scsw);
	pv_put_be64(schib + 40, sch->mba);
}

/* ---- subchannels ----------------------------------------------------------- */

static struct css *css_of(struct pv_machine *m)
{
	return &m->io->css;
}

uint32_t css_schid_word(const struct subch *sch)
{
	return SCHID_ONE | sch->nr;
}

struct subch *css_find(struct pv_machine *m, uint32_t w)
{
	struct css *c = css_of(m);
	uint32_t nr = w & 0xffff;

	/* CSS 0 (M bit or not), subchannel set 0 only */
	if ((w & 0xff000000U) || (w & 0x00060000U) || nr >= c->nsch)
		return NULL;
	return c->sch[nr];
}

static bool operational(const struct subch *sch)
{
	return (sch->pmcw.flags & (PMCW_FLAGS_DNV | PMCW_FLAGS_ENA)) ==
	       (PMCW_FLAGS_DNV | PMCW_FLAGS_ENA);
}

static unsigned int isc_of(const struct subch *sch)
{
	return (sch->pmcw.flags & PMCW_FLAGS_ISC) >> 11;
}

/* Recompute the floating I/O pending bits; tell the CPUs about new ones. */
static void update_pending(struct pv_machine *m)
{
	struct css *c = css_of(m);
	uint8_t bits = 0, old = m->flic.io_pending;

	for (unsigned int i = 0; i < c->nsch; i++)
		if (c->sch[i]->irq)
			bits |= (uint8_t)(0x80 >> isc_of(c->sch[i]));
	m->flic.io_pending = bits;
	if (bits & ~old)
		machine_irq_changed(m);
}

/* An I/O interruption for @sch if it is status pending. */
static void make_pending(struct subch *sch)
{
	if (!(sch->scsw.ctrl & SCSW_STCTL_STATUS_PEND))
		return;
	sch->irq = true;
	update_pending(sch->m);
}

void css_unsolicited(struct subch *sch)
{
	if (!(sch->pmcw.flags & PMCW_FLAGS_ENA))
		return;
	if (sch->scsw.ctrl & SCSW_STCTL_STATUS_PEND)
		return;
	sch->scsw.ctrl &= ~SCSW_STCTL_MASK;
	sch->scsw.ctrl |= SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND;
	make_pending(sch);
}

/* The initial state of a virtual subchannel (QEMU css_sch_build_virtual_schib). */
static void sch_init(struct subch *sch)
{
	memset(&sch->pmcw, 0, sizeof(sch->pmcw));
	memset(&sch->scsw, 0, sizeof(sch->scsw));
	sch->pmcw.flags = PMCW_FLAGS_DNV;
	sch->pmcw.devno = sch->nr;
	sch->pmcw.pim = 0x80;
	sch->pmcw.pom = 0xff;
	sch->pmcw.pam = 0x80;
	sch->pmcw.chpid[0] = 0;
	sch->mba = 0;
	sch->cp = 0;
	sch->last_valid = false;
	sch->irq = false;
	memset(sch->sense, 0, sizeof(sch->sense));
}

struct subch *css_add(struct pv_machine *m, const uint8_t senseid[8],
		      const struct subch_ops *ops, void *dev,
		      struct pv_err **err)
{
	struct css *c = css_of(m);
	struct subch *sch;

	if (c->nsch == CSS_MAX_DEVICES) {
		pv_err_set(err, PV_ERR_RANGE, "at most %d devices",
			   CSS_MAX_DEVICES);
		return NULL;
	}
	sch = calloc(1, sizeof(*sch));
	if (!sch) {
		pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		return NULL;
	}
	sch->m = m;
	sch->nr = (uint16_t)c->nsch;
	memcpy(sch->senseid, senseid, sizeof(sch->senseid));
	sch->ops = ops;
	sch->dev = dev;
	sch_init(sch);
	c->sch[c->nsch++] = sch;
	return sch;
}

void css_reset(struct pv_machine *m)
{
	struct css *c = css_of(m);

	for (unsigned int i = 0; i < c->nsch; i++) {
		struct subch *sch = c->sch[i];

		sch_init(sch);
		if (sch->ops && sch->ops->reset)
			sch->ops->reset(sch);
	}
	c->mss = false;
	c->chnmon = false;
	c->chnmon_area = 0;
	m->flic.io_pending = 0;
}

/* ---- subchannel functions ------------------------------------------------ */

/* Channel monitoring: the start-subchannel count of a measured subchannel. */
static void count_start(struct subch *sch)
{
	struct css *c = css_of(sch->m);
	uint8_t b[4];
	uint64_t a;

	if (!(sch->pmcw.flags & PMCW_FLAGS_MME))
		return;
	if (sch->pmcw.chars & PMCW_CHARS_MBFC) {
		a = sch->mba;
		if (!hv_read(sch->m, a, b, 4)) {
			pv_put_be32(b, pv_get_be32(b) + 1);
			hv_write(sch->m, a, b, 4);
		}
	} else if (c->chnmon) {
		a = c->chnmon_area + ((uint64_t)sch->pmcw.mbi << 5);
		if (!hv_read(sch->m, a, b, 2)) {
			pv_put_be16(b, (uint16_t)(pv_get_be16(b) + 1));
			hv_write(sch->m, a, b, 2);
		}
	}
}

int css_ssch(struct subch *sch, const struct orb *orb)
{
	struct scsw *s = &sch->scsw;

	if (!operational(sch))
		return 3;
	if (s->ctrl & SCSW_STCTL_STATUS_PEND)
		return 1;
	if (s->ctrl & SCSW_FCTL_MASK)
		return 2;
	count_start(sch);
	css_of(sch->m)->ios++;
	sch->orb = *orb;
	sch->cp = orb->cpa;
	s->ctrl |= SCSW_FCTL_START | SCSW_ACTL_START_PEND;
	s->flags &= ~SCSW_FLAGS_PNO;
	css_run_start(sch);
	make_pending(sch);
	return 0;
}

static int do_rsch(struct subch *sch)
{
	struct scsw *s = &sch->scsw;

	if (!operational(sch))
		return 3;
	if (s->ctrl & SCSW_STCTL_STATUS_PEND)
		return 1;
	if ((s->ctrl & SCSW_FCTL_MASK) != SCSW_FCTL_START ||
	    (s->ctrl & SCSW_ACTL_RESUME_PEND) || !(s->ctrl & SCSW_ACTL_SUSP))
		return 2;
	count_start(sch);
	s->ctrl |= SCSW_ACTL_RESUME_PEND;
	css_run_start(sch);
	make_pending(sch);
	return 0;
}

static int do_csch(struct subch *sch)
{
	struct scsw *s = &sch->scsw;

	if (!operational(sch))
		return 3;
	s->ctrl &= ~(SCSW_FCTL_MASK | SCSW_ACTL_MASK | SCSW_STCTL_MASK);
	s->ctrl |= SCSW_FCTL_CLEAR | SCSW_STCTL_STATUS_PEND;
	s->flags &= ~SCSW_FLAGS_PNO;
	s->dstat = 0;
	s->cstat = 0;
	sch->pmcw.pom = 0xff;
	sch->pmcw.lpum = 0x80;
	sch->cp = 0;
	sch->last_valid = false;
	make_pending(sch);
	return 0;
}

static int do_hsch(struct subch *sch)
{
	struct scsw *s = &sch->scsw;
	uint16_t stctl = s->ctrl & SCSW_STCTL_MASK;
	bool active = s->ctrl & (SCSW_ACTL_SUBCH_ACTIVE |
				 SCSW_ACTL_DEVICE_ACTIVE);

	if (!operational(sch))
		return 3;
	if (stctl == SCSW_STCTL_STATUS_PEND ||
	    (stctl & (SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY |
		      SCSW_STCTL_ALERT)))
		return 1;
	if (s->ctrl & (SCSW_FCTL_HALT | SCSW_FCTL_CLEAR))
		return 2;
	s->ctrl |= SCSW_FCTL_HALT;
	s->ctrl &= ~SCSW_FCTL_START;
	/* the halt signal, always accepted (QEMU sch_handle_halt_func) */
	if (active || !(s->ctrl & (SCSW_ACTL_START_PEND | SCSW_ACTL_SUSP)))
		s->dstat = DSTAT_DEVICE_END;
	if (active || (s->ctrl & SCSW_ACTL_SUSP))
		s->cpa = (uint32_t)(sch->cp + 8);
	s->ctrl &= ~SCSW_STCTL_MASK;
	s->ctrl |= SCSW_STCTL_STATUS_PEND;
	s->cstat = 0;
	sch->pmcw.lpum = 0x80;
	sch->cp = 0;
	sch->last_valid = false;
	make_pending(sch);
	return 0;
}

static int do_xsch(struct subch *sch)
{
	struct scsw *s = &sch->scsw;

	if (!operational(sch))
		return 3;
	if (s->ctrl & SCSW_STCTL_MASK)
		return 1;
	if ((s->ctrl & SCSW_FCTL_MASK) != SCSW_FCTL_START ||
	    !(s->ctrl & (SCSW_ACTL_RESUME_PEND | SCSW_ACTL_START_PEND |
			 SCSW_ACTL_SUSP)) ||
	    (s->ctrl & SCSW_ACTL_SUBCH_ACTIVE))
		return 2;
	s->ctrl &= ~(SCSW_FCTL_START | SCSW_ACTL_RESUME_PEND |
		     SCSW_ACTL_START_PEND | SCSW_ACTL_SUSP);
	sch->cp = 0;
	sch->last_valid = false;
	s->dstat = 0;
	s->cstat = 0;
	return 0;
}

int css_msch(struct subch *sch, const uint8_t schib[SCHIB_SIZE])
{
	const uint16_t mod = PMCW_FLAGS_ISC | PMCW_FLAGS_ENA | PMCW_FLAGS_LM |
			     PMCW_FLAGS_MME | PMCW_FLAGS_MP;
	const uint32_t cmod = PMCW_CHARS_MBFC | PMCW_CHARS_CSENSE;
	uint16_t old = sch->pmcw.flags;
	struct pmcw p;

	if (!(sch->pmcw.flags & PMCW_FLAGS_DNV))
		return 0;
	if (sch->scsw.ctrl & SCSW_STCTL_STATUS_PEND)
		return 1;
	if (sch->scsw.ctrl & SCSW_FCTL_MASK)
		return 2;
	get_pmcw(schib, &p);
	sch->pmcw.intparm = p.intparm;
	sch->pmcw.flags = (uint16_t)((sch->pmcw.flags & ~mod) | (p.flags & mod));
	sch->pmcw.lpm = p.lpm;
	sch->pmcw.mbi = p.mbi;
	sch->pmcw.pom = p.pom;
	sch->pmcw.chars = (sch->pmcw.chars & ~cmod) | (p.chars & cmod);
	sch->mba = pv_get_be64(schib + 40);
	if ((old & PMCW_FLAGS_ENA) && !(sch->pmcw.flags & PMCW_FLAGS_ENA) &&
	    sch->ops && sch->ops->disabled)
		sch->ops->disabled(sch);
	return 0;
}

int css_tsch(struct subch *sch, uint8_t irb[IRB_SIZE], unsigned int *len)
{
	struct scsw *s = &sch->scsw, out;
	uint16_t stctl, fctl, actl;
	bool sense;

	if (!operational(sch))
		return 3;
	stctl = s->ctrl & SCSW_STCTL_MASK;
	fctl = s->ctrl & SCSW_FCTL_MASK;
	actl = s->ctrl & SCSW_ACTL_MASK;
	memset(irb, 0, IRB_SIZE);
	out = *s;
	if (stctl & SCSW_STCTL_STATUS_PEND) {
		/* ESW format 0; a channel-data or control check logs */
		if (s->cstat & (CSTAT_DATA_CHECK | 0x06)) {
			out.flags |= SCSW_FLAGS_ESWF;
			pv_put_be32(irb + 12, 0x04804000);
		} else {
			pv_put_be32(irb + 12, 0x00800000);
		}
		/* concurrent sense: the sense bytes in the ECW */
		sense = (s->dstat & DSTAT_UNIT_CHECK) &&
			(sch->pmcw.chars & PMCW_CHARS_CSENSE);
		if (sense) {
			out.flags |= SCSW_FLAGS_ESWF | SCSW_FLAGS_ECTL;
			memcpy(irb + 32, sch->sense, sizeof(sch->sense));
			/* ERW: sense data present (bit 7), 32 bytes */
			pv_put_be32(irb + 16, 0x01000000U | 32U << 16);
		}
	}
	put_scsw(irb, &out);
	*len = IRB_SIZE_NO_EMW;
	if (!(stctl & SCSW_STCTL_STATUS_PEND))
		return 1;
	/* Clear the status-pending conditions; DSTAT/CSTAT stay. */
	s->ctrl &= ~SCSW_STCTL_MASK;
	if (stctl != (SCSW_STCTL_INTERMEDIATE | SCSW_STCTL_STATUS_PEND) ||
	    ((fctl & SCSW_FCTL_HALT) && (actl & SCSW_ACTL_SUSP)))
		s->ctrl &= ~SCSW_FCTL_MASK;
	if (stctl != (SCSW_STCTL_INTERMEDIATE | SCSW_STCTL_STATUS_PEND)) {
		s->flags &= ~SCSW_FLAGS_PNO;
		s->ctrl &= ~(SCSW_ACTL_RESUME_PEND | SCSW_ACTL_START_PEND |
			     SCSW_ACTL_HALT_PEND | SCSW_ACTL_CLEAR_PEND |
			     SCSW_ACTL_SUSP);
	} else if ((actl & SCSW_ACTL_SUSP) && (fctl & SCSW_FCTL_START)) {
		s->flags &= ~SCSW_FLAGS_PNO;
		if (fctl & SCSW_FCTL_HALT)
			s->ctrl &= ~(SCSW_ACTL_RESUME_PEND |
				     SCSW_ACTL_START_PEND |
				     SCSW_ACTL_HALT_PEND |
				     SCSW_ACTL_CLEAR_PEND | SCSW_ACTL_SUSP);
		else
			s->ctrl &= ~SCSW_ACTL_RESUME_PEND;
	}
	if (sch->pmcw.chars & PMCW_CHARS_CSENSE)
		memset(sch->sense, 0, sizeof(sch->sense));
	/* TSCH withdraws the interruption request of the subchannel. */
	if (sch->irq) {
		sch->irq = false;
		update_pending(sch->m);
	}
	return 0;
}

/* ---- the instructions -------------------------------------------------------- */

static bool schid_ok(uint64_t r1)
{
	uint32_t id = (uint32_t)r1;

	if (!(id & SCHID_ONE))
		return false;
	if (!(id & SCHID_M) && (id & 0xff000000U))
		return false;
	return true;
}

static void insn_stsch(struct vcpu *v, uint64_t r1, uint64_t a, uintptr_t ra)
{
	uint8_t schib[SCHIB_SIZE];
	struct subch *sch;

	if (a & 3)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	if (!schid_ok(r1)) {
		/* operand exceptions rank below access exceptions */
		op_check_write(v, a, SCHIB_SIZE, ra);
		vcpu_raise(v, PGM_OPERAND, ra);
	}
	sch = css_find(v->m, (uint32_t)r1);
	if (!sch) {
		op_check_write(v, a, SCHIB_SIZE, ra);
		vcpu_set_cc(v, 3);
		return;
	}
	css_stsch(sch, schib);
	op_out(v, a, schib, SCHIB_SIZE, ra);
	vcpu_set_cc(v, 0);
}

static bool schib_ok(const uint8_t *schib)
{
	uint16_t flags = pv_get_be16(schib + 4);
	uint32_t chars = pv_get_be32(schib + 24);

	return !(flags & PMCW_FLAGS_INVALID) &&
	       !(chars & (PMCW_CHARS_INVALID | PMCW_CHARS_XMWME));
}

static void insn_msch(struct vcpu *v, uint64_t r1, uint64_t a, uintptr_t ra)
{
	uint8_t schib[SCHIB_SIZE];
	struct subch *sch;

	if (a & 3)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	op_in(v, a, schib, SCHIB_SIZE, ra);
	if (!schid_ok(r1) || !schib_ok(schib))
		vcpu_raise(v, PGM_OPERAND, ra);
	sch = css_find(v->m, (uint32_t)r1);
	vcpu_set_cc(v, sch ? css_msch(sch, schib) : 3);
}

static void insn_ssch(struct vcpu *v, uint64_t r1, uint64_t a, uintptr_t ra)
{
	uint8_t b[12];
	struct orb orb;
	struct subch *sch;

	if (a & 3)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	op_in(v, a, b, sizeof(b), ra);
	orb.intparm = pv_get_be32(b);
	orb.ctrl0 = pv_get_be16(b + 4);
	orb.lpm = b[6];
	orb.ctrl1 = b[7];
	orb.cpa = pv_get_be32(b + 8);
	if (!schid_ok(r1) || (orb.ctrl0 & ORB_CTRL0_INVALID) ||
	    (orb.ctrl1 & (ORB_CTRL1_INVALID | ORB_CTRL1_MIDAW)) ||
	    (orb.cpa & 0x80000000U))
		vcpu_raise(v, PGM_OPERAND, ra);
	sch = css_find(v->m, (uint32_t)r1);
	vcpu_set_cc(v, sch ? css_ssch(sch, &orb) : 3);
}

static void insn_tsch(struct vcpu *v, uint64_t r1, uint64_t a, uintptr_t ra)
{
	uint8_t irb[IRB_SIZE];
	unsigned int len;
	struct subch *sch;
	int cc;

	if (!schid_ok(r1))
		vcpu_raise(v, PGM_OPERAND, ra);
	if (a & 3)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	sch = css_find(v->m, (uint32_t)r1);
	if (!sch || !operational(sch)) {
		op_check_write(v, a, IRB_SIZE_NO_EMW, ra);
		vcpu_set_cc(v, 3);
		return;
	}
	/*
	 * The IRB is stored before the conditions are cleared: an access
	 * exception leaves the subchannel as it was (TSCH is suppressed).
	 */
	op_check_write(v, a, IRB_SIZE_NO_EMW, ra);
	cc = css_tsch(sch, irb, &len);
	op_out(v, a, irb, len, ra);
	vcpu_set_cc(v, cc);
}

int css_function(struct subch *sch, uint16_t op)
{
	switch (op) {
	case 0xb230:
		return do_csch(sch);
	case 0xb231:
		return do_hsch(sch);
	case 0xb238:
		return do_rsch(sch);
	default:	/* 0xb276 */
		return do_xsch(sch);
	}
}

static void insn_simple(struct vcpu *v, uint16_t op, uint64_t r1,
			uintptr_t ra)
{
	struct subch *sch;

	if (!schid_ok(r1))
		vcpu_raise(v, PGM_OPERAND, ra);
	sch = css_find(v->m, (uint32_t)r1);
	vcpu_set_cc(v, sch ? css_function(sch, op) : 3);
}

static void insn_chsc(struct vcpu *v, uint64_t a, uintptr_t ra)
{
	uint8_t page[4096];
	uint16_t len, rlen;

	if (a & 0xfff)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	memset(page, 0, sizeof(page));
	mem_read_op(v, a, page, 16, ra);
	len = pv_get_be16(page);
	if (len < 16 || len > 4088 || (len & 7))
		vcpu_raise(v, PGM_OPERAND, ra);
	op_in(v, a, page, len, ra);
	chsc_execute(v->m, page);
	/* the response follows the request in the same page */
	rlen = pv_get_be16(page + len);
	if (rlen > sizeof(page) - len)
		rlen = (uint16_t)(sizeof(page) - len);
	op_out(v, a + len, page + len, rlen, ra);
	vcpu_set_cc(v, 0);
}

static void insn_schm(struct vcpu *v, uint64_t r1, uintptr_t ra)
{
	struct css *c = css_of(v->m);
	uint64_t r2 = vcpu_gr(v, 2);
	bool update = r1 & 2;

	if (r1 & 0x0ffffffcULL)
		vcpu_raise(v, PGM_OPERAND, ra);
	if (update && (r2 & 0x1f))
		vcpu_raise(v, PGM_OPERAND, ra);
	if (update && !c->chnmon) {
		c->chnmon = true;
		c->chnmon_area = r2;
	} else if (!update) {
		c->chnmon = false;
		c->chnmon_area = 0;
	}
}

void css_insn(struct vcpu *v, uint16_t op, uint64_t r1, uint64_t inst,
	      uintptr_t ra)
{
	uint8_t crw[4] = { 0 };
	uint64_t addr = 0;

	switch (op) {
	case 0xb232: case 0xb233: case 0xb234: case 0xb235:
	case 0xb239: case 0xb25f:
		addr = op_addr(v, op, inst);
		break;
	default:
		break;
	}
	if (v->m->tr)
		mach_trace(v->m, "cpu %u I/O instruction 0x%04x GR1 0x%08llx",
			   v->id, op, (unsigned long long)(uint32_t)r1);
	switch (op) {
	case 0xb234:
		insn_stsch(v, r1, addr, ra);
		return;
	case 0xb232:
		insn_msch(v, r1, addr, ra);
		return;
	case 0xb233:
		insn_ssch(v, r1, addr, ra);
		return;
	case 0xb235:
		insn_tsch(v, r1, addr, ra);
		return;
	case 0xb239:	/* STCRW: no channel reports are ever made */
		if (addr & 3)
			vcpu_raise(v, PGM_SPECIFICATION, ra);
		op_out(v, addr, crw, sizeof(crw), ra);
		vcpu_set_cc(v, 1);
		return;
	case 0xb25f:
		insn_chsc(v, addr, ra);
		return;
	case 0xb237:	/* SAL: no address-limit checking; suppressed */
		if ((r1 & 0x80000000ULL) || (r1 & 0xffff))
			vcpu_raise(v, PGM_OPERAND, ra);
		return;
	case 0xb23c:
		insn_schm(v, r1, ra);
		return;
	case 0xb23b:	/* RCHP: only CHPID 0 (virtual) exists */
		if (r1 & 0xff00ff00ULL)
			vcpu_raise(v, PGM_OPERAND, ra);
		if ((r1 >> 16) & 0xff)
			vcpu_raise(v, PGM_OPERAND, ra);
		vcpu_set_cc(v, !(r1 & 0xff) && css_of(v->m)->nsch ? 0 : 3);
		return;
	default:
		insn_simple(v, op, r1, ra);
		return;
	}
}

/* ---- I/O interruptions --------------------------------------------------- */

/* The pending subchannel of the most important ISC in @mask, or NULL. */
static struct subch *next_irq(struct pv_machine *m, uint8_t mask)
{
	struct css *c = css_of(m);

	for (unsigned int isc = 0; isc < 8; isc++) {
		if (!(mask & (0x80 >> isc)))
			continue;
		for (unsigned int i = 0; i < c->nsch; i++)
			if (c->sch[i]->irq && isc_of(c->sch[i]) == isc)
				return c->sch[i];
	}
	return NULL;
}

/*
 * css_io_pending(): one is pending for an I/O interruption subclass that
 * CR6 of @v enables.  css_io_deliver(): take the most important one (the
 * lowest ISC) and swap the I/O PSWs; true when a PSW was swapped.
 * css_io_can_end_wait(): an enabled wait of @v may still end by an I/O
 * interruption.  Devices complete synchronously, so only a pending one
 * can.
 */
bool css_io_pending(struct vcpu *v)
{
	uint8_t isc_mask = (uint8_t)(vcpu_cr(v, 6) >> 24);

	return (v->m->flic.io_pending & isc_mask) != 0;
}

bool css_io_deliver(struct vcpu *v)
{
	struct pv_machine *m = v->m;
	struct subch *sch;

	if (!m->io)
		return false;
	sch = next_irq(m, (uint8_t)(vcpu_cr(v, 6) >> 24));
	if (!sch)
		return false;
	sch->irq = false;
	update_pending(m);
	return irq_deliver_io(v, css_schid_word(sch), sch->pmcw.intparm,
			      isc_of(sch) << 27);
}

bool css_io_can_end_wait(const struct vcpu *v)
{
	uint8_t isc_mask = (uint8_t)(vcpu_cr(v, 6) >> 24);

	return (v->m->flic.io_pending & isc_mask) != 0;
}

/*
 * TPI: take a pending interruption of an enabled ISC without the PSW
 * swap.  Operand 0: the 3-word code goes to the lowcore at 0xb8; else
 * 2 words at the operand.  cc 1 when one was taken, 0 when none.
 */
uint32_t css_tpi(struct vcpu *v, uint64_t addr, uintptr_t ra)
{
	struct pv_machine *m = v->m;
	struct subch *sch;
	uint8_t code[12];
	uint8_t *lc;

	if (addr & 3)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	if (addr)
		op_check_write(v, addr, 8, ra);
	sch = m->io ? next_irq(m, (uint8_t)(vcpu_cr(v, 6) >> 24)) : NULL;
	if (!sch)
		return 0;
	pv_put_be32(code, css_schid_word(sch));
	pv_put_be32(code + 4, sch->pmcw.intparm);
	pv_put_be32(code + 8, isc_of(sch) << 27);
	if (addr) {
		op_out(v, addr, code, 8, ra);
	} else {
		lc = mem_lowcore(v);
		if (lc)
			memcpy(lc + LC_SUBCHANNEL_ID, code, 12);
	}
	sch->irq = false;
	update_pending(m);
	return 1;
}

/* ---- lifetime ---------------------------------------------------------------- */

int css_new(struct pv_machine *m, struct pv_err **err)
{
	(void)m;
	(void)err;
	return 0;
}

void css_free(struct pv_machine *m)
{
	struct css *c;

	if (!m->io)
		return;
	c = css_of(m);
	for (unsigned int i = 0; i < c->nsch; i++)
		free(c->sch[i]);
	c->nsch = 0;
}
