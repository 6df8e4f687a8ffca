// SPDX-License-Identifier: MIT
/* P-521 ECDH and the key-slot KEK derivation (§6.4). */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "eckey_int.h"

int pv_ecdh(const struct pv_eckey *priv, const struct pv_eckey *peer,
	    uint8_t out[PV_ECDH_LEN], struct pv_err **err)
{
	EVP_PKEY_CTX *ctx;
	size_t len = PV_ECDH_LEN;
	int rc = 0;

	if (!priv || !peer)
		return pv_err_set(err, PV_ERR_INVAL, "ECDH needs two keys");
	if (!priv->priv)
		return pv_err_set(err, PV_ERR_KEY,
				  "ECDH needs a private key, got a public key");
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv->pkey, NULL);
	if (!ctx)
		return pv_err_ssl(err, "cannot create ECDH context");
	/*
	 * Validate the peer point unless that was done when its pv_eckey was
	 * built (then it would cost one more P-521 multiplication per call).
	 */
	if (EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer_ex(ctx, peer->pkey, !peer->checked) != 1) {
		char why[256] = "unknown reason";
		unsigned long e = ERR_peek_last_error();

		if (e)
			ERR_error_string_n(e, why, sizeof(why));
		ERR_clear_error();
		rc = pv_err_set(err, PV_ERR_KEY,
				"ECDH peer key is not a usable P-521 public key (%s)",
				why);
		goto out;
	}
	/* §6.4 step 1: Z is the 66-byte X coordinate of the shared point. */
	if (EVP_PKEY_derive(ctx, out, &len) != 1 || len != PV_ECDH_LEN) {
		pv_cleanse(out, PV_ECDH_LEN);
		rc = pv_err_ssl(err, "ECDH derivation failed (%zu bytes)", len);
	}
out:
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

int pv_derive_kek(const struct pv_eckey *priv, const struct pv_eckey *peer,
		  uint8_t kek[PV_KEK_LEN], struct pv_err **err)
{
	uint8_t z[PV_ECDH_LEN + 4];
	int rc;

	rc = pv_ecdh(priv, peer, z, err);
	if (rc)
		return rc;
	/* §6.4 step 2: X9.63 KDF, SHA-256, counter 1 (BE32), no info. */
	memcpy(z + PV_ECDH_LEN, "\x00\x00\x00\x01", 4);
	rc = pv_sha256(z, sizeof(z), kek, err);
	pv_cleanse(z, sizeof(z));
	if (rc)
		pv_cleanse(kek, PV_KEK_LEN);
	return rc;
}
