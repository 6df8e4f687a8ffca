// SPDX-License-Identifier: MIT
/*
 * DIAGNOSE as the CPU presents it to the hypervisor (KVM, then QEMU).
 * The function code is the low 16 bits of the second-operand address
 * (pv-machine-and-uv.md §1.1); the translator hands over its displacement
 * and runs the instruction only in supervisor state (problem state is a
 * privileged-operation exception before it gets here).
 *
 *   0x308  IPL functions: diag308.c, with the UV between guest and
 *          hypervisor in protected mode (below)
 *   0x44   time-slice end, 0x9c directed time-slice end: the CPU gives up
 *          the rest of its slice (KVM yields the host CPU)
 *   0x318  control-program name and version: recorded by QEMU, a
 *          notification under PV; nothing to answer
 *   0x500  KVM functions; subcode 3 notifies a virtio-ccw queue
 *          (virtio_ccw.c): 0 in GR2, or -EINVAL without such a device
 *   0x258  page-reference services (pfault): KVM's answers (below)
 *   else   specification exception, as QEMU answers every code neither
 *          KVM nor QEMU implements (0x10, 0x260, 0x288 without a
 *          watchdog device, 0x204, ...); Linux then takes its fallback
 *          (memory size from SCLP)
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
#include "io.h"

#define DIAG500_VIRTIO_CCW_NOTIFY 3

/* Act on the outcome of DIAG 308: raise, answer, or leave for a reset. */
static void finish(struct vcpu *v, int r1, uint64_t sc, uint64_t gr[16],
		   const struct d308_out *out, uintptr_t ra)
{
	struct pv_machine *m = v->m;
	int rr = (r1 + 1) & 15;

	vcpu_sync_psw(v, ra);
	d308_log(m, sc, vcpu_pc(v), out, gr[rr]);
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
		vcpu_raise(v, out->pgm, ra);
	if (out->has_response)
		vcpu_set_gr(v, rr, gr[rr]);
	if (out->reset) {
		m->reset.type = out->type;
		m->reset.cpu = v;
		m->reset.r1 = r1;
		run_exit(m, EXIT_RESET);
		vcpu_leave(v, ra, 4, -1);
	}
}

/* The UV's checks and copies for subcodes 5/6 in protected mode. */
static uint16_t pv_iplb_in(struct vcpu *v, int r1, uint64_t a)
{
	uint8_t *g;

	if (r1 & 1 || a & 0xfff)
		return PGM_SPECIFICATION;
	g = mem_abs(v->m, a, PV_IPL_MAX_LEN);
	if (!g)
		return PGM_ADDRESSING;
	memcpy(hv_sida(v), g, PV_IPL_MAX_LEN);
	return 0;
}

static void diag308_pv(struct vcpu *v, int r1, int r3, uint64_t gr[16],
		       uintptr_t ra)
{
	struct pv_machine *m = v->m;
	uint64_t sc = gr[r3], view[16] = { 0 };
	uint16_t low = sc & 0xffff;
	struct d308_out out = { 0 };
	uint32_t len;

	if (low == 4 || low == 7 || low == 8 || low == 9 || low == 10) {
		out.pgm = PGM_SPECIFICATION;
		finish(v, r1, sc, gr, &out, ra);
		return;
	}
	if (sc == 5 || sc == 6) {
		out.pgm = pv_iplb_in(v, r1, gr[r1]);
		if (out.pgm) {
			finish(v, r1, sc, gr, &out, ra);
			return;
		}
	}
	if (sc == 0 || sc == 1)
		pv_uv_guest_reset_request(m->uv, v->pv_handle, sc == 0);
	view[2] = sc;
	d308_execute(m, 0, 2, view, vcpu_pswm(v), &out);
	if (!out.pgm && sc == 6 && view[1] == PV_DIAG308_RC_OK) {
		len = pv_get_be32(hv_sida(v));
		if (len > PV_IPL_MAX_LEN)
			len = PV_IPL_MAX_LEN;
		memcpy(mem_abs(m, gr[r1], PV_IPL_MAX_LEN), hv_sida(v), len);
		codemap_written(m, gr[r1], len);
	}
	if (out.has_response)
		gr[(r1 + 1) & 15] = view[1];
	finish(v, r1, sc, gr, &out, ra);
}

void diag308_insn(struct vcpu *v, int r1, int r3, uintptr_t ra)
{
	struct d308_out out;
	uint64_t gr[16], sc;

	for (int i = 0; i < 16; i++)
		gr[i] = vcpu_gr(v, i);
	if (v->m->protected_mode) {
		diag308_pv(v, r1, r3, gr, ra);
		return;
	}
	sc = gr[r3];
	d308_execute(v->m, r1, r3, gr, vcpu_pswm(v), &out);
	finish(v, r1, sc, gr, &out, ra);
}

/*
 * DIAG 0x258, page-reference services (pfault), as KVM answers a guest
 * that is not protected (Linux arch/s390/kvm/diag.c): GR r1 holds the
 * address of the parameter block (code 0x258, subcode 0 establishes a
 * token, 1 cancels it; version 2, length >= 5), the return code goes to
 * GR r3: 0 done, 8 a token is already established, 4 none to cancel.
 * The machine never pages guest memory out, so no pfault interruption
 * ever follows.  A protected guest gets the specification exception.
 */
static void diag258(struct vcpu *v, int r1, int r3, uintptr_t ra)
{
	uint64_t a = vcpu_gr(v, r1);
	uint8_t p[40];
	uint64_t token, sel, cmp, zarch;
	uint16_t code, sub, len, ver;

	if (v->m->protected_mode || (a & 7))
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	mem_read_op(v, addr_wrap(vcpu_pswm(v), a), p, sizeof(p), ra);
	code = pv_get_be16(p);
	sub = pv_get_be16(p + 2);
	len = pv_get_be16(p + 4);
	ver = pv_get_be16(p + 6);
	token = pv_get_be64(p + 8);
	sel = pv_get_be64(p + 16);
	cmp = pv_get_be64(p + 24);
	zarch = pv_get_be64(p + 32);
	if (ver != 2 || len < 5 || code != 0x258)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	switch (sub) {
	case 0:
		if (v->pfault_token != PFAULT_NONE) {
			vcpu_set_gr(v, r3, 8);
			return;
		}
		if ((cmp & sel) != cmp || (token & 7) ||
		    zarch != 0x8000000000000000ULL)
			vcpu_raise(v, PGM_SPECIFICATION, ra);
		if (token >= v->m->ram_size)
			vcpu_raise(v, PGM_ADDRESSING, ra);
		v->pfault_token = token;
		vcpu_set_gr(v, r3, 0);
		return;
	case 1:
		if (token || sel || cmp || zarch)
			vcpu_raise(v, PGM_SPECIFICATION, ra);
		vcpu_set_gr(v, r3, v->pfault_token == PFAULT_NONE ? 4 : 0);
		v->pfault_token = PFAULT_NONE;
		return;
	default:
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	}
}

/* Give up the rest of the time slice (to CPU @to first, if >= 0). */
static void yield(struct vcpu *v, int to)
{
	struct pv_machine *m = v->m;

	if (m->ncpus < 2)
		return;
	if (to >= 0 && (unsigned int)to < m->ncpus && m->cpus[to] != v)
		m->rr = (unsigned int)to;
	atomic_fetch_or(&v->kick, KICK_LEAVE);
	uc_core.cpu_exit(v->cs);
}

void diag_handle(struct vcpu *v, int r1, int r3, uint32_t code, uintptr_t ra)
{
	struct pv_machine *m = v->m;

	code &= 0xffff;
	if (m->tr && code != 0x44 && code != 0x9c)
		mach_trace(m, "cpu %u DIAG 0x%x r%d r%d", v->id, code, r1, r3);
	switch (code) {
	case 0x308:
		diag308_insn(v, r1, r3, ra);
		return;
	case 0x44:
		yield(v, -1);
		return;
	case 0x9c:
		yield(v, (int)(vcpu_gr(v, r1) & 0xffff));
		return;
	case 0x318:
		return;
	case 0x258:
		diag258(v, r1, r3, ra);
		return;
	case 0x500:
		if (vcpu_gr(v, 1) == DIAG500_VIRTIO_CCW_NOTIFY) {
			vcpu_set_gr(v, 2, (uint64_t)virtio_ccw_notify(m,
					vcpu_gr(v, 2), vcpu_gr(v, 3)));
			return;
		}
		break;
	default:
		break;
	}
	vcpu_raise(v, PGM_SPECIFICATION, ra);
}
