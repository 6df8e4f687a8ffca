// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for pv_eckey_from_bytes(): any input must either load a
 * P-521 key whose coordinates, phkh and PEM export work, or fail cleanly
 * with an error object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/crypto.h"

static void check_key(struct pv_eckey *key)
{
	uint8_t coords[PV_EC_COORDS_LEN], phkh[PV_SHA256_LEN];
	struct pv_eckey *again = NULL;
	uint8_t *pem = NULL;
	size_t len = 0;

	if (pv_eckey_coords(key, coords, NULL) ||
	    pv_eckey_phkh(key, phkh, NULL))
		abort();
	/* A loaded key is valid, so its coordinates load back. */
	if (pv_eckey_from_coords(coords, &again, NULL))
		abort();
	pv_eckey_free(again);
	if (pv_eckey_to_pem(key, pv_eckey_has_private(key), &pem, &len, NULL))
		abort();
	pv_free_secret(pem, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;
	int rc;

	for (int need_private = 0; need_private < 2; need_private++) {
		rc = pv_eckey_from_bytes(data, size, need_private, &key, &err);
		if (rc) {
			if (!err || err->code != -rc || key)
				abort();
		} else {
			if (err || !key ||
			    (need_private && !pv_eckey_has_private(key)))
				abort();
			check_key(key);
		}
		pv_eckey_free(key);
		pv_err_free(err);
		key = NULL;
		err = NULL;
	}
	return 0;
}
