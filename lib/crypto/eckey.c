// SPDX-License-Identifier: MIT
/* P-521 key objects: ownership, type checks, coordinates and phkh (§6.2). */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/err.h>

#include "eckey_int.h"

static bool pkey_has_private(const EVP_PKEY *pkey)
{
	BIGNUM *d = NULL;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1)
		return false;
	BN_clear_free(d);
	return true;
}

/* PV_ERR_KEY unless @pkey is EC on secp521r1 with a named group. */
static int check_p521(const EVP_PKEY *pkey, struct pv_err **err)
{
	char group[64] = "";
	const char *type;
	size_t glen = 0;

	if (!EVP_PKEY_is_a(pkey, "EC")) {
		type = EVP_PKEY_get0_type_name(pkey);
		return pv_err_set(err, PV_ERR_KEY,
				  "found key type %s (%d bits), need an EC P-521 (secp521r1) key",
				  type ? type : "unknown",
				  EVP_PKEY_get_bits(pkey));
	}
	if (EVP_PKEY_get_group_name(pkey, group, sizeof(group), &glen) != 1 ||
	    !glen) {
		ERR_clear_error();
		return pv_err_set(err, PV_ERR_KEY,
				  "found an EC key with explicit curve parameters (%d bits), need the named curve P-521 (secp521r1)",
				  EVP_PKEY_get_bits(pkey));
	}
	if (strcmp(group, PV_EC_GROUP) && strcmp(group, "P-521"))
		return pv_err_set(err, PV_ERR_KEY,
				  "found an EC key on curve %s, need P-521 (secp521r1)",
				  group);
	return 0;
}

int pv_eckey_adopt(EVP_PKEY *pkey, struct pv_eckey **out,
		   struct pv_err **err)
{
	struct pv_eckey *key;
	int rc;

	*out = NULL;
	rc = check_p521(pkey, err);
	if (rc) {
		EVP_PKEY_free(pkey);
		return rc;
	}
	key = calloc(1, sizeof(*key));
	if (!key) {
		EVP_PKEY_free(pkey);
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for EC key");
	}
	key->pkey = pkey;
	key->priv = pkey_has_private(pkey);
	*out = key;
	return 0;
}

int pv_eckey_point_check(EVP_PKEY_CTX *ctx)
{
	return EVP_PKEY_public_check_quick(ctx);
}

int pv_eckey_from_evp(void *evp_pkey, struct pv_eckey **out,
		      struct pv_err **err)
{
	EVP_PKEY *pkey = evp_pkey;

	*out = NULL;
	if (!pkey)
		return pv_err_set(err, PV_ERR_INVAL, "no EVP_PKEY given");
	if (EVP_PKEY_up_ref(pkey) != 1)
		return pv_err_ssl(err, "cannot take a reference on the key");
	return pv_eckey_adopt(pkey, out, err);
}

void *pv_eckey_evp(const struct pv_eckey *key)
{
	return key ? key->pkey : NULL;
}

bool pv_eckey_has_private(const struct pv_eckey *key)
{
	return key && key->priv;
}

void pv_eckey_free(struct pv_eckey *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);	/* clears the private scalar */
	free(key);
}

static int put_coord(const EVP_PKEY *pkey, const char *name, uint8_t *out,
		     struct pv_err **err)
{
	BIGNUM *bn = NULL;
	int rc = 0;

	if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1)
		return pv_err_ssl(err, "cannot read EC public coordinate %s",
				  name);
	if (BN_num_bytes(bn) > PV_EC_FIELD_LEN ||
	    BN_bn2binpad(bn, out, PV_EC_COORD_LEN) != PV_EC_COORD_LEN)
		rc = pv_err_set(err, PV_ERR_KEY,
				"EC public coordinate %s has %d bytes, P-521 allows %d",
				name, BN_num_bytes(bn), PV_EC_FIELD_LEN);
	BN_free(bn);
	return rc;
}

int pv_eckey_coords(const struct pv_eckey *key,
		    uint8_t out[PV_EC_COORDS_LEN], struct pv_err **err)
{
	int rc;

	/* §6.2: X and Y, big-endian, each left-padded to 80 bytes. */
	rc = put_coord(key->pkey, OSSL_PKEY_PARAM_EC_PUB_X, out, err);
	if (!rc)
		rc = put_coord(key->pkey, OSSL_PKEY_PARAM_EC_PUB_Y,
			       out + PV_EC_COORD_LEN, err);
	if (rc)
		memset(out, 0, PV_EC_COORDS_LEN);
	return rc;
}

int pv_eckey_phkh(const struct pv_eckey *key, uint8_t out[PV_SHA256_LEN],
		  struct pv_err **err)
{
	uint8_t coords[PV_EC_COORDS_LEN];
	int rc;

	/* §6.3: phkh = SHA-256(X80 || Y80). */
	rc = pv_eckey_coords(key, coords, err);
	if (!rc)
		rc = pv_sha256(coords, sizeof(coords), out, err);
	return rc;
}

int pv_eckey_to_pem(const struct pv_eckey *key, bool private_key,
		    uint8_t **out, size_t *out_len, struct pv_err **err)
{
	OSSL_ENCODER_CTX *ctx;
	unsigned char *data = NULL;
	size_t len = 0;
	int sel;

	*out = NULL;
	*out_len = 0;
	if (private_key && !key->priv)
		return pv_err_set(err, PV_ERR_KEY,
				  "key has no private part to export");
	sel = private_key ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
	ctx = OSSL_ENCODER_CTX_new_for_pkey(key->pkey, sel, "PEM",
					    private_key ? "PrivateKeyInfo" :
					    "SubjectPublicKeyInfo", NULL);
	if (!ctx || !OSSL_ENCODER_CTX_get_num_encoders(ctx)) {
		OSSL_ENCODER_CTX_free(ctx);
		return pv_err_ssl(err, "no PEM encoder for the EC key");
	}
	if (OSSL_ENCODER_to_data(ctx, &data, &len) != 1) {
		OSSL_ENCODER_CTX_free(ctx);
		return pv_err_ssl(err, "encoding the EC key as PEM failed");
	}
	OSSL_ENCODER_CTX_free(ctx);
	/* Hand out malloc() memory so pv_free_secret() can release it. */
	*out = malloc(len);
	if (!*out) {
		OPENSSL_clear_free(data, len);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory for PEM");
	}
	memcpy(*out, data, len);
	OPENSSL_clear_free(data, len);
	*out_len = len;
	return 0;
}
