/* SPDX-License-Identifier: MIT */
/*
 * Host-key documents (HKD): loading and verification against the IBM Z
 * signing-key chain, offline, with CRLs (se-image-format.md §7); and a
 * generator for a test PKI of the same shape, for demos and tests.
 */
#ifndef PVBOOT_HKD_H
#define PVBOOT_HKD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pvboot/crypto.h"
#include "pvboot/err.h"

/* Minimum strength of every key (OpenSSL security level 2, §7 step 5/6). */
#define PV_HKD_MIN_SECURITY_BITS 112

struct pv_hkd_opts {
	const char *const *certs;	/* -C/--cert: untrusted chain certs,
					 * the first of each file */
	size_t ncerts;
	const char *const *crls;	/* --crl files (PEM, may hold several,
					 * or DER): the only source of CRLs */
	size_t ncrls;
	const char *root_ca;		/* --root-ca: exactly one certificate;
					 * NULL = system store */
	bool offline;			/* --offline: never download (pvboot never does) */
	time_t now;			/* 0 = current time (tests pin it) */
};

/*
 * Load a host-key document: the first certificate of a PEM or DER file
 * (further certificates in the file are ignored); its key must be EC P-521.
 * Returns the public key in *@key (caller frees).  Errors name the file:
 * empty, garbage, not a certificate (PV_ERR_FORMAT), not P-521 (PV_ERR_KEY).
 */
int pv_hkd_load(const char *path, struct pv_eckey **key, struct pv_err **err);

/*
 * Same as pv_hkd_load() on the bytes of a file; @name is used in messages.
 * Never reads outside @buf[0..@len).
 */
int pv_hkd_load_bytes(const uint8_t *buf, size_t len, const char *name,
		      struct pv_eckey **key, struct pv_err **err);

/*
 * Parse the bytes of a CRL file (PEM with one or more CRLs, or one DER CRL)
 * and store the number of CRLs in *@count.  A file without any CRL is an
 * error (PV_ERR_FORMAT) naming @name.
 */
int pv_crl_load_bytes(const uint8_t *buf, size_t len, const char *name,
		      size_t *count, struct pv_err **err);

/*
 * Verify @nhkd host-key documents against the chain given in @opts:
 * exactly one IBM Z signing key among the certs, chain to the root with
 * CRL checks, each HKD signed by the signing key, within its validity,
 * not revoked.  Returns 0 when all verify, else the first failure with a
 * message naming the document and the reason (revoked host key, revoked
 * signing key, expired, missing CRL, wrong issuer, two signing keys, ...).
 */
int pv_hkd_verify(const char *const *hkd_paths, size_t nhkd,
		  const struct pv_hkd_opts *opts, struct pv_err **err);

/*
 * A verifier holds the checked chain (§7 steps 1-5) so that many host-key
 * documents can be checked against it (step 6-7).  pv_hkd_verifier_new()
 * loads the files of @opts and verifies the IBM Z signing key; it fails
 * like pv_hkd_verify() does for chain problems.
 */
struct pv_hkd_verifier;
int pv_hkd_verifier_new(const struct pv_hkd_opts *opts,
			struct pv_hkd_verifier **out, struct pv_err **err);

/*
 * Check one host-key document given as file bytes (first certificate of a
 * PEM or DER file) against @v.  @key may be NULL; otherwise it receives the
 * verified P-521 public key (caller frees).  @name is used in messages.
 */
int pv_hkd_verifier_check(const struct pv_hkd_verifier *v, const uint8_t *buf,
			  size_t len, const char *name, struct pv_eckey **key,
			  struct pv_err **err);
void pv_hkd_verifier_free(struct pv_hkd_verifier *v);	/* NULL-safe */

/* ---- test PKI ------------------------------------------------------------ */

/*
 * A test PKI shaped like IBM's: root CA -> intermediate CA -> "IBM Z Host
 * Key Signing Service" signing key -> host-key documents, with CRLs from
 * every issuer.  It is trusted by nobody: it exists so that demos and tests
 * can build, verify and boot images without IBM hardware.  The host private
 * keys it writes stand in for the key a real IBM Z machine keeps inside its
 * firmware.
 */
struct pv_testpki_opts {
	unsigned int hosts;	/* good HKDs: host.crt, host2.crt, ... (>= 1) */
	bool variants;		/* also the bad variants (revoked, ...) */
	unsigned int days;	/* validity of the good certs; 0 = 3650 */
	time_t base;		/* start of validity; 0 = now - 1 h, or
				 * 2024-01-01 00:00 UTC when seeded */
	const uint8_t *seed;	/* NULL: fresh random keys */
	size_t seed_len;	/* >= 32 when @seed is set */
};

/* Start of validity of a seeded test PKI when opts->base is 0. */
#define PV_TESTPKI_SEED_BASE ((time_t)1704067200)	/* 2024-01-01 UTC */
#define PV_TESTPKI_DEFAULT_DAYS 3650u
#define PV_TESTPKI_MAX_HOSTS 99u

struct pv_testpki_file {
	const char *name;	/* file name, e.g. "host.crt" */
	const char *what;	/* one-line description */
	uint8_t *data;		/* PEM text (or raw bytes for bad variants) */
	size_t len;
	bool secret;		/* private key: mode 0600, zeroized on free */
};

struct pv_testpki;

/*
 * Generate a test PKI in memory.  With a seed every key, serial number,
 * date and signature is derived from it, so the same seed and options give
 * byte-identical files; without one the keys are fresh.  Security: the seed
 * determines all private keys of the PKI; treat it as a secret.
 */
int pv_testpki_generate(const struct pv_testpki_opts *opts,
			struct pv_testpki **out, struct pv_err **err);
size_t pv_testpki_count(const struct pv_testpki *pki);
/* The @i-th file (0 <= i < count), or NULL when out of range. */
const struct pv_testpki_file *pv_testpki_file(const struct pv_testpki *pki,
					      size_t i);
/* The file called @name, or NULL. */
const struct pv_testpki_file *pv_testpki_find(const struct pv_testpki *pki,
					      const char *name);
/*
 * Write every file into the existing directory @dir, each atomically
 * (temporary file + rename); existing files of the same name are replaced.
 * Private keys get mode 0600, the rest 0644.
 */
int pv_testpki_write(const struct pv_testpki *pki, const char *dir,
		     struct pv_err **err);
void pv_testpki_free(struct pv_testpki *pki);	/* NULL-safe, zeroizes keys */

#endif
