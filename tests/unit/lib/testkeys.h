/* SPDX-License-Identifier: MIT */
/*
 * Shared test fixtures: the fixed keys and expected values of
 * se-image-format.md §9.1 and the component KAT of §9.4, plus helpers that
 * turn them into pv_eckey objects.  Helpers return NULL / negative on
 * failure so that any test framework can assert on the result.
 */
#ifndef PVBOOT_TEST_TESTKEYS_H
#define PVBOOT_TEST_TESTKEYS_H

#include <stddef.h>
#include <stdint.h>

#include "pvboot/crypto.h"

/*
 * §9.1 customer private scalar as stored upstream (private_cust.bin):
 * 80 bytes: 15 x 00, 01, 64 x 88 (the scalar is 65 bytes long).
 */
extern const uint8_t tk_cust_priv[PV_EC_COORD_LEN];
/* Its public key X80 || Y80 (public_cust.bin). */
extern const uint8_t tk_cust_coords[PV_EC_COORDS_LEN];
/* SHA-256 of tk_cust_coords (5ee905a9...c45e). */
extern const uint8_t tk_cust_coords_sha256[PV_SHA256_LEN];
/* §9.1 host key (host.pem.crt) X80 || Y80. */
extern const uint8_t tk_host_coords[PV_EC_COORDS_LEN];
/* phkh of the host key (415c25a5...5010f0, §6.3). */
extern const uint8_t tk_host_phkh[PV_SHA256_LEN];
/* KEK(test customer, test host) (753277...f149, §6.4). */
extern const uint8_t tk_kek[PV_KEK_LEN];
/* HPK used for tk_keyslot: 32 x 0x17. */
#define TK_KEYSLOT_HPK_BYTE 0x17
/* Key slot for HPK = 32 x 0x17 (keyslot.bin, §6.5). */
extern const uint8_t tk_keyslot[PV_KEYSLOT_LEN];

/*
 * §9.4 component KAT: XK = 32 x 42 || 32 x 43; comp 1 = 0x3400 x 01 at
 * 0x10000, comp 2 = 0x3000 x 02 at 0x20000, both with tweak prefix
 * 0x0000000000000042; expected digests over the 7 pages.
 */
#define TK_KAT_PREFIX 0x0000000000000042ULL
extern const uint8_t tk_kat_ald[PV_SHA512_LEN];
extern const uint8_t tk_kat_pld[PV_SHA512_LEN];
extern const uint8_t tk_kat_tld[PV_SHA512_LEN];

/* The test customer key pair (from tk_cust_priv); NULL on failure. */
struct pv_eckey *tk_cust_key(void);
/* The test host public key (from tk_host_coords); NULL on failure. */
struct pv_eckey *tk_host_pubkey(void);
/*
 * Generate a fresh random P-521 host key pair.  *@pem receives its PKCS#8
 * PEM private key (malloc()ed, free with pv_free_secret(*pem, *pem_len));
 * @key, if not NULL, receives the key object.  Returns 0 or negative.
 */
int tk_host_keypair_pem(uint8_t **pem, size_t *pem_len,
			struct pv_eckey **key);

#endif
