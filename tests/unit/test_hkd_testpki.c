// SPDX-License-Identifier: MIT
/*
 * Unit tests for the test PKI generator: the files it makes, their shape
 * (se-image-format.md §7 step 3 and §9.1 names), reproducibility with a
 * seed, and how they are written to disk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pvboot/hkd.h"

static const uint8_t seed_a[32] = "pvboot test PKI seed number one";
static const uint8_t seed_b[32] = "pvboot test PKI seed number two";

static struct pv_testpki *gen(const struct pv_testpki_opts *o)
{
	struct pv_testpki *pki = NULL;
	struct pv_err *err = NULL;

	if (pv_testpki_generate(o, &pki, &err))
		fail_msg("generate: %s", err ? err->msg : "?");
	return pki;
}

static X509 *cert_of(const struct pv_testpki *pki, const char *name)
{
	const struct pv_testpki_file *f = pv_testpki_find(pki, name);
	BIO *bio;
	X509 *x;

	assert_non_null(f);
	bio = BIO_new_mem_buf(f->data, (int)f->len);
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(x);
	return x;
}

static bool same_file(const struct pv_testpki *a, const struct pv_testpki *b,
		      const char *name)
{
	const struct pv_testpki_file *x = pv_testpki_find(a, name);
	const struct pv_testpki_file *y = pv_testpki_find(b, name);

	assert_non_null(x);
	assert_non_null(y);
	return x->len == y->len && !memcmp(x->data, y->data, x->len);
}

static void test_file_list(void **state)
{
	static const char *const want[] = {
		"root-ca.crt", "inter-ca.crt", "ibm-signing.crt", "host.key",
		"host.crt", "host2.key", "host2.crt", "host3.key",
		"host3.crt", "root-ca.crl", "inter-ca.crl", "ibm-signing.crl",
	};
	struct pv_testpki_opts o = { .hosts = 3 };
	struct pv_testpki *pki = gen(&o);

	assert_int_equal(pv_testpki_count(pki), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < pv_testpki_count(pki); i++) {
		const struct pv_testpki_file *f = pv_testpki_file(pki, i);

		assert_string_equal(f->name, want[i]);
		assert_true(f->len > 100);
		assert_non_null(f->what);
		assert_int_equal(f->secret, strstr(f->name, ".key") != NULL);
	}
	assert_null(pv_testpki_file(pki, 12));
	assert_null(pv_testpki_find(pki, "host4.crt"));
	assert_null(pv_testpki_find(pki, "empty.crt"));
	pv_testpki_free(pki);

	o.hosts = 1;
	o.variants = true;
	pki = gen(&o);
	assert_non_null(pv_testpki_find(pki, "host-revoked.crt"));
	assert_non_null(pv_testpki_find(pki, "ibm-signing2.crt"));
	assert_non_null(pv_testpki_find(pki, "garbage.crt"));
	assert_int_equal(pv_testpki_find(pki, "empty.crt")->len, 0);
	pv_testpki_free(pki);
}

static void test_bad_options(void **state)
{
	struct pv_testpki_opts o = { .hosts = 0 };
	struct pv_testpki *pki = (void *)1;
	struct pv_err *err = NULL;

	assert_int_equal(pv_testpki_generate(&o, &pki, &err), -PV_ERR_INVAL);
	assert_null(pki);
	pv_err_free(err);
	err = NULL;
	o.hosts = PV_TESTPKI_MAX_HOSTS + 1;
	assert_int_equal(pv_testpki_generate(&o, &pki, &err), -PV_ERR_INVAL);
	pv_err_free(err);
	err = NULL;
	o.hosts = 1;
	o.days = 40000;
	assert_int_equal(pv_testpki_generate(&o, &pki, &err), -PV_ERR_INVAL);
	pv_err_free(err);
	err = NULL;
	o.days = 0;
	o.seed = seed_a;
	o.seed_len = 31;	/* seeds need 32 bytes */
	assert_int_equal(pv_testpki_generate(&o, &pki, &err), -PV_ERR_INVAL);
	assert_non_null(strstr(err->msg, "seed"));
	pv_err_free(err);
}

static void test_names_and_keys(void **state)
{
	struct pv_testpki_opts o = { .hosts = 1, .seed = seed_a,
				     .seed_len = sizeof(seed_a) };
	struct pv_testpki *pki = gen(&o);
	X509 *sign = cert_of(pki, "ibm-signing.crt");
	X509 *host = cert_of(pki, "host.crt");
	X509 *root = cert_of(pki, "root-ca.crt");
	char buf[512];
	char name[64];

	X509_NAME_oneline(X509_get_subject_name(sign), buf, sizeof(buf));
	assert_string_equal(buf,
		"/C=US/O=International Business Machines Corporation"
		"/CN=International Business Machines Corporation/ST=New York"
		"/L=Poughkeepsie/OU=IBM Z Host Key Signing Service");
	X509_NAME_oneline(X509_get_subject_name(host), buf, sizeof(buf));
	assert_string_equal(buf,
		"/C=US/O=International Business Machines Corporation"
		"/CN=International Business Machines Corporation/ST=New York"
		"/L=Armonk/OU=IBM Z Host Key");
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(host),
				       X509_get_subject_name(sign)), 0);
	/* §9.1-like dates: seeded PKIs start at 2024-01-01 00:00 UTC */
	assert_int_equal(ASN1_TIME_cmp_time_t(X509_get0_notBefore(host),
					      PV_TESTPKI_SEED_BASE), 0);
	assert_int_equal(ASN1_TIME_cmp_time_t(X509_get0_notAfter(host),
			 PV_TESTPKI_SEED_BASE + 3650 * 86400), 0);
	assert_int_equal(EVP_PKEY_get_utf8_string_param(X509_get0_pubkey(host),
			 "group", name, sizeof(name), NULL), 1);
	assert_string_equal(name, "secp521r1");
	assert_int_equal(X509_check_ca(root), 1);
	assert_int_equal(X509_check_ca(sign), 0);
	assert_int_equal(X509_verify(host, X509_get0_pubkey(sign)), 1);
	assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(host),
					      X509_get0_serialNumber(sign)), 0);
	assert_true(X509_get_signature_nid(host) == NID_ecdsa_with_SHA512);
	X509_free(sign);
	X509_free(host);
	X509_free(root);
	pv_testpki_free(pki);
}

static void test_seed_reproducible(void **state)
{
	struct pv_testpki_opts o = {.hosts = 2,
				    .variants = true,
				    .seed = seed_a,
				    .seed_len = sizeof(seed_a)};
	struct pv_testpki *a = gen(&o), *b = gen(&o), *c, *d, *e;

	assert_int_equal(pv_testpki_count(a), pv_testpki_count(b));
	for (size_t i = 0; i < pv_testpki_count(a); i++)
		assert_true(same_file(a, b, pv_testpki_file(a, i)->name));
	o.seed = seed_b;
	c = gen(&o);
	assert_false(same_file(a, c, "host.key"));
	assert_false(same_file(a, c, "host.crt"));
	assert_false(same_file(a, c, "root-ca.crt"));
	/* without a seed every run has fresh keys */
	o.seed = NULL;
	o.seed_len = 0;
	d = gen(&o);
	e = gen(&o);
	assert_false(same_file(d, e, "host.key"));
	assert_false(same_file(d, e, "ibm-signing.crt"));
	pv_testpki_free(a);
	pv_testpki_free(b);
	pv_testpki_free(c);
	pv_testpki_free(d);
	pv_testpki_free(e);
}

static void test_seeded_pki_verifies(void **state)
{
	struct pv_testpki_opts o = { .hosts = 1, .seed = seed_b,
				     .seed_len = sizeof(seed_b) };
	struct pv_testpki *pki = gen(&o);
	char dir[] = "/tmp/pvboot-testpki.XXXXXX";
	char p[6][300];
	static const char *const n[6] = {
		"ibm-signing.crt", "inter-ca.crt", "root-ca.crl",
		"inter-ca.crl", "ibm-signing.crl", "root-ca.crt",
	};
	const char *certs[2], *crls[3];
	struct pv_hkd_opts ho = { 0 };
	struct pv_hkd_verifier *v = NULL;
	const struct pv_testpki_file *h = pv_testpki_find(pki, "host.crt");
	struct pv_err *err = NULL;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(pv_testpki_write(pki, dir, &err), 0);
	for (int i = 0; i < 6; i++)
		snprintf(p[i], sizeof(p[i]), "%s/%s", dir, n[i]);
	certs[0] = p[0];
	certs[1] = p[1];
	crls[0] = p[2];
	crls[1] = p[3];
	crls[2] = p[4];
	ho.certs = certs;
	ho.ncerts = 2;
	ho.crls = crls;
	ho.ncrls = 3;
	ho.root_ca = p[5];
	ho.now = PV_TESTPKI_SEED_BASE + 86400;
	assert_int_equal(pv_hkd_verifier_new(&ho, &v, &err), 0);
	assert_int_equal(pv_hkd_verifier_check(v, h->data, h->len, "host.crt",
					       NULL, &err), 0);
	pv_hkd_verifier_free(v);
	assert_null(err);
	for (size_t i = 0; i < pv_testpki_count(pki); i++) {
		char f[300];

		snprintf(f, sizeof(f), "%s/%s", dir,
			 pv_testpki_file(pki, i)->name);
		unlink(f);
	}
	rmdir(dir);
	pv_testpki_free(pki);
}

static void test_write_modes(void **state)
{
	struct pv_testpki_opts o = { .hosts = 1 };
	struct pv_testpki *pki = gen(&o);
	char dir[] = "/tmp/pvboot-testpki.XXXXXX";
	struct pv_err *err = NULL;
	char path[300], missing[320];

	assert_non_null(mkdtemp(dir));
	/* twice: the second run replaces the files of the first */
	for (int round = 0; round < 2; round++)
		assert_int_equal(pv_testpki_write(pki, dir, &err), 0);
	for (size_t i = 0; i < pv_testpki_count(pki); i++) {
		const struct pv_testpki_file *f = pv_testpki_file(pki, i);
		struct stat st;
		uint8_t buf[8192];
		FILE *fp;
		size_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, f->name);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, f->secret ? 0600 : 0644);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		assert_int_equal(n, f->len);
		assert_memory_equal(buf, f->data, n);
		unlink(path);
	}
	snprintf(missing, sizeof(missing), "%s/no/such/dir", dir);
	assert_int_equal(pv_testpki_write(pki, missing, &err), -PV_ERR_IO);
	assert_non_null(strstr(err->msg, "does not exist"));
	pv_err_free(err);
	rmdir(dir);
	pv_testpki_free(pki);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_list),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_names_and_keys),
		cmocka_unit_test(test_seed_reproducible),
		cmocka_unit_test(test_seeded_pki_verifies),
		cmocka_unit_test(test_write_modes),
	};

	return cmocka_run_group_tests_name("hkd_testpki", tests, NULL, NULL);
}
