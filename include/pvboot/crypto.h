/* SPDX-License-Identifier: MIT */
/*
 * Thin OpenSSL 3 (EVP) wrappers for Secure Execution cryptography
 * (se-image-format.md §6).  Every function follows the pv_err convention:
 * 0 / pointer on success, negative pv_errcode on failure, and a
 * `struct pv_err **` last argument that receives the first error.
 *
 * Secrets (private keys, HPK, XK, CCK, KEK, seeds) are zeroized with
 * OPENSSL_cleanse before their memory is released.
 */
#ifndef PVBOOT_CRYPTO_H
#define PVBOOT_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/err.h"

#define PV_EC_COORD_LEN 80	/* one P-521 coordinate, padded (§6.2) */
#define PV_EC_COORDS_LEN 160	/* X80 || Y80 */
#define PV_ECDH_LEN 66		/* P-521 shared secret X, fixed length */
#define PV_SHA256_LEN 32
#define PV_SHA512_LEN 64
#define PV_HPK_LEN 32		/* header protection key, AES-256-GCM */
#define PV_XK_LEN 64		/* image key, AES-256-XTS (K1 || K2) */
#define PV_CCK_LEN 32		/* customer communication key */
#define PV_KEK_LEN 32
#define PV_GCM_IV_LEN 12
#define PV_GCM_TAG_LEN 16
#define PV_TWEAK_LEN 16
#define PV_KEYSLOT_LEN 80	/* phkh(32) || wrpk(32) || kst(16) */

/* ---- random source ------------------------------------------------------- */

/*
 * struct pv_rng - where every random value of an image comes from.
 * Either the system CSPRNG (RAND_bytes) or, in reproducible mode, a
 * deterministic generator keyed by a secret seed.
 *
 * Deterministic derivation (documented in README "Reproducible images"):
 *   value(label, len) = HKDF-SHA512(ikm = seed,
 *                                   salt = "pvboot reproducible v1",
 *                                   info = label, L = len)
 * Each value has its own label ("header-key", "image-key", "cck",
 * "header-iv", "customer-key/<n>", "tweak/<component id>", ...), so values do
 * not depend on the order in which they are requested.  Asking twice for
 * the same label gives the same bytes.
 */
struct pv_rng;

/*
 * Create a reproducible rng keyed by @seed (copied; zeroized on free).
 * @seed_len must be at least 32 bytes, else PV_ERR_INVAL.  The seed is as
 * secret as the keys it produces.
 */
int pv_rng_new_seeded(const uint8_t *seed, size_t seed_len,
		      struct pv_rng **out, struct pv_err **err);
/* Create an rng backed by the OpenSSL system CSPRNG; labels are ignored. */
int pv_rng_new_system(struct pv_rng **out, struct pv_err **err);
/* Free an rng (NULL-safe); the seed is zeroized first. */
void pv_rng_free(struct pv_rng *rng);
/* True when @rng is a reproducible (seeded) generator. */
bool pv_rng_is_seeded(const struct pv_rng *rng);
/*
 * Fill @buf with @len random bytes for the purpose named by @label.
 * Seeded: HKDF as above, @label required (<= 1024 bytes), @len at most
 * 16320 bytes (PV_ERR_RANGE beyond).  System: any length.  On failure
 * @buf is zeroed.
 */
int pv_rng_bytes(struct pv_rng *rng, const char *label, uint8_t *buf,
		 size_t len, struct pv_err **err);

/* ---- EC P-521 keys ------------------------------------------------------- */

struct pv_eckey;	/* owns an EVP_PKEY (P-521 only) */

/*
 * Load a P-521 key from a file's bytes: PEM or DER; a private key (PKCS#8,
 * SEC1 "EC PRIVATE KEY"), a public key (SubjectPublicKeyInfo) or an X.509
 * certificate (its subject key).  Any other curve or key type gives
 * PV_ERR_KEY with a message that names what was found; garbage or empty
 * input PV_ERR_FORMAT; encrypted PEM keys PV_ERR_UNSUPPORTED; a public key
 * or certificate when @need_private is set PV_ERR_KEY.  Keys are checked
 * (point on curve, private/public pair consistent).
 */
int pv_eckey_from_bytes(const uint8_t *buf, size_t len, bool need_private,
			struct pv_eckey **out, struct pv_err **err);
/*
 * Public key from raw X80||Y80 coordinates (§6.2).  The 14 padding bytes
 * of each coordinate must be zero and the point must lie on P-521
 * (PV_ERR_KEY otherwise).  Safe for untrusted input.
 */
int pv_eckey_from_coords(const uint8_t coords[PV_EC_COORDS_LEN],
			 struct pv_eckey **out, struct pv_err **err);
/*
 * Key pair from a private scalar, big-endian, 1..80 bytes (leading zeros
 * allowed); the scalar must be in [1, n-1] (PV_ERR_KEY).  The public point
 * is computed.  The caller still owns and must cleanse @d.
 */
int pv_eckey_from_scalar(const uint8_t *d, size_t len, struct pv_eckey **out,
			 struct pv_err **err);
/*
 * New key pair.  With a seeded rng the scalar is derived from @label
 * (80 HKDF bytes mod (n-1), plus 1), so the same seed and label give the
 * same key; with a system rng a fresh OpenSSL key is generated.
 */
int pv_eckey_generate(struct pv_rng *rng, const char *label,
		      struct pv_eckey **out, struct pv_err **err);
/*
 * Wrap an existing EVP_PKEY (takes a reference, not ownership); it must be
 * an EC key on P-521 (PV_ERR_KEY naming the type/curve otherwise).
 */
int pv_eckey_from_evp(void *evp_pkey, struct pv_eckey **out,
		      struct pv_err **err);
/* The wrapped EVP_PKEY * (borrowed; valid while @key lives). */
void *pv_eckey_evp(const struct pv_eckey *key);
/* True when @key holds a private scalar. */
bool pv_eckey_has_private(const struct pv_eckey *key);
/* Free a key (NULL-safe); OpenSSL clears the private scalar. */
void pv_eckey_free(struct pv_eckey *key);
/*
 * Encode @key as PEM: PKCS#8 private key when @private_key (PV_ERR_KEY if
 * the key has none), else SubjectPublicKeyInfo.  *@out is malloc()ed; free
 * it with pv_free_secret(*out, *out_len) since it may hold the private key.
 */
int pv_eckey_to_pem(const struct pv_eckey *key, bool private_key,
		    uint8_t **out, size_t *out_len, struct pv_err **err);

/* X80 || Y80 of the public key (§6.2): big-endian, left-padded to 80. */
int pv_eckey_coords(const struct pv_eckey *key,
		    uint8_t out[PV_EC_COORDS_LEN], struct pv_err **err);
/* phkh = SHA-256(X80 || Y80) of the public key (§6.3). */
int pv_eckey_phkh(const struct pv_eckey *key, uint8_t out[PV_SHA256_LEN],
		  struct pv_err **err);
/*
 * 66-byte ECDH shared secret X (§6.4 step 1) of @priv (must hold a
 * private key) and @peer (validated; PV_ERR_KEY if unusable).  @out is
 * secret: cleanse it after use.
 */
int pv_ecdh(const struct pv_eckey *priv, const struct pv_eckey *peer,
	    uint8_t out[PV_ECDH_LEN], struct pv_err **err);
/*
 * KEK = SHA-256(Z || 00000001) (§6.4 step 2), Z from pv_ecdh().  The
 * intermediate Z is cleansed; @kek is secret.
 */
int pv_derive_kek(const struct pv_eckey *priv, const struct pv_eckey *peer,
		  uint8_t kek[PV_KEK_LEN], struct pv_err **err);

/* ---- key slots (§6.5) ---------------------------------------------------- */

/*
 * Build one key slot: phkh(host) || GCM(KEK(cust, host), iv = 0, hpk).
 * @cust_priv must hold the customer private key.  The KEK is cleansed.
 */
int pv_keyslot_wrap(const struct pv_eckey *cust_priv,
		    const struct pv_eckey *host_pub,
		    const uint8_t hpk[PV_HPK_LEN],
		    uint8_t slot[PV_KEYSLOT_LEN], struct pv_err **err);
/*
 * UV side: KEK(host priv, cust pub), GCM open of the slot's wrpk/kst.
 * The slot's phkh is not compared (the caller picks the slot by phkh).
 * PV_ERR_AUTH on a bad tag, e.g. a wrong host key; @hpk is zeroed then.
 */
int pv_keyslot_unwrap(const struct pv_eckey *host_priv,
		      const struct pv_eckey *cust_pub,
		      const uint8_t slot[PV_KEYSLOT_LEN],
		      uint8_t hpk[PV_HPK_LEN], struct pv_err **err);

/* ---- AES-256-GCM --------------------------------------------------------- */

/*
 * AES-256-GCM encrypt @len bytes of @pt into @ct (may be the same buffer)
 * with a 12-byte IV and @aad (may be NULL when @aad_len is 0); writes the
 * 16-byte tag.  Never reuse an IV with the same key.
 */
int pv_gcm_encrypt(const uint8_t key[32], const uint8_t iv[PV_GCM_IV_LEN],
		   const uint8_t *aad, size_t aad_len, const uint8_t *pt,
		   size_t len, uint8_t *ct, uint8_t tag[PV_GCM_TAG_LEN],
		   struct pv_err **err);
/*
 * AES-256-GCM decrypt and authenticate.  Returns -PV_ERR_AUTH (and leaves
 * @pt zeroed) when the tag does not match: unauthenticated plaintext is
 * never handed out.
 */
int pv_gcm_decrypt(const uint8_t key[32], const uint8_t iv[PV_GCM_IV_LEN],
		   const uint8_t *aad, size_t aad_len, const uint8_t *ct,
		   size_t len, const uint8_t tag[PV_GCM_TAG_LEN], uint8_t *pt,
		   struct pv_err **err);

/* ---- AES-256-XTS per page (§6.7) ----------------------------------------- */

struct pv_xts;	/* reusable cipher context bound to one 64-byte key */

/*
 * Key an AES-256-XTS context with XK = K1 (data) || K2 (tweak).
 * @encrypt selects direction.  K1 == K2 is refused (PV_ERR_KEY).  The
 * context keeps only OpenSSL's key schedule, cleansed on free.
 */
int pv_xts_new(const uint8_t key[PV_XK_LEN], bool encrypt,
	       struct pv_xts **out, struct pv_err **err);
/* Free an XTS context (NULL-safe); the key schedule is cleansed. */
void pv_xts_free(struct pv_xts *x);
/*
 * Process one 4096-byte data unit with the 16-byte tweak.  @in and @out may
 * be the same buffer.  No allocation; one context must not be used by two
 * threads at once.
 */
int pv_xts_page(struct pv_xts *x, const uint8_t tweak[PV_TWEAK_LEN],
		const uint8_t *in, uint8_t *out, struct pv_err **err);
/* T_i = BE64(prefix) || BE64(offset) (§6.7, §9.5). */
void pv_tweak_make(uint64_t prefix, uint64_t offset,
		   uint8_t tweak[PV_TWEAK_LEN]);

/* ---- SHA-2 and the PLD/ALD/TLD digests (§6.8) ---------------------------- */

/* One-shot SHA-256 of @len bytes (@buf may be NULL when @len is 0). */
int pv_sha256(const void *buf, size_t len, uint8_t out[PV_SHA256_LEN],
	      struct pv_err **err);
/* One-shot SHA-512 of @len bytes (@buf may be NULL when @len is 0). */
int pv_sha512(const void *buf, size_t len, uint8_t out[PV_SHA512_LEN],
	      struct pv_err **err);

/*
 * Incremental PLD/ALD/TLD (three SHA-512 contexts) + page count (nep).
 * Feed pages in IPIB/address order (§6.8).
 */
struct pv_digests;
/* Create the three digest contexts. */
int pv_digests_new(struct pv_digests **out, struct pv_err **err);
/* Free the digest contexts (NULL-safe). */
void pv_digests_free(struct pv_digests *d);
/* Feed one page: stored content (4096 B), its address and its tweak. */
int pv_digests_add_page(struct pv_digests *d, const uint8_t *page,
			uint64_t addr, const uint8_t tweak[PV_TWEAK_LEN],
			struct pv_err **err);
/*
 * Split variants for pipelines: PLD on one thread (any byte count per
 * call), ALD/TLD (one call per page) on another.  Each half touches only
 * its own state, so the two may run concurrently on the same object.
 */
int pv_digests_add_pld(struct pv_digests *d, const uint8_t *data, size_t len,
		       struct pv_err **err);
int pv_digests_add_addr_tweak(struct pv_digests *d, uint64_t addr,
			      const uint8_t tweak[PV_TWEAK_LEN],
			      struct pv_err **err);
/*
 * Hash the PLD on a worker thread from now on (at any point before final):
 * the add functions copy PLD data into a 1 MiB ring and return, and SHA-512
 * runs on another CPU while the caller goes on; pv_digests_final() waits
 * for it.  For callers that feed one page at a time (the UV); results are
 * the same.  Returns 0 and stays inline on a single-CPU machine or when no
 * thread can be made.  Only the calling thread may add PLD data then.
 */
int pv_digests_use_worker(struct pv_digests *d, struct pv_err **err);
/* Pages counted so far (ALD/TLD side): the header's nep. */
uint64_t pv_digests_pages(const struct pv_digests *d);
/*
 * Finish all three digests.  PV_ERR_STATE when the PLD byte count is not
 * pages × 4096 (the halves disagree) or when called twice; no further
 * updates are accepted afterwards.
 */
int pv_digests_final(struct pv_digests *d, uint8_t pld[PV_SHA512_LEN],
		     uint8_t ald[PV_SHA512_LEN], uint8_t tld[PV_SHA512_LEN],
		     struct pv_err **err);

/* ---- misc ---------------------------------------------------------------- */

/* Zeroize @len bytes with OPENSSL_cleanse (not optimised away; NULL-safe). */
void pv_cleanse(void *p, size_t len);
/* Cleanse @len bytes of malloc()ed @p, then free it (NULL-safe). */
void pv_free_secret(void *p, size_t len);
/* Constant-time compare of @len bytes; returns true when equal. */
bool pv_memeq_ct(const void *a, const void *b, size_t len);

#endif
