// SPDX-License-Identifier: MIT
/* Names of the SE header control flags (se-image-format.md §5.3). */
#include <stddef.h>

#include "pvboot/sehdr.h"

_Static_assert(PV_PCF_KNOWN == (PV_PCF_ALLOW_DUMP | PV_PCF_NO_DECRYPTION |
				PV_PCF_PCKMO_DEA_TDEA | PV_PCF_PCKMO_AES |
				PV_PCF_PCKMO_ECC | PV_PCF_PCKMO_HMAC |
				PV_PCF_BACKUP_KEYS),
	       "PCF table");
_Static_assert(PV_SCF_KNOWN == (PV_SCF_CCK_EXT_SECRET | PV_SCF_CCK_UPDATE),
	       "SCF table");

const struct pv_flag_name pv_pcf_names[] = {
	{ PV_PCF_ALLOW_DUMP, "allow-dump", "--enable-dump" },
	{ PV_PCF_NO_DECRYPTION, "no-component-decryption",
	  "--disable-image-encryption" },
	{ PV_PCF_PCKMO_DEA_TDEA, "pckmo-dea-tdea", "--enable-pckmo" },
	{ PV_PCF_PCKMO_AES, "pckmo-aes", "--enable-pckmo" },
	{ PV_PCF_PCKMO_ECC, "pckmo-ecc", "--enable-pckmo" },
	{ PV_PCF_PCKMO_HMAC, "pckmo-hmac", "--enable-pckmo-hmac" },
	{ PV_PCF_BACKUP_KEYS, "backup-target-keys", "--enable-backup-keys" },
	{ 0, NULL, NULL },
};

const struct pv_flag_name pv_scf_names[] = {
	{ PV_SCF_CCK_EXT_SECRET, "cck-extension-secret",
	  "--enable-cck-extension-secret" },
	{ PV_SCF_CCK_UPDATE, "cck-update", "--enable-cck-update" },
	{ 0, NULL, NULL },
};
