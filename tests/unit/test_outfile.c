// SPDX-License-Identifier: MIT
/*
 * Atomic output files (lib/core/outfile.c), on both paths: the unnamed
 * O_TMPFILE file and the named temporary + rename fallback
 * (PV_OUTFILE_NAMED).  Nothing may appear under the output name before the
 * commit, a SIGKILL'd writer leaves nothing on the unnamed path, and an
 * existing output is refused or replaced as asked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "pvboot/outfile.h"

static char dir[] = "/tmp/pvboot-outfile.XXXXXX";

static const char *P(const char *name)
{
	static char buf[4][600];
	static int slot;
	char *p = buf[slot++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

/* Number of directory entries (without . and ..). */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void clean(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(P(e->d_name));
	closedir(d);
}

static void write_str(int fd, const char *s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

static void assert_content(const char *path, const char *want)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) == strlen(want));
	fclose(f);
	assert_string_equal(buf, want);
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	clean();
	rmdir(dir);
	return 0;
}

/* Write "new", commit; nothing is visible under the name before. */
static void one_round(unsigned int flags, bool unnamed)
{
	struct pv_outfile o;
	struct pv_err *err = NULL;
	struct stat st;
	mode_t um = umask(022);

	clean();
	assert_int_equal(pv_outfile_open(&o, P("out.img"), flags, 0666, &err),
			 0);
	assert_null(err);
	assert_int_equal(o.unnamed, unnamed);
	write_str(o.fd, "new");
	assert_int_equal(stat(P("out.img"), &st), -1);
	/* unnamed: no directory entry at all; named: just the temporary */
	assert_int_equal(entries(), unnamed ? 0 : 1);
	assert_int_equal(pv_outfile_commit(&o, &err), 0);
	assert_int_equal(o.fd, -1);
	assert_content(P("out.img"), "new");
	assert_int_equal(stat(P("out.img"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(entries(), 1);
	umask(um);
}

static void test_commit(void **state)
{
	one_round(0, true);
	one_round(PV_OUTFILE_NAMED, false);
}

static void exists_rounds(unsigned int named)
{
	struct pv_outfile o;
	struct pv_err *err = NULL;
	FILE *f;

	clean();
	f = fopen(P("out.img"), "w");
	assert_non_null(f);
	fputs("old", f);
	fclose(f);
	/* refused at open */
	assert_int_equal(pv_outfile_open(&o, P("out.img"), named, 0666, &err),
			 -PV_ERR_EXISTS);
	assert_non_null(strstr(err->msg, "exists; use --overwrite"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(o.fd, -1);
	/* replaced with OVERWRITE, and no temporary stays */
	assert_int_equal(pv_outfile_open(&o, P("out.img"),
					 named | PV_OUTFILE_OVERWRITE, 0666,
					 &err),
			 0);
	write_str(o.fd, "new");
	assert_content(P("out.img"), "old");
	assert_int_equal(pv_outfile_commit(&o, &err), 0);
	assert_content(P("out.img"), "new");
	assert_int_equal(entries(), 1);
	/* appears while writing: refused at commit, the newcomer kept */
	unlink(P("out.img"));
	assert_int_equal(pv_outfile_open(&o, P("out.img"), named, 0666, &err),
			 0);
	write_str(o.fd, "mine");
	f = fopen(P("out.img"), "w");
	assert_non_null(f);
	fputs("theirs", f);
	fclose(f);
	assert_int_equal(pv_outfile_commit(&o, &err), -PV_ERR_EXISTS);
	pv_err_free(err);
	assert_content(P("out.img"), "theirs");
	assert_int_equal(entries(), 1);
}

static void test_exists(void **state)
{
	exists_rounds(0);
	exists_rounds(PV_OUTFILE_NAMED);
}

static void test_abort(void **state)
{
	struct pv_outfile o;
	struct pv_err *err = NULL;

	for (unsigned int named = 0; named <= PV_OUTFILE_NAMED;
	     named += PV_OUTFILE_NAMED) {
		clean();
		assert_int_equal(pv_outfile_open(&o, P("out.img"), named,
						 0666, &err),
				 0);
		write_str(o.fd, "partial");
		pv_outfile_abort(&o);
		pv_outfile_abort(&o);	/* idempotent */
		assert_int_equal(entries(), 0);
	}
	pv_outfile_abort(NULL);
}

/* A writer killed by SIGKILL before the commit leaves no file at all. */
static void test_sigkill(void **state)
{
	int status;
	pid_t pid;

	clean();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pv_outfile o;
		static char big[1 << 20];

		if (pv_outfile_open(&o, P("out.img"), 0, 0666, NULL) ||
		    !o.unnamed)
			_exit(3);
		for (int i = 0; i < 8; i++)
			if (write(o.fd, big, sizeof(big)) != sizeof(big))
				_exit(4);
		raise(SIGKILL);
		_exit(5);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_int_equal(entries(), 0);
}

static void test_bad_directory(void **state)
{
	struct pv_outfile o;
	struct pv_err *err = NULL;

	for (unsigned int named = 0; named <= PV_OUTFILE_NAMED;
	     named += PV_OUTFILE_NAMED) {
		assert_int_equal(pv_outfile_open(&o, P("nodir/out.img"), named,
						 0666, &err),
				 -PV_ERR_IO);
		assert_non_null(strstr(err->msg, "nodir/out.img"));
		assert_non_null(strstr(err->msg, "No such file"));
		pv_err_free(err);
		err = NULL;
		assert_int_equal(o.fd, -1);
	}
	assert_int_equal(pv_outfile_open(&o, "", 0, 0666, &err),
			 -PV_ERR_INVAL);
	pv_err_free(err);
}

/*
 * PV_OUTFILE_FLUSH: a flusher on a disk file system (where /tmp usually
 * is), none on tmpfs; the file is whole after the commit.
 */
static void test_flush(void **state)
{
	static char mib[1 << 20];
	struct pv_outfile o;
	struct pv_err *err = NULL;
	struct stat st;
	char shm[] = "/dev/shm/pvboot-outfile.XXXXXX";

	clean();
	assert_int_equal(pv_outfile_open(&o, P("big.img"), PV_OUTFILE_FLUSH,
					 0644, &err),
			 0);
	assert_true(o.unnamed);
	{
		struct statfs sfs;

		assert_int_equal(statfs(dir, &sfs), 0);
		if (sfs.f_type == TMPFS_MAGIC || sfs.f_type == RAMFS_MAGIC)
			assert_null(o.flusher);
		else
			assert_non_null(o.flusher);
	}
	for (int i = 0; i < 20; i++) {
		memset(mib, i, sizeof(mib));
		assert_int_equal(write(o.fd, mib, sizeof(mib)),
				 (ssize_t)sizeof(mib));
		usleep(3000);	/* the flusher looks every 2 ms */
	}
	assert_int_equal(pv_outfile_commit(&o, &err), 0);
	assert_null(o.flusher);
	assert_int_equal(stat(P("big.img"), &st), 0);
	assert_int_equal(st.st_size, 20 << 20);
	/* aborted with a flusher running: nothing left */
	assert_int_equal(pv_outfile_open(&o, P("gone.img"), PV_OUTFILE_FLUSH,
					 0644, &err),
			 0);
	assert_int_equal(write(o.fd, mib, sizeof(mib)), (ssize_t)sizeof(mib));
	pv_outfile_abort(&o);
	assert_int_equal(entries(), 1);
	if (!mkdtemp(shm))
		skip();
	{
		char path[64];

		snprintf(path, sizeof(path), "%s/x.img", shm);
		assert_int_equal(pv_outfile_open(&o, path, PV_OUTFILE_FLUSH,
						 0644, &err),
				 0);
		assert_null(o.flusher);	/* memory: nothing to flush */
		pv_outfile_abort(&o);
		rmdir(shm);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit),
		cmocka_unit_test(test_exists),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_sigkill),
		cmocka_unit_test(test_bad_directory),
		cmocka_unit_test(test_flush),
	};

	return cmocka_run_group_tests_name("outfile", tests, setup, teardown);
}
