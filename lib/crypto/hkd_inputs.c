// SPDX-License-Identifier: MIT
/*
 * Which file may contribute what to host-key document verification
 * (se-image-format.md §7 steps 1-3), as strict as IBM's tools are together:
 *
 *   --root-ca  exactly one certificate (C genprotimg refuses more: its
 *              store_setup() counts what X509_load_cert_file() loaded);
 *   --crl      the only source of CRLs that make a chain or a document
 *              verifiable (C genprotimg reads CRLs nowhere else);
 *   --cert     the first certificate of each file (C genprotimg reads one
 *              per file); a signing key anywhere in the files still counts
 *              towards "exactly one" (pvimg reads every certificate);
 *   CRLs inside --root-ca and --cert files ("side CRLs") never help, but a
 *              certificate they revoke is refused (pvimg reads them).
 *
 * Each refusal names the rule in its message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "hkd_internal.h"
#include "hkd_verifier.h"

/* Move the CRLs of @crls to the side list, tagged with @file. */
static int add_side(struct pv_hkd_verifier *v, STACK_OF(X509_CRL) *crls,
		    const char *file, struct pv_err **err)
{
	while (sk_X509_CRL_num(crls)) {
		struct hkd_side_crl *n;

		n = realloc(v->side, (v->nside + 1) * sizeof(*n));
		if (!n)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		v->side = n;
		n += v->nside;
		n->file = strdup(file);
		if (!n->file)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		n->crl = sk_X509_CRL_shift(crls);
		n->for_signkey = false;
		v->nside++;
	}
	return 0;
}

/* Read @path and parse its certificates; its CRLs become side CRLs. */
static int read_certs(struct pv_hkd_verifier *v, const char *path,
		      const char *what, bool trusted_ok,
		      STACK_OF(X509) **certs, struct pv_err **err)
{
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	uint8_t *buf;
	size_t len;
	int rc;

	*certs = NULL;
	if (!crls)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	rc = hkd_read_file(path, what, &buf, &len, err);
	if (!rc) {
		rc = hkd_parse_certs(buf, len, what, path, trusted_ok, certs,
				     crls, err);
		free(buf);
	}
	if (!rc)
		rc = add_side(v, crls, path, err);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	if (rc) {
		sk_X509_pop_free(*certs, X509_free);
		*certs = NULL;
	}
	return rc;
}

int hkd_load_root(struct pv_hkd_verifier *v, const char *path,
		  struct pv_err **err)
{
	STACK_OF(X509) *certs;
	int rc, n;

	rc = read_certs(v, path, "root CA file", true, &certs, err);
	if (rc)
		return rc;
	n = sk_X509_num(certs);
	if (n != 1)
		rc = pv_err_set(
			err, PV_ERR_CERT,
			"root CA file '%s' holds %d certificates; --root-ca takes exactly one, the root CA (as IBM genprotimg does): give an intermediate CA with --cert",
			path, n);
	else if (!X509_STORE_add_cert(v->store, sk_X509_value(certs, 0)))
		rc = pv_err_ssl(err, "cannot trust root CA '%s'", path);
	sk_X509_pop_free(certs, X509_free);
	return rc;
}

/* Where a signing-key certificate was found, for messages. */
struct sign_seen {
	int n;			/* signing keys seen so far */
	const char *file[2];	/* the first two */
	int pos[2];		/* 1-based position in its file */
};

/* Note the signing keys of @certs; returns the index of the first or -1. */
static int note_signing(STACK_OF(X509) *certs, const char *file,
			struct sign_seen *seen)
{
	int first = -1;

	for (int i = 0; i < sk_X509_num(certs); i++) {
		if (!hkd_is_signing_name(
			    X509_get_subject_name(sk_X509_value(certs, i))))
			continue;
		if (first < 0)
			first = i;
		if (seen->n < 2) {
			seen->file[seen->n] = file;
			seen->pos[seen->n] = i + 1;
		}
		seen->n++;
	}
	return first;
}

/* §7 step 6 names: the subject and its Armonk / re-ordered forms. */
static bool names_signkey(const X509_NAME *issuer, const X509 *signkey)
{
	const X509_NAME *subj = X509_get_subject_name(signkey);
	X509_NAME *armonk = hkd_name_armonk_fixup(subj);
	X509_NAME *alt[3] = { armonk, NULL, hkd_name_reorder(subj) };
	bool hit = !X509_NAME_cmp(issuer, subj);

	if (armonk)
		alt[1] = hkd_name_reorder(armonk);
	for (int i = 0; i < 3; i++) {
		if (alt[i] && !hit)
			hit = !X509_NAME_cmp(issuer, alt[i]);
		X509_NAME_free(alt[i]);
	}
	return hit;
}

int hkd_load_certs(struct pv_hkd_verifier *v, const struct pv_hkd_opts *o,
		   struct hkd_chain_in *in, struct pv_err **err)
{
	const char *later_file = NULL;
	struct sign_seen seen = { 0 };
	int later_pos = 0, later_count = 0, rc = 0;

	for (size_t i = 0; !rc && i < o->ncerts; i++) {
		const char *path = o->certs[i];
		STACK_OF(X509) *certs;
		X509 *x;
		int first, n;

		rc = read_certs(v, path, "certificate file", false, &certs,
				err);
		if (rc)
			break;
		n = sk_X509_num(certs);
		first = note_signing(certs, path, &seen);
		if (n > 1 && !in->multi_file) {
			in->multi_file = path;
			in->multi_count = n;
		}
		if (first > 0 && !later_file) {
			later_file = path;
			later_pos = first + 1;
			later_count = n;
		}
		/* only the first certificate of a file takes part */
		x = sk_X509_shift(certs);
		sk_X509_pop_free(certs, X509_free);
		if (!hkd_is_signing_name(X509_get_subject_name(x))) {
			if (!sk_X509_push(in->chain, x)) {
				X509_free(x);
				rc = pv_err_set(err, PV_ERR_NOMEM,
						"out of memory");
			}
		} else if (v->signkey) {
			X509_free(x);
		} else {
			v->signkey = x;
			v->signkey_file = strdup(path);
			if (!v->signkey_file)
				rc = pv_err_set(err, PV_ERR_NOMEM,
						"out of memory");
		}
	}
	if (rc)
		return rc;
	/* pvimg reads every certificate of a file: all of them count here */
	if (seen.n > 1)
		return pv_err_set(
			err, PV_ERR_CERT,
			"more than one IBM Z signing key: '%s' (certificate %d) and '%s' (certificate %d); give exactly one with --cert",
			seen.file[0], seen.pos[0], seen.file[1], seen.pos[1]);
	if (!v->signkey && later_file)
		return pv_err_set(
			err, PV_ERR_CERT,
			"certificate file '%s' holds the IBM Z signing key as certificate %d of %d, but only the first certificate of each --cert file is read (as IBM genprotimg does): give the signing key in a file of its own",
			later_file, later_pos, later_count);
	if (!v->signkey)
		return pv_err_set(
			err, PV_ERR_INVAL,
			"specify at least one IBM Z signing key (--cert): none of the %zu certificate file(s) holds a certificate of the \"IBM Z Host Key Signing Service\"",
			o->ncerts);
	for (size_t i = 0; i < v->nside; i++)
		v->side[i].for_signkey = names_signkey(
			X509_CRL_get_issuer(v->side[i].crl), v->signkey);
	return 0;
}

/* Whether side CRL @crl speaks for @issuer at @now (as OpenSSL checks). */
static bool side_valid(X509_CRL *crl, X509 *issuer, time_t now)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	AUTHORITY_KEYID *akid;
	int crit = -1;
	bool ok;

	if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
			  X509_get_subject_name(issuer)))
		return false;
	if (X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &now) != -1 ||
	    (next && X509_cmp_time(next, &now) != 1))
		return false;
	akid = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, &crit,
				    NULL);
	ok = crit == -1 || (akid && X509_check_akid(issuer, akid) == X509_V_OK);
	AUTHORITY_KEYID_free(akid);
	ok = ok && X509_CRL_verify(crl, X509_get0_pubkey(issuer)) == 1;
	ERR_clear_error();
	return ok;
}

int hkd_side_check_chain(const struct pv_hkd_verifier *v,
			 STACK_OF(X509) *chain, time_t now,
			 struct pv_err **err)
{
	int n = sk_X509_num(chain);

	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(chain, i);
		/* the root is checked against its own CRL, as CRL_CHECK_ALL
		 * does */
		X509 *issuer = sk_X509_value(chain, i + 1 < n ? i + 1 : i);

		for (size_t k = 0; k < v->nside; k++) {
			X509_REVOKED *rev = NULL;
			char subj[NAME_TEXT];

			if (!side_valid(v->side[k].crl, issuer, now) ||
			    !X509_CRL_get0_by_serial(v->side[k].crl, &rev,
						     X509_get0_serialNumber(x)))
				continue;
			hkd_name_text(X509_get_subject_name(x), subj,
				      sizeof(subj));
			if (i == 0)
				return pv_err_set(
					err, PV_ERR_CERT,
					"IBM Z signing key '%s' is revoked by the CRL inside '%s' (CRLs in --root-ca and --cert files never replace a --crl file, but a revocation in them is refused, as pvimg reads them)",
					v->signkey_file, v->side[k].file);
			return pv_err_set(
				err, PV_ERR_CERT,
				"certificate '%s' in the chain of IBM Z signing key '%s' is revoked by the CRL inside '%s' (CRLs in --root-ca and --cert files never replace a --crl file, but a revocation in them is refused, as pvimg reads them)",
				subj, v->signkey_file, v->side[k].file);
		}
	}
	return 0;
}

const char *hkd_side_file(const struct pv_hkd_verifier *v,
			  const X509_NAME *issuer)
{
	for (size_t k = 0; k < v->nside; k++)
		if (!X509_NAME_cmp(X509_CRL_get_issuer(v->side[k].crl), issuer))
			return v->side[k].file;
	return NULL;
}
