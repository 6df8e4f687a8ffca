/* SPDX-License-Identifier: MIT */
/*
 * Attestation and secrets (attestation-and-secrets.md): the request header
 * shared by the attestation request (ARCB) and the add-secret request
 * (ASRCB) (§3.1), the ARCB (§3.2), the measurement (§4), pvattest's
 * exchange format (§5.2), the boot-header tags of an image (§5.1 step 1)
 * and the ASRCB with its secret types (§6).  Builders serve the trusted
 * side (`pvboot attest create`, `pvboot secret create`); parsers serve both
 * the software UV and `pvboot attest verify`.  All multi-byte fields are
 * big-endian; bit numbers in flag words are MSB-0.
 *
 * Secrets (request protection keys, measurement keys, nonces, secret
 * values, extension secrets) are zeroized before their memory is freed.
 */
#ifndef PVBOOT_ATTEST_H
#define PVBOOT_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/crypto.h"
#include "pvboot/err.h"

/* ---- crypto helpers (lib/crypto/mac.c) ----------------------------------- */

struct pv_iov {
	const void *base;
	size_t len;
};

/*
 * HMAC-SHA-512 with key @key (@klen bytes) over the concatenation of the
 * @n pieces of @iov (pieces with len 0 may have base NULL).
 */
int pv_hmac_sha512(const uint8_t *key, size_t klen, const struct pv_iov *iov,
		   size_t n, uint8_t out[PV_SHA512_LEN], struct pv_err **err);
/*
 * HKDF-SHA-512 (RFC 5869, extract and expand) of @ikm with @salt and
 * @info into @len bytes of @out.  @out is zeroed on failure.
 */
int pv_hkdf_sha512(const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
		   size_t salt_len, const uint8_t *info, size_t info_len,
		   uint8_t *out, size_t len, struct pv_err **err);

/*
 * AES-256-CTR of @len bytes with the 16-byte initial counter block @iv
 * (@in and @out may be the same buffer).  The UV wraps retrieved keys
 * with it (§8 decision 11).
 */
int pv_aes256_ctr(const uint8_t key[32], const uint8_t iv[16],
		  const uint8_t *in, size_t len, uint8_t *out,
		  struct pv_err **err);

/* A running SHA-512 (the secret-store hash, §4.3 item 3). */
struct pv_sha512;
int pv_sha512_new(struct pv_sha512 **out, struct pv_err **err);
void pv_sha512_free(struct pv_sha512 *s);	/* NULL-safe */
int pv_sha512_update(struct pv_sha512 *s, const void *buf, size_t len,
		     struct pv_err **err);
/*
 * The digest of everything added so far followed by @extra (@extra_len
 * bytes), computed on a copy: @s keeps running.
 */
int pv_sha512_peek(const struct pv_sha512 *s, const void *extra,
		   size_t extra_len, uint8_t out[PV_SHA512_LEN],
		   struct pv_err **err);

/* ---- request header (§3.1) ----------------------------------------------- */

#define PV_REQ_HDR_LEN 0x30
#define PV_REQ_OFF_MAGIC 0x00
#define PV_REQ_OFF_VERSION 0x08
#define PV_REQ_OFF_RQL 0x0c
#define PV_REQ_OFF_IV 0x10
#define PV_REQ_OFF_NKS 0x27
#define PV_REQ_OFF_SEA 0x2c
#define PV_REQ_VERSION_1 0x00000100U
#define PV_REQ_MAX_KEYSLOTS 255U	/* the nks field is one byte */
#define PV_REQ_KEY_LEN 32		/* request protection key (AES-256) */

/*
 * Keys and random inputs of a request.  Every NULL field is generated:
 * the customer key pair (a fresh P-521 key per request), the GCM IV and the
 * protection key.  Tests pin them to reproduce IBM's vectors byte for byte.
 * @rng: NULL = the system CSPRNG.
 */
struct pv_req_keys {
	const struct pv_eckey *const *hosts;	/* host keys, one slot each */
	size_t nhosts;				/* 1..255 */
	const struct pv_eckey *cust;		/* must hold the private key */
	const uint8_t *iv;			/* PV_GCM_IV_LEN bytes */
	const uint8_t *prot_key;		/* PV_REQ_KEY_LEN bytes */
	struct pv_rng *rng;
};

/* The plaintext framing of a request (checked by pv_req_view()). */
struct pv_req_view {
	uint32_t version;
	uint32_t rql;		/* total length, tag included */
	uint32_t sea;		/* encrypted bytes */
	unsigned int nks;
	size_t aad_len;		/* rql - sea - 16: bytes [0, aad_len) */
};

/*
 * Check the framing of a request of @len bytes as pvattest does: at least
 * the 48-byte header, rql equal to @len, sea + 16 <= rql and an AAD of at
 * least the header.  PV_ERR_TRUNC / PV_ERR_FORMAT name the field.
 */
int pv_req_view(const uint8_t *req, size_t len, struct pv_req_view *v,
		struct pv_err **err);
/*
 * Decrypt and authenticate the encrypted area of a viewed request with
 * protection key @key into @plain (v->sea bytes).  PV_ERR_AUTH when the tag
 * does not match (then @plain is zeroed).
 */
int pv_req_decrypt(const uint8_t *req, const struct pv_req_view *v,
		   const uint8_t key[PV_REQ_KEY_LEN], uint8_t *plain,
		   struct pv_err **err);
/*
 * UV side: unwrap the protection key from the slot whose phkh equals
 * @phkh, with host private key @host.  The slots start at @slots_off, the
 * customer public key (X80 || Y80) right before them.  PV_ERR_NOKEYSLOT when
 * no slot carries @phkh, PV_ERR_KEY when the customer key is not a P-521
 * point, PV_ERR_AUTH when the slot does not open (@key is zeroed then).
 */
int pv_req_unwrap(const uint8_t *req, size_t slots_off, unsigned int nks,
		  const struct pv_eckey *host,
		  const uint8_t phkh[PV_SHA256_LEN],
		  uint8_t key[PV_REQ_KEY_LEN], struct pv_err **err);

/* ---- attestation request control block (§3.2) ---------------------------- */

#define PV_ARCB_OFF_PAF 0x30
#define PV_ARCB_OFF_MAI 0x38
#define PV_ARCB_OFF_CUSTPUB 0x40
#define PV_ARCB_OFF_SLOTS 0xe0
#define PV_ARCB_MAI_HMAC_SHA512 1U
#define PV_ATT_MEAS_KEY_LEN 64
#define PV_ATT_NONCE_LEN 16
#define PV_ATT_MEAS_LEN 64		/* HMAC-SHA-512 */
#define PV_ATT_USER_MAX 256
#define PV_CUID_LEN 16

/* Plaintext attestation flags (PAF), MSB-0 bits. */
#define PV_PAF_NONCE (1ULL << 62)		/* bit 1 */
#define PV_PAF_IMAGE_PHKH (1ULL << 61)		/* bit 2 */
#define PV_PAF_ATT_PHKH (1ULL << 60)		/* bit 3 */
#define PV_PAF_SECRET_HASH (1ULL << 59)		/* bit 4 */
#define PV_PAF_FW_STATE (1ULL << 58)		/* bit 5 */
#define PV_PAF_KNOWN 0x7c00000000000000ULL	/* bits 1-5 */
/* Additional-data item sizes (§4.3). */
#define PV_ADD_PHKH_LEN 32
#define PV_ADD_SECRET_HASH_LEN 64
#define PV_ADD_FW_STATE_LEN 320

/* sea and rql of an ARCB v1 with @nks slots and flags @paf (§3.2). */
uint32_t pv_arcb_sea(uint64_t paf);
uint32_t pv_arcb_rql(unsigned int nks, uint64_t paf);
/* Bytes of additional data the flags ask for: the sum of §4.3's sizes. */
uint32_t pv_paf_add_size(uint64_t paf);

struct pv_arcb_opts {
	uint64_t paf;			/* the nonce bit is always added */
	const uint8_t *meas_key;	/* NULL: random (64 bytes) */
	const uint8_t *nonce;		/* NULL: random (16 bytes) */
	struct pv_req_keys keys;
};

/*
 * Build an ARCB v1 (§3.2): MAI 1 (HMAC-SHA-512), a measurement key and a
 * nonce encrypted with the protection key, which is wrapped once per host
 * key.  *@out (malloc'd, *@len bytes) holds no secret in the clear; @arpk
 * receives the protection key (the ARPK that `attest verify` needs).
 */
int pv_arcb_build(const struct pv_arcb_opts *o, uint8_t **out, size_t *len,
		  uint8_t arpk[PV_REQ_KEY_LEN], struct pv_err **err);

/* What the trusted side learns from an ARCB and its ARPK. */
struct pv_arcb_plain {
	uint64_t paf;
	uint32_t mai;
	uint8_t meas_key[PV_ATT_MEAS_KEY_LEN];
	uint8_t nonce[PV_ATT_NONCE_LEN];
	bool has_nonce;
};

/*
 * Open an ARCB with its ARPK as `pvattest verify` does (§5.1 step 3):
 * magic all zero, version 0x100, framing, MAI 1, sea of 64 or 80 bytes;
 * the nonce is present exactly when 80 bytes decrypt.  PV_ERR_AUTH for a
 * wrong ARPK or a changed ARCB.  Clear @p with pv_cleanse() after use.
 */
int pv_arcb_open(const uint8_t *arcb, size_t len,
		 const uint8_t arpk[PV_REQ_KEY_LEN], struct pv_arcb_plain *p,
		 struct pv_err **err);

/* ---- SE-header tags and the measurement (§4, §5.1) ----------------------- */

/* PLD || ALD || TLD || tag of an SE header: 208 bytes, the binding. */
struct pv_hdr_tags {
	uint8_t pld[PV_SHA512_LEN];
	uint8_t ald[PV_SHA512_LEN];
	uint8_t tld[PV_SHA512_LEN];
	uint8_t tag[PV_GCM_TAG_LEN];
};
#define PV_HDR_TAGS_LEN 208

/*
 * The tags of the SE header in file @path, found as pvattest finds it: the
 * image metadata at 0xC000 ("SeImgLnx") names the header offset; otherwise
 * "IBMSecEx" at offset 0 or at one of the next 20 page boundaries.  The
 * file may be an image or an extracted header.  The header must be version
 * 0x100 and fit the file; the tag is its last 16 bytes.
 */
int pv_hdr_tags_from_file(const char *path, struct pv_hdr_tags *t,
			  struct pv_err **err);
/* The same for an SE header of @len bytes at @hdr (no search). */
int pv_hdr_tags_from_hdr(const uint8_t *hdr, size_t len,
			 struct pv_hdr_tags *t, struct pv_err **err);

/* The inputs of a measurement (§4.2). */
struct pv_att_input {
	const struct pv_hdr_tags *tags;
	const uint8_t *cuid;		/* PV_CUID_LEN bytes */
	const uint8_t *user;		/* may be NULL when user_len is 0 */
	uint16_t user_len;		/* 0..256 */
	const uint8_t *nonce;		/* NULL: the ARCB had no nonce */
	const uint8_t *add;		/* additional data as returned */
	uint32_t add_len;
};

/*
 * measurement = HMAC-SHA-512(key, PLD || ALD || TLD || tag || CUID ||
 * BE16 user_len || 00 00 || BE32 add_len || user || nonce || add).
 */
int pv_att_measure(const uint8_t key[PV_ATT_MEAS_KEY_LEN],
		   const struct pv_att_input *in,
		   uint8_t out[PV_ATT_MEAS_LEN], struct pv_err **err);

/* ---- pvattest exchange format v1 (§5.2) ---------------------------------- */

#define PV_EXCH_MAGIC "pvattest"
#define PV_EXCH_VERSION 0x00000100U
#define PV_EXCH_HDR_LEN 0x40
#define PV_EXCH_MAX_ARCB 0x100000U	/* driver limits (§2.3) */
#define PV_EXCH_MAX_MEAS 0x8000U
#define PV_EXCH_MAX_ADD 0x8000U

/*
 * The entries of an exchange file.  A length with a NULL pointer is an
 * "expected size" entry (offset 0, no data); length 0 means absent.
 * Parsed pointers point into the parsed buffer.
 */
struct pv_exchange {
	const uint8_t *arcb;
	uint32_t arcb_len;
	const uint8_t *meas;
	uint32_t meas_len;
	const uint8_t *add;
	uint32_t add_len;
	const uint8_t *user;
	uint32_t user_len;
	const uint8_t *cuid;
	uint32_t cuid_len;
};

/*
 * Parse @len bytes: magic, version 0x100, total size within the buffer,
 * every data entry inside the buffer and at or after the header, the ARCB
 * present, sizes within the driver limits (user data at most 256 bytes).
 * Whether it is a usable request or response is for the caller to check
 * (pv_exchange_is_response()).
 */
int pv_exchange_parse(const uint8_t *buf, size_t len, struct pv_exchange *x,
		      struct pv_err **err);
/* True when measurement data and a 16-byte CUID are present (§5.2). */
bool pv_exchange_is_response(const struct pv_exchange *x);
/* Size of the file pv_exchange_write() makes: header + data entries. */
size_t pv_exchange_len(const struct pv_exchange *x);
/*
 * Write the file into @buf (@len >= pv_exchange_len()): the header, then
 * the data of ARCB, measurement, additional data, user data and CUID in
 * this order, contiguous.
 */
int pv_exchange_write(const struct pv_exchange *x, uint8_t *buf, size_t len,
		      struct pv_err **err);

/* ---- add-secret request control block (§6) ------------------------------- */

#define PV_ASRCB_MAGIC "asrcbM"		/* + BE16 user-data type */
#define PV_ASRCB_OFF_UDT 0x06
#define PV_ASRCB_OFF_FLAGS 0x30
#define PV_ASRCB_OFF_TAGS 0x38		/* PLD ALD TLD tag, 208 bytes */
#define PV_ASRCB_OFF_CUID 0x108
#define PV_ASRCB_OFF_USER 0x218
#define PV_ASRCB_USER_LEN 512
#define PV_ASRCB_OFF_CUSTPUB 0x418
#define PV_ASRCB_OFF_SLOTS 0x4b8
#define PV_ASRCB_EXT_LEN 32		/* extension secret */
#define PV_ASRCB_SHDR_NULL 16		/* secret header, null secret */
#define PV_ASRCB_SHDR_LISTABLE 48	/* listable / update-CCK */
#define PV_ASRCB_FLAG_DISABLE_DUMP (1ULL << 63)
#define PV_ASRCB_FLAGS_KNOWN PV_ASRCB_FLAG_DISABLE_DUMP
#define PV_ASRCB_MAX_LEN 0x100000U	/* driver limit (§2.4) */
#define PV_ASRCB_EXT_INFO "IBM Z Ultravisor Add-Secret"

/* User-data types (magic bytes 6-7, §6.3). */
#define PV_ASRCB_UD_NONE 0
#define PV_ASRCB_UD_UNSIGNED 1

/* Secret types (§6.4). */
enum pv_secret_type {
	PV_SECRET_NULL = 0x0001,
	PV_SECRET_ASSOCIATION = 0x0002,
	PV_SECRET_PLAIN = 0x0003,
	PV_SECRET_AES_128 = 0x0004,
	PV_SECRET_AES_192 = 0x0005,
	PV_SECRET_AES_256 = 0x0006,
	PV_SECRET_AES_XTS_128 = 0x0007,
	PV_SECRET_AES_XTS_256 = 0x0008,
	PV_SECRET_HMAC_SHA_256 = 0x0009,
	PV_SECRET_HMAC_SHA_512 = 0x000a,
	PV_SECRET_EC_P256 = 0x0011,
	PV_SECRET_EC_P384 = 0x0012,
	PV_SECRET_EC_P521 = 0x0013,
	PV_SECRET_ED25519 = 0x0014,
	PV_SECRET_ED448 = 0x0015,
	PV_SECRET_UPDATE_CCK = 0x0016,
};
#define PV_SECRET_ID_LEN 32
#define PV_SECRET_PLAIN_MAX 8192	/* stored bytes, prefix included */
#define PV_SECRET_WKVP_LEN 32		/* after a retrieved protected key */

/* Name of a secret type ("Association", "AES-256-KEY", ...); NULL if none. */
const char *pv_secret_type_name(uint16_t type);
/* True when @len is a valid secret length for @type (§6.4). */
bool pv_secret_len_ok(uint16_t type, uint32_t len);
/* True for the types Retrieve Secret returns (plaintext and keys). */
bool pv_secret_retrievable(uint16_t type);
/* True for the types List Secrets shows (all but null and update-CCK). */
bool pv_secret_listable(uint16_t type);

/*
 * The secret value of a retrievable EC private key (§6.4): a PEM or DER
 * private key on P-256, P-384, P-521 (BE scalar left-padded to 32/48/80
 * bytes), Ed25519 or Ed448 (raw key left-padded to 32/64).  *@type gets
 * the secret type, @out (80 bytes) the value, *@len its length.  Other
 * keys: PV_ERR_KEY naming what was found.  Cleanse @out after use.
 */
int pv_secret_from_private_key(const uint8_t *buf, size_t buflen,
			       uint16_t *type, uint8_t out[80], uint32_t *len,
			       struct pv_err **err);

struct pv_asrcb_opts {
	uint64_t flags;				/* PV_ASRCB_FLAG_* */
	const struct pv_hdr_tags *tags;		/* the target image */
	const uint8_t *cuid;			/* NULL: not bound (zeros) */
	uint16_t type;				/* enum pv_secret_type */
	const uint8_t *id;			/* PV_SECRET_ID_LEN, listable */
	const uint8_t *secret;			/* the encrypted value */
	uint32_t secret_len;			/* must fit the type */
	const uint8_t *ext;			/* NULL: 32 zero bytes */
	const uint8_t *user;			/* unsigned user data or NULL */
	size_t user_len;			/* 0..512 */
	struct pv_req_keys keys;
};

/*
 * Build an ASRCB v1 (§6.1) bound to @o->tags (and @o->cuid if given).
 * With @o->user the user-data type is 1 (unsigned), else 0.  *@out is
 * malloc'd (*@len bytes); its last 16 bytes are the tag that the
 * secret-store hash folds in.
 */
int pv_asrcb_build(const struct pv_asrcb_opts *o, uint8_t **out, size_t *len,
		   struct pv_err **err);
/*
 * The extension secret derived from a CCK (§6.5 step 11):
 * HKDF-SHA-512(IKM = cck, salt = SE-header tag, info = "IBM Z Ultravisor
 * Add-Secret", L = 32).
 */
int pv_asrcb_derive_ext(const uint8_t cck[PV_CCK_LEN],
			const uint8_t tag[PV_GCM_TAG_LEN],
			uint8_t ext[PV_ASRCB_EXT_LEN], struct pv_err **err);

/* The plaintext structure of an ASRCB (§6.1). */
struct pv_asrcb_view {
	struct pv_req_view req;
	uint16_t udt;		/* user-data type */
	uint64_t flags;
	size_t shdr_off;	/* K = 0x4B8 + 80 nks */
	size_t shdr_len;	/* 16 (null) or 48 */
	uint16_t type;		/* from the secret header */
	uint32_t secret_len;	/* from the secret header */
};

/*
 * Check the size relations of an ASRCB of @len bytes (§6.5 step 6): the
 * magic "asrcbM", the framing of pv_req_view(), nks >= 1, the secret
 * header inside the AAD, rql = K + h + sea + 16 and sea >= 32.
 */
int pv_asrcb_view(const uint8_t *req, size_t len, struct pv_asrcb_view *v,
		  struct pv_err **err);

/* ---- the software UV's guest calls (§2) ---------------------------------- */

/* UVCB fields of 0x1020 (len 0x188). */
#define PV_UVCB_ATT_ARCB 0x18
#define PV_UVCB_ATT_CONT 0x20
#define PV_UVCB_ATT_USER_LEN 0x2e	/* u16 */
#define PV_UVCB_ATT_USER 0x30		/* 256 bytes */
#define PV_UVCB_ATT_MEAS_LEN 0x13c	/* u32 */
#define PV_UVCB_ATT_MEAS 0x140
#define PV_UVCB_ATT_CUID 0x148		/* 16 bytes, out */
#define PV_UVCB_ATT_ADD_LEN 0x15c	/* u32, in: capacity, out: written */
#define PV_UVCB_ATT_ADD 0x160
/* 0x1031 add (len 0x48), 0x1033 list (0x48), 0x1035 retrieve (0x48). */
#define PV_UVCB_SECRET_ADDR 0x20	/* ASRCB / list page / buffer */
#define PV_UVCB_LIST_START 0x1e		/* u16 */
#define PV_UVCB_RETR_INDEX 0x18		/* u16 */
#define PV_UVCB_RETR_SIZE 0x1c		/* u32 */

/* Query fields (§2.2). */
#define PV_QUI_ATT_VERSIONS 0xe0
#define PV_QUI_ATT_PAF 0xe8
#define PV_QUI_SECRET_VERSIONS 0xf8
#define PV_QUI_SECRET_FLAGS 0x100
#define PV_QUI_SECRET_TYPES 0x108
#define PV_QUI_MAX_ASSOC 0x110		/* u16 */
#define PV_QUI_MAX_RETR 0x112		/* u16 */

/* List Secrets output page (§6.7). */
#define PV_SECRET_LIST_LEN 4096
#define PV_SECRET_LIST_HDR 16
#define PV_SECRET_ENTRY_LEN 48
#define PV_SECRET_LIST_MAX 85		/* entries in one page */

/* Limits of this UV (§8 decisions 6 and 7). */
#define PV_UV_MAX_ASSOC_SECRETS 16
#define PV_UV_MAX_RETR_SECRETS 32

struct pv_uv;

/*
 * Derive the configuration unique ID (CUID) of every secure configuration
 * this UV creates from now on from @seed (at least 32 bytes; copied):
 * CUID n = HKDF-SHA512(ikm = seed, salt = "pvboot reproducible v1",
 * info = "cuid/<n>", L = 16), n counting the configurations this UV has
 * created, from 0.  Without a seed every CUID is random.  For tests and
 * reproducible runs; the seed is not a secret of the guest.
 */
int pv_uv_set_cuid_seed(struct pv_uv *uv, const uint8_t *seed, size_t len,
			struct pv_err **err);
/* The CUID of the configuration of secure CPU @cpu_handle; -PV_ERR_INVAL. */
int pv_uv_conf_cuid(struct pv_uv *uv, uint64_t cpu_handle,
		    uint8_t cuid[PV_CUID_LEN]);

/*
 * Addresses inside the UVCBs of §2 are logical addresses of the calling
 * guest.  Without a translator they are taken as guest absolute addresses
 * (right for a guest that runs with DAT off and prefix 0, like pvboot's own
 * boot code).  A machine that runs guests with DAT on installs @fn: it
 * turns logical address @laddr of CPU @cpu_handle into a guest absolute
 * address and returns 0, or returns a program-interruption code.  The UV
 * calls it once per 4 KiB page of a range.
 */
typedef int (*pv_uv_xlate_fn)(void *opaque, uint64_t cpu_handle,
			      uint64_t laddr, uint64_t *gabs);
void pv_uv_set_guest_xlate(struct pv_uv *uv, pv_uv_xlate_fn fn, void *opaque);

#endif
