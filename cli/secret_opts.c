// SPDX-License-Identifier: MIT
/*
 * Options of `pvboot secret create`, in pvsecret's shape: the create
 * options first, then the secret kind (meta, association, retrievable,
 * update-cck) with its own options.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "secret_opts.h"

#define CMD "secret create"

enum {
	OPT_HDR = 256, OPT_EXT, OPT_CCK, OPT_CUID, OPT_CUID_HEX, OPT_FLAGS,
	OPT_PCF, OPT_USER_DATA, OPT_USER_SIGN_KEY, OPT_USE_NAME,
	OPT_INPUT_SECRET, OPT_OUTPUT_SECRET, OPT_STDOUT, OPT_SECRET,
	OPT_TYPE,
};

static int parse_flags(struct secret_args *a, const char *arg)
{
	char *copy = strdup(arg), *save = NULL, *tok;
	int rc = -1;

	if (!copy)
		return PV_EXIT_ERROR;
	for (tok = strtok_r(copy, ",", &save); tok && rc < 0;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "disable-dump"))
			a->flags |= PV_ASRCB_FLAG_DISABLE_DUMP;
		else
			rc = pv_cli_usage_error(CMD, "--flags '%s': the only flag is disable-dump",
						tok);
	}
	free(copy);
	return rc;
}

static int take_main(struct secret_args *a, int c, const char *arg,
		     bool *pcf, bool *flags)
{
	switch (c) {
	case OPT_HDR:
		a->hdr = arg;
		return -1;
	case 'o':
		a->output = arg;
		return -1;
	case OPT_EXT:
		a->ext_file = arg;
		return -1;
	case OPT_CCK:
		a->cck_file = arg;
		return -1;
	case OPT_CUID:
		a->cuid_file = arg;
		return -1;
	case OPT_CUID_HEX:
		a->cuid_hex = arg;
		return -1;
	case OPT_FLAGS:
		*flags = true;
		return parse_flags(a, arg);
	case OPT_PCF:
		/* pvsecret's hidden --pcf: the flags word, unchecked */
		*pcf = true;
		if (!util_parse_hex_u64(arg, &a->flags))
			return pv_cli_usage_error(CMD, "--pcf '%s' is not a hex number",
						  arg);
		return -1;
	case OPT_USER_DATA:
		a->user_data = arg;
		return -1;
	case OPT_USER_SIGN_KEY:
		return pv_cli_usage_error(CMD, "--user-sign-key: signed user data is not supported; use unsigned --user-data");
	case OPT_USE_NAME:
		a->use_name = true;
		return -1;
	case 'f':
		a->force = true;
		return -1;
	case 'v':
		return -1;
	case 'q':
		a->quiet++;
		return -1;
	}
	return pv_cli_usage_error(CMD, "invalid option");
}

static int check_main(const struct secret_args *a, bool pcf, bool flags)
{
	if (!a->hdr)
		return pv_cli_usage_error(CMD, "the image header is required (--hdr FILE)");
	if (!a->output)
		return pv_cli_usage_error(CMD, "the output is required (-o/--output FILE)");
	if (a->ext_file && a->cck_file)
		return pv_cli_usage_error(CMD, "--extension-secret and --cck exclude each other");
	if (a->cuid_file && a->cuid_hex)
		return pv_cli_usage_error(CMD, "--cuid and --cuid-hex exclude each other");
	if (pcf && flags)
		return pv_cli_usage_error(CMD, "--pcf and --flags exclude each other");
	return cert_opts_check(&a->cert, CMD, PV_REQ_MAX_KEYSLOTS);
}

static const struct {
	const char *name;
	enum secret_sub sub;
} kinds[] = {
	{ "meta", SUB_META }, { "association", SUB_ASSOC },
	{ "retrievable", SUB_RETR }, { "retr", SUB_RETR },
	{ "update-cck", SUB_CCK }, { "cck", SUB_CCK },
};

static bool kind_allows(enum secret_sub sub, int c)
{
	switch (c) {
	case OPT_INPUT_SECRET:
	case OPT_OUTPUT_SECRET:
		return sub == SUB_ASSOC;
	case OPT_STDOUT:
		return sub == SUB_ASSOC || sub == SUB_RETR;
	case OPT_SECRET:
		return sub == SUB_RETR || sub == SUB_CCK;
	case OPT_TYPE:
		return sub == SUB_RETR;
	}
	return false;
}

static void take_kind(struct secret_args *a, int c, const char *arg)
{
	switch (c) {
	case OPT_INPUT_SECRET:
		a->input_secret = arg;
		break;
	case OPT_OUTPUT_SECRET:
		a->output_secret = arg;
		break;
	case OPT_STDOUT:
		a->to_stdout = true;
		break;
	case OPT_SECRET:
		a->secret_file = arg;
		break;
	case OPT_TYPE:
		a->retr_type = arg;
		break;
	}
}

static int check_kind(struct secret_args *a)
{
	if (a->sub == SUB_META)
		return -1;
	if (a->sub == SUB_CCK)
		return a->secret_file ? -1 :
			pv_cli_usage_error(CMD, "update-cck needs --secret CCK-FILE");
	if (!a->name || !a->name[0])
		return pv_cli_usage_error(CMD, "the secret needs a NAME");
	if (a->input_secret && a->output_secret)
		return pv_cli_usage_error(CMD, "--input-secret and --output-secret exclude each other");
	if (a->sub == SUB_RETR && (!a->secret_file || !a->retr_type))
		return pv_cli_usage_error(CMD, "a retrievable secret needs --secret FILE and --type TYPE");
	a->name_file = strdup(a->name);
	if (!a->name_file)
		return PV_EXIT_ERROR;
	for (char *p = a->name_file; *p; p++)
		if (isspace((unsigned char)*p))
			*p = '_';
	return -1;
}

/* The secret kind and its options, after the create options. */
static int parse_kind(struct secret_args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "input-secret", required_argument, NULL, OPT_INPUT_SECRET },
		{ "output-secret", required_argument, NULL,
		  OPT_OUTPUT_SECRET },
		{ "stdout", no_argument, NULL, OPT_STDOUT },
		{ "secret", required_argument, NULL, OPT_SECRET },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(argv[0], kinds[i].name))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return pv_cli_usage_error(CMD, "unknown secret kind '%s': use meta, association, retrievable or update-cck",
					  argv[0]);
	a->sub = kinds[i].sub;
	/* 0: glibc starts over, with this optstring's (permuting) order */
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		if (c == ':')
			return pv_cli_usage_error(CMD, "option '%s' needs a value",
						  argv[optind - 1]);
		if (c == '?' && argv[optind - 1][0] == '-' &&
		    argv[optind - 1][1] == '-')
			return pv_cli_usage_error(CMD, "option '%s' is not one of the secret kind '%s': the options of 'create' come before the kind",
						  argv[optind - 1], argv[0]);
		if (c == '?')
			return pv_cli_bad_option(CMD, argv[optind - 1], lo);
		if (!kind_allows(a->sub, c))
			return pv_cli_usage_error(CMD, "option '%s' does not belong to the secret kind '%s'",
						  argv[optind - 1], argv[0]);
		take_kind(a, c, optarg);
	}
	if ((a->sub == SUB_ASSOC || a->sub == SUB_RETR) && optind < argc)
		a->name = argv[optind++];
	if (optind < argc)
		return pv_cli_usage_error(CMD, "unexpected argument '%s'",
					  argv[optind]);
	return check_kind(a);
}

int secret_opts_parse(struct secret_args *a, int argc, char **argv,
		      void (*usage)(FILE *f))
{
	static const struct option lo[] = {
		CERT_LONG_OPTS,
		{ "hdr", required_argument, NULL, OPT_HDR },
		{ "output", required_argument, NULL, 'o' },
		{ "extension-secret", required_argument, NULL, OPT_EXT },
		{ "cck", required_argument, NULL, OPT_CCK },
		{ "cuid", required_argument, NULL, OPT_CUID },
		{ "cuid-hex", required_argument, NULL, OPT_CUID_HEX },
		{ "flags", required_argument, NULL, OPT_FLAGS },
		{ "pcf", required_argument, NULL, OPT_PCF },
		{ "user-data", required_argument, NULL, OPT_USER_DATA },
		{ "user-sign-key", required_argument, NULL,
		  OPT_USER_SIGN_KEY },
		{ "use-name", no_argument, NULL, OPT_USE_NAME },
		{ "force", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool pcf = false, flags = false;
	int c, rc;

	optind = 1;
	opterr = 0;
	/* '+': stop at the secret kind, as clap does for a sub-command */
	while ((c = getopt_long(argc, argv, "+:k:C:o:fvqh", lo, NULL)) !=
	       -1) {
		rc = cert_opts_take(&a->cert, c, optarg);
		if (rc < 0)
			return PV_EXIT_ERROR;
		if (rc)
			continue;
		if (c == 'h') {
			usage(stdout);
			return PV_EXIT_OK;
		}
		if (c == ':')
			return pv_cli_usage_error(CMD, "option '%s' needs a value",
						  argv[optind - 1]);
		if (c == '?')
			return pv_cli_bad_option(CMD, argv[optind - 1], lo);
		rc = take_main(a, c, optarg, &pcf, &flags);
		if (rc >= 0)
			return rc;
	}
	rc = check_main(a, pcf, flags);
	if (rc >= 0)
		return rc;
	if (optind >= argc)
		return pv_cli_usage_error(CMD, "the secret kind is missing: meta, association NAME, retrievable NAME or update-cck");
	return parse_kind(a, argc - optind, argv + optind);
}

void secret_opts_free(struct secret_args *a)
{
	cert_opts_free(&a->cert);
	free(a->name_file);
}
