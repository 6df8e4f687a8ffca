// SPDX-License-Identifier: MIT
/*
 * `pvboot measure`: the reference values an image built from the same
 * inputs will carry (PLD, ALD, TLD, nep and, with host keys, the header
 * tag), computed without writing an image (se-image-format.md §6.8).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "create_opts.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot measure -i KERNEL [-r RAMDISK] [-p PARMFILE]\n"
"       --reproducible SEED [--image-key FILE] [-k HKD... --hdr-key FILE]\n"
"       [--format text|hex|json] [create options]\n"
"       pvboot measure --print-schema[=json|text]\n"
"Print the page, address and tweak list digests (PLD, ALD, TLD) and the page\n"
"count (nep) that `pvboot create` puts into the SE header for these inputs.\n"
"\n"
"The tweaks, and every key not given, are random in an image; measure can\n"
"only predict an image built with the same --reproducible SEED (and the same\n"
"--image-key, flags, --layout and loaders).  With host-key documents it also\n"
"prints the header tag, which further depends on --hdr-key, --cck and SEED.\n"
"\n"
"  -i, --image, --kernel FILE  -r, --ramdisk FILE  -p, --parmfile FILE\n"
"      --reproducible SEED     the seed given to create (required; secret)\n"
"      --image-key FILE        the image key given to create, if any\n"
"  -k, --host-key-document FILE  host keys, for the header tag (not verified)\n"
"      --hdr-key FILE, --cck FILE  as given to create\n"
"      --format text|hex|json  hex: PLD||ALD||TLD[||tag] in one line\n"
"      --print-schema[=json|text]  print the JSON Schema of --format json\n"
"  -h, --help                  show this help\n"
"  The other options of create that shape the image are accepted and must\n"
"  match: --layout, the flags (--enable-dump, --disable-pckmo, ...), --x-psw,\n"
"  --x-pcf, --x-scf, --loader-dir, --no-component-check.\n"
"\n"
"Examples:\n"
"  pvboot measure -i image -r initrd -p parmfile --reproducible seed.bin\n"
"  pvboot measure -i image --reproducible seed.bin -k host.crt --format hex\n"
"Exit status: 0 success, 1 error, 2 usage error.\n"
"See the manual page pvboot-measure(1).\n");
}

static void print_text(const struct pv_build_result *r)
{
	char hex[PV_SHA512_LEN * 2 + 1];

	printf("PLD %s\n", util_hex(r->pld, PV_SHA512_LEN, hex));
	printf("ALD %s\n", util_hex(r->ald, PV_SHA512_LEN, hex));
	printf("TLD %s\n", util_hex(r->tld, PV_SHA512_LEN, hex));
	printf("nep %llu\n", (unsigned long long)r->nep);
	if (r->have_tag)
		printf("tag %s\n", util_hex(r->tag, PV_GCM_TAG_LEN, hex));
}

static void print_hex(const struct pv_build_result *r)
{
	char hex[PV_SHA512_LEN * 2 + 1];

	/* the order of BootHdrTags in attestation requests (§8.5) */
	fputs(util_hex(r->pld, PV_SHA512_LEN, hex), stdout);
	fputs(util_hex(r->ald, PV_SHA512_LEN, hex), stdout);
	fputs(util_hex(r->tld, PV_SHA512_LEN, hex), stdout);
	if (r->have_tag)
		fputs(util_hex(r->tag, PV_GCM_TAG_LEN, hex), stdout);
	fputc('\n', stdout);
}

static void print_json(const struct pv_build_result *r)
{
	struct json j;

	json_begin(&j, stdout, true);
	json_meta(&j);
	json_obj(&j, "data");
	json_str(&j, "layout", pv_layout_name(r->layout));
	json_u64(&j, "nep", r->nep);
	json_hexbuf(&j, "pld_hex", r->pld, PV_SHA512_LEN);
	json_hexbuf(&j, "ald_hex", r->ald, PV_SHA512_LEN);
	json_hexbuf(&j, "tld_hex", r->tld, PV_SHA512_LEN);
	if (r->have_tag)
		json_hexbuf(&j, "tag_hex", r->tag, PV_GCM_TAG_LEN);
	json_close_obj(&j);
	json_end(&j);
}

static int run_measure(int argc, char **argv)
{
	struct create_opts o;
	struct create_ctx c;
	struct util_progress prog;
	struct pv_build_result res;
	struct pv_err *err = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = create_opts_parse(&o, argc, argv, true, usage);
	if (rc >= 0)
		goto out_opts;
	if (create_ctx_build(&o, &c, &err))
		goto fail;
	util_signals_install();
	util_progress_init(&prog, "measuring", o.quiet);
	pv_builder_set_progress(c.b, util_progress_cb, &prog);
	rc = pv_image_measure(c.b, &res, &err);
	util_progress_end(&prog);
	if (rc)
		goto fail;
	if (!strcmp(o.format, "json"))
		print_json(&res);
	else if (!strcmp(o.format, "hex"))
		print_hex(&res);
	else
		print_text(&res);
	rc = PV_EXIT_OK;
	goto out;
fail:
	rc = pv_cli_fail(err);
out:
	create_ctx_free(&c);
out_opts:
	create_opts_free(&o);
	return rc;
}

PV_COMMAND(measure, "print PLD/ALD/TLD/nep (and tag) for image inputs",
	   run_measure, 40)
