// SPDX-License-Identifier: MIT
/*
 * The UV in another process (machine/uvlink.c) and the emulator's sandbox
 * (machine/sandbox.c): a child runs the machine with opts.uv_remote while
 * the parent serves the real UV, which alone holds the host key; the same
 * SE images boot (and a tampered one is refused) as in one process.  The
 * sandboxed child cannot open a file, make a socket, map executable
 * memory or exec, and a crash of the child is seen by the parent with the
 * PSW the guest was at.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "pvboot/boot_abi.h"
#include "pvboot/boot_blobs.h"
#include "pvboot/machine.h"
#include "pvboot/uv.h"
#include "lib/machtest.h"
#include "../../machine/machine_priv.h"

#define MEM (64ULL << 20)

static struct mt_key key;

static int setup(void **state)
{
	(void)state;
	return mt_key_new(&key);
}

static int teardown(void **state)
{
	(void)state;
	mt_key_free(&key);
	return 0;
}

/* What the child reports through a pipe. */
struct report {
	int rc;
	struct pv_run_result res;
	char err[800];
};

/*
 * Boot @img in a child with the UV in this process.  @sandbox confines
 * the child before the run; @crash_after_ms > 0 makes the test kill the
 * child with SIGSEGV after that long.  Returns the child's wait status.
 */
static int boot_split(const struct mt_image *img, bool sandbox,
		      int crash_after_ms, struct report *rep,
		      struct pv_machine_crash *crash)
{
	int sv[2], pp[2], status = 0;
	struct pv_uv *uv = NULL;
	struct pv_err *err = NULL;
	pid_t pid;

	memset(rep, 0, sizeof(*rep));
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				    sv), 0);
	assert_int_equal(pipe(pp), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pv_machine_opts o = { 0 };
		struct pv_machine *m = NULL;
		struct report r = { 0 };
		FILE *con = fopen("/dev/null", "w");
		int in[2] = { -1, -1 };

		close(sv[0]);
		close(pp[0]);
		o.mem_size = MEM;
		o.console = con;
		o.timeout = 30;
		o.uv_remote = true;
		o.uv_socket = sv[1];
		/* console input that never comes: pvboot.secrets waits */
		if (pipe(in) == 0) {
			o.console_input = true;
			o.input_fd = in[0];
		}
		r.rc = pv_machine_new(&m, &o, &err);
		if (!r.rc)
			r.rc = pv_machine_load_buffer(m, img->buf, img->len,
						      &err);
		if (!r.rc)
			pv_machine_watch_crash(m, crash);
		if (!r.rc && sandbox)
			r.rc = pv_machine_sandbox(&err);
		if (!r.rc)
			r.rc = pv_machine_run(m, &r.res, &err);
		if (err)
			snprintf(r.err, sizeof(r.err), "%s", err->msg);
		if (write(pp[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(3);
		pv_machine_free(m);
		_exit(0);
	}
	close(sv[1]);
	close(pp[1]);
	assert_int_equal(pv_uv_new(&uv, &err), 0);
	assert_int_equal(pv_uv_add_host_key(uv, key.pem, key.pem_len, &err),
			 0);
	if (crash_after_ms > 0) {
		/* a second child kills the machine's process mid-run */
		pid_t k = fork();

		if (k == 0) {
			usleep((useconds_t)crash_after_ms * 1000);
			kill(pid, SIGSEGV);
			_exit(0);
		}
	}
	assert_int_equal(pv_machine_uv_serve(uv, sv[0], &err), 0);
	close(sv[0]);
	if (read(pp[0], rep, sizeof(*rep)) != (ssize_t)sizeof(*rep))
		rep->rc = -9999;
	close(pp[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	pv_uv_free(uv);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return status;
}

static void image(const char *cmdline, struct mt_image *img)
{
	assert_int_equal(mt_build_se(pv_blob_testkernel.data,
				     pv_blob_testkernel.len, NULL, 0, cmdline,
				     key.key, img), 0);
}

static struct pv_machine_crash *shared_crash(void)
{
	void *p = mmap(NULL, sizeof(struct pv_machine_crash),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		       0);

	assert_true(p != MAP_FAILED);
	memset(p, 0, sizeof(struct pv_machine_crash));
	return p;
}

/* The test kernel boots protected with the UV on the other side. */
static void test_split_boot(void **s)
{
	struct pv_machine_crash *c = shared_crash();
	struct mt_image img;
	struct report r;
	int st;

	(void)s;
	image("console=sclp", &img);
	st = boot_split(&img, true, 0, &r, c);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	if (r.rc)
		fprintf(stderr, "child: rc %d %s\n", r.rc, r.err);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.end, PV_RUN_DISABLED_WAIT);
	assert_int_equal(r.res.wait_code, PV_WAIT_TK_OK);
	assert_true(r.res.protected_mode);
	assert_int_equal(r.res.verify_rc, 1);
	assert_true(r.res.stats.pages_unpacked > 0);
	assert_int_equal(c->signal, 0);
	mt_image_free(&img);
	munmap(c, sizeof(*c));
}

/* A flipped kernel byte: the UV on the other side refuses it. */
static void test_split_tampered(void **s)
{
	struct pv_machine_crash *c = shared_crash();
	struct mt_image img;
	struct report r;

	(void)s;
	image("console=sclp", &img);
	img.buf[0x15000 + 100] ^= 0xff;
	assert_true(WIFEXITED(boot_split(&img, true, 0, &r, c)));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.end, PV_RUN_DISABLED_WAIT);
	assert_int_equal(r.res.wait_code, PV_WAIT_EPV);
	assert_int_equal(r.res.verify_rc, 0x0102);
	assert_false(r.res.protected_mode);
	mt_image_free(&img);
	munmap(c, sizeof(*c));
}

/* The emulator dies: the parent sees the signal and where the guest was. */
static void test_split_crash(void **s)
{
	struct pv_machine_crash *c = shared_crash();
	struct mt_image img;
	struct report r;
	int st;

	(void)s;
	/* pvboot.secrets: the test kernel waits for console input */
	image("console=sclp pvboot.secrets", &img);
	st = boot_split(&img, true, 400, &r, c);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSEGV);
	assert_int_equal(c->signal, SIGSEGV);
	assert_int_equal(c->have_psw, 1);
	assert_int_equal(c->cpu, 0);
	assert_true(c->psw_addr != 0);
	mt_image_free(&img);
	munmap(c, sizeof(*c));
}

/* Exit code of a child that tried @what under the sandbox (see below). */
static int sandboxed(int what)
{
	struct pv_err *err = NULL;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;

		if (pv_machine_sandbox(&err))
			_exit(90);
		switch (what) {
		case 0:	/* what the machine needs still works */
			if (write(STDERR_FILENO, "", 0) != 0)
				_exit(91);
			if (mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
			    MAP_FAILED)
				_exit(92);
			_exit(0);
		case 1:
			fd = open("/etc/hostname", O_RDONLY);
			_exit(fd < 0 && errno == EPERM ? 10 : 11);
		case 2:
			fd = socket(AF_INET, SOCK_STREAM, 0);
			_exit(fd < 0 && errno == EPERM ? 20 : 21);
		case 3:
			_exit(mmap(NULL, 4096, PROT_READ | PROT_EXEC,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
					      MAP_FAILED &&
				      errno == EPERM ?
			      30 :
			      31);
		case 4:
			execl("/bin/true", "true", (char *)NULL);
			_exit(41);
		case 5:
			fd = fork() < 0 && errno == EPERM ? 50 : 51;
			_exit(fd);
		default:
			_exit(99);
		}
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return 1000 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * pv_uv_call_many: five queries with an unknown command third; the first
 * two run, the third stops the batch with cc 1 and rc 0x0002, the last
 * two are not run.  The same answers from the UV in this process and from
 * the UV across the link (one UL_CALL_MANY exchange).
 */
#define MANY_N 5
#define MANY_STRIDE 0x200

struct many_out {
	int cc;
	size_t done;
	uint8_t cbs[MANY_N][MANY_STRIDE];
};

static void many_run(struct pv_uv *uv, struct many_out *o)
{
	uint16_t pgm = 0;

	memset(o->cbs, 0, sizeof(o->cbs));
	for (int i = 0; i < MANY_N; i++) {
		pv_put_be16(o->cbs[i], pv_uvcb_size(PV_UVC_QUERY));
		pv_put_be16(o->cbs[i] + 2, i == 2 ? 0x7777 : PV_UVC_QUERY);
	}
	o->cc = pv_uv_call_many(uv, o->cbs, MANY_STRIDE, MANY_N, &o->done,
				&pgm);
}

static void many_check(const struct many_out *o)
{
	assert_int_equal(o->cc, 1);
	assert_int_equal(o->done, 2);
	assert_int_equal(pv_get_be16(o->cbs[0] + PV_UVCB_RC), 1);
	assert_int_equal(pv_get_be16(o->cbs[1] + PV_UVCB_RC), 1);
	assert_int_equal(pv_get_be16(o->cbs[2] + PV_UVCB_RC),
			 PV_UV_RC_INV_CMD);
	assert_int_equal(pv_get_be16(o->cbs[3] + PV_UVCB_RC), 0);
	assert_int_equal(pv_get_be16(o->cbs[4] + PV_UVCB_RC), 0);
}

static void test_call_many(void **s)
{
	struct many_out *o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct pv_err *err = NULL;
	struct pv_uv *uv = NULL;
	int sv[2], status = 0;
	pid_t pid;

	(void)s;
	assert_true(o != MAP_FAILED);
	assert_int_equal(pv_uv_new(&uv, &err), 0);
	many_run(uv, o);
	many_check(o);
	memset(o, 0xee, sizeof(*o));
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				    sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pv_machine_opts mo = { .mem_size = MEM, .input_fd = -1,
					      .uv_remote = true,
					      .uv_socket = sv[1] };
		struct pv_machine *m = NULL;

		close(sv[0]);
		if (pv_machine_new(&m, &mo, &err))
			_exit(2);
		many_run(m->uv, o);
		pv_machine_free(m);
		_exit(0);
	}
	close(sv[1]);
	assert_int_equal(pv_machine_uv_serve(uv, sv[0], &err), 0);
	close(sv[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	many_check(o);
	pv_uv_free(uv);
	munmap(o, sizeof(*o));
}

static void test_sandbox(void **s)
{
	(void)s;
	assert_int_equal(sandboxed(0), 0);
	assert_int_equal(sandboxed(1), 10);	/* no file opens */
	assert_int_equal(sandboxed(2), 20);	/* no network */
	assert_int_equal(sandboxed(3), 30);	/* no new code */
	assert_int_equal(sandboxed(4), 1000 + SIGSYS);	/* exec kills */
	assert_int_equal(sandboxed(5), 50);	/* no processes */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_many),
		cmocka_unit_test(test_sandbox),
		cmocka_unit_test(test_split_boot),
		cmocka_unit_test(test_split_tampered),
		cmocka_unit_test(test_split_crash),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
