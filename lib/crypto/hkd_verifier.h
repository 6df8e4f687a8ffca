/* SPDX-License-Identifier: MIT */
/*
 * The verifier object shared by hkd_verify.c, hkd_inputs.c and
 * hkd_check.c, and the rules of hkd_inputs.c: which file may contribute
 * which certificate or CRL (IBM genprotimg's and pvimg's rules).
 */
#ifndef PVBOOT_HKD_VERIFIER_H
#define PVBOOT_HKD_VERIFIER_H

#include <stdbool.h>
#include <time.h>

#include <openssl/x509.h>

#include "pvboot/hkd.h"

#define NAME_TEXT 320	/* room for a one-line distinguished name */

/*
 * A CRL found inside a --root-ca or --cert file.  IBM genprotimg never
 * reads those, so such a CRL never stands in for a --crl file; pvimg does
 * read them, so a certificate one of them revokes is refused.
 */
struct hkd_side_crl {
	X509_CRL *crl;
	char *file;		/* the file that held it */
	bool for_signkey;	/* issued under the signing key's name (§7.6) */
};

struct pv_hkd_verifier {
	X509_STORE *store;	/* the one trusted root and the --crl CRLs */
	X509 *signkey;		/* the verified IBM Z signing key */
	char *signkey_file;	/* where it came from, for messages */
	time_t now;		/* pinned time; 0 = the time of each check */
	struct hkd_side_crl *side;
	size_t nside;
};

/* What the --cert files give to the chain verification. */
struct hkd_chain_in {
	STACK_OF(X509) *chain;	/* first certificate of each file, signing
				 * key excluded */
	const char *multi_file;	/* a file that holds more than one
				 * certificate (only its first counts) */
	int multi_count;
};

/*
 * Trust the one certificate of the --root-ca file @path (PEM or DER).  A
 * file with more than one certificate is refused; CRLs in it go to the
 * side list only.
 */
int hkd_load_root(struct pv_hkd_verifier *v, const char *path,
		  struct pv_err **err);

/*
 * Read the --cert files: the first certificate of each is the one that
 * counts (the signing key goes to v->signkey, the others to @in->chain);
 * exactly one signing key among all certificates of all files; CRLs go to
 * the side list.
 */
int hkd_load_certs(struct pv_hkd_verifier *v, const struct pv_hkd_opts *o,
		   struct hkd_chain_in *in, struct pv_err **err);

/*
 * Refuse when a side CRL that is valid at @now and signed by a
 * certificate's issuer in the verified @chain lists that certificate.
 */
int hkd_side_check_chain(const struct pv_hkd_verifier *v,
			 STACK_OF(X509) *chain, time_t now,
			 struct pv_err **err);

/* The file of a side CRL issued under @issuer, or NULL (for messages). */
const char *hkd_side_file(const struct pv_hkd_verifier *v,
			  const X509_NAME *issuer);

#endif
