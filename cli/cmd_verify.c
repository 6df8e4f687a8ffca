// SPDX-License-Identifier: MIT
/*
 * `pvboot verify`: offline check of a whole image (se-image-format.md
 * §6.9): every page decrypted and hashed, the first bad region named.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pvboot/boot_blobs.h"
#include "pvboot/image.h"
#include "schema.h"
#include "util.h"

enum {
	OPT_HDR_KEY = 256,
	OPT_HOST_KEY,
	OPT_LOADER_DIR,
	OPT_FORMAT,
	OPT_SCHEMA,
};

struct verify_args {
	const char *hdr_key, *host_key, *loader_dir, *image;
	const char *inputs[PV_COMP__MAX];
	int verbose, quiet;
	bool json;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot verify (--hdr-key FILE | --host-key FILE) [-i KERNEL]\n"
"                     [-r RAMDISK] [-p PARMFILE] [--loader-dir DIR]\n"
"                     [--format text|json] IMAGE\n"
"       pvboot verify --print-schema[=json|text]\n"
"Check a Secure Execution image completely and offline: open the SE header,\n"
"check metadata, IPIB and loader parameters, decrypt and hash every page,\n"
"recompute PLD/ALD/TLD/nep and check the stage3b arguments.  The first bad\n"
"region is named (SE header, IPIB, stage3a, stage3b arguments, component\n"
"KIND page N at ADDRESS).\n"
"\n"
"      --hdr-key, --key FILE  header protection key (32 bytes)\n"
"      --host-key FILE     host private key (PEM/DER), as the Ultravisor\n"
"  -i, --image, --kernel FILE, -r, --ramdisk FILE, -p, --parmfile FILE\n"
"                          also compare the decrypted components with these\n"
"                          inputs; this names the exact page that changed\n"
"      --loader-dir, --x-bootloader-directory DIR  the loaders the image\n"
"                          must carry (default: compare with the built-in\n"
"                          ones where the image has them)\n"
"      --format text|json  text (default) or one JSON document\n"
"      --print-schema[=json|text]  print the JSON Schema of --format json\n"
"  -v, --verbose           print remarks that are not failures\n"
"  -q, --quiet             print nothing, only set the exit status\n"
"  -h, --help              show this help\n"
"\n"
"Examples:\n"
"  pvboot verify --hdr-key hdr.key -i image -r initrd -p parmfile se.img\n"
"  pvboot verify --host-key host.key --format json se.img\n"
"Exit status: 0 verified, 1 error, 2 not verified (or usage error).\n"
"See the manual page pvboot-verify(1).\n");
}

static int parse(struct verify_args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "hdr-key", required_argument, NULL, OPT_HDR_KEY },
		{ "key", required_argument, NULL, OPT_HDR_KEY },
		{ "host-key", required_argument, NULL, OPT_HOST_KEY },
		{ "loader-dir", required_argument, NULL, OPT_LOADER_DIR },
		{ "x-bootloader-directory", required_argument, NULL,
		  OPT_LOADER_DIR },
		{ "image", required_argument, NULL, 'i' },
		{ "kernel", required_argument, NULL, 'i' },
		{ "ramdisk", required_argument, NULL, 'r' },
		{ "parmfile", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "print-schema", optional_argument, NULL, OPT_SCHEMA },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	memset(a, 0, sizeof(*a));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:r:p:vqh", lo, NULL)) != -1) {
		switch (c) {
		case OPT_HDR_KEY:
			a->hdr_key = optarg;
			break;
		case OPT_HOST_KEY:
			a->host_key = optarg;
			break;
		case OPT_LOADER_DIR:
			a->loader_dir = optarg;
			break;
		case 'i':
			a->inputs[PV_COMP_KERNEL] = optarg;
			break;
		case 'r':
			a->inputs[PV_COMP_INITRD] = optarg;
			break;
		case 'p':
			a->inputs[PV_COMP_CMDLINE] = optarg;
			break;
		case OPT_FORMAT:
			rc = cli_parse_text_json("verify", optarg, &a->json);
			if (rc >= 0)
				return rc;
			break;
		case OPT_SCHEMA:
			return cli_print_schema("verify",
						cli_schema_optarg(argc, argv));
		case 'v':
			a->verbose++;
			break;
		case 'q':
			a->quiet++;
			break;
		case 'h':
			usage(stdout);
			return PV_EXIT_OK;
		case ':':
			return pv_cli_usage_error("verify", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return pv_cli_bad_option("verify", argv[optind - 1], lo);
		}
	}
	if (optind != argc - 1)
		return pv_cli_usage_error("verify", optind < argc ?
					  "give exactly one IMAGE" :
					  "the IMAGE is missing");
	a->image = argv[optind];
	if (!a->hdr_key == !a->host_key)
		return pv_cli_usage_error("verify", "give either --hdr-key or --host-key");
	return -1;
}

struct verify_keys {
	uint8_t *buf;
	size_t len;
	uint8_t hpk[PV_HPK_LEN];
	struct pv_eckey *host;
	uint8_t *s3a, *s3b;
	size_t s3a_len, s3b_len;
};

static int load(const struct verify_args *a, struct verify_keys *k,
		struct pv_verify_opts *vo, struct pv_err **err)
{
	char path[4096];
	int rc;

	rc = util_read_file(a->hdr_key ? a->hdr_key : a->host_key,
			    a->hdr_key ? "header protection key" : "host key",
			    65536, &k->buf, &k->len, err);
	if (rc)
		return rc;
	if (a->hdr_key) {
		if (k->len != PV_HPK_LEN)
			return pv_err_set(err, PV_ERR_KEY,
					  "header protection key '%s' must be exactly %d bytes, got %zu",
					  a->hdr_key, PV_HPK_LEN, k->len);
		memcpy(k->hpk, k->buf, PV_HPK_LEN);
		vo->hpk = k->hpk;
	} else {
		rc = pv_eckey_from_bytes(k->buf, k->len, true, &k->host, err);
		if (rc)
			return pv_err_prefix(err, "host key '%s': ", a->host_key);
		vo->host_key = k->host;
	}
	for (int i = 0; i < PV_COMP__MAX; i++)
		vo->inputs[i] = a->inputs[i];
	if (!a->loader_dir) {
		vo->stage3a = pv_blob_stage3a.data;
		vo->stage3a_len = pv_blob_stage3a.len;
		vo->stage3b = pv_blob_stage3b_reloc.data;
		vo->stage3b_len = pv_blob_stage3b_reloc.len;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/stage3a.bin", a->loader_dir);
	rc = util_read_file(path, "boot loader", PV_IMAGE_MAX_LOADER, &k->s3a,
			    &k->s3a_len, err);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/stage3b_reloc.bin", a->loader_dir);
	rc = util_read_file(path, "boot loader", PV_IMAGE_MAX_LOADER, &k->s3b,
			    &k->s3b_len, err);
	if (rc)
		return rc;
	vo->stage3a = k->s3a;
	vo->stage3a_len = k->s3a_len;
	vo->stage3b = k->s3b;
	vo->stage3b_len = k->s3b_len;
	vo->loaders_required = true;
	return 0;
}

static void release(struct verify_keys *k)
{
	if (k->buf)
		util_free_file(k->buf, 65536 + 1);
	pv_cleanse(k->hpk, sizeof(k->hpk));
	pv_eckey_free(k->host);
	free(k->s3a);
	free(k->s3b);
}

/* schema/verify.schema.json */
static void print_json(const struct verify_args *a,
		       const struct pv_verify_report *rep)
{
	const struct pv_stage3b_parms *p = &rep->stage3b;
	struct json j;

	json_begin(&j, stdout, true);
	json_meta(&j);
	json_obj(&j, "data");
	json_str(&j, "image", a->image);
	json_bool(&j, "verified", rep->verified);
	json_str(&j, "key", a->hdr_key ? "hdr-key" : "host-key");
	if (a->host_key && rep->slot >= 0)
		json_u64(&j, "slot", (uint64_t)rep->slot);
	if (rep->verified) {
		json_u64(&j, "nep", rep->nep);
		json_hexbuf(&j, "pld_hex", rep->pld, PV_SHA512_LEN);
		json_hexbuf(&j, "ald_hex", rep->ald, PV_SHA512_LEN);
		json_hexbuf(&j, "tld_hex", rep->tld, PV_SHA512_LEN);
	} else {
		json_obj(&j, "failure");
		json_str(&j, "region", pv_region_name(rep->region));
		json_str(&j, "what", rep->what);
		if (rep->region == PV_REGION_COMPONENT && rep->comp >= 0) {
			json_obj(&j, "component");
			json_u64(&j, "index", (uint64_t)rep->comp);
			json_str(&j, "kind", pv_comp_kind_name(rep->kind));
			json_u64(&j, "page", rep->page);
			json_hex64(&j, "addr_hex", rep->addr);
			json_close_obj(&j);
		}
		json_close_obj(&j);
	}
	if (rep->have_stage3b) {
		json_obj(&j, "stage3b");
		json_hex64(&j, "kernel_src_hex", p->kernel_src);
		json_u64(&j, "kernel_size", p->kernel_size);
		json_hex64(&j, "cmdline_src_hex", p->cmdline_src);
		json_u64(&j, "cmdline_size", p->cmdline_size);
		json_hex64(&j, "initrd_src_hex", p->initrd_src);
		json_u64(&j, "initrd_size", p->initrd_size);
		json_obj(&j, "psw");
		json_hex64(&j, "mask_hex", p->psw_mask);
		json_hex64(&j, "addr_hex", p->psw_addr);
		json_close_obj(&j);
		json_close_obj(&j);
	}
	json_arr(&j, "notes");
	for (int i = 0; i < rep->nnotes; i++)
		json_str(&j, NULL, rep->notes[i]);
	json_close_arr(&j);
	json_close_obj(&j);
	json_end(&j);
}

static int run_verify(int argc, char **argv)
{
	struct pv_verify_opts vo;
	struct pv_verify_report rep;
	struct verify_keys k;
	struct verify_args a;
	struct util_progress prog;
	struct pv_image *img = NULL;
	struct pv_err *err = NULL;
	int rc;

	rc = parse(&a, argc, argv);
	if (rc >= 0)
		return rc;
	memset(&vo, 0, sizeof(vo));
	memset(&k, 0, sizeof(k));
	rc = load(&a, &k, &vo, &err);
	if (!rc)
		rc = pv_image_open(a.image, &img, &err);
	if (!rc) {
		util_signals_install();
		util_progress_init(&prog, "verifying", a.quiet);
		vo.progress = util_progress_cb;
		vo.progress_opaque = &prog;
		rc = pv_image_verify(img, &vo, &rep, &err);
		util_progress_end(&prog);
	}
	pv_image_close(img);
	release(&k);
	if (rc) {
		/* exit 2 means "not verified" here, so every error is 1 */
		pv_cli_fail(err);
		return PV_EXIT_ERROR;
	}
	if (a.json) {
		print_json(&a, &rep);
		return rep.verified ? PV_EXIT_OK : PV_EXIT_USAGE;
	}
	if (a.verbose)
		for (int i = 0; i < rep.nnotes; i++)
			printf("note: %s\n", rep.notes[i]);
	if (!rep.verified) {
		if (!a.quiet)
			printf("%s: NOT verified: %s\n", a.image, rep.what);
		return PV_EXIT_USAGE;
	}
	if (!a.quiet)
		printf("%s: verified: %llu pages, PLD/ALD/TLD match%s\n",
		       a.image, (unsigned long long)rep.nep,
		       rep.have_stage3b ? ", stage3b arguments valid" : "");
	return PV_EXIT_OK;
}

PV_COMMAND(verify, "check an image offline (exit 0 ok, 2 not verified)",
	   run_verify, 30)
