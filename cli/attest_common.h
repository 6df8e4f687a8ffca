/* SPDX-License-Identifier: MIT */
/*
 * Shared by `pvboot attest` and `pvboot secret`: the host-key document
 * options of pvattest/pvsecret (utils CertificateOptions), whole-file
 * atomic output and small parsers.
 */
#ifndef PVBOOT_CLI_ATTEST_COMMON_H
#define PVBOOT_CLI_ATTEST_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/crypto.h"
#include "pvboot/err.h"
#include "util.h"

/* Option values of the certificate options (getopt codes 0x200..). */
enum {
	CERT_OPT_CRL = 0x200,
	CERT_OPT_OFFLINE,
	CERT_OPT_ROOT_CA,
	CERT_OPT_NO_VERIFY,
};

/* -k, -C, --crl, --offline, --root-ca, --no-verify for getopt_long. */
#define CERT_LONG_OPTS                                                      \
	{ "host-key-document", required_argument, NULL, 'k' },              \
	{ "cert", required_argument, NULL, 'C' },                           \
	{ "crt", required_argument, NULL, 'C' },                            \
	{ "crl", required_argument, NULL, CERT_OPT_CRL },                   \
	{ "offline", no_argument, NULL, CERT_OPT_OFFLINE },                 \
	{ "root-ca", required_argument, NULL, CERT_OPT_ROOT_CA },           \
	{ "no-verify", no_argument, NULL, CERT_OPT_NO_VERIFY }

struct cert_opts {
	struct util_list hkds, certs, crls;
	const char *root_ca;
	bool offline, no_verify;
	struct pv_eckey **keys;		/* after cert_opts_load() */
	size_t nkeys;
};

/*
 * Take option @c with argument @arg if it is one of CERT_LONG_OPTS:
 * returns 1 when taken, 0 when @c is not a certificate option, -1 when
 * out of memory.
 */
int cert_opts_take(struct cert_opts *o, int c, const char *arg);
/* The rules of pvattest/pvsecret: -1 when fine, else the exit code. */
int cert_opts_check(const struct cert_opts *o, const char *cmd,
		    unsigned int max_keys);
/*
 * Load every host-key document and, unless --no-verify (then a warning is
 * printed unless @quiet), verify them against the chain.  Fills o->keys.
 */
int cert_opts_load(struct cert_opts *o, const char *what, bool quiet,
		   struct pv_err **err);
void cert_opts_free(struct cert_opts *o);

/*
 * Write @len bytes to @path atomically (replacing an existing file, as
 * IBM's tools do).  @secret: mode 0600, else 0666 less the umask.  "-"
 * writes to standard output.
 */
int att_write_file(const char *path, const void *buf, size_t len,
		   bool secret, const char *what, struct pv_err **err);
/*
 * Read a file of exactly @len bytes (a key, a CUID): the message names
 * @what and the size it got.
 */
int att_read_exact(const char *path, const char *what, uint8_t *out,
		   size_t len, struct pv_err **err);

#endif
