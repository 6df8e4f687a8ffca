/* SPDX-License-Identifier: MIT */
/*
 * What the host and pvboot's own s390x code agree on: disabled-wait codes
 * and the initrd checksum of the test kernel.  Freestanding-safe: this header
 * is included by boot/ code built with -ffreestanding and by the host.
 */
#ifndef PVBOOT_BOOT_ABI_H
#define PVBOOT_BOOT_ABI_H

#include <stddef.h>
#include <stdint.h>

/* Loader panic codes (se-image-format.md Appendix A): PSW address of the
 * disabled wait. */
#define PV_WAIT_ENOPV 0x4607U		/* no unpack facility (161) */
#define PV_WAIT_EPV 0x4608U		/* protected boot failed */
#define PV_WAIT_EINTERNAL 0x4511U	/* stage3b: invalid kernel / cmdline */

/* Test kernel wait codes. */
#define PV_WAIT_TK_OK 0x00000000c0de0000ULL	/* every check passed */
#define PV_WAIT_TK_FAIL(n) (0x00000000c0de0000ULL | (n))
#define PV_TK_FAIL_NOT_PROTECTED 0x01	/* UV query did not answer */
#define PV_TK_FAIL_NOT_ZERO 0x02	/* a page outside components not zero */
#define PV_TK_FAIL_SHARE 0x03		/* could not share the SCLP page */
#define PV_TK_FAIL_CMDLINE 0x04		/* command line missing / bad */
#define PV_TK_FAIL_REIPL 0x05		/* requested re-IPL returned */
#define PV_TK_FAIL_PGM 0x06		/* unexpected program interruption */
#define PV_TK_FAIL_CONSOLE 0x07		/* no SCLP console (nothing printed) */
#define PV_TK_FAIL_INITRD 0x08		/* initrd outside RAM */
#define PV_TK_FAIL_RAMSIZE 0x09		/* READ SCP INFO failed */
#define PV_TK_FAIL_ATTEST 0x0a		/* attestation request / UV refused */
#define PV_TK_FAIL_SECRETS 0x0b		/* no console input for secrets */

/* Test kernel command-line keyword that runs the re-IPL test, and the
 * loadparm (ASCII; EBCDIC in the IPL block) marking the second boot. */
#define PV_TK_KEYWORD_REIPL "reipl"
#define PV_TK_REIPL_LOADPARM "PVREIPL1"

/*
 * Attestation and secrets (attestation-and-secrets.md): "pvboot.attest"
 * takes the initrd as a pvattest request, "pvboot.userdata=HEX" adds user
 * data, "pvboot.secrets" reads add-secret requests from console input.
 * The Base64 blocks on the console are framed by these lines.
 */
#define PV_TK_KEYWORD_ATTEST "pvboot.attest"
#define PV_TK_KEYWORD_SECRETS "pvboot.secrets"
#define PV_TK_KEYWORD_USERDATA "pvboot.userdata="
#define PV_TK_RESP_BEGIN "-----BEGIN PVATTEST RESPONSE-----"
#define PV_TK_RESP_END "-----END PVATTEST RESPONSE-----"
#define PV_TK_ATTEST_BEGIN "-----BEGIN PVATTEST REQUEST-----"
#define PV_TK_ATTEST_END "-----END PVATTEST REQUEST-----"
#define PV_TK_SECRET_BEGIN "-----BEGIN PVSECRET REQUEST-----"
#define PV_TK_SECRET_END "-----END PVSECRET REQUEST-----"

/*
 * pvsum64: the test kernel's fast initrd checksum.  The data is read as
 * big-endian 64-bit words (the last word zero-padded); each word is mixed
 * into the state with an xor, a multiply by an odd constant and an
 * xor-shift (a bijection of the state, so no two states merge), and the
 * byte length is mixed in at the end.  Not a cryptographic hash: it only
 * shows that the guest saw the same bytes as the host.
 */
#define PV_SUM64_SEED 0x707673756d363421ULL	/* "pvsum64!" */
#define PV_SUM64_MUL 0x9e3779b97f4a7c15ULL
#define PV_SUM64_FIN 0xd6e8feb86659fd93ULL

struct pv_sum64 {
	uint64_t h;
	uint64_t len;		/* bytes seen */
	uint8_t tail[8];	/* pending bytes of an incomplete word */
};

/* pv_sum64_load_be64() - the big-endian u64 at @p (any alignment). */
static inline uint64_t pv_sum64_load_be64(const uint8_t *p)
{
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 |
	       (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
	       (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	       (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

/* pv_sum64_mix() - mix word @w into state @h; returns the new state. */
static inline uint64_t pv_sum64_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * PV_SUM64_MUL;
	return h ^ (h >> 29);
}

/* Process @nwords whole words at @p; returns the new state. */
static inline uint64_t pv_sum64_words(uint64_t h, const uint8_t *p,
				      size_t nwords)
{
	size_t i;

	for (i = 0; i < nwords; i++)
		h = pv_sum64_mix(h, pv_sum64_load_be64(p + 8 * i));
	return h;
}

/* pv_sum64_init() - start a streaming checksum. */
static inline void pv_sum64_init(struct pv_sum64 *s)
{
	size_t i;

	s->h = PV_SUM64_SEED;
	s->len = 0;
	for (i = 0; i < sizeof(s->tail); i++)
		s->tail[i] = 0;
}

/* pv_sum64_update() - add @n bytes at @data (any split gives the same sum). */
static inline void pv_sum64_update(struct pv_sum64 *s, const void *data,
				   size_t n)
{
	const uint8_t *p = (const uint8_t *)data;
	size_t have = (size_t)(s->len % 8);

	s->len += n;
	if (have) {
		while (have < 8 && n) {
			s->tail[have++] = *p++;
			n--;
		}
		if (have < 8)
			return;
		s->h = pv_sum64_mix(s->h, pv_sum64_load_be64(s->tail));
	}
	s->h = pv_sum64_words(s->h, p, n / 8);
	p += n & ~(size_t)7;
	n &= 7;
	for (have = 0; have < n; have++)
		s->tail[have] = p[have];
}

/* pv_sum64_final() - the checksum of everything passed to update. */
static inline uint64_t pv_sum64_final(const struct pv_sum64 *s)
{
	size_t have = (size_t)(s->len % 8);
	uint64_t h = s->h;

	if (have) {
		uint8_t last[8] = { 0 };
		size_t i;

		for (i = 0; i < have; i++)
			last[i] = s->tail[i];
		h = pv_sum64_mix(h, pv_sum64_load_be64(last));
	}
	h = pv_sum64_mix(h, s->len);
	h = (h ^ (h >> 32)) * PV_SUM64_FIN;
	return h ^ (h >> 32);
}

/* pv_sum64() - one-shot pvsum64 of @n bytes at @data. */
static inline uint64_t pv_sum64(const void *data, size_t n)
{
	struct pv_sum64 s;

	pv_sum64_init(&s);
	pv_sum64_update(&s, data, n);
	return pv_sum64_final(&s);
}

#endif
