// SPDX-License-Identifier: MIT
/*
 * pvboot hostkey: write a test PKI (root CA, intermediate CA, IBM Z signing
 * key, CRLs) and test host keys with their host-key documents, for demos
 * and CI.  The PKI is trusted by nobody.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/crypto.h"
#include "pvboot/hkd.h"
#include "cli.h"

#define CMD "hostkey"
#define SEED_MAX 4096

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: pvboot hostkey --out-dir DIR [OPTIONS]\n"
		"Write a test PKI shaped like IBM's host-key PKI (root CA, intermediate CA,\n"
		"IBM Z signing key, CRLs) and test host keys with their host-key documents.\n"
		"The PKI is trusted by nobody; the host private keys stand in for the key\n"
		"a real IBM Z machine keeps inside its firmware.\n\n"
		"Options:\n"
		"  -o, --out-dir DIR   directory for the files (created if missing)\n"
		"  -n, --hosts N       number of host keys: host, host2, ... (1-%u, default 1)\n"
		"      --variants      also write bad variants (revoked, expired, wrong\n"
		"                      issuer, second signing key, not P-521, ...)\n"
		"      --days N        validity of the certificates in days (default %u)\n"
		"      --seed FILE     derive every key, serial, date and signature from the\n"
		"                      secret bytes of FILE (at least 32): same seed, same files\n"
		"  -q, --quiet         print nothing on success\n"
		"  -h, --help          show this help\n\n"
		"Examples:\n"
		"  pvboot hostkey --out-dir pki\n"
		"  pvboot hostkey --out-dir pki --hosts 2 --variants --seed ci.seed\n"
		"Exit status: 0 success, 1 error, 2 usage error.\n"
		"See the manual page pvboot-hostkey(1).\n",
		PV_TESTPKI_MAX_HOSTS, PV_TESTPKI_DEFAULT_DAYS);
}

static int parse_uint(const char *opt, const char *s, unsigned int max,
		      unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < 1 || v > max)
		return pv_cli_usage_error(
			CMD, "%s needs a number from 1 to %u, not '%s'", opt,
			max, s);
	*out = (unsigned int)v;
	return 0;
}

/* The seed is a secret: read into a buffer the caller zeroizes. */
static int read_seed(const char *path, uint8_t *buf, size_t *len,
		     struct pv_err **err)
{
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return pv_err_set(err, PV_ERR_IO,
				  "cannot open seed file '%s': %s", path,
				  strerror(errno));
	for (;;) {
		ssize_t n = read(fd, buf + got, SEED_MAX - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return pv_err_set(err, PV_ERR_IO,
					  "reading seed file '%s': %s", path,
					  strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == SEED_MAX) {
			close(fd);
			return pv_err_set(
				err, PV_ERR_INVAL,
				"seed file '%s' is larger than %d bytes", path,
				SEED_MAX - 1);
		}
	}
	close(fd);
	*len = got;
	return 0;
}

static int make_dir(const char *dir, struct pv_err **err)
{
	struct stat st;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return pv_err_set(err, PV_ERR_IO,
				  "cannot create directory '%s': %s", dir,
				  strerror(errno));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return pv_err_set(err, PV_ERR_IO, "'%s' is not a directory",
				  dir);
	return 0;
}

static void print_files(const struct pv_testpki *pki, const char *dir)
{
	printf("Test PKI written to %s (trusted by nobody):\n", dir);
	for (size_t i = 0; i < pv_testpki_count(pki); i++) {
		const struct pv_testpki_file *f = pv_testpki_file(pki, i);

		printf("  %-26s %s\n", f->name, f->what);
	}
}

static void print_usage_lines(const char *dir, unsigned int hosts)
{
	printf("\nBuild an image for the test host(s):\n"
	       "  pvboot create -i KERNEL -r INITRD -p PARMFILE -o IMAGE \\\n");
	for (unsigned int i = 1; i <= hosts; i++) {
		if (i == 1)
			printf("      -k %s/host.crt \\\n", dir);
		else
			printf("      -k %s/host%u.crt \\\n", dir, i);
	}
	printf("      -C %s/ibm-signing.crt -C %s/inter-ca.crt \\\n"
	       "      --crl %s/root-ca.crl --crl %s/inter-ca.crl --crl %s/ibm-signing.crl \\\n"
	       "      --root-ca %s/root-ca.crt --offline\n"
	       "Boot it as the test host:\n"
	       "  pvboot run IMAGE --host-key %s/host.key\n",
	       dir, dir, dir, dir, dir, dir, dir);
}

static int run_hostkey(int argc, char **argv)
{
	enum { OPT_VARIANTS = 256, OPT_DAYS, OPT_SEED };
	static const struct option longopts[] = {
		{ "out-dir", required_argument, NULL, 'o' },
		{ "hosts", required_argument, NULL, 'n' },
		{ "variants", no_argument, NULL, OPT_VARIANTS },
		{ "days", required_argument, NULL, OPT_DAYS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pv_testpki_opts o = { .hosts = 1 };
	const char *dir = NULL, *seed_path = NULL;
	uint8_t seed[SEED_MAX];
	size_t seed_len = 0;
	struct pv_testpki *pki = NULL;
	struct pv_err *err = NULL;
	bool quiet = false;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:n:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			dir = optarg;
			break;
		case 'n':
			if (parse_uint("--hosts", optarg, PV_TESTPKI_MAX_HOSTS,
				       &o.hosts))
				return PV_EXIT_USAGE;
			break;
		case OPT_VARIANTS:
			o.variants = true;
			break;
		case OPT_DAYS:
			if (parse_uint("--days", optarg, 36500, &o.days))
				return PV_EXIT_USAGE;
			break;
		case OPT_SEED:
			seed_path = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'v':
			pv_verbosity++;
			break;
		case 'h':
			usage(stdout);
			return PV_EXIT_OK;
		case ':':
			return pv_cli_usage_error(CMD, "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return pv_cli_bad_option(CMD, argv[optind - 1],
						 longopts);
		}
	}
	if (optind < argc)
		return pv_cli_usage_error(CMD, "unexpected argument '%s'",
					  argv[optind]);
	if (!dir)
		return pv_cli_usage_error(CMD, "--out-dir DIR is required");
	if (seed_path) {
		rc = read_seed(seed_path, seed, &seed_len, &err);
		if (rc)
			goto fail;
		o.seed = seed;
		o.seed_len = seed_len;
	}
	rc = pv_testpki_generate(&o, &pki, &err);
	pv_cleanse(seed, sizeof(seed));
	if (!rc)
		rc = make_dir(dir, &err);
	if (!rc)
		rc = pv_testpki_write(pki, dir, &err);
	if (rc)
		goto fail;
	if (!quiet) {
		print_files(pki, dir);
		print_usage_lines(dir, o.hosts);
	}
	pv_testpki_free(pki);
	return PV_EXIT_OK;
fail:
	pv_cleanse(seed, sizeof(seed));
	pv_testpki_free(pki);
	return pv_cli_fail(err);
}

PV_COMMAND(hostkey, "write a test PKI, host keys and host-key documents",
	   run_hostkey, 70)
