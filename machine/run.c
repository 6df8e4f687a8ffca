// SPDX-License-Identifier: MIT
/*
 * The run loop: pick a CPU, enter the guest, and when Unicorn returns act
 * on why it did (kvmtool's switch on the exit reason).  Emulation that
 * fits in an instruction happens in the replaced helpers; what needs the
 * whole machine (resets, the PV switch, CPUs stopping and waiting, the
 * end of the run) comes back here.
 *
 * The CPUs take turns on this thread (QEMU's round-robin TCG): a CPU runs
 * until it waits, stops, asks for a reset, or its time slice ends while
 * another CPU could run.  A CPU in an enabled wait runs again when an
 * interruption can be delivered to it; when every CPU waits the thread
 * sleeps until the events thread reports a timer or input.  The run ends
 * when no CPU can ever run again: every CPU stopped (SIGP stop) or in a
 * disabled wait.
 */
#include <string.h>

#include "machine_priv.h"
#include "cpu/interpose.h"

#define SLICE_NS 5000000ULL	/* 5 ms per CPU while others can run */

void run_exit(struct pv_machine *m, enum exit_reason why)
{
	if (m->exit.reason == EXIT_FATAL)
		return;
	m->exit.reason = why;
}

/* A CPU entered the stopped state (SIGP stop, or stop and store). */
void run_cpu_stopped(struct vcpu *v)
{
	vcpu_set_state(v, VCPU_STOPPED);
	v->m->last_stopped = v;
	if (v->m->tr)
		mach_trace(v->m, "cpu %u stopped at PSW %016llx %016llx", v->id,
			   (unsigned long long)vcpu_pswm(v),
			   (unsigned long long)vcpu_pc(v));
	if (v->running)
		uc_emu_stop(v->uc);
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
	case PV_RUN_USER_QUIT:
		return "user-quit";
	}
	return "unknown";
}

static bool waiting(const struct vcpu *v)
{
	return vcpu_pswm(v) & PSW_WAIT;
}

/* Another CPU runs, or can be made to run by an interruption. */
static bool others_alive(const struct vcpu *v)
{
	struct pv_machine *m = v->m;

	for (unsigned int i = 0; i < m->ncpus; i++) {
		const struct vcpu *o = m->cpus[i];
		uint64_t mask;

		if (o == v || o->state != VCPU_OPERATING)
			continue;
		mask = vcpu_pswm(o);
		if (!(mask & PSW_WAIT) || (mask & (PSW_IO | PSW_EXT)))
			return true;
	}
	return false;
}

/*
 * Can an interruption ever end this wait?  The wait bit alone (no I/O,
 * external or machine-check mask) never ends; an enabled wait ends only
 * when a source it enabled can still fire: the clock comparator (unless
 * set to its maximum), the CPU timer, the service signal (pending, or
 * console input still to come), or a signal from another CPU.  There are
 * no I/O devices and no machine checks.
 */
static bool wait_can_end(const struct vcpu *v)
{
	struct pv_machine *m = v->m;
	uint64_t mask = vcpu_pswm(v), cr0 = vcpu_cr(v, 0);

	if (v->irq)
		return true;
	if ((mask & PSW_IO) && css_io_can_end_wait(v))
		return true;
	if (!(mask & PSW_EXT))
		return false;
	if ((cr0 & CR0_CKC) && atomic_load(&v->ckc) != UINT64_MAX)
		return true;
	if (cr0 & CR0_CPU_TIMER)
		return true;
	if ((cr0 & CR0_SERVICE_SIGNAL) &&
	    (m->flic.service || sclp_event_pending(m) ||
	     (m->con_in >= 0 && !atomic_load(&m->ev.input_eof))))
		return true;
	return (cr0 & (CR0_EMERGENCY | CR0_EXTCALL)) && others_alive(v);
}

/* A wait no interruption can end. */
static bool dead_wait(const struct vcpu *v)
{
	return (vcpu_pswm(v) & PSW_WAIT) && !wait_can_end(v);
}

/*
 * The next CPU that can run, round robin; a waiting CPU can when an
 * interruption is delivered to it now.  NULL when none can.
 */
static struct vcpu *pick(struct pv_machine *m)
{
	for (unsigned int i = 0; i < m->ncpus; i++) {
		unsigned int k = (m->rr + i) % m->ncpus;
		struct vcpu *v = m->cpus[k];

		if (v->state != VCPU_OPERATING)
			continue;
		if (v->irq & (IRQ_STOP | IRQ_STOP_STORE)) {
			sigp_stop_done(v);
			continue;
		}
		if (waiting(v) && (dead_wait(v) || !irq_deliver(v)))
			continue;
		if (v->state != VCPU_OPERATING)
			continue;
		m->rr = (k + 1) % m->ncpus;
		return v;
	}
	return NULL;
}

/* Another CPU could run now or soon: this one gets a time slice. */
static bool others_active(struct pv_machine *m, const struct vcpu *v)
{
	for (unsigned int i = 0; i < m->ncpus; i++) {
		const struct vcpu *o = m->cpus[i];

		if (o != v && o->state == VCPU_OPERATING && !dead_wait(o))
			return true;
	}
	return false;
}

static bool any_enabled_wait(struct pv_machine *m)
{
	for (unsigned int i = 0; i < m->ncpus; i++) {
		const struct vcpu *v = m->cpus[i];

		if (v->state == VCPU_OPERATING && waiting(v) && !dead_wait(v))
			return true;
	}
	return false;
}

static void fatal_uc(struct pv_machine *m, struct vcpu *v, uc_err ue)
{
	mach_fatal(m, "the CPU emulator stopped CPU %u at PSW %016llx %016llx: %s",
		   v->id, (unsigned long long)vcpu_pswm(v),
		   (unsigned long long)vcpu_pc(v), uc_strerror(ue));
}

static void run_one(struct pv_machine *m, struct vcpu *v)
{
	struct pv_err *e = NULL;
	uint64_t t0, slice = 0;
	uc_err ue;

	if (m->protected_mode && hv_sie_entry(v, &e)) {
		mach_fatal(m, "%s", e ? e->msg : "secure CPU entry refused");
		pv_err_free(e);
		return;
	}
	if (others_active(m, v))
		slice = mach_now_ns() + SLICE_NS;
	if (slice || atomic_load(&m->ev.slice_end)) {
		atomic_store(&m->ev.slice_end, slice);
		events_wake(m);
	}
	if (m->crash) {
		m->crash->cpu = v->id;
		m->crash->psw_mask = vcpu_pswm(v);
		m->crash->psw_addr = vcpu_pc(v);
		m->crash->have_psw = 1;
	}
	v->leaving = false;
	__atomic_store_n(&m->cur, v, __ATOMIC_RELEASE);
	interpose_enter(v);
	t0 = mach_now_ns();
	ue = uc_emu_start(v->uc, vcpu_pc(v), 1, 0, 0);
	m->guest_ns += mach_now_ns() - t0;
	interpose_leave(v);
	__atomic_store_n(&m->cur, NULL, __ATOMIC_RELEASE);
	v->leaving = false;
	if (ue != UC_ERR_OK && m->exit.reason == EXIT_NONE)
		fatal_uc(m, v, ue);
	if (v->irq & (IRQ_STOP | IRQ_STOP_STORE))
		sigp_stop_done(v);
}

static void finish(struct pv_machine *m, struct pv_run_result *res,
		   enum pv_run_end end, struct vcpu *shown, uint64_t t0)
{
	struct pv_uv_stats us;
	uint64_t first;

	sclp_flush(m);
	res->end = end;
	res->psw_mask = shown ? vcpu_pswm(shown) : m->exit.mask;
	res->psw_addr = shown ? vcpu_pc(shown) : m->exit.addr;
	if (end == PV_RUN_DISABLED_WAIT)
		res->wait_code = res->psw_addr;
	res->protected_mode = m->protected_mode;
	res->seconds = (double)(mach_now_ns() - t0) / 1e9;
	res->guest_seconds = (double)m->guest_ns / 1e9;
	res->uv_seconds = (double)m->uv_ns / 1e9;
	res->cpus = m->ncpus;
	pv_uv_get_stats(m->uv, &us);
	m->st.uv_calls = us.calls;
	m->st.pages_unpacked = us.pages_unpacked;
	m->st.pages_imported = us.pages_imported;
	m->st.pages_destroyed = us.pages_destroyed;
	res->stats = m->st;
	first = m->nd308 > PV_RUN_MAX_D308 ? m->nd308 - PV_RUN_MAX_D308 : 0;
	for (uint64_t i = first; i < m->nd308; i++)
		res->d308[res->nd308++] = m->d308[i % PV_RUN_MAX_D308];
	if (end == PV_RUN_ERROR) {
		snprintf(res->detail, sizeof(res->detail), "%s",
			 m->exit.msg[0] ? m->exit.msg : "host error");
	} else if (end == PV_RUN_USER_QUIT) {
		snprintf(res->detail, sizeof(res->detail),
			 "stopped from the console (escape, x) at PSW %016llx %016llx",
			 (unsigned long long)res->psw_mask,
			 (unsigned long long)res->psw_addr);
	} else if (end == PV_RUN_TIMEOUT) {
		snprintf(res->detail, sizeof(res->detail),
			 "timeout after %.1f s at PSW %016llx %016llx",
			 m->timeout, (unsigned long long)res->psw_mask,
			 (unsigned long long)res->psw_addr);
	} else {
		snprintf(res->detail, sizeof(res->detail),
			 "%s at PSW %016llx %016llx",
			 end == PV_RUN_DISABLED_WAIT ? "disabled wait" :
						       "SIGP stop",
			 (unsigned long long)res->psw_mask,
			 (unsigned long long)res->psw_addr);
	}
}

/* Why the run ended, once no CPU can run. */
static enum pv_run_end ended(struct pv_machine *m, struct vcpu **shown)
{
	*shown = NULL;
	for (unsigned int i = 0; i < m->ncpus; i++) {
		struct vcpu *v = m->cpus[i];
		uint64_t mask;

		if (v->state != VCPU_OPERATING || !dead_wait(v))
			continue;
		*shown = v;
		mask = vcpu_pswm(v);
		if (!(mask & (PSW_IO | PSW_EXT | PSW_MCHK)))
			return PV_RUN_DISABLED_WAIT;
		mach_fatal(m, "enabled wait PSW %016llx %016llx on CPU %u with no interruption that could end it (its masks enable no source that can still fire)",
			   (unsigned long long)mask,
			   (unsigned long long)vcpu_pc(v), v->id);
		return PV_RUN_ERROR;
	}
	*shown = m->last_stopped ? m->last_stopped : m->cpus[0];
	return PV_RUN_SIGP_STOP;
}

int pv_machine_run(struct pv_machine *m, struct pv_run_result *res,
		   struct pv_err **err)
{
	uint64_t t0 = mach_now_ns();
	struct vcpu *v, *shown = NULL;
	struct pv_err *e = NULL;
	enum pv_run_end end;
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
	if (!rc)
		rc = events_start(m, err);
	if (rc) {
		events_stop(m);
		return rc;
	}
	for (;;) {
		if (m->exit.reason == EXIT_FATAL)
			break;
		if (atomic_load(&m->ev.user_quit)) {
			m->exit.reason = EXIT_USER_QUIT;
			break;
		}
		if (atomic_load(&m->ev.timed_out)) {
			if (m->interrupted && m->interrupted()) {
				v = mach_cpu(m);
				mach_fatal(m, "interrupted at PSW %016llx %016llx",
					   (unsigned long long)vcpu_pswm(v),
					   (unsigned long long)vcpu_pc(v));
				break;
			}
			m->exit.reason = EXIT_TIMEOUT;
			break;
		}
		if (m->exit.reason == EXIT_RESET) {
			m->exit.reason = EXIT_NONE;
			rc = machine_reset(m, m->reset.type, &e);
			if (rc) {
				mach_fatal(m, "%s", e ? e->msg : "reset failed");
				pv_err_free(e);
				e = NULL;
				break;
			}
			continue;
		}
		if (atomic_load(&m->ev.input_ready))
			sclp_input(m);
		v = pick(m);
		if (v) {
			run_one(m, v);
			continue;
		}
		if (m->exit.reason != EXIT_NONE)
			continue;
		if (!any_enabled_wait(m))
			break;
		events_idle(m, 100000000ULL);
	}
	if (m->exit.reason == EXIT_FATAL) {
		end = PV_RUN_ERROR;
	} else if (m->exit.reason == EXIT_TIMEOUT) {
		end = PV_RUN_TIMEOUT;
		shown = mach_cpu(m);
	} else if (m->exit.reason == EXIT_USER_QUIT) {
		end = PV_RUN_USER_QUIT;
		shown = mach_cpu(m);
	} else {
		end = ended(m, &shown);
	}
	events_stop(m);
	finish(m, res, end, shown, t0);
	m->res = NULL;
	if (m->transcript_errno)
		return pv_err_set(err, PV_ERR_IO,
				  "cannot write the transcript '%s': %s",
				  m->transcript_path ? m->transcript_path : "?",
				  strerror(m->transcript_errno));
	return 0;
}
