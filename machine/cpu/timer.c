// SPDX-License-Identifier: MIT
/*
 * TOD clock, clock comparator and CPU timer (linux-guest-feasibility.md
 * §4).  The TOD clock runs with the host's monotonic clock from the
 * host's wall-clock time at machine start (bit 51 = 1 microsecond, so one
 * TOD unit is 125/512 ns); SET CLOCK moves it for every CPU.  The clock
 * comparator is kept in TOD units, the CPU timer as the host time at which
 * its value crosses zero; both are conditions the interruption logic
 * (irq.c) tests, and the events thread (events.c) kicks the CPU when one
 * comes true.
 */
#include <time.h>

#include "../machine_priv.h"

/* Seconds from 1900-01-01 (TOD epoch) to 1970-01-01. */
#define TOD_UNIX_EPOCH 2208988800ULL

void tod_init(struct pv_machine *m)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	m->mono_base = mach_now_ns();
	m->tod_base = (((uint64_t)ts.tv_sec + TOD_UNIX_EPOCH) * 1000000ULL +
		       (uint64_t)ts.tv_nsec / 1000) << 12;
	m->tod_last = 0;
}

static uint64_t ns_to_tod(uint64_t ns)
{
	return (ns / 125) * 512 + (ns % 125) * 512 / 125;
}

static uint64_t tod_to_ns(uint64_t tod)
{
	return (tod / 512) * 125 + (tod % 512) * 125 / 512;
}

static uint64_t tod_raw(const struct pv_machine *m)
{
	return m->tod_base + ns_to_tod(mach_now_ns() - m->mono_base);
}

/* STORE CLOCK: every value is unique and larger than the last. */
uint64_t tod_now(struct pv_machine *m)
{
	uint64_t tod = tod_raw(m);

	if (tod <= m->tod_last)
		tod = m->tod_last + 1;
	m->tod_last = tod;
	return tod;
}

/* The host monotonic time (ns) at which the TOD clock passes @tod. */
uint64_t tod_to_mono(const struct pv_machine *m, uint64_t tod)
{
	uint64_t ns;

	if (tod < m->tod_base)
		return m->mono_base;
	ns = tod_to_ns(tod - m->tod_base);
	if (ns > UINT64_MAX - m->mono_base - 1)
		return UINT64_MAX;
	return m->mono_base + ns + 1;
}

/* Clock-comparator condition: TOD clock greater than the comparator. */
bool ckc_pending(struct vcpu *v)
{
	return tod_raw(v->m) > atomic_load(&v->ckc);
}

/* CPU-timer condition: its value is negative. */
bool cputm_pending(struct vcpu *v)
{
	if (v->cputm_frozen)
		return (int64_t)v->cputm_saved < 0;
	return (int64_t)mach_now_ns() > atomic_load(&v->cputm_at);
}

uint64_t cputm_get(struct vcpu *v)
{
	__int128 ns;

	if (v->cputm_frozen)
		return v->cputm_saved;
	ns = (__int128)atomic_load(&v->cputm_at) -
	     (__int128)mach_now_ns();
	return (uint64_t)(int64_t)(ns * 512 / 125);
}

void cputm_set(struct vcpu *v, uint64_t val)
{
	__int128 at = (__int128)mach_now_ns() +
		      (__int128)(int64_t)val * 125 / 512;

	if (v->cputm_frozen) {
		v->cputm_saved = val;
		atomic_store(&v->cputm_fired, false);
		return;
	}
	if (at > INT64_MAX)
		at = INT64_MAX;
	if (at < INT64_MIN)
		at = INT64_MIN;
	atomic_store(&v->cputm_at, (int64_t)at);
	atomic_store(&v->cputm_fired, false);
}

/*
 * The CPU timer counts only while its CPU is operating (running or in a
 * wait), as KVM accounts it: a stopped CPU keeps its value.
 */
void vcpu_set_state(struct vcpu *v, enum vcpu_state st)
{
	bool stop = st != VCPU_OPERATING;

	if (stop && !v->cputm_frozen) {
		v->cputm_saved = cputm_get(v);
		v->cputm_frozen = true;
	} else if (!stop && v->cputm_frozen) {
		v->cputm_frozen = false;
		cputm_set(v, v->cputm_saved);
	}
	v->state = st;
}
