// SPDX-License-Identifier: MIT
/*
 * The events thread: the machine's only other thread.  It sleeps until
 * the earliest of the CPUs' clock-comparator and CPU-timer deadlines, the
 * end of the running CPU's time slice, the run's timeout, or console
 * input, and then kicks a CPU (vcpu_kick: an atomic flag and Unicorn's
 * cpu_exit, the same thing uc_emu_stop does), or wakes the run loop when
 * every CPU waits.  It never touches guest memory or CPU state
 * (linux-guest-feasibility.md §4: a host timer thread delivers timer
 * interruptions at no measurable cost).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../machine_priv.h"

#define POLL_INTERRUPTED_NS 50000000ULL	/* check ^C every 50 ms */

static void fd_signal(int fd)
{
	uint64_t one = 1;
	ssize_t n;

	do {
		n = write(fd, &one, sizeof(one));
	} while (n < 0 && errno == EINTR);
}

static void fd_drain(int fd)
{
	uint64_t v;
	ssize_t n;

	do {
		n = read(fd, &v, sizeof(v));
	} while (n < 0 && errno == EINTR);
}

void events_wake(struct pv_machine *m)
{
	if (m->ev.started)
		fd_signal(m->ev.wake_fd);
}

void events_poke_idle(struct pv_machine *m)
{
	fd_signal(m->ev.idle_fd);
}

/* The run loop: every CPU waits; sleep until something happens. */
void events_idle(struct pv_machine *m, uint64_t max_ns)
{
	struct pollfd p = { .fd = m->ev.idle_fd, .events = POLLIN };
	int ms = max_ns / 1000000ULL > 1000 ? 1000 : (int)(max_ns / 1000000ULL);

	if (poll(&p, 1, ms ? ms : 1) > 0)
		fd_drain(m->ev.idle_fd);
}

size_t events_take_input(struct pv_machine *m, uint8_t *buf, size_t len)
{
	size_t n;

	pthread_mutex_lock(&m->ev.in_mu);
	n = m->ev.inlen < len ? m->ev.inlen : len;
	memcpy(buf, m->ev.inbuf, n);
	memmove(m->ev.inbuf, m->ev.inbuf + n, m->ev.inlen - n);
	m->ev.inlen -= n;
	atomic_store(&m->ev.input_ready, m->ev.inlen != 0);
	pthread_mutex_unlock(&m->ev.in_mu);
	if (n)
		events_wake(m);		/* room again: read more */
	return n;
}

static void kick_all(struct pv_machine *m, unsigned int why)
{
	for (unsigned int i = 0; i < m->ncpus; i++)
		vcpu_kick(m->cpus[i], why);
	events_poke_idle(m);
}

/* Timers of one CPU: kick it once per deadline reached. */
static uint64_t cpu_timers(struct pv_machine *m, struct vcpu *v,
			   uint64_t now, uint64_t next)
{
	uint64_t dl;
	int64_t at;

	if (!atomic_load(&v->ckc_fired)) {
		dl = tod_to_mono(m, atomic_load(&v->ckc));
		if (dl <= now) {
			atomic_store(&v->ckc_fired, true);
			vcpu_kick(v, KICK_IRQ);
			events_poke_idle(m);
		} else if (dl < next) {
			next = dl;
		}
	}
	if (!atomic_load(&v->cputm_fired)) {
		at = atomic_load(&v->cputm_at);
		if (at < 0 || (uint64_t)at < now) {
			atomic_store(&v->cputm_fired, true);
			vcpu_kick(v, KICK_IRQ);
			events_poke_idle(m);
		} else if ((uint64_t)at < next) {
			next = (uint64_t)at;
		}
	}
	return next;
}

/*
 * The console escape (QEMU's Ctrl-a x): escape + 'x' ends the run,
 * escape twice passes one escape on, escape + anything else passes both.
 * Returns the number of bytes left in @b.
 */
static size_t unescape(struct pv_machine *m, uint8_t *b, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];

		if (m->ev.escaped) {
			m->ev.escaped = false;
			if (c == 'x' || c == 'X') {
				atomic_store(&m->ev.user_quit, true);
				return k;
			}
			if (c != m->ev.escape)
				b[k++] = m->ev.escape;
			b[k++] = c;
		} else if (m->ev.escape && c == m->ev.escape) {
			m->ev.escaped = true;
		} else {
			b[k++] = c;
		}
	}
	return k;
}

static void read_input(struct pv_machine *m)
{
	uint8_t buf[sizeof(m->ev.inbuf)];
	size_t room, k = 0;
	ssize_t n;

	pthread_mutex_lock(&m->ev.in_mu);
	/* An escape held back may add a byte: leave room for it. */
	room = sizeof(m->ev.inbuf) - m->ev.inlen - 1;
	n = room ? read(m->ev.in_fd, buf, room) : -1;
	if (!room)
		errno = EAGAIN;	/* full: the guest reads first */
	if (n > 0) {
		k = unescape(m, buf, (size_t)n);
		memcpy(m->ev.inbuf + m->ev.inlen, buf, k);
		m->ev.inlen += k;
		if (k)
			atomic_store(&m->ev.input_ready, true);
	}
	pthread_mutex_unlock(&m->ev.in_mu);
	if (atomic_load(&m->ev.user_quit)) {
		kick_all(m, KICK_LEAVE);
		return;
	}
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
		atomic_store(&m->ev.input_eof, true);
	if (k) {
		struct vcpu *c = __atomic_load_n(&m->cur, __ATOMIC_RELAXED);

		vcpu_kick(c ? c : m->cpus[0], KICK_IRQ);
		events_poke_idle(m);
	}
}

static void *events_main(void *arg)
{
	struct pv_machine *m = arg;

	while (!atomic_load(&m->ev.quit)) {
		uint64_t now = mach_now_ns(), next = now + POLL_INTERRUPTED_NS;
		uint64_t slice = atomic_load(&m->ev.slice_end);
		struct pollfd p[2];
		int np = 1, ms;

		for (unsigned int i = 0; i < m->ncpus; i++)
			next = cpu_timers(m, m->cpus[i], now, next);
		if (slice && slice <= now) {
			struct vcpu *c = __atomic_load_n(&m->cur,
							 __ATOMIC_RELAXED);

			atomic_store(&m->ev.slice_end, 0);
			if (c)
				vcpu_kick(c, KICK_LEAVE);
		} else if (slice && slice < next) {
			next = slice;
		}
		if (m->deadline_ns && now >= m->deadline_ns &&
		    !atomic_load(&m->ev.timed_out)) {
			atomic_store(&m->ev.timed_out, true);
			kick_all(m, KICK_LEAVE);
		} else if (m->deadline_ns && m->deadline_ns < next) {
			next = m->deadline_ns;
		}
		if (m->interrupted && m->interrupted() &&
		    !atomic_load(&m->ev.timed_out)) {
			atomic_store(&m->ev.timed_out, true);
			kick_all(m, KICK_LEAVE);
		}
		p[0].fd = m->ev.wake_fd;
		p[0].events = POLLIN;
		if (m->ev.in_fd >= 0 && !atomic_load(&m->ev.input_eof) &&
		    m->ev.inlen + 1 < sizeof(m->ev.inbuf)) {
			p[1].fd = m->ev.in_fd;
			p[1].events = POLLIN;
			np = 2;
		}
		now = mach_now_ns();
		ms = next <= now ? 0 : (int)((next - now + 999999) / 1000000);
		if (poll(p, (nfds_t)np, ms) <= 0)
			continue;
		if (p[0].revents)
			fd_drain(m->ev.wake_fd);
		if (np == 2 && p[1].revents & (POLLIN | POLLHUP | POLLERR))
			read_input(m);
		if (atomic_load(&m->ev.user_quit))
			break;
	}
	return NULL;
}

int events_start(struct pv_machine *m, struct pv_err **err)
{
	m->ev.in_fd = m->con_in;
	m->ev.escape = m->escape;
	m->ev.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	m->ev.idle_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->ev.wake_fd < 0 || m->ev.idle_fd < 0)
		return pv_err_set(err, PV_ERR_IO,
				  "machine: cannot make an eventfd: %s",
				  strerror(errno));
	pthread_mutex_init(&m->ev.in_mu, NULL);
	if (pthread_create(&m->ev.thread, NULL, events_main, m))
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "machine: cannot start the events thread");
	m->ev.started = true;
	return 0;
}

void events_stop(struct pv_machine *m)
{
	if (m->ev.started) {
		atomic_store(&m->ev.quit, true);
		fd_signal(m->ev.wake_fd);
		pthread_join(m->ev.thread, NULL);
		pthread_mutex_destroy(&m->ev.in_mu);
		m->ev.started = false;
	}
	if (m->ev.wake_fd > 0)
		close(m->ev.wake_fd);
	if (m->ev.idle_fd > 0)
		close(m->ev.idle_fd);
	m->ev.wake_fd = m->ev.idle_fd = -1;
}
