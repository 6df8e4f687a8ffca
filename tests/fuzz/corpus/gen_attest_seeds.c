// SPDX-License-Identifier: MIT
/*
 * Write the seed corpora of fuzz_arcb and fuzz_asrcb:
 *   arcb/   IBM's arcb.bin rebuilt from its inputs (opens with 32 x 0x17),
 *           an ARCB for the fuzz guest's host key (the UV answers rc 1),
 *           a request and a response in the exchange format
 *   asrcb/  IBM's null and association requests rebuilt, an association
 *           request bound to the fuzz guest (the UV adds it)
 * Build and run from the top directory after `make`:
 *   cc -Iinclude -Itests/unit -D_GNU_SOURCE -o /tmp/gen \
 *      tests/fuzz/corpus/gen_attest_seeds.c build/libpvboot.a -lcrypto \
 *      -ldl -lpthread -lm && /tmp/gen tests/fuzz/corpus
 */
#include <stdio.h>

#include "../fuzz_attest_common.h"
#include "lib/testkeys.c"

static const char *dir;

static void put(const char *name, const uint8_t *b, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, n, f) != n || fclose(f))
		abort();
}

static struct pv_req_keys keys(const struct pv_eckey *const *h,
			       const struct pv_eckey *cust)
{
	static uint8_t iv[12], key[32];

	memset(iv, 0x55, sizeof(iv));
	memset(key, 0x17, sizeof(key));
	return (struct pv_req_keys){ .hosts = h, .nhosts = 1, .cust = cust,
				     .iv = iv, .prot_key = key };
}

int main(int argc, char **argv)
{
	struct pv_eckey *cust = tk_cust_key(), *ibm = tk_host_pubkey();
	const struct pv_eckey *h[1];
	struct pv_hdr_tags tags;
	struct at_fix f;
	uint8_t m[64], n[16], arpk[32], id[32], val[32], *b, *x;
	size_t len;

	if (argc != 2 || !cust || !ibm)
		return 2;
	dir = argv[1];
	fz_boot(&f);
	memset(m, 0x77, sizeof(m));
	memset(n, 0xab, sizeof(n));
	h[0] = ibm;
	{
		struct pv_arcb_opts o = { .paf = PV_PAF_IMAGE_PHKH |
						 PV_PAF_ATT_PHKH,
					  .meas_key = m, .nonce = n,
					  .keys = keys(h, cust) };

		if (pv_arcb_build(&o, &b, &len, arpk, NULL))
			return 1;
		put("arcb/ibm-arcb.bin", b, len);
		free(b);
		h[0] = f.hk;
		o.paf = PV_PAF_SECRET_HASH | PV_PAF_FW_STATE;
		o.keys = keys(h, cust);
		if (pv_arcb_build(&o, &b, &len, arpk, NULL))
			return 1;
		put("arcb/guest-arcb.bin", b, len);
	}
	{
		struct pv_exchange ex = { .arcb = b, .arcb_len = (uint32_t)len,
					  .meas_len = 64, .add_len = 384 };

		x = malloc(pv_exchange_len(&ex) + 64 + 384 + 16);
		pv_exchange_write(&ex, x, pv_exchange_len(&ex), NULL);
		put("arcb/request.bin", x, pv_exchange_len(&ex));
		ex.meas = m;
		ex.add = f.h.ram;
		ex.cuid = n;
		ex.cuid_len = 16;
		pv_exchange_write(&ex, x, pv_exchange_len(&ex), NULL);
		put("arcb/response.bin", x, pv_exchange_len(&ex));
		free(x);
		free(b);
	}
	memset(&tags, 0, sizeof(tags));
	memset(tags.pld, 1, 64);
	memset(tags.ald, 2, 64);
	memset(tags.tld, 3, 64);
	memset(tags.tag, 4, 16);
	memset(val, 0x11, sizeof(val));
	pv_sha256("add_secret_request", 18, id, NULL);
	h[0] = ibm;
	{
		uint8_t cuid[16];
		struct pv_asrcb_opts o = { .tags = &tags, .cuid = cuid,
					   .type = PV_SECRET_NULL,
					   .keys = keys(h, cust) };

		memset(cuid, 0x42, sizeof(cuid));
		if (pv_asrcb_build(&o, &b, &len, NULL))
			return 1;
		put("asrcb/ibm-null.bin", b, len);
		free(b);
		o.type = PV_SECRET_ASSOCIATION;
		o.id = id;
		o.secret = val;
		o.secret_len = 32;
		if (pv_asrcb_build(&o, &b, &len, NULL))
			return 1;
		put("asrcb/ibm-assoc.bin", b, len);
		free(b);
		h[0] = f.hk;
		o.tags = &f.tags;
		o.cuid = NULL;
		o.keys = keys(h, cust);
		if (pv_asrcb_build(&o, &b, &len, NULL))
			return 1;
		put("asrcb/guest-assoc.bin", b, len);
		free(b);
	}
	at_free(&f);
	pv_eckey_free(cust);
	pv_eckey_free(ibm);
	return 0;
}
