// SPDX-License-Identifier: MIT
/*
 * `pvboot attest verify`: pvattest verify (attestation-and-secrets.md §5.1).
 * Opens the ARCB of a response with its ARPK, recomputes the measurement
 * over the image's SE-header tags and the response, and compares.  Exit 0
 * verified, 2 measurement differs, 1 any error; the result as text, as
 * pvattest's YAML, or as JSON (schema/attest.schema.json).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_common.h"
#include "cli.h"
#include "pvboot/attest.h"
#include "schema.h"

enum { OPT_HDR = 256, OPT_FORMAT, OPT_SCHEMA };
enum fmt { FMT_DEFAULT, FMT_TEXT, FMT_YAML, FMT_JSON };

#define RESP_MAX (PV_EXCH_HDR_LEN + PV_EXCH_MAX_ARCB + PV_EXCH_MAX_MEAS + \
		  PV_EXCH_MAX_ADD + PV_ATT_USER_MAX + PV_CUID_LEN)

struct verify_args {
	const char *input, *hdr, *arpk, *output, *user_data;
	enum fmt fmt;
	int quiet;
};

/* The additional data split by the request's flags (§4.3, §5.1 6). */
struct add_fields {
	const uint8_t *item[4];		/* image/att phkh, hash, fw state */
	const uint8_t *unrec;
	size_t unrec_len;
};

static const char *const item_key[4] = {
	"image_phkh", "attestation_phkh", "secret_store_hash",
	"firmware_state",
};
static const char *const item_name[4] = {
	"Image PHKH", "Attestation PHKH", "Secret store hash",
	"Firmware state",
};
static const uint32_t item_len[4] = {
	PV_ADD_PHKH_LEN, PV_ADD_PHKH_LEN, PV_ADD_SECRET_HASH_LEN,
	PV_ADD_FW_STATE_LEN,
};
static const uint64_t item_paf[4] = {
	PV_PAF_IMAGE_PHKH, PV_PAF_ATT_PHKH, PV_PAF_SECRET_HASH,
	PV_PAF_FW_STATE,
};

static int split_add(const struct pv_exchange *x, uint64_t paf,
		     struct add_fields *af, struct pv_err **err)
{
	uint32_t off = 0;

	memset(af, 0, sizeof(*af));
	for (int i = 0; i < 4; i++) {
		if (!(paf & item_paf[i]))
			continue;
		if (!x->add || x->add_len - off < item_len[i])
			return pv_err_set(err, PV_ERR_FORMAT,
					  "the response's additional data (%u bytes) lacks the %s the request asked for",
					  x->add ? x->add_len : 0,
					  item_name[i]);
		af->item[i] = x->add + off;
		off += item_len[i];
	}
	if (x->add && off < x->add_len) {
		af->unrec = x->add + off;
		af->unrec_len = x->add_len - off;
	}
	return 0;
}

static void put_hex(FILE *f, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

/*
 * pvattest's YAML (serde_yaml of AttestationResult): "0x" + lowercase hex;
 * a value of at most 16 bytes would read back as an integer, so serde_yaml
 * single-quotes it, and so do we (pvsecret create --cuid reads the file).
 */
static void yaml_val(FILE *f, const char *indent, const char *key,
		     const uint8_t *b, size_t n)
{
	const char *q = n <= 16 ? "'" : "";

	fprintf(f, "%s%s: %s0x", indent, key, q);
	put_hex(f, b, n);
	fprintf(f, "%s\n", q);
}

static void print_yaml(FILE *f, const struct pv_exchange *x,
		       const struct add_fields *af)
{
	yaml_val(f, "", "cuid", x->cuid, PV_CUID_LEN);
	if (x->add) {
		yaml_val(f, "", "add", x->add, x->add_len);
		fprintf(f, "add_fields:%s\n",
			af->item[0] || af->item[1] || af->item[2] ||
			af->item[3] || af->unrec ? "" : " {}");
		for (int i = 0; i < 4; i++)
			if (af->item[i])
				yaml_val(f, "  ", item_key[i], af->item[i],
					 item_len[i]);
		if (af->unrec)
			yaml_val(f, "  ", "unrecognized", af->unrec,
				 af->unrec_len);
	}
	if (x->user)
		yaml_val(f, "", "user_data", x->user, x->user_len);
}

static void text_val(FILE *f, const char *name, const uint8_t *b, size_t n)
{
	fprintf(f, "%s:\n0x", name);
	put_hex(f, b, n);
	fputc('\n', f);
}

static void print_text(FILE *f, bool ok, const struct pv_exchange *x,
		       const struct add_fields *af)
{
	if (!ok) {
		fprintf(f, "Attestation measurement NOT verified: the calculated and the received measurement differ\n");
		return;
	}
	fprintf(f, "Attestation measurement verified\n");
	text_val(f, "Config UID", x->cuid, PV_CUID_LEN);
	if (x->add) {
		text_val(f, "Additional-data", x->add, x->add_len);
		fprintf(f, "Additional-data content:\n");
		for (int i = 0; i < 4; i++)
			if (af->item[i])
				text_val(f, item_name[i], af->item[i],
					 item_len[i]);
		if (af->unrec)
			text_val(f, "Unrecognized", af->unrec, af->unrec_len);
	}
	if (x->user)
		text_val(f, "user-data", x->user, x->user_len);
}

/* schema/attest.schema.json */
static void print_json(FILE *f, bool ok, const struct pv_exchange *x,
		       const struct pv_arcb_plain *p,
		       const struct add_fields *af)
{
	struct json j;

	json_begin(&j, f, true);
	json_meta(&j);
	json_obj(&j, "data");
	json_bool(&j, "verified", ok);
	json_hex64(&j, "flags_hex", p->paf);
	json_bool(&j, "nonce", p->has_nonce);
	if (ok) {
		json_hexbuf(&j, "cuid_hex", x->cuid, PV_CUID_LEN);
		if (x->add) {
			json_hexbuf(&j, "additional_data_hex", x->add,
				    x->add_len);
			json_obj(&j, "additional_data");
			for (int i = 0; i < 4; i++) {
				char key[40];

				if (!af->item[i])
					continue;
				snprintf(key, sizeof(key), "%s_hex",
					 item_key[i]);
				json_hexbuf(&j, key, af->item[i],
					    item_len[i]);
			}
			if (af->unrec)
				json_hexbuf(&j, "unrecognized_hex", af->unrec,
					    af->unrec_len);
			json_close_obj(&j);
		}
		if (x->user)
			json_hexbuf(&j, "user_data_hex", x->user, x->user_len);
	}
	json_close_obj(&j);
	json_end(&j);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot attest verify -i RESPONSE --hdr IMAGE -a ARPK [-o FILE]\n"
"                            [--format text|yaml|json] [-u FILE]\n"
"       pvboot attest verify --print-schema[=json|text]\n"
"Verify the measurement in an attestation response (pvattest verify): the\n"
"request is opened with its protection key, the measurement is recomputed\n"
"over the SE header of IMAGE (an image or an extracted header) and the\n"
"response, and both must be equal.  Additional data and user data are\n"
"only checked to be covered by the measurement.\n"
"\n"
"  -i, --input FILE        the response, pvattest exchange format\n"
"      --hdr FILE          the image that was attested, or its SE header\n"
"  -a, --arpk FILE         the protection key 'attest create' wrote\n"
"  -o, --output FILE       write the result there (pvattest: YAML)\n"
"      --format FORMAT     text (default on the terminal), yaml or json\n"
"  -u, --user-data FILE    write the verified user data there\n"
"      --print-schema[=json|text]  the JSON Schema of --format json\n"
"  -q, --quiet             print nothing, only set the exit status\n"
"  -h, --help              show this help\n"
"\n"
"Example:\n"
"  pvboot attest verify -i resp --hdr se.img -a arpk -o result.yaml\n"
"Exit status: 0 verified, 1 error, 2 not verified (or usage error).\n"
"See the manual page pvboot-attest(1).\n");
}

static int parse(struct verify_args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "hdr", required_argument, NULL, OPT_HDR },
		{ "arpk", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "user-data", required_argument, NULL, 'u' },
		{ "print-schema", optional_argument, NULL, OPT_SCHEMA },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "attest verify";
	int c;

	memset(a, 0, sizeof(*a));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:a:o:u:vqh", lo, NULL)) != -1) {
		switch (c) {
		case 'i':
			a->input = optarg;
			break;
		case OPT_HDR:
			a->hdr = optarg;
			break;
		case 'a':
			a->arpk = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'u':
			a->user_data = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				a->fmt = FMT_TEXT;
			else if (!strcmp(optarg, "yaml"))
				a->fmt = FMT_YAML;
			else if (!strcmp(optarg, "json"))
				a->fmt = FMT_JSON;
			else
				return pv_cli_usage_error(cmd, "--format '%s': use text, yaml or json",
							  optarg);
			break;
		case OPT_SCHEMA:
			return cli_print_schema("attest",
						cli_schema_optarg(argc, argv));
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
	if (!a->input || !a->hdr || !a->arpk)
		return pv_cli_usage_error(cmd, "-i/--input, --hdr and -a/--arpk are required");
	if (a->fmt == FMT_DEFAULT)
		a->fmt = a->output ? FMT_YAML : FMT_TEXT;
	return -1;
}

struct verify_state {
	uint8_t *resp;
	size_t resp_len;
	struct pv_exchange x;
	struct pv_hdr_tags tags;
	struct pv_arcb_plain p;
	struct add_fields af;
	bool ok;
};

static int check(const struct verify_args *a, struct verify_state *s,
		 struct pv_err **err)
{
	uint8_t arpk[PV_REQ_KEY_LEN], m[PV_ATT_MEAS_LEN];
	struct pv_att_input in;
	int rc;

	rc = util_read_file(a->input, "attestation response", RESP_MAX,
			    &s->resp, &s->resp_len, err);
	if (!rc)
		rc = pv_exchange_parse(s->resp, s->resp_len, &s->x, err);
	if (rc)
		return pv_err_prefix(err, "'%s': ", a->input);
	if (!pv_exchange_is_response(&s->x))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "'%s' is not an attestation response: %s",
				  a->input, s->x.meas ?
				  "it holds no 16-byte configuration UID" :
				  "it holds no measurement (a request?)");
	rc = pv_hdr_tags_from_file(a->hdr, &s->tags, err);
	if (rc)
		return rc;
	rc = att_read_exact(a->arpk, "attestation request protection key",
			    arpk, sizeof(arpk), err);
	if (!rc)
		rc = pv_arcb_open(s->x.arcb, s->x.arcb_len, arpk, &s->p, err);
	pv_cleanse(arpk, sizeof(arpk));
	if (rc)
		return rc;
	in = (struct pv_att_input){
		.tags = &s->tags, .cuid = s->x.cuid, .user = s->x.user,
		.user_len = (uint16_t)s->x.user_len,
		.nonce = s->p.has_nonce ? s->p.nonce : NULL,
		.add = s->x.add, .add_len = s->x.add ? s->x.add_len : 0,
	};
	rc = pv_att_measure(s->p.meas_key, &in, m, err);
	if (rc)
		return rc;
	/* constant time, and the length counts too */
	s->ok = s->x.meas_len == PV_ATT_MEAS_LEN &&
		pv_memeq_ct(m, s->x.meas, PV_ATT_MEAS_LEN);
	if (s->ok)
		rc = split_add(&s->x, s->p.paf, &s->af, err);
	return rc;
}

static int output(const struct verify_args *a, struct verify_state *s,
		  struct pv_err **err)
{
	char *doc = NULL;
	size_t len = 0;
	FILE *f;
	int rc = 0;

	if (a->quiet && !a->output)
		return 0;
	/* pvattest writes no result file when the measurement differs */
	if (!s->ok && a->fmt == FMT_YAML)
		return 0;
	f = open_memstream(&doc, &len);
	if (!f)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (a->fmt == FMT_YAML)
		print_yaml(f, &s->x, &s->af);
	else if (a->fmt == FMT_JSON)
		print_json(f, s->ok, &s->x, &s->p, &s->af);
	else
		print_text(f, s->ok, &s->x, &s->af);
	if (fclose(f))
		rc = pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = att_write_file(a->output ? a->output : "-", doc, len,
				    false, "verification result", err);
	free(doc);
	return rc;
}

int attest_verify_main(int argc, char **argv)
{
	struct verify_state s;
	struct verify_args a;
	struct pv_err *err = NULL;
	int rc;

	rc = parse(&a, argc, argv);
	if (rc >= 0)
		return rc;
	memset(&s, 0, sizeof(s));
	rc = check(&a, &s, &err);
	if (!rc)
		rc = output(&a, &s, &err);
	if (!rc && s.ok && a.user_data) {
		if (s.x.user)
			rc = att_write_file(a.user_data, s.x.user,
					    s.x.user_len, false, "user data",
					    &err);
		else if (!a.quiet)
			pv_cli_warn("--user-data given, but the response holds no user data");
	}
	pv_cleanse(&s.p, sizeof(s.p));
	free(s.resp);
	if (rc) {
		/* exit 2 means "not verified" here, so every error is 1 */
		pv_cli_fail(err);
		return PV_EXIT_ERROR;
	}
	if (!s.ok) {
		if (!a.quiet && (a.output || a.fmt != FMT_TEXT))
			fprintf(stderr, "%s: attestation measurement NOT verified: the calculated and the received measurement differ\n",
				pv_progname);
		return PV_EXIT_USAGE;
	}
	if (!a.quiet && a.output)
		fprintf(stderr, "%s: attestation measurement verified; result written to '%s'\n",
			pv_progname, a.output);
	return PV_EXIT_OK;
}
