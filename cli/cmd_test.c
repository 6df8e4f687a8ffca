// SPDX-License-Identifier: MIT
/*
 * `pvboot test`: does an image have a key slot for one of these host keys?
 * pvimg test semantics (se-image-format.md §8.4): exit 0 if yes, 1 if not.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pvboot/hkd.h"
#include "pvboot/image.h"
#include "util.h"

#define UV_KEYS_ALL "/sys/firmware/uv/keys/all"
#define UV_KEY_HASHES 15

enum { OPT_KEY_HASHES = 256 };

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot test (-k HKD... | --key-hashes[=FILE]) IMAGE\n"
"Test whether a Secure Execution image can be opened by one of the given host\n"
"keys, i.e. whether its header has a key slot for one of them.\n"
"\n"
"  -k, --host-key-document FILE  host-key document (repeatable, or a,b,c);\n"
"                          the first certificate of the file is used\n"
"      --key-hashes[=FILE] host key hashes as the Ultravisor reports them:\n"
"                          15 lines of 64 hex digits (default FILE:\n"
"                          " UV_KEYS_ALL ")\n"
"  -q, --quiet             print nothing, only set the exit status\n"
"  -h, --help              show this help\n"
"\n"
"Examples:\n"
"  pvboot test -k host.crt se.img && echo 'host can boot it'\n"
"  pvboot test --key-hashes se.img\n"
"Exit status: 0 a key matches, 1 no key matches or error, 2 usage error.\n"
"See the manual page pvboot-test(1).\n");
}

static int read_hashes(const char *path, uint8_t h[UV_KEY_HASHES][32],
		       struct pv_err **err)
{
	uint8_t *buf;
	size_t len, n = 0;
	char *save = NULL, *line;
	int rc;

	rc = util_read_file(path, "key hashes", 65536, &buf, &len, err);
	if (rc)
		return rc;
	buf[len] = 0;	/* util_read_file leaves room for one more byte */
	for (line = strtok_r((char *)buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t l = strlen(line);

		if (l && line[l - 1] == '\r')
			line[l - 1] = 0;
		if (n == UV_KEY_HASHES || !util_parse_hex(line, h[n], 32)) {
			rc = pv_err_set(err, PV_ERR_FORMAT,
					"key hashes '%s': line %zu is not 64 hex digits or there are more than %d lines",
					path, n + 1, UV_KEY_HASHES);
			break;
		}
		n++;
	}
	free(buf);
	if (!rc && n != UV_KEY_HASHES)
		rc = pv_err_set(err, PV_ERR_FORMAT,
				"key hashes '%s': %zu lines, need %d", path, n,
				UV_KEY_HASHES);
	return rc;
}

static bool all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static int test_hashes(const struct pv_sehdr *hdr, const char *path,
		       bool quiet, bool *found, struct pv_err **err)
{
	static const char *const names[2] = { "host key", "backup host key" };
	uint8_t h[UV_KEY_HASHES][32];
	char hex[65];
	int rc = read_hashes(path, h, err);

	if (rc)
		return rc;
	for (int i = 0; i < UV_KEY_HASHES; i++) {
		if (all_zero(h[i], 32) || pv_sehdr_find_slot(hdr, h[i]) < 0)
			continue;
		*found = true;
		if (!quiet)
			printf("ok: %s hash %s has a key slot\n",
			       i < 2 ? names[i] : "key", util_hex(h[i], 32, hex));
	}
	return 0;
}

static int test_hkds(const struct pv_sehdr *hdr, const struct util_list *l,
		     bool quiet, bool *found, struct pv_err **err)
{
	for (size_t i = 0; i < l->n; i++) {
		struct pv_eckey *key = NULL;
		uint8_t phkh[PV_SHA256_LEN];
		int rc, slot;

		rc = pv_hkd_load(l->v[i], &key, err);
		if (!rc)
			rc = pv_eckey_phkh(key, phkh, err);
		pv_eckey_free(key);
		if (rc)
			return rc;
		slot = pv_sehdr_find_slot(hdr, phkh);
		if (slot >= 0)
			*found = true;
		if (quiet)
			continue;
		if (slot >= 0)
			printf("ok: host-key document '%s' has key slot %d\n",
			       l->v[i], slot);
		else
			printf("no: host-key document '%s' has no key slot\n",
			       l->v[i]);
	}
	return 0;
}

static int run_test(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "host-key-document", required_argument, NULL, 'k' },
		{ "key-hashes", optional_argument, NULL, OPT_KEY_HASHES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct pv_image_info *in;
	struct util_list hkds = { 0 };
	const char *hashes = NULL;
	struct pv_image *img = NULL;
	struct pv_err *err = NULL;
	bool found = false;
	int c, rc, quiet = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:qvh", lo, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (util_list_add(&hkds, optarg, true)) {
				util_list_free(&hkds);
				return PV_EXIT_ERROR;
			}
			break;
		case OPT_KEY_HASHES:
			hashes = optarg ? optarg : UV_KEYS_ALL;
			break;
		case 'q':
			quiet++;
			break;
		case 'v':
			break;
		case 'h':
			usage(stdout);
			util_list_free(&hkds);
			return PV_EXIT_OK;
		case ':':
			util_list_free(&hkds);
			return pv_cli_usage_error("test", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			util_list_free(&hkds);
			return pv_cli_bad_option("test", argv[optind - 1], lo);
		}
	}
	rc = -1;
	if (optind != argc - 1)
		rc = pv_cli_usage_error("test", optind < argc ?
					"give exactly one IMAGE" :
					"the IMAGE is missing");
	else if (!hkds.n == !hashes)
		rc = pv_cli_usage_error("test", "give either -k HKD... or --key-hashes[=FILE]");
	if (rc >= 0) {
		util_list_free(&hkds);
		return rc;
	}
	rc = pv_image_open(argv[optind], &img, &err);
	if (!rc) {
		in = pv_image_get_info(img);
		if (!in->hdr)
			rc = pv_err_set(&err, PV_ERR_FORMAT, "%s: %s",
					argv[optind], in->hdr_problem);
		else if (hashes)
			rc = test_hashes(in->hdr, hashes, quiet, &found, &err);
		else
			rc = test_hkds(in->hdr, &hkds, quiet, &found, &err);
	}
	pv_image_close(img);
	util_list_free(&hkds);
	if (rc) {
		pv_cli_fail(err);
		return PV_EXIT_ERROR;
	}
	if (!found && !quiet)
		printf("none of the keys has a key slot in '%s'\n",
		       argv[optind]);
	return found ? PV_EXIT_OK : PV_EXIT_ERROR;
}

PV_COMMAND(test, "test whether an image has a key slot for a host key",
	   run_test, 50)
