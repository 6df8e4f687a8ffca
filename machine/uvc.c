// SPDX-License-Identifier: MIT
/*
 * The Ultravisor call a secure guest issues (UVC, 0xB9A4, RRF): query,
 * set/remove shared access.  Unicorn does not know the opcode, so it
 * arrives from the code hook or, failing that, the exception hook.
 * Checks of pv-machine-and-uv.md §4.1 (U-01): non-zero spare fields are a
 * specification exception, problem state a privileged-operation exception
 * (checked by the caller), an inaccessible UVCB an access exception.
 * A guest that is not protected has no UV call facility (158 is not in its
 * facility list): operation exception.
 */
#include <stdlib.h>

#include "pvboot/be.h"

#include "machine_priv.h"

enum insn_action uvc_handle(struct pv_machine *m, const struct insn *in)
{
	int r2 = in->b[3] & 0xf, rc, cc;
	uint64_t mask = m->cpu.mask, a = addr_wrap(mask, vcpu_gr(m, r2));
	uint16_t len, pgm = 0;
	uint8_t hdr[8], *cb;

	if (!m->protected_mode)
		return irq_pgm(m, PV_PGM_OPERATION, in->len, mask, in->addr);
	if (in->b[2] != 0)
		return irq_pgm(m, PV_PGM_SPECIFICATION, in->len, mask,
			       in->addr);
	m->st.guest_uvcs++;
	rc = mem_read_logical(m, mask, a, hdr, sizeof(hdr));
	if (rc)
		return irq_pgm(m, (uint16_t)rc, in->len, mask, in->addr);
	len = pv_get_be16(hdr);
	if (len < sizeof(hdr))
		len = sizeof(hdr);
	cb = malloc(len);
	if (!cb) {
		mach_fatal(m, "UVC: out of memory for a %u-byte UVCB", len);
		return ACT_EXIT;
	}
	rc = mem_read_logical(m, mask, a, cb, len);
	if (rc) {
		free(cb);
		return irq_pgm(m, (uint16_t)rc, in->len, mask, in->addr);
	}
	if (m->tr)
		mach_trace(m, "  UVC cmd 0x%04x (%s) UVCB 0x%llx",
			   pv_get_be16(cb + PV_UVCB_CMD),
			   pv_uvc_name(pv_get_be16(cb + PV_UVCB_CMD)),
			   (unsigned long long)a);
	cc = pv_uv_guest_call(m->uv, m->hv.cpu_handle, cb, len, false, &pgm);
	if (cc < 0) {
		free(cb);
		return irq_pgm(m, pgm, in->len, mask, in->addr);
	}
	rc = mem_write_logical(m, mask, a, cb, len);
	free(cb);
	if (rc)
		return irq_pgm(m, (uint16_t)rc, in->len, mask, in->addr);
	scan_flush(m);
	m->cpu.cc = cc;
	return ACT_NEXT;
}
