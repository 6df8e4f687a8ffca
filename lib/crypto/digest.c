// SPDX-License-Identifier: MIT
/* SHA-2 one-shot digests and the incremental PLD/ALD/TLD (§6.8). */
#include <stdlib.h>

#include <openssl/evp.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "digest_int.h"

static int digest_once(const char *name, const void *buf, size_t len,
		       uint8_t *out, unsigned int out_len,
		       struct pv_err **err)
{
	const EVP_MD *md = out_len == PV_SHA256_LEN ? EVP_sha256() :
						       EVP_sha512();
	unsigned int n = 0;

	if (EVP_Digest(len ? buf : "", len, out, &n, md, NULL) != 1 ||
	    n != out_len)
		return pv_err_ssl(err, "%s of %zu bytes failed", name, len);
	return 0;
}

int pv_sha256(const void *buf, size_t len, uint8_t out[PV_SHA256_LEN],
	      struct pv_err **err)
{
	return digest_once("SHA-256", buf, len, out, PV_SHA256_LEN, err);
}

int pv_sha512(const void *buf, size_t len, uint8_t out[PV_SHA512_LEN],
	      struct pv_err **err)
{
	return digest_once("SHA-512", buf, len, out, PV_SHA512_LEN, err);
}

int pv_digests_new(struct pv_digests **out, struct pv_err **err)
{
	struct pv_digests *d;
	EVP_MD *md;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for digests");
	md = EVP_MD_fetch(NULL, "SHA512", NULL);
	d->pld = EVP_MD_CTX_new();
	d->ald = EVP_MD_CTX_new();
	d->tld = EVP_MD_CTX_new();
	if (!md || !d->pld || !d->ald || !d->tld ||
	    EVP_DigestInit_ex2(d->pld, md, NULL) != 1 ||
	    EVP_DigestInit_ex2(d->ald, md, NULL) != 1 ||
	    EVP_DigestInit_ex2(d->tld, md, NULL) != 1) {
		EVP_MD_free(md);
		pv_digests_free(d);
		return pv_err_ssl(err, "SHA-512 setup for PLD/ALD/TLD failed");
	}
	EVP_MD_free(md);
	*out = d;
	return 0;
}

void pv_digests_free(struct pv_digests *d)
{
	if (!d)
		return;
	digest_worker_free(d->w);	/* first: it may use d->pld */
	EVP_MD_CTX_free(d->pld);
	EVP_MD_CTX_free(d->ald);
	EVP_MD_CTX_free(d->tld);
	free(d);
}

int pv_digests_add_pld(struct pv_digests *d, const uint8_t *data, size_t len,
		       struct pv_err **err)
{
	if (d->done)
		return pv_err_set(err, PV_ERR_STATE,
				  "PLD update after the digests were finalised");
	if (!len)
		return 0;
	if (d->w) {
		int rc = digest_worker_add(d, data, len, err);

		if (rc)
			return rc;
	} else if (EVP_DigestUpdate(d->pld, data, len) != 1) {
		return pv_err_ssl(err, "PLD update failed");
	}
	d->pld_bytes += len;
	return 0;
}

int pv_digests_add_addr_tweak(struct pv_digests *d, uint64_t addr,
			      const uint8_t tweak[PV_TWEAK_LEN],
			      struct pv_err **err)
{
	uint8_t be_addr[8];

	if (d->done)
		return pv_err_set(err, PV_ERR_STATE,
				  "ALD/TLD update after the digests were finalised");
	/* §6.8: ALD hashes BE64(page address), TLD the 16-byte tweak. */
	pv_put_be64(be_addr, addr);
	if (EVP_DigestUpdate(d->ald, be_addr, sizeof(be_addr)) != 1 ||
	    EVP_DigestUpdate(d->tld, tweak, PV_TWEAK_LEN) != 1)
		return pv_err_ssl(err, "ALD/TLD update failed");
	d->pages++;
	return 0;
}

int pv_digests_add_page(struct pv_digests *d, const uint8_t *page,
			uint64_t addr, const uint8_t tweak[PV_TWEAK_LEN],
			struct pv_err **err)
{
	int rc;

	rc = pv_digests_add_pld(d, page, PV_PAGE_SIZE, err);
	if (!rc)
		rc = pv_digests_add_addr_tweak(d, addr, tweak, err);
	return rc;
}

uint64_t pv_digests_pages(const struct pv_digests *d)
{
	return d->pages;
}

int pv_digests_final(struct pv_digests *d, uint8_t pld[PV_SHA512_LEN],
		     uint8_t ald[PV_SHA512_LEN], uint8_t tld[PV_SHA512_LEN],
		     struct pv_err **err)
{
	if (d->done)
		return pv_err_set(err, PV_ERR_STATE,
				  "PLD/ALD/TLD were already finalised");
	/* Both halves must describe the same pages (nep, §6.8). */
	if (d->pld_bytes != d->pages * PV_PAGE_SIZE)
		return pv_err_set(err, PV_ERR_STATE,
				  "PLD covers %llu bytes but ALD/TLD %llu pages (%llu bytes)",
				  (unsigned long long)d->pld_bytes,
				  (unsigned long long)d->pages,
				  (unsigned long long)d->pages * PV_PAGE_SIZE);
	d->done = true;
	if (d->w) {
		int rc = digest_worker_finish(d, err);

		if (rc)
			return rc;
	}
	if (EVP_DigestFinal_ex(d->pld, pld, NULL) != 1 ||
	    EVP_DigestFinal_ex(d->ald, ald, NULL) != 1 ||
	    EVP_DigestFinal_ex(d->tld, tld, NULL) != 1)
		return pv_err_ssl(err, "finalising PLD/ALD/TLD failed");
	return 0;
}
