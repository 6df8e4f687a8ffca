/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the host-key document code (hkd_*.c) and the test PKI
 * generator (testpki*.c): file reading, PEM/DER parsing of certificates and
 * CRLs, and the IBM Z signing-key name rules of se-image-format.md §7.
 */
#ifndef PVBOOT_HKD_INTERNAL_H
#define PVBOOT_HKD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "pvboot/crypto.h"
#include "pvboot/err.h"

/* Certificate and CRL files larger than this are refused. */
#define HKD_MAX_FILE (16u << 20)

/*
 * Read the whole file @path (at most HKD_MAX_FILE bytes) into a new buffer.
 * @what names the file's role in messages ("host-key document").
 */
int hkd_read_file(const char *path, const char *what, uint8_t **buf,
		  size_t *len, struct pv_err **err);

/*
 * Parse every certificate of a PEM buffer, or the one DER certificate, into
 * a new stack *@certs (at least one, else an error telling empty, garbage or
 * "only CRLs").  When @crls is non-NULL, CRLs found in a PEM buffer are
 * appended to it.  "TRUSTED CERTIFICATE" blocks count only with
 * @trusted_ok: IBM's tools read them in a --root-ca file alone
 * (X509_load_cert_file there, PEM_read_bio_X509 everywhere else).
 */
int hkd_parse_certs(const uint8_t *buf, size_t len, const char *what,
		    const char *name, bool trusted_ok, STACK_OF(X509) **certs,
		    STACK_OF(X509_CRL) *crls, struct pv_err **err);

/* Append the CRLs of a PEM or DER buffer to @crls; none is an error. */
int hkd_parse_crls(const uint8_t *buf, size_t len, const char *name,
		   STACK_OF(X509_CRL) *crls, struct pv_err **err);

/* First certificate of a PEM or DER buffer (new reference); no
 * "TRUSTED CERTIFICATE" blocks (see hkd_parse_certs). */
int hkd_parse_first(const uint8_t *buf, size_t len, const char *what,
		    const char *name, X509 **out, struct pv_err **err);

/*
 * Check that @pkey is an EC key on secp521r1 with a valid public point and
 * wrap it into a pv_eckey (when @out is non-NULL).  PV_ERR_KEY names the
 * type or curve found (§7 step 7).
 */
int hkd_check_p521(EVP_PKEY *pkey, const char *what, const char *name,
		   struct pv_eckey **out, struct pv_err **err);

/* True when @name is an IBM Z signing-key subject (§7 step 3). */
bool hkd_is_signing_name(const X509_NAME *name);

/* Copy of @name with L=Armonk replaced by Poughkeepsie; NULL if no Armonk. */
X509_NAME *hkd_name_armonk_fixup(const X509_NAME *name);

/* Copy of @name re-ordered to C, O, OU, L, ST, CN (§7 step 6 quirk). */
X509_NAME *hkd_name_reorder(const X509_NAME *name);

/* One-line text of @name ("C=US, O=..."), truncated to fit @buf. */
const char *hkd_name_text(const X509_NAME *name, char *buf, size_t size);

#endif
