// SPDX-License-Identifier: MIT
/*
 * Software UV: the secret store (attestation-and-secrets.md §2.4, §6.5-§6.8,
 * §8): Add Secret with every rc of §2.4, List, Lock (then add), Retrieve,
 * binding to the image, the CUID and the extension secret, capacity, the
 * secret-store hash in attestation, and the store's end with the
 * configuration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/sehdr.h"
#include "lib/atttest.h"

static struct uvt_guest *guest, *guest_ext;
static const uint8_t gseed[32] = "guest with extension-secret SCF";

static int group_setup(void **state)
{
	struct uvt_opts o = { .seed = gseed,
			      .scf = PV_SCF_CCK_EXT_SECRET | PV_SCF_CCK_UPDATE };

	if (uvt_guest_build(NULL, &guest))
		return -1;
	return uvt_guest_build(&o, &guest_ext) ? -1 : 0;
}

static int group_teardown(void **state)
{
	uvt_guest_free(guest);
	uvt_guest_free(guest_ext);
	return 0;
}

static uint8_t *assoc_req(struct at_fix *f, const char *name,
			  const uint8_t *cuid, const uint8_t *ext,
			  size_t *len)
{
	const struct pv_eckey *hosts[1];
	struct pv_asrcb_opts o;
	uint8_t id[32], val[32], *req = NULL;

	at_asrcb_opts(f, &o, hosts);
	assert_int_equal(pv_sha256(name, strlen(name), id, NULL), 0);
	memset(val, 0x11, sizeof(val));
	o.type = PV_SECRET_ASSOCIATION;
	o.id = id;
	o.secret = val;
	o.secret_len = 32;
	o.cuid = cuid;
	o.ext = ext;
	assert_int_equal(pv_asrcb_build(&o, &req, len, NULL), 0);
	return req;
}

static uint8_t *typed_req(struct at_fix *f, uint16_t type,
			  const uint8_t *val, uint32_t vlen, const uint8_t *ext,
			  size_t *len)
{
	const struct pv_eckey *hosts[1];
	struct pv_asrcb_opts o;
	uint8_t id[32], *req = NULL;

	at_asrcb_opts(f, &o, hosts);
	memset(id, type, sizeof(id));
	o.type = type;
	o.id = id;
	o.secret = val;
	o.secret_len = vlen;
	o.ext = ext;
	assert_int_equal(pv_asrcb_build(&o, &req, len, NULL), 0);
	return req;
}

/*
 * A request the builder would refuse (any type, a secret-header length
 * that need not match), sealed for the guest's host key.
 */
static uint8_t *raw_req(struct at_fix *f, uint16_t type, uint32_t len_field,
			uint32_t vlen, size_t *len)
{
	uint8_t key[32], iv[12], *req, *plain;
	size_t k = 0x4b8 + 80, h = type == 1 ? 16 : 48;
	uint32_t sea = vlen + 32, rql = (uint32_t)(k + h + sea + 16);
	struct pv_eckey *cust = NULL;
	struct pv_rng *rng = NULL;

	memset(key, 0x17, sizeof(key));
	memset(iv, 0x55, sizeof(iv));
	req = calloc(1, rql);
	plain = calloc(1, sea);
	assert_true(req && plain);
	memset(plain, 0x22, vlen);
	memcpy(req, "asrcbM", 6);
	pv_put_be32(req + 8, 0x100);
	pv_put_be32(req + 12, rql);
	memcpy(req + 0x10, iv, 12);
	req[0x27] = 1;
	pv_put_be32(req + 0x2c, sea);
	memcpy(req + 0x38, &f->tags, PV_HDR_TAGS_LEN);
	assert_int_equal(pv_rng_new_system(&rng, NULL), 0);
	assert_int_equal(pv_eckey_generate(rng, "c", &cust, NULL), 0);
	assert_int_equal(pv_eckey_coords(cust, req + 0x418, NULL), 0);
	assert_int_equal(pv_keyslot_wrap(cust, f->hk, key, req + 0x4b8, NULL),
			 0);
	pv_put_be16(req + k + 2, type);
	pv_put_be32(req + k + 4, len_field);
	assert_int_equal(pv_gcm_encrypt(key, iv, req, k + h, plain, sea,
					req + k + h, req + rql - 16, NULL), 0);
	pv_eckey_free(cust);
	pv_rng_free(rng);
	free(plain);
	*len = rql;
	return req;
}

/* The hash the UV reports through attestation (PAF bit 4). */
static void store_hash(struct at_fix *f, uint8_t out[64])
{
	uint8_t cb[0x188], arpk[32];
	size_t len;
	uint8_t *arcb = at_arcb(f, NULL, PV_PAF_SECRET_HASH, &len, arpk);

	at_att_cb(f, cb, arcb, len);
	assert_int_equal(at_call(f, cb, sizeof(cb)), UVT_OK);
	memcpy(out, f->h.ram + AT_ADD, 64);
	free(arcb);
}

static void expect_hash(struct at_fix *f, const uint8_t *tags, size_t n,
			uint8_t l)
{
	uint8_t buf[16 * 8 + 1], exp[64], got[64];

	memcpy(buf, tags, 16 * n);
	buf[16 * n] = l;
	assert_int_equal(pv_sha512(buf, 16 * n + 1, exp, NULL), 0);
	store_hash(f, got);
	assert_memory_equal(got, exp, 64);
}

static void test_add_list_lock(void **state)
{
	uint8_t page[PV_SECRET_LIST_LEN], id[32], tags[32], *a, *n;
	const struct pv_eckey *hosts[1];
	struct pv_asrcb_opts o;
	size_t alen, nlen;
	struct at_fix f;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	expect_hash(&f, tags, 0, 0);
	assert_int_equal(at_list(&f, 0, page), UVT_OK);
	assert_int_equal(pv_get_be16(page), 0);
	assert_int_equal(pv_get_be16(page + 2), 0);
	a = assoc_req(&f, "X", NULL, NULL, &alen);
	assert_int_equal(at_add(&f, a, alen), UVT_OK);
	assert_int_equal(at_cc, 0);
	memcpy(tags, a + alen - 16, 16);
	/* a meta secret with the disable-dump flag: stored nowhere */
	at_asrcb_opts(&f, &o, hosts);
	o.flags = PV_ASRCB_FLAG_DISABLE_DUMP;
	assert_int_equal(pv_asrcb_build(&o, &n, &nlen, NULL), 0);
	assert_int_equal(at_add(&f, n, nlen), UVT_OK);
	memcpy(tags + 16, n + nlen - 16, 16);
	assert_int_equal(at_list(&f, 0, page), UVT_OK);
	assert_int_equal(pv_get_be16(page), 1);		/* in this page */
	assert_int_equal(pv_get_be16(page + 2), 1);	/* in the store */
	assert_int_equal(pv_get_be16(page + 4), 0);	/* no next index */
	assert_int_equal(pv_get_be16(page + 16), 0);	/* index 0 */
	assert_int_equal(pv_get_be16(page + 18), PV_SECRET_ASSOCIATION);
	assert_int_equal(pv_get_be32(page + 20), 32);
	assert_int_equal(pv_sha256("X", 1, id, NULL), 0);
	assert_memory_equal(page + 32, id, 32);
	assert_int_equal(page[64], 0);			/* rest cleared */
	expect_hash(&f, tags, 2, 0);
	/* lock, then add and lock again: 0x0102 (§2.4) */
	assert_int_equal(at_lock(&f), UVT_OK);
	assert_int_equal(at_add(&f, a, alen), UVT_RC(0x0102, 0));
	assert_int_equal(at_cc, 1);
	assert_int_equal(at_lock(&f), UVT_RC(0x0102, 0));
	expect_hash(&f, tags, 2, 1);
	/* the list page must be accessible */
	{
		uint8_t cb[0x48];

		uvt_cb(cb, PV_UVC_LIST_SECRETS);
		pv_put_be64(cb + PV_UVCB_SECRET_ADDR, AT_BAD);
		assert_int_equal(at_call(&f, cb, sizeof(cb)),
				 UVT_RC(0x0102, 0));
	}
	free(a);
	free(n);
	at_free(&f);
}

/* One fault at a time, §6.5 order. */
static void test_add_rcs(void **state)
{
	uint8_t *a, *bad, *r, *other_req, cb[0x50];
	struct pv_eckey *other = NULL;
	struct pv_rng *rng = NULL;
	struct at_fix f;
	size_t alen, rlen;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	a = assoc_req(&f, "faults", NULL, NULL, &alen);
	bad = malloc(alen);
	assert_non_null(bad);

#define FAULT(rc, stmt) do {                                              \
		memcpy(bad, a, alen);                                     \
		stmt;                                                     \
		assert_int_equal(at_add(&f, bad, alen), UVT_RC(rc, 0));   \
		assert_int_equal(at_cc, 1);                               \
	} while (0)

	FAULT(0x0104, pv_put_be32(bad + 8, 0x200));
	FAULT(0x0106, bad[0x27] = 0);
	FAULT(0x0105, pv_put_be32(bad + 12, (uint32_t)alen - 1));
	FAULT(0x0105, pv_put_be32(bad + 0x2c, 16));
	FAULT(0x0105, bad[0x27] = 2);
	FAULT(0x0107, bad[0x30] = 0x40);		/* flag bit 1 */
	FAULT(0x0107, bad[0x37] = 1);			/* flag bit 63 */
	/* every other byte of the request: not decryptable */
	for (size_t i = 0; i < alen; i++) {
		if ((i >= 8 && i < 0x10) || i == 0x27 ||
		    (i >= 0x2c && i < 0x38) || i == 0x4b8 + 80 + 2 ||
		    i == 0x4b8 + 80 + 3)
			continue;	/* checked before decryption */
		FAULT(0x0108, bad[i] ^= 0x04);
	}
	free(bad);
	/* rql reaching beyond the guest's storage, address beyond it */
	memcpy(f.h.ram + guest->mem_size - 0x100, a, 0x100);
	uvt_cb(cb, PV_UVC_ADD_SECRET);
	pv_put_be64(cb + PV_UVCB_SECRET_ADDR, guest->mem_size - 0x100);
	assert_int_equal(at_call(&f, cb, 0x48), UVT_RC(0x0103, 0));
	pv_put_be64(cb + PV_UVCB_SECRET_ADDR, AT_BAD);
	assert_int_equal(at_call(&f, cb, 0x48), UVT_RC(0x0103, 0));
	pv_put_be16(cb, 0x50);
	assert_int_equal(at_call(&f, cb, sizeof(cb)), UVT_RC(5, 0));
	/* a request for another host key */
	assert_int_equal(pv_rng_new_system(&rng, NULL), 0);
	assert_int_equal(pv_eckey_generate(rng, "o", &other, NULL), 0);
	{
		const struct pv_eckey *hosts[1] = { other };
		struct pv_asrcb_opts o;

		at_asrcb_opts(&f, &o, hosts);
		hosts[0] = other;
		assert_int_equal(pv_asrcb_build(&o, &other_req, &rlen, NULL),
				 0);
		assert_int_equal(at_add(&f, other_req, rlen),
				 UVT_RC(0x0108, 0));
		free(other_req);
	}
	/* consistent sizes, but an encrypted area below 32 bytes */
	{
		const struct pv_eckey *hosts[1];
		struct pv_asrcb_opts o;

		at_asrcb_opts(&f, &o, hosts);
		assert_int_equal(pv_asrcb_build(&o, &r, &rlen, NULL), 0);
		pv_put_be32(r + 12, (uint32_t)rlen - 16);
		pv_put_be32(r + 0x2c, 16);
		assert_int_equal(at_add(&f, r, rlen - 16), UVT_RC(0x0105, 0));
		free(r);
	}
	/* types and lengths the builder refuses */
	r = raw_req(&f, 0x000b, 32, 32, &rlen);
	assert_int_equal(at_add(&f, r, rlen), UVT_RC(0x0109, 0));
	free(r);
	r = raw_req(&f, 0x0000, 32, 32, &rlen);
	assert_int_equal(at_add(&f, r, rlen), UVT_RC(0x0109, 0));
	free(r);
	/* update-CCK needs SCF bit 2 */
	r = raw_req(&f, PV_SECRET_UPDATE_CCK, 32, 32, &rlen);
	assert_int_equal(at_add(&f, r, rlen), UVT_RC(0x0109, 0));
	free(r);
	r = raw_req(&f, PV_SECRET_ASSOCIATION, 16, 16, &rlen);
	assert_int_equal(at_add(&f, r, rlen), UVT_RC(0x010a, 0));
	free(r);
	r = raw_req(&f, PV_SECRET_ASSOCIATION, 48, 32, &rlen);
	assert_int_equal(at_add(&f, r, rlen), UVT_RC(0x010a, 0));
	free(r);
	r = raw_req(&f, PV_SECRET_PLAIN, 40, 40, &rlen);	/* not 16n */
	assert_int_equal(at_add(&f, r, rlen), UVT_RC(0x010a, 0));
	free(r);
	r = raw_req(&f, PV_SECRET_PLAIN, 32, 32, &rlen);	/* 0x2222 > 30 */
	assert_int_equal(at_add(&f, r, rlen), UVT_RC(0x010a, 0));
	free(r);
	r = raw_req(&f, PV_SECRET_AES_256, 32, 32, &rlen);	/* the good one */
	assert_int_equal(at_add(&f, r, rlen), UVT_OK);
	free(r);
	/* nothing above changed the store but the last request */
	assert_int_equal(at_list(&f, 0, NULL), UVT_OK);
	assert_int_equal(pv_get_be16(f.h.ram + AT_PAGE + 2), 1);
	pv_eckey_free(other);
	pv_rng_free(rng);
	free(a);
	at_free(&f);
#undef FAULT
}

/* §6.5 step 11: image, CUID, extension secret; 0x010C. */
static void test_binding(void **state)
{
	static const uint8_t cseed[32] = "CUID seed for the binding test!";
	uint8_t cuid[16], wrong[16], e17[32], zero[32] = { 0 }, *r;
	struct at_fix f;
	size_t len;

	assert_int_equal(at_boot(&f, guest, cseed), 0);
	assert_int_equal(pv_uv_conf_cuid(f.h.uv, f.h.cpu, cuid), 0);
	memcpy(wrong, cuid, 16);
	wrong[15] ^= 1;
	memset(e17, 0x17, sizeof(e17));
	/* another image's header */
	f.tags.tag[0] ^= 1;
	r = assoc_req(&f, "img", NULL, NULL, &len);
	f.tags.tag[0] ^= 1;
	assert_int_equal(at_add(&f, r, len), UVT_RC(0x010c, 0));
	free(r);
	f.tags.pld[63] ^= 1;
	r = assoc_req(&f, "img", NULL, NULL, &len);
	f.tags.pld[63] ^= 1;
	assert_int_equal(at_add(&f, r, len), UVT_RC(0x010c, 0));
	free(r);
	r = assoc_req(&f, "cuid", wrong, e17, &len);
	assert_int_equal(at_add(&f, r, len), UVT_RC(0x010c, 0));
	free(r);
	/* right CUID; the first request sets the extension reference */
	r = assoc_req(&f, "cuid", cuid, e17, &len);
	assert_int_equal(at_add(&f, r, len), UVT_OK);
	free(r);
	r = assoc_req(&f, "zeros", NULL, zero, &len);
	assert_int_equal(at_add(&f, r, len), UVT_RC(0x010c, 0));
	free(r);
	r = assoc_req(&f, "again", NULL, e17, &len);	/* CUID 0: ignored */
	assert_int_equal(at_add(&f, r, len), UVT_OK);
	free(r);
	at_free(&f);
}

/* SCF bit 1: E must be HKDF(CCK, tag); SCF bit 2: update-CCK. */
static void test_ext_derived_and_update_cck(void **state)
{
	uint8_t cck[32], cck2[32], e[32], e17[32], page[PV_SECRET_LIST_LEN];
	struct pv_rng *rng = NULL;
	struct at_fix f;
	size_t len;
	uint8_t *r;

	/* the synthetic guest's CCK comes from its seed (uvtest.c) */
	assert_int_equal(pv_rng_new_seeded(gseed, 32, &rng, NULL), 0);
	assert_int_equal(pv_rng_bytes(rng, "cck", cck, 32, NULL), 0);
	pv_rng_free(rng);
	assert_int_equal(at_boot(&f, guest_ext, NULL), 0);
	memset(e17, 0x17, sizeof(e17));
	r = assoc_req(&f, "simple", NULL, e17, &len);
	assert_int_equal(at_add(&f, r, len), UVT_RC(0x010c, 0));
	free(r);
	assert_int_equal(pv_asrcb_derive_ext(cck, f.tags.tag, e, NULL), 0);
	r = assoc_req(&f, "derived", NULL, e, &len);
	assert_int_equal(at_add(&f, r, len), UVT_OK);
	free(r);
	/* a new CCK: from now on E derives from it */
	memset(cck2, 0x99, sizeof(cck2));
	r = typed_req(&f, PV_SECRET_UPDATE_CCK, cck2, 32, e, &len);
	assert_int_equal(at_add(&f, r, len), UVT_OK);
	free(r);
	r = assoc_req(&f, "old cck", NULL, e, &len);
	assert_int_equal(at_add(&f, r, len), UVT_RC(0x010c, 0));
	free(r);
	assert_int_equal(pv_asrcb_derive_ext(cck2, f.tags.tag, e, NULL), 0);
	r = assoc_req(&f, "new cck", NULL, e, &len);
	assert_int_equal(at_add(&f, r, len), UVT_OK);
	free(r);
	/* update-CCK is not listed */
	assert_int_equal(at_list(&f, 0, page), UVT_OK);
	assert_int_equal(pv_get_be16(page + 2), 2);
	pv_cleanse(cck, sizeof(cck));
	at_free(&f);
}

/* §8 #7: 16 association and 32 retrievable secrets; null is free. */
static void test_capacity(void **state)
{
	uint8_t key[16], page[PV_SECRET_LIST_LEN], *r;
	struct at_fix f;
	size_t len;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	r = assoc_req(&f, "cap", NULL, NULL, &len);
	for (int i = 0; i < 16; i++)
		assert_int_equal(at_add(&f, r, len), UVT_OK);
	assert_int_equal(at_add(&f, r, len), UVT_RC(0x010b, 0));
	free(r);
	memset(key, 0x33, sizeof(key));
	r = typed_req(&f, PV_SECRET_AES_128, key, 16, NULL, &len);
	for (int i = 0; i < 32; i++)
		assert_int_equal(at_add(&f, r, len), UVT_OK);
	assert_int_equal(at_add(&f, r, len), UVT_RC(0x010b, 0));
	free(r);
	{
		const struct pv_eckey *hosts[1];
		struct pv_asrcb_opts o;

		at_asrcb_opts(&f, &o, hosts);
		assert_int_equal(pv_asrcb_build(&o, &r, &len, NULL), 0);
		assert_int_equal(at_add(&f, r, len), UVT_OK);
		free(r);
	}
	/* list from index 40: entries 40..47 */
	assert_int_equal(at_list(&f, 40, page), UVT_OK);
	assert_int_equal(pv_get_be16(page), 8);
	assert_int_equal(pv_get_be16(page + 2), 48);
	assert_int_equal(pv_get_be16(page + 16), 40);
	assert_int_equal(pv_get_be16(page + 18), PV_SECRET_AES_128);
	assert_int_equal(pv_get_be32(page + 20), 16 + 32);
	at_free(&f);
}

static void test_retrieve(void **state)
{
	uint8_t plain[32] = { 0, 5, 'h', 'e', 'l', 'l', 'o' }, key[32];
	uint8_t first[64], *r;
	struct at_fix f;
	size_t len;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	assert_int_equal(at_retrieve(&f, 0, 64, AT_PAGE), UVT_RC(0x010f, 0));
	r = assoc_req(&f, "assoc", NULL, NULL, &len);
	assert_int_equal(at_add(&f, r, len), UVT_OK);
	free(r);
	r = typed_req(&f, PV_SECRET_PLAIN, plain, 32, NULL, &len);
	assert_int_equal(at_add(&f, r, len), UVT_OK);
	free(r);
	memset(key, 0x5a, sizeof(key));
	r = typed_req(&f, PV_SECRET_AES_256, key, 32, NULL, &len);
	assert_int_equal(at_add(&f, r, len), UVT_OK);
	free(r);
	assert_int_equal(at_retrieve(&f, 0, 64, AT_PAGE), UVT_RC(0x0111, 0));
	assert_int_equal(at_retrieve(&f, 3, 64, AT_PAGE), UVT_RC(0x0110, 0));
	assert_int_equal(at_retrieve(&f, 1, 31, AT_PAGE), UVT_RC(0x0109, 0));
	assert_int_equal(at_retrieve(&f, 1, 32, AT_BAD), UVT_RC(0x0102, 0));
	memset(f.h.ram + AT_PAGE, 0xee, 128);
	assert_int_equal(at_retrieve(&f, 1, 4096, AT_PAGE), UVT_OK);
	assert_memory_equal(f.h.ram + AT_PAGE, plain, 32);
	assert_int_equal(f.h.ram[AT_PAGE + 32], 0xee);
	/* a key comes back wrapped, 32 + 32 bytes, the same each time */
	assert_int_equal(at_retrieve(&f, 2, 63, AT_PAGE), UVT_RC(0x0109, 0));
	assert_int_equal(at_retrieve(&f, 2, 64, AT_PAGE), UVT_OK);
	memcpy(first, f.h.ram + AT_PAGE, 64);
	assert_memory_not_equal(first, key, 32);
	assert_int_equal(at_retrieve(&f, 2, 64, AT_PAGE), UVT_OK);
	assert_memory_equal(first, f.h.ram + AT_PAGE, 64);
	at_free(&f);
}

/* Destroy (a reboot makes a new configuration) clears the store. */
static void test_store_ends_with_config(void **state)
{
	uint8_t page[PV_SECRET_LIST_LEN], none[16], *r;
	struct at_fix f;
	size_t len;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	r = assoc_req(&f, "gone", NULL, NULL, &len);
	assert_int_equal(at_add(&f, r, len), UVT_OK);
	assert_int_equal(at_lock(&f), UVT_OK);
	assert_int_equal(uvt_teardown(&f.h), UVT_OK);
	uvt_reload_ram(&f.h, guest);
	assert_int_equal(uvt_boot(&f.h, guest), 0);
	assert_int_equal(at_list(&f, 0, page), UVT_OK);
	assert_int_equal(pv_get_be16(page + 2), 0);
	expect_hash(&f, none, 0, 0);
	assert_int_equal(at_add(&f, r, len), UVT_OK);	/* not locked */
	free(r);
	at_free(&f);
}

/* Every rql but the real one is refused, the store stays empty. */
static void test_add_truncated(void **state)
{
	uint8_t page[PV_SECRET_LIST_LEN], *r;
	struct at_fix f;
	size_t len;

	assert_int_equal(at_boot(&f, guest, NULL), 0);
	r = assoc_req(&f, "cut", NULL, NULL, &len);
	for (size_t n = 0; n <= len + 16; n++) {
		uint32_t w;

		if (n == len)
			continue;
		pv_put_be32(r + PV_REQ_OFF_RQL, (uint32_t)n);
		w = at_add(&f, r, len);
		assert_true(w == UVT_RC(0x0105, 0) || w == UVT_RC(0x0108, 0));
	}
	assert_int_equal(at_list(&f, 0, page), UVT_OK);
	assert_int_equal(pv_get_be16(page + 2), 0);
	free(r);
	at_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_list_lock),
		cmocka_unit_test(test_add_rcs),
		cmocka_unit_test(test_binding),
		cmocka_unit_test(test_ext_derived_and_update_cck),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_retrieve),
		cmocka_unit_test(test_store_ends_with_config),
		cmocka_unit_test(test_add_truncated),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
