// SPDX-License-Identifier: MIT
/*
 * Interrupt delivery through the lowcore, done by the host because Unicorn
 * does not do it (guest-cpu-feasibility.md §4): store the old PSW and the
 * interruption data at their lowcore offsets, load the new PSW.
 * Lowcore offsets: guest-boot-probe.md §0.
 */
#include "pvboot/be.h"

#include "machine_priv.h"

#define PGM_LOOP_LIMIT 64

/* Access exceptions that nullify: the old PSW points at the instruction. */
static bool nullifying(uint16_t code)
{
	switch (code) {
	case 0x10: case 0x11:		/* segment, page translation */
	case 0x38: case 0x39: case 0x3a: case 0x3b:	/* ASCE, region */
	case 0x3d: case 0x3e: case 0x3f:	/* secure storage */
		return true;
	default:
		return false;
	}
}

static void put_psw(uint8_t *p, uint64_t mask, uint64_t addr)
{
	pv_put_be64(p, mask);
	pv_put_be64(p + 8, addr);
}

/*
 * Swap PSWs: old PSW to @old_off, new PSW from @new_off.  A new PSW that
 * is zero or invalid would loop on program exceptions: end the run.
 */
static enum insn_action swap_psw(struct pv_machine *m, const char *what,
				 uint32_t old_off, uint32_t new_off,
				 uint64_t old_mask, uint64_t old_addr)
{
	uint8_t psw[16];
	uint64_t mask, addr;

	put_psw(psw, old_mask, old_addr);
	if (mem_write_real(m, old_off, psw, 16) ||
	    mem_read_real(m, new_off, psw, 16)) {
		mach_fatal(m, "%s interruption: lowcore at prefix 0x%x is outside RAM",
			   what, m->cpu.prefix);
		return ACT_EXIT;
	}
	mask = pv_get_be64(psw);
	addr = pv_get_be64(psw + 8);
	if ((!mask && !addr) || !psw_valid(mask, addr)) {
		mach_fatal(m, "%s interruption at PSW %016llx %016llx, but the %s new PSW at 0x%x is %s (%016llx %016llx): the guest has no handler",
			   what, (unsigned long long)old_mask,
			   (unsigned long long)old_addr, what, new_off,
			   !mask && !addr ? "zero" : "invalid",
			   (unsigned long long)mask, (unsigned long long)addr);
		return ACT_EXIT;
	}
	vcpu_load_psw(m, mask, addr);
	return ACT_PSW;
}

enum insn_action irq_pgm(struct pv_machine *m, uint16_t code,
			 unsigned int ilen, uint64_t old_mask,
			 uint64_t insn_addr)
{
	uint64_t old_addr = insn_addr;
	uint8_t b[2];

	if (!nullifying(code))
		old_addr = addr_wrap(old_mask, insn_addr + ilen);
	m->st.pgm_irqs++;
	if (m->tr)
		mach_trace(m, "%016llx program interruption 0x%04x ILC %u",
			   (unsigned long long)insn_addr, code, ilen);
	if (code == m->pgm_last_code && insn_addr == m->pgm_last_addr) {
		if (++m->pgm_repeat >= PGM_LOOP_LIMIT) {
			mach_fatal(m, "program interruption 0x%04x at 0x%llx repeats without progress (%u times): the guest loops on it",
				   code, (unsigned long long)insn_addr,
				   m->pgm_repeat);
			return ACT_EXIT;
		}
	} else {
		m->pgm_last_code = code;
		m->pgm_last_addr = insn_addr;
		m->pgm_repeat = 0;
	}
	pv_put_be16(b, (uint16_t)ilen);
	mem_write_real(m, LC_PGM_ILC, b, 2);
	pv_put_be16(b, code);
	mem_write_real(m, LC_PGM_CODE, b, 2);
	return swap_psw(m, "program", LC_PGM_OLD, LC_PGM_NEW, old_mask,
			old_addr);
}

enum insn_action irq_svc(struct pv_machine *m, uint16_t code,
			 unsigned int ilen, uint64_t old_mask,
			 uint64_t next_addr)
{
	uint8_t b[2];

	m->st.svc_irqs++;
	if (m->tr)
		mach_trace(m, "%016llx SVC interruption %u",
			   (unsigned long long)next_addr - ilen, code);
	pv_put_be16(b, (uint16_t)ilen);
	mem_write_real(m, LC_SVC_ILC, b, 2);
	pv_put_be16(b, code);
	mem_write_real(m, LC_SVC_CODE, b, 2);
	return swap_psw(m, "SVC", LC_SVC_OLD, LC_SVC_NEW, old_mask,
			addr_wrap(old_mask, next_addr));
}

/* PSW bit 7 and CR0 bit 54 enable the service signal (guest-boot-probe §0). */
bool irq_ext_deliverable(struct pv_machine *m, uint64_t mask)
{
	return m->sig_pending && (mask & PSW_EXT) &&
	       (m->cpu.cr[0] & CR0_SERVICE_SIGNAL);
}

enum insn_action irq_ext_deliver(struct pv_machine *m, uint64_t old_mask,
				 uint64_t old_addr)
{
	uint8_t b[8];

	m->sig_pending = false;
	m->st.ext_irqs++;
	if (m->tr)
		mach_trace(m, "%016llx external interruption 0x%04x param 0x%08x",
			   (unsigned long long)old_addr, EXT_SERVICE_SIGNAL,
			   m->sig_param);
	pv_put_be32(b, m->sig_param);
	pv_put_be16(b + 4, 0);			/* CPU address */
	pv_put_be16(b + 6, EXT_SERVICE_SIGNAL);
	mem_write_real(m, LC_EXT_PARAM, b, 8);
	return swap_psw(m, "external", LC_EXT_OLD, LC_EXT_NEW, old_mask,
			old_addr);
}

/* SCLP finished a command: the service signal becomes pending. */
void irq_service_signal(struct pv_machine *m, uint32_t param)
{
	m->sig_pending = true;
	m->sig_param = param & ~3U;
}
