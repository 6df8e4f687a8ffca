// SPDX-License-Identifier: MIT
/*
 * Host-key verification must trust a CRL only when it is genuine
 * (se-image-format.md §7 step 6): the CRL of the IBM Z signing key is used
 * only when its signature verifies with the signing key and its authority
 * key identifier, if any, names that key.  A CRL carrying the signing key's
 * name but made by anyone else must neither stand in for the real CRL nor
 * revoke a good host-key document.  Also: the chain of the signing key
 * must be longer than the signing key alone (§7 step 5).
 *
 * The test PKI is seeded, so the signing key's private key can be derived
 * again here (testpki_internal.h) to make CRLs the generator never makes.
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
#include "../../lib/crypto/testpki_internal.h"

#define DAY 86400
#define BASE PV_TESTPKI_SEED_BASE
#define NOW (BASE + 100 * DAY)

static const uint8_t seed[32] = "pvboot genuine-CRL test seed 01";
static char dir[] = "/tmp/pvboot-hkd-genuine.XXXXXX";
static struct pv_testpki *pki;
static struct tp_ctx tc;
static EVP_PKEY *sign_key, *other_key;
static X509 *sign_crt, *root_crt, *host_crt;

static const char *P(const char *name)
{
	static char buf[8][256];
	static int slot;
	char *p = buf[slot++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static X509 *pki_cert(const char *name)
{
	const struct pv_testpki_file *f = pv_testpki_find(pki, name);
	BIO *bio;
	X509 *x;

	if (!f)
		return NULL;
	bio = BIO_new_mem_buf(f->data, (int)f->len);
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return x;
}

static int setup(void **state)
{
	struct pv_testpki_opts o = {
		.hosts = 1, .days = 3650, .seed = seed, .seed_len = sizeof(seed),
	};
	struct pv_err *err = NULL;

	if (!mkdtemp(dir))
		return -1;
	if (pv_testpki_generate(&o, &pki, &err) ||
	    pv_testpki_write(pki, dir, &err) ||
	    tp_ctx_init(&tc, seed, sizeof(seed), &err) ||
	    tp_key(&tc, "testpki/key/ibm-signing", SN_secp521r1, &sign_key,
		   &err) ||
	    tp_key(&tc, "test/key/forger", SN_secp521r1, &other_key, &err)) {
		fprintf(stderr, "setup: %s\n", err ? err->msg : "?");
		pv_err_free(err);
		return -1;
	}
	sign_crt = pki_cert("ibm-signing.crt");
	root_crt = pki_cert("root-ca.crt");
	host_crt = pki_cert("host.crt");
	if (!sign_crt || !root_crt || !host_crt)
		return -1;
	/* the derived key really is the signing key of this PKI */
	if (EVP_PKEY_eq(sign_key, X509_get0_pubkey(sign_crt)) != 1) {
		fprintf(stderr, "setup: derived key is not the signing key\n");
		return -1;
	}
	return 0;
}

static const char *const made[] = {
	"genuine.crl", "genuine-revokes.crl", "forged.crl",
	"forged-revokes.crl", "akid.crl", "akid-revokes.crl", "both.crl",
	"self.crt", "self.crl", "self-host.crt", "forged-chain.crl",
};

static int teardown(void **state)
{
	for (size_t i = 0; i < pv_testpki_count(pki); i++)
		unlink(P(pv_testpki_file(pki, i)->name));
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++)
		unlink(P(made[i]));
	rmdir(dir);
	pv_testpki_free(pki);
	EVP_PKEY_free(sign_key);
	EVP_PKEY_free(other_key);
	X509_free(sign_crt);
	X509_free(root_crt);
	X509_free(host_crt);
	tp_ctx_fini(&tc);
	return 0;
}

static void write_pem(const char *name, X509 *x, X509_CRL *crl)
{
	FILE *f = fopen(P(name), "w");

	assert_non_null(f);
	if (x)
		assert_int_equal(PEM_write_X509(f, x), 1);
	if (crl)
		assert_int_equal(PEM_write_X509_CRL(f, crl), 1);
	assert_int_equal(fclose(f), 0);
}

/*
 * A CRL named for the signing key: its authority key identifier comes
 * from @akid_of, it is signed with @key and lists @revoked (or nothing).
 */
static void make_crl(const char *name, X509 *akid_of, EVP_PKEY *key,
		     X509 *revoked)
{
	struct tp_crl_spec s = {
		.issuer = akid_of, .issuer_key = key,
		.issuer_name = X509_get_subject_name(sign_crt),
		.last = BASE, .next = BASE + 3650 * DAY, .number = 7,
		.revoked = &revoked, .nrevoked = revoked ? 1 : 0,
	};
	struct pv_err *err = NULL;
	X509_CRL *crl = NULL;

	if (tp_crl(&tc, &s, &crl, &err))
		fail_msg("%s: %s", name, err ? err->msg : "?");
	write_pem(name, NULL, crl);
	X509_CRL_free(crl);
}

struct setup {
	const char *certs[2], *crls[3];
	struct pv_hkd_opts o;
};

/* The good chain with @crl as the signing key's CRL file. */
static void good(struct setup *s, const char *crl)
{
	static char paths[6][256];

	memset(s, 0, sizeof(*s));
	snprintf(paths[0], sizeof(paths[0]), "%s", P("ibm-signing.crt"));
	snprintf(paths[1], sizeof(paths[1]), "%s", P("inter-ca.crt"));
	snprintf(paths[2], sizeof(paths[2]), "%s", P("root-ca.crl"));
	snprintf(paths[3], sizeof(paths[3]), "%s", P("inter-ca.crl"));
	snprintf(paths[4], sizeof(paths[4]), "%s", P(crl));
	snprintf(paths[5], sizeof(paths[5]), "%s", P("root-ca.crt"));
	for (int i = 0; i < 2; i++)
		s->certs[i] = paths[i];
	for (int i = 0; i < 3; i++)
		s->crls[i] = paths[2 + i];
	s->o.certs = s->certs;
	s->o.ncerts = 2;
	s->o.crls = s->crls;
	s->o.ncrls = 3;
	s->o.root_ca = paths[5];
	s->o.offline = true;
	s->o.now = NOW;
}

static int verify(const struct setup *s, const char *hkd, char *msg,
		  size_t size)
{
	const char *paths[1] = { P(hkd) };
	struct pv_err *err = NULL;
	int rc = pv_hkd_verify(paths, 1, &s->o, &err);

	snprintf(msg, size, "%s", err ? err->msg : "");
	if (rc)
		assert_non_null(err);
	else
		assert_null(err);
	pv_err_free(err);
	return rc;
}

static void expect_ok(const struct setup *s, const char *hkd)
{
	char msg[1024];

	if (verify(s, hkd, msg, sizeof(msg)))
		fail_msg("%s should verify: %s", hkd, msg);
}

static void expect_refused(const struct setup *s, const char *hkd,
			   const char *a, const char *b)
{
	char msg[1024];
	int rc = verify(s, hkd, msg, sizeof(msg));

	if (rc != -PV_ERR_CERT || !strstr(msg, a) || (b && !strstr(msg, b)))
		fail_msg("%s: rc %d, message '%s' lacks '%s' / '%s'", hkd, rc,
			 msg, a, b ? b : "");
}

/*
 * The test's own genuine CRLs work: an empty one lets host.crt pass, one
 * listing host.crt revokes it.  (So the refusals below come from the
 * forgery, not from how the test makes CRLs.)
 */
static void test_genuine_crl_counts(void **state)
{
	struct setup s;

	make_crl("genuine.crl", sign_crt, sign_key, NULL);
	make_crl("genuine-revokes.crl", sign_crt, sign_key, host_crt);
	good(&s, "genuine.crl");
	expect_ok(&s, "host.crt");
	good(&s, "genuine-revokes.crl");
	expect_refused(&s, "host.crt", "is revoked", "host.crt");
}

/* The signing key's name and key identifier, another key's signature. */
static void test_crl_signed_by_another_key(void **state)
{
	struct setup s;
	const char *crls[4];

	make_crl("forged.crl", sign_crt, other_key, NULL);
	make_crl("forged-revokes.crl", sign_crt, other_key, host_crt);
	/* alone it is no CRL of the signing key at all */
	good(&s, "forged.crl");
	expect_refused(&s, "host.crt", "missing CRL",
		       "its signature does not verify with the signing key");
	/* next to the genuine CRL it revokes nothing */
	good(&s, "genuine.crl");
	crls[0] = P("root-ca.crl");
	crls[1] = P("inter-ca.crl");
	crls[2] = P("genuine.crl");
	crls[3] = P("forged-revokes.crl");
	s.o.crls = crls;
	s.o.ncrls = 4;
	expect_ok(&s, "host.crt");
}

/* Signed by the signing key, but its AKID names the root CA's key. */
static void test_crl_with_wrong_akid(void **state)
{
	struct setup s;
	const char *crls[4];

	make_crl("akid.crl", root_crt, sign_key, NULL);
	make_crl("akid-revokes.crl", root_crt, sign_key, host_crt);
	good(&s, "akid.crl");
	expect_refused(&s, "host.crt", "missing CRL",
		       "its authority key identifier names another key");
	good(&s, "genuine.crl");
	crls[0] = P("root-ca.crl");
	crls[1] = P("inter-ca.crl");
	crls[2] = P("genuine.crl");
	crls[3] = P("akid-revokes.crl");
	s.o.crls = crls;
	s.o.ncrls = 4;
	expect_ok(&s, "host.crt");
}

/*
 * §7 step 5: "root + at least one more".  A self-signed certificate with
 * the signing key's name, given as the root CA too, verifies as a chain of
 * one; the host-key document it signed must still be refused.
 */
static void test_chain_of_one(void **state)
{
	EVP_PKEY *self_key = NULL, *hkey = NULL;
	X509 *self = NULL, *hx = NULL;
	X509_CRL *crl = NULL;
	struct pv_err *err = NULL;
	struct tp_cert_spec cs = {
		.kind = TP_ROOT, .label = "test/serial/self",
		.subject = X509_get_subject_name(sign_crt),
		.not_before = BASE, .not_after = BASE + 3650 * DAY,
	};
	struct tp_crl_spec rs = {
		.last = BASE, .next = BASE + 3650 * DAY, .number = 1,
	};
	const char *certs[1], *crls[1];
	struct setup s;

	assert_int_equal(tp_key(&tc, "test/key/self", SN_secp521r1, &self_key,
				&err), 0);
	assert_int_equal(tp_key(&tc, "test/key/self-host", SN_secp521r1,
				&hkey, &err), 0);
	cs.key = self_key;
	cs.issuer_key = self_key;
	assert_int_equal(tp_cert(&tc, &cs, &self, &err), 0);
	cs.kind = TP_HOST;
	cs.label = "test/serial/self-host";
	cs.subject = X509_get_subject_name(host_crt);
	cs.key = hkey;
	cs.issuer = self;
	assert_int_equal(tp_cert(&tc, &cs, &hx, &err), 0);
	rs.issuer = self;
	rs.issuer_key = self_key;
	assert_int_equal(tp_crl(&tc, &rs, &crl, &err), 0);
	write_pem("self.crt", self, NULL);
	write_pem("self-host.crt", hx, NULL);
	write_pem("self.crl", NULL, crl);

	memset(&s, 0, sizeof(s));
	certs[0] = P("self.crt");
	crls[0] = P("self.crl");
	s.o.certs = certs;
	s.o.ncerts = 1;
	s.o.crls = crls;
	s.o.ncrls = 1;
	s.o.root_ca = P("self.crt");
	s.o.offline = true;
	s.o.now = NOW;
	expect_refused(&s, "self-host.crt", "chain of 1 certificate",
		       "need a root CA and at least one more");
	X509_CRL_free(crl);
	X509_free(self);
	X509_free(hx);
	EVP_PKEY_free(self_key);
	EVP_PKEY_free(hkey);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_genuine_crl_counts),
		cmocka_unit_test(test_crl_signed_by_another_key),
		cmocka_unit_test(test_crl_with_wrong_akid),
		cmocka_unit_test(test_chain_of_one),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
