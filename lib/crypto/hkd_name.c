// SPDX-License-Identifier: MIT
/*
 * Subject-name rules for IBM Z signing keys and their CRLs
 * (se-image-format.md §7 steps 3 and 6).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "hkd_internal.h"

#define IBM_NAME "International Business Machines Corporation"
#define SIGNING_OU_SUFFIX "Key Signing Service"
#define SIGNING_NAME_ENTRIES 6	/* §7 step 3: exactly six entries */

static const ASN1_STRING *first_value(const X509_NAME *name, int nid)
{
	int idx = X509_NAME_get_index_by_NID(name, nid, -1);

	if (idx < 0)
		return NULL;
	return X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
}

static bool value_is(const X509_NAME *name, int nid, const char *want)
{
	const ASN1_STRING *s = first_value(name, nid);
	size_t n = strlen(want);

	return s && (size_t)ASN1_STRING_length(s) == n &&
	       !memcmp(ASN1_STRING_get0_data(s), want, n);
}

static bool ou_is_signing(const X509_NAME *name)
{
	const ASN1_STRING *s = first_value(name, NID_organizationalUnitName);
	size_t suffix = sizeof(SIGNING_OU_SUFFIX) - 1;
	unsigned char *utf8 = NULL;
	bool ok;
	int n;

	if (!s)
		return false;
	n = ASN1_STRING_to_UTF8(&utf8, s);
	if (n < 0) {
		ERR_clear_error();
		return false;
	}
	ok = (size_t)n >= suffix &&
	     !memcmp(utf8 + n - suffix, SIGNING_OU_SUFFIX, suffix);
	OPENSSL_free(utf8);
	return ok;
}

bool hkd_is_signing_name(const X509_NAME *name)
{
	if (!name || X509_NAME_entry_count(name) != SIGNING_NAME_ENTRIES)
		return false;
	return value_is(name, NID_countryName, "US") &&
	       value_is(name, NID_stateOrProvinceName, "New York") &&
	       (value_is(name, NID_localityName, "Poughkeepsie") ||
		value_is(name, NID_localityName, "Armonk")) &&
	       value_is(name, NID_organizationName, IBM_NAME) &&
	       value_is(name, NID_commonName, IBM_NAME) &&
	       ou_is_signing(name);
}

X509_NAME *hkd_name_armonk_fixup(const X509_NAME *name)
{
	static const char pok[] = "Poughkeepsie";
	X509_NAME *out;

	if (!value_is(name, NID_localityName, "Armonk"))
		return NULL;
	out = X509_NAME_new();
	if (!out)
		return NULL;
	for (int i = 0; i < X509_NAME_entry_count(name); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
		const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
		int ok;

		if (OBJ_obj2nid(obj) == NID_localityName)
			ok = X509_NAME_add_entry_by_NID(
				out, NID_localityName, ASN1_STRING_type(v),
				(const unsigned char *)pok, sizeof(pok) - 1,
				-1, 0);
		else
			ok = X509_NAME_add_entry(out, e, -1, 0);
		if (!ok) {
			X509_NAME_free(out);
			return NULL;
		}
	}
	return out;
}

X509_NAME *hkd_name_reorder(const X509_NAME *name)
{
	static const int order[] = {
		NID_countryName, NID_organizationName,
		NID_organizationalUnitName, NID_localityName,
		NID_stateOrProvinceName, NID_commonName,
	};
	X509_NAME *out = X509_NAME_new();

	if (!out)
		return NULL;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int idx = X509_NAME_get_index_by_NID(name, order[i], -1);

		if (idx < 0)
			continue;
		if (!X509_NAME_add_entry(out, X509_NAME_get_entry(name, idx),
					 -1, 0)) {
			X509_NAME_free(out);
			return NULL;
		}
	}
	return out;
}

const char *hkd_name_text(const X509_NAME *name, char *buf, size_t size)
{
	unsigned long flags = XN_FLAG_ONELINE & ~XN_FLAG_SPC_EQ;
	BIO *bio;
	int n;

	if (!size)
		return buf;
	buf[0] = '\0';
	bio = BIO_new(BIO_s_mem());
	if (!bio || X509_NAME_print_ex(bio, name, 0, flags) < 0) {
		BIO_free(bio);
		ERR_clear_error();
		snprintf(buf, size, "(unprintable name)");
		return buf;
	}
	n = BIO_read(bio, buf, (int)(size - 1 > 4095 ? 4095 : size - 1));
	buf[n > 0 ? n : 0] = '\0';
	BIO_free(bio);
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '?';
	return buf;
}
