// SPDX-License-Identifier: MIT
/*
 * Small CPU instructions the host must see: LPSW/LPSWE (a wait PSW does not
 * stop Unicorn), LCTL/LCTLG and SPX (keep the shadows the host needs; the
 * instruction still runs natively so STCTG/STPX read the right values),
 * and the TOD-clock stores (Unicorn's STCK stores 0).
 */
#include <time.h>

#include "pvboot/be.h"

#include "machine_priv.h"

/* Seconds from 1900-01-01 (TOD epoch) to 1970-01-01. */
#define TOD_UNIX_EPOCH 2208988800ULL

static enum insn_action wait_psw(struct pv_machine *m, uint64_t mask,
				 uint64_t addr)
{
	if (!(mask & (PSW_IO | PSW_EXT))) {
		run_stop(m, EXIT_WAIT, mask, addr);
		return ACT_EXIT;
	}
	if (irq_ext_deliverable(m, mask))
		return irq_ext_deliver(m, mask, addr);
	mach_fatal(m, "enabled wait PSW %016llx %016llx with no interruption that could end it (only the SCLP service signal is modelled)",
		   (unsigned long long)mask, (unsigned long long)addr);
	return ACT_EXIT;
}

/* LPSW (short PSW, §1.8 conversion) and LPSWE. */
enum insn_action misc_lpsw(struct pv_machine *m, const struct insn *in)
{
	uint64_t a = insn_addr_s(m, in), mask, addr;
	uint8_t psw[16];
	int rc;

	if (a & 7)
		return irq_pgm(m, PV_PGM_SPECIFICATION, in->len, m->cpu.mask,
			       in->addr);
	rc = mem_read_logical(m, m->cpu.mask, a, psw, in->op == 0x82 ? 8 : 16);
	if (rc)
		return irq_pgm(m, (uint16_t)rc, in->len, m->cpu.mask,
			       in->addr);
	if (in->op == 0x82) {
		psw_from_short(pv_get_be64(psw), &mask, &addr);
	} else {
		mask = pv_get_be64(psw);
		addr = pv_get_be64(psw + 8);
	}
	if (m->tr)
		mach_trace(m, "  new PSW %016llx %016llx",
			   (unsigned long long)mask, (unsigned long long)addr);
	/* An invalid PSW is loaded, then recognised early: ILC 0. */
	if (!psw_valid(mask, addr))
		return irq_pgm(m, PV_PGM_SPECIFICATION, 0, mask, addr);
	if (mask & PSW_WAIT)
		return wait_psw(m, mask, addr);
	vcpu_load_psw(m, mask, addr);
	return ACT_PSW;
}

/* LCTL / LCTLG: update the shadow of CRs r1..r3 (wrapping), run natively. */
enum insn_action misc_lctl(struct pv_machine *m, const struct insn *in)
{
	bool g = in->op == 0xeb2f;
	unsigned int r1 = in->b[1] >> 4, r3 = in->b[1] & 0xf;
	unsigned int n = ((r3 - r1) & 15) + 1, w = g ? 8 : 4;
	uint64_t a = g ? insn_addr_rsy(m, in) : insn_addr_s(m, in);
	uint8_t buf[16 * 8];

	if (a & (w - 1) || mem_read_logical(m, m->cpu.mask, a, buf, n * w))
		return ACT_NATIVE;	/* Unicorn raises the exception */
	for (unsigned int i = 0; i < n; i++) {
		unsigned int cr = (r1 + i) & 15;

		if (g)
			m->cpu.cr[cr] = pv_get_be64(buf + i * 8);
		else
			m->cpu.cr[cr] = (m->cpu.cr[cr] & ~0xffffffffULL) |
					pv_get_be32(buf + i * 4);
		if (m->tr)
			mach_trace(m, "  CR%u = %016llx", cr,
				   (unsigned long long)m->cpu.cr[cr]);
	}
	return ACT_NATIVE;
}

/* SPX: the prefix shadow (bits 1-18 of the operand word). */
enum insn_action misc_spx(struct pv_machine *m, const struct insn *in)
{
	uint64_t a = insn_addr_s(m, in);
	uint8_t w[4];

	if (a & 3 || mem_read_logical(m, m->cpu.mask, a, w, 4))
		return ACT_NATIVE;
	m->cpu.prefix = pv_get_be32(w) & 0x7fffe000U;
	if (m->tr)
		mach_trace(m, "  prefix = 0x%x", m->cpu.prefix);
	return ACT_NATIVE;
}

/* TOD clock from the host clock: bit 51 = 1 microsecond, always rising. */
static uint64_t tod_now(struct pv_machine *m)
{
	struct timespec ts;
	uint64_t tod;

	clock_gettime(CLOCK_REALTIME, &ts);
	tod = (((uint64_t)ts.tv_sec + TOD_UNIX_EPOCH) * 1000000ULL +
	       (uint64_t)ts.tv_nsec / 1000) << 12;
	tod |= ((uint64_t)ts.tv_nsec % 1000) * 4096 / 1000;
	if (tod <= m->cpu.tod_last)
		tod = m->cpu.tod_last + 1;
	m->cpu.tod_last = tod;
	return tod;
}

/* STCK, STCKF (8 bytes) and STCKE (16 bytes: epoch index, TOD, zeros). */
enum insn_action misc_stck(struct pv_machine *m, const struct insn *in)
{
	uint64_t a = insn_addr_s(m, in), tod = tod_now(m);
	uint8_t buf[16] = { 0 };
	int rc;

	if (in->op == 0xb278) {
		pv_put_be64(buf + 1, tod);
		rc = mem_write_logical(m, m->cpu.mask, a, buf, 16);
	} else {
		pv_put_be64(buf, tod);
		rc = mem_write_logical(m, m->cpu.mask, a, buf, 8);
	}
	if (rc)
		return irq_pgm(m, (uint16_t)rc, in->len, m->cpu.mask,
			       in->addr);
	m->cpu.cc = 0;
	return ACT_NEXT;
}
