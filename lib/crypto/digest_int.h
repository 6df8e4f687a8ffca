/* SPDX-License-Identifier: MIT */
/*
 * Library-internal view of struct pv_digests, shared by digest.c (the
 * digests) and digest_worker.c (the optional PLD worker thread).
 */
#ifndef PVBOOT_LIB_DIGEST_INT_H
#define PVBOOT_LIB_DIGEST_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "pvboot/crypto.h"

struct digest_worker;

/*
 * The PLD half (pld, pld_bytes) and the ALD/TLD half (ald, tld, pages) are
 * touched by different functions only, so one thread may feed each half.
 * With a worker, the PLD context belongs to the worker thread until
 * digest_worker_finish() has returned.
 */
struct pv_digests {
	EVP_MD_CTX *pld;
	uint64_t pld_bytes;
	EVP_MD_CTX *ald;
	EVP_MD_CTX *tld;
	uint64_t pages;
	bool done;
	struct digest_worker *w;	/* NULL: the PLD is hashed inline */
};

/* Queue @len bytes for the worker (copied; waits while the ring is full). */
int digest_worker_add(struct pv_digests *d, const uint8_t *data, size_t len,
		      struct pv_err **err);
/* Wait until everything queued is hashed, end the thread; its result. */
int digest_worker_finish(struct pv_digests *d, struct pv_err **err);
/* Stop and free the worker (NULL-safe; it first drains the ring). */
void digest_worker_free(struct digest_worker *w);

#endif
