// SPDX-License-Identifier: MIT
/*
 * HMAC-SHA-512 (the attestation measurement, attestation-and-secrets.md
 * §4.1), HKDF-SHA-512 (the derived extension secret, §6.5) and a running
 * SHA-512 that can be read without ending it (the secret-store hash, §4.3).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "pvboot/attest.h"

int pv_hmac_sha512(const uint8_t *key, size_t klen, const struct pv_iov *iov,
		   size_t n, uint8_t out[PV_SHA512_LEN], struct pv_err **err)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t outl = 0;
	int rc = 0;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac)
		ctx = EVP_MAC_CTX_new(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)"SHA512", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!ctx || EVP_MAC_init(ctx, key, klen, params) != 1) {
		rc = pv_err_ssl(err, "HMAC-SHA-512 setup failed");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (iov[i].len &&
		    EVP_MAC_update(ctx, iov[i].base, iov[i].len) != 1) {
			rc = pv_err_ssl(err, "HMAC-SHA-512 update failed");
			goto out;
		}
	}
	if (EVP_MAC_final(ctx, out, &outl, PV_SHA512_LEN) != 1 ||
	    outl != PV_SHA512_LEN)
		rc = pv_err_ssl(err, "HMAC-SHA-512 final failed");
out:
	if (rc)
		pv_cleanse(out, PV_SHA512_LEN);
	EVP_MAC_CTX_free(ctx);	/* cleanses the key */
	EVP_MAC_free(mac);
	return rc;
}

int pv_hkdf_sha512(const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
		   size_t salt_len, const uint8_t *info, size_t info_len,
		   uint8_t *out, size_t len, struct pv_err **err)
{
	OSSL_PARAM params[5], *p = params;
	EVP_KDF_CTX *ctx = NULL;
	EVP_KDF *kdf;
	int rc = 0;

	kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_HKDF, NULL);
	if (kdf)
		ctx = EVP_KDF_CTX_new(kdf);
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)"SHA512", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)ikm, ikm_len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						 (void *)salt, salt_len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						 (void *)info, info_len);
	*p = OSSL_PARAM_construct_end();
	if (!ctx || EVP_KDF_derive(ctx, out, len, params) != 1) {
		pv_cleanse(out, len);
		rc = pv_err_ssl(err, "HKDF-SHA-512 derivation failed");
	}
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

struct pv_sha512 {
	EVP_MD_CTX *ctx;
};

int pv_sha512_new(struct pv_sha512 **out, struct pv_err **err)
{
	struct pv_sha512 *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory for SHA-512");
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx || EVP_DigestInit_ex(s->ctx, EVP_sha512(), NULL) != 1) {
		pv_sha512_free(s);
		return pv_err_ssl(err, "SHA-512 setup failed");
	}
	*out = s;
	return 0;
}

void pv_sha512_free(struct pv_sha512 *s)
{
	if (!s)
		return;
	EVP_MD_CTX_free(s->ctx);
	free(s);
}

int pv_sha512_update(struct pv_sha512 *s, const void *buf, size_t len,
		     struct pv_err **err)
{
	if (len && EVP_DigestUpdate(s->ctx, buf, len) != 1)
		return pv_err_ssl(err, "SHA-512 update failed");
	return 0;
}

int pv_sha512_peek(const struct pv_sha512 *s, const void *extra,
		   size_t extra_len, uint8_t out[PV_SHA512_LEN],
		   struct pv_err **err)
{
	EVP_MD_CTX *copy = EVP_MD_CTX_new();
	unsigned int outl = 0;
	int rc = 0;

	if (!copy || EVP_MD_CTX_copy_ex(copy, s->ctx) != 1 ||
	    (extra_len && EVP_DigestUpdate(copy, extra, extra_len) != 1) ||
	    EVP_DigestFinal_ex(copy, out, &outl) != 1 ||
	    outl != PV_SHA512_LEN)
		rc = pv_err_ssl(err, "SHA-512 final failed");
	EVP_MD_CTX_free(copy);
	return rc;
}

int pv_aes256_ctr(const uint8_t key[32], const uint8_t iv[16],
		  const uint8_t *in, size_t len, uint8_t *out,
		  struct pv_err **err)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0, fin = 0, rc = 0;

	if (len > INT_MAX)
		return pv_err_set(err, PV_ERR_RANGE, "AES-CTR input too large");
	if (!ctx ||
	    EVP_EncryptInit_ex2(ctx, EVP_aes_256_ctr(), key, iv, NULL) != 1 ||
	    EVP_EncryptUpdate(ctx, out, &outl, in, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(ctx, out + outl, &fin) != 1 ||
	    (size_t)(outl + fin) != len) {
		if (len)
			pv_cleanse(out, len);
		rc = pv_err_ssl(err, "AES-256-CTR failed");
	}
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}
