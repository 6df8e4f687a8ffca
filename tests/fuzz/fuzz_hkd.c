// SPDX-License-Identifier: MIT
/*
 * Fuzz host-key document and CRL parsing (se-image-format.md §7): the input
 * is read as a host-key document (PEM or DER), as a CRL file, and checked
 * against a real verifier built once from a seeded test PKI, so the per-
 * document checks (validity, AKID, signature, CRL lookup) run on it too.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvboot/hkd.h"

static char dir[] = "/tmp/pvboot-fuzz-hkd.XXXXXX";
static struct pv_testpki *pki;
static struct pv_hkd_verifier *verifier;

static void cleanup(void)
{
	char p[300];

	pv_hkd_verifier_free(verifier);
	for (size_t i = 0; i < pv_testpki_count(pki); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir,
			 pv_testpki_file(pki, i)->name);
		unlink(p);
	}
	rmdir(dir);
	pv_testpki_free(pki);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const uint8_t seed[32] = "pvboot fuzz_hkd test PKI seed!!";
	struct pv_testpki_opts o = { .hosts = 1, .seed = seed,
				     .seed_len = sizeof(seed) };
	static char p[6][300];
	static const char *const n[6] = {
		"ibm-signing.crt", "inter-ca.crt", "root-ca.crl",
		"inter-ca.crl", "ibm-signing.crl", "root-ca.crt",
	};
	static const char *certs[2], *crls[3];
	struct pv_hkd_opts ho = { 0 };
	struct pv_err *err = NULL;

	(void)argc;
	(void)argv;
	if (!mkdtemp(dir) || pv_testpki_generate(&o, &pki, &err) ||
	    pv_testpki_write(pki, dir, &err))
		goto fail;
	for (int i = 0; i < 6; i++)
		snprintf(p[i], sizeof(p[i]), "%s/%s", dir, n[i]);
	certs[0] = p[0];
	certs[1] = p[1];
	crls[0] = p[2];
	crls[1] = p[3];
	crls[2] = p[4];
	ho.certs = certs;
	ho.ncerts = 2;
	ho.crls = crls;
	ho.ncrls = 3;
	ho.root_ca = p[5];
	ho.offline = true;
	ho.now = PV_TESTPKI_SEED_BASE + 86400;
	if (pv_hkd_verifier_new(&ho, &verifier, &err))
		goto fail;
	atexit(cleanup);
	return 0;
fail:
	fprintf(stderr, "fuzz_hkd setup: %s\n", err ? err->msg : "mkdtemp");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that any over-read is caught. */
	uint8_t *buf = malloc(size ? size : 1);
	struct pv_eckey *key = NULL;
	struct pv_err *err = NULL;
	size_t ncrl = 0;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = pv_hkd_load_bytes(buf, size, "fuzz", &key, &err);
	if ((rc == 0) != (key != NULL) || (rc == 0) != (err == NULL))
		abort();
	pv_eckey_free(key);
	pv_err_free(err);
	err = NULL;
	key = NULL;

	rc = pv_crl_load_bytes(buf, size, "fuzz", &ncrl, &err);
	if ((rc == 0) != (ncrl > 0) || (rc == 0) != (err == NULL))
		abort();
	pv_err_free(err);
	err = NULL;

	rc = pv_hkd_verifier_check(verifier, buf, size, "fuzz", &key, &err);
	if ((rc == 0) != (key != NULL) || (rc == 0) != (err == NULL))
		abort();
	pv_eckey_free(key);
	pv_err_free(err);
	free(buf);
	return 0;
}
