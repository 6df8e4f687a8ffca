// SPDX-License-Identifier: MIT
/*
 * Machine resets as QEMU's s390_machine_reset performs them for the reset
 * requested by DIAG 308 (pv-machine-and-uv.md §1.7), with load normal
 * (§1.8) and the PV variants (§3.2, §3.7, §4.9).
 */
#include "pvboot/be.h"
#include "pvboot/ipib.h"

#include "machine_priv.h"
#include "io.h"

const char *reset_name(enum reset_type type)
{
	static const char *const names[] = {
		[RESET_EXTERNAL] = "external",
		[RESET_REIPL] = "re-IPL",
		[RESET_MODIFIED_CLEAR] = "modified-clear",
		[RESET_LOAD_NORMAL] = "load-normal",
		[RESET_PV] = "protected-virtualization",
	};

	return type <= RESET_PV ? names[type] : "unknown";
}

/* Load normal: the short PSW at absolute 0, or in PV the UV's PSW. */
int load_normal(struct vcpu *v, struct pv_err **err)
{
	struct pv_machine *m = v->m;
	uint64_t mask, addr;

	vcpu_set_state(v, VCPU_OPERATING);
	if (m->protected_mode)
		return hv_cpu_load(v, err);
	psw_from_short(pv_get_be64(mem_abs(m, 0, 8)), &mask, &addr);
	if (m->tr)
		mach_trace(m, "load normal: PSW %016llx %016llx",
			   (unsigned long long)mask, (unsigned long long)addr);
	if (!psw_valid(mask, addr)) {
		/* D-09: a long-format PSW at 0 is a specification exception. */
		irq_pgm(v, PGM_SPECIFICATION, 0, mask, addr);
		return 0;
	}
	vcpu_load_psw(v, mask, addr);
	return 0;
}

/* Subcode-10 failure: composite response, resume after the DIAG (§1.5.10). */
static void pv_failed(struct pv_machine *m, uint16_t cmd, uint16_t rc,
		      uint16_t rrc)
{
	uint64_t resp = (uint64_t)cmd << 48 | (uint64_t)rrc << 32 |
			(uint64_t)rc << 16 | PV_DIAG308_RC_INVAL_FOR_PV;
	struct vcpu *v = m->reset.cpu;
	struct pv_d308_event *e;

	vcpu_set_gr(v, (m->reset.r1 + 1) & 15, resp);
	vcpu_set_state(v, VCPU_OPERATING);
	if (m->res) {
		m->res->unpack_failed = true;
		m->res->unpack_response = resp;
	}
	if (m->nd308) {
		e = &m->d308[(m->nd308 - 1) % PV_RUN_MAX_D308];
		e->has_response = true;
		e->response = resp;
	}
	if (m->tr)
		mach_trace(m, "protect failed: r%d = %016llx",
			   (m->reset.r1 + 1) & 15, (unsigned long long)resp);
}

/* Every CPU but @keep: initial (or clear) reset, stopped. */
static void reset_others(struct pv_machine *m, struct vcpu *keep,
			 enum vcpu_reset_kind kind)
{
	for (unsigned int i = 0; i < m->ncpus; i++) {
		struct vcpu *v = m->cpus[i];

		if (v == keep)
			continue;
		vcpu_reset(v, kind);
		vcpu_set_state(v, VCPU_STOPPED);
	}
}

static int pv_reset(struct pv_machine *m, struct pv_err **err)
{
	struct vcpu *v = m->reset.cpu;
	uint16_t cmd, rc, rrc;
	uint64_t t0;
	int ret, failed;

	/* The DIAG's CPU gets a normal reset, the others stop. */
	reset_others(m, v, CPU_RESET_INITIAL);
	vcpu_reset(v, CPU_RESET_NORMAL);
	if (m->res)
		m->res->unpack_failed = false;
	t0 = mach_now_ns();
	failed = hv_protect(m, &cmd, &rc, &rrc);
	m->uv_ns += mach_now_ns() - t0;
	if (failed) {
		pv_failed(m, cmd, rc, rrc);
		return 0;
	}
	m->st.protects++;
	ret = load_normal(v, err);
	if (ret)
		return ret;
	if (m->tr)
		mach_trace(m, "protected: secure CPU %u starts at %016llx %016llx",
			   v->id, (unsigned long long)vcpu_pswm(v),
			   (unsigned long long)vcpu_pc(v));
	return 0;
}

int machine_reset(struct pv_machine *m, enum reset_type type,
		  struct pv_err **err)
{
	bool clear = type == RESET_MODIFIED_CLEAR;
	struct vcpu *v = m->reset.cpu ? m->reset.cpu : m->cpus[0];
	enum vcpu_reset_kind kind = clear ? CPU_RESET_CLEAR :
					    CPU_RESET_INITIAL;
	int rc;

	if (m->tr)
		mach_trace(m, "machine reset: %s%s", reset_name(type),
			   m->protected_mode ? " (protected)" : "");
	sclp_reset(m);		/* subsystem reset: SCLP event facility */
	io_reset(m, type);	/* ... and the channel subsystem, devices */
	switch (type) {
	case RESET_EXTERNAL:
	case RESET_REIPL:
		/* §1.7: unprotect, device + CPU clear reset, IPL again. */
		if (m->protected_mode)
			hv_unprotect(m);
		if (type == RESET_EXTERNAL)
			m->iplb_valid = false;
		rc = ipl_load_image(m, err);
		if (rc)
			return rc;
		return ipl_start(m, err);
	case RESET_MODIFIED_CLEAR:
	case RESET_LOAD_NORMAL:
		if (m->protected_mode) {
			if (hv_pv_prepare_reset(m))
				return pv_err_set(err, PV_ERR_STATE,
						  "PV reset failed in the UV (prepare reset): the VM cannot continue");
			for (unsigned int i = 0; i < m->ncpus; i++)
				if (hv_cpu_reset(m->cpus[i], clear ?
						 PV_UVC_CPU_RESET_CLEAR :
						 PV_UVC_CPU_RESET_INITIAL))
					return pv_err_set(err, PV_ERR_STATE,
							  "PV reset failed in the UV (CPU reset): the VM cannot continue");
		}
		reset_others(m, v, kind);
		vcpu_reset(v, kind);
		return load_normal(v, err);
	case RESET_PV:
		return pv_reset(m, err);
	}
	return pv_err_set(err, PV_ERR_INTERNAL, "unknown reset type %d",
			  type);
}
