// SPDX-License-Identifier: MIT
/*
 * Random source: the system CSPRNG (getrandom, RAND_bytes where that
 * fails), or a deterministic HKDF-SHA512 stream
 * keyed by a secret seed for reproducible images (see crypto.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "pvboot/crypto.h"

#define RNG_SALT "pvboot reproducible v1"
#define RNG_MIN_SEED 32
#define RNG_MAX_LABEL 1024
/* RFC 5869: at most 255 blocks of the hash output. */
#define RNG_MAX_HKDF (255 * PV_SHA512_LEN)

struct pv_rng {
	bool seeded;
	uint8_t *seed;
	size_t seed_len;
	EVP_KDF *kdf;
};

int pv_rng_new_seeded(const uint8_t *seed, size_t seed_len,
		      struct pv_rng **out, struct pv_err **err)
{
	struct pv_rng *rng;

	*out = NULL;
	if (!seed || seed_len < RNG_MIN_SEED)
		return pv_err_set(err, PV_ERR_INVAL,
				  "reproducible seed has %zu bytes, need at least %d",
				  seed ? seed_len : 0, RNG_MIN_SEED);
	rng = calloc(1, sizeof(*rng));
	if (!rng)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory for rng");
	rng->seed = malloc(seed_len);
	if (!rng->seed) {
		free(rng);
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for rng seed");
	}
	memcpy(rng->seed, seed, seed_len);
	rng->seed_len = seed_len;
	rng->seeded = true;
	rng->kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_HKDF, NULL);
	if (!rng->kdf) {
		pv_rng_free(rng);
		return pv_err_ssl(err, "HKDF is not available");
	}
	*out = rng;
	return 0;
}

int pv_rng_new_system(struct pv_rng **out, struct pv_err **err)
{
	struct pv_rng *rng;

	*out = NULL;
	rng = calloc(1, sizeof(*rng));
	if (!rng)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory for rng");
	*out = rng;
	return 0;
}

void pv_rng_free(struct pv_rng *rng)
{
	if (!rng)
		return;
	pv_free_secret(rng->seed, rng->seed_len);
	EVP_KDF_free(rng->kdf);
	free(rng);
}

bool pv_rng_is_seeded(const struct pv_rng *rng)
{
	return rng && rng->seeded;
}

static int rng_hkdf(struct pv_rng *rng, const char *label, uint8_t *buf,
		    size_t len, struct pv_err **err)
{
	OSSL_PARAM params[5], *p = params;
	size_t label_len = strlen(label);
	EVP_KDF_CTX *ctx;
	int rc = 0;

	if (label_len > RNG_MAX_LABEL)
		return pv_err_set(err, PV_ERR_INVAL,
				  "rng label of %zu bytes is too long (max %d)",
				  label_len, RNG_MAX_LABEL);
	if (len > RNG_MAX_HKDF)
		return pv_err_set(err, PV_ERR_RANGE,
				  "reproducible value '%s' of %zu bytes exceeds the HKDF limit of %d",
				  label, len, RNG_MAX_HKDF);
	ctx = EVP_KDF_CTX_new(rng->kdf);
	if (!ctx)
		return pv_err_ssl(err, "cannot create HKDF context");
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)"SHA512", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, rng->seed,
						 rng->seed_len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						 (char *)RNG_SALT,
						 sizeof(RNG_SALT) - 1);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						 (char *)label, label_len);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, buf, len, params) != 1) {
		pv_cleanse(buf, len);
		rc = pv_err_ssl(err, "HKDF derivation of '%s' failed", label);
	}
	EVP_KDF_CTX_free(ctx);
	return rc;
}

int pv_rng_bytes(struct pv_rng *rng, const char *label, uint8_t *buf,
		 size_t len, struct pv_err **err)
{
	size_t done = 0;
	int rc;

	if (!rng || !buf)
		return pv_err_set(err, PV_ERR_INVAL, "rng request without %s",
				  rng ? "buffer" : "rng");
	if (!len)
		return 0;
	if (rng->seeded) {
		rc = label ? rng_hkdf(rng, label, buf, len, err) :
			     pv_err_set(err, PV_ERR_INVAL,
					"reproducible rng needs a label");
		if (rc)
			pv_cleanse(buf, len);
		return rc;
	}
	/*
	 * The kernel's CSPRNG, which also seeds OpenSSL's: asking it directly
	 * spares a process that needs only a few keys the set-up of
	 * OpenSSL's DRBG (about a millisecond before an image can stream).
	 */
	while (done < len) {
		ssize_t n = getrandom(buf + done, len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	while (done < len) {
		size_t n = len - done;

		if (n > INT_MAX)
			n = INT_MAX;
		if (RAND_bytes(buf + done, (int)n) != 1) {
			pv_cleanse(buf, len);
			return pv_err_ssl(err,
					  "system random generator failed");
		}
		done += n;
	}
	return 0;
}
