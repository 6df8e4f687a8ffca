// SPDX-License-Identifier: MIT
/*
 * Tamper campaign, part 3: run the flips in worker processes.  Workers take
 * flip numbers from a shared counter and write outcomes into shared
 * memory.  A worker that dies mid-flip (signal, sanitizer abort, bad exit)
 * marks that flip as crashed; one that stops making progress is killed and
 * its flip marked as hung.  Either way a new worker carries on.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"

#define TP_MAX_JOBS 64

struct tp_shared {
	uint64_t next;			/* next flip to take */
	uint64_t finished;		/* flips with an outcome */
	int64_t cur[TP_MAX_JOBS];	/* flip in progress, -1 idle */
	uint64_t start[TP_MAX_JOBS];	/* when it started (ns) */
};

static uint64_t tp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void tp_store_outcome(struct tp_campaign *c, size_t i,
			     const struct tp_outcome *o)
{
	struct tp_outcome *dst = &c->out[i];

	memcpy(dst, o, sizeof(*o));
	dst->done = 0;
	__atomic_store_n(&dst->done, 1, __ATOMIC_RELEASE);
}

static void tp_flip_one(struct tp_campaign *c, uint8_t *buf, size_t i)
{
	const struct tp_flip *p = &c->flips[i];
	uint8_t mask = (uint8_t)(0x80 >> p->bit), console[32];
	struct tp_outcome o;
	struct pv_err *e = NULL;
	enum pv_run_end end = PV_RUN_ERROR;

	buf[p->off] ^= mask;
	if (tp_boot(c, buf, &o, &end, console, &e)) {
		memset(&o, 0, sizeof(o));
		o.cls = TP_HOST_ERROR;
		snprintf(o.detail, sizeof(o.detail), "%.90s", e ? e->msg : "?");
		pv_err_free(e);
	} else {
		tp_judge_boot(c, &o, end, console);
	}
	buf[p->off] ^= mask;
	o.done = 1;
	tp_store_outcome(c, i, &o);
}

static void __attribute__((noreturn))
tp_worker(struct tp_campaign *c, struct tp_shared *sh, unsigned int w)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	uint8_t *buf;
	uint64_t i;

	/* a test framework's handlers must not catch a worker's crash */
	for (size_t s = 0; s < sizeof(sigs) / sizeof(sigs[0]); s++)
		signal(sigs[s], SIG_DFL);
	buf = malloc(c->image_len);
	if (!buf)
		_exit(3);
	memcpy(buf, c->image, c->image_len);
	for (;;) {
		i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_SEQ_CST);
		if (i >= c->nflips)
			break;
		__atomic_store_n(&sh->start[w], tp_now_ns(), __ATOMIC_RELEASE);
		__atomic_store_n(&sh->cur[w], (int64_t)i, __ATOMIC_RELEASE);
		if (c->o.crash_at >= 0 && i == (uint64_t)c->o.crash_at)
			abort();	/* test hook: prove crashes are seen */
		tp_flip_one(c, buf, i);
		__atomic_store_n(&sh->cur[w], -1, __ATOMIC_RELEASE);
		__atomic_fetch_add(&sh->finished, 1, __ATOMIC_SEQ_CST);
	}
	free(buf);
	/* _exit: none of the parent's atexit handlers (leak checks...) */
	_exit(0);
}

static pid_t tp_spawn(struct tp_campaign *c, struct tp_shared *sh,
		      unsigned int w)
{
	pid_t pid;

	sh->cur[w] = -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		tp_worker(c, sh, w);
	return pid;
}

/* A worker ended: give its unfinished flip an outcome. */
static void tp_reap(struct tp_campaign *c, struct tp_shared *sh,
		    unsigned int w, int status, bool killed)
{
	int64_t i = __atomic_load_n(&sh->cur[w], __ATOMIC_ACQUIRE);
	struct tp_outcome o = { .done = 1 };

	if (i < 0 || (size_t)i >= c->nflips || c->out[i].done)
		return;
	if (killed) {
		o.cls = TP_HUNG;
		snprintf(o.detail, sizeof(o.detail),
			 "no result after %.0f s; worker killed",
			 2 * c->o.timeout + 30);
	} else {
		o.cls = TP_CRASHED;
		o.sig = WIFSIGNALED(status) ? WTERMSIG(status) :
					      1000 + WEXITSTATUS(status);
	}
	tp_store_outcome(c, (size_t)i, &o);
	__atomic_fetch_add(&sh->finished, 1, __ATOMIC_SEQ_CST);
}

static void tp_progress(const struct tp_campaign *c,
			const struct tp_shared *sh, uint64_t t0, bool last)
{
	uint64_t done = __atomic_load_n(&sh->finished, __ATOMIC_ACQUIRE);
	double s = (tp_now_ns() - t0) / 1e9;

	fprintf(stderr, "\rtamper: %llu/%zu flips, %.0f s%s",
		(unsigned long long)done, c->nflips, s, last ? "\n" : "");
}

int tp_run(struct tp_campaign *c, struct pv_err **err)
{
	unsigned int jobs = c->o.jobs > TP_MAX_JOBS ? TP_MAX_JOBS : c->o.jobs;
	uint64_t limit = (uint64_t)((2 * c->o.timeout + 30) * 1e9);
	uint64_t t0 = tp_now_ns(), last = t0;
	pid_t pids[TP_MAX_JOBS];
	bool killed[TP_MAX_JOBS] = { false };
	unsigned int live = 0;
	struct tp_shared *sh;

	if (jobs > c->nflips)
		jobs = (unsigned int)c->nflips;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return pv_err_set(err, PV_ERR_NOMEM, "cannot map shared state");
	memset(sh, 0, sizeof(*sh));
	for (unsigned int w = 0; w < jobs; w++) {
		pids[w] = tp_spawn(c, sh, w);
		if (pids[w] < 0) {
			for (unsigned int k = 0; k < w; k++)
				kill(pids[k], SIGKILL);
			while (wait(NULL) > 0 || errno == EINTR)
				;
			munmap(sh, sizeof(*sh));
			return pv_err_set(err, PV_ERR_IO, "fork: %s",
					  strerror(errno));
		}
		live++;
	}
	while (live) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		uint64_t now = tp_now_ns();

		if (pid > 0) {
			unsigned int w = 0;

			while (w < jobs && pids[w] != pid)
				w++;
			if (w == jobs)
				continue;
			live--;
			pids[w] = -1;
			tp_reap(c, sh, w, status, killed[w]);
			killed[w] = false;
			if (!(WIFEXITED(status) && !WEXITSTATUS(status)) &&
			    __atomic_load_n(&sh->next, __ATOMIC_SEQ_CST) <
				    c->nflips) {
				pids[w] = tp_spawn(c, sh, w);
				if (pids[w] > 0)
					live++;
			}
			continue;
		}
		for (unsigned int w = 0; w < jobs; w++) {
			int64_t i = __atomic_load_n(&sh->cur[w],
						    __ATOMIC_ACQUIRE);
			uint64_t st = __atomic_load_n(&sh->start[w],
						      __ATOMIC_ACQUIRE);

			if (pids[w] > 0 && i >= 0 && !killed[w] &&
			    now > st && now - st > limit) {
				killed[w] = true;
				kill(pids[w], SIGKILL);
			}
		}
		if (c->o.progress && now - last > 1000000000ULL) {
			tp_progress(c, sh, t0, false);
			last = now;
		}
		usleep(5000);
	}
	if (c->o.progress)
		tp_progress(c, sh, t0, true);
	c->seconds = (tp_now_ns() - t0) / 1e9;
	munmap(sh, sizeof(*sh));
	for (size_t i = 0; i < c->nflips; i++) {
		if (!c->out[i].done)
			return pv_err_set(err, PV_ERR_INTERNAL,
					  "flip %zu got no outcome (workers could not be started)",
					  i);
	}
	return 0;
}
