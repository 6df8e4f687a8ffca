// SPDX-License-Identifier: MIT
/*
 * Load a P-521 key from file bytes: PEM or DER, private key (PKCS#8 or
 * SEC1), public key (SubjectPublicKeyInfo) or X.509 certificate.
 */
#include <limits.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "eckey_int.h"

/* Never prompt for a pass phrase: encrypted keys are refused. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return -1;
}

static bool is_pem(const uint8_t *buf, size_t len)
{
	return memmem(buf, len, "-----BEGIN ", 11) != NULL;
}

static EVP_PKEY *pem_private(const uint8_t *buf, size_t len)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	EVP_PKEY *pkey;

	if (!bio)
		return NULL;
	pkey = PEM_read_bio_PrivateKey_ex(bio, NULL, no_passphrase, NULL,
					  NULL, NULL);
	BIO_free(bio);
	return pkey;
}

static EVP_PKEY *pem_public(const uint8_t *buf, size_t len)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	EVP_PKEY *pkey;

	if (!bio)
		return NULL;
	pkey = PEM_read_bio_PUBKEY_ex(bio, NULL, no_passphrase, NULL, NULL,
				      NULL);
	BIO_free(bio);
	return pkey;
}

static EVP_PKEY *cert_key(X509 *cert)
{
	EVP_PKEY *pkey = NULL;

	if (cert) {
		pkey = X509_get_pubkey(cert);	/* new reference */
		X509_free(cert);
	}
	return pkey;
}

static EVP_PKEY *pem_cert(const uint8_t *buf, size_t len)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	X509 *cert;

	if (!bio)
		return NULL;
	cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	return cert_key(cert);
}

/* DER decoders must consume the whole input: trailing bytes are refused. */
static EVP_PKEY *der_private(const uint8_t *buf, size_t len)
{
	const unsigned char *p = buf;
	EVP_PKEY *pkey;

	pkey = d2i_AutoPrivateKey_ex(NULL, &p, (long)len, NULL, NULL);
	if (pkey && p != buf + len) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	return pkey;
}

static EVP_PKEY *der_public(const uint8_t *buf, size_t len)
{
	const unsigned char *p = buf;
	EVP_PKEY *pkey;

	pkey = d2i_PUBKEY_ex(NULL, &p, (long)len, NULL, NULL);
	if (pkey && p != buf + len) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	return pkey;
}

static EVP_PKEY *der_cert(const uint8_t *buf, size_t len)
{
	const unsigned char *p = buf;
	X509 *cert;

	cert = d2i_X509(NULL, &p, (long)len);
	if (cert && p != buf + len) {
		X509_free(cert);
		cert = NULL;
	}
	return cert_key(cert);
}

/*
 * Try the decoders in order: private key, public key, certificate.  The
 * OpenSSL error queue of the failed attempts is discarded.
 */
static EVP_PKEY *decode_any(const uint8_t *buf, size_t len, const char **what)
{
	EVP_PKEY *pkey;
	bool pem = is_pem(buf, len);

	ERR_set_mark();
	pkey = pem ? pem_private(buf, len) : der_private(buf, len);
	*what = "private key";
	if (!pkey) {
		pkey = pem ? pem_public(buf, len) : der_public(buf, len);
		*what = "public key";
	}
	if (!pkey) {
		pkey = pem ? pem_cert(buf, len) : der_cert(buf, len);
		*what = "certificate";
	}
	ERR_pop_to_mark();
	return pkey;
}

static int validate(const struct pv_eckey *key, const char *what,
		    struct pv_err **err)
{
	EVP_PKEY_CTX *ctx;
	bool ok;

	/*
	 * Key pairs: scalar in [1, n-1] and pub == d * G, which makes pub a
	 * valid point of order n; public keys: point in range and on the
	 * curve (cofactor 1, see pv_eckey_point_check()).
	 */
	if (key->priv) {
		ok = pv_eckey_pair_ok(key->pkey);
	} else {
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
		if (!ctx)
			return pv_err_ssl(err, "cannot check the EC key");
		ok = pv_eckey_point_check(ctx) == 1;
		EVP_PKEY_CTX_free(ctx);
	}
	if (!ok) {
		ERR_clear_error();
		return pv_err_set(err, PV_ERR_KEY,
				  "the P-521 %s fails the key consistency check",
				  what);
	}
	return 0;
}

int pv_eckey_from_bytes(const uint8_t *buf, size_t len, bool need_private,
			struct pv_eckey **out, struct pv_err **err)
{
	struct pv_eckey *key;
	const char *what;
	EVP_PKEY *pkey;
	int rc;

	*out = NULL;
	if (!buf || !len)
		return pv_err_set(err, PV_ERR_FORMAT, "key input is empty");
	if (len > INT_MAX)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "key input of %zu bytes is too large", len);
	pkey = decode_any(buf, len, &what);
	if (!pkey) {
		if (is_pem(buf, len) && memmem(buf, len, "ENCRYPTED", 9))
			return pv_err_set(err, PV_ERR_UNSUPPORTED,
					  "encrypted private keys are not supported; store the key unencrypted");
		return pv_err_set(err, PV_ERR_FORMAT,
				  "input (%zu bytes, %s) holds no private key, public key or X.509 certificate",
				  len, is_pem(buf, len) ? "PEM" : "not PEM");
	}
	rc = pv_eckey_adopt(pkey, &key, err);
	if (rc)
		return rc;
	if (need_private && !key->priv) {
		pv_eckey_free(key);
		return pv_err_set(err, PV_ERR_KEY,
				  "input is a %s without private key; a P-521 private key is needed",
				  what);
	}
	rc = validate(key, what, err);
	if (rc) {
		pv_eckey_free(key);
		return rc;
	}
	key->checked = true;
	*out = key;
	return 0;
}
