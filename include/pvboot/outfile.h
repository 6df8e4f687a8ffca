/* SPDX-License-Identifier: MIT */
/*
 * Atomic output files: nothing appears under the output's name before the
 * whole file is written and on disk, and a process killed meanwhile (even
 * by SIGKILL) leaves nothing behind.
 */
#ifndef PVBOOT_OUTFILE_H
#define PVBOOT_OUTFILE_H

#include <stdbool.h>
#include <sys/types.h>

#include "pvboot/err.h"

#define PV_OUTFILE_OVERWRITE 0x1u	/* replace an existing file */
#define PV_OUTFILE_NAMED 0x2u		/* skip O_TMPFILE (tests the fallback) */
/*
 * A big file written over some time: on a disk file system a second
 * thread flushes it (fdatasync) every PV_OUTFILE_FLUSH_STEP bytes it grows,
 * so that the fsync of the commit has only the last few MiB left.
 */
#define PV_OUTFILE_FLUSH 0x4u
#define PV_OUTFILE_FLUSH_STEP (8u << 20)

struct pv_outfile_flusher;

struct pv_outfile {
	int fd;			/* write here between open and commit */
	char *path;		/* the final name */
	char *tmp;		/* a named temporary while one exists, else NULL */
	unsigned int flags;
	bool unnamed;		/* O_TMPFILE: no name until the commit */
	struct pv_outfile_flusher *flusher;	/* PV_OUTFILE_FLUSH, or NULL */
};

/*
 * Open an output file for @path.  The data goes to an unnamed file in the
 * output's directory (O_TMPFILE); where the file system lacks that, to a
 * named temporary "PATH.XXXXXX" next to it.  @mode (before the umask) is
 * the mode of the final file.  Without PV_OUTFILE_OVERWRITE an existing
 * @path is refused (PV_ERR_EXISTS), here and again at the commit.
 */
int pv_outfile_open(struct pv_outfile *o, const char *path,
		    unsigned int flags, mode_t mode, struct pv_err **err);

/*
 * fsync the data, give it its name (linkat of the unnamed file, or rename
 * of the named one), fsync the directory and close.  Replacing an existing
 * file needs a rename, so the unnamed file is first linked under a
 * temporary name for the length of two system calls.  On failure the
 * output is aborted.  Returns 0 or a negative pv_errcode.
 */
int pv_outfile_commit(struct pv_outfile *o, struct pv_err **err);

/* Close and remove whatever was written; NULL-safe and idempotent. */
void pv_outfile_abort(struct pv_outfile *o);

#endif
