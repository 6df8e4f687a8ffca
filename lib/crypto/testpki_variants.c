// SPDX-License-Identifier: MIT
/*
 * Bad variants of the test PKI: each file breaks one rule of host-key
 * document verification (se-image-format.md §7), like the certificates of
 * IBM's verification tests (§9.6).  The "what" text of each file says which
 * outcome pvboot gives for it.
 */
#include <string.h>

#include "pvboot/hkd.h"
#include "hkd_internal.h"
#include "testpki_internal.h"

#define IBM "International Business Machines Corporation"

static const char *const other_root_pairs[][2] = {
	{ "C", "US" }, { "O", "pvboot test PKI" },
	{ "CN", "pvboot Test Other Root CA" }, { NULL, NULL },
};
static const char *const sign_armonk_pairs[][2] = {
	{ "C", "US" }, { "O", IBM }, { "CN", IBM }, { "ST", "New York" },
	{ "L", "Armonk" }, { "OU", "IBM Z Host Key Signing Service" },
	{ NULL, NULL },
};
static const char *const sign_wrong_pairs[][2] = {
	{ "C", "US" }, { "O", IBM }, { "CN", IBM }, { "ST", "New York" },
	{ "L", "Poughkeepsie" }, { "OU", "Key Signing Service Invalid" },
	{ NULL, NULL },
};
/* Not a certificate: a DER header that promises more than follows. */
static const char garbage[] =
	"\x30\x82\x7f\xff\x30\x82this file is deliberately not a "
	"certificate (pvboot test PKI)\n";

/* Issue @kind with @key by @issuer and add it as @name; frees the cert. */
static int add_issued(struct tp_build *b, const char *name, const char *what,
		      enum tp_kind kind, const X509_NAME *subject,
		      EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
		      time_t nb, time_t na, struct pv_err **err)
{
	char label[64] = "testpki/serial/";
	X509 *x;
	int rc;

	strncat(label, name, sizeof(label) - strlen(label) - 1);
	rc = tp_issue(b, kind, label, subject, key, issuer, issuer_key, nb, na,
		      &x, err);
	if (!rc)
		rc = tp_add_cert(b, name, what, x, err);
	X509_free(x);
	return rc;
}

/* Host-key documents that are bad on their own. */
static int bad_hosts(struct tp_build *b, struct pv_err **err)
{
	const time_t base = b->c.base, end = b->c.end;
	int rc;

	rc = tp_add_key(b, "host-revoked.key",
			"bad variant: private key of host-revoked.crt",
			b->host_revoked_key, err);
	if (!rc)
		rc = tp_add_cert(
			b, "host-revoked.crt",
			"bad variant: revoked host key (listed in ibm-signing.crl)",
			b->host_revoked, err);
	if (!rc)
		rc = add_issued(
			b, "host-expired.crt",
			"bad variant: expired host-key document (key of host.key)",
			TP_HOST, b->host_name, b->host_key, b->sign,
			b->sign_key, base - 730 * TP_DAY, base - 365 * TP_DAY,
			err);
	if (!rc)
		rc = add_issued(
			b, "host-not-yet-valid.crt",
			"bad variant: host-key document valid only after the others expire",
			TP_HOST, b->host_name, b->host_key, b->sign,
			b->sign_key, end, end + 365 * TP_DAY, err);
	return rc;
}

/* A document with the signing key's name, signed by another key. */
static int bad_issuer(struct tp_build *b, struct pv_err **err)
{
	struct tp_cert_spec s = {
		.kind = TP_HOST, .label = "testpki/serial/host-wrong-issuer",
		.subject = b->host_name, .key = b->host_key,
		.issuer = b->sign, .not_before = b->c.base,
		.not_after = b->c.end, .no_akid = true,
	};
	EVP_PKEY *other = NULL, *sign2 = NULL;
	X509 *x = NULL, *s2 = NULL;
	int rc;

	rc = tp_key(&b->c, "testpki/key/other-signer", SN_secp521r1, &other,
		    err);
	s.issuer_key = other;
	if (!rc)
		rc = tp_cert(&b->c, &s, &x, err);
	if (!rc)
		rc = tp_add_cert(
			b, "host-wrong-issuer.crt",
			"bad variant: names the signing key as issuer but is signed by another key",
			x, err);
	if (!rc)
		rc = tp_key(&b->c, "testpki/key/ibm-signing2", SN_secp521r1,
			    &sign2, err);
	if (!rc)
		rc = tp_issue(b, TP_SIGNING, "testpki/serial/ibm-signing2",
			      b->sign_name, sign2, b->inter, b->inter_key,
			      b->c.base, b->c.end, &s2, err);
	if (!rc)
		rc = tp_add_cert(
			b, "ibm-signing2.crt",
			"bad variant: a second valid signing key (two --cert signing keys are refused)",
			s2, err);
	if (!rc)
		rc = add_issued(
			b, "host-other-signer.crt",
			"bad variant: host-key document issued by ibm-signing2.crt",
			TP_HOST, b->host_name, b->host_key, s2, sign2,
			b->c.base, b->c.end, err);
	X509_free(x);
	X509_free(s2);
	EVP_PKEY_free(other);
	EVP_PKEY_free(sign2);
	return rc;
}

/* Keys that are not P-521: too weak, or a different curve. */
static int bad_keys(struct tp_build *b, struct pv_err **err)
{
	EVP_PKEY *p256 = NULL, *p192 = NULL;
	int rc;

	rc = tp_key(&b->c, "testpki/key/host-p256", SN_X9_62_prime256v1, &p256,
		    err);
	if (!rc)
		rc = tp_add_key(b, "host-p256.key",
				"bad variant: private key of host-p256.crt",
				p256, err);
	if (!rc)
		rc = add_issued(
			b, "host-p256.crt",
			"bad variant: valid host-key document with a P-256 key, not P-521",
			TP_HOST, b->host_name, p256, b->sign, b->sign_key,
			b->c.base, b->c.end, err);
	if (!rc)
		rc = tp_key(&b->c, "testpki/key/host-weak",
			    SN_X9_62_prime192v1, &p192, err);
	if (!rc)
		rc = add_issued(
			b, "host-weak.crt",
			"bad variant: host-key document with an 80-bit (P-192) key",
			TP_HOST, b->host_name, p192, b->sign, b->sign_key,
			b->c.base, b->c.end, err);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p192);
	return rc;
}

/* Signing-key certificates that break the chain rules. */
static int bad_signing(struct tp_build *b, struct pv_err **err)
{
	X509_NAME *armonk = tp_name(sign_armonk_pairs);
	X509_NAME *wrong = tp_name(sign_wrong_pairs);
	EVP_PKEY *wkey = NULL;
	X509 *ax = NULL;
	int rc = 0;

	if (!armonk || !wrong)
		rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = tp_add_cert(
			b, "ibm-signing-revoked.crt",
			"bad variant: the signing key, revoked (listed in inter-ca.crl)",
			b->sign_revoked, err);
	if (!rc)
		rc = tp_issue(b, TP_SIGNING,
			      "testpki/serial/ibm-signing-armonk", armonk,
			      b->sign_key, b->inter, b->inter_key, b->c.base,
			      b->c.end, &ax, err);
	if (!rc)
		rc = tp_add_cert(
			b, "ibm-signing-armonk.crt",
			"quirk: the signing key named L=Armonk; its CRL is ibm-signing.crl (L=Poughkeepsie)",
			ax, err);
	if (!rc)
		rc = add_issued(
			b, "host-armonk.crt",
			"quirk: host-key document issued by ibm-signing-armonk.crt (verifies)",
			TP_HOST, b->host_name, b->host_key, ax, b->sign_key,
			b->c.base, b->c.end, err);
	if (!rc)
		rc = tp_key(&b->c, "testpki/key/ibm-signing-wrong-subject",
			    SN_secp521r1, &wkey, err);
	if (!rc)
		rc = add_issued(
			b, "ibm-signing-wrong-subject.crt",
			"bad variant: signing key whose OU does not end in \"Key Signing Service\"",
			TP_SIGNING, wrong, wkey, b->inter, b->inter_key,
			b->c.base, b->c.end, err);
	X509_free(ax);
	EVP_PKEY_free(wkey);
	X509_NAME_free(armonk);
	X509_NAME_free(wrong);
	return rc;
}

/* CRLs of the signing key: re-ordered issuer name, outdated. */
static int bad_crls(struct tp_build *b, struct pv_err **err)
{
	struct tp_crl_spec s = {
		.issuer = b->sign, .issuer_key = b->sign_key,
		.last = b->c.base, .next = b->c.end,
		.revoked = &b->host_revoked, .nrevoked = 1, .number = 2,
	};
	X509_NAME *reordered = hkd_name_reorder(b->sign_name);
	int rc;

	if (!reordered)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	s.issuer_name = reordered;
	rc = tp_add_crl(
		b, "ibm-signing-reordered.crl",
		"quirk: CRL of the signing key with its issuer name re-ordered (C, O, OU, L, ST, CN)",
		&s, err);
	s.issuer_name = NULL;
	s.last = b->c.base - 730 * TP_DAY;
	s.next = b->c.base - 365 * TP_DAY;
	s.number = 3;
	if (!rc)
		rc = tp_add_crl(
			b, "ibm-signing-outdated.crl",
			"bad variant: CRL of the signing key whose nextUpdate has passed",
			&s, err);
	X509_NAME_free(reordered);
	return rc;
}

int tp_build_variants(struct tp_build *b, struct pv_err **err)
{
	X509_NAME *oname = tp_name(other_root_pairs);
	EVP_PKEY *okey = NULL;
	int rc;

	rc = bad_hosts(b, err);
	if (!rc)
		rc = bad_issuer(b, err);
	if (!rc)
		rc = bad_keys(b, err);
	if (!rc)
		rc = bad_signing(b, err);
	if (!rc)
		rc = bad_crls(b, err);
	if (!rc && !oname)
		rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = tp_key(&b->c, "testpki/key/other-root-ca", SN_secp521r1,
			    &okey, err);
	if (!rc)
		rc = add_issued(
			b, "other-root-ca.crt",
			"bad variant: a root CA that did not issue this PKI (untrusted root)",
			TP_ROOT, oname, okey, NULL, okey, b->c.base, b->c.end,
			err);
	if (!rc)
		rc = tp_add_raw(b, "empty.crt", "bad variant: an empty file",
				"", 0, err);
	if (!rc)
		rc = tp_add_raw(b, "garbage.crt",
				"bad variant: bytes that are no certificate",
				garbage, sizeof(garbage) - 1, err);
	EVP_PKEY_free(okey);
	X509_NAME_free(oname);
	return rc;
}
