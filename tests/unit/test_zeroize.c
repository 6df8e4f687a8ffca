// SPDX-License-Identifier: MIT
/*
 * Every buffer that held a key is zeroized before it is freed.  The test
 * tracks all heap blocks of the process (zeroize_alloc.h) and, with known
 * values for the HPK, XK, CCK, the customer and host private scalars, the
 * ECDH secret, the KEK and a reproducible-build seed, runs the library's
 * key loading, image creation, image opening and verification, and full
 * boots through the UV (create, unpack, verify, destroy; also refused
 * boots), and the attestation and secret paths (ARPK, measurement key,
 * nonce, add-secret protection key, association, AES and plaintext
 * secrets, extension secret).  A secret found in a freed block, or in a
 * block still live after the scenario freed everything, fails the test
 * with a backtrace.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pvboot/attest.h"
#include "pvboot/boot_blobs.h"
#include "pvboot/crypto.h"
#include "pvboot/image.h"
#include "pvboot/machine.h"
#include "pvboot/sehdr.h"

#include "lib/atttest.h"
#include "zeroize_alloc.h"

static uint8_t zt_hpk[PV_HPK_LEN], zt_xk[PV_XK_LEN], zt_cck[PV_CCK_LEN];
static uint8_t zt_host_d[PV_ECDH_LEN], zt_cust_d[PV_ECDH_LEN];
static uint8_t zt_z[PV_ECDH_LEN], zt_kek[PV_KEK_LEN];
static uint8_t zt_seed[32], zt_seed_hpk[PV_HPK_LEN], zt_seed_xk[PV_XK_LEN];
static uint8_t zt_seed_cck[PV_CCK_LEN], zt_seed_cust_d[PV_ECDH_LEN];
static uint8_t zt_seed_cust_coords[PV_EC_COORDS_LEN];
static struct pv_eckey *zt_host, *zt_cust;
static uint8_t *zt_host_pem;
static size_t zt_host_pem_len;
/* attestation and secrets */
static uint8_t zt_arpk[PV_REQ_KEY_LEN], zt_meas_key[PV_ATT_MEAS_KEY_LEN];
static uint8_t zt_nonce[PV_ATT_NONCE_LEN], zt_sreq_key[PV_REQ_KEY_LEN];
static uint8_t zt_assoc[32], zt_ext[PV_ASRCB_EXT_LEN], zt_aes[32];
static uint8_t zt_plain[48];
static uint8_t *zt_image;	/* ciphertext only: no secret */
static size_t zt_image_len;

static void zt_fill(uint8_t *p, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		p[i] = (uint8_t)(seed >> 24);
	}
}

static void zt_check(const char *what)
{
	za_scan_live();
	za_disarm();
	if (za.nfindings) {
		fprintf(stderr, "%s: %zu secret(s) not zeroized\n", what,
			za.nfindings);
		za_dump();
	}
	assert_int_equal(za.nfindings, 0);
	/* the scenario really went through the allocator */
	assert_true(za.frees_scanned > 0);
}

static int zt_memfd(const char *name, const void *buf, size_t len)
{
	int fd = memfd_create(name, 0);

	if (fd >= 0 && len && write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	if (fd >= 0)
		lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Image of the test kernel; @rng NULL: the known keys, else seeded. */
static void zt_build(enum pv_layout layout, struct pv_rng *rng,
		     bool measure, uint8_t **out, size_t *out_len)
{
	static const char cmdline[] = "zeroize";
	uint8_t initrd[3000];
	struct pv_build_result res;
	struct pv_builder *b = NULL;
	struct pv_err *err = NULL;
	int fds[4];
	off_t size;

	zt_fill(initrd, sizeof(initrd), 77);
	fds[0] = zt_memfd("kernel", pv_blob_testkernel.data,
			  pv_blob_testkernel.len);
	fds[1] = zt_memfd("initrd", initrd, sizeof(initrd));
	fds[2] = zt_memfd("cmdline", cmdline, strlen(cmdline));
	fds[3] = memfd_create("se.img", 0);
	assert_true(fds[0] >= 0 && fds[1] >= 0 && fds[2] >= 0 && fds[3] >= 0);
	if (pv_builder_new(layout, &b, &err) ||
	    pv_builder_set_input_fd(b, PV_COMP_KERNEL, fds[0], "k", &err) ||
	    pv_builder_set_input_fd(b, PV_COMP_INITRD, fds[1], "i", &err) ||
	    pv_builder_set_input_fd(b, PV_COMP_CMDLINE, fds[2], "c", &err) ||
	    pv_builder_set_loaders(b, pv_blob_stage3a.data,
				   pv_blob_stage3a.len,
				   pv_blob_stage3b_reloc.data,
				   pv_blob_stage3b_reloc.len, &err) ||
	    pv_builder_add_host_key(b, zt_host, &err))
		fail_msg("builder: %s", err->msg);
	if (rng) {
		pv_builder_set_rng(b, rng);
	} else {
		pv_builder_set_customer_key(b, zt_cust);
		if (pv_builder_set_key(b, PV_KEY_HPK, zt_hpk, sizeof(zt_hpk),
				       &err) ||
		    pv_builder_set_key(b, PV_KEY_XK, zt_xk, sizeof(zt_xk),
				       &err) ||
		    pv_builder_set_key(b, PV_KEY_CCK, zt_cck, sizeof(zt_cck),
				       &err))
			fail_msg("keys: %s", err->msg);
	}
	if (measure ? pv_image_measure(b, &res, &err) :
		      pv_builder_write(b, fds[3], &res, &err))
		fail_msg("build: %s", err->msg);
	pv_builder_free(b);
	if (out) {
		size = lseek(fds[3], 0, SEEK_END);
		*out = malloc((size_t)size);
		assert_non_null(*out);
		assert_int_equal(pread(fds[3], *out, (size_t)size, 0), size);
		*out_len = (size_t)size;
	}
	for (int i = 0; i < 4; i++)
		close(fds[i]);
}

/* The customer key a seeded build derives ("customer-key", image.h). */
static int zt_seeded_customer(struct pv_rng *rng)
{
	struct pv_eckey *ck = NULL;
	BIGNUM *d = NULL;
	int rc = -1;

	if (!pv_eckey_generate(rng, "customer-key", &ck, NULL) &&
	    !pv_eckey_coords(ck, zt_seed_cust_coords, NULL) &&
	    EVP_PKEY_get_bn_param(pv_eckey_evp(ck), OSSL_PKEY_PARAM_PRIV_KEY,
				  &d) &&
	    BN_bn2binpad(d, zt_seed_cust_d, sizeof(zt_seed_cust_d)) > 0)
		rc = 0;
	BN_clear_free(d);
	pv_eckey_free(ck);
	return rc;
}

static int group_setup(void **state)
{
	struct pv_rng *rng = NULL;
	struct pv_err *err = NULL;

	zt_fill(zt_hpk, sizeof(zt_hpk), 1);
	zt_fill(zt_xk, sizeof(zt_xk), 2);
	zt_fill(zt_cck, sizeof(zt_cck), 3);
	zt_fill(zt_seed, sizeof(zt_seed), 4);
	/* P-521 scalars below the group order: 0x01 0x5a ... */
	zt_fill(zt_host_d, sizeof(zt_host_d), 5);
	zt_fill(zt_cust_d, sizeof(zt_cust_d), 6);
	zt_host_d[0] = zt_cust_d[0] = 0x01;
	zt_host_d[1] = zt_cust_d[1] = 0x5a;
	if (pv_eckey_from_scalar(zt_host_d, sizeof(zt_host_d), &zt_host,
				 &err) ||
	    pv_eckey_from_scalar(zt_cust_d, sizeof(zt_cust_d), &zt_cust,
				 &err) ||
	    pv_ecdh(zt_cust, zt_host, zt_z, &err) ||
	    pv_derive_kek(zt_cust, zt_host, zt_kek, &err) ||
	    pv_eckey_to_pem(zt_host, true, &zt_host_pem, &zt_host_pem_len,
			    &err) ||
	    pv_rng_new_seeded(zt_seed, sizeof(zt_seed), &rng, &err) ||
	    pv_rng_bytes(rng, "header-key", zt_seed_hpk, sizeof(zt_seed_hpk),
			 &err) ||
	    pv_rng_bytes(rng, "image-key", zt_seed_xk, sizeof(zt_seed_xk),
			 &err) ||
	    pv_rng_bytes(rng, "cck", zt_seed_cck, sizeof(zt_seed_cck), &err)) {
		fprintf(stderr, "setup: %s\n", err ? err->msg : "?");
		return -1;
	}
	if (zt_seeded_customer(rng))
		return -1;
	pv_rng_free(rng);
	za_add_secret("HPK", zt_hpk, sizeof(zt_hpk));
	za_add_secret("XK", zt_xk, sizeof(zt_xk));
	za_add_secret("CCK", zt_cck, sizeof(zt_cck));
	za_add_secret("host private scalar", zt_host_d, sizeof(zt_host_d));
	za_add_secret("customer private scalar", zt_cust_d,
		      sizeof(zt_cust_d));
	za_add_secret("ECDH secret Z", zt_z, sizeof(zt_z));
	za_add_secret("KEK", zt_kek, sizeof(zt_kek));
	za_add_secret("reproducible seed", zt_seed, sizeof(zt_seed));
	za_add_secret("seeded HPK", zt_seed_hpk, sizeof(zt_seed_hpk));
	za_add_secret("seeded XK", zt_seed_xk, sizeof(zt_seed_xk));
	za_add_secret("seeded CCK", zt_seed_cck, sizeof(zt_seed_cck));
	za_add_secret("seeded customer scalar", zt_seed_cust_d,
		      sizeof(zt_seed_cust_d));
	zt_fill(zt_arpk, sizeof(zt_arpk), 7);
	zt_fill(zt_meas_key, sizeof(zt_meas_key), 8);
	zt_fill(zt_nonce, sizeof(zt_nonce), 9);
	zt_fill(zt_sreq_key, sizeof(zt_sreq_key), 10);
	zt_fill(zt_assoc, sizeof(zt_assoc), 11);
	zt_fill(zt_ext, sizeof(zt_ext), 12);
	zt_fill(zt_aes, sizeof(zt_aes), 13);
	zt_fill(zt_plain, sizeof(zt_plain), 14);
	zt_plain[0] = 0;
	zt_plain[1] = 40;	/* BE16 payload length */
	za_add_secret("ARPK", zt_arpk, sizeof(zt_arpk));
	za_add_secret("measurement key", zt_meas_key, sizeof(zt_meas_key));
	za_add_secret("attestation nonce", zt_nonce, sizeof(zt_nonce));
	za_add_secret("add-secret protection key", zt_sreq_key,
		      sizeof(zt_sreq_key));
	za_add_secret("association secret", zt_assoc, sizeof(zt_assoc));
	za_add_secret("extension secret", zt_ext, sizeof(zt_ext));
	za_add_secret("retrievable AES key", zt_aes, sizeof(zt_aes));
	za_add_secret("plaintext secret", zt_plain + 2, sizeof(zt_plain) - 2);
	return 0;
}

static int group_teardown(void **state)
{
	pv_eckey_free(zt_host);
	pv_eckey_free(zt_cust);
	pv_free_secret(zt_host_pem, zt_host_pem_len);
	free(zt_image);
	return 0;
}

/* Keep the compiler from dropping a malloc/free pair it can see whole. */
static void zt_escape(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

/* The detector itself: leaks in every form are seen, clean frees are not. */
static void test_detector(void **state)
{
	uint8_t *p;

	za_arm();
	p = malloc(100);
	assert_non_null(p);
	memset(p, 0, 100);
	memcpy(p + 9, zt_xk + 20, ZA_WINDOW);	/* part of a key */
	zt_escape(p);
	free(p);
	assert_int_equal(za.nfindings, 1);
	assert_string_equal(za.secrets[za.findings[0].secret].name, "XK");
	p = calloc(1, 80);
	for (int i = 0; i < PV_ECDH_LEN; i++)	/* a little-endian bignum */
		p[i] = zt_host_d[PV_ECDH_LEN - 1 - i];
	zt_escape(p);
	p = realloc(p, 4096);			/* the old block is freed */
	assert_non_null(p);
	assert_int_equal(za.nfindings, 2);
	assert_true(za.findings[1].reversed);
	pv_free_secret(p, 4096);		/* zeroized: fine */
	assert_int_equal(za.nfindings, 2);
	p = malloc(48);
	memcpy(p + 8, zt_kek, sizeof(zt_kek));
	zt_escape(p);
	za_scan_live();				/* never freed */
	assert_int_equal(za.nfindings, 3);
	assert_true(za.findings[2].live);
	pv_cleanse(p, 48);
	free(p);
	za_disarm();
	assert_int_equal(za.nfindings, 3);
}

/* Key loading, ECDH, key slots, GCM and XTS with the known keys. */
static void test_crypto_paths(void **state)
{
	uint8_t hpk[PV_HPK_LEN], slot[PV_KEYSLOT_LEN], z[PV_ECDH_LEN];
	uint8_t kek[PV_KEK_LEN], tag[PV_GCM_TAG_LEN], iv[PV_GCM_IV_LEN] = { 0 };
	uint8_t page[4096], tweak[PV_TWEAK_LEN], msg[64];
	struct pv_eckey *k = NULL, *pub = NULL;
	struct pv_err *err = NULL;
	struct pv_xts *x = NULL;
	unsigned char *der = NULL;
	uint8_t *pem = NULL;
	size_t pem_len = 0;
	int der_len;

	za_arm();
	assert_int_equal(pv_eckey_from_bytes(zt_host_pem, zt_host_pem_len,
					     true, &k, &err), 0);
	pv_eckey_free(k);
	der_len = i2d_PrivateKey(pv_eckey_evp(zt_host), &der);
	assert_true(der_len > 0);
	assert_int_equal(pv_eckey_from_bytes(der, (size_t)der_len, true, &k,
					     &err), 0);
	OPENSSL_clear_free(der, (size_t)der_len);
	assert_int_equal(pv_eckey_to_pem(k, true, &pem, &pem_len, &err), 0);
	pv_free_secret(pem, pem_len);
	pv_eckey_free(k);
	k = NULL;
	assert_int_equal(pv_eckey_from_scalar(zt_cust_d, sizeof(zt_cust_d),
					      &k, &err), 0);
	assert_int_equal(pv_ecdh(k, zt_host, z, &err), 0);
	assert_int_equal(pv_derive_kek(zt_host, k, kek, &err), 0);
	assert_memory_equal(kek, zt_kek, sizeof(kek));
	assert_int_equal(pv_keyslot_wrap(k, zt_host, zt_hpk, slot, &err), 0);
	assert_int_equal(pv_eckey_from_bytes(zt_host_pem, zt_host_pem_len,
					     false, &pub, &err), 0);
	assert_int_equal(pv_keyslot_unwrap(zt_host, k, slot, hpk, &err), 0);
	assert_memory_equal(hpk, zt_hpk, sizeof(hpk));
	zt_fill(msg, sizeof(msg), 9);
	assert_int_equal(pv_gcm_encrypt(hpk, iv, NULL, 0, msg, sizeof(msg),
					msg, tag, &err), 0);
	assert_int_equal(pv_gcm_decrypt(hpk, iv, NULL, 0, msg, sizeof(msg),
					tag, msg, &err), 0);
	assert_int_equal(pv_xts_new(zt_xk, true, &x, &err), 0);
	pv_tweak_make(0x0028000000000001ULL, 0, tweak);
	memset(page, 0x5a, sizeof(page));
	assert_int_equal(pv_xts_page(x, tweak, page, page, &err), 0);
	pv_xts_free(x);
	pv_eckey_free(pub);
	pv_eckey_free(k);
	pv_cleanse(hpk, sizeof(hpk));
	pv_cleanse(z, sizeof(z));
	pv_cleanse(kek, sizeof(kek));
	pv_err_free(err);
	zt_check("crypto");
}

/* Image creation in both layouts and measurement with the known keys. */
static void test_create(void **state)
{
	za_arm();
	zt_build(PV_LAYOUT_C, NULL, false, NULL, NULL);
	zt_build(PV_LAYOUT_R, NULL, true, NULL, NULL);
	free(zt_image);
	zt_build(PV_LAYOUT_R, NULL, false, &zt_image, &zt_image_len);
	zt_check("create");
}

/* Reading: HPK unwrap with the host key, header open, full verify. */
static void test_open_and_verify(void **state)
{
	struct pv_verify_opts vo = { .host_key = zt_host };
	struct pv_verify_report rep;
	struct pv_sehdr_secret sec;
	struct pv_image *img = NULL;
	struct pv_err *err = NULL;
	uint8_t hpk[PV_HPK_LEN];
	int slot;

	assert_non_null(zt_image);
	za_arm();
	assert_int_equal(pv_image_open_mem(zt_image, zt_image_len, &img,
					   &err), 0);
	assert_int_equal(pv_image_unwrap_hpk(img, zt_host, hpk, &slot, &err),
			 0);
	assert_memory_equal(hpk, zt_hpk, sizeof(hpk));
	assert_int_equal(pv_image_open_header(img, hpk, &sec, &err), 0);
	assert_memory_equal(sec.xts, zt_xk, sizeof(zt_xk));
	pv_cleanse(&sec, sizeof(sec));
	assert_int_equal(pv_image_verify(img, &vo, &rep, &err), 0);
	assert_true(rep.verified);
	vo.host_key = NULL;
	vo.hpk = hpk;
	assert_int_equal(pv_image_verify(img, &vo, &rep, &err), 0);
	assert_true(rep.verified);
	pv_cleanse(hpk, sizeof(hpk));
	pv_image_close(img);
	zt_check("open/verify");
}

static void zt_boot(const uint8_t *buf, size_t len, bool want_protected)
{
	struct pv_machine_key key = { zt_host_pem, zt_host_pem_len };
	struct pv_machine_opts o = {
		.mem_size = 16ULL << 20, .host_keys = &key, .nhost_keys = 1,
		.timeout = 30,
	};
	struct pv_run_result *r = calloc(1, sizeof(*r));
	struct pv_machine *m = NULL;
	struct pv_err *err = NULL;

	assert_non_null(r);
	o.console = fopen("/dev/null", "w");
	assert_non_null(o.console);
	if (pv_machine_new(&m, &o, &err) ||
	    pv_machine_load_buffer(m, buf, len, &err) ||
	    pv_machine_run(m, r, &err))
		fail_msg("machine: %s", err->msg);
	assert_int_equal(r->stats.protects > 0, want_protected);
	pv_machine_free(m);
	fclose(o.console);
	free(r);
}

/*
 * Boots through the UV: create configuration, set secure parameters,
 * unpack, verify, run, destroy; a component flip fails at verify, a
 * header flip at set secure parameters.  Each path destroys what it made.
 */
static void test_boot_paths(void **state)
{
	struct pv_image *img = NULL;
	uint8_t *bad = malloc(zt_image_len);
	uint64_t hdr, comp;

	assert_non_null(zt_image);
	assert_non_null(bad);
	assert_int_equal(pv_image_open_mem(zt_image, zt_image_len, &img, NULL),
			 0);
	hdr = pv_image_get_info(img)->hdr_addr;
	comp = pv_image_get_info(img)->comps[1].addr;
	pv_image_close(img);
	za_arm();
	zt_boot(zt_image, zt_image_len, true);
	memcpy(bad, zt_image, zt_image_len);
	bad[comp + 100] ^= 1;
	zt_boot(bad, zt_image_len, false);
	memcpy(bad, zt_image, zt_image_len);
	bad[hdr + 0x100] ^= 1;
	zt_boot(bad, zt_image_len, false);
	zt_check("boot");
	free(bad);
}

/* A reproducible build: the seed and everything derived from it. */
static void test_reproducible(void **state)
{
	struct pv_rng *rng = NULL;
	struct pv_err *err = NULL;
	struct pv_image *img = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;

	za_arm();
	assert_int_equal(pv_rng_new_seeded(zt_seed, sizeof(zt_seed), &rng,
					   &err), 0);
	zt_build(PV_LAYOUT_R, rng, false, &buf, &len);
	pv_rng_free(rng);
	zt_check("reproducible");
	/* the customer key watched for is the one the build used */
	assert_int_equal(pv_image_open_mem(buf, len, &img, &err), 0);
	assert_memory_equal(pv_image_get_info(img)->hdr->cust_pub,
			    zt_seed_cust_coords, PV_EC_COORDS_LEN);
	pv_image_close(img);
	free(buf);
}

/* One secret of a kind into the UV's store, and back out if retrievable. */
static void zt_add_secret(struct at_fix *f, uint16_t type,
			  const uint8_t *val, uint32_t len, uint16_t retr)
{
	const struct pv_eckey *hosts[1];
	struct pv_asrcb_opts o;
	uint8_t id[32] = { (uint8_t)type }, *req = NULL;
	size_t rlen = 0;

	at_asrcb_opts(f, &o, hosts);
	o.type = type;
	o.id = id;
	o.secret = val;
	o.secret_len = len;
	o.ext = zt_ext;
	o.keys.prot_key = zt_sreq_key;
	assert_int_equal(pv_asrcb_build(&o, &req, &rlen, NULL), 0);
	assert_int_equal(at_add(f, req, rlen), UVT_OK);
	free(req);
	if (retr != 0xffff)
		assert_int_equal(at_retrieve(f, retr, 4096, AT_PAGE), UVT_OK);
}

/*
 * Attestation and the secret store (attestation-and-secrets.md): the
 * trusted side builds and opens an ARCB with known ARPK, measurement key
 * and nonce, the UV measures; add-secret requests with a known protection
 * key carry an association secret, an AES key and a plaintext secret with
 * a known extension secret into the store, two come back out; then the
 * configuration is destroyed and the UV freed.
 */
static void test_attest_secret_paths(void **state)
{
	const struct pv_eckey *hosts[1];
	uint8_t cb[0x188], arpk[PV_REQ_KEY_LEN], m[64], *arcb = NULL;
	struct uvt_guest *g = NULL;
	struct pv_arcb_plain p;
	struct pv_att_input in;
	struct at_fix f;
	size_t len = 0;

	assert_int_equal(uvt_guest_build(NULL, &g), 0);
	za_arm();
	assert_int_equal(at_boot(&f, g, NULL), 0);
	hosts[0] = f.hk;
	{
		struct pv_arcb_opts o = {
			.paf = PV_PAF_SECRET_HASH | PV_PAF_IMAGE_PHKH,
			.meas_key = zt_meas_key, .nonce = zt_nonce,
			.keys = { .hosts = hosts, .nhosts = 1,
				  .prot_key = zt_arpk },
		};

		assert_int_equal(pv_arcb_build(&o, &arcb, &len, arpk, NULL),
				 0);
	}
	zt_add_secret(&f, PV_SECRET_ASSOCIATION, zt_assoc, 32, 0xffff);
	zt_add_secret(&f, PV_SECRET_AES_256, zt_aes, 32, 1);
	zt_add_secret(&f, PV_SECRET_PLAIN, zt_plain, 48, 2);
	assert_int_equal(at_lock(&f), UVT_OK);
	at_att_cb(&f, cb, arcb, len);
	assert_int_equal(at_call(&f, cb, sizeof(cb)), UVT_OK);
	assert_int_equal(pv_arcb_open(arcb, len, arpk, &p, NULL), 0);
	in = (struct pv_att_input){
		.tags = &f.tags, .cuid = cb + PV_UVCB_ATT_CUID,
		.nonce = p.nonce, .add = f.h.ram + AT_ADD, .add_len = 96,
	};
	assert_int_equal(pv_att_measure(p.meas_key, &in, m, NULL), 0);
	assert_memory_equal(m, f.h.ram + AT_MEAS, 64);
	pv_cleanse(&p, sizeof(p));
	pv_cleanse(arpk, sizeof(arpk));
	free(arcb);
	/* the guest's own copies go with its pages at destroy */
	assert_int_equal(uvt_teardown(&f.h), UVT_OK);
	at_free(&f);
	zt_check("attestation and secrets");
	uvt_guest_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detector),
		cmocka_unit_test(test_crypto_paths),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_open_and_verify),
		cmocka_unit_test(test_boot_paths),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_attest_secret_paths),
	};

	return cmocka_run_group_tests_name("zeroize", tests, group_setup,
					   group_teardown);
}
