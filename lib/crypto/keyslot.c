// SPDX-License-Identifier: MIT
/* SE header key slots: HPK wrapped for one host key (§6.5). */
#include <string.h>

#include "pvboot/crypto.h"

#define SLOT_PHKH 0
#define SLOT_WRPK PV_SHA256_LEN
#define SLOT_KST (PV_SHA256_LEN + PV_HPK_LEN)

static const uint8_t zero_iv[PV_GCM_IV_LEN];

int pv_keyslot_wrap(const struct pv_eckey *cust_priv,
		    const struct pv_eckey *host_pub,
		    const uint8_t hpk[PV_HPK_LEN],
		    uint8_t slot[PV_KEYSLOT_LEN], struct pv_err **err)
{
	uint8_t kek[PV_KEK_LEN];
	int rc;

	rc = pv_eckey_phkh(host_pub, slot + SLOT_PHKH, err);
	if (!rc)
		rc = pv_derive_kek(cust_priv, host_pub, kek, err);
	/* §6.5: wrpk || kst = GCM(KEK, IV = 0^96, AAD = empty, HPK) */
	if (!rc)
		rc = pv_gcm_encrypt(kek, zero_iv, NULL, 0, hpk, PV_HPK_LEN,
				    slot + SLOT_WRPK, slot + SLOT_KST, err);
	pv_cleanse(kek, sizeof(kek));
	if (rc) {
		memset(slot, 0, PV_KEYSLOT_LEN);
		pv_err_prefix(err, "wrapping key slot: ");
	}
	return rc;
}

int pv_keyslot_unwrap(const struct pv_eckey *host_priv,
		      const struct pv_eckey *cust_pub,
		      const uint8_t slot[PV_KEYSLOT_LEN],
		      uint8_t hpk[PV_HPK_LEN], struct pv_err **err)
{
	uint8_t kek[PV_KEK_LEN];
	int rc;

	rc = pv_derive_kek(host_priv, cust_pub, kek, err);
	if (!rc)
		rc = pv_gcm_decrypt(kek, zero_iv, NULL, 0, slot + SLOT_WRPK,
				    PV_HPK_LEN, slot + SLOT_KST, hpk, err);
	pv_cleanse(kek, sizeof(kek));
	if (rc) {
		pv_cleanse(hpk, PV_HPK_LEN);
		pv_err_prefix(err, "unwrapping key slot: ");
	}
	return rc;
}
