// SPDX-License-Identifier: MIT
/*
 * Host files behind the block devices: raw images, read with pread and
 * written with pwrite straight to the file (no cache of pvboot's own), so
 * whatever a guest wrote is in the host's page cache the moment its
 * request completes and survives pvboot ending in any way, a crash
 * included; a flush request (VIRTIO_BLK_T_FLUSH) is fdatasync, which
 * makes it survive the host too.  A file opened read-write is locked
 * (flock, exclusive) so that two machines cannot share a disk by mistake;
 * a read-only one gets a shared lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine_priv.h"
#include "io.h"

int blockdev_open(struct blockdev **out, const char *path, bool readonly,
		  struct pv_err **err)
{
	struct blockdev *bd;
	struct stat st;
	int fd;

	*out = NULL;
	fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0 && !readonly &&
	    (errno == EACCES || errno == EROFS || errno == EPERM) &&
	    access(path, F_OK) == 0)
		return pv_err_set(err, PV_ERR_IO,
				  "disk '%s' cannot be opened for writing (%s); attach it with --disk %s,readonly",
				  path, strerror(errno), path);
	if (fd < 0)
		return pv_err_set(err, PV_ERR_IO, "cannot open disk '%s': %s",
				  path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return pv_err_set(err, PV_ERR_IO,
				  "disk '%s' is not a regular file", path);
	}
	/* a file nobody may write is read-only, even to root */
	if (!readonly && !(st.st_mode & 0222)) {
		close(fd);
		return pv_err_set(err, PV_ERR_IO,
				  "disk '%s' is a read-only file; attach it with --disk %s,readonly",
				  path, path);
	}
	if (st.st_size < 512) {
		close(fd);
		return pv_err_set(err, PV_ERR_FORMAT,
				  "disk '%s' holds %lld bytes: a disk needs at least one 512-byte sector",
				  path, (long long)st.st_size);
	}
	if (flock(fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB)) {
		int e = errno;

		close(fd);
		return pv_err_set(err, PV_ERR_IO,
				  "disk '%s' is in use by another program (%s)",
				  path, strerror(e));
	}
	bd = calloc(1, sizeof(*bd));
	if (bd)
		bd->path = strdup(path);
	if (!bd || !bd->path) {
		close(fd);
		free(bd);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	bd->fd = fd;
	bd->size = (uint64_t)st.st_size;
	bd->readonly = readonly;
	*out = bd;
	return 0;
}

void blockdev_close(struct blockdev *bd)
{
	if (!bd)
		return;
	if (bd->fd >= 0)
		close(bd->fd);
	free(bd->path);
	free(bd);
}

int blockdev_read(struct blockdev *bd, uint64_t off, void *buf, size_t len)
{
	uint8_t *b = buf;

	bd->read_bytes += len;
	while (len) {
		ssize_t n = pread(bd->fd, b, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* the file shrank under us */
		b += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int blockdev_write(struct blockdev *bd, uint64_t off, const void *buf,
		   size_t len)
{
	const uint8_t *b = buf;

	if (bd->readonly)
		return -EROFS;
	bd->written_bytes += len;
	while (len) {
		ssize_t n = pwrite(bd->fd, b, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -ENOSPC;
		b += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int blockdev_flush(struct blockdev *bd)
{
	bd->flushes++;
	if (bd->readonly)
		return 0;
	return fdatasync(bd->fd) ? -errno : 0;
}
