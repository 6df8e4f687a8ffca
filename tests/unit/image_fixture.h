/* SPDX-License-Identifier: MIT */
/*
 * Fixtures for the lib/image unit tests: temporary files, fake kernels and
 * loaders of the sizes of the se-image-format.md §2.4 worked example,
 * generated host keys, and a one-call image build.
 */
#ifndef PVBOOT_TEST_IMAGE_FIXTURE_H
#define PVBOOT_TEST_IMAGE_FIXTURE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "pvboot/be.h"
#include "pvboot/image.h"

#define FX_UNUSED __attribute__((unused))
#define FX_S3A_LEN 0x2468	/* §2.4 worked example */
#define FX_S3B_LEN 0x1E40

struct fx {
	char dir[64];
	uint8_t s3a[FX_S3A_LEN];
	uint8_t s3b[FX_S3B_LEN];
	struct pv_eckey *hk[96];	/* host key pairs (private) */
	size_t nhk;
	int nfiles;
};

/* Deterministic filler that differs per @seed. */
static FX_UNUSED void fx_pattern(uint8_t *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
}

static FX_UNUSED void fx_die(const char *what, struct pv_err *err)
{
	fprintf(stderr, "fixture: %s: %s\n", what, err ? err->msg : "?");
	abort();
}

static FX_UNUSED void fx_init(struct fx *f, size_t nhk)
{
	struct pv_err *err = NULL;
	struct pv_rng *rng;

	memset(f, 0, sizeof(*f));
	strcpy(f->dir, "/tmp/pvboot-image-test.XXXXXX");
	if (!mkdtemp(f->dir))
		abort();
	fx_pattern(f->s3a, sizeof(f->s3a), 0x3a);
	fx_pattern(f->s3b, sizeof(f->s3b), 0x3b);
	if (pv_rng_new_system(&rng, &err))
		fx_die("rng", err);
	for (size_t i = 0; i < nhk; i++)
		if (pv_eckey_generate(rng, "host", &f->hk[i], &err))
			fx_die("host key", err);
	f->nhk = nhk;
	pv_rng_free(rng);
}

static FX_UNUSED void fx_fini(struct fx *f)
{
	char cmd[128];

	for (size_t i = 0; i < f->nhk; i++)
		pv_eckey_free(f->hk[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", f->dir);
}

/* Path of @name in the fixture directory (static buffer ring). */
static FX_UNUSED const char *fx_path(struct fx *f, const char *name)
{
	static char ring[8][256];
	char *p = ring[f->nfiles++ % 8];

	snprintf(p, 256, "%s/%s", f->dir, name);
	return p;
}

static FX_UNUSED const char *fx_write(struct fx *f, const char *name,
				      const void *buf, size_t len)
{
	const char *p = fx_path(f, name);
	FILE *fp = fopen(p, "wb");

	if (!fp || (len && fwrite(buf, 1, len, fp) != len) || fclose(fp))
		abort();
	return p;
}

static FX_UNUSED uint8_t *fx_read(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || (n && fread(buf, 1, (size_t)n, fp) != (size_t)n))
		abort();
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* A raw "kernel": pattern, S390EP at 0x10008, max cmdline at 0x10430. */
static FX_UNUSED uint8_t *fx_kernel(size_t len, uint64_t max_cmdline,
				    uint32_t seed)
{
	uint8_t *k = malloc(len);

	if (!k)
		abort();
	fx_pattern(k, len, seed);
	if (len >= PV_S390EP_OFF + 6)
		memcpy(k + PV_S390EP_OFF, "S390EP", 6);
	if (len >= PV_MAX_CMDLINE_SIZE + 8)
		pv_put_be64(k + PV_MAX_CMDLINE_SIZE, max_cmdline);
	return k;
}

static FX_UNUSED const char *fx_kernel_file(struct fx *f, const char *name,
					    size_t len, uint32_t seed)
{
	uint8_t *k = fx_kernel(len, 4096, seed);
	const char *p = fx_write(f, name, k, len);

	free(k);
	return p;
}

static FX_UNUSED const char *fx_random_file(struct fx *f, const char *name,
					    size_t len, uint32_t seed)
{
	uint8_t *b = malloc(len ? len : 1);
	const char *p;

	fx_pattern(b, len, seed);
	p = fx_write(f, name, b, len);
	free(b);
	return p;
}

/* A new builder with the fixture loaders and the first @nhk host keys. */
static FX_UNUSED struct pv_builder *fx_builder(struct fx *f,
					       enum pv_layout layout,
					       size_t nhk)
{
	struct pv_err *err = NULL;
	struct pv_builder *b;

	if (pv_builder_new(layout, &b, &err) ||
	    pv_builder_set_loaders(b, f->s3a, sizeof(f->s3a), f->s3b,
				   sizeof(f->s3b), &err))
		fx_die("builder", err);
	for (size_t i = 0; i < nhk; i++)
		if (pv_builder_add_host_key(b, f->hk[i], &err))
			fx_die("host key", err);
	return b;
}

/* Write the image of @b to @name; returns the path (NULL on failure). */
static FX_UNUSED const char *fx_write_image(struct fx *f, struct pv_builder *b,
					    const char *name,
					    struct pv_build_result *res,
					    struct pv_err **err)
{
	const char *p = fx_path(f, name);
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	int rc;

	if (fd < 0)
		abort();
	rc = pv_builder_write(b, fd, res, err);
	close(fd);
	return rc ? NULL : p;
}

static FX_UNUSED struct pv_rng *fx_seeded(uint8_t fill)
{
	struct pv_err *err = NULL;
	struct pv_rng *rng;
	uint8_t seed[32];

	memset(seed, fill, sizeof(seed));
	if (pv_rng_new_seeded(seed, sizeof(seed), &rng, &err))
		fx_die("seeded rng", err);
	return rng;
}

/* Independent AES-256-XTS of one page with OpenSSL EVP (not pv_xts). */
static FX_UNUSED void fx_xts_page(const uint8_t key[64], uint64_t prefix,
				  uint64_t off, const uint8_t *in, uint8_t *out,
				  int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t iv[16];
	int n = 0, m = 0;

	pv_put_be64(iv, prefix);
	pv_put_be64(iv + 8, off);
	if (!ctx ||
	    !EVP_CipherInit_ex(ctx, EVP_aes_256_xts(), NULL, key, iv, enc) ||
	    !EVP_CipherUpdate(ctx, out, &n, in, 4096) ||
	    !EVP_CipherFinal_ex(ctx, out + n, &m) || n + m != 4096)
		abort();
	EVP_CIPHER_CTX_free(ctx);
}

static FX_UNUSED void fx_sha512(const void *buf, size_t len, uint8_t out[64])
{
	unsigned int n = 64;

	if (!EVP_Digest(buf, len, out, &n, EVP_sha512(), NULL))
		abort();
}

#endif
