// SPDX-License-Identifier: MIT
/*
 * Build P-521 keys from raw material: public coordinates (§6.2), a private
 * scalar, or a fresh (optionally reproducible) key pair.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "eckey_int.h"

#define PUB_OCT_LEN (1 + 2 * PV_EC_FIELD_LEN)	/* 04 || X66 || Y66 */
#define GEN_SEED_LEN 80	/* 640 bits reduced mod n-1: bias < 2^-119 */

static bool all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	while (len--)
		acc |= *p++;
	return !acc;
}

/*
 * Create an EC key from OSSL params; selection is public or key pair.
 * @computed: the public point was just computed from the private scalar,
 * so the pairwise check would only redo that multiplication.
 */
static int pkey_fromdata(OSSL_PARAM_BLD *bld, int selection, bool computed,
			 struct pv_eckey **out, struct pv_err **err)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM *params;
	int rc = 0;

	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params)
		return pv_err_ssl(err, "cannot build EC key parameters");
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1) {
		ERR_clear_error();
		rc = pv_err_set(err, PV_ERR_KEY,
				"the values do not form a valid P-521 key (point not on the curve or out of range)");
		goto out;
	}
	EVP_PKEY_CTX_free(ctx);
	ctx = NULL;
	/* Check the point (on curve, in range) or the pair. */
	if (!computed) {
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
		if (!ctx) {
			rc = pv_err_ssl(err, "cannot check the EC key");
			goto out;
		}
		if ((selection == EVP_PKEY_KEYPAIR ?
			     EVP_PKEY_pairwise_check(ctx) :
			     pv_eckey_point_check(ctx)) != 1) {
			ERR_clear_error();
			rc = pv_err_set(err, PV_ERR_KEY,
					"the point is not a valid P-521 public key");
			goto out;
		}
	}
	rc = pv_eckey_adopt(pkey, out, err);
	pkey = NULL;
	if (!rc)
		(*out)->checked = true;
out:
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return rc;
}

int pv_eckey_from_coords(const uint8_t coords[PV_EC_COORDS_LEN],
			 struct pv_eckey **out, struct pv_err **err)
{
	const size_t pad = PV_EC_COORD_LEN - PV_EC_FIELD_LEN;
	uint8_t oct[PUB_OCT_LEN];
	OSSL_PARAM_BLD *bld;
	int rc;

	*out = NULL;
	/* §6.2: each 80-byte coordinate holds at most 66 significant bytes. */
	if (!all_zero(coords, pad) ||
	    !all_zero(coords + PV_EC_COORD_LEN, pad))
		return pv_err_set(err, PV_ERR_KEY,
				  "EC coordinate %c is wider than 66 bytes (padding bytes are not zero)",
				  all_zero(coords, pad) ? 'Y' : 'X');
	oct[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(oct + 1, coords + pad, PV_EC_FIELD_LEN);
	memcpy(oct + 1 + PV_EC_FIELD_LEN, coords + PV_EC_COORD_LEN + pad,
	       PV_EC_FIELD_LEN);
	bld = OSSL_PARAM_BLD_new();
	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     PV_EC_GROUP, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      oct, sizeof(oct))) {
		OSSL_PARAM_BLD_free(bld);
		return pv_err_ssl(err, "cannot build EC public key parameters");
	}
	rc = pkey_fromdata(bld, EVP_PKEY_PUBLIC_KEY, false, out, err);
	OSSL_PARAM_BLD_free(bld);
	if (rc)
		pv_err_prefix(err, "EC coordinates: ");
	return rc;
}

/* Build the key pair for scalar @d in [1, n-1] (checked by the caller). */
static int key_from_bn(const EC_GROUP *group, const BIGNUM *d, BN_CTX *bnctx,
		       struct pv_eckey **out, struct pv_err **err)
{
	uint8_t oct[PUB_OCT_LEN];
	OSSL_PARAM_BLD *bld = NULL;
	EC_POINT *pub;
	int rc;

	pub = EC_POINT_new(group);
	if (!pub || EC_POINT_mul(group, pub, d, NULL, NULL, bnctx) != 1 ||
	    EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, oct,
			       sizeof(oct), bnctx) != sizeof(oct)) {
		rc = pv_err_ssl(err, "computing the P-521 public key failed");
		goto out;
	}
	bld = OSSL_PARAM_BLD_new();
	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     PV_EC_GROUP, 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      oct, sizeof(oct))) {
		rc = pv_err_ssl(err, "cannot build EC key pair parameters");
		goto out;
	}
	/* pub = d * G was computed above: no pairwise check needed */
	rc = pkey_fromdata(bld, EVP_PKEY_KEYPAIR, true, out, err);
out:
	OSSL_PARAM_BLD_free(bld);	/* BN params are cleared on free */
	EC_POINT_free(pub);
	return rc;
}

static EC_GROUP *p521_group(struct pv_err **err)
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name_ex(NULL, NULL,
							 NID_secp521r1);

	if (!group)
		pv_err_ssl(err, "curve P-521 is not available");
	return group;
}

bool pv_eckey_pair_ok(EVP_PKEY *pkey)
{
	uint8_t pub[PUB_OCT_LEN], calc[PUB_OCT_LEN];
	EC_GROUP *group = NULL;
	EC_POINT *q = NULL;
	BN_CTX *bnctx = NULL;
	BIGNUM *d = NULL;
	size_t len = 0;
	bool ok = false;

	if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY,
					    pub, sizeof(pub), &len) != 1 ||
	    len != sizeof(pub) || pub[0] != POINT_CONVERSION_UNCOMPRESSED ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1)
		goto out;
	group = p521_group(NULL);
	bnctx = BN_CTX_secure_new();
	q = group ? EC_POINT_new(group) : NULL;
	if (!q || !bnctx || BN_is_zero(d) || BN_is_negative(d) ||
	    BN_cmp(d, EC_GROUP_get0_order(group)) >= 0)
		goto out;
	BN_set_flags(d, BN_FLG_CONSTTIME);
	if (EC_POINT_mul(group, q, d, NULL, NULL, bnctx) != 1 ||
	    EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED, calc,
			       sizeof(calc), bnctx) != sizeof(calc))
		goto out;
	ok = !memcmp(pub, calc, sizeof(pub));
out:
	ERR_clear_error();
	EC_POINT_free(q);
	BN_CTX_free(bnctx);
	BN_clear_free(d);
	EC_GROUP_free(group);
	return ok;
}

int pv_eckey_from_scalar(const uint8_t *d, size_t len, struct pv_eckey **out,
			 struct pv_err **err)
{
	EC_GROUP *group = NULL;
	BN_CTX *bnctx = NULL;
	BIGNUM *bn = NULL;
	int rc;

	*out = NULL;
	if (!d || !len || len > PV_EC_COORD_LEN)
		return pv_err_set(err, PV_ERR_KEY,
				  "P-521 private scalar has %zu bytes, need 1 to %d",
				  d ? len : 0, PV_EC_COORD_LEN);
	group = p521_group(err);
	bnctx = BN_CTX_secure_new();
	bn = BN_secure_new();
	if (!group) {
		rc = -PV_ERR_CRYPTO;
		goto out;
	}
	if (!bnctx || !bn) {
		rc = pv_err_set(err, PV_ERR_NOMEM,
				"out of memory for P-521 math");
		goto out;
	}
	BN_set_flags(bn, BN_FLG_CONSTTIME);
	if (!BN_bin2bn(d, (int)len, bn)) {
		rc = pv_err_ssl(err, "cannot read the private scalar");
		goto out;
	}
	if (BN_is_zero(bn) || BN_cmp(bn, EC_GROUP_get0_order(group)) >= 0) {
		rc = pv_err_set(err, PV_ERR_KEY,
				"P-521 private scalar is %s",
				BN_is_zero(bn) ? "zero" :
				"not below the group order");
		goto out;
	}
	rc = key_from_bn(group, bn, bnctx, out, err);
out:
	BN_clear_free(bn);
	BN_CTX_free(bnctx);
	EC_GROUP_free(group);
	return rc;
}

/* Reproducible key: d = (HKDF(label) mod (n - 1)) + 1, in [1, n-1]. */
static int generate_seeded(struct pv_rng *rng, const char *label,
			   struct pv_eckey **out, struct pv_err **err)
{
	uint8_t raw[GEN_SEED_LEN];
	EC_GROUP *group = NULL;
	BIGNUM *raw_bn = NULL, *bn = NULL, *nm1 = NULL;
	BN_CTX *bnctx = NULL;
	int rc;

	rc = pv_rng_bytes(rng, label, raw, sizeof(raw), err);
	if (rc)
		return rc;
	group = p521_group(err);
	if (!group) {
		rc = -PV_ERR_CRYPTO;
		goto out;
	}
	bnctx = BN_CTX_secure_new();
	raw_bn = BN_secure_new();
	bn = BN_secure_new();
	nm1 = BN_dup(EC_GROUP_get0_order(group));
	if (!bnctx || !raw_bn || !bn || !nm1 || !BN_sub_word(nm1, 1) ||
	    !BN_bin2bn(raw, sizeof(raw), raw_bn) ||
	    !BN_nnmod(bn, raw_bn, nm1, bnctx) || !BN_add_word(bn, 1)) {
		rc = pv_err_ssl(err, "deriving a P-521 scalar failed");
		goto out;
	}
	rc = key_from_bn(group, bn, bnctx, out, err);
out:
	pv_cleanse(raw, sizeof(raw));
	BN_clear_free(raw_bn);
	BN_clear_free(bn);
	BN_free(nm1);
	BN_CTX_free(bnctx);
	EC_GROUP_free(group);
	return rc;
}

int pv_eckey_generate(struct pv_rng *rng, const char *label,
		      struct pv_eckey **out, struct pv_err **err)
{
	EVP_PKEY *pkey;
	int rc;

	*out = NULL;
	if (pv_rng_is_seeded(rng))
		return generate_seeded(rng, label, out, err);
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
	if (!pkey)
		return pv_err_ssl(err, "generating a P-521 key pair failed");
	rc = pv_eckey_adopt(pkey, out, err);
	if (!rc)
		(*out)->checked = true;	/* pub = d * G by construction */
	return rc;
}
