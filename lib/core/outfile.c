// SPDX-License-Identifier: MIT
/*
 * Atomic output files (pvboot/outfile.h): an O_TMPFILE file in the output's
 * directory, fsync'd and then linked under its name through
 * /proc/self/fd, so a killed process leaves nothing; the named temporary
 * plus rename where the file system or the system lacks O_TMPFILE.  Big
 * files are flushed as they grow (PV_OUTFILE_FLUSH).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "pvboot/outfile.h"

#define TMP_TRIES 100
#define FLUSH_POLL_NS 2000000L	/* the flusher looks at the size every 2 ms */

/*
 * The flusher (PV_OUTFILE_FLUSH).  On this machine's ext4, an fsync after
 * 256 MiB took 120-180 ms, also when all the data had been written back
 * with sync_file_range() before: the device's cache flush costs in
 * proportion to what was written since the last one.  Flushing every
 * 8 MiB from a second thread while the writer goes on left 1-20 ms for
 * the final fsync.
 */
struct pv_outfile_flusher {
	pthread_t thr;
	int fd;
	bool stop;		/* atomic */
	int error;		/* errno of a failed fdatasync, read after join */
};

static void *flusher_main(void *arg)
{
	struct pv_outfile_flusher *f = arg;
	const struct timespec poll = { 0, FLUSH_POLL_NS };
	off_t flushed = 0;

	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
		struct stat st;

		if (!fstat(f->fd, &st) &&
		    st.st_size - flushed >= (off_t)PV_OUTFILE_FLUSH_STEP) {
			/*
			 * The kernel reports a write-back error once per open
			 * file: this thread's fdatasync may be the one that
			 * sees it, so the commit must hear of it from here.
			 */
			if (fdatasync(f->fd) && !f->error)
				f->error = errno;
			flushed = st.st_size;
			continue;
		}
		nanosleep(&poll, NULL);
	}
	return NULL;
}

/* Start the flusher unless the file lives in memory (tmpfs, ramfs). */
static void flusher_start(struct pv_outfile *o)
{
	struct pv_outfile_flusher *f;
	struct statfs sfs;

	if (!fstatfs(o->fd, &sfs) && (sfs.f_type == TMPFS_MAGIC ||
				      sfs.f_type == RAMFS_MAGIC))
		return;
	f = calloc(1, sizeof(*f));
	if (!f)
		return;		/* only the head start is lost */
	f->fd = o->fd;
	if (pthread_create(&f->thr, NULL, flusher_main, f)) {
		free(f);
		return;
	}
	o->flusher = f;
}

/* Stop the flusher; the errno of its first failed flush, or 0. */
static int flusher_stop(struct pv_outfile *o)
{
	struct pv_outfile_flusher *f = o->flusher;
	int e;

	if (!f)
		return 0;
	__atomic_store_n(&f->stop, true, __ATOMIC_RELEASE);
	pthread_join(f->thr, NULL);
	e = f->error;
	free(f);
	o->flusher = NULL;
	return e;
}

static void clear(struct pv_outfile *o)
{
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	o->fd = -1;
}

/* The directory part of @path (a new string), "." for a bare name. */
static char *dir_of(const char *path)
{
	char *copy = strdup(path), *d;

	if (!copy)
		return NULL;
	d = strdup(dirname(copy));
	free(copy);
	return d;
}

static void fsync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd;

	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

static int exists_error(const char *path, struct pv_err **err)
{
	return pv_err_set(err, PV_ERR_EXISTS,
			  "output '%s' exists; use --overwrite to replace it",
			  path);
}

/*
 * O_TMPFILE in the directory of o->path: 0 on success, 1 when the file
 * system (or kernel) has no O_TMPFILE, or a negative pv_errcode.
 */
static int open_unnamed(struct pv_outfile *o, mode_t mode, struct pv_err **err)
{
	char *dir;
	int e;

	/* the commit links through /proc/self/fd; without /proc, no O_TMPFILE */
	if (access("/proc/self/fd", X_OK))
		return 1;
	dir = dir_of(o->path);
	if (!dir)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	e = errno;
	free(dir);
	if (o->fd >= 0) {
		o->unnamed = true;
		return 0;
	}
	if (e == EOPNOTSUPP || e == EISDIR || e == EINVAL || e == ENOSYS)
		return 1;
	return pv_err_set(err, PV_ERR_IO,
			  "cannot create a temporary file next to '%s': %s",
			  o->path, strerror(e));
}

static int open_named(struct pv_outfile *o, mode_t mode, struct pv_err **err)
{
	mode_t um;
	int e;

	if (asprintf(&o->tmp, "%s.XXXXXX", o->path) < 0) {
		o->tmp = NULL;
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		e = errno;
		free(o->tmp);
		o->tmp = NULL;
		return pv_err_set(err, PV_ERR_IO,
				  "cannot create a temporary file next to '%s': %s",
				  o->path, strerror(e));
	}
	/* mkostemp makes 0600: give the mode open() would have given */
	um = umask(0);
	umask(um);
	if (fchmod(o->fd, mode & ~um)) {
		e = errno;
		return pv_err_set(err, PV_ERR_IO, "cannot set the mode of '%s': %s",
				  o->tmp, strerror(e));
	}
	return 0;
}

int pv_outfile_open(struct pv_outfile *o, const char *path,
		    unsigned int flags, mode_t mode, struct pv_err **err)
{
	struct stat st;
	int rc = 1;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->flags = flags;
	if (!path || !*path)
		return pv_err_set(err, PV_ERR_INVAL, "no output file name");
	if (!(flags & PV_OUTFILE_OVERWRITE) && !lstat(path, &st))
		return exists_error(path, err);
	o->path = strdup(path);
	if (!o->path)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (!(flags & PV_OUTFILE_NAMED))
		rc = open_unnamed(o, mode, err);
	if (rc == 1)
		rc = open_named(o, mode, err);
	if (rc)
		pv_outfile_abort(o);
	else if (flags & PV_OUTFILE_FLUSH)
		flusher_start(o);
	return rc;
}

/* Give the unnamed file o->fd the name @name (no replacing). */
static int link_fd(const struct pv_outfile *o, const char *name)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
}

/* "PATH.XXXXXX" with six random letters and digits, like mkstemp's. */
static char *random_name(const char *path)
{
	static const char set[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[6];
	char suffix[7];
	char *name;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return NULL;
	for (size_t i = 0; i < sizeof(r); i++)
		suffix[i] = set[r[i] % (sizeof(set) - 1)];
	suffix[6] = '\0';
	if (asprintf(&name, "%s.%s", path, suffix) < 0)
		return NULL;
	return name;
}

/* Replace o->path by the unnamed file: link it as o->tmp, rename that. */
static int replace_unnamed(struct pv_outfile *o, struct pv_err **err)
{
	int e = EEXIST;

	for (int i = 0; i < TMP_TRIES && e == EEXIST; i++) {
		char *name = random_name(o->path);

		free(o->tmp);
		o->tmp = name;	/* a signal handler may read it any time */
		if (!o->tmp)
			return pv_err_set(err, PV_ERR_IO,
					  "no temporary name next to '%s'",
					  o->path);
		/* linkat refuses a name that exists: try another one */
		e = link_fd(o, o->tmp) ? errno : 0;
	}
	if (e) {
		free(o->tmp);
		o->tmp = NULL;
		return pv_err_set(err, PV_ERR_IO, "creating a file next to '%s': %s",
				  o->path, strerror(e));
	}
	if (rename(o->tmp, o->path))
		return pv_err_set(err, PV_ERR_IO, "renaming to '%s': %s",
				  o->path, strerror(errno));
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

static int commit_unnamed(struct pv_outfile *o, struct pv_err **err)
{
	if (!link_fd(o, o->path))
		return 0;
	if (errno != EEXIST)
		return pv_err_set(err, PV_ERR_IO, "creating '%s': %s", o->path,
				  strerror(errno));
	if (!(o->flags & PV_OUTFILE_OVERWRITE))
		return exists_error(o->path, err);
	return replace_unnamed(o, err);
}

static int commit_named(struct pv_outfile *o, struct pv_err **err)
{
	if (o->flags & PV_OUTFILE_OVERWRITE) {
		if (rename(o->tmp, o->path))
			return pv_err_set(err, PV_ERR_IO, "renaming to '%s': %s",
					  o->path, strerror(errno));
	} else if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path,
			     RENAME_NOREPLACE)) {
		if (errno == EEXIST)
			return exists_error(o->path, err);
		if (errno != EINVAL && errno != ENOSYS)
			return pv_err_set(err, PV_ERR_IO, "renaming to '%s': %s",
					  o->path, strerror(errno));
		/* no RENAME_NOREPLACE here: link() refuses an existing name */
		if (link(o->tmp, o->path))
			return errno == EEXIST ?
				       exists_error(o->path, err) :
				       pv_err_set(err, PV_ERR_IO,
						  "creating '%s': %s", o->path,
						  strerror(errno));
		unlink(o->tmp);
	}
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

int pv_outfile_commit(struct pv_outfile *o, struct pv_err **err)
{
	int rc, e, fe;

	if (o->fd < 0)
		return pv_err_set(err, PV_ERR_STATE, "output '%s' is not open",
				  o->path ? o->path : "?");
	/* durability first: the name must never point at unwritten data;
	 * an fdatasync of the flusher may still run: this fsync waits too */
	e = fsync(o->fd) ? errno : 0;
	fe = flusher_stop(o);
	if (e || fe) {
		rc = pv_err_set(err, PV_ERR_IO, "writing '%s': %s", o->path,
				strerror(e ? e : fe));
	} else if (o->unnamed) {
		/* the link needs the open file; the data is on disk already */
		rc = commit_unnamed(o, err);
	} else {
		rc = close(o->fd);
		o->fd = -1;
		if (rc)
			rc = pv_err_set(err, PV_ERR_IO, "writing '%s': %s",
					o->path, strerror(errno));
		else
			rc = commit_named(o, err);
	}
	if (rc) {
		pv_outfile_abort(o);
		return rc;
	}
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	fsync_dir(o->path);
	clear(o);
	return 0;
}

void pv_outfile_abort(struct pv_outfile *o)
{
	if (!o)
		return;
	flusher_stop(o);
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp)
		unlink(o->tmp);
	clear(o);
}
