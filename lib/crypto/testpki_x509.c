// SPDX-License-Identifier: MIT
/*
 * Test PKI building blocks: keys derived from a pv_rng, certificates and
 * CRLs with the extensions IBM's host-key PKI uses (so that OpenSSL's
 * X509_STRICT chain checks of se-image-format.md §7 step 5 pass), and PEM
 * output.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "testpki_internal.h"

#define SERIAL_LEN 16
#define NONCE_ENTROPY 256	/* fixed "random" bytes per signature */
#define KEY_EXTRA 8		/* extra bytes so that mod n has no bias */

int tp_ctx_init(struct tp_ctx *c, const uint8_t *seed, size_t seed_len,
		struct pv_err **err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if (!seed)
		return pv_rng_new_system(&c->rng, err);
	rc = pv_rng_new_seeded(seed, seed_len, &c->rng, err);
	if (rc)
		return rc;
	c->lc = OSSL_LIB_CTX_new();
	if (!c->lc || !RAND_set_DRBG_type(c->lc, "TEST-RAND", NULL, NULL,
					  NULL)) {
		tp_ctx_fini(c);
		return pv_err_ssl(err, "cannot set up deterministic signing");
	}
	return 0;
}

void tp_ctx_fini(struct tp_ctx *c)
{
	pv_rng_free(c->rng);
	OSSL_LIB_CTX_free(c->lc);
	memset(c, 0, sizeof(*c));
}

/*
 * Seeded mode: reset the fixed bytes the next ECDSA nonce is drawn from.
 * OpenSSL derives the nonce from a hash of the private key, the message
 * digest and these bytes, so nonces stay distinct per key and message.
 */
static int prime_nonce(struct tp_ctx *c, struct pv_err **err)
{
	uint8_t ent[NONCE_ENTROPY];
	OSSL_PARAM p[2];
	EVP_RAND_CTX *r;
	int ok;

	if (!c->lc)
		return 0;
	r = RAND_get0_private(c->lc);
	if (!r)
		return pv_err_ssl(err, "no deterministic generator");
	ok = pv_rng_bytes(c->rng, "testpki/nonce-entropy", ent, sizeof(ent),
			  err);
	if (ok)
		return ok;
	p[0] = OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_ENTROPY,
						 ent, sizeof(ent));
	p[1] = OSSL_PARAM_construct_end();
	ok = EVP_RAND_CTX_set_params(r, p);
	pv_cleanse(ent, sizeof(ent));
	return ok ? 0 : pv_err_ssl(err, "cannot prime deterministic signing");
}

/* d = 1 + (r mod (n - 1)), r from the rng; pub = d * G. */
static int derive_scalar(struct tp_ctx *c, const char *label,
			 const EC_GROUP *g, BIGNUM *d, struct pv_err **err)
{
	const BIGNUM *order = EC_GROUP_get0_order(g);
	size_t len = (size_t)BN_num_bytes(order) + KEY_EXTRA;
	uint8_t buf[80 + KEY_EXTRA];
	BIGNUM *r = BN_secure_new(), *nm1 = BN_new();
	BN_CTX *bn = BN_CTX_secure_new_ex(c->lc);
	int rc = 0;

	if (len > sizeof(buf) || !r || !nm1 || !bn) {
		rc = pv_err_set(err, PV_ERR_NOMEM, "cannot derive key '%s'",
				label);
		goto out;
	}
	rc = pv_rng_bytes(c->rng, label, buf, len, err);
	if (rc)
		goto out;
	if (!BN_bin2bn(buf, (int)len, r) ||
	    !BN_sub(nm1, order, BN_value_one()) || !BN_mod(d, r, nm1, bn) ||
	    !BN_add(d, d, BN_value_one()))
		rc = pv_err_ssl(err, "cannot derive key '%s'", label);
out:
	pv_cleanse(buf, sizeof(buf));
	BN_clear_free(r);
	BN_free(nm1);
	BN_CTX_free(bn);
	return rc;
}

int tp_key(struct tp_ctx *c, const char *label, const char *curve,
	   EVP_PKEY **out, struct pv_err **err)
{
	int nid = OBJ_sn2nid(curve);
	EC_GROUP *g = NULL;
	EC_POINT *pub = NULL;
	BIGNUM *d = BN_secure_new();
	uint8_t *pubbuf = NULL, priv[80];
	size_t publen = 0, plen;
	EVP_PKEY_CTX *pctx = NULL;
	OSSL_PARAM p[4];
	int rc = 0;

	*out = NULL;
	if (nid != NID_undef)
		g = EC_GROUP_new_by_curve_name_ex(c->lc, NULL, nid);
	if (!g || !d) {
		rc = pv_err_ssl(err, "cannot use curve %s", curve);
		goto out;
	}
	rc = derive_scalar(c, label, g, d, err);
	if (rc)
		goto out;
	plen = (size_t)BN_num_bytes(EC_GROUP_get0_order(g));
	pub = EC_POINT_new(g);
	if (!pub || !EC_POINT_mul(g, pub, d, NULL, NULL, NULL) ||
	    !(publen = EC_POINT_point2buf(g, pub, POINT_CONVERSION_UNCOMPRESSED,
					  &pubbuf, NULL)) ||
	    plen > sizeof(priv) || BN_bn2nativepad(d, priv, (int)plen) < 0) {
		rc = pv_err_ssl(err, "cannot compute key '%s'", label);
		goto out;
	}
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						(char *)curve, 0);
	p[1] = OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, priv, plen);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						 pubbuf, publen);
	p[3] = OSSL_PARAM_construct_end();
	pctx = EVP_PKEY_CTX_new_from_name(c->lc, "EC", NULL);
	if (!pctx || EVP_PKEY_fromdata_init(pctx) != 1 ||
	    EVP_PKEY_fromdata(pctx, out, EVP_PKEY_KEYPAIR, p) != 1)
		rc = pv_err_ssl(err, "cannot build key '%s'", label);
out:
	pv_cleanse(priv, sizeof(priv));
	EVP_PKEY_CTX_free(pctx);
	OPENSSL_free(pubbuf);
	EC_POINT_free(pub);
	EC_GROUP_free(g);
	BN_clear_free(d);
	return rc;
}

X509_NAME *tp_name(const char *const (*pairs)[2])
{
	X509_NAME *n = X509_NAME_new();

	for (; n && pairs[0][0]; pairs++) {
		if (!X509_NAME_add_entry_by_txt(
			    n, pairs[0][0], MBSTRING_UTF8,
			    (const unsigned char *)pairs[0][1], -1, -1, 0)) {
			X509_NAME_free(n);
			return NULL;
		}
	}
	return n;
}

static const char *digest_for(EVP_PKEY *key)
{
	int bits = EVP_PKEY_get_bits(key);

	if (bits >= 512)
		return "SHA512";
	if (bits >= 384)
		return "SHA384";
	return "SHA256";
}

static int add_ext(X509 *x, X509_CRL *crl, X509V3_CTX *v3, int nid,
		   const char *value, struct pv_err **err)
{
	X509_EXTENSION *e = X509V3_EXT_nconf_nid(NULL, v3, nid, (char *)value);
	int ok;

	if (!e)
		return pv_err_ssl(err, "cannot make extension %s = %s",
				  OBJ_nid2sn(nid), value);
	ok = x ? X509_add_ext(x, e, -1) : X509_CRL_add_ext(crl, e, -1);
	X509_EXTENSION_free(e);
	return ok ? 0 : pv_err_ssl(err, "cannot add extension %s",
				   OBJ_nid2sn(nid));
}

static int set_serial(struct tp_ctx *c, const char *label, X509 *x,
		      struct pv_err **err)
{
	uint8_t b[SERIAL_LEN];
	BIGNUM *bn;
	int rc;

	rc = pv_rng_bytes(c->rng, label, b, sizeof(b), err);
	if (rc)
		return rc;
	b[0] = (uint8_t)((b[0] & 0x7f) | 0x40);	/* positive, full length */
	bn = BN_bin2bn(b, sizeof(b), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
		rc = pv_err_ssl(err, "cannot set serial number");
	BN_free(bn);
	return rc;
}

static int kind_exts(X509 *x, X509V3_CTX *v3, enum tp_kind kind,
		     struct pv_err **err)
{
	int rc = 0;

	switch (kind) {
	case TP_ROOT:
	case TP_CA:
		rc = add_ext(x, NULL, v3, NID_basic_constraints,
			     "critical,CA:TRUE", err);
		if (!rc)
			rc = add_ext(x, NULL, v3, NID_key_usage,
				     "critical,keyCertSign,cRLSign", err);
		break;
	case TP_SIGNING:
		rc = add_ext(x, NULL, v3, NID_basic_constraints,
			     "critical,CA:FALSE", err);
		if (!rc)
			rc = add_ext(x, NULL, v3, NID_key_usage,
				     "critical,digitalSignature", err);
		if (!rc)
			rc = add_ext(x, NULL, v3, NID_ext_key_usage,
				     "codeSigning", err);
		break;
	case TP_HOST:
		rc = add_ext(x, NULL, v3, NID_key_usage,
			     "critical,keyAgreement", err);
		break;
	}
	return rc;
}

static int sign_ctx(struct tp_ctx *c, EVP_PKEY *key, EVP_MD_CTX **m,
		    struct pv_err **err)
{
	*m = EVP_MD_CTX_new();
	if (!*m || EVP_DigestSignInit_ex(*m, NULL, digest_for(key), c->lc,
					 NULL, key, NULL) != 1)
		return pv_err_ssl(err, "cannot set up signing");
	return prime_nonce(c, err);
}

int tp_cert(struct tp_ctx *c, const struct tp_cert_spec *s, X509 **out,
	    struct pv_err **err)
{
	X509 *x = X509_new_ex(c->lc, NULL);
	const X509_NAME *iname = s->issuer_name;
	EVP_MD_CTX *m = NULL;
	X509V3_CTX v3;
	int rc;

	*out = NULL;
	if (!iname)
		iname = s->issuer ? X509_get_subject_name(s->issuer) :
				    s->subject;
	if (!x || !X509_set_version(x, X509_VERSION_3) ||
	    !X509_set_subject_name(x, s->subject) ||
	    !X509_set_issuer_name(x, iname) ||
	    !ASN1_TIME_set(X509_getm_notBefore(x), s->not_before) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), s->not_after) ||
	    !X509_set_pubkey(x, s->key)) {
		rc = pv_err_ssl(err, "cannot fill certificate '%s'", s->label);
		goto out;
	}
	rc = set_serial(c, s->label, x, err);
	if (rc)
		goto out;
	X509V3_set_ctx(&v3, s->issuer ? s->issuer : x, x, NULL, NULL, 0);
	rc = kind_exts(x, &v3, s->kind, err);
	if (!rc)
		rc = add_ext(x, NULL, &v3, NID_subject_key_identifier, "hash",
			     err);
	if (!rc && !s->no_akid)
		rc = add_ext(x, NULL, &v3, NID_authority_key_identifier,
			     "keyid:always", err);
	if (!rc)
		rc = sign_ctx(c, s->issuer_key, &m, err);
	if (!rc && X509_sign_ctx(x, m) <= 0)
		rc = pv_err_ssl(err, "cannot sign certificate '%s'", s->label);
out:
	EVP_MD_CTX_free(m);
	if (rc)
		X509_free(x);
	else
		*out = x;
	return rc;
}

static int add_revoked(X509_CRL *crl, X509 *cert, time_t when,
		       struct pv_err **err)
{
	X509_REVOKED *r = X509_REVOKED_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, when);
	int ok;

	ok = r && t &&
	     X509_REVOKED_set_serialNumber(
		     r, (ASN1_INTEGER *)X509_get0_serialNumber(cert)) &&
	     X509_REVOKED_set_revocationDate(r, t) &&
	     X509_CRL_add0_revoked(crl, r);
	ASN1_TIME_free(t);
	if (!ok) {
		X509_REVOKED_free(r);
		return pv_err_ssl(err, "cannot list a revoked certificate");
	}
	return 0;
}

int tp_crl(struct tp_ctx *c, const struct tp_crl_spec *s, X509_CRL **out,
	   struct pv_err **err)
{
	X509_CRL *crl = X509_CRL_new_ex(c->lc, NULL);
	const X509_NAME *iname = s->issuer_name;
	ASN1_TIME *last = ASN1_TIME_set(NULL, s->last);
	ASN1_TIME *next = ASN1_TIME_set(NULL, s->next);
	ASN1_INTEGER *num = ASN1_INTEGER_new();
	EVP_MD_CTX *m = NULL;
	X509V3_CTX v3;
	int rc = 0;

	*out = NULL;
	if (!iname)
		iname = X509_get_subject_name(s->issuer);
	if (!crl || !last || !next || !num ||
	    !X509_CRL_set_version(crl, X509_CRL_VERSION_2) ||
	    !X509_CRL_set_issuer_name(crl, iname) ||
	    !X509_CRL_set1_lastUpdate(crl, last) ||
	    !X509_CRL_set1_nextUpdate(crl, next) ||
	    !ASN1_INTEGER_set(num, s->number)) {
		rc = pv_err_ssl(err, "cannot fill CRL");
		goto out;
	}
	for (size_t i = 0; !rc && i < s->nrevoked; i++)
		rc = add_revoked(crl, s->revoked[i], s->last, err);
	if (rc)
		goto out;
	X509_CRL_sort(crl);
	X509V3_set_ctx(&v3, s->issuer, NULL, NULL, crl, 0);
	rc = add_ext(NULL, crl, &v3, NID_authority_key_identifier,
		     "keyid:always", err);
	if (!rc && !X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0))
		rc = pv_err_ssl(err, "cannot add the CRL number");
	if (!rc)
		rc = sign_ctx(c, s->issuer_key, &m, err);
	if (!rc && X509_CRL_sign_ctx(crl, m) <= 0)
		rc = pv_err_ssl(err, "cannot sign CRL");
out:
	EVP_MD_CTX_free(m);
	ASN1_TIME_free(last);
	ASN1_TIME_free(next);
	ASN1_INTEGER_free(num);
	if (rc)
		X509_CRL_free(crl);
	else
		*out = crl;
	return rc;
}

/* Copy the contents of @bio into a new buffer. */
static int bio_take(BIO *bio, bool secret, uint8_t **data, size_t *len,
		    struct pv_err **err)
{
	char *p = NULL;
	long n = BIO_get_mem_data(bio, &p);

	if (n <= 0 || !p)
		return pv_err_ssl(err, "cannot encode PEM");
	*data = malloc((size_t)n);
	if (!*data)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	memcpy(*data, p, (size_t)n);
	*len = (size_t)n;
	if (secret)
		pv_cleanse(p, (size_t)n);
	return 0;
}

int tp_pem_cert(X509 *x, uint8_t **data, size_t *len, struct pv_err **err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int rc;

	if (!bio || !PEM_write_bio_X509(bio, x))
		rc = pv_err_ssl(err, "cannot encode certificate");
	else
		rc = bio_take(bio, false, data, len, err);
	BIO_free(bio);
	return rc;
}

int tp_pem_crl(X509_CRL *crl, uint8_t **data, size_t *len,
	       struct pv_err **err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int rc;

	if (!bio || !PEM_write_bio_X509_CRL(bio, crl))
		rc = pv_err_ssl(err, "cannot encode CRL");
	else
		rc = bio_take(bio, false, data, len, err);
	BIO_free(bio);
	return rc;
}

int tp_pem_key(EVP_PKEY *key, uint8_t **data, size_t *len,
	       struct pv_err **err)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	int rc;

	if (!bio || !PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL,
					      NULL))
		rc = pv_err_ssl(err, "cannot encode private key");
	else
		rc = bio_take(bio, true, data, len, err);
	BIO_free(bio);
	return rc;
}
