/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the image commands: small files, atomic output,
 * interrupt handling, progress bar, hex/Base64/JSON printing, lists.
 */
#ifndef PVBOOT_CLI_UTIL_H
#define PVBOOT_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "pvboot/err.h"
#include "pvboot/outfile.h"

/*
 * Read a whole small file (at most @max bytes; PV_ERR_RANGE beyond).  @what
 * names it in messages ("header protection key").  The buffer is malloc'd;
 * free key material with util_free_file().
 */
int util_read_file(const char *path, const char *what, size_t max,
		   uint8_t **buf, size_t *len, struct pv_err **err);
void util_free_file(uint8_t *buf, size_t len);	/* cleanse + free */

/* Write all @len bytes to @fd (short writes and EINTR retried): 0 or -1. */
int util_write_all(int fd, const void *buf, size_t len);

/*
 * Atomic output (pvboot/outfile.h): an unnamed temporary file in the
 * output's directory (O_TMPFILE), flushed as it grows on a disk file
 * system and linked under OUTPUT on commit after fsync; where the file
 * system lacks O_TMPFILE, a temporary OUTPUT.XXXXXX renamed over OUTPUT.  Without @overwrite an existing OUTPUT is refused
 * (PV_ERR_EXISTS), also if it appears meanwhile.  On abort, or when a
 * second SIGINT/SIGTERM arrives, a named temporary file is removed.
 */
struct util_out {
	struct pv_outfile f;
	int fd;			/* f.fd while open, else -1 */
};
int util_out_check(const char *path, bool overwrite, struct pv_err **err);
int util_out_open(struct util_out *o, const char *path, bool overwrite,
		  struct pv_err **err);
int util_out_commit(struct util_out *o, struct pv_err **err);
void util_out_abort(struct util_out *o);

/* SIGINT/SIGTERM set a flag that util_interrupted() reports. */
void util_signals_install(void);
bool util_interrupted(void);

/*
 * Progress bar on stderr: only when stderr is a terminal, not quiet, and
 * the work has taken more than a second.  util_progress_cb() fits
 * pv_progress_fn and returns non-zero after an interrupt.
 */
struct util_progress {
	bool enabled;
	bool drawn;
	const char *label;
	struct timespec start, last;
};
void util_progress_init(struct util_progress *p, const char *label,
			bool quiet);
int util_progress_cb(void *opaque, uint64_t done, uint64_t total);
void util_progress_end(struct util_progress *p);

/* Lowercase hex of @len bytes into @out (2 * len + 1 bytes). */
char *util_hex(const uint8_t *buf, size_t len, char *out);
/* Parse "[0x]HEX" (1..16 digits) into @v; false on anything else. */
bool util_parse_hex_u64(const char *s, uint64_t *v);
/* Parse exactly 2 * @len hex digits. */
bool util_parse_hex(const char *s, uint8_t *out, size_t len);
/* Standard Base64 (RFC 4648, with padding); caller frees. */
char *util_base64(const uint8_t *buf, size_t len);

/* A growing list of strings; add() splits comma-separated values. */
struct util_list {
	const char **v;
	size_t n, cap;
	char **own;		/* split copies, freed with the list */
	size_t nown;
};
int util_list_add(struct util_list *l, const char *arg, bool split);
void util_list_free(struct util_list *l);

/* Minimal JSON writer (pretty with two-space indent, or minified). */
struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[32];
};
void json_begin(struct json *j, FILE *f, bool pretty);
void json_end(struct json *j);
void json_obj(struct json *j, const char *key);	/* key NULL in arrays */
void json_arr(struct json *j, const char *key);
void json_close_obj(struct json *j);
void json_close_arr(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_hexbuf(struct json *j, const char *key, const uint8_t *buf,
		 size_t len);
void json_hex64(struct json *j, const char *key, uint64_t val);
/* The pvimg "meta" envelope (§8.3): api_level, version, host, time. */
void json_meta(struct json *j);

#endif
