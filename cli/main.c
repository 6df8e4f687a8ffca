// SPDX-License-Identifier: MIT
/*
 * pvboot: build, inspect, verify and boot IBM Z Secure Execution images.
 * Dispatches to the sub-commands that registered themselves (cli.h).
 * Called as `genprotimg` it behaves like `pvboot create`.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_CMDS 32

static const struct pv_cmd *cmds[MAX_CMDS];
static int ncmds;
int pv_verbosity;
const char *pv_progname = "pvboot";

void pv_cli_register(const struct pv_cmd *cmd)
{
	if (ncmds < MAX_CMDS)
		cmds[ncmds++] = cmd;
}

static const struct pv_cmd *find_cmd(const char *name)
{
	for (int i = 0; i < ncmds; i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

int pv_cli_fail(struct pv_err *err)
{
	int code = err ? err->code : PV_ERR_INTERNAL;

	fprintf(stderr, "%s: error: %s\n", pv_progname,
		err ? err->msg : "unknown error");
	pv_err_free(err);
	if (code == PV_ERR_INVAL)
		return PV_EXIT_USAGE;
	return PV_EXIT_ERROR;
}

void pv_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: warning: ", pv_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int pv_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s%s: ", pv_progname, cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s%s%s --help' for more information.\n",
		pv_progname, cmd ? " " : "", cmd ? cmd : "");
	return PV_EXIT_USAGE;
}

static int cmp_order(const void *a, const void *b)
{
	const struct pv_cmd *x = *(const struct pv_cmd *const *)a;
	const struct pv_cmd *y = *(const struct pv_cmd *const *)b;

	return x->order - y->order;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: pvboot COMMAND [OPTIONS]\n"
		"       pvboot --help | --version\n"
		"Build, inspect, verify and boot IBM Z Secure Execution images.\n\n"
		"Commands:\n");
	for (int i = 0; i < ncmds; i++)
		fprintf(f, "  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -h, --help     show this help\n"
		"      --version  print the version\n"
		"\n"
		"Examples (a test host, an image for it, a protected boot):\n"
		"  pvboot hostkey --out-dir pki\n"
		"  pvboot create -i kernel -o se.img -k pki/host.crt --offline \\\n"
		"      -C pki/ibm-signing.crt -C pki/inter-ca.crt --root-ca pki/root-ca.crt \\\n"
		"      --crl pki/ibm-signing.crl --crl pki/inter-ca.crl --crl pki/root-ca.crl\n"
		"  pvboot run se.img --host-key pki/host.key\n"
		"\n"
		"Run 'pvboot COMMAND --help' for the options of a command; the manual\n"
		"pages are pvboot(1) and pvboot-COMMAND(1).\n"
		"Exit status: 0 success, 1 error, 2 usage error or not verified.\n");
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const struct pv_cmd *cmd;

	base = base ? base + 1 : argv[0];
	/*
	 * A file-size limit (ulimit -f) must end in a clear write error that
	 * names the file, not in a silent kill by SIGXFSZ.
	 */
	signal(SIGXFSZ, SIG_IGN);
	qsort(cmds, (size_t)ncmds, sizeof(cmds[0]), cmp_order);

	if (!strcmp(base, "genprotimg")) {
		cmd = find_cmd("create");
		if (!cmd) {
			fprintf(stderr, "genprotimg: create is not available\n");
			return PV_EXIT_ERROR;
		}
		pv_progname = "genprotimg";
		return cmd->run(argc, argv);
	}
	if (argc < 2) {
		usage(stderr);
		return PV_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return PV_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("pvboot %s\n", PVBOOT_VERSION);
		return PV_EXIT_OK;
	}
	cmd = find_cmd(argv[1]);
	if (!cmd) {
		const char *names[MAX_CMDS], *best;

		for (int i = 0; i < ncmds; i++)
			names[i] = cmds[i]->name;
		best = pv_cli_closest(argv[1], names, (size_t)ncmds);
		if (best)
			return pv_cli_usage_error(NULL, "unknown command '%s'; did you mean '%s'?",
						  argv[1], best);
		return pv_cli_usage_error(NULL, "unknown command '%s'", argv[1]);
	}
	return cmd->run(argc - 1, argv + 1);
}
