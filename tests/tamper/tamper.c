// SPDX-License-Identifier: MIT
/*
 * pvboot-tamper: flip bits of a Secure Execution image and boot every
 * result on pvboot's machine; report what the hypervisor layer and the
 * Ultravisor did with each flip (see campaign.h and tests/README.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/crypto.h"

#include "campaign.h"

#define TP_MAX_KEYS 8
#define TP_MAX_KEY_FILE (1U << 20)

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot-tamper IMAGE --host-key KEY... [options]\n"
"Flip every bit of the SE header, the IPIB and both loader parameter blocks\n"
"and a sample of component bits of IMAGE; boot each result on pvboot's\n"
"machine and classify it (refused with rc/rrc, booted, crashed).\n"
"\n"
"  -k, --host-key FILE        host private key (PEM or DER), repeatable\n"
"  -j, --jobs N               worker processes (default 2)\n"
"  -m, --memory SIZE          guest memory (default 256M)\n"
"  -t, --timeout SECONDS      run time limit per boot (default 30)\n"
"  -n, --component-flips N    sampled component bits (default 3000)\n"
"      --padding-flips N      sampled bits of Layout-C IPIB padding (512)\n"
"  -s, --seed N               seed of the samples (default fixed)\n"
"  -r, --regions LIST         comma list of se-header, ipib, component,\n"
"                             stage3b-args, stage3a-parms (default all)\n"
"  -q, --quick                one bit per byte instead of all eight\n"
"  -l, --log FILE             write one tab-separated line per flip\n"
"  -p, --progress             progress on stderr\n"
"  -h, --help\n"
"Exit status: 0 every outcome is what the specification allows, 1 some\n"
"flip booted, crashed or was refused against the specification, 2 usage\n"
"or the untouched image does not boot.\n");
}

static int read_file(const char *path, size_t max, uint8_t **out,
		     size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	struct stat st;
	size_t n = 0;

	if (!f) {
		fprintf(stderr, "pvboot-tamper: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	/* one read of the whole file: no realloc leaves key copies behind */
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || !st.st_size ||
	    (uint64_t)st.st_size > max) {
		fprintf(stderr, "pvboot-tamper: '%s' is not a regular file of 1 to %zu bytes\n",
			path, max);
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)st.st_size);
	if (buf)
		n = fread(buf, 1, (size_t)st.st_size, f);
	if (!buf || n != (size_t)st.st_size) {
		fprintf(stderr, "pvboot-tamper: cannot read '%s': %s\n", path,
			buf ? strerror(errno) : "out of memory");
		fclose(f);
		pv_free_secret(buf, (size_t)st.st_size);
		return -1;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

static int parse_regions(const char *s, unsigned int *mask)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int rc = 0;

	if (!copy)
		return -1;
	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int r;

		for (r = 0; r < TP__NREGIONS; r++)
			if (!strcmp(tok, tp_region_name(r)))
				break;
		if (r == TP__NREGIONS) {
			fprintf(stderr, "pvboot-tamper: unknown region '%s'\n",
				tok);
			rc = -1;
			break;
		}
		*mask |= 1U << r;
	}
	free(copy);
	return rc;
}

static int parse_u64(const char *s, const char *what, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || !*s || *end || *s == '-') {
		fprintf(stderr, "pvboot-tamper: invalid %s '%s'\n", what, s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "host-key", required_argument, NULL, 'k' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "memory", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "component-flips", required_argument, NULL, 'n' },
		{ "padding-flips", required_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 's' },
		{ "regions", required_argument, NULL, 'r' },
		{ "quick", no_argument, NULL, 'q' },
		{ "log", required_argument, NULL, 'l' },
		{ "progress", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tp_opts o = { .crash_at = -1 };
	struct pv_machine_key keys[TP_MAX_KEYS] = { { 0 } };
	const char *key_paths[TP_MAX_KEYS], *log = NULL;
	struct tp_campaign c;
	struct pv_err *err = NULL;
	size_t nkeys = 0, image_len = 0;
	uint8_t *image = NULL;
	uint64_t v;
	int opt, rc = 2;

	while ((opt = getopt_long(argc, argv, "k:j:m:t:n:s:r:ql:ph", lo,
				  NULL)) != -1) {
		switch (opt) {
		case 'k':
			if (nkeys == TP_MAX_KEYS) {
				fprintf(stderr, "pvboot-tamper: at most %d host keys\n",
					TP_MAX_KEYS);
				return 2;
			}
			key_paths[nkeys++] = optarg;
			break;
		case 'j':
			if (parse_u64(optarg, "job count", &v) || !v ||
			    v > 64)
				return 2;
			o.jobs = (unsigned int)v;
			break;
		case 'm':
			if (pv_parse_size(optarg, &o.mem_size, &err)) {
				fprintf(stderr, "pvboot-tamper: %s\n",
					err->msg);
				pv_err_free(err);
				return 2;
			}
			break;
		case 't':
			o.timeout = strtod(optarg, NULL);
			if (!(o.timeout > 0)) {
				fprintf(stderr, "pvboot-tamper: invalid timeout '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'n':
			if (parse_u64(optarg, "flip count", &o.comp_flips))
				return 2;
			break;
		case 'P':
			if (parse_u64(optarg, "flip count", &o.pad_flips))
				return 2;
			break;
		case 's':
			if (parse_u64(optarg, "seed", &o.seed))
				return 2;
			break;
		case 'r':
			if (parse_regions(optarg, &o.regions))
				return 2;
			break;
		case 'q':
			o.one_bit_per_byte = true;
			break;
		case 'l':
			log = optarg;
			break;
		case 'p':
			o.progress = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !nkeys) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < nkeys; i++) {
		uint8_t *b;
		size_t n;

		if (read_file(key_paths[i], TP_MAX_KEY_FILE, &b, &n))
			goto out;
		keys[i].data = b;
		keys[i].len = n;
	}
	if (read_file(argv[optind], SIZE_MAX / 2, &image, &image_len))
		goto out;
	if (tp_campaign_init(&c, image, image_len, keys, nkeys, &o, &err) ||
	    tp_baseline(&c, &err)) {
		fprintf(stderr, "pvboot-tamper: %s: %s\n", argv[optind],
			err->msg);
		if (c.fields)
			tp_campaign_free(&c);
		goto out;
	}
	printf("pvboot tamper campaign: %s\n", argv[optind]);
	fflush(stdout);
	if (tp_run(&c, &err)) {
		fprintf(stderr, "pvboot-tamper: %s\n", err->msg);
		tp_campaign_free(&c);
		goto out;
	}
	tp_report(&c, stdout);
	rc = tp_count_unexpected(&c) ? 1 : 0;
	if (log && tp_write_log(&c, log, &err)) {
		fprintf(stderr, "pvboot-tamper: %s\n", err->msg);
		rc = 2;
	}
	tp_campaign_free(&c);
out:
	pv_err_free(err);
	free(image);
	for (size_t i = 0; i < nkeys; i++)
		if (keys[i].data)
			pv_free_secret((void *)keys[i].data, keys[i].len);
	return rc;
}
