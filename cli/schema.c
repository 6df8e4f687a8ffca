// SPDX-License-Identifier: MIT
/*
 * --print-schema: the JSON Schemas schema/<command>.schema.json, embedded
 * into the binary by tools/bin2c (see the Makefile), so that the printed
 * text is the published file byte for byte.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "schema.h"

extern const struct pv_blob pv_schema_info, pv_schema_measure,
	pv_schema_verify, pv_schema_run, pv_schema_attest;

static const struct {
	const char *cmd;
	const struct pv_blob *schema;
} schemas[] = {
	{ "info", &pv_schema_info },
	{ "measure", &pv_schema_measure },
	{ "verify", &pv_schema_verify },
	{ "run", &pv_schema_run },
	{ "attest", &pv_schema_attest },
};

const struct pv_blob *cli_schema(const char *cmd)
{
	for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++)
		if (!strcmp(schemas[i].cmd, cmd))
			return schemas[i].schema;
	return NULL;
}

const char *cli_schema_optarg(int argc, char **argv)
{
	if (optarg)
		return optarg;
	if (optind < argc && (!strcmp(argv[optind], "json") ||
			      !strcmp(argv[optind], "text")))
		return argv[optind++];
	return NULL;
}

int cli_print_schema(const char *cmd, const char *format)
{
	const struct pv_blob *s = cli_schema(cmd);

	if (format && !strcmp(format, "text")) {
		printf("No schema for the text output of '%s %s': it is meant for people and may change.\n",
		       pv_progname, cmd);
		return PV_EXIT_OK;
	}
	if (format && strcmp(format, "json"))
		return pv_cli_usage_error(cmd, "--print-schema '%s': use json (the default) or text",
					  format);
	if (!s)
		return pv_cli_usage_error(cmd, "'%s' has no JSON output", cmd);
	if (fwrite(s->data, 1, s->len, stdout) != s->len || fflush(stdout)) {
		fprintf(stderr, "%s: error: writing the schema failed\n",
			pv_progname);
		return PV_EXIT_ERROR;
	}
	return PV_EXIT_OK;
}

int cli_parse_text_json(const char *cmd, const char *arg, bool *json)
{
	if (strcmp(arg, "text") && strcmp(arg, "json"))
		return pv_cli_usage_error(cmd, "--format '%s': use text or json",
					  arg);
	*json = !strcmp(arg, "json");
	return -1;
}
