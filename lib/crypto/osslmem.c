// SPDX-License-Identifier: MIT
/*
 * Zeroize everything OpenSSL frees.
 *
 * OpenSSL clears the BIGNUMs of a private key, but not every intermediate
 * buffer its decoders and ASN.1 code allocate while a key is parsed (the DER
 * of an EC private key, the octet string of the scalar, ...).  pvboot handles
 * host private keys, header keys and image keys, so libpvboot installs
 * allocation functions that clear each block before it goes back to the C
 * library.  They must be installed before OpenSSL allocates anything, hence
 * the constructor; err.c keeps this object linked into every program.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/*
 * explicit_bzero() is never optimised away and clears at memset speed:
 * OpenSSL frees thousands of blocks per run (all of its algorithm tables
 * at exit), so a byte-by-byte loop here cost milliseconds per command.
 */
static void wipe(void *p)
{
	explicit_bzero(p, malloc_usable_size(p));
}

static void *pv_ossl_malloc(size_t n, const char *file, int line)
{
	return malloc(n);
}

static void pv_ossl_free(void *p, const char *file, int line)
{
	if (!p)
		return;
	wipe(p);
	free(p);
}

/* Never let realloc move secret bytes and leave the old copy behind. */
static void *pv_ossl_realloc(void *p, size_t n, const char *file, int line)
{
	size_t old;
	void *q;

	if (!p)
		return malloc(n);
	if (!n) {
		pv_ossl_free(p, file, line);
		return NULL;
	}
	old = malloc_usable_size(p);
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	pv_ossl_free(p, file, line);
	return q;
}

/* Set when the functions were installed (OpenSSL refuses after its first
 * allocation, e.g. when a program used libcrypto before libpvboot loaded). */
int pv_ossl_mem_installed;

__attribute__((constructor)) static void pv_ossl_mem_init(void)
{
	pv_ossl_mem_installed = CRYPTO_set_mem_functions(pv_ossl_malloc,
							 pv_ossl_realloc,
							 pv_ossl_free);
}
