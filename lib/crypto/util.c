// SPDX-License-Identifier: MIT
/* Secret hygiene helpers shared by the whole library. */
#include <stdlib.h>

#include <openssl/crypto.h>

#include "pvboot/crypto.h"

void pv_cleanse(void *p, size_t len)
{
	if (p && len)
		OPENSSL_cleanse(p, len);
}

void pv_free_secret(void *p, size_t len)
{
	if (!p)
		return;
	OPENSSL_cleanse(p, len);
	free(p);
}

bool pv_memeq_ct(const void *a, const void *b, size_t len)
{
	if (!len)
		return true;
	return CRYPTO_memcmp(a, b, len) == 0;
}
