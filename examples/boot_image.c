// SPDX-License-Identifier: MIT
/*
 * libpvboot in brief: build a Secure Execution image of a kernel for a new
 * host key pair, then boot the image protected on pvboot's machine.
 *   cc -o boot_image boot_image.c $(pkg-config --cflags --libs libpvboot)
 *   ./boot_image /usr/local/share/pvboot/testkernel.bin se.img
 */
#include <stdio.h>
#include <pvboot/boot_abi.h>
#include <pvboot/boot_blobs.h>
#include <pvboot/image.h>
#include <pvboot/machine.h>

int main(int argc, char **argv)
{
	const struct pv_blob *s3a = &pv_blob_stage3a, *s3b = &pv_blob_stage3b_reloc;
	static struct pv_build_result built;
	static struct pv_run_result res;
	struct pv_eckey *host = NULL;	/* stands in for the machine's key */
	struct pv_builder *b = NULL;
	struct pv_machine *m = NULL;
	struct pv_machine_key key = { 0 };
	struct pv_machine_opts mo = { .host_keys = &key, .nhost_keys = 1 };
	struct pv_err *err = NULL;
	uint8_t *pem = NULL;
	FILE *out = argc == 3 ? fopen(argv[2], "w+") : NULL;

	if (!out) {
		perror(argc == 3 ? argv[2] : "usage: boot_image KERNEL IMAGE");
		return 2;
	}
	if (pv_eckey_generate(NULL, "host", &host, &err) ||
	    pv_builder_new(PV_LAYOUT_R, &b, &err) ||
	    pv_builder_set_input_path(b, PV_COMP_KERNEL, argv[1], &err) ||
	    pv_builder_set_loaders(b, s3a->data, s3a->len, s3b->data, s3b->len,
				   &err) ||
	    pv_builder_add_host_key(b, host, &err) ||	/* its key slot */
	    pv_builder_write(b, fileno(out), &built, &err) ||
	    pv_eckey_to_pem(host, true, &pem, &key.len, &err))
		goto done;
	key.data = pem;	/* only the machine's software Ultravisor sees it */
	if (pv_machine_new(&m, &mo, &err) ||
	    pv_machine_load_file(m, argv[2], &err) || pv_machine_run(m, &res, &err))
		goto done;
	printf("%s: %s, wait code 0x%llx, %sprotected\n", argv[2],
	       pv_run_end_name(res.end), (unsigned long long)res.wait_code,
	       res.protected_mode ? "" : "not ");
done:
	if (err)
		fprintf(stderr, "boot_image: %s\n", err->msg);
	pv_err_free(err);
	pv_machine_free(m);
	pv_free_secret(pem, key.len);
	pv_builder_free(b);
	pv_eckey_free(host);
	fclose(out);
	/* success: the test kernel's checks passed (res stays 0 on errors) */
	return res.wait_code != PV_WAIT_TK_OK || !res.protected_mode;
}
