// SPDX-License-Identifier: MIT
/*
 * The run loop: enter the guest, and when Unicorn returns, act on why it
 * did (kvmtool's switch on the exit reason).  Emulation that fits in a
 * hook happens there; what needs the whole machine (resets, the PV
 * switch, the end of the run) comes back here.
 */
#include <string.h>

#include "machine_priv.h"

void run_stop(struct pv_machine *m, enum exit_reason why, uint64_t mask,
	      uint64_t addr)
{
	if (m->exit.reason == EXIT_FATAL)
		return;
	m->exit.reason = why;
	m->exit.mask = mask;
	m->exit.addr = addr;
}

const char *pv_run_end_name(enum pv_run_end end)
{
	switch (end) {
	case PV_RUN_DISABLED_WAIT:
		return "disabled-wait";
	case PV_RUN_SIGP_STOP:
		return "sigp-stop";
	case PV_RUN_TIMEOUT:
		return "timeout";
	case PV_RUN_ERROR:
		return "error";
	}
	return "unknown";
}

/* Access outside RAM reported by Unicorn's memory hook: PGM 0x05. */
static void addressing(struct pv_machine *m)
{
	uint64_t mask = vcpu_pswm(m), pc = vcpu_pc(m);
	struct insn in;
	unsigned int ilen = 0;

	if (!insn_fetch(m, mask, pc, &in))
		ilen = in.len;
	if (m->tr)
		mach_trace(m, "access to 0x%llx outside RAM",
			   (unsigned long long)m->exit.fault);
	m->exit.reason = EXIT_NONE;
	m->cpu.mask = mask;
	irq_pgm(m, PV_PGM_ADDRESSING, ilen, mask, pc);
}

static void finish(struct pv_machine *m, struct pv_run_result *res,
		   enum pv_run_end end, uint64_t t0)
{
	struct pv_uv_stats us;
	uint64_t first;

	sclp_flush(m);
	res->end = end;
	res->psw_mask = m->exit.mask;
	res->psw_addr = m->exit.addr;
	if (end == PV_RUN_DISABLED_WAIT)
		res->wait_code = m->exit.addr;
	res->protected_mode = m->protected_mode;
	res->seconds = (double)(mach_now_ns() - t0) / 1e9;
	pv_uv_get_stats(m->uv, &us);
	m->st.uv_calls = us.calls;
	m->st.pages_unpacked = us.pages_unpacked;
	m->st.pages_imported = us.pages_imported;
	m->st.pages_destroyed = us.pages_destroyed;
	res->stats = m->st;
	first = m->nd308 > PV_RUN_MAX_D308 ? m->nd308 - PV_RUN_MAX_D308 : 0;
	for (uint64_t i = first; i < m->nd308; i++)
		res->d308[res->nd308++] = m->d308[i % PV_RUN_MAX_D308];
	if (end == PV_RUN_ERROR || end == PV_RUN_TIMEOUT) {
		if (!res->detail[0])
			snprintf(res->detail, sizeof(res->detail), "%s",
				 m->exit.msg[0] ? m->exit.msg :
						  "timeout elapsed");
	} else {
		snprintf(res->detail, sizeof(res->detail),
			 "%s at PSW %016llx %016llx",
			 end == PV_RUN_DISABLED_WAIT ? "disabled wait" :
						       "SIGP stop",
			 (unsigned long long)res->psw_mask,
			 (unsigned long long)res->psw_addr);
	}
}

static void host_error(struct pv_machine *m, struct pv_err *e)
{
	run_stop(m, EXIT_FATAL, vcpu_pswm(m), vcpu_pc(m));
	snprintf(m->exit.msg, sizeof(m->exit.msg), "%s",
		 e ? e->msg : "host error");
	m->exit.reason = EXIT_FATAL;
	pv_err_free(e);
}

int pv_machine_run(struct pv_machine *m, struct pv_run_result *res,
		   struct pv_err **err)
{
	uint64_t t0 = mach_now_ns();
	struct pv_err *e = NULL;
	enum pv_run_end end;
	uc_err ue;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!m->loaded)
		return pv_err_set(err, PV_ERR_STATE,
				  "machine: no image loaded");
	if (m->ran)
		return pv_err_set(err, PV_ERR_STATE,
				  "machine: a machine runs only once");
	m->ran = true;
	m->res = res;
	if (m->timeout > 0)
		m->deadline_ns = t0 + (uint64_t)(m->timeout * 1e9);
	memset(&m->exit, 0, sizeof(m->exit));
	rc = ipl_start(m, err);
	if (rc)
		return rc;
	for (;;) {
		if (m->exit.reason == EXIT_FATAL)
			break;
		if (m->protected_mode && hv_sie_entry(m, &e)) {
			host_error(m, e);
			e = NULL;
			break;
		}
		scan_flush(m);
		m->exit.reason = EXIT_NONE;
		ue = uc_emu_start(m->uc, vcpu_pc(m), 1, 0, 0);
		switch (m->exit.reason) {
		case EXIT_NONE:
			run_stop(m, EXIT_FATAL, vcpu_pswm(m), vcpu_pc(m));
			snprintf(m->exit.msg, sizeof(m->exit.msg),
				 "the CPU stopped without a reason (%s) at PSW %016llx %016llx",
				 uc_strerror(ue),
				 (unsigned long long)m->exit.mask,
				 (unsigned long long)m->exit.addr);
			break;
		case EXIT_ADDRESSING:
			addressing(m);
			continue;
		case EXIT_RESET:
			rc = machine_reset(m, m->reset.type, &e);
			if (rc) {
				host_error(m, e);
				e = NULL;
			}
			continue;
		default:
			break;
		}
		break;
	}
	switch (m->exit.reason) {
	case EXIT_WAIT:
		end = PV_RUN_DISABLED_WAIT;
		break;
	case EXIT_STOP:
		end = PV_RUN_SIGP_STOP;
		break;
	case EXIT_TIMEOUT:
		end = PV_RUN_TIMEOUT;
		snprintf(res->detail, sizeof(res->detail),
			 "timeout after %.1f s at PSW %016llx %016llx",
			 m->timeout, (unsigned long long)m->exit.mask,
			 (unsigned long long)m->exit.addr);
		break;
	default:
		end = PV_RUN_ERROR;
		break;
	}
	finish(m, res, end, t0);
	m->res = NULL;
	if (m->transcript_errno)
		return pv_err_set(err, PV_ERR_IO,
				  "cannot write the transcript '%s': %s",
				  m->transcript_path ? m->transcript_path : "?",
				  strerror(m->transcript_errno));
	return 0;
}
