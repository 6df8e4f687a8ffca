// SPDX-License-Identifier: MIT
/*
 * `pvboot secret create`: pvsecret create (attestation-and-secrets.md §1,
 * §6): an add-secret request bound to an image's SE header, for meta,
 * association, retrievable and update-CCK secrets, with pvsecret's
 * options and its ASRCB bytes.  The secret kinds are in secret_kind.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_common.h"
#include "cli.h"
#include "pvboot/attest.h"
#include "secret_opts.h"

#define PV_GUEST_FLAG "/sys/firmware/uv/prot_virt_guest"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot secret create -k HKD... (-C CERT... | --no-verify) --hdr IMAGE\n"
"                            -o OUTPUT [OPTIONS] SECRET-KIND [KIND OPTIONS]\n"
"Create an add-secret request for a Secure Execution guest, with the options\n"
"and the request layout of IBM's pvsecret.  The request is bound to the SE\n"
"header of IMAGE (and, with --cuid, to one running instance); the guest adds\n"
"it to its Ultravisor secret store (pvsecret add, or pvboot's test kernel\n"
"with 'pvboot.secrets').\n"
"\n"
"  -k, --host-key-document FILE  host-key document (repeatable, or a,b,c)\n"
"  -C, --cert FILE, --crl FILE, --root-ca FILE, --offline, --no-verify\n"
"                          host-key document verification, as 'attest create'\n"
"      --hdr FILE          the guest's SE image or its SE header\n"
"  -o, --output FILE       the request ('-' for standard output)\n"
"      --cuid FILE         bind to this configuration UID: 16 bytes, or the\n"
"                          YAML of 'attest verify -o' (its 'cuid' entry)\n"
"      --cuid-hex HEX      the same as 32 hex digits (0x optional)\n"
"      --extension-secret FILE  the extension secret (32 bytes)\n"
"      --cck FILE          derive the extension secret from this customer\n"
"                          communication key (32 bytes)\n"
"      --flags disable-dump  no host-initiated dumps of the guest any more\n"
"      --user-data FILE    up to 512 bytes, authenticated, not interpreted\n"
"      --use-name          take NAME itself (31 bytes at most) as the secret\n"
"                          ID instead of its SHA-256\n"
"  -f, --force             create the request even inside an SE guest\n"
"  -v, --verbose, -q, --quiet, -h, --help\n"
"\n"
"Secret kinds:\n"
"  meta                    no secret, carries the flags only\n"
"  association NAME [--input-secret FILE | --output-secret FILE] [--stdout]\n"
"                          a 32-byte association secret (random unless\n"
"                          --input-secret); NAME.yaml gets its name and ID\n"
"  retrievable|retr NAME --secret FILE --type TYPE [--stdout]\n"
"                          TYPE: plain (up to 8190 bytes), aes (16/24/32),\n"
"                          aes-xts (32/64), hmac-sha (64/128), ec (a PEM or\n"
"                          DER EC, Ed25519 or Ed448 private key)\n"
"  update-cck|cck --secret FILE  a new customer communication key\n"
"\n"
"Example:\n"
"  pvboot secret create -k host.crt --no-verify --hdr se.img -o add.bin \\\n"
"      --cuid result.yaml association my-secret --output-secret secret.bin\n"
"Exit status: 0 success, 1 error, 2 usage error.  See the manual page\n"
"pvboot-secret(1).\n");
}

/* pvsecret's guard: requests are made where the secret is not used. */
static bool in_se_guest(void)
{
	FILE *f = fopen(PV_GUEST_FLAG, "r");
	int c = EOF;

	if (f) {
		c = fgetc(f);
		fclose(f);
	}
	return c == '1';
}

/*
 * NAME.yaml next to the output, or standard output: the non-secret part
 * as pvsecret writes it (serde_yaml of GuestSecret).
 */
static int write_info(const struct secret_args *a, const struct secret_kind *k,
		      struct pv_err **err)
{
	char *doc = NULL, *path = NULL;
	size_t len = 0;
	const char *slash;
	FILE *f;
	int rc = 0;

	if (!k->listable)
		return 0;
	f = open_memstream(&doc, &len);
	if (!f)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	secret_kind_yaml(f, a, k);
	if (fclose(f))
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (a->to_stdout) {
		rc = att_write_file("-", doc, len, false, "secret information",
				    err);
		free(doc);
		return rc;
	}
	slash = strrchr(a->output, '/');
	if (asprintf(&path, "%.*s%s.yaml",
		     slash ? (int)(slash - a->output + 1) : 0, a->output,
		     a->name_file) < 0) {
		free(doc);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	rc = att_write_file(path, doc, len, false, "secret information", err);
	if (!rc && !a->quiet)
		fprintf(stderr, "%s: secret name and ID written to '%s'\n",
			pv_progname, path);
	free(path);
	free(doc);
	return rc;
}

static int build(struct secret_args *a, struct pv_err **err)
{
	struct secret_kind k;
	struct pv_asrcb_opts o = { 0 };
	struct pv_hdr_tags tags;
	uint8_t *req = NULL;
	size_t len = 0;
	int rc;

	memset(&k, 0, sizeof(k));
	if (in_se_guest() && !a->force)
		return pv_err_set(err, PV_ERR_STATE,
				  "this system is a Secure Execution guest: make add-secret requests elsewhere, or use -f");
	rc = pv_hdr_tags_from_file(a->hdr, &tags, err);
	if (!rc)
		rc = secret_kind_load(a, &tags, &k, err);
	if (!rc)
		rc = cert_opts_load(&a->cert, "secret", a->quiet, err);
	if (rc)
		goto out;
	o.flags = a->flags;
	o.tags = &tags;
	o.cuid = k.have_cuid ? k.cuid : NULL;
	o.type = k.type;
	o.id = k.id;
	o.secret = k.value;
	o.secret_len = k.len;
	o.ext = k.have_ext ? k.ext : NULL;
	o.user = k.user;
	o.user_len = k.user_len;
	o.keys.hosts = (const struct pv_eckey *const *)a->cert.keys;
	o.keys.nhosts = a->cert.nkeys;
	rc = pv_asrcb_build(&o, &req, &len, err);
	if (!rc)
		rc = att_write_file(a->output, req, len, false,
				    "add-secret request", err);
	if (!rc && a->output_secret)
		rc = att_write_file(a->output_secret, k.value, k.len, true,
				    "association secret", err);
	if (!rc)
		rc = write_info(a, &k, err);
	if (!rc && !a->quiet && strcmp(a->output, "-"))
		fprintf(stderr, "%s: %s add-secret request written to '%s' (%zu bytes)\n",
			pv_progname, pv_secret_type_name(k.type), a->output,
			len);
out:
	free(req);
	secret_kind_free(&k);
	return rc;
}

static int secret_create(int argc, char **argv)
{
	struct secret_args a;
	struct pv_err *err = NULL;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = secret_opts_parse(&a, argc, argv, usage);
	if (rc < 0)
		rc = build(&a, &err) ? pv_cli_fail(err) : PV_EXIT_OK;
	secret_opts_free(&a);
	return rc;
}

static int run_secret(int argc, char **argv)
{
	static const char *const subs[] = { "create", "add", "list", "lock",
					    "retrieve", "verify" };
	const char *best;

	if (argc < 2)
		return pv_cli_usage_error("secret", "give a sub-command: create");
	if (!strcmp(argv[1], "create"))
		return secret_create(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return PV_EXIT_OK;
	}
	for (int i = 1; i < 5; i++)
		if (!strcmp(argv[1], subs[i]))
			return pv_cli_usage_error("secret", "'%s' runs inside the guest: boot the image with 'pvboot run' and the test kernel's 'pvboot.secrets' (see pvboot-secret(1))",
						  argv[1]);
	best = pv_cli_closest(argv[1], subs, 1);
	if (best)
		return pv_cli_usage_error("secret", "unknown sub-command '%s'; did you mean '%s'?",
					  argv[1], best);
	return pv_cli_usage_error("secret", "unknown sub-command '%s': use create",
				  argv[1]);
}

PV_COMMAND(secret, "create add-secret requests for a guest (pvsecret)",
	   run_secret, 66)
