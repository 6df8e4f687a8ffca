// SPDX-License-Identifier: MIT
/*
 * Fuzz the attestation request (attestation-and-secrets.md §3, §5.2) on
 * both sides: the trusted side's parsers (request framing, the ARCB opened
 * with the ARPK 32 x 0x17 of the seeds, the exchange format, written back
 * and parsed again) and the software UV's Retrieve Attestation
 * Measurement (0x1020) with the input as the guest's ARCB.  Nothing may
 * crash, leak or give an rc outside §2.3; a success must write exactly
 * the additional data the flags ask for.
 */
#include <stdint.h>

#include "fuzz_attest_common.h"
#include "pvboot/be.h"

static const uint16_t att_rcs[] = {
	0x0001, 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107,
	0x0108, 0x0109, 0x010a, 0x010b, 0x010c, 0x010d, 0x010e,
};

static void trusted_side(const uint8_t *data, size_t size)
{
	struct pv_arcb_plain p;
	struct pv_req_view v;
	uint8_t key[PV_REQ_KEY_LEN];

	if (!pv_req_view(data, size, &v, NULL) &&
	    (v.rql != size || v.aad_len + v.sea + PV_GCM_TAG_LEN != v.rql))
		abort();
	memset(key, 0x17, sizeof(key));
	if (!pv_arcb_open(data, size, key, &p, NULL)) {
		if (p.mai != PV_ARCB_MAI_HMAC_SHA512 ||
		    p.has_nonce != (v.sea == 80))
			abort();
		pv_cleanse(&p, sizeof(p));
	}
}

static void exchange(const uint8_t *data, size_t size)
{
	struct pv_exchange x, y;
	size_t len;
	uint8_t *buf;

	if (pv_exchange_parse(data, size, &x, NULL))
		return;
	if (x.arcb < data || x.arcb + x.arcb_len > data + size ||
	    (x.meas && x.meas + x.meas_len > data + size) ||
	    (x.cuid && x.cuid + x.cuid_len > data + size))
		abort();
	trusted_side(x.arcb, x.arcb_len);
	/* what we write, we read back the same */
	len = pv_exchange_len(&x);
	buf = malloc(len);
	if (!buf || pv_exchange_write(&x, buf, len, NULL) ||
	    pv_exchange_parse(buf, len, &y, NULL) ||
	    y.arcb_len != x.arcb_len || memcmp(y.arcb, x.arcb, x.arcb_len) ||
	    y.meas_len != x.meas_len || !y.meas != !x.meas ||
	    y.add_len != x.add_len || y.user_len != x.user_len ||
	    y.cuid_len != x.cuid_len)
		abort();
	free(buf);
}

static void uv_side(const uint8_t *data, size_t size)
{
	static struct at_fix f;
	static bool booted;
	uint8_t cb[0x188];
	uint64_t paf = size >= 0x38 ? pv_get_be64(data + 0x30) : 0;
	uint32_t w;

	if (!booted) {
		fz_boot(&f);
		booted = true;
	}
	if (size > 0x10000)
		return;
	memset(f.h.ram + AT_REQ, 0, 0x10000);
	memcpy(f.h.ram + AT_REQ, data, size);
	uvt_cb(cb, PV_UVC_ATTESTATION);
	pv_put_be64(cb + PV_UVCB_ATT_ARCB, AT_REQ);
	pv_put_be32(cb + PV_UVCB_ATT_MEAS_LEN, 64);
	pv_put_be64(cb + PV_UVCB_ATT_MEAS, AT_MEAS);
	pv_put_be32(cb + PV_UVCB_ATT_ADD_LEN, pv_paf_add_size(paf));
	pv_put_be64(cb + PV_UVCB_ATT_ADD, AT_ADD);
	pv_put_be16(cb + PV_UVCB_ATT_USER_LEN, size & 0xff);
	w = at_call(&f, cb, sizeof(cb));
	fz_rc_in(w, att_rcs, sizeof(att_rcs) / sizeof(att_rcs[0]));
	if (w == UVT_OK && (pv_get_be32(cb + PV_UVCB_ATT_MEAS_LEN) != 64 ||
			    pv_get_be32(cb + PV_UVCB_ATT_ADD_LEN) !=
			    pv_paf_add_size(paf)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	trusted_side(data, size);
	exchange(data, size);
	uv_side(data, size);
	return 0;
}
