// SPDX-License-Identifier: MIT
/*
 * The Ultravisor call a secure guest issues (UVC, 0xB9A4, RRF): query,
 * set/remove shared access, and what else the UV offers a guest.  Unicorn
 * does not know the opcode and raises an operation exception at it; the
 * exception hook hands it here (cpu/irq.c).  Checks of
 * pv-machine-and-uv.md §4.1 (U-01): non-zero spare fields are a
 * specification exception, problem state a privileged-operation
 * exception, an inaccessible UVCB an access exception.  A guest that is
 * not protected has no UV call facility (158 is not in its facility
 * list): operation exception.
 *
 * Returns false when the instruction is not a UVC after all.
 */
#include <stdlib.h>

#include "pvboot/attest.h"
#include "pvboot/be.h"

#include "machine_priv.h"

static bool fault(struct vcpu *v, int code, uint64_t tec, uint64_t mask,
		  uint64_t addr)
{
	uint8_t *lc = mem_lowcore(v);

	if (code != PGM_ADDRESSING && lc)
		pv_put_be64(lc + LC_TEC, tec);
	irq_pgm(v, (uint16_t)code, 4, mask, addr);
	return true;
}

/*
 * The addresses inside an attestation or secret UVCB are logical addresses
 * of the calling CPU (attestation-and-secrets.md §2.1): Linux's uvdevice
 * passes kernel virtual addresses.  The UV turns them into guest absolute
 * addresses through the CPU's current DAT and prefix.
 */
static int uvc_xlate(void *opaque, uint64_t cpu_handle, uint64_t laddr,
		     uint64_t *gabs)
{
	struct pv_machine *m = opaque;
	uint64_t tec;

	for (unsigned int i = 0; i < m->ncpus; i++) {
		struct vcpu *v = m->cpus[i];

		if (v->pv_handle == cpu_handle)
			return mem_translate(v, vcpu_pswm(v), laddr, 0, gabs,
					     &tec);
	}
	return PGM_ADDRESSING;
}

void uvc_install(struct pv_machine *m)
{
	pv_uv_set_guest_xlate(m->uv, uvc_xlate, m);
}

bool uvc_handle(struct vcpu *v, uint64_t addr)
{
	struct pv_machine *m = v->m;
	uint64_t mask = vcpu_pswm(v), a, tec = 0;
	uint8_t insn[4], hdr[8], *cb;
	uint16_t len, pgm = 0;
	int rc, cc;

	if (mem_read_logical(v, addr, insn, 4, &tec))
		return false;
	if (!m->protected_mode)
		return irq_pgm(v, PGM_OPERATION, 4, mask, addr) || true;
	if (mask & PSW_PSTATE)
		return irq_pgm(v, PGM_PRIVILEGED, 4, mask, addr) || true;
	if (insn[2] != 0)
		return irq_pgm(v, PGM_SPECIFICATION, 4, mask, addr) || true;
	a = addr_wrap(mask, vcpu_gr(v, insn[3] & 0xf));
	m->st.guest_uvcs++;
	rc = mem_read_logical(v, a, hdr, sizeof(hdr), &tec);
	if (rc)
		return fault(v, rc, tec, mask, addr);
	len = pv_get_be16(hdr);
	if (len < sizeof(hdr))
		len = sizeof(hdr);
	cb = malloc(len);
	if (!cb) {
		mach_fatal(m, "UVC: out of memory for a %u-byte UVCB", len);
		return true;
	}
	rc = mem_read_logical(v, a, cb, len, &tec);
	if (rc) {
		free(cb);
		return fault(v, rc, tec, mask, addr);
	}
	if (m->tr)
		mach_trace(m, "cpu %u UVC cmd 0x%04x (%s) UVCB 0x%llx", v->id,
			   pv_get_be16(cb + PV_UVCB_CMD),
			   pv_uvc_name(pv_get_be16(cb + PV_UVCB_CMD)),
			   (unsigned long long)a);
	cc = pv_uv_guest_call(m->uv, v->pv_handle, cb, len, false, &pgm);
	if (cc < 0) {
		free(cb);
		irq_pgm(v, pgm, 4, mask, addr);
		return true;
	}
	rc = mem_write_logical(v, a, cb, len, &tec);
	free(cb);
	if (rc)
		return fault(v, rc, tec, mask, addr);
	vcpu_load_psw(v, (mask & ~PSW_CC) | ((uint64_t)cc << PSW_CC_SHIFT),
		      addr_wrap(mask, addr + 4));
	return true;
}
