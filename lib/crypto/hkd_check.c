// SPDX-License-Identifier: MIT
/*
 * Checks of one host-key document against the verified IBM Z signing key
 * (se-image-format.md §7 steps 6 and 7).  The signing key is not a CA, so
 * OpenSSL's chain verification cannot be used here; each rule is explicit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pvboot/hkd.h"
#include "hkd_internal.h"
#include "hkd_verifier.h"

#define WHAT "host-key document"

static const char *time_text(const ASN1_TIME *t, char *buf, size_t size)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int n = 0;

	buf[0] = '\0';
	if (bio && t && ASN1_TIME_print_ex(bio, t, ASN1_DTFLGS_ISO8601))
		n = BIO_read(bio, buf, (int)size - 1);
	buf[n > 0 ? n : 0] = '\0';
	BIO_free(bio);
	ERR_clear_error();
	return buf[0] ? buf : "(unreadable time)";
}

static const char *serial_text(const ASN1_INTEGER *s, char *buf, size_t size)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(s, NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	snprintf(buf, size, "%s", hex ? hex : "(unreadable)");
	OPENSSL_free(hex);
	BN_free(bn);
	ERR_clear_error();
	return buf;
}

/* notBefore <= now < notAfter, as X509_cmp_time() counts. */
static int check_validity(X509 *x, time_t now, const char *name,
			  struct pv_err **err)
{
	const ASN1_TIME *nb = X509_get0_notBefore(x);
	const ASN1_TIME *na = X509_get0_notAfter(x);
	char t[64];
	int c;

	c = X509_cmp_time(nb, &now);
	if (c == 0)
		return pv_err_set(err, PV_ERR_CERT,
				  WHAT " '%s' has a malformed notBefore time",
				  name);
	if (c > 0)
		return pv_err_set(err, PV_ERR_CERT,
				  WHAT " '%s' is not yet valid: valid from %s",
				  name, time_text(nb, t, sizeof(t)));
	c = X509_cmp_time(na, &now);
	if (c == 0)
		return pv_err_set(err, PV_ERR_CERT,
				  WHAT " '%s' has a malformed notAfter time",
				  name);
	if (c < 0)
		return pv_err_set(err, PV_ERR_CERT,
				  WHAT " '%s' has expired: valid until %s",
				  name, time_text(na, t, sizeof(t)));
	return 0;
}

/* When the document names its issuer key (AKID), it must be @issuer's. */
static bool akid_matches(const AUTHORITY_KEYID *akid, int crit, X509 *issuer)
{
	if (crit == -1)		/* no such extension */
		return true;
	return akid && X509_check_akid(issuer, akid) == X509_V_OK;
}

static int check_issuer(const struct pv_hkd_verifier *v, X509 *x,
			const char *name, struct pv_err **err)
{
	EVP_PKEY *signpub = X509_get0_pubkey(v->signkey);
	AUTHORITY_KEYID *akid;
	char sk[NAME_TEXT];
	int crit = -1, pknid = NID_undef;
	bool ok;

	hkd_name_text(X509_get_subject_name(v->signkey), sk, sizeof(sk));
	akid = X509_get_ext_d2i(x, NID_authority_key_identifier, &crit, NULL);
	ok = akid_matches(akid, crit, v->signkey);
	AUTHORITY_KEYID_free(akid);
	ERR_clear_error();
	if (!ok)
		return pv_err_set(
			err, PV_ERR_CERT,
			WHAT
			" '%s' was not issued by the IBM Z signing key '%s' (wrong issuer): its authority key identifier names another key",
			name, v->signkey_file);
	/* The C tool also insists that the signature algorithm fits the key. */
	if (!signpub || !OBJ_find_sigid_algs(X509_get_signature_nid(x), NULL,
					     &pknid) ||
	    !EVP_PKEY_is_a(signpub, OBJ_nid2sn(pknid)))
		return pv_err_set(
			err, PV_ERR_CERT,
			WHAT
			" '%s' is signed with %s, which does not fit the key of the IBM Z signing key '%s' (wrong issuer)",
			name,
			OBJ_nid2ln(X509_get_signature_nid(x))
				? OBJ_nid2ln(X509_get_signature_nid(x))
				: "an unknown algorithm",
			v->signkey_file);
	if (X509_verify(x, signpub) != 1) {
		ERR_clear_error();
		return pv_err_set(
			err, PV_ERR_CERT,
			WHAT
			" '%s' is not signed by the IBM Z signing key '%s' (%s): wrong issuer",
			name, v->signkey_file, sk);
	}
	return 0;
}

/* Why @crl cannot be used for the signing key, or NULL when it can. */
static const char *crl_problem(X509_CRL *crl, X509 *signer, time_t now)
{
	const ASN1_TIME *last = X509_CRL_get0_lastUpdate(crl);
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	AUTHORITY_KEYID *akid;
	int crit = -1;
	bool ok;

	if (!last || !next)
		return "it has no nextUpdate time";
	if (X509_cmp_time(last, &now) != -1)
		return "it is not yet valid";
	if (X509_cmp_time(next, &now) != 1)
		return "it is outdated (nextUpdate has passed)";
	akid = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, &crit,
				    NULL);
	ok = akid_matches(akid, crit, signer);
	AUTHORITY_KEYID_free(akid);
	if (!ok)
		return "its authority key identifier names another key";
	if (X509_CRL_verify(crl, X509_get0_pubkey(signer)) != 1)
		return "its signature does not verify with the signing key";
	return NULL;
}

/*
 * CRLs issued under the signing key's subject, retrying with the quirks of
 * §7 step 6: L=Armonk -> Poughkeepsie, that plus re-ordering, re-ordering.
 */
static STACK_OF(X509_CRL) *find_crls(const struct pv_hkd_verifier *v)
{
	const X509_NAME *subj = X509_get_subject_name(v->signkey);
	X509_NAME *armonk = hkd_name_armonk_fixup(subj);
	X509_NAME *names[4] = { NULL };
	STACK_OF(X509_CRL) *found = NULL;
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int n = 0;

	names[n++] = X509_NAME_dup(subj);
	if (armonk) {
		names[n++] = armonk;
		names[n++] = hkd_name_reorder(armonk);
	}
	names[n++] = hkd_name_reorder(subj);
	if (ctx && X509_STORE_CTX_init(ctx, v->store, NULL, NULL)) {
		for (int i = 0; i < n && !found; i++) {
			if (!names[i])
				continue;
			found = X509_STORE_CTX_get1_crls(ctx, names[i]);
			if (found && !sk_X509_CRL_num(found)) {
				sk_X509_CRL_free(found);
				found = NULL;
			}
		}
	}
	X509_STORE_CTX_free(ctx);
	for (int i = 0; i < n; i++)
		X509_NAME_free(names[i]);
	ERR_clear_error();
	return found;
}

static int check_revocation(const struct pv_hkd_verifier *v, X509 *x,
			    time_t now, const char *name, struct pv_err **err)
{
	STACK_OF(X509_CRL) *crls = find_crls(v);
	const char *problem = NULL;
	char serial[160];
	int valid = 0, rc = 0;

	if (!crls)
		return pv_err_set(
			err, PV_ERR_CERT,
			"missing CRL: no CRL of the IBM Z signing key '%s' was given (--crl), so " WHAT
			" '%s' cannot be checked for revocation",
			v->signkey_file, name);
	for (int i = 0; i < sk_X509_CRL_num(crls) && !rc; i++) {
		X509_CRL *crl = sk_X509_CRL_value(crls, i);
		X509_REVOKED *rev = NULL;
		const char *p = crl_problem(crl, v->signkey, now);

		if (p) {
			problem = p;
			continue;
		}
		valid++;
		if (X509_CRL_get0_by_serial(crl, &rev,
					    X509_get0_serialNumber(x)))
			rc = pv_err_set(
				err, PV_ERR_CERT,
				WHAT
				" '%s' is revoked: its serial number %s is listed in the CRL of the IBM Z signing key '%s'",
				name,
				serial_text(X509_get0_serialNumber(x), serial,
					    sizeof(serial)),
				v->signkey_file);
	}
	if (!rc && !valid)
		rc = pv_err_set(
			err, PV_ERR_CERT,
			"missing CRL: none of the %d CRL(s) of the IBM Z signing key '%s' is valid (%s), so " WHAT
			" '%s' cannot be checked for revocation",
			sk_X509_CRL_num(crls), v->signkey_file,
			problem ? problem : "unknown", name);
	/* CRLs inside --root-ca and --cert files only ever refuse */
	for (size_t i = 0; !rc && i < v->nside; i++) {
		X509_REVOKED *rev = NULL;

		if (v->side[i].for_signkey &&
		    !crl_problem(v->side[i].crl, v->signkey, now) &&
		    X509_CRL_get0_by_serial(v->side[i].crl, &rev,
					    X509_get0_serialNumber(x)))
			rc = pv_err_set(
				err, PV_ERR_CERT,
				WHAT
				" '%s' is revoked: its serial number %s is listed in a CRL of the IBM Z signing key inside '%s' (such a CRL never replaces a --crl file, but its revocations count, as pvimg reads them)",
				name,
				serial_text(X509_get0_serialNumber(x), serial,
					    sizeof(serial)),
				v->side[i].file);
	}
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	ERR_clear_error();
	return rc;
}

int pv_hkd_verifier_check(const struct pv_hkd_verifier *v, const uint8_t *buf,
			  size_t len, const char *name, struct pv_eckey **key,
			  struct pv_err **err)
{
	time_t now = v && v->now ? v->now : time(NULL);
	EVP_PKEY *pk;
	X509 *x;
	int rc, bits;

	if (key)
		*key = NULL;
	if (!v || !name)
		return pv_err_set(err, PV_ERR_INVAL,
				  "host-key check without a verifier");
	rc = hkd_parse_first(buf, len, WHAT, name, &x, err);
	if (rc)
		return rc;
	pk = X509_get0_pubkey(x);
	bits = pk ? EVP_PKEY_get_security_bits(pk) : 0;
	if (!pk)
		rc = pv_err_set(err, PV_ERR_KEY,
				WHAT " '%s' has no readable public key", name);
	else if (bits < PV_HKD_MIN_SECURITY_BITS)
		rc = pv_err_set(
			err, PV_ERR_KEY,
			WHAT
			" '%s' has a key of only %d security bits (type %s), need at least %d",
			name, bits,
			EVP_PKEY_get0_type_name(pk)
				? EVP_PKEY_get0_type_name(pk)
				: "unknown",
			PV_HKD_MIN_SECURITY_BITS);
	if (!rc)
		rc = check_validity(x, now, name, err);
	if (!rc)
		rc = check_issuer(v, x, name, err);
	if (!rc)
		rc = check_revocation(v, x, now, name, err);
	if (!rc)
		rc = hkd_check_p521(pk, WHAT, name, key, err);
	X509_free(x);
	ERR_clear_error();
	return rc;
}
