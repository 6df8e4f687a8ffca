// SPDX-License-Identifier: MIT
/* AES-256-GCM with a 12-byte IV and a 16-byte tag (§6.5, §6.6). */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "pvboot/crypto.h"

#define GCM_CHUNK (1 << 30)	/* EVP_*Update take an int length */

/* Feed @len bytes of AAD (out == NULL) or data through @ctx in chunks. */
static int gcm_update(EVP_CIPHER_CTX *ctx, uint8_t *out,
		      const uint8_t *in, size_t len)
{
	while (len) {
		int n = len > GCM_CHUNK ? GCM_CHUNK : (int)len, outl = 0;

		if (EVP_CipherUpdate(ctx, out, &outl, in, n) != 1)
			return -1;
		if (out && outl != n)
			return -1;
		in += n;
		if (out)
			out += n;
		len -= (size_t)n;
	}
	return 0;
}

static EVP_CIPHER_CTX *gcm_init(const uint8_t key[32],
				const uint8_t iv[PV_GCM_IV_LEN], int enc,
				const uint8_t *aad, size_t aad_len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx)
		return NULL;
	if (EVP_CipherInit_ex2(ctx, EVP_aes_256_gcm(), NULL, NULL, enc,
			       NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, PV_GCM_IV_LEN,
				NULL) != 1 ||
	    EVP_CipherInit_ex2(ctx, NULL, key, iv, enc, NULL) != 1 ||
	    gcm_update(ctx, NULL, aad, aad_len)) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int pv_gcm_encrypt(const uint8_t key[32], const uint8_t iv[PV_GCM_IV_LEN],
		   const uint8_t *aad, size_t aad_len, const uint8_t *pt,
		   size_t len, uint8_t *ct, uint8_t tag[PV_GCM_TAG_LEN],
		   struct pv_err **err)
{
	uint8_t fin[PV_GCM_TAG_LEN];
	EVP_CIPHER_CTX *ctx;
	int outl = 0, rc = 0;

	ctx = gcm_init(key, iv, 1, aad, aad_len);
	if (!ctx)
		return pv_err_ssl(err, "AES-256-GCM setup failed");
	if (gcm_update(ctx, ct, pt, len) ||
	    EVP_EncryptFinal_ex(ctx, fin, &outl) != 1 || outl ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, PV_GCM_TAG_LEN,
				tag) != 1) {
		if (len)
			memset(ct, 0, len);
		rc = pv_err_ssl(err,
				"AES-256-GCM encryption of %zu bytes failed",
				len);
	}
	EVP_CIPHER_CTX_free(ctx);	/* cleanses the key schedule */
	return rc;
}

int pv_gcm_decrypt(const uint8_t key[32], const uint8_t iv[PV_GCM_IV_LEN],
		   const uint8_t *aad, size_t aad_len, const uint8_t *ct,
		   size_t len, const uint8_t tag[PV_GCM_TAG_LEN], uint8_t *pt,
		   struct pv_err **err)
{
	uint8_t tagbuf[PV_GCM_TAG_LEN], fin[PV_GCM_TAG_LEN];
	EVP_CIPHER_CTX *ctx;
	int outl = 0, rc = 0;

	ctx = gcm_init(key, iv, 0, aad, aad_len);
	if (!ctx)
		return pv_err_ssl(err, "AES-256-GCM setup failed");
	memcpy(tagbuf, tag, sizeof(tagbuf));
	if (gcm_update(ctx, pt, ct, len) ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, PV_GCM_TAG_LEN,
				tagbuf) != 1) {
		rc = pv_err_ssl(err,
				"AES-256-GCM decryption of %zu bytes failed",
				len);
	} else if (EVP_DecryptFinal_ex(ctx, fin, &outl) != 1 || outl) {
		ERR_clear_error();
		rc = pv_err_set(err, PV_ERR_AUTH,
				"AES-256-GCM tag mismatch: wrong key or modified data (%zu bytes, %zu bytes AAD)",
				len, aad_len);
	}
	/* Never hand out unauthenticated data. */
	if (rc && len)
		pv_cleanse(pt, len);
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}
