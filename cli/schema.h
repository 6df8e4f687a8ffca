/* SPDX-License-Identifier: MIT */
/*
 * JSON Schemas of the commands' JSON output (schema/<cmd>.schema.json,
 * embedded at build time) and the --print-schema option that prints them.
 */
#ifndef PVBOOT_CLI_SCHEMA_H
#define PVBOOT_CLI_SCHEMA_H

#include <stdbool.h>

#include "pvboot/boot_blobs.h"

/* The JSON Schema of @cmd's JSON output, or NULL when it has none. */
const struct pv_blob *cli_schema(const char *cmd);

/*
 * The value of --print-schema[=FORMAT] while getopt_long() handles it: the
 * "=FORMAT" part, or the next argument when that is "json" or "text"
 * (which is then consumed), or NULL (meaning json).
 */
const char *cli_schema_optarg(int argc, char **argv);

/*
 * Print the schema of @cmd for @format (NULL or "json"); "text" says that
 * the text output has none.  Returns the exit code (2 for another format).
 */
int cli_print_schema(const char *cmd, const char *format);

/*
 * --format text|json (verify, run): sets *@json.  Returns -1, or the exit
 * code of the usage error for another value.
 */
int cli_parse_text_json(const char *cmd, const char *arg, bool *json);

#endif
