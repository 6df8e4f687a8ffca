/* SPDX-License-Identifier: MIT */
/*
 * pvboot error type: one error object with a stable code and a message.
 *
 * Library functions return 0 (or a pointer) on success and a negative
 * pv_errcode on failure; when the caller passes a non-NULL `struct pv_err **`
 * as last argument the first error is stored there.  The library never prints
 * and never exits: the front-end prints the message once.
 */
#ifndef PVBOOT_ERR_H
#define PVBOOT_ERR_H

#include <stdarg.h>

/* Stable error codes.  Never renumber: tests and scripts rely on them. */
enum pv_errcode {
	PV_OK = 0,
	PV_ERR_NOMEM = 1,	/* allocation failed */
	PV_ERR_IO = 2,		/* read/write/open failure (errno text in msg) */
	PV_ERR_INVAL = 3,	/* invalid argument / option value */
	PV_ERR_FORMAT = 4,	/* malformed on-disk or in-memory structure */
	PV_ERR_TRUNC = 5,	/* input shorter than the structure needs */
	PV_ERR_RANGE = 6,	/* value or offset out of range */
	PV_ERR_CRYPTO = 7,	/* OpenSSL failure */
	PV_ERR_AUTH = 8,	/* authentication (GCM tag) failed */
	PV_ERR_KEY = 9,		/* wrong key type, curve or size */
	PV_ERR_CERT = 10,	/* certificate / CRL verification failed */
	PV_ERR_NOKEYSLOT = 11,	/* no key slot for the given host key */
	PV_ERR_EXISTS = 12,	/* output exists (and --overwrite not given) */
	PV_ERR_UNSUPPORTED = 13, /* valid but unsupported input */
	PV_ERR_MISMATCH = 14,	/* verification found a difference */
	PV_ERR_STATE = 15,	/* call not allowed in the current state */
	PV_ERR_GUEST = 16,	/* guest ended in a failure state */
	PV_ERR_TIMEOUT = 17,	/* run timed out */
	PV_ERR_INTERNAL = 18,	/* programmer error reached at run time */
	PV_ERR__MAX
};

struct pv_err {
	int code;		/* enum pv_errcode */
	char msg[768];
};

/*
 * pv_err_set() - record an error and return -code.
 * If @err is NULL nothing is recorded; if *@err already holds an error the
 * first one is kept (the root cause is what the user needs to read).
 */
int pv_err_set(struct pv_err **err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int pv_err_vset(struct pv_err **err, int code, const char *fmt, va_list ap);

/*
 * pv_err_prefix() - prepend context ("reading kernel 'x': ") to an existing
 * error message.  No-op when there is no error.  Returns -code of the error
 * (or -PV_ERR_INTERNAL if none is set, which is a programmer error).
 */
int pv_err_prefix(struct pv_err **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* pv_err_free() - free an error object (NULL-safe). */
void pv_err_free(struct pv_err *err);

/* pv_err_name() - short stable name of a code, e.g. "auth". */
const char *pv_err_name(int code);

/* Record an OpenSSL failure: the given text plus the queued OpenSSL reason. */
int pv_err_ssl(struct pv_err **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
