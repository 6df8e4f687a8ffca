// SPDX-License-Identifier: MIT
/*
 * Which file may contribute what to host-key document verification
 * (lib/crypto/hkd_inputs.c): a --root-ca file holds exactly one
 * certificate, CRLs count only from --crl files, only the first
 * certificate of a --cert file takes part, and CRLs inside --root-ca and
 * --cert files can refuse but never accept.  A seeded test PKI is written
 * to a temporary directory; the extra CRLs are signed with its keys,
 * derived again from the same seed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pvboot/hkd.h"
#include "../../lib/crypto/testpki_internal.h"

#define DAY 86400
#define BASE PV_TESTPKI_SEED_BASE
#define NOW (BASE + 100 * DAY)

static const uint8_t seed[32] = "pvboot test_hkd_strict seed 0001";
static char dir[] = "/tmp/pvboot-hkd-strict.XXXXXX";
static struct pv_testpki *pki;

/* Files this test writes next to the PKI (removed in teardown). */
static const char *const extra[] = {
	"root-inter.crt", "inter-root.crt", "root-twice.crt", "root-crl.crt",
	"root.der", "root-trusted.crt", "crl-only.crt", "inter-sign.crt",
	"sign-inter.crt", "sign-sign2.crt", "inter-crl.crt", "sign-trusted.crt",
	"host-trusted.crt", "sign-empty.crl", "inter-empty.crl",
	"sign-with-crl.crt", "inter-with-crl.crt", "sign-outdated-crl.crt",
};

static const char *P(const char *name)
{
	static char buf[8][256];
	static int slot;
	char *p = buf[slot++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static const struct pv_testpki_file *F(const char *name)
{
	const struct pv_testpki_file *f = pv_testpki_find(pki, name);

	assert_non_null(f);
	return f;
}

/* Write the concatenation of the NULL-ended list of buffers (ptr, len). */
static void write_cat(const char *name, ...)
{
	FILE *f = fopen(P(name), "w");
	const void *p;
	va_list ap;

	assert_non_null(f);
	va_start(ap, name);
	while ((p = va_arg(ap, const void *))) {
		size_t n = va_arg(ap, size_t);

		assert_int_equal(fwrite(p, 1, n, f), n);
	}
	va_end(ap);
	assert_int_equal(fclose(f), 0);
}

/* Concatenate PKI files into @name. */
static void cat_files(const char *name, const char *a, const char *b)
{
	const struct pv_testpki_file *fa = F(a), *fb = F(b);

	write_cat(name, fa->data, fa->len, fb->data, fb->len, NULL);
}

static X509 *pem_cert(const struct pv_testpki_file *f)
{
	BIO *bio = BIO_new_mem_buf(f->data, (int)f->len);
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);

	BIO_free(bio);
	assert_non_null(x);
	return x;
}

/*
 * A CRL of @issuer_file that lists nothing, valid like the PKI's own,
 * signed with the key derived from @key_label: a second, older-looking CRL
 * of the same issuer.
 */
static void write_empty_crl(const char *name, const char *issuer_file,
			    const char *key_label)
{
	struct tp_ctx c;
	struct pv_err *err = NULL;
	EVP_PKEY *key = NULL;
	X509 *issuer = pem_cert(F(issuer_file));
	X509_CRL *crl = NULL;
	uint8_t *pem = NULL;
	size_t len = 0;

	assert_int_equal(tp_ctx_init(&c, seed, sizeof(seed), &err), 0);
	assert_int_equal(tp_key(&c, key_label, SN_secp521r1, &key, &err), 0);
	/* the derived key is the issuer's */
	assert_int_equal(EVP_PKEY_eq(key, X509_get0_pubkey(issuer)), 1);
	{
		struct tp_crl_spec s = {
			.issuer = issuer, .issuer_key = key,
			.last = BASE, .next = BASE + 3650 * DAY, .number = 9,
		};

		assert_int_equal(tp_crl(&c, &s, &crl, &err), 0);
	}
	assert_int_equal(tp_pem_crl(crl, &pem, &len, &err), 0);
	write_cat(name, pem, len, NULL);
	free(pem);
	X509_CRL_free(crl);
	X509_free(issuer);
	EVP_PKEY_free(key);
	tp_ctx_fini(&c);
}

/* @name: the certificate of PKI file @src as a TRUSTED CERTIFICATE. */
static void write_trusted(const char *name, const char *src)
{
	X509 *x = pem_cert(F(src));
	BIO *bio = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n;

	assert_int_equal(PEM_write_bio_X509_AUX(bio, x), 1);
	n = BIO_get_mem_data(bio, &p);
	assert_true(n > 0 && strstr(p, "TRUSTED CERTIFICATE"));
	write_cat(name, p, (size_t)n, NULL);
	BIO_free(bio);
	X509_free(x);
}

static void write_der(const char *name, const char *src)
{
	X509 *x = pem_cert(F(src));
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);

	assert_true(n > 0);
	write_cat(name, der, (size_t)n, NULL);
	OPENSSL_free(der);
	X509_free(x);
}

static int setup(void **state)
{
	struct pv_testpki_opts o = {
		.hosts = 1, .variants = true, .days = 3650, .base = BASE,
		.seed = seed, .seed_len = sizeof(seed),
	};
	struct pv_err *err = NULL;

	if (!mkdtemp(dir))
		return -1;
	if (pv_testpki_generate(&o, &pki, &err) ||
	    pv_testpki_write(pki, dir, &err)) {
		fprintf(stderr, "test PKI: %s\n", err ? err->msg : "?");
		pv_err_free(err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	for (size_t i = 0; i < pv_testpki_count(pki); i++)
		unlink(P(pv_testpki_file(pki, i)->name));
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		unlink(P(extra[i]));
	rmdir(dir);
	pv_testpki_free(pki);
	return 0;
}

/* The chain of tests/unit/test_hkd.c; tests change single entries. */
struct setup {
	char buf[9][256];
	const char *certs[3];
	const char *crls[4];
	struct pv_hkd_opts o;
};

static void set(struct setup *s, const char **slot, const char *name)
{
	int i;

	if (slot == &s->o.root_ca)
		i = 8;
	else if (slot >= s->crls && slot < s->crls + 4)
		i = 4 + (int)(slot - s->crls);
	else
		i = (int)(slot - s->certs);
	assert_true(i >= 0 && i < 9);
	snprintf(s->buf[i], sizeof(s->buf[i]), "%s/%s", dir, name);
	*slot = s->buf[i];
}

static void good(struct setup *s)
{
	memset(s, 0, sizeof(*s));
	set(s, &s->certs[0], "ibm-signing.crt");
	set(s, &s->certs[1], "inter-ca.crt");
	set(s, &s->crls[0], "root-ca.crl");
	set(s, &s->crls[1], "inter-ca.crl");
	set(s, &s->crls[2], "ibm-signing.crl");
	set(s, &s->o.root_ca, "root-ca.crt");
	s->o.certs = s->certs;
	s->o.ncerts = 2;
	s->o.crls = s->crls;
	s->o.ncrls = 3;
	s->o.offline = true;
	s->o.now = NOW;
}

static void verify_ok(const struct setup *s, const char *hkd)
{
	const char *paths[1] = { P(hkd) };
	struct pv_err *err = NULL;

	if (pv_hkd_verify(paths, 1, &s->o, &err))
		fail_msg("%s: %s", hkd, err ? err->msg : "no message");
	assert_null(err);
}

/* Verification fails with @code and a message holding @a and @b. */
static void verify_fails(const struct setup *s, const char *hkd, int code,
			 const char *a, const char *b)
{
	const char *paths[1] = { P(hkd) };
	struct pv_err *err = NULL;
	int rc = pv_hkd_verify(paths, 1, &s->o, &err);

	assert_int_equal(rc, -code);
	assert_non_null(err);
	assert_int_equal(err->code, code);
	if (!strstr(err->msg, a) || (b && !strstr(err->msg, b)))
		fail_msg("%s: message '%s' lacks '%s' / '%s'", hkd, err->msg,
			 a, b ? b : "");
	pv_err_free(err);
}

/* Reported case: root and intermediate in the --root-ca file. */
static void test_root_two_certs(void **state)
{
	struct setup s;

	good(&s);
	verify_ok(&s, "host.crt");
	cat_files("root-inter.crt", "root-ca.crt", "inter-ca.crt");
	set(&s, &s.o.root_ca, "root-inter.crt");
	verify_fails(&s, "host.crt", PV_ERR_CERT, "holds 2 certificates",
		     "exactly one");
	/* without the intermediate on --cert, as a user would try it */
	s.o.ncerts = 1;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "root-inter.crt'",
		     "holds 2 certificates");
	cat_files("inter-root.crt", "inter-ca.crt", "root-ca.crt");
	set(&s, &s.o.root_ca, "inter-root.crt");
	verify_fails(&s, "host.crt", PV_ERR_CERT, "holds 2 certificates",
		     "give an intermediate CA with --cert");
	/* the same root twice is two certificates as well */
	cat_files("root-twice.crt", "root-ca.crt", "root-ca.crt");
	set(&s, &s.o.root_ca, "root-twice.crt");
	s.o.ncerts = 2;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "holds 2 certificates",
		     NULL);
	/* a file of CRLs only has none */
	cat_files("crl-only.crt", "root-ca.crl", "inter-ca.crl");
	set(&s, &s.o.root_ca, "crl-only.crt");
	verify_fails(&s, "host.crt", PV_ERR_FORMAT, "holds no certificate",
		     "X509 CRL");
}

/* Reported case: the root file carries the root's CRL; --crl does not. */
static void test_root_crl_not_used(void **state)
{
	struct setup s;

	cat_files("root-crl.crt", "root-ca.crt", "root-ca.crl");
	good(&s);
	set(&s, &s.o.root_ca, "root-crl.crt");
	verify_ok(&s, "host.crt");	/* with --crl root-ca.crl */
	set(&s, &s.crls[0], "ibm-signing.crl");
	s.o.ncrls = 2;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "missing CRL",
		     "the CRL inside '");
	verify_fails(&s, "host.crt", PV_ERR_CERT, "root-crl.crt' does not count",
		     "read only from --crl files");
}

/* DER and TRUSTED CERTIFICATE roots are read (X509_load_cert_file). */
static void test_root_forms(void **state)
{
	struct setup s;

	good(&s);
	write_der("root.der", "root-ca.crt");
	set(&s, &s.o.root_ca, "root.der");
	verify_ok(&s, "host.crt");
	write_trusted("root-trusted.crt", "root-ca.crt");
	set(&s, &s.o.root_ca, "root-trusted.crt");
	verify_ok(&s, "host.crt");
}

/* Only the first certificate of a --cert file takes part. */
static void test_cert_file_first_only(void **state)
{
	struct setup s;

	good(&s);
	/* signing key second, nowhere else: it is not read */
	cat_files("inter-sign.crt", "inter-ca.crt", "ibm-signing.crt");
	set(&s, &s.certs[0], "inter-sign.crt");
	s.o.ncerts = 1;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "as certificate 2 of 2",
		     "only the first certificate of each --cert file");
	/* intermediate second, nowhere else: the chain lacks it */
	cat_files("sign-inter.crt", "ibm-signing.crt", "inter-ca.crt");
	set(&s, &s.certs[0], "sign-inter.crt");
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "does not chain to a trusted root CA",
		     "sign-inter.crt' holds 2");
	/* the same file and the intermediate on its own: fine */
	s.o.ncerts = 2;
	verify_ok(&s, "host.crt");
	/* the signing key twice (second time inside a bundle): two */
	set(&s, &s.certs[0], "ibm-signing.crt");
	set(&s, &s.certs[1], "inter-sign.crt");
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "more than one IBM Z signing key", "(certificate 2)");
}

/* A second signing key later in a file still counts (pvimg reads it). */
static void test_second_signing_key_in_file(void **state)
{
	struct setup s;

	good(&s);
	cat_files("sign-sign2.crt", "ibm-signing.crt", "ibm-signing2.crt");
	set(&s, &s.certs[0], "sign-sign2.crt");
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "more than one IBM Z signing key",
		     "sign-sign2.crt' (certificate 2)");
}

/* A CRL inside a --cert file does not replace its --crl file. */
static void test_cert_file_crl_not_used(void **state)
{
	struct setup s;

	good(&s);
	cat_files("inter-crl.crt", "inter-ca.crt", "inter-ca.crl");
	set(&s, &s.certs[1], "inter-crl.crt");
	verify_ok(&s, "host.crt");
	set(&s, &s.crls[1], "ibm-signing.crl");
	s.o.ncrls = 2;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "missing CRL",
		     "inter-crl.crt' does not count");
	/* nor the signing key's CRL for the host-key documents */
	good(&s);
	cat_files("sign-with-crl.crt", "ibm-signing.crt", "ibm-signing.crl");
	set(&s, &s.certs[0], "sign-with-crl.crt");
	s.o.ncrls = 2;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "missing CRL", "--crl");
}

/* TRUSTED CERTIFICATE blocks count only in a --root-ca file. */
static void test_trusted_blocks(void **state)
{
	struct setup s;

	good(&s);
	write_trusted("sign-trusted.crt", "ibm-signing.crt");
	set(&s, &s.certs[0], "sign-trusted.crt");
	verify_fails(&s, "host.crt", PV_ERR_FORMAT, "holds no certificate",
		     "counts only in a --root-ca file");
	good(&s);
	write_trusted("host-trusted.crt", "host.crt");
	verify_fails(&s, "host-trusted.crt", PV_ERR_FORMAT,
		     "holds no certificate", "TRUSTED CERTIFICATE");
}

/* A valid CRL inside a --cert file that revokes a document refuses it. */
static void test_side_crl_revokes_document(void **state)
{
	struct setup s;

	write_empty_crl("sign-empty.crl", "ibm-signing.crt",
			"testpki/key/ibm-signing");
	good(&s);
	set(&s, &s.crls[2], "sign-empty.crl");
	verify_ok(&s, "host-revoked.crt");	/* that CRL lists nothing */
	cat_files("sign-with-crl.crt", "ibm-signing.crt", "ibm-signing.crl");
	set(&s, &s.certs[0], "sign-with-crl.crt");
	verify_ok(&s, "host.crt");
	verify_fails(&s, "host-revoked.crt", PV_ERR_CERT, "is revoked",
		     "inside '");
	/* an outdated one is no CRL at all */
	cat_files("sign-outdated-crl.crt", "ibm-signing.crt",
		  "ibm-signing-outdated.crl");
	set(&s, &s.certs[0], "sign-outdated-crl.crt");
	verify_ok(&s, "host-revoked.crt");
}

/* ... and one that revokes a certificate of the chain refuses the chain. */
static void test_side_crl_revokes_chain(void **state)
{
	struct setup s;

	write_empty_crl("inter-empty.crl", "inter-ca.crt",
			"testpki/key/inter-ca");
	good(&s);
	set(&s, &s.certs[0], "ibm-signing-revoked.crt");
	set(&s, &s.crls[1], "inter-empty.crl");
	verify_ok(&s, "host.crt");	/* that CRL lists nothing */
	cat_files("inter-with-crl.crt", "inter-ca.crt", "inter-ca.crl");
	set(&s, &s.certs[1], "inter-with-crl.crt");
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "IBM Z signing key", "is revoked by the CRL inside");
	/* the good signing key is listed nowhere */
	set(&s, &s.certs[0], "ibm-signing.crt");
	verify_ok(&s, "host.crt");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_two_certs),
		cmocka_unit_test(test_root_crl_not_used),
		cmocka_unit_test(test_root_forms),
		cmocka_unit_test(test_cert_file_first_only),
		cmocka_unit_test(test_second_signing_key_in_file),
		cmocka_unit_test(test_cert_file_crl_not_used),
		cmocka_unit_test(test_trusted_blocks),
		cmocka_unit_test(test_side_crl_revokes_document),
		cmocka_unit_test(test_side_crl_revokes_chain),
	};

	return cmocka_run_group_tests_name("hkd_strict", tests, setup,
					   teardown);
}
