// SPDX-License-Identifier: MIT
/*
 * Interruptions: the firmware's part of the CPU, which Unicorn leaves out.
 *
 * Program and SVC interruptions come from Unicorn's exception hook, with
 * the code and instruction length Unicorn recorded for the instruction it
 * stopped at (linux-guest-feasibility.md §2); the machine stores them in
 * the lowcore and swaps the PSWs, advancing the old PSW past the
 * instruction except for the nullifying exceptions, as QEMU's
 * do_program_interrupt does.  External, I/O and restart interruptions
 * are delivered at block boundaries when Unicorn asks
 * (s390_cpu_exec_interrupt), in the architecture's order: machine check,
 * external (emergency signal, external call, clock comparator, CPU timer,
 * service signal), I/O, restart.
 */
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"

#include "../machine_priv.h"
#include "interpose.h"

#define PGM_LOOP_LIMIT 64

uint8_t *mem_lowcore(struct vcpu *v)
{
	return mem_abs(v->m, vcpu_prefix(v), LC_SIZE);
}

/* Access exceptions that nullify: the old PSW points at the instruction. */
static bool nullifying(uint16_t code)
{
	switch (code & 0x7f) {
	case 0x10: case 0x11:		/* segment, page translation */
	case 0x38: case 0x39: case 0x3a: case 0x3b:	/* ASCE, region */
	case 0x3d: case 0x3e: case 0x3f:	/* secure storage */
		return true;
	default:
		return false;
	}
}

/*
 * Access exceptions that store a translation-exception identification at
 * 0xa8 (POP chapter 6, "Translation-exception identification"):
 * protection, segment and page translation, ASCE type, region
 * translation, secure storage access (pv-machine-and-uv.md).
 */
static bool has_tec(uint16_t code)
{
	switch (code & 0x7f) {
	case 0x04:
	case 0x10: case 0x11:
	case 0x38: case 0x39: case 0x3a: case 0x3b:
	case 0x3d: case 0x3e:
		return true;
	default:
		return false;
	}
}

/*
 * Store the old PSW at @old_off and load the new one from @new_off.  A
 * new PSW that is zero or invalid would loop on program exceptions: the
 * run ends with a reason instead.
 */
static bool swap_psw(struct vcpu *v, const char *what, uint32_t old_off,
		     uint32_t new_off, uint64_t old_mask, uint64_t old_addr)
{
	struct pv_machine *m = v->m;
	uint8_t *lc = mem_lowcore(v);
	uint64_t mask, addr;

	if (!lc) {
		mach_fatal(m, "%s interruption on CPU %u: the lowcore at prefix 0x%x is outside RAM",
			   what, v->id, vcpu_prefix(v));
		return false;
	}
	pv_put_be64(lc + old_off, old_mask);
	pv_put_be64(lc + old_off + 8, old_addr);
	codemap_written(m, vcpu_prefix(v), LC_SIZE);
	mask = pv_get_be64(lc + new_off);
	addr = pv_get_be64(lc + new_off + 8);
	if ((!mask && !addr) || !psw_valid(mask, addr)) {
		mach_fatal(m, "%s interruption on CPU %u at PSW %016llx %016llx, but the %s new PSW at 0x%x is %s (%016llx %016llx): the guest has no handler",
			   what, v->id, (unsigned long long)old_mask,
			   (unsigned long long)old_addr, what, new_off,
			   !mask && !addr ? "zero" : "invalid",
			   (unsigned long long)mask, (unsigned long long)addr);
		return false;
	}
	vcpu_load_psw(v, mask, addr);
	if ((mask & PSW_WAIT) && v->running)
		uc_emu_stop(v->uc);
	return true;
}

bool irq_pgm(struct vcpu *v, uint16_t code, unsigned int ilen,
	     uint64_t old_mask, uint64_t insn_addr)
{
	struct pv_machine *m = v->m;
	uint64_t old_addr = insn_addr, tec;
	uint8_t *lc = mem_lowcore(v);

	if (!nullifying(code))
		old_addr = addr_wrap(old_mask, insn_addr + ilen);
	m->st.pgm_irqs++;
	if (m->tr)
		mach_trace(m, "cpu %u %016llx program interruption 0x%04x ILC %u",
			   v->id, (unsigned long long)insn_addr, code, ilen);
	/* the TEC is in place: the translator, irq_access() or mem.c put it */
	tec = lc && has_tec(code) ? pv_get_be64(lc + LC_TEC) : 0;
	if (code == v->pgm_last_code && insn_addr == v->pgm_last_addr &&
	    tec == v->pgm_last_tec) {
		if (++v->pgm_repeat >= PGM_LOOP_LIMIT) {
			mach_fatal(m, "program interruption 0x%04x at 0x%llx on CPU %u repeats without progress (%u times%s): the guest loops on it",
				   code, (unsigned long long)insn_addr, v->id,
				   v->pgm_repeat,
				   has_tec(code) ? ", same address" : "");
			return false;
		}
	} else {
		v->pgm_last_code = code;
		v->pgm_last_addr = insn_addr;
		v->pgm_last_tec = tec;
		v->pgm_repeat = 0;
	}
	if (lc) {
		pv_put_be16(lc + LC_PGM_ILC, (uint16_t)ilen);
		pv_put_be16(lc + LC_PGM_CODE, code);
	}
	return swap_psw(v, "program", LC_PGM_OLD, LC_PGM_NEW, old_mask,
			old_addr);
}

void irq_data(struct vcpu *v, uint8_t dxc, uint64_t mask, uint64_t addr,
	      unsigned int ilen)
{
	uint8_t *lc = mem_lowcore(v);

	if (lc)
		lc[LC_DXC] = dxc;
	if (vcpu_cr(v, 0) & CR0_AFP) {
		uint32_t fpc = env_get32(v->env, ENV_FPC);

		env_set32(v->env, ENV_FPC, (fpc & ~0xff00U) | (uint32_t)dxc << 8);
	}
	irq_pgm(v, PGM_DATA, ilen, mask, addr);
}

bool irq_access(struct vcpu *v, int rc, uint64_t tec, uint64_t mask,
		uint64_t addr, unsigned int ilen)
{
	uint8_t *lc;

	if (!rc)
		return false;
	lc = mem_lowcore(v);
	if (rc != PGM_ADDRESSING && lc)
		pv_put_be64(lc + LC_TEC, tec);
	irq_pgm(v, (uint16_t)rc, ilen, mask, addr);
	return true;
}

/* SVC: Unicorn stops at the SVC; the old PSW points past it. */
bool irq_svc(struct vcpu *v, uint16_t code, unsigned int ilen)
{
	struct pv_machine *m = v->m;
	uint64_t mask = vcpu_pswm(v), addr = vcpu_pc(v);
	uint8_t *lc = mem_lowcore(v);

	m->st.svc_irqs++;
	if (m->tr)
		mach_trace(m, "cpu %u %016llx SVC interruption %u", v->id,
			   (unsigned long long)addr, code);
	if (lc) {
		pv_put_be16(lc + LC_SVC_ILC, (uint16_t)ilen);
		pv_put_be16(lc + LC_SVC_CODE, code);
	}
	return swap_psw(v, "SVC", LC_SVC_OLD, LC_SVC_NEW, mask,
			addr_wrap(mask, addr + ilen));
}

/* ---- the exception hook ------------------------------------------------- */

static void probe_intr(struct vcpu *v, uint32_t intno)
{
	uint8_t *env = probe_seen.env;
	uint64_t addr;

	if (!env)
		return;
	addr = env_get64(env, ENV_PSW_ADDR);
	if (intno == UC_EXCP_PGM) {
		probe_seen.pgm_addr = addr;
		probe_seen.pgm_code = env_get32(env, ENV_PGM_CODE);
		probe_seen.pgm_ilen = env_get32(env, ENV_PGM_ILEN);
		env_set64(env, ENV_PSW_ADDR, addr + probe_seen.pgm_ilen);
	} else if (intno == UC_EXCP_SVC) {
		probe_seen.svc_addr = addr;
		probe_seen.svc_code = env_get32(env, ENV_SVC_CODE);
		probe_seen.svc_ilen = env_get32(env, ENV_SVC_ILEN);
		probe_seen.svc_cc = (int)((uc_core.get_psw_mask(env) >>
					   PSW_CC_SHIFT) & 3);
		env_set32(env, ENV_CC_OP, 3);
		probe_seen.static_cc = (int)((uc_core.get_psw_mask(env) >>
					      PSW_CC_SHIFT) & 3);
		env_set64(env, ENV_PSW_ADDR, addr + probe_seen.svc_ilen);
	}
}

/*
 * DIAG 308 in problem state never reaches the machine (the translator
 * raises the privileged-operation exception itself); the DIAG 308 log
 * still records it, as the hypervisor would see the intercept.
 */
static void log_pstate_diag(struct vcpu *v, const uint8_t *b)
{
	unsigned int base = b[2] >> 4;
	uint64_t code = ((b[2] & 0xfULL) << 8) | b[3];
	struct d308_out out = { .pgm = PGM_PRIVILEGED };

	if (base)
		code += vcpu_gr(v, (int)base);
	if ((code & 0xffff) == 0x308)
		d308_log(v->m, vcpu_gr(v, b[1] & 0xf), vcpu_pc(v), &out, 0);
}

/*
 * SET CLOCK (S format, privileged), which the translator never sees
 * (cpu/interpose.c, cpu_ldl_code_s390x): the 8-byte operand at the
 * doubleword-aligned second-operand address becomes the TOD clock, cc 0.
 */
static void sck_emulate(struct vcpu *v, const uint8_t *op, uint64_t mask,
			uint64_t addr, unsigned int ilen)
{
	uint64_t a = vcpu_ea(v, mask, 0, op[2] >> 4, (op[2] & 0xf) << 8 | op[3]);
	uint64_t tec;
	uint8_t val[8];
	int rc;

	if (mask & PSW_PSTATE) {
		irq_pgm(v, PGM_PRIVILEGED, ilen, mask, addr);
		return;
	}
	if (a & 7) {
		irq_pgm(v, PGM_SPECIFICATION, ilen, mask, addr);
		return;
	}
	rc = mem_read_logical(v, a, val, sizeof(val), &tec);
	if (irq_access(v, rc, tec, mask, addr, ilen))
		return;
	v->m->st.intercepts++;
	if (v->m->tr)
		mach_trace(v->m, "cpu %u %016llx SCK    %02x%02x%02x%02x (the machine runs it)",
			   v->id, (unsigned long long)addr, op[0], op[1],
			   op[2], op[3]);
	clock_set(v->m, pv_get_be64(val));
	vcpu_load_psw(v, mask & ~PSW_CC, addr_wrap(mask, addr + ilen));
}

/*
 * MONITOR CALL (SI format), which Unicorn does not know: a class above 15
 * is a specification exception; when CR8 enables the class (bit 48 +
 * class), a monitor event (0x40) with the class at 0x94 and the monitor
 * code (the operand address) at 0xb0; otherwise nothing happens.
 */
static void mc_emulate(struct vcpu *v, const uint8_t *op, uint64_t mask,
		       uint64_t addr, unsigned int ilen)
{
	unsigned int cls = op[1];
	uint8_t *lc;

	if (cls > 15) {
		irq_pgm(v, PGM_SPECIFICATION, ilen, mask, addr);
		return;
	}
	if (!(vcpu_cr(v, 8) & (0x8000ULL >> cls))) {
		vcpu_load_psw(v, mask, addr_wrap(mask, addr + ilen));
		return;
	}
	lc = mem_lowcore(v);
	if (lc) {
		pv_put_be16(lc + LC_MON_CLASS, (uint16_t)cls);
		/* the monitor code is the operand address */
		pv_put_be64(lc + LC_MON_CODE,
			    vcpu_ea(v, mask, 0, op[2] >> 4,
				    (op[2] & 0xf) << 8 | op[3]));
	}
	irq_pgm(v, PGM_MONITOR_EVENT, ilen, mask, addr);
}

/*
 * The target of EXECUTE (0x44, RX) or EXECUTE RELATIVE LONG (0xc6 0, RIL)
 * at @addr, with bits 8-15 ORed with R1's low byte: 0, or -1 when @op is
 * no EXECUTE or the target cannot be read (Unicorn has already raised
 * what that needs).
 */
static int execute_target(struct vcpu *v, const uint8_t *op, uint64_t mask,
			  uint64_t addr, uint8_t target[6])
{
	unsigned int r1 = op[1] >> 4;
	uint64_t t, tec;

	if (op[0] == 0x44) {
		t = vcpu_ea(v, mask, op[1] & 0xf, op[2] >> 4,
			    (op[2] & 0xf) << 8 | op[3]);
	} else if (op[0] == 0xc6 && !(op[1] & 0xf)) {
		uint8_t i2[4];

		if (mem_read_logical(v, addr + 2, i2, 4, &tec))
			return -1;
		t = addr + 2 * (uint64_t)(int64_t)(int32_t)pv_get_be32(i2);
	} else {
		return -1;
	}
	t = addr_wrap(mask, t);
	/* as long as its opcode says (2, 4 or 6 bytes) */
	if ((t & 1) || mem_read_logical(v, t, target, 2, &tec))
		return -1;
	memset(target + 2, 0, 4);
	if (target[0] >= 0x40 &&
	    mem_read_logical(v, t + 2, target + 2, target[0] >= 0xc0 ? 4 : 2,
			     &tec))
		return -1;
	if (r1)
		target[1] |= (uint8_t)vcpu_gr(v, (int)r1);
	return 0;
}

/*
 * Instructions Unicorn does not know or cannot translate, which the
 * machine runs: @op holds the instruction's first four bytes, @ilen is
 * the length of the instruction at @addr (an EXECUTE's for its target).
 */
static bool emulate(struct vcpu *v, uint16_t code, const uint8_t *op,
		    uint64_t mask, uint64_t addr, unsigned int ilen)
{
	if (code != PGM_OPERATION)
		return false;
	if (op[0] == 0xb2 && op[1] == 0x04) {
		sck_emulate(v, op, mask, addr, ilen);
		return true;
	}
	if (op[0] == 0xaf) {
		mc_emulate(v, op, mask, addr, ilen);
		return true;
	}
	/* CHECKSUM with an odd R2, kept from the translator (interpose.c) */
	if (cksm_odd_r2(op)) {
		irq_pgm(v, PGM_SPECIFICATION, ilen, mask, addr);
		return true;
	}
	if (op[0] >= 0xf8 && op[0] <= 0xfd)
		return decemu_run(v, op, mask, addr, ilen);
	if (fxo_run(v, op, mask, addr, ilen) ||
	    bfptrap_run(v, op, mask, addr, ilen) ||
	    rsbg_run(v, op, mask, addr, ilen))
		return true;
	return hfpemu_run(v, op, mask, addr, ilen) ||
	       fpemu_run(v, op, mask, addr, ilen);
}

/*
 * The instruction at @addr into @op, as long as its opcode says (2, 4 or
 * 6 bytes, *@ilen): the translator may have been shown an unassigned
 * 4-byte opcode in its place (cpu/interpose.c).  False if unreadable.
 */
static bool read_insn(struct vcpu *v, uint64_t addr, uint8_t op[6],
		      unsigned int *ilen)
{
	uint64_t tec;

	if (mem_read_logical(v, addr, op, 2, &tec))
		return false;
	*ilen = op[0] < 0x40 ? 2 : op[0] < 0xc0 ? 4 : 6;
	return *ilen == 2 ||
	       !mem_read_logical(v, addr + 2, op + 2, *ilen - 2, &tec);
}

/* A program exception Unicorn raised for the instruction at the PSW. */
static void pgm_from_cpu(struct vcpu *v)
{
	uint16_t code = (uint16_t)env_get32(v->env, ENV_PGM_CODE);
	unsigned int ilen = env_get32(v->env, ENV_PGM_ILEN);
	uint64_t addr = vcpu_pc(v), mask = vcpu_pswm(v);
	uint8_t op[6] = { 0 };

	/*
	 * Unicorn knows the vector instructions and answers one with CR0's
	 * vector control off as a data exception (DXC 0xfe).  The machine
	 * offers no vector facility (129, facility.c): the instruction does
	 * not exist, an operation exception (PoO, Facility Indications).
	 * With AFP on, Unicorn has also put 0xfe into the FPC's DXC byte;
	 * the value it replaced is gone, so that byte stays (a known gap).
	 */
	if (code == PGM_DATA) {
		uint8_t *lc = mem_lowcore(v);

		if (lc && lc[LC_DXC] == DXC_VECTOR) {
			lc[LC_DXC] = 0;
			code = PGM_OPERATION;
		}
	}
	/*
	 * A wait PSW was loaded (s390_handle_wait stops the CPU), but the
	 * CPU loop translated the block at its address first: a wait state
	 * fetches nothing (an odd address, as IBM's stage3b uses for its
	 * error codes, is no specification exception there).  The run loop
	 * sees the wait PSW.
	 */
	if (mask & PSW_WAIT)
		return;
	/* The translator saw no instruction at an odd address (interpose.c). */
	if (addr & 1) {
		irq_pgm(v, PGM_SPECIFICATION, 0, mask, addr);
		return;
	}
	if ((code == PGM_OPERATION || code == PGM_PRIVILEGED) &&
	    read_insn(v, addr, op, &ilen)) {
		/* Opcodes Unicorn does not know but the machine provides. */
		if (code == PGM_OPERATION && op[0] == 0xb9 && op[1] == 0xa4 &&
		    uvc_handle(v, addr))
			return;
		if (emulate(v, code, op, mask, addr, ilen))
			return;
		if (code == PGM_PRIVILEGED && op[0] == 0x83)
			log_pstate_diag(v, op);
		/* The same inside EXECUTE: Unicorn reports its address. */
		if (code == PGM_OPERATION) {
			uint8_t target[6];

			if (!execute_target(v, op, mask, addr, target) &&
			    emulate(v, code, target, mask, addr, ilen))
				return;
		}
	}
	irq_pgm(v, code, ilen, mask, addr);
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *opaque)
{
	struct vcpu *v = opaque;

	interpose_exception();
	if (v->m->in_stub) {
		probe_intr(v, intno);
		return;
	}
	switch (intno) {
	case UC_EXCP_PGM:
		pgm_from_cpu(v);
		break;
	case UC_EXCP_SVC:
		irq_svc(v, (uint16_t)env_get32(v->env, ENV_SVC_CODE),
			env_get32(v->env, ENV_SVC_ILEN));
		break;
	default:
		mach_fatal(v->m, "unexpected CPU exception %u on CPU %u at PSW %016llx %016llx",
			   intno, v->id, (unsigned long long)vcpu_pswm(v),
			   (unsigned long long)vcpu_pc(v));
		break;
	}
}

int irq_install_hook(struct vcpu *v, struct pv_err **err)
{
	uc_hook h;
	uc_err e = uc_hook_add(v->uc, &h, UC_HOOK_INTR, (void *)hook_intr, v,
			       1, 0);

	if (e != UC_ERR_OK)
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "machine: cannot hook the CPU's exceptions: %s",
				  uc_strerror(e));
	return 0;
}

/* ---- external, I/O and restart interruptions ---------------------------- */

/*
 * One service-signal condition carries one SCCB address; a signal that only
 * says "events pending" (@param 0) must not lose the address of a finished
 * command that is still waiting to be delivered.
 */
void irq_service_signal(struct pv_machine *m, uint32_t param)
{
	if (!m->flic.service)
		m->flic.service_param = 0;
	m->flic.service_param |= param & ~3U;
	m->flic.service = true;
	machine_irq_changed(m);
}

void irq_restart(struct vcpu *v)
{
	v->irq |= IRQ_RESTART;
	vcpu_irq_changed(v);
}

static int first_emergency(const struct vcpu *v)
{
	for (int i = 0; i < 4; i++)
		if (v->emergency[i])
			return i * 64 + __builtin_ctzll(v->emergency[i]);
	return -1;
}

/* A condition that needs this CPU (its subclass mask on, where it has
 * one); the PSW masks decide whether it can be taken now. */
bool irq_pending(struct vcpu *v)
{
	uint64_t cr0 = vcpu_cr(v, 0);

	if (v->irq)
		return true;
	if ((cr0 & CR0_CKC) && ckc_pending(v))
		return true;
	if ((cr0 & CR0_CPU_TIMER) && cputm_pending(v))
		return true;
	if ((cr0 & CR0_SERVICE_SIGNAL) && v->m->flic.service)
		return true;
	return css_io_pending(v);
}

/*
 * An I/O interruption for the channel subsystem (css.c): the subsystem
 * identification word, interruption parameter and interruption
 * identification word go to the lowcore, then the I/O PSWs swap.
 */
bool irq_deliver_io(struct vcpu *v, uint32_t schid, uint32_t param,
		    uint32_t id)
{
	uint8_t *lc = mem_lowcore(v);

	v->m->st.io_irqs++;
	if (v->m->tr)
		mach_trace(v->m, "cpu %u %016llx I/O interruption subchannel 0x%08x param 0x%08x id 0x%08x",
			   v->id, (unsigned long long)vcpu_pc(v), schid,
			   param, id);
	if (lc) {
		pv_put_be32(lc + LC_SUBCHANNEL_ID, schid);
		pv_put_be32(lc + LC_IO_PARAM, param);
		pv_put_be32(lc + LC_IO_WORD, id);
	}
	return swap_psw(v, "I/O", LC_IO_OLD, LC_IO_NEW, vcpu_pswm(v),
			vcpu_pc(v));
}

static bool deliver_ext(struct vcpu *v, uint16_t code, uint16_t cpu_addr,
			uint32_t param, uint64_t mask, uint64_t addr)
{
	uint8_t *lc = mem_lowcore(v);

	v->m->st.ext_irqs++;
	if (v->m->tr)
		mach_trace(v->m, "cpu %u %016llx external interruption 0x%04x param 0x%08x",
			   v->id, (unsigned long long)addr, code, param);
	if (lc) {
		pv_put_be32(lc + LC_EXT_PARAM, param);
		pv_put_be16(lc + LC_CPU_ADDR, cpu_addr);
		pv_put_be16(lc + LC_EXT_CODE, code);
	}
	return swap_psw(v, "external", LC_EXT_OLD, LC_EXT_NEW, mask, addr);
}

static bool try_ext(struct vcpu *v, uint64_t mask, uint64_t addr)
{
	struct pv_machine *m = v->m;
	uint64_t cr0 = vcpu_cr(v, 0);
	int src;

	if ((v->irq & IRQ_EMERGENCY) && (cr0 & CR0_EMERGENCY)) {
		src = first_emergency(v);
		if (src >= 0)
			v->emergency[src / 64] &= ~(1ULL << (src % 64));
		if (first_emergency(v) < 0)
			v->irq &= ~IRQ_EMERGENCY;
		return deliver_ext(v, EXT_EMERGENCY,
				   (uint16_t)(src < 0 ? 0 : src), 0, mask,
				   addr);
	}
	if ((v->irq & IRQ_EXTCALL) && (cr0 & CR0_EXTCALL)) {
		v->irq &= ~IRQ_EXTCALL;
		return deliver_ext(v, EXT_EXTCALL, v->extcall_from, 0, mask,
				   addr);
	}
	if ((cr0 & CR0_CKC) && ckc_pending(v))
		return deliver_ext(v, EXT_CKC, 0, 0, mask, addr);
	if ((cr0 & CR0_CPU_TIMER) && cputm_pending(v))
		return deliver_ext(v, EXT_CPU_TIMER, 0, 0, mask, addr);
	if ((cr0 & CR0_SERVICE_SIGNAL) && m->flic.service) {
		uint32_t param = m->flic.service_param;

		if (sclp_event_pending(m))
			param |= 1;
		m->flic.service = false;
		return deliver_ext(v, EXT_SERVICE_SIGNAL, 0, param, mask,
				   addr);
	}
	return false;
}

/*
 * Deliver the most important interruption this CPU can take now.
 * Returns true when a PSW was swapped (or the CPU stopped).
 */
bool irq_deliver(struct vcpu *v)
{
	uint64_t mask, addr;

	if (v->leaving || v->state != VCPU_OPERATING)
		return false;
	if (v->irq & (IRQ_STOP | IRQ_STOP_STORE)) {
		sigp_stop_done(v);
		return true;
	}
	mask = vcpu_pswm(v);
	addr = vcpu_pc(v);
	if ((mask & PSW_EXT) && try_ext(v, mask, addr))
		return true;
	if ((mask & PSW_IO) && css_io_pending(v) && css_io_deliver(v))
		return true;
	if (v->irq & IRQ_RESTART) {
		v->irq &= ~IRQ_RESTART;
		if (v->m->tr)
			mach_trace(v->m, "cpu %u restart interruption", v->id);
		return swap_psw(v, "restart", LC_RESTART_OLD, LC_RESTART_NEW,
				mask, addr);
	}
	return false;
}
