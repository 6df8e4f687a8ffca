// SPDX-License-Identifier: MIT
/*
 * `pvboot attest`: pvattest's create and verify (attestation-and-secrets.md
 * §1, §5).  create writes an attestation request in the exchange format
 * and its protection key; verify is in attest_verify.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest_common.h"
#include "cli.h"
#include "pvboot/attest.h"
#include "pvboot/outfile.h"

int attest_verify_main(int argc, char **argv);

enum { OPT_ADD_DATA = 256 };

static const struct {
	const char *name;
	uint64_t paf;
} add_flags[] = {
	{ "phkh-img", PV_PAF_IMAGE_PHKH },
	{ "phkh-att", PV_PAF_ATT_PHKH },
	{ "secret-store-hash", PV_PAF_SECRET_HASH },
	{ "firmware-state", PV_PAF_FW_STATE },
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot attest create -k HKD... (-C CERT... | --no-verify) -o REQUEST\n"
"                            -a ARPK [--add-data FLAGS]\n"
"       pvboot attest verify -i RESPONSE --hdr IMAGE -a ARPK [-o FILE]\n"
"                            [--format yaml|json|text] [-u FILE]\n"
"Create attestation requests for a Secure Execution guest and verify the\n"
"Ultravisor's answer, with the options and files of IBM's pvattest.  The\n"
"guest sends the request to the Ultravisor (pvattest perform, or pvboot's\n"
"test kernel with 'pvboot.attest'), which answers with a measurement over\n"
"the guest's SE header.\n"
"\n"
"create:\n"
"  -k, --host-key-document FILE  host-key document (repeatable, or a,b,c)\n"
"  -C, --cert FILE         IBM Z signing key and intermediate CA (repeatable)\n"
"      --crl FILE          certificate revocation list (repeatable)\n"
"      --root-ca FILE      trusted root CA (default: the system's)\n"
"      --offline           never download CRLs (pvboot never does)\n"
"      --no-verify         do not verify the host-key documents (unsafe)\n"
"  -o, --output FILE       the request, pvattest exchange format\n"
"  -a, --arpk FILE         the request's protection key (32 bytes, mode\n"
"                          0600): keep it secret, delete it after verify\n"
"      --add-data FLAGS    additional data the Ultravisor returns, comma\n"
"                          separated: phkh-img, phkh-att, secret-store-hash,\n"
"                          firmware-state\n"
"verify:\n"
"  -i, --input FILE        the response (exchange format)\n"
"      --hdr FILE          the guest's SE image or its SE header\n"
"  -a, --arpk FILE         the protection key written by create\n"
"  -o, --output FILE       write the result there (default format yaml)\n"
"      --format FORMAT     text (default without -o), yaml (as pvattest)\n"
"                          or json\n"
"  -u, --user-data FILE    write the verified user data there\n"
"      --print-schema[=json|text]  the JSON Schema of --format json\n"
"both:\n"
"  -v, --verbose, -q, --quiet, -h, --help\n"
"\n"
"Examples (pvboot-attest(1) shows the whole loop with 'pvboot run'):\n"
"  pvboot attest create -k host.crt --no-verify -o req -a arpk\n"
"  pvboot attest verify -i resp --hdr se.img -a arpk -o result.yaml\n"
"Exit status: 0 success (verified), 1 error, 2 measurement not verified or\n"
"usage error.  See the manual page pvboot-attest(1).\n");
}

static int parse_add_data(const char *arg, uint64_t *paf)
{
	char *copy = strdup(arg), *save = NULL, *tok;
	int rc = -1;

	if (!copy)
		return PV_EXIT_ERROR;
	for (tok = strtok_r(copy, ",", &save); tok && rc < 0;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(add_flags) / sizeof(add_flags[0]); i++)
			if (!strcmp(tok, add_flags[i].name))
				break;
		if (i == sizeof(add_flags) / sizeof(add_flags[0]))
			rc = pv_cli_usage_error("attest create",
						"--add-data '%s': use phkh-img, phkh-att, secret-store-hash or firmware-state",
						tok);
		else
			*paf |= add_flags[i].paf;
	}
	free(copy);
	return rc;
}

struct create_args {
	struct cert_opts cert;
	const char *output, *arpk;
	uint64_t paf;
	int quiet;
};

static int parse_create(struct create_args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		CERT_LONG_OPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "arpk", required_argument, NULL, 'a' },
		{ "add-data", required_argument, NULL, OPT_ADD_DATA },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "attest create";
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:C:o:a:vqh", lo, NULL)) != -1) {
		rc = cert_opts_take(&a->cert, c, optarg);
		if (rc < 0)
			return PV_EXIT_ERROR;
		if (rc)
			continue;
		switch (c) {
		case 'o':
			a->output = optarg;
			break;
		case 'a':
			a->arpk = optarg;
			break;
		case OPT_ADD_DATA:
			rc = parse_add_data(optarg, &a->paf);
			if (rc >= 0)
				return rc;
			break;
		case 'v':
			break;
		case 'q':
			a->quiet++;
			break;
		case 'h':
			usage(stdout);
			return PV_EXIT_OK;
		case ':':
			return pv_cli_usage_error(cmd, "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return pv_cli_bad_option(cmd, argv[optind - 1], lo);
		}
	}
	if (optind < argc)
		return pv_cli_usage_error(cmd, "unexpected argument '%s'",
					  argv[optind]);
	if (!a->output)
		return pv_cli_usage_error(cmd, "the output is required (-o/--output FILE)");
	if (!a->arpk)
		return pv_cli_usage_error(cmd, "the protection key file is required (-a/--arpk FILE)");
	if (!strcmp(a->output, a->arpk))
		return pv_cli_usage_error(cmd, "--output and --arpk name the same file");
	return cert_opts_check(&a->cert, cmd, PV_REQ_MAX_KEYSLOTS);
}

/* Both files or neither: write both, then name both. */
static int write_outputs(const struct create_args *a, const uint8_t *req,
			 size_t req_len, const uint8_t *arpk,
			 struct pv_err **err)
{
	struct pv_outfile fr, fk;
	bool key_named;
	int rc;

	rc = pv_outfile_open(&fr, a->output, PV_OUTFILE_OVERWRITE, 0666, err);
	if (rc)
		return rc;
	rc = pv_outfile_open(&fk, a->arpk, PV_OUTFILE_OVERWRITE, 0600, err);
	if (rc) {
		pv_outfile_abort(&fr);
		return rc;
	}
	if (util_write_all(fr.fd, req, req_len))
		rc = pv_err_set(err, PV_ERR_IO, "writing '%s': %s", a->output,
				strerror(errno));
	else if (util_write_all(fk.fd, arpk, PV_REQ_KEY_LEN))
		rc = pv_err_set(err, PV_ERR_IO, "writing '%s': %s", a->arpk,
				strerror(errno));
	if (!rc)
		rc = pv_outfile_commit(&fk, err);
	else
		pv_outfile_abort(&fk);
	key_named = !rc;
	if (!rc)
		rc = pv_outfile_commit(&fr, err);
	else
		pv_outfile_abort(&fr);
	if (rc && key_named)
		unlink(a->arpk);	/* the key is useless without its request */
	return rc;
}

static int build(struct create_args *a, struct pv_err **err)
{
	struct pv_arcb_opts o = { .paf = a->paf };
	struct pv_exchange x = { 0 };
	uint8_t arpk[PV_REQ_KEY_LEN], *arcb = NULL, *req = NULL;
	size_t arcb_len = 0, req_len;
	int rc;

	rc = cert_opts_load(&a->cert, "attestation request", a->quiet, err);
	if (rc)
		return rc;
	o.keys.hosts = (const struct pv_eckey *const *)a->cert.keys;
	o.keys.nhosts = a->cert.nkeys;
	rc = pv_arcb_build(&o, &arcb, &arcb_len, arpk, err);
	if (rc)
		return rc;
	/* §5.2 request: the ARCB and the expected sizes only */
	x.arcb = arcb;
	x.arcb_len = (uint32_t)arcb_len;
	x.meas_len = PV_ATT_MEAS_LEN;
	x.add_len = pv_paf_add_size(o.paf);
	req_len = pv_exchange_len(&x);
	req = malloc(req_len);
	if (!req)
		rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = pv_exchange_write(&x, req, req_len, err);
	if (!rc)
		rc = write_outputs(a, req, req_len, arpk, err);
	pv_cleanse(arpk, sizeof(arpk));
	free(req);
	free(arcb);
	if (!rc && !a->quiet)
		fprintf(stderr,
			"%s: attestation request written to '%s' (%zu bytes, %zu host key%s, %u bytes of additional data asked for)\n"
			"%s: protection key written to '%s': keep it secret, delete it after 'attest verify'\n",
			pv_progname, a->output, req_len, a->cert.nkeys,
			a->cert.nkeys == 1 ? "" : "s", x.add_len, pv_progname,
			a->arpk);
	return rc;
}

static int attest_create(int argc, char **argv)
{
	struct create_args a;
	struct pv_err *err = NULL;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = parse_create(&a, argc, argv);
	if (rc < 0)
		rc = build(&a, &err) ? pv_cli_fail(err) : PV_EXIT_OK;
	cert_opts_free(&a.cert);
	return rc;
}

static int run_attest(int argc, char **argv)
{
	static const char *const subs[] = { "create", "verify" };
	const char *best;

	if (argc < 2)
		return pv_cli_usage_error("attest", "give a sub-command: create or verify");
	if (!strcmp(argv[1], "create"))
		return attest_create(argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify"))
		return attest_verify_main(argc - 1, argv + 1);
	/* like the other commands: `pvboot attest --print-schema` */
	if (!strncmp(argv[1], "--print-schema", 14))
		return attest_verify_main(argc, argv);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return PV_EXIT_OK;
	}
	if (!strcmp(argv[1], "perform"))
		return pv_cli_usage_error("attest", "'perform' runs inside the guest: boot the image with 'pvboot run' (the test kernel performs the request given as its initrd)");
	best = pv_cli_closest(argv[1], subs, 2);
	if (best)
		return pv_cli_usage_error("attest", "unknown sub-command '%s'; did you mean '%s'?",
					  argv[1], best);
	return pv_cli_usage_error("attest", "unknown sub-command '%s': use create or verify",
				  argv[1]);
}

PV_COMMAND(attest, "create and verify attestation requests (pvattest)",
	   run_attest, 64)
