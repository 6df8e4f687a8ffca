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
};

/*
 * Check that @pkey is an EC key on secp521r1 (PV_ERR_KEY naming what was
 * found otherwise) and wrap it.  Takes ownership of @pkey in every case:
 * on failure it is freed.
 */
int pv_eckey_adopt(EVP_PKEY *pkey, struct pv_eckey **out,
		   struct pv_err **err);

#endif
