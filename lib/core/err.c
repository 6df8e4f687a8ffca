// SPDX-License-Identifier: MIT
/* One error type for the whole library (see include/pvboot/err.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "pvboot/err.h"

/*
 * Every program that uses libpvboot reports errors through this file; the
 * reference below keeps lib/crypto/osslmem.c (zeroizing allocator for
 * OpenSSL) linked into static builds too.
 */
extern int pv_ossl_mem_installed;
__attribute__((used)) static int *const keep_osslmem = &pv_ossl_mem_installed;

static const char *const names[PV_ERR__MAX] = {
	[PV_OK] = "ok",
	[PV_ERR_NOMEM] = "nomem",
	[PV_ERR_IO] = "io",
	[PV_ERR_INVAL] = "inval",
	[PV_ERR_FORMAT] = "format",
	[PV_ERR_TRUNC] = "truncated",
	[PV_ERR_RANGE] = "range",
	[PV_ERR_CRYPTO] = "crypto",
	[PV_ERR_AUTH] = "auth",
	[PV_ERR_KEY] = "key",
	[PV_ERR_CERT] = "cert",
	[PV_ERR_NOKEYSLOT] = "nokeyslot",
	[PV_ERR_EXISTS] = "exists",
	[PV_ERR_UNSUPPORTED] = "unsupported",
	[PV_ERR_MISMATCH] = "mismatch",
	[PV_ERR_STATE] = "state",
	[PV_ERR_GUEST] = "guest",
	[PV_ERR_TIMEOUT] = "timeout",
	[PV_ERR_INTERNAL] = "internal",
};

const char *pv_err_name(int code)
{
	if (code < 0)
		code = -code;
	if (code >= PV_ERR__MAX || !names[code])
		return "unknown";
	return names[code];
}

int pv_err_vset(struct pv_err **err, int code, const char *fmt, va_list ap)
{
	struct pv_err *e;

	if (code < 0)
		code = -code;
	if (!err || *err)
		return -code;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -code;	/* nothing better to do; the code still travels */
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	*err = e;
	return -code;
}

int pv_err_set(struct pv_err **err, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pv_err_vset(err, code, fmt, ap);
	va_end(ap);
	return rc;
}

int pv_err_prefix(struct pv_err **err, const char *fmt, ...)
{
	char buf[sizeof((*err)->msg)];
	size_t n, rest;
	va_list ap;
	int w;

	if (!err || !*err)
		return -PV_ERR_INTERNAL;
	va_start(ap, fmt);
	w = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = w < 0 ? 0 : (size_t)w;
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	/* keep as much of the original message as still fits */
	rest = sizeof(buf) - 1 - n;
	memcpy(buf + n, (*err)->msg, rest);
	buf[sizeof(buf) - 1] = '\0';
	memcpy((*err)->msg, buf, sizeof(buf));
	return -(*err)->code;
}

int pv_err_ssl(struct pv_err **err, const char *fmt, ...)
{
	char text[384], ssl[256] = "";
	unsigned long e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	e = ERR_peek_last_error();
	if (e)
		ERR_error_string_n(e, ssl, sizeof(ssl));
	ERR_clear_error();
	if (ssl[0])
		return pv_err_set(err, PV_ERR_CRYPTO, "%s (%s)", text, ssl);
	return pv_err_set(err, PV_ERR_CRYPTO, "%s", text);
}

void pv_err_free(struct pv_err *err)
{
	free(err);
}
