/* SPDX-License-Identifier: MIT */
/*
 * `pvboot secret create`: its options (secret_opts.c) and the secret it
 * carries, read from the files those options name (secret_kind.c).
 */
#ifndef PVBOOT_CLI_SECRET_OPTS_H
#define PVBOOT_CLI_SECRET_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "attest_common.h"
#include "pvboot/attest.h"

enum secret_sub { SUB_META, SUB_ASSOC, SUB_RETR, SUB_CCK };

struct secret_args {
	struct cert_opts cert;
	const char *hdr, *output, *ext_file, *cck_file, *user_data;
	const char *cuid_file, *cuid_hex;
	uint64_t flags;
	bool use_name, force, to_stdout;
	int quiet;
	enum secret_sub sub;
	const char *name;		/* association / retrievable */
	char *name_file;		/* NAME with blanks as '_' */
	const char *input_secret, *output_secret, *secret_file, *retr_type;
};

/*
 * Parse argv: the create options, then the secret kind and its options.
 * Returns -1 to go on, or the exit code (help printed with @usage, or a
 * usage error).
 */
int secret_opts_parse(struct secret_args *a, int argc, char **argv,
		      void (*usage)(FILE *f));
void secret_opts_free(struct secret_args *a);

struct secret_kind {
	uint16_t type;
	bool listable;
	uint8_t id[PV_SECRET_ID_LEN];
	uint8_t *value;			/* len bytes, cleansed on free */
	uint32_t len;
	uint8_t ext[PV_ASRCB_EXT_LEN];
	bool have_ext;
	uint8_t cuid[PV_CUID_LEN];
	bool have_cuid;
	uint8_t *user;
	size_t user_len;
};

/* Read the secret, extension secret, CUID and user data (§6.1, §6.4). */
int secret_kind_load(const struct secret_args *a,
		     const struct pv_hdr_tags *tags, struct secret_kind *k,
		     struct pv_err **err);
/* The non-secret YAML pvsecret writes to NAME.yaml. */
void secret_kind_yaml(FILE *f, const struct secret_args *a,
		      const struct secret_kind *k);
void secret_kind_free(struct secret_kind *k);

#endif
