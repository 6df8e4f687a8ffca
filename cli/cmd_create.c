// SPDX-License-Identifier: MIT
/*
 * `pvboot create` (and `genprotimg`): build an IBM Secure Execution image
 * with pvimg's options, written atomically.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "create_opts.h"

static void usage(FILE *f)
{
	/* "pvboot create" or "genprotimg" */
	const char *cmd = strcmp(pv_progname, "pvboot") ? "" : " create";

	fprintf(f,
"Usage: %s%s -i KERNEL -o OUTPUT -k HKD...\n"
"       (-C CERT... | --no-verify) [-r RAMDISK] [-p PARMFILE] [OPTIONS]\n"
"Create an IBM Secure Execution image (pvimg create / genprotimg options).\n"
"\n"
"Inputs and output:\n"
"  -i, --image, --kernel FILE  raw s390x kernel (not ELF); - reads stdin\n"
"  -r, --ramdisk FILE          initial RAM disk\n"
"  -p, --parmfile FILE         kernel command line (a NUL is added if missing)\n"
"  -o, --output FILE           image to write (atomically)\n"
"      --overwrite             replace an existing OUTPUT\n"
"Host keys:\n"
"  -k, --host-key-document FILE  host-key document; repeat or a,b,c (1..95)\n"
"  -C, --cert, --crt FILE      IBM Z signing key / intermediate CA (the first\n"
"                              certificate of each file)\n"
"      --crl FILE              CRL (repeatable; the only source of CRLs)\n"
"      --root-ca FILE          trust only this root CA (exactly one certificate)\n"
"      --offline               no CRL download (pvboot never downloads)\n"
"      --no-verify             do not verify host-key documents (unsafe)\n"
"Keys (random unless given):\n"
"      --hdr-key, --x-header-key FILE  header protection key, 32 bytes\n"
"      --image-key, --x-comp-key FILE  image encryption key, 64 bytes\n"
"      --cck, --comm-key FILE  customer communication key, 32 bytes\n"
"      --reproducible SEED     derive every random value from SEED (>= 32\n"
"                              bytes; keep it secret, it yields all keys)\n"
"Control flags (each has an opposite, e.g. --disable-dump):\n"
"      --enable-dump           allow dumps (needs --cck or --enable-cck-update)\n"
"      --enable-cck-extension-secret  add-secret requests need the CCK\n"
"                              extension secret (needs --cck)\n"
"      --enable-cck-update     allow the guest to update the CCK\n"
"      --disable-pckmo         no PCKMO DEA/TDEA, AES, ECC (default: on)\n"
"      --enable-pckmo-hmac     PCKMO HMAC\n"
"      --enable-backup-keys    backup target keys\n"
"      --disable-image-encryption  store the components in plain text\n"
"Other:\n"
"      --layout r|c            r = pvimg (default), c = C genprotimg layout\n"
"      --no-component-check    skip the kernel and command-line checks\n"
"      --x-bootloader-directory, --loader-dir DIR  use DIR/stage3a.bin and\n"
"                              DIR/stage3b_reloc.bin instead of the built-in\n"
"      --x-psw ADDR, --x-pcf HEX, --x-scf HEX  expert: header PSW address,\n"
"                              whole plaintext / secret control flags\n"
"  -v, --verbose               print the layout of the new image\n"
"  -q, --quiet                 print only errors\n"
"      --version               print the version\n"
"  -h, --help                  show this help\n"
"\n"
"Examples:\n"
"  %s%s -i bzImage -r initrd -p parmfile -o se.img -k host.crt \\\n"
"      -C ibm-signing.crt -C inter-ca.crt --crl ibm-signing.crl \\\n"
"      --crl inter-ca.crl\n"
"  %s%s -i image -k host.crt --no-verify --reproducible seed \\\n"
"      -o se.img\n"
"Exit status: 0 success, 1 error, 2 usage error.\n"
"See the manual page pvboot-create(1).\n",
		pv_progname, cmd, pv_progname, cmd, pv_progname, cmd);
}

static void print_summary(const struct pv_build_result *r)
{
	char hex[PV_SHA512_LEN * 2 + 1];

	fprintf(stderr, "image: layout %s, %llu bytes\n",
		r->layout == PV_LAYOUT_C ? "C (genprotimg)" : "R (pvimg)",
		(unsigned long long)r->file_size);
	fprintf(stderr, "  %-8s 0x%08llx %6u bytes\n", "header",
		(unsigned long long)r->hdr_addr, r->hdr_size);
	fprintf(stderr, "  %-8s 0x%08llx %6u bytes\n", "ipib",
		(unsigned long long)r->ipib_addr, r->ipib_len);
	for (size_t i = 0; i < r->ncomps; i++) {
		const struct pv_image_comp *c = &r->comps[i];

		fprintf(stderr,
			"  %-8s 0x%08llx %6llu pages, %llu bytes, tweak prefix %016llx\n",
			pv_comp_kind_name(c->kind),
			(unsigned long long)c->addr,
			(unsigned long long)(c->len / PV_PAGE_SIZE),
			(unsigned long long)c->orig_size,
			(unsigned long long)c->tweak_pref);
	}
	fprintf(stderr, "  nep %llu, PSW address 0x%llx, PCF 0x%016llx\n",
		(unsigned long long)r->nep, (unsigned long long)r->psw_addr,
		(unsigned long long)r->pcf);
	fprintf(stderr, "  PLD %s\n", util_hex(r->pld, PV_SHA512_LEN, hex));
	fprintf(stderr, "  ALD %s\n", util_hex(r->ald, PV_SHA512_LEN, hex));
	fprintf(stderr, "  TLD %s\n", util_hex(r->tld, PV_SHA512_LEN, hex));
	fprintf(stderr, "  tag %s\n", util_hex(r->tag, PV_GCM_TAG_LEN, hex));
}

static int run_create(int argc, char **argv)
{
	struct create_opts o;
	struct create_ctx c;
	struct util_out out = { .fd = -1 };
	struct util_progress prog;
	struct pv_build_result res;
	struct pv_err *err = NULL;
	int rc;

	/*
	 * No OpenSSL clean-up at exit: it frees (and wipes) every table of
	 * the library, about 0.4 ms of a create's fixed cost, and the memory
	 * goes with the process anyway.  Keys and plaintext this command
	 * handles are wiped where they are freed, before exit.
	 */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
	memset(&c, 0, sizeof(c));
	rc = create_opts_parse(&o, argc, argv, false, usage);
	if (rc >= 0)
		goto out_opts;
	pv_verbosity = o.verbose - o.quiet;
	if (util_out_check(o.output, o.overwrite, &err))
		goto fail;
	if (o.no_verify && !o.quiet)
		fprintf(stderr,
			"%s: WARNING: host-key document verification is disabled.\n"
			"%s: WARNING: the image may be readable by an attacker's host; use\n"
			"%s: WARNING: --no-verify only with host-key documents you checked.\n",
			pv_progname, pv_progname, pv_progname);
	if (create_ctx_build(&o, &c, &err))
		goto fail;
	util_signals_install();
	if (util_out_open(&out, o.output, o.overwrite, &err))
		goto fail;
	util_progress_init(&prog, "creating", o.quiet);
	pv_builder_set_progress(c.b, util_progress_cb, &prog);
	if (pv_builder_set_output_name(c.b, o.output, &err)) {
		util_out_abort(&out);
		goto fail;
	}
	rc = pv_builder_write(c.b, out.fd, &res, &err);
	util_progress_end(&prog);
	if (rc) {
		util_out_abort(&out);
		goto fail;
	}
	if (util_out_commit(&out, &err))
		goto fail;
	if (o.verbose)
		print_summary(&res);
	rc = PV_EXIT_OK;
	goto out;
fail:
	if (util_interrupted()) {
		pv_err_free(err);
		fprintf(stderr, "%s: interrupted; no image was written\n",
			pv_progname);
		rc = PV_EXIT_ERROR;
	} else {
		rc = pv_cli_fail(err);
	}
out:
	create_ctx_free(&c);
out_opts:
	create_opts_free(&o);
	return rc;
}

PV_COMMAND(create, "create a Secure Execution image (also: genprotimg)",
	   run_create, 10)
