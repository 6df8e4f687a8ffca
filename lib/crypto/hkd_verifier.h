/* SPDX-License-Identifier: MIT */
/* The verifier object shared by hkd_verify.c and hkd_check.c. */
#ifndef PVBOOT_HKD_VERIFIER_H
#define PVBOOT_HKD_VERIFIER_H

#include <time.h>

#include <openssl/x509.h>

#define NAME_TEXT 320	/* room for a one-line distinguished name */

struct pv_hkd_verifier {
	X509_STORE *store;	/* trusted root(s) and every CRL given */
	X509 *signkey;		/* the verified IBM Z signing key */
	char *signkey_file;	/* where it came from, for messages */
	time_t now;		/* pinned time; 0 = the time of each check */
};

#endif
