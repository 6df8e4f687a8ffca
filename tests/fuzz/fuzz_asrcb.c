// SPDX-License-Identifier: MIT
/*
 * Fuzz the add-secret request (attestation-and-secrets.md §6) on both
 * sides: the structure check and decryption with the seeds' protection
 * key (32 x 0x17), and the software UV's Add Secret (0x1031) with the
 * input as the guest's request, followed by List Secrets.  Nothing may
 * crash, leak or give an rc outside §2.4; after a success the list must
 * still be well-formed.  A guest whose store changed is booted afresh, so
 * every input meets an empty, unlocked store.
 */
#include <stdint.h>

#include "fuzz_attest_common.h"
#include "pvboot/be.h"

static const uint16_t add_rcs[] = {
	0x0001, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107, 0x0108,
	0x0109, 0x010a, 0x010b, 0x010c,
};

static void trusted_side(const uint8_t *data, size_t size)
{
	struct pv_asrcb_view v;
	uint8_t key[PV_REQ_KEY_LEN], *plain;

	if (pv_asrcb_view(data, size, &v, NULL))
		return;
	if (v.shdr_off + v.shdr_len != v.req.aad_len ||
	    v.req.sea < PV_ASRCB_EXT_LEN || v.req.rql != size)
		abort();
	plain = malloc(v.req.sea ? v.req.sea : 1);
	if (!plain)
		abort();
	memset(key, 0x17, sizeof(key));
	if (!pv_req_decrypt(data, &v.req, key, plain, NULL))
		(void)pv_secret_len_ok(v.type, v.secret_len);
	pv_free_secret(plain, v.req.sea);
}

static void uv_side(const uint8_t *data, size_t size)
{
	static struct at_fix f;
	static bool booted;
	uint8_t page[PV_SECRET_LIST_LEN];
	uint32_t w;

	if (size > 0x10000)
		return;
	if (!booted) {
		fz_boot(&f);
		booted = true;
	}
	memset(f.h.ram + AT_REQ, 0, 0x10000);
	w = at_add(&f, data, size);
	fz_rc_in(w, add_rcs, sizeof(add_rcs) / sizeof(add_rcs[0]));
	if (w != UVT_OK)
		return;
	if (at_list(&f, 0, page) != UVT_OK || pv_get_be16(page) > 1 ||
	    pv_get_be16(page + 2) > 1)
		abort();
	at_free(&f);
	booted = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	trusted_side(data, size);
	uv_side(data, size);
	return 0;
}
