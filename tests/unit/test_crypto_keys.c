// SPDX-License-Identifier: MIT
/*
 * Unit tests for P-521 keys, ECDH, KEK and key slots against the fixed
 * vectors of se-image-format.md §9.1 (coordinates, phkh, KEK, key slot).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pvboot/crypto.h"
#include "lib/testkeys.h"

/* Expect @rc to be -@code with an error object carrying @code. */
static void expect_err(int rc, struct pv_err **errp, int code)
{
	struct pv_err *err = *errp;

	assert_int_equal(rc, -code);
	assert_non_null(err);
	assert_int_equal(err->code, code);
	assert_true(strlen(err->msg) > 10);
	pv_err_free(err);
	*errp = NULL;
}

static void test_cust_from_scalar_coords(void **state)
{
	uint8_t coords[PV_EC_COORDS_LEN], dig[PV_SHA256_LEN];
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_eckey_from_scalar(tk_cust_priv,
					      sizeof(tk_cust_priv), &key,
					      &err), 0);
	assert_true(pv_eckey_has_private(key));
	assert_int_equal(pv_eckey_coords(key, coords, &err), 0);
	/* §6.2: X has 15 and Y 14 leading zero bytes for this key. */
	assert_memory_equal(coords, tk_cust_coords, sizeof(coords));
	assert_int_equal(coords[15], 0xc7);
	assert_int_equal(coords[80 + 14], 0x01);
	assert_int_equal(pv_sha256(coords, sizeof(coords), dig, &err), 0);
	assert_memory_equal(dig, tk_cust_coords_sha256, sizeof(dig));
	pv_eckey_free(key);

	/* Leading zeros of the scalar do not matter. */
	assert_int_equal(pv_eckey_from_scalar(tk_cust_priv + 15, 65, &key,
					      &err), 0);
	assert_int_equal(pv_eckey_coords(key, coords, &err), 0);
	assert_memory_equal(coords, tk_cust_coords, sizeof(coords));
	pv_eckey_free(key);
	assert_null(err);
}

static void test_host_coords_phkh(void **state)
{
	uint8_t coords[PV_EC_COORDS_LEN], phkh[PV_SHA256_LEN];
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_eckey_from_coords(tk_host_coords, &key, &err), 0);
	assert_false(pv_eckey_has_private(key));
	assert_int_equal(pv_eckey_coords(key, coords, &err), 0);
	/* X has 14 pad zeros, Y 15 (its top field byte is zero). */
	assert_memory_equal(coords, tk_host_coords, sizeof(coords));
	assert_int_equal(coords[14], 0x01);
	assert_int_equal(coords[80 + 14], 0x00);
	assert_int_equal(coords[80 + 15], 0xc3);
	assert_int_equal(pv_eckey_phkh(key, phkh, &err), 0);
	assert_memory_equal(phkh, tk_host_phkh, sizeof(phkh));
	pv_eckey_free(key);
	assert_null(err);
}

static void test_kek_and_keyslot_kat(void **state)
{
	struct pv_eckey *cust = tk_cust_key(), *host = tk_host_pubkey();
	uint8_t kek[PV_KEK_LEN], z[PV_ECDH_LEN], slot[PV_KEYSLOT_LEN];
	uint8_t hpk[PV_HPK_LEN];
	struct pv_err *err = NULL;

	assert_non_null(cust);
	assert_non_null(host);
	assert_int_equal(pv_ecdh(cust, host, z, &err), 0);
	assert_int_equal(pv_derive_kek(cust, host, kek, &err), 0);
	assert_memory_equal(kek, tk_kek, sizeof(kek));
	memset(hpk, TK_KEYSLOT_HPK_BYTE, sizeof(hpk));
	assert_int_equal(pv_keyslot_wrap(cust, host, hpk, slot, &err), 0);
	assert_memory_equal(slot, tk_keyslot, sizeof(slot));
	pv_eckey_free(cust);
	pv_eckey_free(host);
	assert_null(err);
}

static void test_keyslot_roundtrip_and_wrong_host(void **state)
{
	struct pv_eckey *host = NULL, *other = NULL, *cust = tk_cust_key();
	struct pv_eckey *cust_pub = NULL;
	uint8_t hpk[PV_HPK_LEN], back[PV_HPK_LEN], slot[PV_KEYSLOT_LEN];
	uint8_t coords[PV_EC_COORDS_LEN], phkh[PV_SHA256_LEN];
	struct pv_err *err = NULL;
	uint8_t *pem;
	size_t pem_len;

	assert_non_null(cust);
	assert_int_equal(tk_host_keypair_pem(&pem, &pem_len, &host), 0);
	assert_non_null(strstr((char *)pem, "BEGIN PRIVATE KEY"));
	assert_int_equal(pv_eckey_from_bytes(pem, pem_len, true, &other,
					     &err), 0);
	assert_true(pv_eckey_has_private(other));
	pv_eckey_free(other);
	pv_free_secret(pem, pem_len);

	for (size_t i = 0; i < sizeof(hpk); i++)
		hpk[i] = (uint8_t)(0xa0 + i);
	assert_int_equal(pv_keyslot_wrap(cust, host, hpk, slot, &err), 0);
	assert_int_equal(pv_eckey_phkh(host, phkh, &err), 0);
	assert_memory_equal(slot, phkh, sizeof(phkh));

	/* The UV only has the customer public key from the header. */
	assert_int_equal(pv_eckey_coords(cust, coords, &err), 0);
	assert_int_equal(pv_eckey_from_coords(coords, &cust_pub, &err), 0);
	assert_int_equal(pv_keyslot_unwrap(host, cust_pub, slot, back, &err),
			 0);
	assert_memory_equal(back, hpk, sizeof(hpk));
	assert_null(err);

	/* Another host key derives another KEK: the tag fails. */
	assert_int_equal(tk_host_keypair_pem(&pem, &pem_len, &other), 0);
	pv_free_secret(pem, pem_len);
	memset(back, 0x55, sizeof(back));
	expect_err(pv_keyslot_unwrap(other, cust_pub, slot, back, &err), &err,
		   PV_ERR_AUTH);
	for (size_t i = 0; i < sizeof(back); i++)
		assert_int_equal(back[i], 0);

	/* A flipped bit in the wrapped key fails as well. */
	slot[40] ^= 1;
	expect_err(pv_keyslot_unwrap(host, cust_pub, slot, back, &err), &err,
		   PV_ERR_AUTH);

	/* A public key cannot unwrap or wrap. */
	slot[40] ^= 1;
	expect_err(pv_keyslot_unwrap(cust_pub, host, slot, back, &err), &err,
		   PV_ERR_KEY);
	pv_eckey_free(cust);
	pv_eckey_free(cust_pub);
	pv_eckey_free(host);
	pv_eckey_free(other);
}

static void test_scalar_errors(void **state)
{
	/* P-521 group order n. */
	static const uint8_t n[66] = {
		0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f,
		0x96, 0x6b, 0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09, 0xa5, 0xd0,
		0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c, 0x47, 0xae, 0xbb, 0x6f,
		0xb7, 0x1e, 0x91, 0x38, 0x64, 0x09,
	};
	uint8_t d[81] = { 0 };
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;

	expect_err(pv_eckey_from_scalar(d, 80, &key, &err), &err, PV_ERR_KEY);
	assert_null(key);
	d[80] = 1;
	expect_err(pv_eckey_from_scalar(d, 81, &key, &err), &err, PV_ERR_KEY);
	expect_err(pv_eckey_from_scalar(n, sizeof(n), &key, &err), &err,
		   PV_ERR_KEY);
	/* n - 1 is the largest valid scalar. */
	memcpy(d, n, sizeof(n));
	d[65]--;
	assert_int_equal(pv_eckey_from_scalar(d, 66, &key, &err), 0);
	pv_eckey_free(key);
	assert_null(err);
}

static void test_coords_errors(void **state)
{
	uint8_t c[PV_EC_COORDS_LEN];
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;

	memcpy(c, tk_host_coords, sizeof(c));
	c[5] = 1;	/* padding byte of X */
	expect_err(pv_eckey_from_coords(c, &key, &err), &err, PV_ERR_KEY);
	assert_null(key);

	memcpy(c, tk_host_coords, sizeof(c));
	c[80 + 13] = 1;	/* padding byte of Y */
	expect_err(pv_eckey_from_coords(c, &key, &err), &err, PV_ERR_KEY);

	memcpy(c, tk_host_coords, sizeof(c));
	c[159] ^= 1;	/* off the curve */
	expect_err(pv_eckey_from_coords(c, &key, &err), &err, PV_ERR_KEY);

	memset(c, 0, sizeof(c));	/* (0, 0) */
	expect_err(pv_eckey_from_coords(c, &key, &err), &err, PV_ERR_KEY);

	/* X = p (not a field element) with a valid-looking Y. */
	memcpy(c, tk_host_coords, sizeof(c));
	c[14] = 0x01;
	memset(c + 15, 0xff, 65);
	expect_err(pv_eckey_from_coords(c, &key, &err), &err, PV_ERR_KEY);
}

/* ---- loading from file bytes --------------------------------------------- */

static uint8_t *encode(EVP_PKEY *pkey, int sel, const char *type,
		       const char *structure, const char *cipher,
		       size_t *len)
{
	OSSL_ENCODER_CTX *ctx;
	unsigned char *data = NULL;
	uint8_t *copy;

	ctx = OSSL_ENCODER_CTX_new_for_pkey(pkey, sel, type, structure, NULL);
	assert_non_null(ctx);
	assert_true(OSSL_ENCODER_CTX_get_num_encoders(ctx) > 0);
	if (cipher) {
		assert_int_equal(OSSL_ENCODER_CTX_set_cipher(ctx, cipher, NULL),
				 1);
		assert_int_equal(OSSL_ENCODER_CTX_set_passphrase(ctx,
			(const unsigned char *)"secret", 6), 1);
	}
	assert_int_equal(OSSL_ENCODER_to_data(ctx, &data, len), 1);
	OSSL_ENCODER_CTX_free(ctx);
	copy = malloc(*len);
	assert_non_null(copy);
	memcpy(copy, data, *len);
	OPENSSL_free(data);
	return copy;
}

static uint8_t *self_signed_cert(EVP_PKEY *pkey, bool pem, size_t *len)
{
	X509 *x = X509_new();
	X509_NAME *name;
	unsigned char *der = NULL;
	uint8_t *out;
	BIO *bio;
	int n;

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 7), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
	name = X509_get_subject_name(x);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
		(const unsigned char *)"pvboot test host", -1, -1, 0), 1);
	assert_int_equal(X509_set_issuer_name(x, name), 1);
	assert_int_equal(X509_set_pubkey(x, pkey), 1);
	assert_true(X509_sign(x, pkey, EVP_sha512()) > 0);
	if (pem) {
		BUF_MEM *mem;

		bio = BIO_new(BIO_s_mem());
		assert_int_equal(PEM_write_bio_X509(bio, x), 1);
		BIO_get_mem_ptr(bio, &mem);
		*len = mem->length;
		out = malloc(*len);
		assert_non_null(out);
		memcpy(out, mem->data, *len);
		BIO_free(bio);
	} else {
		n = i2d_X509(x, &der);
		assert_true(n > 0);
		*len = (size_t)n;
		out = malloc(*len);
		assert_non_null(out);
		memcpy(out, der, *len);
		OPENSSL_free(der);
	}
	X509_free(x);
	return out;
}

/* Load @buf and check it is the key with coordinates @coords. */
static void expect_key(const uint8_t *buf, size_t len, bool need_private,
		       bool has_private, const uint8_t *coords)
{
	uint8_t got[PV_EC_COORDS_LEN];
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_eckey_from_bytes(buf, len, need_private, &key,
					     &err), 0);
	assert_null(err);
	assert_int_equal(pv_eckey_has_private(key), has_private);
	assert_int_equal(pv_eckey_coords(key, got, &err), 0);
	assert_memory_equal(got, coords, sizeof(got));
	pv_eckey_free(key);
	/* Failed decoder attempts leave nothing in the OpenSSL queue. */
	assert_true(ERR_peek_error() == 0);
}

static void expect_load_err(const uint8_t *buf, size_t len, bool need_private,
			    int code, const char *needle)
{
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;

	assert_int_equal(pv_eckey_from_bytes(buf, len, need_private, &key,
					     &err), -code);
	assert_null(key);
	assert_non_null(err);
	assert_int_equal(err->code, code);
	if (needle && !strstr(err->msg, needle))
		fail_msg("message '%s' does not name '%s'", err->msg, needle);
	pv_err_free(err);
	assert_true(ERR_peek_error() == 0);
}

static void test_load_formats(void **state)
{
	struct pv_eckey *cust = tk_cust_key();
	EVP_PKEY *pk;
	uint8_t *b;
	size_t len;
	static const struct {
		int sel;
		const char *type, *structure;
		bool priv;
	} forms[] = {
		{ EVP_PKEY_KEYPAIR, "PEM", "PrivateKeyInfo", true },
		{ EVP_PKEY_KEYPAIR, "DER", "PrivateKeyInfo", true },
		/* "type-specific" is SEC1 "EC PRIVATE KEY". */
		{ EVP_PKEY_KEYPAIR, "PEM", "type-specific", true },
		{ EVP_PKEY_KEYPAIR, "DER", "type-specific", true },
		{ EVP_PKEY_PUBLIC_KEY, "PEM", "SubjectPublicKeyInfo", false },
		{ EVP_PKEY_PUBLIC_KEY, "DER", "SubjectPublicKeyInfo", false },
	};

	assert_non_null(cust);
	pk = pv_eckey_evp(cust);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		b = encode(pk, forms[i].sel, forms[i].type,
			   forms[i].structure, NULL, &len);
		expect_key(b, len, false, forms[i].priv, tk_cust_coords);
		if (forms[i].priv)
			expect_key(b, len, true, true, tk_cust_coords);
		else
			expect_load_err(b, len, true, PV_ERR_KEY,
					"without private key");
		if (!strcmp(forms[i].type, "DER")) {
			/* Truncated and trailing-byte DER are refused. */
			expect_load_err(b, len - 1, false, PV_ERR_FORMAT, NULL);
			b = realloc(b, len + 1);
			assert_non_null(b);
			b[len] = 0;
			expect_load_err(b, len + 1, false, PV_ERR_FORMAT, NULL);
		}
		pv_free_secret(b, len);
	}

	b = self_signed_cert(pk, true, &len);
	expect_key(b, len, false, false, tk_cust_coords);
	expect_load_err(b, len, true, PV_ERR_KEY, "certificate");
	free(b);
	b = self_signed_cert(pk, false, &len);
	expect_key(b, len, false, false, tk_cust_coords);
	free(b);

	/* Our own PEM export reads back. */
	assert_int_equal(pv_eckey_to_pem(cust, false, &b, &len, NULL), 0);
	assert_non_null(memmem(b, len, "BEGIN PUBLIC KEY", 16));
	expect_key(b, len, false, false, tk_cust_coords);
	free(b);
	pv_eckey_free(cust);
}

static void test_load_wrong_keys(void **state)
{
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;
	EVP_PKEY *pk;
	uint8_t *b;
	size_t len;

	pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(pk);
	b = encode(pk, EVP_PKEY_KEYPAIR, "PEM", "PrivateKeyInfo", NULL, &len);
	expect_load_err(b, len, true, PV_ERR_KEY, "prime256v1");
	free(b);
	b = self_signed_cert(pk, false, &len);
	expect_load_err(b, len, false, PV_ERR_KEY, "prime256v1");
	free(b);
	assert_int_equal(pv_eckey_from_evp(pk, &key, &err), -PV_ERR_KEY);
	expect_err(-PV_ERR_KEY, &err, PV_ERR_KEY);
	EVP_PKEY_free(pk);

	pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	assert_non_null(pk);
	b = encode(pk, EVP_PKEY_KEYPAIR, "DER", "PrivateKeyInfo", NULL, &len);
	expect_load_err(b, len, false, PV_ERR_KEY, "RSA");
	free(b);
	b = encode(pk, EVP_PKEY_PUBLIC_KEY, "PEM", "SubjectPublicKeyInfo",
		   NULL, &len);
	expect_load_err(b, len, false, PV_ERR_KEY, "RSA");
	free(b);
	EVP_PKEY_free(pk);

	pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	assert_non_null(pk);
	b = encode(pk, EVP_PKEY_KEYPAIR, "PEM", "PrivateKeyInfo", NULL, &len);
	expect_load_err(b, len, false, PV_ERR_KEY, "ED25519");
	free(b);
	EVP_PKEY_free(pk);

	/* A P-521 key is accepted through from_evp (reference taken). */
	pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
	assert_non_null(pk);
	assert_int_equal(pv_eckey_from_evp(pk, &key, &err), 0);
	assert_ptr_equal(pv_eckey_evp(key), pk);
	assert_true(pv_eckey_has_private(key));
	EVP_PKEY_free(pk);
	pv_eckey_free(key);

	/* Encrypted private keys are refused without prompting. */
	pk = pv_eckey_evp(key = tk_cust_key());
	b = encode(pk, EVP_PKEY_KEYPAIR, "PEM", "EncryptedPrivateKeyInfo",
		   "AES-256-CBC", &len);
	expect_load_err(b, len, true, PV_ERR_UNSUPPORTED, "encrypted");
	free(b);
	pv_eckey_free(key);
}

static void test_load_garbage(void **state)
{
	static const char pem_junk[] =
		"-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n"
		"-----END PRIVATE KEY-----\n";
	static const char pem_other[] =
		"-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n";
	uint8_t rnd[300];

	for (size_t i = 0; i < sizeof(rnd); i++)
		rnd[i] = (uint8_t)(i * 37 + 11);
	expect_load_err(rnd, 0, false, PV_ERR_FORMAT, "empty");
	expect_load_err(NULL, 0, false, PV_ERR_FORMAT, "empty");
	expect_load_err(rnd, sizeof(rnd), false, PV_ERR_FORMAT, NULL);
	expect_load_err((const uint8_t *)pem_junk, sizeof(pem_junk) - 1,
			false, PV_ERR_FORMAT, "PEM");
	expect_load_err((const uint8_t *)pem_other, sizeof(pem_other) - 1,
			true, PV_ERR_FORMAT, NULL);
	expect_load_err((const uint8_t *)"\x30\x03\x02\x01\x01", 5, false,
			PV_ERR_FORMAT, NULL);
}

static void test_ecdh_errors(void **state)
{
	struct pv_eckey *host = tk_host_pubkey(), *cust = tk_cust_key();
	uint8_t z[PV_ECDH_LEN], z2[PV_ECDH_LEN];
	struct pv_eckey *other = NULL;
	struct pv_err *err = NULL;
	uint8_t *pem;
	size_t len;

	assert_non_null(host);
	assert_non_null(cust);
	expect_err(pv_ecdh(host, cust, z, &err), &err, PV_ERR_KEY);
	/* ECDH is symmetric: d_a * Q_b == d_b * Q_a. */
	assert_int_equal(tk_host_keypair_pem(&pem, &len, &other), 0);
	pv_free_secret(pem, len);
	assert_int_equal(pv_ecdh(cust, other, z, &err), 0);
	assert_int_equal(pv_ecdh(other, cust, z2, &err), 0);
	assert_memory_equal(z, z2, sizeof(z));
	assert_null(err);
	pv_eckey_free(other);
	pv_eckey_free(host);
	pv_eckey_free(cust);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cust_from_scalar_coords),
		cmocka_unit_test(test_host_coords_phkh),
		cmocka_unit_test(test_kek_and_keyslot_kat),
		cmocka_unit_test(test_keyslot_roundtrip_and_wrong_host),
		cmocka_unit_test(test_scalar_errors),
		cmocka_unit_test(test_coords_errors),
		cmocka_unit_test(test_load_formats),
		cmocka_unit_test(test_load_wrong_keys),
		cmocka_unit_test(test_load_garbage),
		cmocka_unit_test(test_ecdh_errors),
	};

	return cmocka_run_group_tests_name("crypto_keys", tests, NULL, NULL);
}
