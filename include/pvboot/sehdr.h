/* SPDX-License-Identifier: MIT */
/*
 * SE header version 1 (se-image-format.md §5, §6.6).
 *
 * struct pv_sehdr holds the header in host byte order.  pv_sehdr_serialize()
 * and pv_sehdr_parse() convert to and from the big-endian on-disk bytes;
 * seal/open apply AES-256-GCM with the plaintext part as AAD.
 */
#ifndef PVBOOT_SEHDR_H
#define PVBOOT_SEHDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/crypto.h"
#include "pvboot/err.h"

#define PV_SEHDR_MAGIC 0x49424D5365634578ULL	/* "IBMSecEx" */
#define PV_SEHDR_VERSION_1 0x00000100U
#define PV_SEHDR_HEAD_SIZE 0x1A0U		/* bytes before slot 0 */
#define PV_SEHDR_SEA_MIN 128U			/* encrypted area, no items */
#define PV_SEHDR_MAX_SIZE 8192U			/* §5.2 */
#define PV_SEHDR_MAX_KEYSLOTS 95U		/* (8192 - 560) / 80 */

/* On-disk offsets (§5.1). */
#define PV_SEHDR_OFF_MAGIC 0x000
#define PV_SEHDR_OFF_VERSION 0x008
#define PV_SEHDR_OFF_PHS 0x00C
#define PV_SEHDR_OFF_IV 0x010
#define PV_SEHDR_OFF_RES1 0x01C
#define PV_SEHDR_OFF_NKS 0x020
#define PV_SEHDR_OFF_SEA 0x028
#define PV_SEHDR_OFF_NEP 0x030
#define PV_SEHDR_OFF_PCF 0x038
#define PV_SEHDR_OFF_CUSTPUB 0x040
#define PV_SEHDR_OFF_PLD 0x0E0
#define PV_SEHDR_OFF_ALD 0x120
#define PV_SEHDR_OFF_TLD 0x160
#define PV_SEHDR_OFF_SLOTS 0x1A0
/* Offsets inside the encrypted area (relative to E). */
#define PV_SEHDR_ENC_CCK 0x00
#define PV_SEHDR_ENC_XTS 0x20
#define PV_SEHDR_ENC_PSW_MASK 0x60
#define PV_SEHDR_ENC_PSW_ADDR 0x68
#define PV_SEHDR_ENC_SCF 0x70
#define PV_SEHDR_ENC_NOI 0x78
#define PV_SEHDR_ENC_RES2 0x7C

/* Plaintext control flags (PCF, §5.3); MSB0 bit n = 1 << (63 - n). */
#define PV_PCF_ALLOW_DUMP (1ULL << (63 - 34))
#define PV_PCF_NO_DECRYPTION (1ULL << (63 - 35))
#define PV_PCF_PCKMO_DEA_TDEA (1ULL << (63 - 56))
#define PV_PCF_PCKMO_AES (1ULL << (63 - 57))
#define PV_PCF_PCKMO_ECC (1ULL << (63 - 58))
#define PV_PCF_PCKMO_HMAC (1ULL << (63 - 59))
#define PV_PCF_BACKUP_KEYS (1ULL << (63 - 62))
#define PV_PCF_DEFAULT \
	(PV_PCF_PCKMO_DEA_TDEA | PV_PCF_PCKMO_AES | PV_PCF_PCKMO_ECC)
#define PV_PCF_KNOWN 0x300000F2ULL
/* Secret control flags (SCF). */
#define PV_SCF_CCK_EXT_SECRET (1ULL << (63 - 1))
#define PV_SCF_CCK_UPDATE (1ULL << (63 - 2))
#define PV_SCF_KNOWN 0x6000000000000000ULL

#define PV_PSW_MASK_64 0x0000000180000000ULL	/* EA | BA */

struct pv_sehdr_keyslot {
	uint8_t phkh[PV_SHA256_LEN];
	uint8_t wrpk[32];
	uint8_t kst[PV_GCM_TAG_LEN];
};

/* Decrypted part of the header (E .. E+128). */
struct pv_sehdr_secret {
	uint8_t cck[PV_CCK_LEN];
	uint8_t xts[PV_XK_LEN];
	uint64_t psw_mask;
	uint64_t psw_addr;
	uint64_t scf;
	uint32_t noi;
	uint32_t res2;
};

struct pv_sehdr {
	uint64_t magic;
	uint32_t version;
	uint32_t phs;
	uint8_t iv[PV_GCM_IV_LEN];
	uint32_t res1;
	uint64_t nks;
	uint64_t sea;
	uint64_t nep;
	uint64_t pcf;
	uint8_t cust_pub[PV_EC_COORDS_LEN];
	uint8_t pld[PV_SHA512_LEN];
	uint8_t ald[PV_SHA512_LEN];
	uint8_t tld[PV_SHA512_LEN];
	struct pv_sehdr_keyslot *slots;	/* nks entries, owned */
	uint8_t *enc;			/* sea bytes (ciphertext), owned */
	uint8_t tag[PV_GCM_TAG_LEN];
};

/* phs for @nks slots and no optional items; -PV_ERR_RANGE beyond 95 slots. */
int pv_sehdr_size(uint64_t nks, uint32_t *phs, struct pv_err **err);

/* Allocate a header with @nks zeroed slots, magic/version/sizes filled. */
int pv_sehdr_new(uint64_t nks, struct pv_sehdr **out, struct pv_err **err);
void pv_sehdr_free(struct pv_sehdr *hdr);	/* NULL-safe */

/*
 * Parse @len bytes (at least phs).  Checks magic, version, the size
 * relations of §5.1 and that everything lies inside the buffer; every
 * failure is a named PV_ERR_FORMAT / PV_ERR_TRUNC error.
 */
int pv_sehdr_parse(const uint8_t *buf, size_t len, struct pv_sehdr **out,
		   struct pv_err **err);
/*
 * Write phs bytes to @buf (@len >= phs, else PV_ERR_RANGE).  The size
 * fields must satisfy the §5.1 relations (PV_ERR_FORMAT otherwise), so
 * slots and enc are never read past nks and sea.
 */
int pv_sehdr_serialize(const struct pv_sehdr *hdr, uint8_t *buf, size_t len,
		       struct pv_err **err);
/*
 * Quick look without allocation: true when @len >= 16 and the magic
 * matches; then *@phs (if non-NULL) gets the unchecked size field.
 */
bool pv_sehdr_probe(const uint8_t *buf, size_t len, uint32_t *phs);

/* Start of the encrypted area: 0x1A0 + 80 * nks. */
size_t pv_sehdr_enc_offset(const struct pv_sehdr *hdr);

/* Secret part <-> 128 bytes (optional items are not supported). */
void pv_sehdr_secret_pack(const struct pv_sehdr_secret *s, uint8_t out[128]);
void pv_sehdr_secret_unpack(const uint8_t in[128], struct pv_sehdr_secret *s);

/*
 * Seal: encrypt @secret with @hpk (IV = hdr->iv, AAD = bytes [0, E) of the
 * serialized header) into hdr->enc / hdr->tag.  All plaintext fields, slots
 * and digests must be final before sealing.
 */
int pv_sehdr_seal(struct pv_sehdr *hdr, const uint8_t hpk[PV_HPK_LEN],
		  const struct pv_sehdr_secret *secret, struct pv_err **err);
/*
 * Open: authenticate and decrypt; PV_ERR_AUTH when the tag does not match,
 * PV_ERR_UNSUPPORTED when the header carries optional items (noi != 0).  On
 * any failure @secret is zeroized and no plaintext is left in memory.
 */
int pv_sehdr_open(const struct pv_sehdr *hdr, const uint8_t hpk[PV_HPK_LEN],
		  struct pv_sehdr_secret *secret, struct pv_err **err);
/* Find the slot whose phkh equals @phkh; returns index or -1. */
int pv_sehdr_find_slot(const struct pv_sehdr *hdr,
		       const uint8_t phkh[PV_SHA256_LEN]);

/* Flag names: returns NULL-terminated table for printing / JSON. */
struct pv_flag_name {
	uint64_t mask;
	const char *name;	/* e.g. "allow-dump" */
	const char *option;	/* CLI option that sets it, e.g. "--enable-dump" */
};
extern const struct pv_flag_name pv_pcf_names[];
extern const struct pv_flag_name pv_scf_names[];

#endif
