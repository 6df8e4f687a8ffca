// SPDX-License-Identifier: MIT
/*
 * libpvboot in brief: build a Secure Execution image of KERNEL for a test
 * host, then boot it protected on pvboot's machine (the guest console shows
 * the boot).  cc -o boot_image boot_image.c $(pkg-config --cflags --libs
 * libpvboot); ./boot_image /usr/local/share/pvboot/testkernel.bin se.img
 */
#include <stdio.h>
#include <pvboot/boot_abi.h>
#include <pvboot/boot_blobs.h>
#include <pvboot/hkd.h>
#include <pvboot/image.h>
#include <pvboot/machine.h>

int main(int argc, char **argv)
{
	const struct pv_blob *s3a = &pv_blob_stage3a, *s3b = &pv_blob_stage3b_reloc;
	const struct pv_testpki_file *hkd = NULL, *key;
	static struct pv_build_result built;
	static struct pv_run_result res;
	struct pv_testpki *pki = NULL;	/* a test CA, a host and its key */
	struct pv_eckey *host = NULL;
	struct pv_builder *b = NULL;
	struct pv_machine *m = NULL;
	struct pv_machine_key mkey = { 0 };
	struct pv_machine_opts mo = { .host_keys = &mkey, .nhost_keys = 1 };
	struct pv_err *err = NULL;
	FILE *out = argc == 3 ? fopen(argv[2], "w+") : NULL;

	if (!out) {
		perror(argc == 3 ? argv[2] : "usage: boot_image KERNEL IMAGE");
		return 2;
	}
	if (!pv_testpki_generate(&(struct pv_testpki_opts){ .hosts = 1 }, &pki,
				 &err)) {
		hkd = pv_testpki_find(pki, "host.crt");	/* into the image */
		key = pv_testpki_find(pki, "host.key");	/* for the machine */
		mkey = (struct pv_machine_key){ key->data, key->len };
	}
	if (err ||
	    pv_hkd_load_bytes(hkd->data, hkd->len, hkd->name, &host, &err) ||
	    pv_builder_new(PV_LAYOUT_R, &b, &err) ||
	    pv_builder_set_input_path(b, PV_COMP_KERNEL, argv[1], &err) ||
	    pv_builder_set_loaders(b, s3a->data, s3a->len, s3b->data, s3b->len,
				   &err) ||
	    pv_builder_add_host_key(b, host, &err) ||
	    pv_builder_write(b, fileno(out), &built, &err) ||
	    pv_machine_new(&m, &mo, &err) ||
	    pv_machine_load_file(m, argv[2], &err) || pv_machine_run(m, &res, &err))
		fprintf(stderr, "boot_image: %s\n", err->msg);
	pv_err_free(err);
	pv_machine_free(m);
	pv_builder_free(b);
	pv_eckey_free(host);
	pv_testpki_free(pki);
	fclose(out);
	/* success: the test kernel's checks passed (res stays 0 on errors) */
	return res.wait_code != PV_WAIT_TK_OK || !res.protected_mode;
}
