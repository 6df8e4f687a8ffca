// SPDX-License-Identifier: MIT
/*
 * `pvboot run` in two processes (issue 14 §1).  The fork happens before
 * any key file is read, so the child never holds a key: it builds the
 * machine with a proxy UV (opts.uv_remote), opens the image and disks,
 * confines itself with seccomp and runs the guest.  The parent loads the
 * host keys into the real UV and serves the child's UV calls over a
 * socket until the child closes it; then it reads the child's report
 * from a pipe.  A child that dies of a signal, or ends without a report,
 * is "the CPU emulator failed" with the PSW the crash watch recorded in
 * shared memory.  SIGINT, SIGTERM and SIGHUP to the parent reach the
 * child, which ends its run the usual way.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_split.h"
#include "util.h"

/* What the child sends back through the pipe. */
struct report {
	int rc;
	int err_code;
	char err[1024];
	struct pv_run_result res;
};

static volatile pid_t child_pid;

static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static int read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void __attribute__((noreturn))
child_main(const struct run_split *s, struct pv_machine_opts *o, int sock,
	   int out, struct pv_machine_crash *crash)
{
	size_t n = sizeof(struct report) + s->extra_len;
	struct report *r = calloc(1, n);
	struct pv_err *err = NULL;

	/* the child goes when the parent goes */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	if (!r)
		_exit(1);
	o->uv_remote = true;
	o->uv_socket = sock;
	o->host_keys = NULL;
	o->nhost_keys = 0;
	r->rc = s->child(s->ctx, o, crash, &r->res, r + 1, &err);
	if (r->rc && err) {
		r->err_code = err->code;
		snprintf(r->err, sizeof(r->err), "%s", err->msg);
	}
	pv_err_free(err);
	fflush(NULL);
	_exit(util_write_all(out, r, n) ? 1 : 0);
}

static const char *sig_name(int sig)
{
	const char *d = strsignal(sig);

	return d ? d : "signal";
}

int run_split(const struct run_split *s, struct pv_machine_opts *o,
	      struct pv_run_result *res, void *extra, struct pv_err **err)
{
	struct sigaction fw = { .sa_handler = forward }, old[3];
	static const int fwd[3] = { SIGINT, SIGTERM, SIGHUP };
	size_t n = sizeof(struct report) + s->extra_len;
	struct pv_machine_crash *crash;
	struct report *r = NULL;
	struct pv_uv *uv = NULL;
	int sv[2], pp[2], st = 0, rc;
	bool got = false;
	pid_t pid;

	crash = mmap(NULL, sizeof(*crash), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (crash == MAP_FAILED)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "cannot share memory with the emulator");
	memset(crash, 0, sizeof(*crash));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		munmap(crash, sizeof(*crash));
		return pv_err_set(err, PV_ERR_IO, "socketpair: %s",
				  strerror(errno));
	}
	if (pipe2(pp, O_CLOEXEC)) {
		close(sv[0]);
		close(sv[1]);
		munmap(crash, sizeof(*crash));
		return pv_err_set(err, PV_ERR_IO, "pipe: %s", strerror(errno));
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		close(pp[0]);
		child_main(s, o, sv[1], pp[1], crash);
	}
	close(sv[1]);
	close(pp[1]);
	if (pid < 0) {
		rc = pv_err_set(err, PV_ERR_IO, "fork: %s", strerror(errno));
		goto out;
	}
	child_pid = pid;
	sigemptyset(&fw.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(fwd[i], &fw, &old[i]);

	/* Only now, and only here, the keys. */
	rc = pv_uv_new(&uv, err);
	if (!rc)
		rc = s->keys(s->ctx, uv, err);
	if (rc) {
		kill(pid, SIGKILL);
		goto reap;
	}
	rc = pv_machine_uv_serve(uv, sv[0], err);
	if (rc)
		kill(pid, SIGKILL);
	r = calloc(1, n);
	if (!rc && r && !read_all(pp[0], r, n))
		got = true;
reap:
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	child_pid = 0;
	for (int i = 0; i < 3; i++)
		sigaction(fwd[i], &old[i], NULL);
	if (rc)
		goto out;
	if (!got || !WIFEXITED(st) || WEXITSTATUS(st)) {
		char where[160] = "before the guest ran";

		if (crash->have_psw)
			snprintf(where, sizeof(where),
				 "at PSW %016llx %016llx on CPU %u",
				 (unsigned long long)crash->psw_mask,
				 (unsigned long long)crash->psw_addr,
				 crash->cpu);
		if (WIFSIGNALED(st))
			rc = pv_err_set(err, PV_ERR_INTERNAL,
					"the CPU emulator failed %s: %s (signal %d); the run is lost",
					where, sig_name(WTERMSIG(st)),
					WTERMSIG(st));
		else
			rc = pv_err_set(err, PV_ERR_INTERNAL,
					"the CPU emulator failed %s: it ended without a result (exit status %d)",
					where, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		goto out;
	}
	if (r->rc) {
		rc = pv_err_set(err, r->err_code ? r->err_code : PV_ERR_INTERNAL,
				"%s", r->err);
		goto out;
	}
	*res = r->res;
	memcpy(extra, r + 1, s->extra_len);
out:
	pv_uv_free(uv);		/* the keys are zeroized with it */
	free(r);
	close(sv[0]);
	close(pp[0]);
	munmap(crash, sizeof(*crash));
	return rc;
}
