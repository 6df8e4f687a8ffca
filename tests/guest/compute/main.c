// SPDX-License-Identifier: MIT
/*
 * Compute benchmark guest: a register-only loop and SHA-256 over a 64 KiB
 * buffer, each timed with STCK, each with an exact instruction count
 * (alu.S, sha256.S).  Prints one line per phase:
 *
 *   compute: alu iterations=N insns=I us=T mips=M result=0x...
 *   compute: sha256 blocks=N insns=I us=T mips=M state=<64 hex>
 *
 * then "compute: done" and the disabled wait `wait=` (default 0).  The
 * results are the same on every correct machine; a failed self-test
 * prints "compute: FAILED ..." and waits with CP_WAIT_FAIL.
 *
 * Command line (0x10480, e.g. QEMU's -append or pvboot run --append):
 *   alu=N   iterations of the register loop in millions (default 100)
 *   sha=N   passes of SHA-256 over the 64 KiB buffer (default 64)
 *   wait=X  the final disabled-wait code, hex (QEMU ends cleanly on 0xfff)
 */
#include "libboot.h"

#define CP_SCCB 0x2000UL
#define CP_DATA 0x100000UL		/* bit 16 clear: sha256.S wraps here */
#define CP_DATA_SIZE 0x10000UL
#define CP_WAIT_FAIL 0xfa110ULL

extern const uint8_t cp_alu_pro[], cp_alu_loop[], cp_alu_epi[], cp_alu_end[];
extern const uint8_t cp_sha_pro[], cp_sha_head[], cp_sha_sched[],
	cp_sha_mid[], cp_sha_round[], cp_sha_tail[], cp_sha_epi[],
	cp_sha_end[];
uint64_t cp_alu(uint64_t seed, uint64_t n);
void cp_sha256_blocks(uint32_t state[8], const void *data, uint64_t n,
		      uint32_t wk[128]);

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t sha_h0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static uint32_t wk[128] __aligned(8);
static uint8_t pad[128] __aligned(8);

/* insns() - instructions in the straight-line code [from, to): the
 * length of an s390x instruction is in the first two bits of its opcode. */
static uint64_t insns(const uint8_t *from, const uint8_t *to)
{
	uint64_t n = 0;

	while (from < to) {
		unsigned int top = *from >> 6;

		from += top == 0 ? 2 : top == 3 ? 6 : 4;
		n++;
	}
	return n;
}

static uint64_t tod(void)
{
	uint64_t t;

	asm volatile("stck %0" : "=Q"(t) : : "cc", "memory");
	return t;
}

static void fail(const char *what)
{
	boot_printf("compute: FAILED %s\n", what);
	boot_disabled_wait(CP_WAIT_FAIL);
}

/* parm() - value of "key=" on the command line (base 10, or 16 with 0x) */
static uint64_t parm(const char *key, uint64_t def)
{
	const char *p = (const char *)COMMAND_LINE;
	size_t k = strlen(key);
	const char *end = p + strnlen(p, LEGACY_COMMAND_LINE_SIZE);

	for (; p < end; p++) {
		uint64_t v = 0;
		unsigned int base = 10;

		if ((p != (const char *)COMMAND_LINE && p[-1] != ' ') ||
		    strncmp(p, key, k) || p[k] != '=')
			continue;
		p += k + 1;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			base = 16;
			p += 2;
		}
		for (;; p++) {
			unsigned int d;

			if (*p >= '0' && *p <= '9')
				d = *p - '0';
			else if (base == 16 && *p >= 'a' && *p <= 'f')
				d = *p - 'a' + 10;
			else
				break;
			v = v * base + d;
		}
		return v;
	}
	return def;
}

/* sha_insns() - instructions of cp_sha256_blocks(..., n, ...) */
static uint64_t sha_insns(uint64_t n)
{
	uint64_t block = insns(cp_sha_head, cp_sha_sched) +
			 48 * insns(cp_sha_sched, cp_sha_mid) +
			 insns(cp_sha_mid, cp_sha_round) +
			 8 * insns(cp_sha_round, cp_sha_tail) +
			 insns(cp_sha_tail, cp_sha_epi);

	return insns(cp_sha_pro, cp_sha_head) + n * block +
	       insns(cp_sha_epi, cp_sha_end);
}

/* sha_digest() - SHA-256 of @len bytes at @data (a multiple of 64 not
 * crossing bit 16 of the address) through cp_sha256_blocks */
static void sha_digest(const void *data, uint64_t len, uint8_t out[32])
{
	uint32_t st[8];
	uint64_t bits = len * 8;
	int i;

	memcpy(st, sha_h0, sizeof(st));
	if (len)
		cp_sha256_blocks(st, data, len / 64, wk);
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	cp_sha256_blocks(st, pad, 1, wk);
	memcpy(out, st, 32);		/* big-endian words: the digest */
}

static void self_test(void)
{
	static const uint8_t abc_sha[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	uint8_t a[32], b[32];
	uint32_t st[8];

	/* "abc": one block by hand (FIPS 180-4 example) */
	memcpy(st, sha_h0, sizeof(st));
	memset(pad, 0, sizeof(pad));
	memcpy(pad, "abc", 3);
	pad[3] = 0x80;
	pad[63] = 24;
	cp_sha256_blocks(st, pad, 1, wk);
	if (memcmp(st, abc_sha, 32))
		fail("SHA-256(\"abc\") is wrong");
	/* the whole buffer against libboot's C implementation */
	sha_digest((const void *)CP_DATA, CP_DATA_SIZE, a);
	sha256((const void *)CP_DATA, CP_DATA_SIZE, b);
	if (memcmp(a, b, 32))
		fail("SHA-256 of the 64 KiB buffer differs from libboot's");
	/* the counted pieces must exist and the loops must be tight */
	if (!insns(cp_alu_loop, cp_alu_epi) || !insns(cp_sha_round, cp_sha_tail))
		fail("instruction count");
}

static void report(const char *what, uint64_t n_insns, uint64_t t0,
		   uint64_t t1)
{
	uint64_t us = (t1 - t0) >> 12;	/* TOD bit 51 = 1 microsecond */

	boot_printf("compute: %s insns=%llu us=%llu mips=", what,
		    (unsigned long long)n_insns, (unsigned long long)us);
	if (us)
		boot_printf("%llu", (unsigned long long)(n_insns / us));
	else
		boot_printf("unknown");
}

void cp_main(void);
void cp_main(void)
{
	uint64_t alu_n, sha_n, code, t0, t1, x, r;
	uint32_t st[8];
	uint8_t *d = (uint8_t *)CP_DATA;
	struct uv_cb_query q;
	char line[80];
	int i;

	sclp_set_sccb((void *)CP_SCCB);
	boot_pgm_fatal_install(CP_WAIT_FAIL);
	if (uv_protected_guest(&q))
		uv_set_shared(CP_SCCB);
	sclp_console_setup(SCLP_CONS_ASCII);
	alu_n = parm("alu", 100) * 1000000;
	sha_n = parm("sha", 64) * (CP_DATA_SIZE / 64);
	code = parm("wait", 0);
	boot_printf("compute: start (alu %llu iterations, sha256 %llu blocks)\n",
		    (unsigned long long)alu_n, (unsigned long long)sha_n);

	memcpy(&wk[64], sha_k, sizeof(sha_k));
	for (x = 0x9e3779b97f4a7c15ULL, i = 0; i < (int)CP_DATA_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		d[i] = (uint8_t)(x >> 32);
	}
	self_test();
	boot_printf("compute: self-test ok\n");

	if (alu_n) {
		t0 = tod();
		r = cp_alu(0x0123456789abcdefULL, alu_n);
		t1 = tod();
		boot_snprintf(line, sizeof(line), "alu iterations=%llu",
			      (unsigned long long)alu_n);
		report(line, insns(cp_alu_pro, cp_alu_loop) +
		       alu_n * insns(cp_alu_loop, cp_alu_epi) +
		       insns(cp_alu_epi, cp_alu_end), t0, t1);
		boot_printf(" result=0x%016llx\n", (unsigned long long)r);
	}
	if (sha_n) {
		memcpy(st, sha_h0, sizeof(st));
		t0 = tod();
		cp_sha256_blocks(st, d, sha_n, wk);
		t1 = tod();
		boot_snprintf(line, sizeof(line), "sha256 blocks=%llu",
			      (unsigned long long)sha_n);
		report(line, sha_insns(sha_n), t0, t1);
		boot_printf(" state=");
		for (i = 0; i < 8; i++)
			boot_printf("%08x", st[i]);
		boot_printf("\n");
	}
	boot_printf("compute: done\n");
	boot_disabled_wait(code);
}
