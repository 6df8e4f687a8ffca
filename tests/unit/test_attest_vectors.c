// SPDX-License-Identifier: MIT
/*
 * Attestation and secrets: the known-answer vectors of
 * attestation-and-secrets.md §7, byte for byte.  IBM's test assets are
 * rebuilt here from their fixed inputs (customer key, host key, IV 12 x 55,
 * protection key 32 x 17, ...) with pvboot's builders, and the result must
 * have the SHA-256 of the asset in s390-tools v2.36.0 (computed from the
 * published files).  Then the parsers: every truncation and every flipped
 * byte of the authenticated regions is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/attest.h"
#include "pvboot/be.h"
#include "lib/testkeys.h"

static void unhex(const char *s, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned int v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void assert_sha256(const uint8_t *buf, size_t len, const char *hex)
{
	uint8_t d[32], e[32];

	assert_int_equal(pv_sha256(buf, len, d, NULL), 0);
	unhex(hex, e, 32);
	assert_memory_equal(d, e, 32);
}

static void assert_hex(const uint8_t *buf, const char *hex)
{
	size_t n = strlen(hex) / 2;
	uint8_t *e = malloc(n);

	assert_non_null(e);
	unhex(hex, e, n);
	assert_memory_equal(buf, e, n);
	free(e);
}

static struct pv_eckey *cust, *host;
static const uint8_t iv55[12] = { 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
				  0x55, 0x55, 0x55, 0x55, 0x55, 0x55 };
static uint8_t key17[32], fill77[64], fillab[16];

static int group_setup(void **state)
{
	cust = tk_cust_key();
	host = tk_host_pubkey();
	memset(key17, 0x17, sizeof(key17));
	memset(fill77, 0x77, sizeof(fill77));
	memset(fillab, 0xab, sizeof(fillab));
	return cust && host ? 0 : -1;
}

static int group_teardown(void **state)
{
	pv_eckey_free(cust);
	pv_eckey_free(host);
	return 0;
}

static struct pv_req_keys fixed_keys(const struct pv_eckey *const *hosts,
				     size_t n)
{
	return (struct pv_req_keys){
		.hosts = hosts, .nhosts = n, .cust = cust, .iv = iv55,
		.prot_key = key17,
	};
}

/* exp/arcb.bin: PAF bits 1-3, MAI 1, meas key 64 x 77, nonce 16 x AB. */
static uint8_t *make_arcb(size_t *len)
{
	const struct pv_eckey *hosts[1] = { host };
	struct pv_arcb_opts o = {
		.paf = PV_PAF_IMAGE_PHKH | PV_PAF_ATT_PHKH,
		.meas_key = fill77, .nonce = fillab,
		.keys = fixed_keys(hosts, 1),
	};
	uint8_t arpk[32], *arcb;

	assert_int_equal(pv_arcb_build(&o, &arcb, len, arpk, NULL), 0);
	assert_memory_equal(arpk, key17, 32);
	return arcb;
}

static void test_arcb_vector(void **state)
{
	struct pv_arcb_plain p;
	uint8_t *arcb;
	size_t len;

	arcb = make_arcb(&len);
	assert_int_equal(len, 400);
	assert_sha256(arcb, len,
		      "8eefb020aea5b26d6da24d601636cb3cf034825f71e81c7b1f29c4dfffcaa8a7");
	/* §7.2: the first 64 bytes, the slot, the tag */
	assert_hex(arcb, "00000000000000000000010000000190555555555555555555555555000000000000000000000001000000000000005070000000000000000000000100000000");
	assert_hex(arcb + 0xe0, "415c25a5d19c381e619733e1c1b7fbd88bdd1c31d882d5ade04b97043c5010f0c07743c154ac20653815af37b196ad1ef8e847690c5c1ef985291df18e6870d8a038978d7ccb85b5b32bd40c15c6353f");
	assert_hex(arcb + 0x180, "92cff0ab3e9131bc2984efb24b699cb4");
	assert_int_equal(pv_arcb_open(arcb, len, key17, &p, NULL), 0);
	assert_memory_equal(p.meas_key, fill77, 64);
	assert_true(p.has_nonce);
	assert_memory_equal(p.nonce, fillab, 16);
	assert_true(p.paf == 0x7000000000000000ULL);
	assert_int_equal(pv_paf_add_size(p.paf), 64);
	free(arcb);
}

/* Every byte of AAD, ciphertext and tag is covered; truncation fails. */
static void test_arcb_tamper(void **state)
{
	struct pv_arcb_plain p;
	struct pv_err *err = NULL;
	uint8_t *arcb;
	size_t len;
	int rc;

	arcb = make_arcb(&len);
	for (size_t i = 0; i < len; i++) {
		arcb[i] ^= 0x01;
		rc = pv_arcb_open(arcb, len, key17, &p, NULL);
		arcb[i] ^= 0x01;
		assert_true(rc < 0);
	}
	for (size_t n = 0; n < len; n++)
		assert_true(pv_arcb_open(arcb, n, key17, &p, NULL) < 0);
	key17[5] ^= 0x80;
	assert_int_equal(pv_arcb_open(arcb, len, key17, &p, &err),
			 -PV_ERR_AUTH);
	key17[5] ^= 0x80;
	assert_non_null(strstr(err->msg, "protection key"));
	pv_err_free(err);
	free(arcb);
}

static const struct {
	const char *name;
	bool assoc;
	int ext;		/* 0 none, 1 simple (32 x 17), 2 derived */
	bool dump, cuid;
	unsigned int nks;
	const char *sha256;
} asrcbs[] = {
	{ "assoc_derived_default_cuid_one", true, 2, false, true, 1,
	  "e1173b735e0d18b98766fc1299803863b5fd59530f1c811b5ca5eecdc3048fb6" },
	{ "assoc_simple_default_cuid_one", true, 1, false, true, 1,
	  "f004c98623ff891d947d3537ea546103b1a65223a9aa5cd0af5e4af3e1ecc8c0" },
	{ "null_none_default_cuid_one", false, 0, false, true, 1,
	  "b876883df0400ecef29830dc34f8e6a1f82d88983b92fe5fb229742c49aa2675" },
	{ "null_none_default_ncuid_one", false, 0, false, false, 1,
	  "e7449fd652bad05fd6ed1429fbefc88f1368bde9052f68f652f81f201f1611ef" },
	{ "null_simple_default_cuid_one", false, 1, false, true, 1,
	  "c7fd1eb5c826d594951ab0f22cb9acf49689c3fb2a47f2c60c44784c5b0c0d19" },
	{ "assoc_none_default_cuid_one", true, 0, false, true, 1,
	  "2faeb8b140e8bd2d25130883cac2e13b97593e04af033cd567bd1dcbbd044982" },
	{ "null_derived_default_cuid_one", false, 2, false, true, 1,
	  "d3e173bdf4e3c051a542c3ec620404b73432247c38574c04d48c505f7b4c8f38" },
	{ "null_none_default_cuid_seven", false, 0, false, true, 7,
	  "7f765ebb286e703be7feb0408223fc1b1ae1ac8dcad46760b4e421e66003ca26" },
	{ "null_none_dump_cuid_one", false, 0, true, true, 1,
	  "352baebab01bce8dae08bf6ffdff6eadb735fd8af150e188c60acc0a672107d4" },
};

/* pv/tests/add_secret_request.rs TAGS: PLD 1s, ALD 2s, TLD 3s, tag 4s. */
static void vector_tags(struct pv_hdr_tags *t)
{
	memset(t->pld, 1, sizeof(t->pld));
	memset(t->ald, 2, sizeof(t->ald));
	memset(t->tld, 3, sizeof(t->tld));
	memset(t->tag, 4, sizeof(t->tag));
}

static uint8_t *make_asrcb(size_t i, size_t *len)
{
	const struct pv_eckey *hosts[7] = { host, host, host, host, host, host,
					    host };
	uint8_t cuid[16], assoc[32], id[32], ext[32], cck[32] = { 0 }, *req;
	struct pv_hdr_tags tags;
	struct pv_asrcb_opts o = { 0 };

	vector_tags(&tags);
	memset(cuid, 0x42, sizeof(cuid));
	memset(assoc, 0x11, sizeof(assoc));
	assert_int_equal(pv_sha256("add_secret_request", 18, id, NULL), 0);
	o.tags = &tags;
	o.cuid = asrcbs[i].cuid ? cuid : NULL;
	o.flags = asrcbs[i].dump ? PV_ASRCB_FLAG_DISABLE_DUMP : 0;
	o.type = asrcbs[i].assoc ? PV_SECRET_ASSOCIATION : PV_SECRET_NULL;
	if (asrcbs[i].assoc) {
		o.id = id;
		o.secret = assoc;
		o.secret_len = 32;
	}
	if (asrcbs[i].ext == 1) {
		memset(ext, 0x17, sizeof(ext));
		o.ext = ext;
	} else if (asrcbs[i].ext == 2) {
		assert_int_equal(pv_asrcb_derive_ext(cck, tags.tag, ext, NULL),
				 0);
		o.ext = ext;
	}
	o.keys = fixed_keys(hosts, asrcbs[i].nks);
	assert_int_equal(pv_asrcb_build(&o, &req, len, NULL), 0);
	return req;
}

static void test_asrcb_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(asrcbs) / sizeof(asrcbs[0]); i++) {
		struct pv_asrcb_view v;
		uint8_t plain[64];
		size_t len;
		uint8_t *req = make_asrcb(i, &len);

		print_message("  %s\n", asrcbs[i].name);
		assert_sha256(req, len, asrcbs[i].sha256);
		assert_int_equal(pv_asrcb_view(req, len, &v, NULL), 0);
		assert_int_equal(v.type, asrcbs[i].assoc ? 2 : 1);
		assert_int_equal(v.shdr_off, 0x4b8 + 80 * asrcbs[i].nks);
		assert_int_equal(pv_req_decrypt(req, &v.req, key17, plain,
						NULL), 0);
		free(req);
	}
}

/* §7.2 tags, §7.1 association ID and the derived extension secret. */
static void test_asrcb_fields(void **state)
{
	uint8_t ext[32], cck[32] = { 0 }, id[32], *req;
	struct pv_hdr_tags t;
	size_t len;

	vector_tags(&t);
	assert_int_equal(pv_asrcb_derive_ext(cck, t.tag, ext, NULL), 0);
	assert_hex(ext, "b7e28c1ed1ecd063afe5eb9b54c6685aca5c193163e82e2071c3150ed6ff6473");
	assert_int_equal(pv_sha256("add_secret_request", 18, id, NULL), 0);
	assert_hex(id, "70dc758d711fef605b1b1b1774a2a4ab701020ea4b2cb399ebbdd5a3971c76a9");
	req = make_asrcb(2, &len);
	assert_int_equal(len, 1352);
	assert_hex(req + len - 16, "04e2c301200abaf71117ac30b972a70c");
	free(req);
	req = make_asrcb(5, &len);
	assert_int_equal(len, 1416);
	assert_hex(req + 0x508 + 16, "70dc758d711fef605b1b1b1774a2a4ab");
	assert_hex(req + len - 16, "fbf57e5391337ffd69fc201c589e4ae2");
	free(req);
}

/* §7.3 secret-store hash over the nine requests, locked and unlocked. */
static void test_secret_store_hash(void **state)
{
	static const uint8_t unlocked = 0, locked = 1;
	struct pv_sha512 *h;
	uint8_t d[64];

	assert_int_equal(pv_sha512_new(&h, NULL), 0);
	assert_int_equal(pv_sha512_peek(h, &locked, 1, d, NULL), 0);
	assert_hex(d, "7b54b66836c1fbdd13d2441d9e1434dc62ca677fb68f5fe66a464baadecdbd00576f8d6b5ac3bcc80844b7d50b1cc6603444bbe7cfcf8fc0aa1ee3c636d9e339");
	assert_int_equal(pv_sha512_peek(h, &unlocked, 1, d, NULL), 0);
	assert_hex(d, "b8244d028981d693af7b456af8efa4cad63d282e19ff14942c246e50d9351d22704a802a71c3580b6370de4ceb293c324a8423342557d4e5c38438f0e36910ee");
	for (size_t i = 0; i < sizeof(asrcbs) / sizeof(asrcbs[0]); i++) {
		size_t len;
		uint8_t *req = make_asrcb(i, &len);

		assert_int_equal(pv_sha512_update(h, req + len - 16, 16, NULL),
				 0);
		free(req);
	}
	assert_int_equal(pv_sha512_peek(h, &locked, 1, d, NULL), 0);
	assert_hex(d, "d048702b4a79478b985e92e7edff453f63f2044e7d72faf12efd2eaea0cd0505559ed6665a06f6b4f9c6fcf9f2960e6cd3c3cc8cafe57ac8406e616bf9529517");
	/* peek does not end the running hash */
	assert_int_equal(pv_sha512_peek(h, &unlocked, 1, d, NULL), 0);
	assert_hex(d, "51ce62af1f67b9e3254b184e33b2aad31007581a39e99cdeb02998a3b67ff456c44a05ee7d68e24dfd436f2be4c1e9f5c1016468da64015e9f9fa3156e110d6c");
	pv_sha512_free(h);
}

/* §7.3 measurement KATs (a)-(d). */
static void test_measurement_kats(void **state)
{
	uint8_t key[64], user[256], nonce[16], add[128], cuid[16], m[64];
	struct pv_hdr_tags t;
	struct pv_att_input in = { .tags = &t, .cuid = cuid };

	memset(key, 0x41, sizeof(key));
	vector_tags(&t);
	memset(cuid, 5, sizeof(cuid));
	memset(user, 7, sizeof(user));
	memset(nonce, 8, sizeof(nonce));
	memset(add, 9, sizeof(add));
	in.user = user;
	in.user_len = 256;
	in.nonce = nonce;
	in.add = add;
	in.add_len = 128;
	assert_int_equal(pv_att_measure(key, &in, m, NULL), 0);
	assert_hex(m, "88794c62cce7bcf26216deb3f48f13fea6374b6d7e35bcc5c2ce68121db6f45dfc8c171856463549408bf8e7d1aca11efad0a878af97dc9e21a1fc2a32f3a675");
	in.nonce = NULL;
	assert_int_equal(pv_att_measure(key, &in, m, NULL), 0);
	assert_hex(m, "fbd4f738a390edd9");
	in.user = NULL;
	in.user_len = 0;
	assert_int_equal(pv_att_measure(key, &in, m, NULL), 0);
	assert_hex(m, "63671fbf295036eb");
	in.add = NULL;
	in.add_len = 0;
	assert_int_equal(pv_att_measure(key, &in, m, NULL), 0);
	assert_hex(m, "c5c34c93835d1ec23f5c2d778dfa20129b11b305601742cb2f38e0ed9894dcdb73fc8695ab6a8dbad0744073ddc81a5eaafa52e4a15af8deb8d761091922847f");
	in.user_len = 257;
	assert_int_equal(pv_att_measure(key, &in, m, NULL), -PV_ERR_RANGE);
}

/* pvattest/tests/assets/exp/exchange/ and pv/tests/assets/exp/exchange.bin */
static const struct {
	const char *name;
	bool meas_data, add, add_data, user, cuid;
	uint8_t user_fill;
	const char *sha256;
} exch[] = {
	{ "min_req", false, false, false, false, false, 0,
	  "1c125fe316f27a8c4a9a8d1152471af6e971371dfedca13a4de125b8239dd603" },
	{ "add_req", false, true, false, false, false, 0,
	  "a0f5ba3d4a4c3a76b333cc32b9596ba3c13188fe387ac41d5f73cf75a4e9f6ca" },
	{ "user_req", false, false, false, true, false, 0x15,
	  "e958c4ce09b41b8703c9dc0b4918783ba4f29999c10116e59b8952acceb3403f" },
	{ "min_resp", true, false, false, false, true, 0,
	  "29288e86a525eecd23705b6183819e43434a50bb0bc4e4e179ce4629f4f33393" },
	{ "add_resp", true, true, true, false, true, 0,
	  "8b27bb99ebfb2a33d7587e8ae1eb424e32d6e89bb2ce7000725edf966b9d4b80" },
	{ "user_resp", true, false, false, true, true, 0x15,
	  "a34389783566a359c9e3bf01330ec9b503a0ebda2a410471f56e4c86420b09e0" },
	{ "full_resp", true, true, true, true, true, 0x15,
	  "a8ccad385f107a8f4a692c0b74bb75645fff4dc6a75639b78db8d11fe4afb62c" },
	{ "exchange", true, true, true, true, true, 0x13,
	  "f48beef24cb7d24d01a5f932dfda636e5af04bd48be40deb13b492ee061f2d61" },
};

static uint8_t *make_exchange(size_t i, size_t *len)
{
	static uint8_t arcb[16], meas[64], add[32], user[256], cuid[16];
	struct pv_exchange x = { .arcb = arcb, .arcb_len = 16 };
	uint8_t *buf;

	memset(arcb, 0x11, 16);
	memset(meas, 0x12, 64);
	memset(add, 0x13, 32);
	memset(user, exch[i].user_fill, 256);
	memset(cuid, 0x14, 16);
	x.meas_len = 64;
	x.meas = exch[i].meas_data ? meas : NULL;
	if (exch[i].add) {
		x.add_len = 32;
		x.add = exch[i].add_data ? add : NULL;
	}
	if (exch[i].user) {
		x.user = user;
		x.user_len = 256;
	}
	if (exch[i].cuid) {
		x.cuid = cuid;
		x.cuid_len = 16;
	}
	*len = pv_exchange_len(&x);
	buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(pv_exchange_write(&x, buf, *len, NULL), 0);
	return buf;
}

static void test_exchange_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(exch) / sizeof(exch[0]); i++) {
		struct pv_exchange x;
		size_t len;
		uint8_t *buf = make_exchange(i, &len);

		print_message("  %s\n", exch[i].name);
		assert_sha256(buf, len, exch[i].sha256);
		assert_int_equal(pv_exchange_parse(buf, len, &x, NULL), 0);
		assert_int_equal(x.arcb_len, 16);
		assert_int_equal(x.meas_len, 64);
		assert_true(pv_exchange_is_response(&x) == exch[i].cuid);
		assert_int_equal(x.add_len, exch[i].add ? 32 : 0);
		assert_true(!x.add == !exch[i].add_data);
		assert_true(!x.user == !exch[i].user);
		free(buf);
	}
}

/* Truncated at every length, every entry moved out of the file. */
static void test_exchange_bad(void **state)
{
	struct pv_exchange x;
	size_t len;
	uint8_t *buf = make_exchange(6, &len);

	for (size_t n = 0; n < len; n++)
		assert_true(pv_exchange_parse(buf, n, &x, NULL) < 0);
	for (int e = 0; e < 5; e++) {
		uint8_t *off = buf + 0x18 + 8 * e + 4;
		uint32_t old = pv_get_be32(off);

		pv_put_be32(off, (uint32_t)len - 1);
		assert_true(pv_exchange_parse(buf, len, &x, NULL) < 0);
		pv_put_be32(off, 0x20);	/* inside the header */
		assert_true(pv_exchange_parse(buf, len, &x, NULL) < 0);
		pv_put_be32(off, old);
	}
	buf[3] ^= 1;
	assert_true(pv_exchange_parse(buf, len, &x, NULL) < 0);
	buf[3] ^= 1;
	buf[0x0a] = 0;	/* version 0x100 -> 0 */
	assert_int_equal(pv_exchange_parse(buf, len, &x, NULL),
			 -PV_ERR_UNSUPPORTED);
	free(buf);
}

/* Every truncation of an ASRCB is refused by the structural check. */
static void test_asrcb_truncated(void **state)
{
	struct pv_asrcb_view v;
	size_t len;
	uint8_t *req = make_asrcb(5, &len);

	for (size_t n = 0; n < len; n++)
		assert_true(pv_asrcb_view(req, n, &v, NULL) < 0);
	req[0] = 'b';
	assert_true(pv_asrcb_view(req, len, &v, NULL) < 0);
	free(req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arcb_vector),
		cmocka_unit_test(test_arcb_tamper),
		cmocka_unit_test(test_asrcb_vectors),
		cmocka_unit_test(test_asrcb_fields),
		cmocka_unit_test(test_secret_store_hash),
		cmocka_unit_test(test_measurement_kats),
		cmocka_unit_test(test_exchange_vectors),
		cmocka_unit_test(test_exchange_bad),
		cmocka_unit_test(test_asrcb_truncated),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
