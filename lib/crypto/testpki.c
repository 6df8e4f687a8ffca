// SPDX-License-Identifier: MIT
/*
 * The test PKI: root CA -> intermediate CA -> IBM Z signing key -> host-key
 * documents, CRLs from every issuer, and optional bad variants that each
 * break one rule of se-image-format.md §7 (the kinds of §9.6).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/hkd.h"
#include "testpki_internal.h"

#define IBM "International Business Machines Corporation"
#define MAX_DAYS 36500u
#define FILE_NAME 32

struct pv_testpki {
	struct pv_testpki_file *files;
	size_t n, cap;
};

static const char *const root_pairs[][2] = {
	{ "C", "US" }, { "O", "pvboot test PKI" },
	{ "CN", "pvboot Test Root CA (trusted by nobody)" }, { NULL, NULL },
};
static const char *const inter_pairs[][2] = {
	{ "C", "US" }, { "O", "pvboot test PKI" },
	{ "CN", "pvboot Test Intermediate CA" }, { NULL, NULL },
};
/* §7 step 3: the six entries of an IBM Z signing key (order of §9.1). */
const char *const tp_sign_pairs[][2] = {
	{ "C", "US" }, { "O", IBM }, { "CN", IBM }, { "ST", "New York" },
	{ "L", "Poughkeepsie" }, { "OU", "IBM Z Host Key Signing Service" },
	{ NULL, NULL },
};
/* §9.1: subject of IBM's fake host-key document. */
static const char *const host_pairs[][2] = {
	{ "C", "US" }, { "O", IBM }, { "CN", IBM }, { "ST", "New York" },
	{ "L", "Armonk" }, { "OU", "IBM Z Host Key" }, { NULL, NULL },
};

size_t pv_testpki_count(const struct pv_testpki *pki)
{
	return pki ? pki->n : 0;
}

const struct pv_testpki_file *pv_testpki_file(const struct pv_testpki *pki,
					      size_t i)
{
	return pki && i < pki->n ? &pki->files[i] : NULL;
}

const struct pv_testpki_file *pv_testpki_find(const struct pv_testpki *pki,
					      const char *name)
{
	for (size_t i = 0; pki && name && i < pki->n; i++)
		if (!strcmp(pki->files[i].name, name))
			return &pki->files[i];
	return NULL;
}

void pv_testpki_free(struct pv_testpki *pki)
{
	if (!pki)
		return;
	for (size_t i = 0; i < pki->n; i++) {
		struct pv_testpki_file *f = &pki->files[i];

		if (f->secret)
			pv_cleanse(f->data, f->len);
		free(f->data);
		free((char *)f->name);
		free((char *)f->what);
	}
	free(pki->files);
	free(pki);
}

/* Add a file; takes ownership of @data (also on failure). */
static int add_data(struct pv_testpki *pki, const char *name, const char *what,
		    uint8_t *data, size_t len, bool secret, struct pv_err **err)
{
	struct pv_testpki_file *f;

	if (pki->n == pki->cap) {
		size_t cap = pki->cap ? pki->cap * 2 : 16;
		void *p = realloc(pki->files, cap * sizeof(*pki->files));

		if (!p)
			goto nomem;
		pki->files = p;
		pki->cap = cap;
	}
	f = &pki->files[pki->n];
	f->name = strdup(name);
	f->what = strdup(what);
	if (!f->name || !f->what) {
		free((char *)f->name);
		free((char *)f->what);
		goto nomem;
	}
	f->data = data;
	f->len = len;
	f->secret = secret;
	pki->n++;
	return 0;
nomem:
	if (secret)
		pv_cleanse(data, len);
	free(data);
	return pv_err_set(err, PV_ERR_NOMEM, "out of memory for test PKI");
}

int tp_add_cert(struct tp_build *b, const char *name, const char *what, X509 *x,
		struct pv_err **err)
{
	uint8_t *d;
	size_t n;
	int rc = tp_pem_cert(x, &d, &n, err);

	return rc ? rc : add_data(b->pki, name, what, d, n, false, err);
}

int tp_add_key(struct tp_build *b, const char *name, const char *what,
	       EVP_PKEY *k, struct pv_err **err)
{
	uint8_t *d;
	size_t n;
	int rc = tp_pem_key(k, &d, &n, err);

	return rc ? rc : add_data(b->pki, name, what, d, n, true, err);
}

int tp_add_crl(struct tp_build *b, const char *name, const char *what,
	       const struct tp_crl_spec *s, struct pv_err **err)
{
	X509_CRL *crl;
	uint8_t *d;
	size_t n;
	int rc = tp_crl(&b->c, s, &crl, err);

	if (rc)
		return rc;
	rc = tp_pem_crl(crl, &d, &n, err);
	X509_CRL_free(crl);
	return rc ? rc : add_data(b->pki, name, what, d, n, false, err);
}

int tp_add_raw(struct tp_build *b, const char *name, const char *what,
	       const void *src, size_t len, struct pv_err **err)
{
	uint8_t *d = malloc(len ? len : 1);

	if (!d)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	memcpy(d, src, len);
	return add_data(b->pki, name, what, d, len, false, err);
}

/* Issue a certificate of @kind valid [nb, na). */
int tp_issue(struct tp_build *b, enum tp_kind kind, const char *label,
	     const X509_NAME *subject, EVP_PKEY *key, X509 *issuer,
	     EVP_PKEY *issuer_key, time_t nb, time_t na, X509 **out,
	     struct pv_err **err)
{
	struct tp_cert_spec s = {
		.kind = kind, .label = label, .subject = subject, .key = key,
		.issuer = issuer, .issuer_key = issuer_key,
		.not_before = nb, .not_after = na,
	};

	return tp_cert(&b->c, &s, out, err);
}

static int names_new(struct tp_build *b, struct pv_err **err)
{
	b->root_name = tp_name(root_pairs);
	b->inter_name = tp_name(inter_pairs);
	b->sign_name = tp_name(tp_sign_pairs);
	b->host_name = tp_name(host_pairs);
	if (!b->root_name || !b->inter_name || !b->sign_name || !b->host_name)
		return pv_err_ssl(err, "cannot build certificate names");
	return 0;
}

static int build_chain(struct tp_build *b, struct pv_err **err)
{
	struct tp_ctx *c = &b->c;
	int rc;

	rc = tp_key(c, "testpki/key/root-ca", SN_secp521r1, &b->root_key, err);
	if (!rc)
		rc = tp_key(c, "testpki/key/inter-ca", SN_secp521r1,
			    &b->inter_key, err);
	if (!rc)
		rc = tp_key(c, "testpki/key/ibm-signing", SN_secp521r1,
			    &b->sign_key, err);
	if (!rc)
		rc = tp_issue(b, TP_ROOT, "testpki/serial/root-ca",
			      b->root_name, b->root_key, NULL, b->root_key,
			      c->base, c->end, &b->root, err);
	if (!rc)
		rc = tp_issue(b, TP_CA, "testpki/serial/inter-ca",
			      b->inter_name, b->inter_key, b->root, b->root_key,
			      c->base, c->end, &b->inter, err);
	if (!rc)
		rc = tp_issue(b, TP_SIGNING, "testpki/serial/ibm-signing",
			      b->sign_name, b->sign_key, b->inter, b->inter_key,
			      c->base, c->end, &b->sign, err);
	if (!rc)
		rc = tp_add_cert(b, "root-ca.crt",
				 "test root CA, the trust anchor (--root-ca)",
				 b->root, err);
	if (!rc)
		rc = tp_add_cert(b, "inter-ca.crt", "intermediate CA (--cert)",
				 b->inter, err);
	if (!rc)
		rc = tp_add_cert(
			b, "ibm-signing.crt",
			"IBM Z Host Key Signing Service key, test edition (--cert)",
			b->sign, err);
	return rc;
}

static int build_host(struct tp_build *b, unsigned int i, struct pv_err **err)
{
	char label[64], name[FILE_NAME], stem[16];
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	int rc;

	if (i == 1)
		snprintf(stem, sizeof(stem), "host");
	else
		snprintf(stem, sizeof(stem), "host%u", i);
	snprintf(label, sizeof(label), "testpki/key/%s", stem);
	rc = tp_key(&b->c, label, SN_secp521r1, &key, err);
	snprintf(label, sizeof(label), "testpki/serial/%s", stem);
	if (!rc)
		rc = tp_issue(b, TP_HOST, label, b->host_name, key, b->sign,
			      b->sign_key, b->c.base, b->c.end, &x, err);
	snprintf(name, sizeof(name), "%s.key", stem);
	if (!rc)
		rc = tp_add_key(
			b, name,
			"host private key: a real IBM Z keeps it in its firmware (pvboot run --host-key)",
			key, err);
	snprintf(name, sizeof(name), "%s.crt", stem);
	if (!rc)
		rc = tp_add_cert(b, name,
				 "host-key document (pvboot create -k)", x,
				 err);
	if (!rc && i == 1) {
		b->host_key = key;
		key = NULL;
	}
	EVP_PKEY_free(key);
	X509_free(x);
	return rc;
}

/* The two variants that the CRLs list; built before the CRLs. */
static int build_revoked(struct tp_build *b, struct pv_err **err)
{
	struct tp_ctx *c = &b->c;
	int rc;

	rc = tp_key(c, "testpki/key/host-revoked", SN_secp521r1,
		    &b->host_revoked_key, err);
	if (!rc)
		rc = tp_issue(b, TP_HOST, "testpki/serial/host-revoked",
			      b->host_name, b->host_revoked_key, b->sign,
			      b->sign_key, c->base, c->end, &b->host_revoked,
			      err);
	if (!rc)
		rc = tp_issue(b, TP_SIGNING,
			      "testpki/serial/ibm-signing-revoked",
			      b->sign_name, b->sign_key, b->inter, b->inter_key,
			      c->base, c->end, &b->sign_revoked, err);
	return rc;
}

static int build_crls(struct tp_build *b, struct pv_err **err)
{
	struct tp_ctx *c = &b->c;
	struct tp_crl_spec s = { .last = c->base, .next = c->end, .number = 1 };
	int rc;

	s.issuer = b->root;
	s.issuer_key = b->root_key;
	rc = tp_add_crl(
		b, "root-ca.crl",
		"CRL of the root CA, covers the intermediate CA (--crl)", &s,
		err);
	s.issuer = b->inter;
	s.issuer_key = b->inter_key;
	s.revoked = &b->sign_revoked;
	s.nrevoked = b->sign_revoked ? 1 : 0;
	if (!rc)
		rc = tp_add_crl(
			b, "inter-ca.crl",
			"CRL of the intermediate CA, covers the signing key (--crl)",
			&s, err);
	s.issuer = b->sign;
	s.issuer_key = b->sign_key;
	s.revoked = &b->host_revoked;
	s.nrevoked = b->host_revoked ? 1 : 0;
	if (!rc)
		rc = tp_add_crl(
			b, "ibm-signing.crl",
			"CRL of the signing key, covers the host-key documents (--crl)",
			&s, err);
	return rc;
}

int pv_testpki_generate(const struct pv_testpki_opts *opts,
			struct pv_testpki **out, struct pv_err **err)
{
	struct tp_build b = { 0 };
	unsigned int days;
	int rc;

	*out = NULL;
	if (!opts || !opts->hosts || opts->hosts > PV_TESTPKI_MAX_HOSTS)
		return pv_err_set(err, PV_ERR_INVAL,
				  "test PKI needs 1 to %u hosts, not %u",
				  PV_TESTPKI_MAX_HOSTS, opts ? opts->hosts : 0);
	days = opts->days ? opts->days : PV_TESTPKI_DEFAULT_DAYS;
	if (days > MAX_DAYS)
		return pv_err_set(
			err, PV_ERR_INVAL,
			"test PKI validity of %u days is more than %u", days,
			MAX_DAYS);
	rc = tp_ctx_init(&b.c, opts->seed, opts->seed_len, err);
	if (rc)
		return rc;
	b.c.base = opts->base ? opts->base :
		   opts->seed ? PV_TESTPKI_SEED_BASE : time(NULL) - 3600;
	b.c.end = b.c.base + (time_t)days * TP_DAY;
	b.pki = calloc(1, sizeof(*b.pki));
	if (!b.pki)
		rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = names_new(&b, err);
	if (!rc)
		rc = build_chain(&b, err);
	for (unsigned int i = 1; !rc && i <= opts->hosts; i++)
		rc = build_host(&b, i, err);
	if (!rc && opts->variants)
		rc = build_revoked(&b, err);
	if (!rc)
		rc = build_crls(&b, err);
	if (!rc && opts->variants)
		rc = tp_build_variants(&b, err);
	X509_NAME_free(b.root_name);
	X509_NAME_free(b.inter_name);
	X509_NAME_free(b.sign_name);
	X509_NAME_free(b.host_name);
	EVP_PKEY_free(b.root_key);
	EVP_PKEY_free(b.inter_key);
	EVP_PKEY_free(b.sign_key);
	EVP_PKEY_free(b.host_key);
	EVP_PKEY_free(b.host_revoked_key);
	X509_free(b.root);
	X509_free(b.inter);
	X509_free(b.sign);
	X509_free(b.sign_revoked);
	X509_free(b.host_revoked);
	tp_ctx_fini(&b.c);
	if (rc) {
		pv_testpki_free(b.pki);
		return rc;
	}
	*out = b.pki;
	return 0;
}
