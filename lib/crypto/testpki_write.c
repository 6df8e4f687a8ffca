// SPDX-License-Identifier: MIT
/* Writing a test PKI into a directory, one atomic file at a time
 * (pvboot/outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/hkd.h"
#include "pvboot/outfile.h"

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_one(const char *dir, const struct pv_testpki_file *f,
		     struct pv_err **err)
{
	char path[PATH_MAX];
	struct pv_outfile o;
	int rc;

	if (strchr(f->name, '/'))
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "test PKI file name '%s' has a slash",
				  f->name);
	if (snprintf(path, sizeof(path), "%s/%s", dir, f->name) >=
	    (int)sizeof(path))
		return pv_err_set(err, PV_ERR_RANGE,
				  "output path '%s/%s' is too long", dir,
				  f->name);
	/* a key is never readable by others, not even for a moment */
	rc = pv_outfile_open(&o, path, PV_OUTFILE_OVERWRITE,
			     f->secret ? 0600 : 0644, err);
	if (rc)
		return rc;
	if (fchmod(o.fd, f->secret ? 0600 : 0644) < 0 ||
	    write_all(o.fd, f->data, f->len) < 0) {
		int e = errno;

		pv_outfile_abort(&o);
		return pv_err_set(err, PV_ERR_IO, "cannot write '%s': %s", path,
				  strerror(e));
	}
	return pv_outfile_commit(&o, err);
}

int pv_testpki_write(const struct pv_testpki *pki, const char *dir,
		     struct pv_err **err)
{
	struct stat st;
	int rc = 0;

	if (!pki || !dir)
		return pv_err_set(err, PV_ERR_INVAL,
				  "no test PKI or directory to write");
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return pv_err_set(err, PV_ERR_IO,
				  "output directory '%s' does not exist", dir);
	for (size_t i = 0; !rc && i < pv_testpki_count(pki); i++)
		rc = write_one(dir, pv_testpki_file(pki, i), err);
	return rc;
}
