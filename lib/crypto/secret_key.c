// SPDX-License-Identifier: MIT
/*
 * EC and Edwards private keys as retrievable secrets
 * (attestation-and-secrets.md §6.4): the private scalar or raw key,
 * big-endian and left-padded to the type's length.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>

#include "pvboot/attest.h"

static EVP_PKEY *decode(const uint8_t *buf, size_t len)
{
	static const char *const inputs[] = { "PEM", "DER" };
	EVP_PKEY *pkey = NULL;

	for (int i = 0; i < 2 && !pkey; i++) {
		const unsigned char *p = buf;
		size_t n = len;
		OSSL_DECODER_CTX *dctx;

		dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, inputs[i], NULL,
						     NULL, EVP_PKEY_KEYPAIR,
						     NULL, NULL);
		if (!dctx)
			continue;
		if (OSSL_DECODER_from_data(dctx, &p, &n) != 1)
			pkey = NULL;
		OSSL_DECODER_CTX_free(dctx);
	}
	return pkey;
}

static int ec_scalar(EVP_PKEY *pkey, uint16_t *type, uint8_t out[80],
		     uint32_t *len, struct pv_err **err)
{
	char curve[64] = "";
	BIGNUM *d = NULL;
	int rc = 0;

	EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
				       curve, sizeof(curve), NULL);
	if (!strcmp(curve, "prime256v1") || !strcmp(curve, "P-256")) {
		*type = PV_SECRET_EC_P256;
		*len = 32;
	} else if (!strcmp(curve, "secp384r1") || !strcmp(curve, "P-384")) {
		*type = PV_SECRET_EC_P384;
		*len = 48;
	} else if (!strcmp(curve, "secp521r1") || !strcmp(curve, "P-521")) {
		*type = PV_SECRET_EC_P521;
		*len = 80;
	} else {
		return pv_err_set(err, PV_ERR_KEY,
				  "EC key on curve %s: a retrievable EC secret needs P-256, P-384 or P-521",
				  curve[0] ? curve : "(unknown)");
	}
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1 ||
	    BN_bn2binpad(d, out, (int)*len) != (int)*len)
		rc = pv_err_ssl(err, "cannot read the private scalar");
	BN_clear_free(d);
	return rc;
}

int pv_secret_from_private_key(const uint8_t *buf, size_t buflen,
			       uint16_t *type, uint8_t out[80], uint32_t *len,
			       struct pv_err **err)
{
	EVP_PKEY *pkey = decode(buf, buflen);
	size_t raw = 80;
	int rc = 0;

	memset(out, 0, 80);
	if (!pkey)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "not a PEM or DER private key");
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_EC:
		rc = ec_scalar(pkey, type, out, len, err);
		break;
	case EVP_PKEY_ED25519:
	case EVP_PKEY_ED448:
		*type = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519 ?
			PV_SECRET_ED25519 : PV_SECRET_ED448;
		*len = *type == PV_SECRET_ED25519 ? 32 : 64;
		if (EVP_PKEY_get_raw_private_key(pkey, NULL, &raw) != 1 ||
		    raw > *len ||
		    EVP_PKEY_get_raw_private_key(pkey, out + *len - raw,
						 &raw) != 1)
			rc = pv_err_ssl(err, "cannot read the private key");
		break;
	default:
		rc = pv_err_set(err, PV_ERR_KEY,
				"%s key: a retrievable EC secret needs an EC (P-256/384/521), Ed25519 or Ed448 private key",
				EVP_PKEY_get0_type_name(pkey) ?
				EVP_PKEY_get0_type_name(pkey) : "unknown");
	}
	EVP_PKEY_free(pkey);
	if (rc)
		pv_cleanse(out, 80);
	return rc;
}
