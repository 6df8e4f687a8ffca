// SPDX-License-Identifier: MIT
/*
 * Unit tests for host-key document verification (se-image-format.md §7):
 * a test PKI is generated into a temporary directory, then every outcome of
 * §9.6 is checked with a pinned time.
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

#include "pvboot/crypto.h"
#include "pvboot/hkd.h"

#define DAY 86400
#define BASE PV_TESTPKI_SEED_BASE
#define NOW (BASE + 100 * DAY)	/* well inside the 3650 days */

static char dir[] = "/tmp/pvboot-hkd-test.XXXXXX";
static struct pv_testpki *pki;

static const char *P(const char *name)
{
	static char buf[8][256];
	static int slot;
	char *p = buf[slot++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static int setup(void **state)
{
	struct pv_testpki_opts o = {
		.hosts = 2, .variants = true, .days = 3650, .base = BASE,
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
	unlink(P("host.der"));
	unlink(P("multi.crt"));
	unlink(P("root-chained.crt"));
	unlink(P("crl.der"));
	rmdir(dir);
	pv_testpki_free(pki);
	return 0;
}

/* The standard good setup; tests change single fields with set(). */
struct setup {
	char buf[10][256];
	const char *certs[4];
	const char *crls[4];
	struct pv_hkd_opts o;
};

/* Point @slot (an entry of s->certs / s->crls, or root_ca) at file @name. */
static void set(struct setup *s, const char **slot, const char *name)
{
	int i = (int)(slot - s->certs);

	if (slot == &s->o.root_ca)
		i = 8;
	else if (slot >= s->crls && slot < s->crls + 4)
		i = 4 + (int)(slot - s->crls);
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
	int rc = pv_hkd_verify(paths, 1, &s->o, &err);

	if (rc)
		fail_msg("%s: %s", hkd, err ? err->msg : "no message");
	assert_null(err);
}

/* Verification must fail with @code and a message holding @a (and @b). */
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

static void test_good_hosts(void **state)
{
	const char *paths[2] = { P("host.crt"), P("host2.crt") };
	struct pv_err *err = NULL;
	struct setup s;

	good(&s);
	assert_int_equal(pv_hkd_verify(paths, 2, &s.o, &err), 0);
	assert_null(err);
	/* The root file may carry the root's CRL (like IBM's chained root). */
	s.o.ncrls = 2;
	set(&s, &s.crls[0], "inter-ca.crl");
	set(&s, &s.crls[1], "ibm-signing.crl");
	verify_fails(&s, "host.crt", PV_ERR_CERT, "missing CRL", "error 3");
}

static void test_root_with_crl(void **state)
{
	const struct pv_testpki_file *r = pv_testpki_find(pki, "root-ca.crt");
	const struct pv_testpki_file *c = pv_testpki_find(pki, "root-ca.crl");
	FILE *f = fopen(P("root-chained.crt"), "w");
	struct setup s;

	assert_non_null(f);
	fwrite(r->data, 1, r->len, f);
	fwrite(c->data, 1, c->len, f);
	fclose(f);
	good(&s);
	set(&s, &s.o.root_ca, "root-chained.crt");
	verify_ok(&s, "host.crt");
	/* the CRL inside the root file does not count (IBM genprotimg) */
	set(&s, &s.crls[0], "inter-ca.crl");
	set(&s, &s.crls[1], "ibm-signing.crl");
	s.o.ncrls = 2;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "missing CRL",
		     "does not count");
}

static void test_key_matches_private(void **state)
{
	const struct pv_testpki_file *k = pv_testpki_find(pki, "host.key");
	const struct pv_testpki_file *c = pv_testpki_find(pki, "host.crt");
	struct pv_hkd_verifier *v = NULL;
	struct pv_eckey *key = NULL, *loaded = NULL;
	struct pv_err *err = NULL;
	EVP_PKEY *priv;
	BIO *bio;
	struct setup s;

	good(&s);
	assert_int_equal(pv_hkd_verifier_new(&s.o, &v, &err), 0);
	assert_int_equal(pv_hkd_verifier_check(v, c->data, c->len, "host.crt",
					       &key, &err), 0);
	assert_non_null(key);
	assert_int_equal(pv_hkd_load(P("host.crt"), &loaded, &err), 0);
	bio = BIO_new_mem_buf(k->data, (int)k->len);
	priv = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	assert_non_null(priv);
	assert_int_equal(EVP_PKEY_eq(priv, pv_eckey_evp(key)), 1);
	assert_int_equal(EVP_PKEY_eq(priv, pv_eckey_evp(loaded)), 1);
	/* host2 has its own key */
	pv_eckey_free(loaded);
	assert_int_equal(pv_hkd_load(P("host2.crt"), &loaded, &err), 0);
	assert_int_not_equal(EVP_PKEY_eq(priv, pv_eckey_evp(loaded)), 1);
	EVP_PKEY_free(priv);
	BIO_free(bio);
	pv_eckey_free(key);
	pv_eckey_free(loaded);
	pv_hkd_verifier_free(v);
}

static void test_revoked_host(void **state)
{
	struct setup s;

	good(&s);
	verify_fails(&s, "host-revoked.crt", PV_ERR_CERT, "is revoked",
		     "host-revoked.crt");
}

static void test_revoked_signing_key(void **state)
{
	struct setup s;

	good(&s);
	set(&s, &s.certs[0], "ibm-signing-revoked.crt");
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "IBM Z signing key", "is revoked by its issuer");
	verify_fails(&s, "host.crt", PV_ERR_CERT, "error 23", NULL);
}

static void test_missing_crl(void **state)
{
	struct setup s;

	good(&s);
	s.o.ncrls = 2;		/* no ibm-signing.crl */
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "missing CRL: no CRL of the IBM Z signing key", "--crl");
	good(&s);
	set(&s, &s.crls[1], "ibm-signing.crl");	/* no inter-ca.crl */
	s.o.ncrls = 2;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "missing CRL",
		     "OpenSSL verify error 3 at depth 0");
}

static void test_outdated_crl(void **state)
{
	struct setup s;

	good(&s);
	set(&s, &s.crls[2], "ibm-signing-outdated.crl");
	verify_fails(&s, "host.crt", PV_ERR_CERT, "none of the 1 CRL(s)",
		     "outdated");
}

static void test_expired_and_future_host(void **state)
{
	struct setup s;

	good(&s);
	verify_fails(&s, "host-expired.crt", PV_ERR_CERT, "has expired",
		     "valid until 2023-01-01");
	verify_fails(&s, "host-not-yet-valid.crt", PV_ERR_CERT,
		     "is not yet valid", "valid from 2033-12-29");
	/* the same documents at other pinned times */
	s.o.now = BASE - 400 * DAY;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "is not yet valid",
		     "IBM Z signing key");
	s.o.now = BASE + 3651 * DAY;
	verify_fails(&s, "host.crt", PV_ERR_CERT, "has expired",
		     "IBM Z signing key");
}

static void test_wrong_issuer(void **state)
{
	struct setup s;

	good(&s);
	verify_fails(&s, "host-wrong-issuer.crt", PV_ERR_CERT,
		     "is not signed by the IBM Z signing key", "wrong issuer");
	verify_fails(&s, "host-other-signer.crt", PV_ERR_CERT,
		     "was not issued by the IBM Z signing key",
		     "authority key identifier");
	/* ... but host-other-signer verifies against its own signing key */
	set(&s, &s.certs[0], "ibm-signing2.crt");
	s.o.ncrls = 2;
	verify_fails(&s, "host-other-signer.crt", PV_ERR_CERT, "missing CRL",
		     "ibm-signing2.crt");
}

static void test_two_signing_keys(void **state)
{
	struct setup s;

	good(&s);
	set(&s, &s.certs[2], "ibm-signing2.crt");
	s.o.ncerts = 3;
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "more than one IBM Z signing key", "ibm-signing2.crt");
	set(&s, &s.certs[2], "ibm-signing.crt");	/* the same one twice */
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "more than one IBM Z signing key", NULL);
}

static void test_no_signing_key(void **state)
{
	struct setup s;

	good(&s);
	set(&s, &s.certs[0], "inter-ca.crt");
	s.o.ncerts = 1;
	verify_fails(&s, "host.crt", PV_ERR_INVAL,
		     "specify at least one IBM Z signing key (--cert)", NULL);
	set(&s, &s.certs[0], "ibm-signing-wrong-subject.crt");
	set(&s, &s.certs[1], "inter-ca.crt");
	s.o.ncerts = 2;
	verify_fails(&s, "host.crt", PV_ERR_INVAL,
		     "specify at least one IBM Z signing key", NULL);
}

static void test_missing_intermediate_untrusted_root(void **state)
{
	struct setup s;

	good(&s);
	s.o.ncerts = 1;
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "does not chain to a trusted root CA", "error 20");
	good(&s);
	set(&s, &s.o.root_ca, "other-root-ca.crt");
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "does not chain to a trusted root CA", "error 20");
	good(&s);
	s.o.root_ca = NULL; /* the system store does not know the test root */
	verify_fails(&s, "host.crt", PV_ERR_CERT,
		     "does not chain to a trusted root CA", NULL);
}

static void test_not_p521(void **state)
{
	struct pv_eckey *key = (void *)1;
	struct pv_err *err = NULL;
	struct setup s;

	good(&s);
	verify_fails(&s, "host-p256.crt", PV_ERR_KEY, "prime256v1",
		     "need P-521");
	verify_fails(&s, "host-weak.crt", PV_ERR_KEY, "80 security bits",
		     "at least 112");
	assert_int_equal(pv_hkd_load(P("host-p256.crt"), &key, &err),
			 -PV_ERR_KEY);
	assert_null(key);
	assert_non_null(strstr(err->msg, "curve prime256v1"));
	pv_err_free(err);
}

static void test_empty_and_garbage(void **state)
{
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;
	struct setup s;

	good(&s);
	verify_fails(&s, "empty.crt", PV_ERR_FORMAT, "is empty", NULL);
	verify_fails(&s, "garbage.crt", PV_ERR_FORMAT, "is garbage", NULL);
	assert_int_equal(pv_hkd_load(P("empty.crt"), &key, &err),
			 -PV_ERR_FORMAT);
	assert_non_null(strstr(err->msg, "empty.crt' is empty"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_hkd_load(P("garbage.crt"), &key, &err),
			 -PV_ERR_FORMAT);
	assert_non_null(strstr(err->msg, "neither a PEM nor a DER"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_hkd_load(P("no-such.crt"), &key, &err), -PV_ERR_IO);
	pv_err_free(err);
	err = NULL;
	/* a CRL where a certificate belongs, and the other way round */
	assert_int_equal(pv_hkd_load(P("ibm-signing.crl"), &key, &err),
			 -PV_ERR_FORMAT);
	assert_non_null(strstr(err->msg, "holds no certificate"));
	assert_non_null(strstr(err->msg, "X509 CRL"));
	pv_err_free(err);
	set(&s, &s.crls[2], "host.crt");
	verify_fails(&s, "host.crt", PV_ERR_FORMAT, "holds no CRL",
		     "host.crt");
	good(&s);
	set(&s, &s.certs[1], "empty.crt");
	verify_fails(&s, "host.crt", PV_ERR_FORMAT, "certificate file",
		     "is empty");
}

static void test_quirks(void **state)
{
	struct setup s;

	/* L=Armonk signing key, CRL issued as L=Poughkeepsie (§7 step 6) */
	good(&s);
	set(&s, &s.certs[0], "ibm-signing-armonk.crt");
	verify_ok(&s, "host-armonk.crt");
	/* a CRL whose issuer name is re-ordered is still found and used */
	good(&s);
	set(&s, &s.crls[2], "ibm-signing-reordered.crl");
	verify_ok(&s, "host.crt");
	verify_fails(&s, "host-revoked.crt", PV_ERR_CERT, "is revoked", NULL);
}

static void write_file(const char *path, const void *a, size_t alen,
		       const void *b, size_t blen)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(a, 1, alen, f), alen);
	if (b)
		assert_int_equal(fwrite(b, 1, blen, f), blen);
	assert_int_equal(fclose(f), 0);
}

static void test_der_and_multi(void **state)
{
	const struct pv_testpki_file *h = pv_testpki_find(pki, "host.crt");
	const struct pv_testpki_file *w = pv_testpki_find(pki, "host-p256.crt");
	const struct pv_testpki_file *c =
		pv_testpki_find(pki, "ibm-signing.crl");
	unsigned char *der = NULL;
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;
	BIO *bio = BIO_new_mem_buf(h->data, (int)h->len);
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	X509_CRL *crl;
	struct setup s;
	int n;

	BIO_free(bio);
	assert_non_null(x);
	n = i2d_X509(x, &der);
	assert_true(n > 0);
	write_file(P("host.der"), der, (size_t)n, NULL, 0);
	OPENSSL_free(der);
	X509_free(x);
	der = NULL;
	good(&s);
	verify_ok(&s, "host.der");
	assert_int_equal(pv_hkd_load(P("host.der"), &key, &err), 0);
	pv_eckey_free(key);

	bio = BIO_new_mem_buf(c->data, (int)c->len);
	crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(crl);
	n = i2d_X509_CRL(crl, &der);
	X509_CRL_free(crl);
	write_file(P("crl.der"), der, (size_t)n, NULL, 0);
	OPENSSL_free(der);
	set(&s, &s.crls[2], "crl.der");
	verify_ok(&s, "host.crt");
	verify_fails(&s, "host-revoked.crt", PV_ERR_CERT, "is revoked", NULL);

	/* several certificates: the first one counts */
	write_file(P("multi.crt"), h->data, h->len, w->data, w->len);
	good(&s);
	verify_ok(&s, "multi.crt");
	write_file(P("multi.crt"), w->data, w->len, h->data, h->len);
	verify_fails(&s, "multi.crt", PV_ERR_KEY, "P-521", NULL);
}

static void test_crl_bytes(void **state)
{
	const struct pv_testpki_file *a = pv_testpki_find(pki, "root-ca.crl");
	const struct pv_testpki_file *b = pv_testpki_find(pki, "inter-ca.crl");
	const struct pv_testpki_file *g = pv_testpki_find(pki, "garbage.crt");
	struct pv_err *err = NULL;
	uint8_t buf[4096];
	size_t n = 0;

	assert_true(a->len + b->len <= sizeof(buf));
	memcpy(buf, a->data, a->len);
	memcpy(buf + a->len, b->data, b->len);
	assert_int_equal(pv_crl_load_bytes(buf, a->len + b->len, "two", &n,
					   &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(pv_crl_load_bytes(g->data, g->len, "garbage", &n,
					   &err), -PV_ERR_FORMAT);
	assert_int_equal(n, 0);
	pv_err_free(err);
	err = NULL;
	/* truncated PEM: the END line is cut off */
	assert_int_equal(pv_crl_load_bytes(a->data, a->len - 20, "cut", &n,
					   &err), -PV_ERR_FORMAT);
	assert_non_null(strstr(err->msg, "damaged PEM block"));
	pv_err_free(err);
}

static void test_current_time(void **state)
{
	struct pv_testpki_opts o = { .hosts = 1 };
	struct pv_testpki *now_pki = NULL;
	struct pv_hkd_verifier *v = NULL;
	const struct pv_testpki_file *f;
	struct pv_err *err = NULL;
	char sub[] = "/tmp/pvboot-hkd-now.XXXXXX";
	const char *certs[2], *crls[3];
	char paths[5][300];
	static const char *const names[5] = {
		"ibm-signing.crt", "inter-ca.crt", "root-ca.crl",
		"inter-ca.crl", "ibm-signing.crl",
	};
	struct pv_hkd_opts ho = { 0 };

	assert_int_equal(pv_testpki_generate(&o, &now_pki, &err), 0);
	assert_non_null(mkdtemp(sub));
	assert_int_equal(pv_testpki_write(now_pki, sub, &err), 0);
	for (int i = 0; i < 5; i++)
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", sub, names[i]);
	certs[0] = paths[0];
	certs[1] = paths[1];
	crls[0] = paths[2];
	crls[1] = paths[3];
	crls[2] = paths[4];
	ho.certs = certs;
	ho.ncerts = 2;
	ho.crls = crls;
	ho.ncrls = 3;
	{
		char root[300];

		snprintf(root, sizeof(root), "%s/root-ca.crt", sub);
		ho.root_ca = root;
		assert_int_equal(pv_hkd_verifier_new(&ho, &v, &err), 0);
	}
	f = pv_testpki_find(now_pki, "host.crt");
	assert_int_equal(pv_hkd_verifier_check(v, f->data, f->len, "host.crt",
					       NULL, &err), 0);
	/* the same PKI is not valid at the pinned time of the other tests */
	pv_hkd_verifier_free(v);
	for (size_t i = 0; i < pv_testpki_count(now_pki); i++) {
		char p[300];

		snprintf(p, sizeof(p), "%s/%s", sub,
			 pv_testpki_file(now_pki, i)->name);
		unlink(p);
	}
	rmdir(sub);
	pv_testpki_free(now_pki);
	assert_null(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_hosts),
		cmocka_unit_test(test_root_with_crl),
		cmocka_unit_test(test_key_matches_private),
		cmocka_unit_test(test_revoked_host),
		cmocka_unit_test(test_revoked_signing_key),
		cmocka_unit_test(test_missing_crl),
		cmocka_unit_test(test_outdated_crl),
		cmocka_unit_test(test_expired_and_future_host),
		cmocka_unit_test(test_wrong_issuer),
		cmocka_unit_test(test_two_signing_keys),
		cmocka_unit_test(test_no_signing_key),
		cmocka_unit_test(test_missing_intermediate_untrusted_root),
		cmocka_unit_test(test_not_p521),
		cmocka_unit_test(test_empty_and_garbage),
		cmocka_unit_test(test_quirks),
		cmocka_unit_test(test_der_and_multi),
		cmocka_unit_test(test_crl_bytes),
		cmocka_unit_test(test_current_time),
	};

	return cmocka_run_group_tests_name("hkd", tests, setup, teardown);
}
