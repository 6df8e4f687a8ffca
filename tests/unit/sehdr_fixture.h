/* SPDX-License-Identifier: MIT */
/*
 * Shared fixtures of the SE header tests (test_sehdr.c, test_sehdr_seal.c):
 * a deterministic byte generator, hex decoding, random headers and the
 * real header of se-image-format.md §9.3.  Include after <cmocka.h>.
 */
#ifndef PVBOOT_TEST_SEHDR_FIXTURE_H
#define PVBOOT_TEST_SEHDR_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pvboot/sehdr.h"

static uint64_t prng_state;

/* Small deterministic generator for test contents (xorshift64*). */
static inline void fill(void *p, size_t len)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		prng_state ^= prng_state >> 12;
		prng_state ^= prng_state << 25;
		prng_state ^= prng_state >> 27;
		b[i] = (uint8_t)((prng_state * 0x2545F4914F6CDD1DULL) >> 56);
	}
}

static inline size_t hex_decode(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned int v;

	for (; hex[0] && hex[1]; hex += 2) {
		assert_true(n < max);
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* A header with @nks slots and random plaintext fields (not sealed). */
static inline struct pv_sehdr *random_header(uint64_t nks)
{
	struct pv_sehdr *hdr = NULL;

	assert_int_equal(pv_sehdr_new(nks, &hdr, NULL), 0);
	fill(hdr->iv, sizeof(hdr->iv));
	fill(&hdr->nep, sizeof(hdr->nep));
	fill(&hdr->pcf, sizeof(hdr->pcf));
	fill(hdr->cust_pub, sizeof(hdr->cust_pub));
	fill(hdr->pld, sizeof(hdr->pld));
	fill(hdr->ald, sizeof(hdr->ald));
	fill(hdr->tld, sizeof(hdr->tld));
	fill(hdr->slots, nks * sizeof(*hdr->slots));
	fill(hdr->enc, hdr->sea);
	fill(hdr->tag, sizeof(hdr->tag));
	return hdr;
}

static inline void random_secret(struct pv_sehdr_secret *s)
{
	fill(s, sizeof(*s));
	s->noi = 0;
	s->res2 = 0;
}

static inline uint8_t *serialize(const struct pv_sehdr *hdr)
{
	uint8_t *buf = malloc(hdr->phs);

	assert_non_null(buf);
	assert_int_equal(pv_sehdr_serialize(hdr, buf, hdr->phs, NULL), 0);
	return buf;
}

static inline bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * se-image-format.md §9.3: upstream rust/pv/tests/assets/exp/secure_guest.hdr
 * (640 bytes, SHA-256 c31196aa...0aef); no keys exist for it.
 */
static const char real_hdr[] =
	"49424d536563457800000100000002804dc42a795fd9d2e4a40fcb3300000000"
	"00000000000000010000000000000080000000000000fc250000000000000000"
	"0000000000000000000000000000013fa57395f4d35560d55565d84347035d62"
	"fc161c3a6d5db61a358302d25e71b66ce90705d45d828c237d81b251a145879e"
	"0dd5e9a0448290ced028c87feca852fd000000000000000000000000000001a5"
	"03d17cebf3ae922409a66bbbd15de2039023f4adc1db218a2f58bdfa9b263dad"
	"e6cf786b782941662189caba4659c9599541ba89338e6c8d353a9be4304662cb"
	"be94b5eab3c1b118c757d7db7ea0f65d9b64823a8dc55bf8a8725b58072d9d42"
	"58c53e8a5da82dfb2192d91d07bc1c39b95d6321d3ba16a751a6e3e32f3e0161"
	"2858c3368b2a0af0c5ea0fde7905eb15af9cd1dd737165933cdaa2b850b6a8e2"
	"f0f42c7b36dd5381096288dc092daa8a6facec2534137bc94ca80bda4fcb9328"
	"4860ebcf7b9d24eb909a795356ad32c936b62165988a9ffcd66170dbc590c230"
	"10d7952fa882d1bb79558f9be0a549d8d7a94ae720e5c0760a825d479fe67af5"
	"782966a6298f6f5968780c3134ca4c55958d2dbca5292f59e9f5d2670befaf2f"
	"5ba3401e8dde0d01dc1f971edfe8c81c3ced6d39e887225b4e9c34b5d5bebeff"
	"19af21eb7c50e34b0a93cf0b2f1a6f8a8e883a7a8efa9094e232d375ce377c61"
	"2a977b31c13810d530764dcd577bc1e50570a817ab75e46a7fdcdfcb7f89a1a6"
	"f0a0bcba2d32c5a8d2f4078160069014fabe2a3acd87c0d1eae8151931b842cf"
	"d042f4d2cb40ffbd0a66cef51532f8f769d63dea75cd62efea635d7cb43f5482"
	"689635a16ff3c216591c1e0273b5136e92309d4589b9a85b427f8753171d1520";


#endif
