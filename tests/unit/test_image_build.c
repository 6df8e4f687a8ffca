// SPDX-License-Identifier: MIT
/*
 * Builder behaviour: reproducible output, the §9.7 re-encrypt and re-seal
 * tests against independent OpenSSL code, digests recomputed from the file,
 * measure == create, the cmdline NUL rule, chunk boundaries, pipes, kernel
 * checks, key sizes, no-encryption mode and --x-psw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "image_fixture.h"
#include "pvboot/sehdr.h"

#define CHUNK (128 * 1024)

static struct pv_builder *small_builder(struct fx *f, enum pv_layout l,
					size_t klen, size_t rlen,
					const void *cmd, size_t cmdlen)
{
	struct pv_err *err = NULL;
	struct pv_builder *b = fx_builder(f, l, 2);

	assert_int_equal(pv_builder_set_chunk_size(b, CHUNK, &err), 0);
	assert_int_equal(pv_builder_set_input_path(
				 b, PV_COMP_KERNEL,
				 fx_kernel_file(f, "kernel", klen, 7), &err),
			 0);
	if (rlen != (size_t)-1)
		assert_int_equal(pv_builder_set_input_path(
					 b, PV_COMP_INITRD,
					 fx_random_file(f, "initrd", rlen, 8),
					 &err),
				 0);
	if (cmd)
		assert_int_equal(pv_builder_set_input_path(
					 b, PV_COMP_CMDLINE,
					 fx_write(f, "parm", cmd, cmdlen),
					 &err),
				 0);
	return b;
}

static uint8_t *build_bytes(struct fx *f, struct pv_builder *b,
			    const char *name, size_t *len,
			    struct pv_build_result *res)
{
	struct pv_err *err = NULL;
	const char *p = fx_write_image(f, b, name, res, &err);

	if (!p)
		fx_die("build", err);
	return fx_read(p, len);
}

static void test_reproducible(void **state)
{
	struct pv_rng *r1 = fx_seeded(1), *r2 = fx_seeded(1),
		      *r3 = fx_seeded(2);
	struct pv_build_result res1, res2, res3;
	struct pv_builder *b;
	uint8_t *a, *c, *d;
	size_t la, lc, ld;
	struct fx f;

	(void)state;
	fx_init(&f, 2);
	b = small_builder(&f, PV_LAYOUT_R, 0x30000, 0x25001, "a=b", 3);
	pv_builder_set_rng(b, r1);
	a = build_bytes(&f, b, "one", &la, &res1);
	pv_builder_free(b);
	b = small_builder(&f, PV_LAYOUT_R, 0x30000, 0x25001, "a=b", 3);
	pv_builder_set_rng(b, r2);
	c = build_bytes(&f, b, "two", &lc, &res2);
	pv_builder_free(b);
	b = small_builder(&f, PV_LAYOUT_R, 0x30000, 0x25001, "a=b", 3);
	pv_builder_set_rng(b, r3);
	d = build_bytes(&f, b, "three", &ld, &res3);
	pv_builder_free(b);
	/* same inputs + seed: identical bytes; another seed: differs */
	assert_int_equal(la, lc);
	assert_memory_equal(a, c, la);
	assert_int_equal(la, ld);
	assert_memory_not_equal(a + res1.hdr_addr, d + res3.hdr_addr, 640);
	assert_memory_not_equal(a + res1.comps[0].addr, d + res3.comps[0].addr,
				4096);
	assert_true(res1.comps[0].tweak_pref != res3.comps[0].tweak_pref);
	free(a);
	free(c);
	free(d);
	pv_rng_free(r1);
	pv_rng_free(r2);
	pv_rng_free(r3);
	fx_fini(&f);
}

/*
 * §9.7: decrypt the header with the HPK and re-seal it with OpenSSL (same
 * IV and AAD), re-encrypt the inputs with XK and the IPIB tweak prefixes,
 * and recompute PLD/ALD/TLD from the file: all must equal the image bytes.
 */
static void test_reencrypt(void **state)
{
	static const char cmd[] = "console=ttyS0 root=/dev/ram0";
	uint8_t hpk[32], xk[64], cck[32];
	struct pv_build_result res;
	const struct pv_image_info *in;
	struct pv_sehdr_secret sec;
	struct pv_err *err = NULL;
	struct pv_image *img;
	struct pv_builder *b;
	uint8_t *bytes, *kern, *rd, page[4096], ct[4096];
	size_t len, klen = 0x23456, rlen = 0x3000, input_len[3];
	const uint8_t *inputs[3];
	EVP_MD_CTX *pld = EVP_MD_CTX_new(), *ald = EVP_MD_CTX_new(),
		   *tld = EVP_MD_CTX_new();
	uint8_t dig[64];
	unsigned int dl;
	struct fx f;

	(void)state;
	fx_init(&f, 2);
	fx_pattern(hpk, sizeof(hpk), 11);
	fx_pattern(xk, sizeof(xk), 12);
	fx_pattern(cck, sizeof(cck), 13);
	b = small_builder(&f, PV_LAYOUT_R, klen, rlen, cmd, sizeof(cmd) - 1);
	assert_int_equal(pv_builder_set_key(b, PV_KEY_HPK, hpk, 32, &err), 0);
	assert_int_equal(pv_builder_set_key(b, PV_KEY_XK, xk, 64, &err), 0);
	assert_int_equal(pv_builder_set_key(b, PV_KEY_CCK, cck, 32, &err), 0);
	bytes = build_bytes(&f, b, "se.img", &len, &res);
	pv_builder_free(b);
	kern = fx_read(fx_path(&f, "kernel"), &input_len[0]);
	rd = fx_read(fx_path(&f, "initrd"), &input_len[1]);
	inputs[0] = kern;
	inputs[1] = rd;
	inputs[2] = (const uint8_t *)cmd;
	input_len[2] = sizeof(cmd); /* with the added NUL */

	assert_int_equal(pv_image_open(fx_path(&f, "se.img"), &img, &err), 0);
	in = pv_image_get_info(img);
	assert_int_equal(pv_image_open_header(img, hpk, &sec, &err), 0);
	assert_memory_equal(sec.xts, xk, 64);
	assert_memory_equal(sec.cck, cck, 32);
	assert_int_equal(sec.psw_addr, in->comps[3].addr);
	assert_int_equal(sec.psw_mask, PV_PSW_MASK_64);
	{
		/* re-seal with OpenSSL GCM: same ciphertext and tag */
		size_t e = 0x1A0 + 80 * in->hdr->nks;
		uint8_t plain[128], out[128], tag[16];
		EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
		int n;

		pv_sehdr_secret_pack(&sec, plain);
		assert_true(EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, hpk,
					       in->hdr->iv));
		assert_true(
			EVP_EncryptUpdate(c, NULL, &n, in->hdr_raw, (int)e));
		assert_true(EVP_EncryptUpdate(c, out, &n, plain, 128));
		assert_true(EVP_EncryptFinal_ex(c, out + n, &n));
		assert_true(
			EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag));
		EVP_CIPHER_CTX_free(c);
		assert_memory_equal(out, in->hdr_raw + e, 128);
		assert_memory_equal(tag, in->hdr_raw + in->hdr->phs - 16, 16);
	}
	assert_true(EVP_DigestInit_ex(pld, EVP_sha512(), NULL));
	assert_true(EVP_DigestInit_ex(ald, EVP_sha512(), NULL));
	assert_true(EVP_DigestInit_ex(tld, EVP_sha512(), NULL));
	for (size_t i = 0; i < in->ncomps; i++) {
		const struct pv_image_comp *c = &in->comps[i];
		int k = c->kind == PV_COMP_KERNEL    ? 0
			: c->kind == PV_COMP_INITRD  ? 1
			: c->kind == PV_COMP_CMDLINE ? 2
						     : -1;

		for (uint64_t off = 0; off < c->len; off += 4096) {
			uint8_t a8[8], tw[16];

			assert_true(c->addr + off + 4096 <= len);
			if (k >= 0) {
				/* the input, zero padded, encrypted by OpenSSL
				 */
				memset(page, 0, sizeof(page));
				if (off < input_len[k])
					memcpy(page, inputs[k] + off,
					       input_len[k] - off < 4096
						       ? input_len[k] - off
						       : 4096);
				fx_xts_page(xk, c->tweak_pref, off, page, ct,
					    1);
				assert_memory_equal(ct, bytes + c->addr + off,
						    4096);
			}
			pv_put_be64(a8, c->addr + off);
			pv_put_be64(tw, c->tweak_pref);
			pv_put_be64(tw + 8, off);
			EVP_DigestUpdate(pld, bytes + c->addr + off, 4096);
			EVP_DigestUpdate(ald, a8, 8);
			EVP_DigestUpdate(tld, tw, 16);
		}
	}
	assert_true(EVP_DigestFinal_ex(pld, dig, &dl));
	assert_memory_equal(dig, in->hdr->pld, 64);
	assert_true(EVP_DigestFinal_ex(ald, dig, &dl));
	assert_memory_equal(dig, in->hdr->ald, 64);
	assert_true(EVP_DigestFinal_ex(tld, dig, &dl));
	assert_memory_equal(dig, in->hdr->tld, 64);
	assert_int_equal(in->hdr->nep,
			 (0x24000 + 0x3000 + 0x1000 + 0x2000) / 4096);
	/* the stage3b parameter block after decryption (§3.3) */
	{
		const struct pv_image_comp *s = &in->comps[3];
		uint8_t plain[8192];
		struct pv_stage3b_parms p;

		for (int i = 0; i < 2; i++)
			fx_xts_page(xk, s->tweak_pref, 4096 * (uint64_t)i,
				    bytes + s->addr + 4096 * i,
				    plain + 4096 * i, 0);
		assert_memory_equal(plain, f.s3b, FX_S3B_LEN - 64);
		pv_stage3b_parms_unpack(plain + FX_S3B_LEN - 64, &p);
		assert_int_equal(p.kernel_src, in->comps[0].addr);
		assert_int_equal(p.kernel_size, klen);
		assert_int_equal(p.initrd_src, in->comps[1].addr);
		assert_int_equal(p.initrd_size, rlen);
		assert_int_equal(p.cmdline_src, in->comps[2].addr);
		assert_int_equal(p.cmdline_size, sizeof(cmd));
		assert_int_equal(p.psw_mask, PV_PSW_MASK_64);
		assert_int_equal(p.psw_addr, 0x10000);
	}
	EVP_MD_CTX_free(pld);
	EVP_MD_CTX_free(ald);
	EVP_MD_CTX_free(tld);
	pv_image_close(img);
	free(bytes);
	free(kern);
	free(rd);
	fx_fini(&f);
}

/* measure with the same seed and keys gives the header's values */
static void test_measure_equals_create(void **state)
{
	struct pv_rng *r1 = fx_seeded(5), *r2 = fx_seeded(5);
	struct pv_build_result w, m;
	struct pv_err *err = NULL;
	struct pv_builder *b;
	uint8_t *bytes;
	size_t len;
	struct fx f;

	(void)state;
	fx_init(&f, 2);
	b = small_builder(&f, PV_LAYOUT_R, 0x40000, 0x1234, "x", 1);
	pv_builder_set_rng(b, r1);
	bytes = build_bytes(&f, b, "se.img", &len, &w);
	pv_builder_free(b);
	b = small_builder(&f, PV_LAYOUT_R, 0x40000, 0x1234, "x", 1);
	pv_builder_set_rng(b, r2);
	assert_int_equal(pv_image_measure(b, &m, &err), 0);
	pv_builder_free(b);
	assert_int_equal(m.nep, w.nep);
	assert_memory_equal(m.pld, bytes + w.hdr_addr + 0xE0, 64);
	assert_memory_equal(m.ald, bytes + w.hdr_addr + 0x120, 64);
	assert_memory_equal(m.tld, bytes + w.hdr_addr + 0x160, 64);
	assert_true(m.have_tag);
	assert_memory_equal(m.tag, bytes + w.hdr_addr + w.hdr_size - 16, 16);
	assert_int_equal(pv_get_be64(bytes + w.hdr_addr + 0x30), m.nep);
	free(bytes);
	pv_rng_free(r1);
	pv_rng_free(r2);
	fx_fini(&f);
}

static uint64_t cmdline_size(struct fx *f, const void *cmd, size_t n,
			     uint64_t *len)
{
	struct pv_build_result res;
	struct pv_builder *b =
		small_builder(f, PV_LAYOUT_R, 0x11000, -1, cmd, n);
	size_t l;

	/* the big command lines exceed the fake kernel's 4096 */
	pv_builder_set_component_check(b, false);
	free(build_bytes(f, b, "se.img", &l, &res));
	pv_builder_free(b);
	assert_int_equal(res.comps[1].kind, PV_COMP_CMDLINE);
	*len = res.comps[1].len;
	return res.comps[1].orig_size;
}

/* §10 item 7: a NUL is added only when the last byte is not one */
static void test_cmdline_nul(void **state)
{
	uint8_t *big = malloc(CHUNK);
	uint64_t len;
	struct fx f;

	(void)state;
	fx_init(&f, 2);
	assert_int_equal(cmdline_size(&f, "abc", 3, &len), 4);
	assert_int_equal(len, 4096);
	assert_int_equal(cmdline_size(&f, "abc\0", 4, &len), 4);
	assert_int_equal(cmdline_size(&f, "", 0, &len), 1);
	assert_int_equal(len, 4096);
	/* exactly one chunk without NUL: the NUL opens a new page */
	memset(big, 'a', CHUNK);
	assert_int_equal(cmdline_size(&f, big, CHUNK, &len), CHUNK + 1);
	assert_int_equal(len, CHUNK + 4096);
	big[CHUNK - 1] = 0;
	assert_int_equal(cmdline_size(&f, big, CHUNK, &len), CHUNK);
	assert_int_equal(len, CHUNK);
	free(big);
	fx_fini(&f);
}

/* inputs of 0, 1, chunk-1, chunk, chunk+1 bytes */
static void test_chunk_edges(void **state)
{
	static const size_t sizes[] = {
		0, 1, 4095, 4096, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK,
	};
	struct fx f;

	(void)state;
	fx_init(&f, 2);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct pv_build_result res;
		struct pv_builder *b = small_builder(&f, PV_LAYOUT_C, 0x11000,
						     sizes[i], NULL, 0);
		uint64_t pages = sizes[i] ? (sizes[i] + 4095) / 4096 : 1;
		size_t l;

		free(build_bytes(&f, b, "se.img", &l, &res));
		pv_builder_free(b);
		assert_int_equal(res.comps[1].kind, PV_COMP_INITRD);
		assert_int_equal(res.comps[1].orig_size, sizes[i]);
		assert_int_equal(res.comps[1].len, pages * 4096);
		assert_int_equal(res.nep, 0x11 + pages + 2);
		assert_int_equal(l, res.file_size);
	}
	fx_fini(&f);
}

/* An input given as a pipe fd streams like a file. */
static void test_pipe_input(void **state)
{
	struct pv_rng *r1 = fx_seeded(9), *r2 = fx_seeded(9);
	struct pv_build_result res1, res2;
	struct pv_err *err = NULL;
	struct pv_builder *b;
	uint8_t *a, *c, *rd;
	size_t la, lc, rlen = 300000;
	int p[2];
	pid_t pid;
	struct fx f;

	(void)state;
	fx_init(&f, 2);
	b = small_builder(&f, PV_LAYOUT_R, 0x11000, rlen, NULL, 0);
	pv_builder_set_rng(b, r1);
	a = build_bytes(&f, b, "file.img", &la, &res1);
	pv_builder_free(b);
	rd = fx_read(fx_path(&f, "initrd"), &rlen);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		/* write in odd pieces to exercise short reads */
		close(p[0]);
		for (size_t o = 0; o < rlen; o += 777)
			if (write(p[1], rd + o,
				  rlen - o < 777 ? rlen - o : 777) < 0)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	b = small_builder(&f, PV_LAYOUT_R, 0x11000, -1, NULL, 0);
	assert_int_equal(
		pv_builder_set_input_fd(b, PV_COMP_INITRD, p[0], "pipe", &err),
		0);
	pv_builder_set_rng(b, r2);
	c = build_bytes(&f, b, "pipe.img", &lc, &res2);
	pv_builder_free(b);
	close(p[0]);
	waitpid(pid, NULL, 0);
	assert_int_equal(la, lc);
	assert_memory_equal(a, c, la);
	free(a);
	free(c);
	free(rd);
	pv_rng_free(r1);
	pv_rng_free(r2);
	fx_fini(&f);
}

static int build_err(struct fx *f, struct pv_builder *b, struct pv_err **err)
{
	struct pv_build_result res;

	return fx_write_image(f, b, "bad.img", &res, err) ? 0 : (*err)->code;
}

static void test_kernel_checks(void **state)
{
	struct pv_err *err = NULL;
	struct pv_builder *b;
	uint8_t *k;
	struct fx f;

	(void)state;
	fx_init(&f, 1);
	/* ELF */
	k = fx_kernel(0x20000, 0, 1);
	memcpy(k,
	       "\x7f"
	       "ELF",
	       4);
	b = fx_builder(&f, PV_LAYOUT_R, 1);
	pv_builder_set_input_path(b, PV_COMP_KERNEL,
				  fx_write(&f, "elf", k, 0x20000), &err);
	assert_int_equal(build_err(&f, b, &err), PV_ERR_FORMAT);
	assert_non_null(strstr(err->msg, "ELF"));
	pv_err_free(err);
	err = NULL;
	pv_builder_set_component_check(b, false);
	assert_int_equal(build_err(&f, b, &err), 0);
	pv_builder_free(b);
	/* no S390EP */
	memcpy(k, "\0\0\0\0", 4);
	memset(k + 0x10008, 0, 6);
	b = fx_builder(&f, PV_LAYOUT_R, 1);
	pv_builder_set_input_path(b, PV_COMP_KERNEL,
				  fx_write(&f, "noep", k, 0x20000), &err);
	assert_int_equal(build_err(&f, b, &err), PV_ERR_FORMAT);
	assert_non_null(strstr(err->msg, "S390EP"));
	pv_err_free(err);
	err = NULL;
	pv_builder_free(b);
	free(k);
	/* empty kernel */
	b = fx_builder(&f, PV_LAYOUT_R, 1);
	pv_builder_set_input_path(b, PV_COMP_KERNEL,
				  fx_write(&f, "empty", "", 0), &err);
	assert_int_equal(build_err(&f, b, &err), PV_ERR_FORMAT);
	assert_non_null(strstr(err->msg, "empty"));
	pv_err_free(err);
	err = NULL;
	pv_builder_free(b);
	/* command line longer than the kernel's max (0 at 0x10430 -> 896) */
	{
		uint8_t cmd[897];

		memset(cmd, 'x', sizeof(cmd));
		k = fx_kernel(0x11000, 0, 4);
		b = fx_builder(&f, PV_LAYOUT_R, 1);
		pv_builder_set_input_path(b, PV_COMP_KERNEL,
					  fx_write(&f, "k896", k, 0x11000),
					  &err);
		pv_builder_set_input_path(b, PV_COMP_CMDLINE,
					  fx_write(&f, "c896", cmd, 895), &err);
		assert_int_equal(build_err(&f, b, &err), 0);
		pv_builder_set_input_path(b, PV_COMP_CMDLINE,
					  fx_write(&f, "c897", cmd, 896), &err);
		assert_int_equal(build_err(&f, b, &err), PV_ERR_RANGE);
		assert_non_null(strstr(err->msg, "896"));
		pv_err_free(err);
		err = NULL;
		pv_builder_free(b);
		free(k);
	}
	fx_fini(&f);
}

static void test_bad_keys(void **state)
{
	uint8_t key[64] = {1};
	struct pv_err *err = NULL;
	struct pv_builder *b;
	struct fx f;

	(void)state;
	fx_init(&f, 0);
	b = fx_builder(&f, PV_LAYOUT_R, 0);
	assert_int_equal(pv_builder_set_key(b, PV_KEY_HPK, key, 31, &err),
			 -PV_ERR_KEY);
	assert_non_null(strstr(err->msg, "exactly 32 bytes, got 31"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_builder_set_key(b, PV_KEY_XK, key, 32, &err),
			 -PV_ERR_KEY);
	pv_err_free(err);
	err = NULL;
	memset(key, 7, sizeof(key));
	assert_int_equal(pv_builder_set_key(b, PV_KEY_XK, key, 64, &err),
			 -PV_ERR_KEY);
	assert_non_null(strstr(err->msg, "equal"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_builder_set_key(b, PV_KEY_CCK, key, 33, &err),
			 -PV_ERR_KEY);
	pv_err_free(err);
	err = NULL;
	/* no host key: write refuses */
	pv_builder_set_input_path(b, PV_COMP_KERNEL,
				  fx_kernel_file(&f, "k", 0x11000, 1), &err);
	assert_int_equal(build_err(&f, b, &err), PV_ERR_INVAL);
	pv_err_free(err);
	pv_builder_free(b);
	fx_fini(&f);
}

/* PCF bit 35: components only padded (§6.7); --x-psw moves the header PSW */
static void test_no_encryption_and_psw(void **state)
{
	struct pv_build_result res;
	struct pv_sehdr_secret sec;
	struct pv_err *err = NULL;
	struct pv_builder *b;
	struct pv_image *img;
	uint8_t hpk[32], *bytes, *rd;
	size_t len, rlen;
	struct fx f;

	(void)state;
	fx_init(&f, 2);
	memset(hpk, 0x42, sizeof(hpk));
	b = small_builder(&f, PV_LAYOUT_R, 0x11000, 5000, NULL, 0);
	pv_builder_set_flags(b, PV_PCF_DEFAULT | PV_PCF_NO_DECRYPTION,
			     PV_SCF_CCK_UPDATE);
	pv_builder_set_psw_addr(b, 0x123000);
	assert_int_equal(pv_builder_set_key(b, PV_KEY_HPK, hpk, 32, &err), 0);
	bytes = build_bytes(&f, b, "se.img", &len, &res);
	pv_builder_free(b);
	rd = fx_read(fx_path(&f, "initrd"), &rlen);
	assert_memory_equal(bytes + res.comps[1].addr, rd, rlen);
	for (size_t i = rlen; i < 8192; i++)
		assert_int_equal(bytes[res.comps[1].addr + i], 0);
	assert_memory_equal(bytes + res.comps[2].addr, f.s3b, FX_S3B_LEN - 64);
	assert_int_equal(pv_image_open(fx_path(&f, "se.img"), &img, &err), 0);
	assert_int_equal(pv_image_open_header(img, hpk, &sec, &err), 0);
	assert_int_equal(sec.psw_addr, 0x123000);
	assert_int_equal(sec.scf, PV_SCF_CCK_UPDATE);
	assert_int_equal(pv_image_get_info(img)->hdr->pcf,
			 PV_PCF_DEFAULT | PV_PCF_NO_DECRYPTION);
	pv_image_close(img);
	free(bytes);
	free(rd);
	fx_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_reencrypt),
		cmocka_unit_test(test_measure_equals_create),
		cmocka_unit_test(test_cmdline_nul),
		cmocka_unit_test(test_chunk_edges),
		cmocka_unit_test(test_pipe_input),
		cmocka_unit_test(test_kernel_checks),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_no_encryption_and_psw),
	};

	return cmocka_run_group_tests_name("image_build", tests, NULL, NULL);
}
