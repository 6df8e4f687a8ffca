// SPDX-License-Identifier: MIT
/*
 * DIAGNOSE X'308' as the hypervisor handles it: KVM first (privilege,
 * subcodes 3/4 by their low 16 bits become a re-IPL exit), then QEMU's
 * handle_diag_308 (pv-machine-and-uv.md §1.3-§1.6) with both IPL-block
 * slots (§2.5).  Works on a register array so that it can be driven
 * without a CPU (tests/fuzz/fuzz_diag308.c).
 *
 * Guest memory is reached only through hv_read/hv_write, or in protected
 * mode through the SIDA, where the UV put the guest's block (diag.c).
 *
 * Variant: KVM-like by default (the PV path is KVM).  With
 * PV_MACHINE_F_TCG_DIAG subcode 4 is a specification exception and
 * subcode 0x10003 is not subcode 3 (catalogue D-05, D-07).
 */
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/ipib.h"

#include "machine_priv.h"

static void want_reset(struct d308_out *out, enum reset_type type)
{
	out->reset = true;
	out->type = type;
}

static void respond(uint64_t gr[16], int r1, struct d308_out *out,
		    uint16_t rc)
{
	gr[(r1 + 1) & 15] = rc;
	out->has_response = true;
}

/* §1.3 step 5: the non-PV parameter check of subcodes 5, 6, 8 and 9. */
static uint16_t parm_check(struct pv_machine *m, int r1, const uint64_t *gr)
{
	uint64_t a = gr[r1];

	if (r1 & 1)
		return PGM_SPECIFICATION;
	if (a & 0xfff)
		return PGM_SPECIFICATION;
	if (!hv_range_ok(m, a, 4096))
		return PGM_ADDRESSING;
	return 0;
}

/* Read the guest's block (len first) into a zeroed 4096-byte buffer. */
static int read_block(struct pv_machine *m, uint64_t a, uint8_t *buf,
		      uint32_t *len)
{
	uint8_t *sida = hv_sida(mach_cpu(m));
	int rc;

	memset(buf, 0, PV_IPL_MAX_LEN);
	if (m->protected_mode) {
		*len = pv_get_be32(sida);
		if (*len <= PV_IPL_MAX_LEN)
			memcpy(buf, sida, *len);
		return 0;
	}
	rc = hv_read(m, a, buf, 4);
	if (rc)
		return rc;
	*len = pv_get_be32(buf);
	if (*len <= PV_IPL_MAX_LEN && *len > 4)
		rc = hv_read(m, a, buf, *len);
	return rc;
}

/* Subcodes 5 (normal slot) and 8 (PV slot): §1.5.5, §1.5.8. */
static void set_iplb(struct pv_machine *m, int r1, uint64_t gr[16],
		     bool pv_slot, struct d308_out *out)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	const char *why = NULL;
	uint32_t len;
	uint16_t rc;
	int pgm;

	pgm = read_block(m, gr[r1], buf, &len);
	if (pgm) {
		out->pgm = (uint16_t)pgm;
		return;
	}
	if (len > PV_IPL_MAX_LEN) {
		respond(gr, r1, out, PV_DIAG308_RC_INVALID);
		return;
	}
	if (pv_slot) {
		rc = pv_iplb_check_pv(buf, len, hv_range_ok, m, &why);
	} else {
		rc = pv_iplb_check_normal(buf, len, &why);
		/*
		 * QEMU rebuilds a QEMU-SCSI (0xff) block from the boot device
		 * named by the index at 0x6e and answers OK; this machine has
		 * no boot devices, so the block is kept as it came.
		 */
		if (rc != PV_DIAG308_RC_OK && buf[PV_IPIB_OFF_PBT] ==
						     PV_IPL_PBT_QEMU_SCSI)
			rc = PV_DIAG308_RC_OK;
	}
	if (m->tr && why)
		mach_trace(m, "  IPLB rejected: %s", why);
	if (rc == PV_DIAG308_RC_OK) {
		if (pv_slot) {
			memcpy(m->iplb_pv, buf, sizeof(buf));
			m->iplb_pv_valid = true;
		} else {
			memcpy(m->iplb, buf, sizeof(buf));
			m->iplb_valid = true;
		}
	}
	respond(gr, r1, out, rc);
}

/* Subcodes 6 (normal slot) and 9 (PV slot): §1.5.6, §1.5.9. */
static void store_iplb(struct pv_machine *m, int r1, uint64_t gr[16],
		       bool pv_slot, struct d308_out *out)
{
	const uint8_t *slot = pv_slot ? m->iplb_pv : m->iplb;
	uint32_t len = pv_get_be32(slot);
	int pgm;

	if (!(pv_slot ? m->iplb_pv_valid : m->iplb_valid)) {
		respond(gr, r1, out, PV_DIAG308_RC_NO_CONF);
		return;
	}
	if (len > PV_IPL_MAX_LEN)
		len = PV_IPL_MAX_LEN;
	if (m->protected_mode) {
		memcpy(hv_sida(mach_cpu(m)), slot, len);
	} else {
		pgm = hv_write(m, gr[r1], slot, len);
		if (pgm) {
			out->pgm = (uint16_t)pgm;
			return;
		}
	}
	respond(gr, r1, out, PV_DIAG308_RC_OK);
}

void d308_execute(struct pv_machine *m, int r1, int r3, uint64_t gr[16],
		  uint64_t mask, struct d308_out *out)
{
	uint64_t sc = gr[r3];
	uint16_t pgm;

	memset(out, 0, sizeof(*out));
	/* KVM kvm_s390_handle_diag: privilege before anything else. */
	if (mask & PSW_PSTATE) {
		out->pgm = PGM_PRIVILEGED;
		return;
	}
	/* KVM __diag_ipl_functions: 3 and 4 by the low 16 bits (D-05-07). */
	if (!(m->flags & PV_MACHINE_F_TCG_DIAG) &&
	    ((sc & 0xffff) == 3 || (sc & 0xffff) == 4)) {
		want_reset(out, RESET_REIPL);
		return;
	}
	/* QEMU handle_diag_308 (§1.3). */
	if (sc & ~0xffffULL) {
		out->pgm = PGM_SPECIFICATION;
		return;
	}
	if (sc >= 8 && (m->flags & PV_MACHINE_F_NO_UNPACK)) {
		out->pgm = PGM_SPECIFICATION;
		return;
	}
	switch (sc) {
	case 0:
		want_reset(out, RESET_MODIFIED_CLEAR);
		return;
	case 1:
		want_reset(out, RESET_LOAD_NORMAL);
		return;
	case 3:
		want_reset(out, RESET_REIPL);
		return;
	case 5:
	case 6:
	case 8:
	case 9:
		if (!m->protected_mode) {
			pgm = parm_check(m, r1, gr);
			if (pgm) {
				out->pgm = pgm;
				return;
			}
		}
		if (sc == 5 || sc == 8)
			set_iplb(m, r1, gr, sc == 8, out);
		else
			store_iplb(m, r1, gr, sc == 9, out);
		return;
	case 10:
		/* §1.5.10: empty PV slot, huge-page backing, else reset PV. */
		if (!m->iplb_pv_valid)
			respond(gr, r1, out, PV_DIAG308_RC_NO_PV_CONF);
		else if (m->flags & PV_MACHINE_F_HUGE_PAGES)
			respond(gr, r1, out, PV_DIAG308_RC_INVAL_FOR_PV);
		else
			want_reset(out, RESET_PV);
		return;
	default:
		out->pgm = PGM_SPECIFICATION;
		return;
	}
}

void d308_log(struct pv_machine *m, uint64_t subcode, uint64_t addr,
	      const struct d308_out *out, uint64_t response)
{
	struct pv_d308_event *e = &m->d308[m->nd308 % PV_RUN_MAX_D308];

	e->subcode = subcode;
	e->psw_addr = addr;
	e->pv = m->protected_mode;
	e->pgm = out->pgm;
	e->has_response = out->has_response;
	e->response = out->has_response ? response : 0;
	m->nd308++;
	m->st.d308_total++;
}
