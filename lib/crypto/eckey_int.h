/* SPDX-License-Identifier: MIT */
/*
 * Library-internal view of struct pv_eckey, shared by the lib/crypto files
 * that build, load and use P-521 keys.
 */
#ifndef PVBOOT_LIB_ECKEY_INT_H
#define PVBOOT_LIB_ECKEY_INT_H

#include <stdbool.h>

#include <openssl/evp.h>

#include "pvboot/crypto.h"

#define PV_EC_GROUP "secp521r1"
#define PV_EC_FIELD_LEN 66	/* bytes of one P-521 field element */

struct pv_eckey {
	EVP_PKEY *pkey;
	bool priv;
	/*
	 * The public point was validated when the key was built (or computed
	 * here from a scalar), so ECDH need not validate it again.  Keys
	 * wrapped with pv_eckey_from_evp() are not checked.
	 */
	bool checked;
};

/*
 * Public-point validation for P-521: not infinity, coordinates in range,
 * on the curve.  The group has prime order (cofactor 1), so every such
 * point already has order n and the extra n * Q = O multiplication of
 * OpenSSL's full check would only repeat the answer (SP 800-56A rev. 3,
 * §5.6.2.3.4).  Returns 1 for a valid point like EVP_PKEY_public_check().
 */
int pv_eckey_point_check(EVP_PKEY_CTX *ctx);

/*
 * Key-pair check with one multiplication: the private scalar is in
 * [1, n-1] and d * G equals the stored public point (which makes that
 * point valid).  Returns true when both hold.
 */
bool pv_eckey_pair_ok(EVP_PKEY *pkey);

/*
 * Check that @pkey is an EC key on secp521r1 (PV_ERR_KEY naming what was
 * found otherwise) and wrap it.  Takes ownership of @pkey in every case:
 * on failure it is freed.
 */
int pv_eckey_adopt(EVP_PKEY *pkey, struct pv_eckey **out,
		   struct pv_err **err);

#endif
