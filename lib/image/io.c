// SPDX-License-Identifier: MIT
/* Whole reads and positioned writes for the image streams. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "image_priv.h"

ssize_t read_full(int fd, void *buf, size_t len, const char *name,
		  cancel_fn cancel, void *opaque, struct pv_err **err)
{
	uint8_t *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0) {
			if (errno == EINTR) {
				if (cancel && cancel(opaque))
					return pv_err_set(err, PV_ERR_STATE,
							  "cancelled while reading %s",
							  name);
				continue;
			}
			return pv_err_set(err, PV_ERR_IO, "reading %s: %s",
					  name, strerror(errno));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int pwrite_full(int fd, const void *buf, size_t len, uint64_t off,
		const char *name, struct pv_err **err)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return pv_err_set(err, PV_ERR_IO,
					  "writing %s at 0x%llx: %s", name,
					  (unsigned long long)off,
					  strerror(errno));
		}
		if (n == 0)
			return pv_err_set(err, PV_ERR_IO,
					  "writing %s at 0x%llx: no progress",
					  name, (unsigned long long)off);
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}
