// SPDX-License-Identifier: MIT
/*
 * The emulator's sandbox (issue 14 §1; QEMU's `-sandbox on` is the model):
 * once the machine is built and its image and disks are open, the process
 * that runs guest code may only compute, use the files it already holds,
 * map memory without execute rights, wait, and run threads.  A seccomp
 * filter (libseccomp) allows those system calls and refuses every other:
 * opening files, sockets, exec and process creation are answered EPERM,
 * and the few that would let a compromised emulator act on other
 * processes (ptrace, process_vm_*, kill of another process) end it.
 *
 * The crash watch records where the guest was when the emulator dies of a
 * signal (a translator bug, say) in memory its parent reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pvboot/machine.h"

#include "machine_priv.h"
#include "cpu/interpose.h"

/* System calls the emulator needs once it runs. */
static const int allowed[] = {
	/* the files, pipes and sockets it already has */
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(pread64),
	SCMP_SYS(pwrite64), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(preadv), SCMP_SYS(pwritev), SCMP_SYS(lseek),
	SCMP_SYS(fsync), SCMP_SYS(fdatasync), SCMP_SYS(close),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(statx),
	SCMP_SYS(fcntl), SCMP_SYS(dup), SCMP_SYS(ftruncate),
	SCMP_SYS(fallocate),
	SCMP_SYS(sendmsg), SCMP_SYS(recvmsg), SCMP_SYS(sendto),
	SCMP_SYS(recvfrom), SCMP_SYS(shutdown),
	/* waiting and time */
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(select),
	SCMP_SYS(pselect6), SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres),
	SCMP_SYS(gettimeofday), SCMP_SYS(futex), SCMP_SYS(sched_yield),
	SCMP_SYS(eventfd2), SCMP_SYS(getrandom),
	/* memory (execute rights are filtered below) */
	SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(madvise),
	/* threads, signals, the end */
	SCMP_SYS(set_robust_list), SCMP_SYS(rseq), SCMP_SYS(gettid),
	SCMP_SYS(getpid), SCMP_SYS(sched_getaffinity),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(restart_syscall),
};

/* Acting on other processes or the kernel: the emulator ends. */
static const int fatal[] = {
	SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv),
	SCMP_SYS(process_vm_writev), SCMP_SYS(execve), SCMP_SYS(execveat),
	SCMP_SYS(kexec_load), SCMP_SYS(init_module),
	SCMP_SYS(finit_module), SCMP_SYS(bpf), SCMP_SYS(perf_event_open),
};

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
		      CLONE_THREAD | CLONE_SYSVSEM)

static int rules(scmp_filter_ctx c)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < sizeof(allowed) / sizeof(allowed[0]);
	     i++)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, allowed[i], 0);
	for (size_t i = 0; !rc && i < sizeof(fatal) / sizeof(fatal[0]); i++)
		rc = seccomp_rule_add(c, SCMP_ACT_KILL_PROCESS, fatal[i], 0);
	/* mmap and mprotect without PROT_EXEC: no new code after setup */
	if (!rc)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC,
					      0));
	if (!rc)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC,
					      0));
	/* threads (clone with the flags of pthread_create), not processes */
	if (!rc)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, THREAD_FLAGS,
					      THREAD_FLAGS));
	/* glibc tries clone3 first; ENOSYS makes it fall back to clone */
	if (!rc)
		rc = seccomp_rule_add(c, SCMP_ACT_ERRNO(ENOSYS),
				      SCMP_SYS(clone3), 0);
	/* signals only to itself (abort, raise) */
	if (!rc)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				      SCMP_A0(SCMP_CMP_EQ,
					      (scmp_datum_t)getpid()));
	if (!rc)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
				      SCMP_A0(SCMP_CMP_EQ,
					      (scmp_datum_t)getpid()));
	/* terminal queries of stdio (isatty) */
	if (!rc)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				      SCMP_A1(SCMP_CMP_EQ, TCGETS));
	return rc;
}

int pv_machine_sandbox(struct pv_err **err)
{
	scmp_filter_ctx c;
	int rc;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return pv_err_set(err, PV_ERR_IO,
				  "sandbox: no_new_privs refused: %s",
				  strerror(errno));
	c = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!c)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "sandbox: cannot make a seccomp filter");
	rc = rules(c);
	/* every thread of the process, also those already running */
	if (!rc)
		rc = seccomp_attr_set(c, SCMP_FLTATR_CTL_TSYNC, 1);
	if (!rc)
		rc = seccomp_load(c);
	seccomp_release(c);
	if (rc)
		return pv_err_set(err, PV_ERR_IO,
				  "sandbox: the kernel refused the seccomp filter: %s",
				  strerror(-rc));
	return 0;
}

/* ---- where the guest was when the emulator died --------------------------- */

static struct pv_machine_crash *crash_rec;

static void crash_handler(int sig)
{
	struct vcpu *v = ip_cur;
	struct pv_machine_crash *c = crash_rec;

	if (c) {
		c->signal = sig;
		if (v && v->env) {
			c->cpu = v->id;
			c->psw_mask = env_get64(v->env, ENV_PSW_MASK);
			c->psw_addr = env_get64(v->env, ENV_PSW_ADDR);
			c->have_psw = 1;
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void pv_machine_watch_crash(struct pv_machine *m, struct pv_machine_crash *c)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
				    SIGSYS };
	static uint8_t altstack[64 * 1024];
	stack_t st = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;

	crash_rec = c;
	m->crash = c;
	sigaltstack(&st, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}
