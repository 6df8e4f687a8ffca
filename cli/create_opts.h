/* SPDX-License-Identifier: MIT */
/*
 * Options of `pvboot create` (pvimg create / genprotimg names), shared with
 * `pvboot measure`, and the builder they describe.
 */
#ifndef PVBOOT_CLI_CREATE_OPTS_H
#define PVBOOT_CLI_CREATE_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pvboot/image.h"
#include "util.h"

enum tri { TRI_UNSET, TRI_ON, TRI_OFF };

/* --enable-X / --disable-X pairs of pvimg create (§8.2). */
enum flag_pair {
	FP_DUMP,
	FP_CCK_EXT,
	FP_CCK_UPDATE,
	FP_PCKMO,
	FP_PCKMO_HMAC,
	FP_BACKUP,
	FP_IMAGE_ENC,
	FP__MAX
};

struct create_opts {
	bool measure;			/* parsing for `pvboot measure` */
	const char *cmd;		/* "create" / "measure" */
	const char *kernel, *initrd, *parmfile, *output;
	struct util_list hkds, certs, crls;
	const char *root_ca;
	bool offline, no_verify;
	const char *cck, *hdr_key, *image_key;
	enum tri flags[FP__MAX];
	bool have_x_pcf, have_x_scf, have_x_psw;
	uint64_t x_pcf, x_scf, x_psw;
	const char *loader_dir;
	bool no_component_check, overwrite;
	enum pv_layout layout;
	const char *seed;
	int verbose, quiet;
	const char *format;		/* measure: text, hex, json */
};

/*
 * Parse argv (argv[0] is the command).  Returns -1 to continue, or an exit
 * code: 0 after --help/--version, 2 after a usage error (already printed).
 */
int create_opts_parse(struct create_opts *o, int argc, char **argv,
		      bool measure, void (*usage)(FILE *f));
void create_opts_free(struct create_opts *o);

/* PCF / SCF from the defaults, --x-pcf/--x-scf and the flag pairs. */
uint64_t create_opts_pcf(const struct create_opts *o);
uint64_t create_opts_scf(const struct create_opts *o);

/* The builder and what it borrows (host keys, seeded rng, loaders). */
struct create_ctx {
	struct pv_builder *b;
	const struct create_opts *opts;	/* create: read by the host-key
					 * source during the build */
	struct pv_rng *rng;
	struct pv_eckey **hks;
	size_t nhks;
	uint8_t *s3a, *s3b;		/* from a loader directory */
	size_t s3a_len, s3b_len;
};

/*
 * Load keys, loaders and the seed, and set up the builder.  Host-key
 * documents (verified unless --no-verify; measure never verifies) are
 * loaded here for measure, and by the builder while it writes for create:
 * @o must then live until the build is done.
 */
int create_ctx_build(const struct create_opts *o, struct create_ctx *c,
		     struct pv_err **err);
void create_ctx_free(struct create_ctx *c);

#endif
