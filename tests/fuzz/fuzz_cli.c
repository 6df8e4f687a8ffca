// SPDX-License-Identifier: MIT
/*
 * Fuzz the command line of pvboot: dispatch (unknown commands and their
 * suggestions, --help, --version), every command's getopt table, value
 * checks (--format, --layout, --x-pcf hex, --hosts, --memory, ...),
 * combination rules and the genprotimg name.  The input is the argument
 * vector, NUL-separated; it runs through the CLI's own main() (built as
 * pvboot_cli_main, Makefile rule of fuzz_cli).
 *
 * Only parsing runs: the first step of each command after its options are
 * parsed is replaced at link time (-Wl,--wrap) by a stub that fails, so no
 * file is written, no key made, no machine booted.  Commands whose first
 * step is not fenced that way are not registered in this binary (see
 * __wrap_pv_cli_register); a command joins by adding its first step to
 * FUZZ_CLI_WRAP in the Makefile and its name to fenced[] below.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvboot/err.h"
#include "../../cli/cli.h"

#define MAX_ARGS 24

int pvboot_cli_main(int argc, char **argv);
void __real_pv_cli_register(const struct pv_cmd *cmd);

/* Commands whose first step after parsing is one of the stubs below. */
static const char *const fenced[] = {
	"create", "measure", "info", "verify", "run", "test", "hostkey",
};

void __wrap_pv_cli_register(const struct pv_cmd *cmd)
{
	for (size_t i = 0; i < sizeof(fenced) / sizeof(fenced[0]); i++)
		if (!strcmp(cmd->name, fenced[i]))
			__real_pv_cli_register(cmd);
}

static int stop(struct pv_err **err)
{
	return pv_err_set(err, PV_ERR_INVAL, "fuzz: stopped after parsing");
}

/* create, measure: keys, documents, loaders */
struct create_opts;
struct create_ctx;
int __wrap_create_ctx_build(const struct create_opts *o, struct create_ctx *c,
			    struct pv_err **err)
{
	return stop(err);
}

/* info, test, verify: the image */
struct pv_image;
int __wrap_pv_image_open(const char *path, struct pv_image **out,
			 struct pv_err **err)
{
	*out = NULL;
	return stop(err);
}

/* verify, run: key files */
int __wrap_util_read_file(const char *path, const char *what, size_t max,
			  uint8_t **buf, size_t *len, struct pv_err **err)
{
	*buf = NULL;
	*len = 0;
	return stop(err);
}

/* run without host keys */
struct pv_machine;
struct pv_machine_opts;
int __wrap_pv_machine_new(struct pv_machine **out,
			  const struct pv_machine_opts *o, struct pv_err **err)
{
	*out = NULL;
	return stop(err);
}

/* hostkey */
struct pv_testpki;
struct pv_testpki_opts;
int __wrap_pv_testpki_generate(const struct pv_testpki_opts *opts,
			       struct pv_testpki **out, struct pv_err **err)
{
	*out = NULL;
	return stop(err);
}

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/pvboot-fuzz-cli.XXXXXX";
	int null = open("/dev/null", O_RDONLY);

	/*
	 * An empty directory of its own, removed at once: relative names
	 * find no file and none can be created.
	 */
	if (!mkdtemp(dir) || chdir(dir) || rmdir(dir))
		abort();
	if (null < 0 || dup2(null, STDIN_FILENO) < 0)
		abort();
	close(null);
	/*
	 * The CLI's messages go to a FILE on /dev/null; file descriptor 2
	 * stays, so the sanitizers' reports are seen.
	 */
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS + 2];
	static char dummy0[] = "x";
	char *dummy[] = { dummy0, NULL };
	FILE *out, *err;
	int argc = 0;
	size_t i = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* first byte: argv[0] is pvboot, or genprotimg (create) when odd */
	argv[argc++] = size && (data[0] & 1) ? "genprotimg" : "pvboot";
	if (size)
		i = 1;
	while (i < size && argc <= MAX_ARGS) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;

	/* getopt keeps state between calls of one process: start afresh */
	optind = 0;
	opterr = 0;
	getopt(1, dummy, "");
	pv_verbosity = 0;
	pv_progname = "pvboot";
	out = stdout;
	err = stderr;
	stdout = devnull;
	stderr = devnull;
	pvboot_cli_main(argc, argv);
	stdout = out;
	stderr = err;
	optind = 0;
	getopt(1, dummy, "");
	free(buf);
	return 0;
}
