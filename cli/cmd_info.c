// SPDX-License-Identifier: MIT
/*
 * `pvboot info`: layout, components and SE header of an image, as text or
 * as pvimg-shaped JSON (se-image-format.md §8.3).  With the header key or a
 * host private key the header is authenticated; secrets are printed only
 * with --show-secrets.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pvboot/image.h"
#include "schema.h"
#include "util.h"

#define HX(x) ((unsigned long long)(x))

enum { OPT_FORMAT = 256, OPT_HDR_KEY, OPT_HOST_KEY, OPT_SHOW, OPT_SCHEMA };

struct info_opts {
	const char *format;	/* NULL: text on a tty, JSON otherwise */
	const char *hdr_key, *host_key, *image;
	bool show_secrets;
	int quiet;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot info [--format FORMAT] [--hdr-key FILE | --host-key FILE\n"
"                   [--show-secrets]] IMAGE\n"
"       pvboot info --print-schema[=json|text]\n"
"Show the layout, the components and the SE header of a Secure Execution\n"
"image (pvboot or IBM layout R or C).\n"
"\n"
"      --format FORMAT     text (default on a terminal), json (otherwise),\n"
"                          json:pretty, json:minify, text:full\n"
"      --hdr-key, --key FILE  header protection key (32 bytes): authenticate\n"
"                          the header\n"
"      --host-key FILE     host private key (PEM/DER): open the header the way\n"
"                          the Ultravisor does\n"
"      --show-secrets      also print the decrypted secrets (CCK, image key)\n"
"      --print-schema[=json|text]  print the JSON Schema of --format json\n"
"  -q, --quiet             no warning about an unverified header\n"
"  -h, --help              show this help\n"
"\n"
"Examples:\n"
"  pvboot info se.img\n"
"  pvboot info --format json --hdr-key hdr.key --show-secrets se.img\n"
"  pvboot info --print-schema > info.schema.json\n"
"Exit status: 0 success, 1 error (also: the key does not open the header),\n"
"2 usage error.  See the manual page pvboot-info(1).\n");
}

static int parse(struct info_opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "hdr-key", required_argument, NULL, OPT_HDR_KEY },
		{ "key", required_argument, NULL, OPT_HDR_KEY },
		{ "host-key", required_argument, NULL, OPT_HOST_KEY },
		{ "show-secrets", no_argument, NULL, OPT_SHOW },
		{ "print-schema", optional_argument, NULL, OPT_SCHEMA },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qvh", lo, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "text:full") &&
			    strcmp(optarg, "json") && strcmp(optarg, "json:pretty") &&
			    strcmp(optarg, "json:minify"))
				return pv_cli_usage_error("info",
							  "--format '%s': use text or json (json:pretty, json:minify)",
							  optarg);
			o->format = optarg;
			break;
		case OPT_HDR_KEY:
			o->hdr_key = optarg;
			break;
		case OPT_HOST_KEY:
			o->host_key = optarg;
			break;
		case OPT_SHOW:
			o->show_secrets = true;
			break;
		case OPT_SCHEMA:
			return cli_print_schema("info",
						cli_schema_optarg(argc, argv));
		case 'q':
			o->quiet++;
			break;
		case 'v':
			break;
		case 'h':
			usage(stdout);
			return PV_EXIT_OK;
		case ':':
			return pv_cli_usage_error("info", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return pv_cli_bad_option("info", argv[optind - 1], lo);
		}
	}
	if (optind != argc - 1)
		return pv_cli_usage_error("info", optind < argc ?
					  "give exactly one IMAGE" :
					  "the IMAGE is missing");
	o->image = argv[optind];
	if (o->hdr_key && o->host_key)
		return pv_cli_usage_error("info", "--hdr-key and --host-key exclude each other");
	if (o->show_secrets && !o->hdr_key && !o->host_key)
		return pv_cli_usage_error("info", "--show-secrets needs --hdr-key or --host-key");
	return -1;
}

/* Open the header with the key the user gave; returns 1 when opened. */
static int open_with_key(const struct info_opts *o, struct pv_image *img,
			 struct pv_sehdr_secret *sec, int *slot,
			 struct pv_err **err)
{
	uint8_t hpk[PV_HPK_LEN];
	uint8_t *buf;
	size_t len;
	int rc;

	*slot = -1;
	if (!o->hdr_key && !o->host_key)
		return 0;
	rc = util_read_file(o->hdr_key ? o->hdr_key : o->host_key,
			    o->hdr_key ? "header protection key" : "host key",
			    65536, &buf, &len, err);
	if (rc)
		return rc;
	if (o->hdr_key) {
		if (len != PV_HPK_LEN)
			rc = pv_err_set(err, PV_ERR_KEY,
					"header protection key '%s' must be exactly %d bytes, got %zu",
					o->hdr_key, PV_HPK_LEN, len);
		else
			memcpy(hpk, buf, sizeof(hpk));
	} else {
		struct pv_eckey *host = NULL;

		rc = pv_eckey_from_bytes(buf, len, true, &host, err);
		if (rc)
			pv_err_prefix(err, "host key '%s': ", o->host_key);
		else
			rc = pv_image_unwrap_hpk(img, host, hpk, slot, err);
		pv_eckey_free(host);
	}
	util_free_file(buf, 65536 + 1);
	if (!rc)
		rc = pv_image_open_header(img, hpk, sec, err);
	pv_cleanse(hpk, sizeof(hpk));
	return rc ? rc : 1;
}

static void flag_names(FILE *f, const struct pv_flag_name *t, uint64_t v)
{
	const char *sep = "";
	uint64_t known = 0;

	for (; t->name; t++) {
		known |= t->mask;
		if (v & t->mask) {
			fprintf(f, "%s%s", sep, t->name);
			sep = ", ";
		}
	}
	if (v & ~known)
		fprintf(f, "%sunknown 0x%llx", sep, HX(v & ~known));
	if (!v)
		fputs("none", f);
}

static void print_hex_line(const char *label, const uint8_t *b, size_t len)
{
	char hex[2 * PV_EC_COORDS_LEN + 1];

	printf("  %-12s %s\n", label, util_hex(b, len, hex));
}

static void text_layout(const struct pv_image_info *in, const char *path)
{
	printf("Image        %s: layout %s, %llu bytes\n", path,
	       in->layout == PV_LAYOUT_C ? "C (genprotimg)" : "R (pvimg)",
	       HX(in->file_size));
	if (in->has_meta)
		printf("Metadata     0xc000: SE header 0x%llx, IPIB 0x%llx, version %u\n",
		       HX(in->meta.hdr_off), HX(in->meta.ipib_off),
		       in->meta.version);
	printf("Short PSW    0x%016llx\n", HX(in->short_psw));
	if (in->has_stage3a_parms)
		printf("stage3a      parameters at 0x%llx: hdr_offs 0x%llx, hdr_size 0x%llx, ipib_offs 0x%llx\n",
		       HX(in->stage3a_parms_addr),
		       HX(in->stage3a_parms.hdr_offs),
		       HX(in->stage3a_parms.hdr_size),
		       HX(in->stage3a_parms.ipib_offs));
	if (in->ipib)
		printf("IPIB         0x%llx: length %u, PV version %u, %u components, header 0x%llx (%llu bytes)\n",
		       HX(in->ipib_addr), in->ipib->len, in->ipib->pv_version,
		       in->ipib->num_comp, HX(in->ipib->hdr_addr),
		       HX(in->ipib->hdr_size));
	else
		printf("IPIB         %s\n", in->ipib_problem);
	if (in->ncomps) {
		printf("Components   kind     address     size        pages     tweak prefix\n");
		for (size_t i = 0; i < in->ncomps; i++) {
			const struct pv_image_comp *c = &in->comps[i];

			printf("  %-10zu %-8s 0x%08llx  0x%08llx  %-9llu %016llx\n",
			       i, pv_comp_kind_name(c->kind), HX(c->addr),
			       HX(c->len), HX(c->len / PV_PAGE_SIZE),
			       HX(c->tweak_pref));
		}
	}
}

static void text_header(const struct pv_image_info *in, bool opened,
			const struct pv_sehdr_secret *sec, int slot,
			bool show)
{
	const struct pv_sehdr *h = in->hdr;
	char hex[2 * PV_SHA512_LEN + 1];

	printf("SE header    0x%llx: %u bytes, version 0x%x, %llu key slots, encrypted area %llu bytes\n",
	       HX(in->hdr_addr), h->phs, h->version, HX(h->nks), HX(h->sea));
	print_hex_line("IV", h->iv, PV_GCM_IV_LEN);
	printf("  %-12s %llu\n", "nep", HX(h->nep));
	printf("  %-12s 0x%016llx (", "PCF", HX(h->pcf));
	flag_names(stdout, pv_pcf_names, h->pcf);
	printf(")\n");
	print_hex_line("customer X", h->cust_pub, PV_EC_COORD_LEN);
	print_hex_line("customer Y", h->cust_pub + PV_EC_COORD_LEN,
		       PV_EC_COORD_LEN);
	print_hex_line("PLD", h->pld, PV_SHA512_LEN);
	print_hex_line("ALD", h->ald, PV_SHA512_LEN);
	print_hex_line("TLD", h->tld, PV_SHA512_LEN);
	for (uint64_t i = 0; i < h->nks; i++)
		printf("  slot %-7llu phkh %s\n", HX(i),
		       util_hex(h->slots[i].phkh, PV_SHA256_LEN, hex));
	print_hex_line("tag", h->tag, PV_GCM_TAG_LEN);
	if (!opened) {
		printf("Verified     no (give --hdr-key or --host-key)\n");
		return;
	}
	if (slot >= 0)
		printf("Verified     yes (host key, key slot %d)\n", slot);
	else
		printf("Verified     yes (header protection key)\n");
	printf("  %-12s mask 0x%016llx, address 0x%llx\n", "PSW",
	       HX(sec->psw_mask), HX(sec->psw_addr));
	printf("  %-12s 0x%016llx (", "SCF", HX(sec->scf));
	flag_names(stdout, pv_scf_names, sec->scf);
	printf(")\n");
	if (show) {
		print_hex_line("CCK", sec->cck, PV_CCK_LEN);
		print_hex_line("image key", sec->xts, PV_XK_LEN);
	} else {
		printf("  %-12s (not shown; --show-secrets)\n", "CCK, key");
	}
}

static void json_flags(struct json *j, const char *key,
		       const struct pv_flag_name *t, uint64_t v)
{
	json_arr(j, key);
	for (; t->name; t++)
		if (v & t->mask)
			json_str(j, NULL, t->name);
	json_close_arr(j);
}

static void json_image(struct json *j, const struct pv_image_info *in,
		       bool opened, const struct pv_sehdr_secret *sec)
{
	json_obj(j, "image");
	json_str(j, "layout", pv_layout_name(in->layout));
	json_u64(j, "file_size", in->file_size);
	if (in->has_meta) {
		json_obj(j, "metadata");
		json_hex64(j, "hdr_off_hex", in->meta.hdr_off);
		json_hex64(j, "ipib_off_hex", in->meta.ipib_off);
		json_u64(j, "version", in->meta.version);
		json_close_obj(j);
	}
	json_hex64(j, "short_psw_hex", in->short_psw);
	json_hex64(j, "hdr_addr_hex", in->hdr_addr);
	if (in->ipib) {
		json_hex64(j, "ipib_addr_hex", in->ipib_addr);
		json_u64(j, "ipib_len", in->ipib->len);
	}
	if (in->has_stage3a_parms)
		json_hex64(j, "stage3a_parms_addr_hex", in->stage3a_parms_addr);
	json_flags(j, "pcf_flags", pv_pcf_names, in->hdr->pcf);
	if (opened)
		json_flags(j, "scf_flags", pv_scf_names, sec->scf);
	json_arr(j, "components");
	for (size_t i = 0; i < in->ncomps; i++) {
		json_obj(j, NULL);
		json_str(j, "kind", pv_comp_kind_name(in->comps[i].kind));
		json_hex64(j, "addr_hex", in->comps[i].addr);
		json_u64(j, "len", in->comps[i].len);
		json_hex64(j, "tweak_pref_hex", in->comps[i].tweak_pref);
		json_close_obj(j);
	}
	json_close_arr(j);
	json_close_obj(j);
}

/* §8.3: pvimg's data fields, in its three allowed combinations */
static int json_header(struct json *j, const struct pv_image_info *in,
		       bool opened, const struct pv_sehdr_secret *sec,
		       bool show)
{
	const struct pv_sehdr *h = in->hdr;

	json_obj(j, "data");
	json_str(j, "kind", show ? "decrypted_se_hdr" : "se_hdr");
	json_bool(j, "verified", opened);
	json_hex64(j, "magic_hex", h->magic);
	json_str(j, "version", "V1");
	json_u64(j, "sehs", h->phs);
	json_hexbuf(j, "iv_hex", h->iv, PV_GCM_IV_LEN);
	json_u64(j, "nks", h->nks);
	json_u64(j, "sea", h->sea);
	json_u64(j, "nep", h->nep);
	json_hex64(j, "pcf_hex", h->pcf);
	json_obj(j, "cust_pub_key");
	json_hexbuf(j, "coord_hex", h->cust_pub, PV_EC_COORDS_LEN);
	json_close_obj(j);
	json_hexbuf(j, "pld_hex", h->pld, PV_SHA512_LEN);
	json_hexbuf(j, "ald_hex", h->ald, PV_SHA512_LEN);
	json_hexbuf(j, "tld_hex", h->tld, PV_SHA512_LEN);
	json_arr(j, "keyslots");
	for (uint64_t i = 0; i < h->nks; i++) {
		json_obj(j, NULL);
		json_hexbuf(j, "phkh_hex", h->slots[i].phkh, PV_SHA256_LEN);
		json_hexbuf(j, "wrpk_hex", h->slots[i].wrpk, 32);
		json_hexbuf(j, "kst_hex", h->slots[i].kst, PV_GCM_TAG_LEN);
		json_close_obj(j);
	}
	json_close_arr(j);
	if (show) {
		json_hexbuf(j, "cck_hex", sec->cck, PV_CCK_LEN);
		json_hexbuf(j, "xts_hex", sec->xts, PV_XK_LEN);
		json_obj(j, "psw");
		json_hex64(j, "mask_hex", sec->psw_mask);
		json_hex64(j, "addr_hex", sec->psw_addr);
		json_close_obj(j);
		json_hex64(j, "scf_hex", sec->scf);
	} else {
		char *b64 = util_base64(h->enc, h->sea);

		if (!b64)
			return -1;
		json_str(j, "cipher_data_b64", b64);
		free(b64);
	}
	json_hexbuf(j, "tag_hex", h->tag, PV_GCM_TAG_LEN);
	json_close_obj(j);
	return 0;
}

static int run_info(int argc, char **argv)
{
	struct pv_sehdr_secret sec;
	const struct pv_image_info *in;
	struct pv_image *img = NULL;
	struct pv_err *err = NULL;
	struct info_opts o;
	bool json, opened;
	int rc, slot;

	rc = parse(&o, argc, argv);
	if (rc >= 0)
		return rc;
	json = o.format ? !strncmp(o.format, "json", 4) :
			  !isatty(STDOUT_FILENO);
	memset(&sec, 0, sizeof(sec));
	if (pv_image_open(o.image, &img, &err))
		return pv_cli_fail(err);
	in = pv_image_get_info(img);
	if (!in->hdr) {
		pv_err_set(&err, PV_ERR_FORMAT, "%s: %s", o.image,
			   in->hdr_problem);
		pv_image_close(img);
		return pv_cli_fail(err);
	}
	rc = open_with_key(&o, img, &sec, &slot, &err);
	if (rc < 0) {
		pv_image_close(img);
		return pv_cli_fail(err);
	}
	opened = rc == 1;
	if (!opened && !o.quiet)
		pv_cli_warn("the SE header was not verified: give --hdr-key or --host-key");
	if (json) {
		struct json j;

		json_begin(&j, stdout, !o.format || strcmp(o.format, "json:minify"));
		json_meta(&j);
		rc = json_header(&j, in, opened, &sec, o.show_secrets);
		json_image(&j, in, opened, &sec);
		json_end(&j);
	} else {
		text_layout(in, o.image);
		text_header(in, opened, &sec, slot, o.show_secrets);
		rc = 0;
	}
	pv_cleanse(&sec, sizeof(sec));
	pv_image_close(img);
	if (fflush(stdout) || rc) {
		fprintf(stderr, "%s: error: writing the output failed\n",
			pv_progname);
		return PV_EXIT_ERROR;
	}
	return PV_EXIT_OK;
}

PV_COMMAND(info, "show layout, components and SE header of an image",
	   run_info, 20)
