// SPDX-License-Identifier: MIT
/*
 * Fuzz the SE header parser: whatever parses must serialize back to the
 * same bytes, and opening it with a fixed key must fail cleanly (or, for
 * the §9.2 seed whose key is 32 x 0x32, succeed without optional items).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/sehdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_sehdr_secret secret;
	struct pv_sehdr *hdr = NULL;
	struct pv_err *err = NULL;
	uint8_t hpk[PV_HPK_LEN];
	uint32_t phs = 0;
	uint8_t *out;
	int rc;

	(void)pv_sehdr_probe(data, size, &phs);
	rc = pv_sehdr_parse(data, size, &hdr, &err);
	if (rc) {
		/* every failure carries a message and leaves no header */
		if (!err || err->code != -rc || hdr)
			abort();
		pv_err_free(err);
		return 0;
	}
	if (hdr->phs != phs || hdr->phs > size ||
	    pv_sehdr_enc_offset(hdr) + hdr->sea + PV_GCM_TAG_LEN != hdr->phs)
		abort();
	out = malloc(hdr->phs);
	if (!out)
		abort();
	if (pv_sehdr_serialize(hdr, out, hdr->phs, NULL) ||
	    memcmp(out, data, hdr->phs))
		abort();
	free(out);

	memset(hpk, 0x32, sizeof(hpk));
	rc = pv_sehdr_open(hdr, hpk, &secret, &err);
	if (rc == 0 && secret.noi != 0)
		abort();
	if (rc && (rc != -PV_ERR_AUTH && rc != -PV_ERR_UNSUPPORTED))
		abort();
	pv_err_free(err);
	pv_sehdr_free(hdr);
	return 0;
}
