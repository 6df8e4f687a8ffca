// SPDX-License-Identifier: MIT
/*
 * Instruction interception: every hooked instruction and every program
 * exception Unicorn raises comes here.  The instruction is decoded at the
 * PSW, checked for privilege, handed to its handler, and completed the way
 * the handler asks (guest-boot-probe.md §0, §3).
 */
#include "pvboot/be.h"

#include "machine_priv.h"

#define PGM_FIXPT_DIVIDE 0x09

static enum insn_action dispatch(struct pv_machine *m, const struct insn *in)
{
	switch (in->op) {
	case 0x83:
		return diag_handle(m, in);
	case 0xae:
		return sigp_handle(m, in);
	case 0x82:
	case 0xb2b2:
		return misc_lpsw(m, in);
	case 0xb7:
	case 0xeb2f:
		return misc_lctl(m, in);
	case 0xb210:
		return misc_spx(m, in);
	case 0xb220:
		return sclp_servc(m, in);
	case 0xb2b0:
		return fac_stfle(m, in);
	case 0xb2b1:
		return fac_stfl(m, in);
	case 0xb205:
	case 0xb278:
	case 0xb27c:
		return misc_stck(m, in);
	case 0xb9a4:
		return uvc_handle(m, in);
	default:
		return ACT_NATIVE;
	}
}

void intercept_finish(struct pv_machine *m, const struct insn *in,
		      enum insn_action act)
{
	uint64_t mask = m->cpu.mask;

	switch (act) {
	case ACT_NATIVE:
	case ACT_PSW:
		break;
	case ACT_NEXT:
		if (m->cpu.cc >= 0)
			mask = (mask & ~PSW_CC) |
			       ((uint64_t)m->cpu.cc << PSW_CC_SHIFT);
		vcpu_load_psw(m, mask, addr_wrap(mask, in->addr + in->len));
		break;
	case ACT_EXIT:
		uc_emu_stop(m->uc);
		break;
	}
}

/* Divide instructions with a zero divisor: fixed-point-divide (0x09). */
static bool divide_by_zero(struct pv_machine *m, const struct insn *in,
			   uint64_t mask)
{
	const uint8_t *b = in->b;
	uint8_t d[8];
	int r2;

	switch (in->op) {
	case 0x1d:	/* DR */
		r2 = b[1] & 0xf;
		return (uint32_t)vcpu_gr(m, r2) == 0;
	case 0xb997:	/* DLR */
	case 0xb91d:	/* DSGFR */
		r2 = b[3] & 0xf;
		return (uint32_t)vcpu_gr(m, r2) == 0;
	case 0xb987:	/* DLGR */
	case 0xb90d:	/* DSGR */
		r2 = b[3] & 0xf;
		return vcpu_gr(m, r2) == 0;
	case 0x5d:	/* D */
	case 0xe397:	/* DL */
	case 0xe31d:	/* DSGF */
	case 0xe387:	/* DLG */
	case 0xe30d: {	/* DSG */
		bool wide = in->op == 0xe387 || in->op == 0xe30d;
		uint64_t a = in->op == 0x5d ? insn_addr_s(m, in) :
					      insn_addr_rsy(m, in);

		if (b[1] & 0xf)
			a = addr_wrap(mask, a + vcpu_gr(m, b[1] & 0xf));
		if (mem_read_logical(m, mask, a, d, wide ? 8 : 4))
			return false;
		return wide ? pv_get_be64(d) == 0 : pv_get_be32(d) == 0;
	}
	default:
		return false;
	}
}

/*
 * A program exception raised natively by Unicorn comes without its code
 * (guest-cpu-feasibility.md §4): work it out from the instruction.
 * Opcode 00 is an operation exception, a privileged instruction in problem
 * state a privileged-operation exception, an inaccessible operand its
 * access exception, a zero divisor fixed-point-divide; anything else is
 * taken as a specification exception.
 */
enum insn_action intercept_pgm_exception(struct pv_machine *m,
					 const struct insn *in)
{
	uint64_t mask = m->cpu.mask;
	int code;

	if (in->b[0] == 0x00)
		code = PV_PGM_OPERATION;
	else if (insn_privileged(in->op) && (mask & PSW_PSTATE))
		code = PV_PGM_PRIVILEGED;
	else if ((code = insn_operand_fault(m, in, mask)))
		;
	else if (divide_by_zero(m, in, mask))
		code = PGM_FIXPT_DIVIDE;
	else
		code = PV_PGM_SPECIFICATION;
	return irq_pgm(m, (uint16_t)code, in->len, mask, in->addr);
}

/*
 * Entry from the code hooks (@from_intr false) and from the exception
 * hook (@from_intr true: Unicorn faulted on the instruction at @addr, e.g.
 * UVC which it does not know).
 */
void intercept_insn(struct pv_machine *m, uint64_t addr, bool from_intr)
{
	uint64_t mask = vcpu_pswm(m);
	enum insn_action act;
	struct insn in;
	int rc;

	rc = insn_fetch(m, mask, addr, &in);
	if (rc) {
		if (from_intr) {
			/* The fetch itself failed: nullify, ILC 0. */
			m->cpu.mask = mask;
			irq_pgm(m, (uint16_t)rc, 0, mask, addr);
		}
		return;
	}
	m->cpu.mask = mask;
	m->cpu.cc = -1;
	if (!insn_intercepted(in.op)) {
		if (!from_intr) {
			if (m->tr && insn_privileged(in.op))
				mach_trace(m, "%016llx %-6s (native)",
					   (unsigned long long)addr,
					   insn_name(in.op));
			return;
		}
		intercept_finish(m, &in, intercept_pgm_exception(m, &in));
		return;
	}
	m->st.intercepts++;
	if (m->tr)
		mach_trace(m, "%016llx %-6s %02x%02x%02x%02x%02x%02x",
			   (unsigned long long)addr, insn_name(in.op), in.b[0],
			   in.b[1], in.b[2], in.b[3], in.b[4], in.b[5]);
	/* DIAG checks privilege itself, so that DIAG 308 is logged. */
	if (insn_privileged(in.op) && (mask & PSW_PSTATE) && in.op != 0x83)
		act = irq_pgm(m, PV_PGM_PRIVILEGED, in.len, mask, addr);
	else
		act = dispatch(m, &in);
	/* A native retry of a faulting instruction would fault again. */
	if (from_intr && act == ACT_NATIVE)
		act = intercept_pgm_exception(m, &in);
	intercept_finish(m, &in, act);
}
