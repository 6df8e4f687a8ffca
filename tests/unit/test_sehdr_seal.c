// SPDX-License-Identifier: MIT
/*
 * Unit tests for SE header sealing (AES-256-GCM, se-image-format.md §6.6):
 * the complete 640-byte header of §9.2, round trips, single-bit flips and
 * optional items.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "pvboot/sehdr.h"
#include "sehdr_fixture.h"

/* se-image-format.md §9.1 */
static const char host_x[] =
	"0176881cd84b8b6de7123c7e900edf78e7f7b684999146b1263ba8b86c8447f08a"
	"b6d469c2b128ed9e1c35015805acd3d30233d39122f7e2f8aa1c2b147b7883b406";
static const char host_y[] =
	"00c34556c25cf92f29ce66bd44114d6b7b3c78e13a3f90bdb90040f6876e5262f7"
	"78a61a937d1b34802eb257e34e0672dd5f2a347addaa282035092a70c35c2e7973";

/* se-image-format.md §9.2, bytes 0x000-0x0DF and 0x1A0-0x27F */
static const char kat_head[] =
	"49424d5365634578000001000000028033333333333333333333333300000000"
	"0000000000000001000000000000008000000000000000010000000000000000"
	"000000000000000000000000000000c75d34f91652db457b0b209c46a491a44e"
	"e2b16e23c2d8daf116678a62f24ce332c5995f08456b66b16dd55a92c507f1e3"
	"1af78c64a82e7a541b15135015f2028600000000000000000000000000000140"
	"8058a7f1a5c35097533a02a93879e7de67ba280bce8365ec94b2b908f589c3a9"
	"98d8be1e6307d74ae01adc46825ff6bb6fa05c1147cfe2ccf4a24f3d833dda70";
static const char kat_tail[] =
	"415c25a5d19c381e619733e1c1b7fbd88bdd1c31d882d5ade04b97043c5010f0"
	"e55266e4718905401d308a1294b3883bddcd624c29793bdca00c38d4ab4d55fd"
	"26c4eb7031b75eabdd7860419566373bb4198fe3de90034df004d9cdc7af7b01"
	"bf4c4e63738305a0708e757d1eef0733ef42ad3df3c71447736b718b44c8dbe9"
	"54dc6cf285475b9aa0ab0420435a6bd8958dd2147d042749a34b01944ef5874c"
	"442aa4aeb9d81d3c4c1ce8bfd1da86b86e9ae39042d5915d9d963d5045ee06be"
	"bfcaacdd9fbe3efd43a28ef56d171a667165174055f9fffa1e1c8887bb6d76de";
static const char kat_sha256[] =
	"9aea8b257d5a647a4dba1ba49c27c5a37b3770f02c4a8346202e5626df9b8fb5";

static void kat_expected(uint8_t out[640])
{
	assert_int_equal(hex_decode(kat_head, out, 0xE0), 0xE0);
	memset(out + 0xE0, 0x02, 64);
	memset(out + 0x120, 0x01, 64);
	memset(out + 0x160, 0x03, 64);
	assert_int_equal(hex_decode(kat_tail, out + 0x1A0, 0xE0), 0xE0);
}

static void kat_secret(struct pv_sehdr_secret *s)
{
	memset(s, 0, sizeof(*s));
	memset(s->cck, 0x31, sizeof(s->cck));
	memset(s->xts, 0x03, sizeof(s->xts));
	s->psw_mask = 0x162E;
	s->psw_addr = 0x4D2;
}

static void test_kat_header_9_2(void **state)
{
	uint8_t want[640], got[640], digest[32], want_digest[32];
	uint8_t cust_d[80] = { 0 }, host_c[160] = { 0 }, hpk[32];
	uint8_t slot[PV_KEYSLOT_LEN], pt[128], want_pt[128];
	struct pv_eckey *ck = NULL, *hk = NULL;
	struct pv_sehdr_secret s, opened;
	struct pv_sehdr *hdr = NULL, *back = NULL;
	struct pv_err *err = NULL;

	/*
	 * CK scalar as stored in upstream private_cust.bin: 15 x 00, 01,
	 * 64 x 88.  (§9.1 says 14 x 00, 01, 65 x 88; that scalar matches
	 * neither public_cust.bin nor the KEK of §9.1.)
	 */
	cust_d[15] = 0x01;
	memset(cust_d + 16, 0x88, 64);
	assert_int_equal(pv_eckey_from_scalar(cust_d, sizeof(cust_d), &ck,
					      &err), 0);
	assert_int_equal(hex_decode(host_x, host_c + 14, 66), 66);
	assert_int_equal(hex_decode(host_y, host_c + 94, 66), 66);
	assert_int_equal(pv_eckey_from_coords(host_c, &hk, &err), 0);
	memset(hpk, 0x32, sizeof(hpk));

	assert_int_equal(pv_sehdr_new(1, &hdr, &err), 0);
	memset(hdr->iv, 0x33, sizeof(hdr->iv));
	hdr->nep = 1;
	hdr->pcf = 0;
	assert_int_equal(pv_eckey_coords(ck, hdr->cust_pub, &err), 0);
	memset(hdr->pld, 0x02, 64);
	memset(hdr->ald, 0x01, 64);
	memset(hdr->tld, 0x03, 64);
	assert_int_equal(pv_keyslot_wrap(ck, hk, hpk, slot, &err), 0);
	memcpy(hdr->slots[0].phkh, slot, 32);
	memcpy(hdr->slots[0].wrpk, slot + 32, 32);
	memcpy(hdr->slots[0].kst, slot + 64, 16);
	kat_secret(&s);
	assert_int_equal(pv_sehdr_seal(hdr, hpk, &s, &err), 0);
	assert_null(err);
	assert_int_equal(pv_sehdr_serialize(hdr, got, sizeof(got), &err), 0);

	kat_expected(want);
	assert_memory_equal(got, want, 640);
	assert_int_equal(pv_sha256(got, sizeof(got), digest, &err), 0);
	hex_decode(kat_sha256, want_digest, 32);
	assert_memory_equal(digest, want_digest, 32);

	/* parse the published bytes and open them with HPK */
	assert_int_equal(pv_sehdr_parse(want, sizeof(want), &back, &err), 0);
	assert_int_equal(pv_sehdr_find_slot(back, slot), 0);
	assert_int_equal(pv_sehdr_open(back, hpk, &opened, &err), 0);
	assert_null(err);
	pv_sehdr_secret_pack(&opened, pt);
	memset(want_pt, 0x31, 32);
	memset(want_pt + 32, 0x03, 64);
	memset(want_pt + 96, 0, 32);
	want_pt[0x66] = 0x16;
	want_pt[0x67] = 0x2E;
	want_pt[0x6E] = 0x04;
	want_pt[0x6F] = 0xD2;
	assert_memory_equal(pt, want_pt, 128);

	/* wrong key: PV_ERR_AUTH and nothing left in the output */
	hpk[0] ^= 1;
	memset(&opened, 0x5A, sizeof(opened));
	assert_int_equal(pv_sehdr_open(back, hpk, &opened, &err),
			 -PV_ERR_AUTH);
	assert_int_equal(err->code, PV_ERR_AUTH);
	assert_true(all_zero(&opened, sizeof(opened)));
	pv_err_free(err);

	pv_sehdr_free(back);
	pv_sehdr_free(hdr);
	pv_eckey_free(ck);
	pv_eckey_free(hk);
}

static const char real_hdr_sha256[] =
	"c31196aaa1017326f7b3da83cbbe8ce2ec2bfd3b6172b92a57f2c5bd38370aef";

static void test_real_header_9_3_closed(void **state)
{
	uint8_t b[640], digest[32], want[32], hpk[32] = { 0 };
	struct pv_sehdr_secret o;
	struct pv_sehdr *hdr = NULL;

	assert_int_equal(hex_decode(real_hdr, b, sizeof(b)), 640);
	assert_int_equal(pv_sha256(b, sizeof(b), digest, NULL), 0);
	hex_decode(real_hdr_sha256, want, 32);
	assert_memory_equal(digest, want, 32);
	assert_int_equal(pv_sehdr_parse(b, sizeof(b), &hdr, NULL), 0);
	/* without its key the header does not open */
	memset(&o, 0x11, sizeof(o));
	assert_int_equal(pv_sehdr_open(hdr, hpk, &o, NULL), -PV_ERR_AUTH);
	assert_true(all_zero(&o, sizeof(o)));
	pv_sehdr_free(hdr);
}

static void test_seal_open_roundtrip(void **state)
{
	static const uint64_t nks[] = { 1, 2, 7, 44, 45, 95 };
	struct pv_sehdr_secret s, o;
	struct pv_sehdr *hdr, *back;
	struct pv_err *err = NULL;
	uint8_t hpk[32], *b, *c;
	size_t i;

	prng_state = 0xC0FFEE;
	for (i = 0; i < sizeof(nks) / sizeof(nks[0]); i++) {
		hdr = random_header(nks[i]);
		random_secret(&s);
		fill(hpk, sizeof(hpk));
		assert_int_equal(pv_sehdr_seal(hdr, hpk, &s, &err), 0);
		b = serialize(hdr);
		back = NULL;
		assert_int_equal(pv_sehdr_parse(b, hdr->phs, &back, &err), 0);
		memset(&o, 0, sizeof(o));
		assert_int_equal(pv_sehdr_open(back, hpk, &o, &err), 0);
		assert_null(err);
		assert_memory_equal(&s, &o, sizeof(s));
		c = serialize(back);
		assert_memory_equal(b, c, hdr->phs);
		/* the ciphertext is not the plaintext */
		pv_sehdr_secret_pack(&s, c);
		assert_memory_not_equal(c, b + pv_sehdr_enc_offset(hdr), 128);
		free(c);
		free(b);
		pv_sehdr_free(back);
		pv_sehdr_free(hdr);
	}
}

static void test_every_bit_flip_fails(void **state)
{
	struct pv_sehdr_secret s, o;
	struct pv_sehdr *hdr, *back;
	struct pv_err *err;
	unsigned int bit, parse_fail = 0, open_fail = 0;
	uint8_t hpk[32], *b;
	int rc;

	prng_state = 0xB17F11B;
	hdr = random_header(1);
	random_secret(&s);
	fill(hpk, sizeof(hpk));
	assert_int_equal(pv_sehdr_seal(hdr, hpk, &s, NULL), 0);
	b = serialize(hdr);
	assert_int_equal(hdr->phs, 640);
	for (bit = 0; bit < 640 * 8; bit++) {
		b[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		back = NULL;
		err = NULL;
		rc = pv_sehdr_parse(b, 640, &back, &err);
		if (rc) {
			parse_fail++;
			assert_null(back);
		} else {
			memset(&o, 0x77, sizeof(o));
			rc = pv_sehdr_open(back, hpk, &o, &err);
			if (rc != -PV_ERR_AUTH)
				fail_msg("bit %u: open returned %d", bit, rc);
			assert_true(all_zero(&o, sizeof(o)));
			open_fail++;
			pv_sehdr_free(back);
		}
		assert_non_null(err);
		pv_err_free(err);
		b[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
	}
	assert_int_equal(parse_fail + open_fail, 640 * 8);
	assert_true(parse_fail > 0 && open_fail > 0);
	/* the unmodified bytes still open */
	back = NULL;
	assert_int_equal(pv_sehdr_parse(b, 640, &back, NULL), 0);
	assert_int_equal(pv_sehdr_open(back, hpk, &o, NULL), 0);
	assert_memory_equal(&s, &o, sizeof(s));
	pv_sehdr_free(back);
	free(b);
	pv_sehdr_free(hdr);
}

/* Seal by hand (bypassing the noi check) to build optional-item headers. */
static void seal_raw(struct pv_sehdr *hdr, const uint8_t hpk[32],
		     const uint8_t *pt)
{
	uint8_t *b = serialize(hdr);

	assert_int_equal(pv_gcm_encrypt(hpk, hdr->iv, b,
					pv_sehdr_enc_offset(hdr), pt,
					hdr->sea, hdr->enc, hdr->tag, NULL),
			 0);
	free(b);
}

static void test_optional_items_unsupported(void **state)
{
	struct pv_sehdr_secret s, o;
	struct pv_sehdr *hdr;
	struct pv_err *err = NULL;
	uint8_t hpk[32], pt[144];

	prng_state = 0x0071;
	hdr = random_header(1);
	fill(hpk, sizeof(hpk));
	random_secret(&s);
	/* noi != 0 inside a correctly authenticated header */
	s.noi = 1;
	pv_sehdr_secret_pack(&s, pt);
	seal_raw(hdr, hpk, pt);
	memset(&o, 0x66, sizeof(o));
	assert_int_equal(pv_sehdr_open(hdr, hpk, &o, &err),
			 -PV_ERR_UNSUPPORTED);
	assert_non_null(strstr(err->msg, "optional items"));
	assert_true(all_zero(&o, sizeof(o)));
	pv_err_free(err);
	err = NULL;
	/* sealing refuses them as well */
	assert_int_equal(pv_sehdr_seal(hdr, hpk, &s, &err),
			 -PV_ERR_UNSUPPORTED);
	assert_non_null(strstr(err->msg, "optional items"));
	pv_err_free(err);
	err = NULL;
	pv_sehdr_free(hdr);

	/* a 144-byte encrypted area (room for items) parses but won't open */
	hdr = random_header(1);
	free(hdr->enc);
	hdr->enc = calloc(1, 144);
	hdr->sea = 144;
	hdr->phs += 16;
	s.noi = 0;
	memset(pt, 0, sizeof(pt));
	pv_sehdr_secret_pack(&s, pt);
	seal_raw(hdr, hpk, pt);
	assert_int_equal(pv_sehdr_open(hdr, hpk, &o, &err),
			 -PV_ERR_UNSUPPORTED);
	assert_true(all_zero(&o, sizeof(o)));
	pv_err_free(err);
	assert_int_equal(pv_sehdr_seal(hdr, hpk, &s, NULL),
			 -PV_ERR_UNSUPPORTED);
	pv_sehdr_free(hdr);
}

static void test_seal_covers_all_plaintext(void **state)
{
	struct pv_sehdr_secret s, o;
	struct pv_sehdr *hdr;
	uint8_t hpk[32];

	/* changing a plaintext field after sealing breaks the tag */
	prng_state = 0xAAD;
	hdr = random_header(3);
	random_secret(&s);
	fill(hpk, sizeof(hpk));
	assert_int_equal(pv_sehdr_seal(hdr, hpk, &s, NULL), 0);
	assert_int_equal(pv_sehdr_open(hdr, hpk, &o, NULL), 0);
	hdr->slots[2].kst[15] ^= 0x40;
	assert_int_equal(pv_sehdr_open(hdr, hpk, &o, NULL), -PV_ERR_AUTH);
	hdr->slots[2].kst[15] ^= 0x40;
	hdr->res1 = 1;
	assert_int_equal(pv_sehdr_open(hdr, hpk, &o, NULL), -PV_ERR_AUTH);
	hdr->res1 = 0;
	hdr->pcf ^= PV_PCF_ALLOW_DUMP;
	assert_int_equal(pv_sehdr_open(hdr, hpk, &o, NULL), -PV_ERR_AUTH);
	hdr->pcf ^= PV_PCF_ALLOW_DUMP;
	assert_int_equal(pv_sehdr_open(hdr, hpk, &o, NULL), 0);
	assert_memory_equal(&s, &o, sizeof(s));
	pv_sehdr_free(hdr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kat_header_9_2),
		cmocka_unit_test(test_real_header_9_3_closed),
		cmocka_unit_test(test_seal_open_roundtrip),
		cmocka_unit_test(test_every_bit_flip_fails),
		cmocka_unit_test(test_optional_items_unsupported),
		cmocka_unit_test(test_seal_covers_all_plaintext),
	};

	return cmocka_run_group_tests_name("sehdr_seal", tests, NULL, NULL);
}
