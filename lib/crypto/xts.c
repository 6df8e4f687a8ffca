// SPDX-License-Identifier: MIT
/*
 * AES-256-XTS per 4096-byte page with a 16-byte tweak (§6.7).  One cipher
 * context is keyed once; each page only re-initialises the IV.
 */
#include <stdlib.h>

#include <openssl/evp.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"

struct pv_xts {
	EVP_CIPHER_CTX *ctx;
	int enc;
};

int pv_xts_new(const uint8_t key[PV_XK_LEN], bool encrypt,
	       struct pv_xts **out, struct pv_err **err)
{
	EVP_CIPHER *cipher;
	struct pv_xts *x;

	*out = NULL;
	/* §6.1: the two XK halves must differ (IEEE 1619 / OpenSSL 3). */
	if (pv_memeq_ct(key, key + PV_XK_LEN / 2, PV_XK_LEN / 2))
		return pv_err_set(err, PV_ERR_KEY,
				  "AES-XTS image key has equal halves (K1 == K2)");
	x = calloc(1, sizeof(*x));
	if (!x)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for AES-XTS");
	x->enc = encrypt ? 1 : 0;
	x->ctx = EVP_CIPHER_CTX_new();
	cipher = EVP_CIPHER_fetch(NULL, "AES-256-XTS", NULL);
	if (!x->ctx || !cipher ||
	    EVP_CipherInit_ex2(x->ctx, cipher, key, NULL, x->enc, NULL) != 1) {
		EVP_CIPHER_free(cipher);
		pv_xts_free(x);
		return pv_err_ssl(err, "AES-256-XTS setup failed");
	}
	/* The context holds its own reference to the cipher. */
	EVP_CIPHER_free(cipher);
	*out = x;
	return 0;
}

void pv_xts_free(struct pv_xts *x)
{
	if (!x)
		return;
	EVP_CIPHER_CTX_free(x->ctx);	/* cleanses the key schedule */
	free(x);
}

int pv_xts_page(struct pv_xts *x, const uint8_t tweak[PV_TWEAK_LEN],
		const uint8_t *in, uint8_t *out, struct pv_err **err)
{
	int outl = 0;

	/* One page is one XTS data unit; the tweak is the IV (§6.7). */
	if (EVP_CipherInit_ex2(x->ctx, NULL, NULL, tweak, x->enc, NULL) != 1 ||
	    EVP_CipherUpdate(x->ctx, out, &outl, in, (int)PV_PAGE_SIZE) != 1 ||
	    outl != (int)PV_PAGE_SIZE)
		return pv_err_ssl(err, "AES-256-XTS %s of a page failed",
				  x->enc ? "encryption" : "decryption");
	return 0;
}

void pv_tweak_make(uint64_t prefix, uint64_t offset,
		   uint8_t tweak[PV_TWEAK_LEN])
{
	pv_put_be64(tweak, prefix);
	pv_put_be64(tweak + 8, offset);
}
