// SPDX-License-Identifier: MIT
/*
 * Host-key document options and file helpers shared by `pvboot attest`
 * and `pvboot secret` (see attest_common.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest_common.h"
#include "cli.h"
#include "pvboot/attest.h"
#include "pvboot/hkd.h"
#include "pvboot/outfile.h"

int cert_opts_take(struct cert_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'k':
		return util_list_add(&o->hkds, arg, true) ? -1 : 1;
	case 'C':
		return util_list_add(&o->certs, arg, true) ? -1 : 1;
	case CERT_OPT_CRL:
		return util_list_add(&o->crls, arg, true) ? -1 : 1;
	case CERT_OPT_OFFLINE:
		o->offline = true;
		return 1;
	case CERT_OPT_ROOT_CA:
		o->root_ca = arg;
		return 1;
	case CERT_OPT_NO_VERIFY:
		o->no_verify = true;
		return 1;
	}
	return 0;
}

int cert_opts_check(const struct cert_opts *o, const char *cmd,
		    unsigned int max_keys)
{
	if (!o->hkds.n)
		return pv_cli_usage_error(cmd, "at least one host-key document is required (-k/--host-key-document FILE)");
	if (o->hkds.n > max_keys)
		return pv_cli_usage_error(cmd, "%zu host-key documents given, at most %u fit",
					  o->hkds.n, max_keys);
	if (o->no_verify && o->certs.n)
		return pv_cli_usage_error(cmd, "--no-verify and --cert exclude each other");
	if (!o->no_verify && !o->certs.n)
		return pv_cli_usage_error(cmd, "give the IBM Z signing key and intermediate CA with --cert FILE, or --no-verify");
	if ((o->crls.n || o->offline || o->root_ca) && !o->certs.n)
		return pv_cli_usage_error(cmd, "--crl, --offline and --root-ca need --cert");
	return -1;
}

int cert_opts_load(struct cert_opts *o, const char *what, bool quiet,
		   struct pv_err **err)
{
	int rc;

	o->keys = calloc(o->hkds.n, sizeof(*o->keys));
	if (!o->keys)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < o->hkds.n; i++) {
		rc = pv_hkd_load(o->hkds.v[i], &o->keys[i], err);
		if (rc)
			return rc;
		o->nkeys++;
	}
	if (o->no_verify) {
		if (!quiet)
			pv_cli_warn("host-key document verification is disabled: the %s may not be protected",
				    what);
		return 0;
	}
	{
		struct pv_hkd_opts ho = {
			.certs = o->certs.v,
			.ncerts = o->certs.n,
			.crls = o->crls.v,
			.ncrls = o->crls.n,
			.root_ca = o->root_ca,
			.offline = o->offline,
		};

		return pv_hkd_verify(o->hkds.v, o->hkds.n, &ho, err);
	}
}

void cert_opts_free(struct cert_opts *o)
{
	for (size_t i = 0; i < o->nkeys; i++)
		pv_eckey_free(o->keys[i]);
	free(o->keys);
	util_list_free(&o->hkds);
	util_list_free(&o->certs);
	util_list_free(&o->crls);
}

int att_write_file(const char *path, const void *buf, size_t len,
		   bool secret, const char *what, struct pv_err **err)
{
	struct pv_outfile f;
	int rc;

	if (!strcmp(path, "-")) {
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
			return pv_err_set(err, PV_ERR_IO,
					  "writing the %s to standard output failed: %s",
					  what, strerror(errno));
		return 0;
	}
	rc = pv_outfile_open(&f, path, PV_OUTFILE_OVERWRITE,
			     secret ? 0600 : 0666, err);
	if (rc)
		return pv_err_prefix(err, "%s: ", what);
	if (util_write_all(f.fd, buf, len)) {
		rc = pv_err_set(err, PV_ERR_IO, "writing the %s '%s': %s",
				what, path, strerror(errno));
		pv_outfile_abort(&f);
		return rc;
	}
	rc = pv_outfile_commit(&f, err);
	if (rc)
		return pv_err_prefix(err, "%s: ", what);
	return 0;
}

int att_read_exact(const char *path, const char *what, uint8_t *out,
		   size_t len, struct pv_err **err)
{
	uint8_t *buf;
	size_t n;
	int rc;

	rc = util_read_file(path, what, 65536, &buf, &n, err);
	if (rc)
		return rc;
	if (n != len) {
		util_free_file(buf, 65536 + 1);
		return pv_err_set(err, PV_ERR_FORMAT,
				  "%s '%s' must be exactly %zu bytes, got %zu",
				  what, path, len, n);
	}
	memcpy(out, buf, len);
	util_free_file(buf, 65536 + 1);
	return 0;
}
