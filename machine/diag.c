// SPDX-License-Identifier: MIT
/*
 * DIAGNOSE as the CPU presents it: the function code is the low 16 bits of
 * the second-operand address (pv-machine-and-uv.md §1.1).  0x308 goes to
 * diag308.c; yield-like codes (0x44, 0x9c) and 0x318 complete; anything
 * else is a specification exception as in QEMU.
 *
 * In protected mode the UV stands between guest and hypervisor (§1.1,
 * §1.5.4, §4.10): it rejects subcodes 4, 7, 8, 9 and 10 itself, records a
 * subcode 0/1 request for the PV-reset protocol, renames the registers
 * (subcode in GR2, response in GR1) and moves the IPLB of subcodes 5/6
 * through the SIDA.
 */
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/ipib.h"

#include "machine_priv.h"

static enum insn_action finish(struct pv_machine *m, const struct insn *in,
			       int r1, uint64_t sc, uint64_t gr[16],
			       const struct d308_out *out)
{
	uint64_t next = addr_wrap(m->cpu.mask, in->addr + in->len);
	int rr = (r1 + 1) & 15;

	d308_log(m, sc, in->addr, out, gr[rr]);
	if (m->tr && out->reset)
		mach_trace(m, "  DIAG 308 subcode 0x%llx%s: %s reset",
			   (unsigned long long)sc,
			   m->protected_mode ? " (PV)" : "",
			   reset_name(out->type));
	else if (m->tr)
		mach_trace(m, "  DIAG 308 subcode 0x%llx%s: %s 0x%llx",
			   (unsigned long long)sc,
			   m->protected_mode ? " (PV)" : "",
			   out->pgm ? "program exception" : "response",
			   (unsigned long long)(out->pgm ? out->pgm : gr[rr]));
	if (out->pgm)
		return irq_pgm(m, out->pgm, in->len, m->cpu.mask, in->addr);
	if (out->has_response)
		vcpu_set_gr(m, rr, gr[rr]);
	if (out->reset) {
		m->reset.type = out->type;
		m->reset.r1 = r1;
		m->reset.mask = m->cpu.mask;
		m->reset.addr = next;
		run_stop(m, EXIT_RESET, m->cpu.mask, next);
		return ACT_EXIT;
	}
	return ACT_NEXT;
}

/* The UV's checks and copies for subcodes 5/6 in protected mode. */
static uint16_t pv_iplb_in(struct pv_machine *m, int r1, uint64_t a)
{
	uint8_t *g;

	if (r1 & 1 || a & 0xfff)
		return PV_PGM_SPECIFICATION;
	g = mem_abs(m, a, PV_IPL_MAX_LEN);
	if (!g)
		return PV_PGM_ADDRESSING;
	memcpy(hv_sida(m), g, PV_IPL_MAX_LEN);
	return 0;
}

static enum insn_action diag308_pv(struct pv_machine *m,
				   const struct insn *in, int r1, int r3,
				   uint64_t gr[16])
{
	uint64_t sc = gr[r3], view[16] = { 0 };
	uint16_t low = sc & 0xffff;
	struct d308_out out = { 0 };
	uint32_t len;

	if (m->cpu.mask & PSW_PSTATE) {
		out.pgm = PV_PGM_PRIVILEGED;
		return finish(m, in, r1, sc, gr, &out);
	}
	if (low == 4 || low == 7 || low == 8 || low == 9 || low == 10) {
		out.pgm = PV_PGM_SPECIFICATION;
		return finish(m, in, r1, sc, gr, &out);
	}
	if (sc == 5 || sc == 6) {
		out.pgm = pv_iplb_in(m, r1, gr[r1]);
		if (out.pgm)
			return finish(m, in, r1, sc, gr, &out);
	}
	if (sc == 0 || sc == 1)
		pv_uv_guest_reset_request(m->uv, m->hv.cpu_handle, sc == 0);
	view[2] = sc;
	d308_execute(m, 0, 2, view, m->cpu.mask, &out);
	if (!out.pgm && sc == 6 && view[1] == PV_DIAG308_RC_OK) {
		len = pv_get_be32(hv_sida(m));
		if (len > PV_IPL_MAX_LEN)
			len = PV_IPL_MAX_LEN;
		memcpy(mem_abs(m, gr[r1], PV_IPL_MAX_LEN), hv_sida(m), len);
	}
	if (out.has_response)
		gr[(r1 + 1) & 15] = view[1];
	return finish(m, in, r1, sc, gr, &out);
}

enum insn_action diag308_insn(struct pv_machine *m, const struct insn *in)
{
	int r1 = in->b[1] >> 4, r3 = in->b[1] & 0xf;
	struct d308_out out;
	uint64_t gr[16], sc;

	vcpu_get_grs(m, gr);
	if (m->protected_mode)
		return diag308_pv(m, in, r1, r3, gr);
	sc = gr[r3];
	d308_execute(m, r1, r3, gr, m->cpu.mask, &out);
	return finish(m, in, r1, sc, gr, &out);
}

enum insn_action diag_handle(struct pv_machine *m, const struct insn *in)
{
	uint64_t code = insn_addr_s(m, in) & 0xffff;

	if (code != 0x308 && (m->cpu.mask & PSW_PSTATE))
		return irq_pgm(m, PV_PGM_PRIVILEGED, in->len, m->cpu.mask,
			       in->addr);
	switch (code) {
	case 0x308:
		return diag308_insn(m, in);
	case 0x44:
	case 0x9c:
	case 0x318:
		return ACT_NEXT;
	default:
		return irq_pgm(m, PV_PGM_SPECIFICATION, in->len, m->cpu.mask,
			       in->addr);
	}
}
