// SPDX-License-Identifier: MIT
/*
 * Option parsing for `pvboot create` / `genprotimg` and `pvboot measure`,
 * with pvimg's names, conflicts and requirements (se-image-format.md §8.2),
 * and the builder setup from those options.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "create_opts.h"
#include "pvboot/boot_blobs.h"
#include "pvboot/hkd.h"
#include "schema.h"

#define SEED_MAX (64 * 1024)
#define KEYFILE_MAX 4096

enum {
	OPT_CRL = 256,
	OPT_OFFLINE,
	OPT_ROOT_CA,
	OPT_NO_VERIFY,
	OPT_CCK,
	OPT_HDR_KEY,
	OPT_IMAGE_KEY,
	OPT_X_PSW,
	OPT_X_PCF,
	OPT_X_SCF,
	OPT_LOADER_DIR,
	OPT_NO_COMP_CHECK,
	OPT_OVERWRITE,
	OPT_LAYOUT,
	OPT_REPRODUCIBLE,
	OPT_VERSION,
	OPT_FORMAT,
	OPT_PRINT_SCHEMA,
	OPT_ENABLE,	/* + flag_pair */
	OPT_DISABLE = OPT_ENABLE + FP__MAX,
	OPT__END = OPT_DISABLE + FP__MAX,
};

static const char *const pair_names[FP__MAX] = {
	[FP_DUMP] = "dump",
	[FP_CCK_EXT] = "cck-extension-secret",
	[FP_CCK_UPDATE] = "cck-update",
	[FP_PCKMO] = "pckmo",
	[FP_PCKMO_HMAC] = "pckmo-hmac",
	[FP_BACKUP] = "backup-keys",
	[FP_IMAGE_ENC] = "image-encryption",
};

static const struct option long_opts[] = {
	{ "image", required_argument, NULL, 'i' },
	{ "kernel", required_argument, NULL, 'i' },
	{ "ramdisk", required_argument, NULL, 'r' },
	{ "parmfile", required_argument, NULL, 'p' },
	{ "output", required_argument, NULL, 'o' },
	{ "host-key-document", required_argument, NULL, 'k' },
	{ "cert", required_argument, NULL, 'C' },
	{ "crt", required_argument, NULL, 'C' },
	{ "crl", required_argument, NULL, OPT_CRL },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "root-ca", required_argument, NULL, OPT_ROOT_CA },
	{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
	{ "cck", required_argument, NULL, OPT_CCK },
	{ "comm-key", required_argument, NULL, OPT_CCK },
	{ "hdr-key", required_argument, NULL, OPT_HDR_KEY },
	{ "x-header-key", required_argument, NULL, OPT_HDR_KEY },
	{ "image-key", required_argument, NULL, OPT_IMAGE_KEY },
	{ "x-comp-key", required_argument, NULL, OPT_IMAGE_KEY },
	{ "enable-dump", no_argument, NULL, OPT_ENABLE + FP_DUMP },
	{ "disable-dump", no_argument, NULL, OPT_DISABLE + FP_DUMP },
	{ "enable-cck-extension-secret", no_argument, NULL,
	  OPT_ENABLE + FP_CCK_EXT },
	{ "disable-cck-extension-secret", no_argument, NULL,
	  OPT_DISABLE + FP_CCK_EXT },
	{ "enable-cck-update", no_argument, NULL, OPT_ENABLE + FP_CCK_UPDATE },
	{ "disable-cck-update", no_argument, NULL,
	  OPT_DISABLE + FP_CCK_UPDATE },
	{ "enable-pckmo", no_argument, NULL, OPT_ENABLE + FP_PCKMO },
	{ "disable-pckmo", no_argument, NULL, OPT_DISABLE + FP_PCKMO },
	{ "enable-pckmo-hmac", no_argument, NULL, OPT_ENABLE + FP_PCKMO_HMAC },
	{ "disable-pckmo-hmac", no_argument, NULL,
	  OPT_DISABLE + FP_PCKMO_HMAC },
	{ "enable-backup-keys", no_argument, NULL, OPT_ENABLE + FP_BACKUP },
	{ "disable-backup-keys", no_argument, NULL, OPT_DISABLE + FP_BACKUP },
	{ "enable-image-encryption", no_argument, NULL,
	  OPT_ENABLE + FP_IMAGE_ENC },
	{ "disable-image-encryption", no_argument, NULL,
	  OPT_DISABLE + FP_IMAGE_ENC },
	{ "x-psw", required_argument, NULL, OPT_X_PSW },
	{ "x-pcf", required_argument, NULL, OPT_X_PCF },
	{ "x-scf", required_argument, NULL, OPT_X_SCF },
	{ "x-bootloader-directory", required_argument, NULL, OPT_LOADER_DIR },
	{ "loader-dir", required_argument, NULL, OPT_LOADER_DIR },
	{ "no-component-check", no_argument, NULL, OPT_NO_COMP_CHECK },
	{ "overwrite", no_argument, NULL, OPT_OVERWRITE },
	{ "layout", required_argument, NULL, OPT_LAYOUT },
	{ "reproducible", required_argument, NULL, OPT_REPRODUCIBLE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "print-schema", optional_argument, NULL, OPT_PRINT_SCHEMA },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ "help-all", no_argument, NULL, 'h' },
	{ "help-experimental", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int once(struct create_opts *o, const char **dst, const char *val,
		const char *name)
{
	if (*dst)
		return pv_cli_usage_error(o->cmd, "%s given more than once",
					  name);
	*dst = val;
	return 0;
}

static int hex_once(struct create_opts *o, bool *have, uint64_t *dst,
		    const char *val, const char *name)
{
	if (*have)
		return pv_cli_usage_error(o->cmd, "%s given more than once",
					  name);
	if (!util_parse_hex_u64(val, dst))
		return pv_cli_usage_error(o->cmd,
					  "%s '%s': expected up to 16 hex digits, \"0x\" allowed",
					  name, val);
	*have = true;
	return 0;
}

static int add_list(struct create_opts *o, struct util_list *l,
		    const char *val)
{
	if (util_list_add(l, val, true)) {
		fprintf(stderr, "%s: out of memory\n", pv_progname);
		return PV_EXIT_ERROR;
	}
	return 0;
}

static int set_pair(struct create_opts *o, int id)
{
	bool on = id < OPT_DISABLE;
	int fp = on ? id - OPT_ENABLE : id - OPT_DISABLE;
	enum tri want = on ? TRI_ON : TRI_OFF;

	if (o->flags[fp] != TRI_UNSET && o->flags[fp] != want)
		return pv_cli_usage_error(o->cmd,
					  "--enable-%s and --disable-%s exclude each other",
					  pair_names[fp], pair_names[fp]);
	o->flags[fp] = want;
	return 0;
}

static int handle(struct create_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'i':
		return once(o, &o->kernel, arg, "--image/--kernel");
	case 'r':
		return once(o, &o->initrd, arg, "--ramdisk");
	case 'p':
		return once(o, &o->parmfile, arg, "--parmfile");
	case 'o':
		if (o->measure)
			return pv_cli_usage_error(o->cmd,
						  "measure writes no image: --output is not an option here");
		return once(o, &o->output, arg, "--output");
	case 'k':
		return add_list(o, &o->hkds, arg);
	case 'C':
		return add_list(o, &o->certs, arg);
	case OPT_CRL:
		return add_list(o, &o->crls, arg);
	case OPT_OFFLINE:
		o->offline = true;
		return 0;
	case OPT_ROOT_CA:
		return once(o, &o->root_ca, arg, "--root-ca");
	case OPT_NO_VERIFY:
		o->no_verify = true;
		return 0;
	case OPT_CCK:
		return once(o, &o->cck, arg, "--cck/--comm-key");
	case OPT_HDR_KEY:
		return once(o, &o->hdr_key, arg, "--hdr-key");
	case OPT_IMAGE_KEY:
		return once(o, &o->image_key, arg, "--image-key");
	case OPT_X_PSW:
		return hex_once(o, &o->have_x_psw, &o->x_psw, arg, "--x-psw");
	case OPT_X_PCF:
		return hex_once(o, &o->have_x_pcf, &o->x_pcf, arg, "--x-pcf");
	case OPT_X_SCF:
		return hex_once(o, &o->have_x_scf, &o->x_scf, arg, "--x-scf");
	case OPT_LOADER_DIR:
		return once(o, &o->loader_dir, arg, "--x-bootloader-directory");
	case OPT_NO_COMP_CHECK:
		o->no_component_check = true;
		return 0;
	case OPT_OVERWRITE:
		if (o->measure)
			return pv_cli_usage_error(o->cmd,
						  "measure writes no image: --overwrite is not an option here");
		o->overwrite = true;
		return 0;
	case OPT_LAYOUT:
		if (!strcasecmp(arg, "r"))
			o->layout = PV_LAYOUT_R;
		else if (!strcasecmp(arg, "c"))
			o->layout = PV_LAYOUT_C;
		else
			return pv_cli_usage_error(o->cmd,
						  "--layout '%s': use r (pvimg, default) or c (C genprotimg)",
						  arg);
		return 0;
	case OPT_REPRODUCIBLE:
		return once(o, &o->seed, arg, "--reproducible");
	case OPT_FORMAT:
		if (!o->measure)
			return pv_cli_usage_error(o->cmd,
						  "unrecognized option '--format'");
		if (strcmp(arg, "text") && strcmp(arg, "hex") &&
		    strcmp(arg, "json"))
			return pv_cli_usage_error(o->cmd,
						  "--format '%s': use text, hex or json",
						  arg);
		o->format = arg;
		return 0;
	case 'v':
		o->verbose++;
		return 0;
	case 'V':
		/* pvimg keeps the old -V as a hidden, deprecated -v */
		pv_cli_warn("-V is deprecated; use -v or --verbose");
		o->verbose++;
		return 0;
	case 'q':
		o->quiet++;
		return 0;
	}
	if (c >= OPT_ENABLE && c < OPT__END)
		return set_pair(o, c);
	return pv_cli_usage_error(o->cmd, "invalid option");
}

static bool any_flag(const struct create_opts *o)
{
	for (int i = 0; i < FP__MAX; i++)
		if (o->flags[i] != TRI_UNSET)
			return true;
	return false;
}

/* The conflicts and requirements of pvimg create (§8.2). */
static int check_combinations(struct create_opts *o)
{
	const char *cmd = o->cmd;

	if (o->verbose && o->quiet)
		return pv_cli_usage_error(cmd, "-v and -q exclude each other");
	if (!o->kernel)
		return pv_cli_usage_error(cmd, "the kernel is required (-i/--image/--kernel FILE)");
	if (!o->measure && !o->output)
		return pv_cli_usage_error(cmd, "the output is required (-o/--output FILE)");
	if (!o->measure && !o->hkds.n)
		return pv_cli_usage_error(cmd, "at least one host-key document is required (-k/--host-key-document FILE)");
	if (o->hkds.n > PV_SEHDR_MAX_KEYSLOTS)
		return pv_cli_usage_error(cmd,
					  "%zu host-key documents given: an SE header (8192 bytes) holds at most %u key slots",
					  o->hkds.n, PV_SEHDR_MAX_KEYSLOTS);
	if (o->no_verify && o->certs.n)
		return pv_cli_usage_error(cmd, "--no-verify and --cert exclude each other");
	if (!o->measure && !o->no_verify && !o->certs.n)
		return pv_cli_usage_error(cmd, "give the IBM Z signing key and intermediate CA with --cert FILE, or --no-verify");
	if ((o->crls.n || o->offline || o->root_ca) && !o->certs.n)
		return pv_cli_usage_error(cmd, "--crl, --offline and --root-ca need --cert");
	if ((o->have_x_pcf || o->have_x_scf) && any_flag(o))
		return pv_cli_usage_error(cmd, "--enable-*/--disable-* flags exclude --x-pcf and --x-scf");
	if (o->flags[FP_DUMP] == TRI_ON && !o->cck &&
	    o->flags[FP_CCK_UPDATE] != TRI_ON)
		return pv_cli_usage_error(cmd, "--enable-dump needs --cck or --enable-cck-update");
	if (o->flags[FP_CCK_EXT] == TRI_ON && !o->cck)
		return pv_cli_usage_error(cmd, "--enable-cck-extension-secret needs --cck");
	if (o->flags[FP_CCK_EXT] == TRI_ON && o->flags[FP_CCK_UPDATE] == TRI_ON)
		return pv_cli_usage_error(cmd, "--enable-cck-extension-secret and --enable-cck-update exclude each other");
	if (o->image_key && o->flags[FP_IMAGE_ENC] == TRI_OFF)
		return pv_cli_usage_error(cmd, "--image-key and --disable-image-encryption exclude each other");
	if (o->measure && !o->seed)
		return pv_cli_usage_error(cmd, "measure needs --reproducible SEED-FILE: the tweaks (and keys not given) come from it");
	return -1;
}

int create_opts_parse(struct create_opts *o, int argc, char **argv,
		      bool measure, void (*usage)(FILE *f))
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->measure = measure;
	o->cmd = measure ? "measure" :
		 strcmp(pv_progname, "genprotimg") ? "create" : NULL;
	o->layout = PV_LAYOUT_R;
	o->format = "text";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:r:p:o:k:C:vVqh", long_opts,
				NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return PV_EXIT_OK;
		}
		if (c == OPT_PRINT_SCHEMA)
			return cli_print_schema(measure ? "measure" : "create",
						cli_schema_optarg(argc, argv));
		if (c == OPT_VERSION) {
			/* genprotimg: --version must be the only argument */
			if (!o->cmd && argc != 2)
				return pv_cli_usage_error(o->cmd, "--version must be the only argument");
			printf("%s %s\n", pv_progname, PVBOOT_VERSION);
			return PV_EXIT_OK;
		}
		if (c == '?')
			return pv_cli_bad_option(o->cmd, argv[optind - 1],
						 long_opts);
		if (c == ':')
			return pv_cli_usage_error(o->cmd, "option '%s' needs a value",
						  argv[optind - 1]);
		rc = handle(o, c, optarg);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return pv_cli_usage_error(o->cmd, "unexpected argument '%s'",
					  argv[optind]);
	return check_combinations(o);
}

void create_opts_free(struct create_opts *o)
{
	util_list_free(&o->hkds);
	util_list_free(&o->certs);
	util_list_free(&o->crls);
}

uint64_t create_opts_pcf(const struct create_opts *o)
{
	/* §5.3: default PCF 0xE0; --x-pcf replaces the whole value */
	uint64_t pcf = o->have_x_pcf ? o->x_pcf : PV_PCF_DEFAULT;

	if (o->flags[FP_DUMP] == TRI_ON)
		pcf |= PV_PCF_ALLOW_DUMP;
	if (o->flags[FP_DUMP] == TRI_OFF)
		pcf &= ~PV_PCF_ALLOW_DUMP;
	if (o->flags[FP_PCKMO] == TRI_ON)
		pcf |= PV_PCF_DEFAULT;
	if (o->flags[FP_PCKMO] == TRI_OFF)
		pcf &= ~PV_PCF_DEFAULT;
	if (o->flags[FP_PCKMO_HMAC] == TRI_ON)
		pcf |= PV_PCF_PCKMO_HMAC;
	if (o->flags[FP_PCKMO_HMAC] == TRI_OFF)
		pcf &= ~PV_PCF_PCKMO_HMAC;
	if (o->flags[FP_BACKUP] == TRI_ON)
		pcf |= PV_PCF_BACKUP_KEYS;
	if (o->flags[FP_BACKUP] == TRI_OFF)
		pcf &= ~PV_PCF_BACKUP_KEYS;
	if (o->flags[FP_IMAGE_ENC] == TRI_OFF)
		pcf |= PV_PCF_NO_DECRYPTION;
	if (o->flags[FP_IMAGE_ENC] == TRI_ON)
		pcf &= ~PV_PCF_NO_DECRYPTION;
	return pcf;
}

uint64_t create_opts_scf(const struct create_opts *o)
{
	uint64_t scf = o->have_x_scf ? o->x_scf : 0;

	if (o->flags[FP_CCK_EXT] == TRI_ON)
		scf |= PV_SCF_CCK_EXT_SECRET;
	if (o->flags[FP_CCK_EXT] == TRI_OFF)
		scf &= ~PV_SCF_CCK_EXT_SECRET;
	if (o->flags[FP_CCK_UPDATE] == TRI_ON)
		scf |= PV_SCF_CCK_UPDATE;
	if (o->flags[FP_CCK_UPDATE] == TRI_OFF)
		scf &= ~PV_SCF_CCK_UPDATE;
	return scf;
}

static int load_key(struct pv_builder *b, enum pv_build_key which,
		    const char *path, const char *opt, struct pv_err **err)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (!path)
		return 0;
	rc = util_read_file(path, "key file", KEYFILE_MAX, &buf, &len, err);
	if (rc)
		return pv_err_prefix(err, "%s: ", opt);
	rc = pv_builder_set_key(b, which, buf, len, err);
	util_free_file(buf, KEYFILE_MAX + 1);
	if (rc)
		return pv_err_prefix(err, "%s '%s': ", opt, path);
	return 0;
}

static int load_loader(const char *dir, const char *name, uint8_t **buf,
		       size_t *len, struct pv_err **err)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return util_read_file(path, "boot loader", PV_IMAGE_MAX_LOADER, buf,
			      len, err);
}

static int setup_loaders(const struct create_opts *o, struct create_ctx *c,
			 struct pv_err **err)
{
	int rc;

	if (!o->loader_dir)
		return pv_builder_set_loaders(c->b, pv_blob_stage3a.data,
					      pv_blob_stage3a.len,
					      pv_blob_stage3b_reloc.data,
					      pv_blob_stage3b_reloc.len, err);
	/* pvimg's --x-bootloader-directory: stage3a.bin, stage3b_reloc.bin */
	rc = load_loader(o->loader_dir, "stage3a.bin", &c->s3a, &c->s3a_len,
			 err);
	if (!rc)
		rc = load_loader(o->loader_dir, "stage3b_reloc.bin", &c->s3b,
				 &c->s3b_len, err);
	if (!rc)
		rc = pv_builder_set_loaders(c->b, c->s3a, c->s3a_len, c->s3b,
					    c->s3b_len, err);
	return rc;
}

/*
 * Read every host-key document, check its key, verify it unless
 * --no-verify (measure never verifies) and give the keys to @b.
 */
static int load_hkds(const struct create_opts *o, struct create_ctx *c,
		     struct pv_builder *b, struct pv_err **err)
{
	int rc;

	for (size_t i = 0; i < o->hkds.n; i++) {
		rc = pv_hkd_load(o->hkds.v[i], &c->hks[i], err);
		if (rc)
			return rc;
		c->nhks++;
		rc = pv_builder_add_host_key(b, c->hks[i], err);
		if (rc)
			return rc;
	}
	if (o->measure || o->no_verify)
		return 0;
	{
		struct pv_hkd_opts ho = {
			.certs = o->certs.v,
			.ncerts = o->certs.n,
			.crls = o->crls.v,
			.ncrls = o->crls.n,
			.root_ca = o->root_ca,
			.offline = o->offline,
		};

		return pv_hkd_verify(o->hkds.v, o->hkds.n, &ho, err);
	}
}

/* The builder's host-key source: runs on its key thread (image.h). */
static int hkd_source(void *opaque, struct pv_builder *b, struct pv_err **err)
{
	struct create_ctx *c = opaque;

	return load_hkds(c->opts, c, b, err);
}

static int setup_hkds(const struct create_opts *o, struct create_ctx *c,
		      struct pv_err **err)
{
	if (!o->hkds.n)
		return 0;
	c->hks = calloc(o->hkds.n, sizeof(*c->hks));
	if (!c->hks)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (o->measure)
		return load_hkds(o, c, c->b, err);
	/*
	 * create: the documents are parsed and verified while the image
	 * streams (a few milliseconds of X.509 and OpenSSL set-up that
	 * would otherwise come first); a refusal still stops the build and
	 * is the error reported, and no output is left.
	 */
	c->opts = o;
	return pv_builder_set_host_key_source(c->b, o->hkds.n, hkd_source, c,
					      err);
}

static int set_input(struct pv_builder *b, enum pv_comp_kind kind,
		     const char *path, struct pv_err **err)
{
	if (!path)
		return 0;
	if (!strcmp(path, "-"))
		return pv_builder_set_input_fd(b, kind, 0, "standard input",
					       err);
	return pv_builder_set_input_path(b, kind, path, err);
}

int create_ctx_build(const struct create_opts *o, struct create_ctx *c,
		     struct pv_err **err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	rc = pv_builder_new(o->layout, &c->b, err);
	if (rc)
		return rc;
	rc = set_input(c->b, PV_COMP_KERNEL, o->kernel, err);
	if (!rc)
		rc = set_input(c->b, PV_COMP_INITRD, o->initrd, err);
	if (!rc)
		rc = set_input(c->b, PV_COMP_CMDLINE, o->parmfile, err);
	if (!rc)
		rc = load_key(c->b, PV_KEY_HPK, o->hdr_key, "--hdr-key", err);
	if (!rc)
		rc = load_key(c->b, PV_KEY_XK, o->image_key, "--image-key",
			      err);
	if (!rc)
		rc = load_key(c->b, PV_KEY_CCK, o->cck, "--cck", err);
	if (!rc && o->seed) {
		uint8_t *seed;
		size_t len;

		rc = util_read_file(o->seed, "reproducible seed", SEED_MAX,
				    &seed, &len, err);
		if (!rc) {
			rc = pv_rng_new_seeded(seed, len, &c->rng, err);
			util_free_file(seed, SEED_MAX + 1);
			if (rc)
				pv_err_prefix(err, "--reproducible '%s': ",
					      o->seed);
		}
		if (!rc)
			pv_builder_set_rng(c->b, c->rng);
	}
	if (!rc)
		rc = setup_loaders(o, c, err);
	if (!rc)
		rc = setup_hkds(o, c, err);
	if (rc)
		return rc;
	pv_builder_set_flags(c->b, create_opts_pcf(o), create_opts_scf(o));
	if (o->have_x_psw)
		pv_builder_set_psw_addr(c->b, o->x_psw);
	pv_builder_set_component_check(c->b, !o->no_component_check);
	return 0;
}

void create_ctx_free(struct create_ctx *c)
{
	pv_builder_free(c->b);
	for (size_t i = 0; i < c->nhks; i++)
		pv_eckey_free(c->hks[i]);
	free(c->hks);
	pv_rng_free(c->rng);
	free(c->s3a);
	free(c->s3b);
	memset(c, 0, sizeof(*c));
}
