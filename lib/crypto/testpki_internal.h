/* SPDX-License-Identifier: MIT */
/*
 * Building blocks of the test PKI (testpki*.c): keys derived from a pv_rng,
 * certificates and CRLs shaped like IBM's host-key PKI, PEM output.
 */
#ifndef PVBOOT_TESTPKI_INTERNAL_H
#define PVBOOT_TESTPKI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pvboot/crypto.h"
#include "pvboot/err.h"

#define TP_DAY ((time_t)86400)

struct tp_ctx {
	/*
	 * Seeded mode: a private library context whose random generator
	 * returns fixed bytes, so that ECDSA nonces depend only on the key
	 * and the message (OpenSSL hashes both into the nonce).  NULL when
	 * not seeded: the default context and its CSPRNG.
	 */
	OSSL_LIB_CTX *lc;
	struct pv_rng *rng;
	time_t base;		/* start of validity of the good certs */
	time_t end;		/* end of validity of the good certs */
};

int tp_ctx_init(struct tp_ctx *c, const uint8_t *seed, size_t seed_len,
		struct pv_err **err);
void tp_ctx_fini(struct tp_ctx *c);

/* A key pair on curve @curve (short name), scalar derived from @label. */
int tp_key(struct tp_ctx *c, const char *label, const char *curve,
	   EVP_PKEY **out, struct pv_err **err);

/* Name from { field, value } pairs ("C", "US"), ended by a NULL field. */
X509_NAME *tp_name(const char *const (*pairs)[2]);

enum tp_kind { TP_ROOT, TP_CA, TP_SIGNING, TP_HOST };

struct tp_cert_spec {
	enum tp_kind kind;
	const char *label;	/* rng label of the serial number */
	const X509_NAME *subject;
	EVP_PKEY *key;		/* subject public key */
	X509 *issuer;		/* NULL: self-signed with @issuer_key */
	EVP_PKEY *issuer_key;
	const X509_NAME *issuer_name;	/* NULL: the issuer's subject */
	time_t not_before, not_after;
	bool no_akid;		/* leave out the authority key identifier */
};

int tp_cert(struct tp_ctx *c, const struct tp_cert_spec *s, X509 **out,
	    struct pv_err **err);

struct tp_crl_spec {
	X509 *issuer;
	EVP_PKEY *issuer_key;
	const X509_NAME *issuer_name;	/* NULL: the issuer's subject */
	time_t last, next;
	X509 *const *revoked;	/* certificates to list */
	size_t nrevoked;
	long number;		/* cRLNumber */
};

int tp_crl(struct tp_ctx *c, const struct tp_crl_spec *s, X509_CRL **out,
	   struct pv_err **err);

int tp_pem_cert(X509 *x, uint8_t **data, size_t *len, struct pv_err **err);
int tp_pem_crl(X509_CRL *crl, uint8_t **data, size_t *len,
	       struct pv_err **err);
/* Unencrypted PKCS#8 PEM; the caller must zeroize @data. */
int tp_pem_key(EVP_PKEY *key, uint8_t **data, size_t *len,
	       struct pv_err **err);

/* ---- the PKI being built (testpki.c, testpki_variants.c) ---------------- */

struct pv_testpki;

/* Everything alive while one test PKI is built. */
struct tp_build {
	struct tp_ctx c;
	struct pv_testpki *pki;
	X509_NAME *root_name, *inter_name, *sign_name, *host_name;
	EVP_PKEY *root_key, *inter_key, *sign_key, *host_key;
	X509 *root, *inter, *sign;
	X509 *sign_revoked, *host_revoked;	/* variants listed in CRLs */
	EVP_PKEY *host_revoked_key;
};

/* The six subject entries of the IBM Z signing key (§7 step 3). */
extern const char *const tp_sign_pairs[][2];

/* Issue a certificate of @kind for @key, valid [@nb, @na). */
int tp_issue(struct tp_build *b, enum tp_kind kind, const char *label,
	     const X509_NAME *subject, EVP_PKEY *key, X509 *issuer,
	     EVP_PKEY *issuer_key, time_t nb, time_t na, X509 **out,
	     struct pv_err **err);
/* Add an output file holding @x / @k / a new CRL / raw bytes. */
int tp_add_cert(struct tp_build *b, const char *name, const char *what,
		X509 *x, struct pv_err **err);
int tp_add_key(struct tp_build *b, const char *name, const char *what,
	       EVP_PKEY *k, struct pv_err **err);
int tp_add_crl(struct tp_build *b, const char *name, const char *what,
	       const struct tp_crl_spec *s, struct pv_err **err);
int tp_add_raw(struct tp_build *b, const char *name, const char *what,
	       const void *src, size_t len, struct pv_err **err);

/* The bad variants, after the good set and the CRLs. */
int tp_build_variants(struct tp_build *b, struct pv_err **err);

#endif
