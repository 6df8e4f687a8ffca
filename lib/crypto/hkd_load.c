// SPDX-License-Identifier: MIT
/*
 * Reading host-key documents, certificate and CRL files: PEM (one or more
 * blocks) or DER, from a bounded buffer (se-image-format.md §7 steps 1-3,
 * 7).  Every parser takes (buffer, length) and never reads past it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pvboot/hkd.h"
#include "eckey_int.h"
#include "hkd_internal.h"

#define PEM_MARK "-----BEGIN "

int hkd_read_file(const char *path, const char *what, uint8_t **buf,
		  size_t *len, struct pv_err **err)
{
	struct stat st;
	uint8_t *data;
	size_t got = 0;
	int fd;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pv_err_set(err, PV_ERR_IO, "cannot open %s '%s': %s",
				  what, path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pv_err_set(err, PV_ERR_IO,
				  "%s '%s' is not a regular file", what, path);
	}
	if ((uint64_t)st.st_size > HKD_MAX_FILE) {
		close(fd);
		return pv_err_set(
			err, PV_ERR_RANGE,
			"%s '%s' has %lld bytes, more than the %u allowed",
			what, path, (long long)st.st_size, HKD_MAX_FILE);
	}
	/* One spare byte so that a file that grew meanwhile is noticed. */
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		close(fd);
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory reading %s '%s'", what, path);
	}
	while (got <= (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			free(data);
			return pv_err_set(err, PV_ERR_IO, "reading %s '%s': %s",
					  what, path, strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got > (size_t)st.st_size) {
		free(data);
		return pv_err_set(err, PV_ERR_IO,
				  "%s '%s' changed while reading", what, path);
	}
	*buf = data;
	*len = got;
	return 0;
}

static bool all_space(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace(buf[i]))
			return false;
	return true;
}

static bool looks_pem(const uint8_t *buf, size_t len)
{
	return memmem(buf, len, PEM_MARK, sizeof(PEM_MARK) - 1) != NULL;
}

static bool is_cert_block(const char *type, bool trusted_ok)
{
	return !strcmp(type, PEM_STRING_X509) ||
	       !strcmp(type, PEM_STRING_X509_OLD) ||
	       (trusted_ok && !strcmp(type, PEM_STRING_X509_TRUSTED));
}

/* Append @type to the list of block types seen (for messages). */
static void note_type(char *seen, size_t size, const char *type)
{
	size_t used = strlen(seen);

	if (strstr(seen, type) || used + strlen(type) + 3 >= size)
		return;
	snprintf(seen + used, size - used, "%s%s", used ? ", " : "", type);
}

/*
 * Walk the PEM blocks of @buf: certificates go to @certs (when non-NULL),
 * CRLs to @crls (when non-NULL), everything else is only noted in @seen.
 */
static int pem_walk(const uint8_t *buf, size_t len, const char *what,
		    const char *name, bool trusted_ok, STACK_OF(X509) *certs,
		    STACK_OF(X509_CRL) *crls, char *seen, size_t seen_size,
		    struct pv_err **err)
{
	BIO *bio;
	int rc = 0;

	if (len > INT_MAX)
		return pv_err_set(err, PV_ERR_RANGE, "%s '%s' is too large",
				  what, name);
	bio = BIO_new_mem_buf(buf, (int)len);
	if (!bio)
		return pv_err_ssl(err, "cannot read %s '%s'", what, name);
	ERR_set_mark();
	for (;;) {
		char *type = NULL, *header = NULL;
		unsigned char *der = NULL;
		const unsigned char *p;
		long dlen = 0;
		unsigned long e;

		if (!PEM_read_bio(bio, &type, &header, &der, &dlen)) {
			e = ERR_peek_last_error();
			if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
			    ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
				break;	/* no further block */
			rc = pv_err_set(err, PV_ERR_FORMAT,
					"%s '%s' has a damaged PEM block (%s)",
					what, name, ERR_reason_error_string(e) ?
					ERR_reason_error_string(e) : "unknown");
			break;
		}
		note_type(seen, seen_size, type);
		p = der;
		if (is_cert_block(type, trusted_ok) && certs) {
			X509 *x = !strcmp(type, PEM_STRING_X509_TRUSTED) ?
					  d2i_X509_AUX(NULL, &p, dlen) :
					  d2i_X509(NULL, &p, dlen);

			if (!x || !sk_X509_push(certs, x)) {
				X509_free(x);
				rc = pv_err_set(
					err, PV_ERR_FORMAT,
					"%s '%s' has a PEM certificate that is not valid DER",
					what, name);
			}
		} else if (!strcmp(type, PEM_STRING_X509_CRL) && crls) {
			X509_CRL *c = d2i_X509_CRL(NULL, &p, dlen);

			if (!c || !sk_X509_CRL_push(crls, c)) {
				X509_CRL_free(c);
				rc = pv_err_set(
					err, PV_ERR_FORMAT,
					"%s '%s' has a PEM CRL that is not valid DER",
					what, name);
			}
		}
		OPENSSL_free(type);
		OPENSSL_free(header);
		OPENSSL_clear_free(der, (size_t)(dlen > 0 ? dlen : 0));
		if (rc)
			break;
	}
	ERR_pop_to_mark();
	BIO_free(bio);
	return rc;
}

int hkd_parse_certs(const uint8_t *buf, size_t len, const char *what,
		    const char *name, bool trusted_ok, STACK_OF(X509) **certs,
		    STACK_OF(X509_CRL) *crls, struct pv_err **err)
{
	STACK_OF(X509) *sk;
	char seen[128] = "";
	int rc;

	*certs = NULL;
	if (!buf || all_space(buf, len))
		return pv_err_set(err, PV_ERR_FORMAT, "%s '%s' is empty", what,
				  name);
	sk = sk_X509_new_null();
	if (!sk)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (looks_pem(buf, len)) {
		rc = pem_walk(buf, len, what, name, trusted_ok, sk, crls, seen,
			      sizeof(seen), err);
		if (!rc && !sk_X509_num(sk))
			rc = pv_err_set(
				err, PV_ERR_FORMAT,
				"%s '%s' holds no certificate (PEM blocks found: %s)%s",
				what, name, seen[0] ? seen : "none",
				!trusted_ok && strstr(seen, PEM_STRING_X509_TRUSTED)
					? "; a TRUSTED CERTIFICATE block counts only in a --root-ca file"
					: "");
	} else {
		const unsigned char *p = buf;
		X509 *x = NULL;

		ERR_set_mark();
		if (len <= LONG_MAX)
			x = d2i_X509(NULL, &p, (long)len);
		if (x && sk_X509_push(sk, x)) {
			rc = 0;
		} else if (x) {
			X509_free(x);
			rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		} else {
			X509_CRL *c;

			p = buf;
			c = len <= LONG_MAX ? d2i_X509_CRL(NULL, &p, (long)len)
					    : NULL;
			if (c)
				rc = pv_err_set(
					err, PV_ERR_FORMAT,
					"%s '%s' is a DER CRL, not a certificate",
					what, name);
			else
				rc = pv_err_set(
					err, PV_ERR_FORMAT,
					"%s '%s' is garbage: neither a PEM nor a DER certificate",
					what, name);
			X509_CRL_free(c);
		}
		ERR_pop_to_mark();
	}
	if (rc) {
		sk_X509_pop_free(sk, X509_free);
		return rc;
	}
	*certs = sk;
	return 0;
}

int hkd_parse_first(const uint8_t *buf, size_t len, const char *what,
		    const char *name, X509 **out, struct pv_err **err)
{
	STACK_OF(X509) *sk;
	int rc;

	*out = NULL;
	rc = hkd_parse_certs(buf, len, what, name, false, &sk, NULL, err);
	if (rc)
		return rc;
	*out = sk_X509_shift(sk);
	sk_X509_pop_free(sk, X509_free);
	return 0;
}

int hkd_parse_crls(const uint8_t *buf, size_t len, const char *name,
		   STACK_OF(X509_CRL) *crls, struct pv_err **err)
{
	const char *what = "CRL file";
	int before = sk_X509_CRL_num(crls);
	char seen[128] = "";
	int rc;

	if (!buf || all_space(buf, len))
		return pv_err_set(err, PV_ERR_FORMAT, "%s '%s' is empty", what,
				  name);
	if (looks_pem(buf, len)) {
		rc = pem_walk(buf, len, what, name, false, NULL, crls, seen,
			      sizeof(seen), err);
		if (!rc && sk_X509_CRL_num(crls) == before)
			rc = pv_err_set(
				err, PV_ERR_FORMAT,
				"%s '%s' holds no CRL (PEM blocks found: %s)",
				what, name, seen[0] ? seen : "none");
		return rc;
	}
	{
		const unsigned char *p = buf;
		X509_CRL *c = NULL;

		ERR_set_mark();
		if (len <= LONG_MAX)
			c = d2i_X509_CRL(NULL, &p, (long)len);
		ERR_pop_to_mark();
		if (!c)
			return pv_err_set(
				err, PV_ERR_FORMAT,
				"%s '%s' holds no CRL: neither a PEM nor a DER CRL",
				what, name);
		if (!sk_X509_CRL_push(crls, c)) {
			X509_CRL_free(c);
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		}
	}
	return 0;
}

int hkd_check_p521(EVP_PKEY *pkey, const char *what, const char *name,
		   struct pv_eckey **out, struct pv_err **err)
{
	char curve[80];
	size_t clen = 0;
	EVP_PKEY_CTX *ctx;
	int ok;

	if (out)
		*out = NULL;
	if (!pkey)
		return pv_err_set(err, PV_ERR_KEY,
				  "%s '%s' has no readable public key", what,
				  name);
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) {
		const char *type = EVP_PKEY_get0_type_name(pkey);

		return pv_err_set(
			err, PV_ERR_KEY,
			"%s '%s' has a key of type %s (%d bits), need EC P-521 (secp521r1)",
			what, name, type ? type : "unknown",
			EVP_PKEY_get_bits(pkey));
	}
	if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
					    curve, sizeof(curve), &clen)) {
		ERR_clear_error();
		return pv_err_set(
			err, PV_ERR_KEY,
			"%s '%s' has an EC key with explicit curve parameters, need the named curve P-521 (secp521r1)",
			what, name);
	}
	if (strcmp(curve, SN_secp521r1))
		return pv_err_set(
			err, PV_ERR_KEY,
			"%s '%s' has an EC key on curve %s, need P-521 (secp521r1)",
			what, name, curve);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!ctx)
		return pv_err_ssl(err, "cannot check the key of %s '%s'", what,
				  name);
	ok = pv_eckey_point_check(ctx);
	EVP_PKEY_CTX_free(ctx);
	if (ok != 1) {
		ERR_clear_error();
		return pv_err_set(
			err, PV_ERR_KEY,
			"%s '%s' has a P-521 public key that is not a valid curve point",
			what, name);
	}
	if (!out)
		return 0;
	ok = pv_eckey_from_evp(pkey, out, err);
	if (ok)
		return ok;	/* a negative pv_errcode */
	(*out)->checked = true;	/* ECDH need not check it again */
	return 0;
}

int pv_hkd_load_bytes(const uint8_t *buf, size_t len, const char *name,
		      struct pv_eckey **key, struct pv_err **err)
{
	const char *what = "host-key document";
	X509 *x;
	int rc;

	*key = NULL;
	rc = hkd_parse_first(buf, len, what, name, &x, err);
	if (rc)
		return rc;
	rc = hkd_check_p521(X509_get0_pubkey(x), what, name, key, err);
	X509_free(x);
	return rc;
}

int pv_hkd_load(const char *path, struct pv_eckey **key, struct pv_err **err)
{
	uint8_t *buf;
	size_t len;
	int rc;

	*key = NULL;
	rc = hkd_read_file(path, "host-key document", &buf, &len, err);
	if (rc)
		return rc;
	rc = pv_hkd_load_bytes(buf, len, path, key, err);
	free(buf);
	return rc;
}

int pv_crl_load_bytes(const uint8_t *buf, size_t len, const char *name,
		      size_t *count, struct pv_err **err)
{
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	int rc;

	*count = 0;
	if (!crls)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	rc = hkd_parse_crls(buf, len, name, crls, err);
	if (!rc)
		*count = (size_t)sk_X509_CRL_num(crls);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	return rc;
}
