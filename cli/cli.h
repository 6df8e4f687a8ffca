/* SPDX-License-Identifier: MIT */
/* pvboot front-end: sub-command registry and shared helpers. */
#ifndef PVBOOT_CLI_H
#define PVBOOT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "pvboot/err.h"

/* Exit codes (DESIGN.md "The CLI"). */
#define PV_EXIT_OK 0
#define PV_EXIT_ERROR 1
#define PV_EXIT_USAGE 2	/* usage error, or "not verified" for verify */

struct pv_cmd {
	const char *name;
	const char *summary;	/* one line for `pvboot --help` */
	/* argv[0] is the sub-command name; returns an exit code. */
	int (*run)(int argc, char **argv);
	int order;		/* position in the help listing */
};

void pv_cli_register(const struct pv_cmd *cmd);

/* Each cmd_*.c registers itself: PV_COMMAND(create, "...", run_create, 10) */
#define PV_COMMAND(id, summary_, fn, order_)                                  \
	static const struct pv_cmd pv_cmd_##id = {                            \
		.name = #id, .summary = summary_, .run = fn, .order = order_ };  \
	__attribute__((constructor)) static void pv_cmd_reg_##id(void)        \
	{                                                                     \
		pv_cli_register(&pv_cmd_##id);                                \
	}

/* Verbosity shared by all commands (-v / -q). */
extern int pv_verbosity;
extern const char *pv_progname;

/*
 * Print an error once, as "pvboot: <msg>", and return the exit code that
 * belongs to it.  Frees @err.
 */
int pv_cli_fail(struct pv_err *err);
void pv_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int pv_cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct option;
/*
 * Usage error for the unknown option @arg as given ("--formt=json"): names
 * it and suggests the closest long option of @opts (getopt_long's table),
 * if one is close enough.  Returns PV_EXIT_USAGE.
 */
int pv_cli_bad_option(const char *cmd, const char *arg,
		      const struct option *opts);
/*
 * The name among @names closest to @word (at most two edits, and at most
 * one edit per three characters of @word), or NULL.
 */
const char *pv_cli_closest(const char *word, const char *const *names,
			   size_t n);

#endif
