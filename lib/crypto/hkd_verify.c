// SPDX-License-Identifier: MIT
/*
 * Host-key document verification, offline (se-image-format.md §7):
 * trust store, CRLs, the one IBM Z signing key and its chain (steps 1-5),
 * then each host-key document against that key (steps 6-7).  pvboot has
 * no network code: CRLs come only from --crl files (which file may give
 * what is in hkd_inputs.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pvboot/hkd.h"
#include "hkd_internal.h"
#include "hkd_verifier.h"

/* §7 step 5: depth 2, security level 2, root + at least one more. */
#define CHAIN_DEPTH 2
#define CHAIN_AUTH_LEVEL 2
#define CHAIN_MIN_LEN 2
#define PATH_HINT 4400	/* room for a hint naming a file */

void pv_hkd_verifier_free(struct pv_hkd_verifier *v)
{
	if (!v)
		return;
	X509_STORE_free(v->store);
	X509_free(v->signkey);
	free(v->signkey_file);
	for (size_t i = 0; i < v->nside; i++) {
		X509_CRL_free(v->side[i].crl);
		free(v->side[i].file);
	}
	free(v->side);
	free(v);
}

static int add_crls_to_store(X509_STORE *store, STACK_OF(X509_CRL) *crls,
			     struct pv_err **err)
{
	for (int i = 0; i < sk_X509_CRL_num(crls); i++)
		if (!X509_STORE_add_crl(store, sk_X509_CRL_value(crls, i)))
			return pv_err_ssl(
				err, "cannot add a CRL to the trust store");
	return 0;
}

/* §7 step 2: every --crl file must hold at least one CRL. */
static int load_crl_file(const char *path, STACK_OF(X509_CRL) *crls,
			 struct pv_err **err)
{
	uint8_t *buf;
	size_t len;
	int rc;

	rc = hkd_read_file(path, "CRL file", &buf, &len, err);
	if (rc)
		return rc;
	rc = hkd_parse_crls(buf, len, path, crls, err);
	free(buf);
	return rc;
}

/* Why a verification failure may come from a file rule (or ""). */
static const char *chain_hint(const struct pv_hkd_verifier *v,
			      const struct hkd_chain_in *in, int code,
			      X509 *cur, char *buf, size_t size)
{
	const char *side = NULL;

	buf[0] = '\0';
	if (code == X509_V_ERR_UNABLE_TO_GET_CRL && cur)
		side = hkd_side_file(v, X509_get_issuer_name(cur));
	if (side)
		snprintf(buf, size,
			 "; the CRL inside '%s' does not count: CRLs are read only from --crl files (as IBM genprotimg does)",
			 side);
	else if (code != X509_V_ERR_UNABLE_TO_GET_CRL && in->multi_file)
		snprintf(buf, size,
			 "; only the first certificate of each --cert file is read (as IBM genprotimg does), and '%s' holds %d",
			 in->multi_file, in->multi_count);
	return buf;
}

static int chain_error(const struct pv_hkd_verifier *v,
		       const struct hkd_chain_in *in, X509_STORE_CTX *ctx,
		       struct pv_err **err)
{
	const char *file = v->signkey_file;
	char hint[PATH_HINT];
	int code = X509_STORE_CTX_get_error(ctx);
	int depth = X509_STORE_CTX_get_error_depth(ctx);
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
	const char *reason = X509_verify_cert_error_string(code);
	char subj[NAME_TEXT] = "?", iss[NAME_TEXT] = "?";

	chain_hint(v, in, code, cur, hint, sizeof(hint));
	if (cur) {
		hkd_name_text(X509_get_subject_name(cur), subj, sizeof(subj));
		hkd_name_text(X509_get_issuer_name(cur), iss, sizeof(iss));
	}
	switch (code) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_CERT_UNTRUSTED:
		return pv_err_set(
			err, PV_ERR_CERT,
			"IBM Z signing key '%s' does not chain to a trusted root CA (missing intermediate CA or untrusted root): %s for '%s' (OpenSSL verify error %d at depth %d); give the intermediate CA with --cert and the root CA with --root-ca%s",
			file, reason, subj, code, depth, hint);
	case X509_V_ERR_UNABLE_TO_GET_CRL:
		return pv_err_set(
			err, PV_ERR_CERT,
			"missing CRL: no CRL of '%s' for certificate '%s' in the chain of IBM Z signing key '%s' (OpenSSL verify error %d at depth %d); give it with --crl%s",
			iss, subj, file, code, depth, hint);
	case X509_V_ERR_CERT_REVOKED:
		if (depth == 0)
			return pv_err_set(
				err, PV_ERR_CERT,
				"IBM Z signing key '%s' is revoked by its issuer '%s' (OpenSSL verify error %d)",
				file, iss, code);
		return pv_err_set(
			err, PV_ERR_CERT,
			"certificate '%s' in the chain of IBM Z signing key '%s' is revoked (OpenSSL verify error %d at depth %d)",
			subj, file, code, depth);
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return pv_err_set(
			err, PV_ERR_CERT,
			"certificate '%s' in the chain of IBM Z signing key '%s' %s (OpenSSL verify error %d at depth %d)",
			subj, file,
			code == X509_V_ERR_CERT_HAS_EXPIRED
				? "has expired"
				: "is not yet valid",
			code, depth);
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
		return pv_err_set(
			err, PV_ERR_CERT,
			"the CRL of '%s' %s, so IBM Z signing key '%s' cannot be checked (OpenSSL verify error %d at depth %d)",
			iss,
			code == X509_V_ERR_CRL_HAS_EXPIRED ? "has expired"
							   : "is not yet valid",
			file, code, depth);
	default:
		return pv_err_set(
			err, PV_ERR_CERT,
			"IBM Z signing key '%s' is not trusted: %s for '%s' (OpenSSL verify error %d at depth %d)%s",
			file, reason, subj, code, depth, hint);
	}
}

/*
 * §7 step 5: OpenSSL chain verification of the signing key, then the
 * revocations of the side CRLs (hkd_inputs.c).
 */
static int verify_chain(struct pv_hkd_verifier *v,
			const struct hkd_chain_in *in, struct pv_err **err)
{
	STACK_OF(X509) *chain = in->chain;
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *param;
	int rc = 0, n;

	if (!ctx)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (!X509_STORE_CTX_init(ctx, v->store, v->signkey, chain)) {
		X509_STORE_CTX_free(ctx);
		return pv_err_ssl(err, "cannot set up chain verification");
	}
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK |
					   X509_V_FLAG_CRL_CHECK_ALL |
					   X509_V_FLAG_TRUSTED_FIRST |
					   X509_V_FLAG_CHECK_SS_SIGNATURE |
					   X509_V_FLAG_X509_STRICT |
					   X509_V_FLAG_POLICY_CHECK);
	X509_VERIFY_PARAM_set_depth(param, CHAIN_DEPTH);
	X509_VERIFY_PARAM_set_auth_level(param, CHAIN_AUTH_LEVEL);
	if (!X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY)) {
		X509_STORE_CTX_free(ctx);
		return pv_err_ssl(err, "cannot set the verification purpose");
	}
	if (v->now)
		X509_VERIFY_PARAM_set_time(param, v->now);
	if (X509_verify_cert(ctx) != 1) {
		rc = chain_error(v, in, ctx, err);
	} else {
		n = sk_X509_num(X509_STORE_CTX_get0_chain(ctx));
		if (n < CHAIN_MIN_LEN)
			rc = pv_err_set(
				err, PV_ERR_CERT,
				"IBM Z signing key '%s' verified with a chain of %d certificate(s); need a root CA and at least one more",
				v->signkey_file, n);
		else
			rc = hkd_side_check_chain(
				v, X509_STORE_CTX_get0_chain(ctx),
				v->now ? v->now : time(NULL), err);
	}
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	return rc;
}

int pv_hkd_verifier_new(const struct pv_hkd_opts *opts,
			struct pv_hkd_verifier **out, struct pv_err **err)
{
	struct hkd_chain_in in = { NULL, NULL, 0 };
	STACK_OF(X509_CRL) *crls = NULL;
	struct pv_hkd_verifier *v;
	int rc = 0;

	*out = NULL;
	if (!opts || (opts->ncerts && !opts->certs) ||
	    (opts->ncrls && !opts->crls))
		return pv_err_set(err, PV_ERR_INVAL,
				  "host-key verification without options");
	v = calloc(1, sizeof(*v));
	crls = sk_X509_CRL_new_null();
	in.chain = sk_X509_new_null();
	if (v)
		v->store = X509_STORE_new();
	if (!v || !v->store || !crls || !in.chain) {
		rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		goto out;
	}
	v->now = opts->now;
	if (opts->root_ca) {
		rc = hkd_load_root(v, opts->root_ca, err);
	} else if (!X509_STORE_set_default_paths(v->store)) {
		rc = pv_err_ssl(err, "cannot load the system trust store");
	}
	for (size_t i = 0; !rc && i < opts->ncrls; i++)
		rc = load_crl_file(opts->crls[i], crls, err);
	if (!rc)
		rc = hkd_load_certs(v, opts, &in, err);
	if (!rc)
		rc = add_crls_to_store(v->store, crls, err);
	if (!rc)
		rc = verify_chain(v, &in, err);
out:
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	sk_X509_pop_free(in.chain, X509_free);
	if (rc) {
		pv_hkd_verifier_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

int pv_hkd_verify(const char *const *hkd_paths, size_t nhkd,
		  const struct pv_hkd_opts *opts, struct pv_err **err)
{
	struct pv_hkd_verifier *v;
	int rc;

	if (!nhkd || !hkd_paths)
		return pv_err_set(err, PV_ERR_INVAL,
				  "no host-key document to verify");
	rc = pv_hkd_verifier_new(opts, &v, err);
	for (size_t i = 0; !rc && i < nhkd; i++) {
		uint8_t *buf;
		size_t len;

		rc = hkd_read_file(hkd_paths[i], "host-key document", &buf,
				   &len, err);
		if (rc)
			break;
		rc = pv_hkd_verifier_check(v, buf, len, hkd_paths[i], NULL,
					   err);
		free(buf);
	}
	if (v)
		pv_hkd_verifier_free(v);
	return rc;
}
