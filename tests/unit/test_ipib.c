// SPDX-License-Identifier: MIT
/*
 * Unit tests for IPL parameter blocks: type-5 parse/serialize for the
 * tools, and the DIAG 308 subcode 5/8 validation of the hypervisor layer
 * (pv-machine-and-uv.md §2, catalogue V-01..V-10, P-04, P-05).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pvboot/be.h"
#include "pvboot/ipib.h"

#define RAM_SIZE 0x1000000ULL	/* 16 MiB of "guest memory" */

struct ram {
	uint64_t size;
	unsigned int calls;
	uint64_t last_addr, last_len;
};

static bool ram_readable(void *opaque, uint64_t addr, uint64_t len)
{
	struct ram *r = opaque;

	r->calls++;
	r->last_addr = addr;
	r->last_len = len;
	return addr <= r->size && len <= r->size - addr;
}

/* A Layout-R block as pvimg writes it: kernel, initrd, cmdline, stage3b. */
static void make_ipib(struct pv_ipib_pv *p, uint32_t n)
{
	uint32_t i;

	memset(p, 0, sizeof(*p));
	p->num_comp = n;
	p->len = (uint32_t)pv_ipib_pv_size(n);
	p->version = 1;
	p->pv_version = 1;
	p->hdr_addr = 0x14000;
	p->hdr_size = 0x280;
	for (i = 0; i < n; i++) {
		p->comps[i].tweak_pref = ((uint64_t)(40 + 10 * i) << 48) |
					 (0x123456789aULL + i);
		p->comps[i].addr = 0x15000 + 0x10000ULL * i;
		p->comps[i].len = 0x3000;
	}
}

static uint32_t make_bytes(uint32_t n, uint8_t *buf, size_t buflen)
{
	struct pv_ipib_pv p;

	make_ipib(&p, n);
	memset(buf, 0, buflen);
	assert_int_equal(pv_ipib_pv_serialize(&p, buf, buflen, NULL), 0);
	return p.len;
}

static uint16_t check(const uint8_t *buf, uint32_t len, const char **why)
{
	struct ram r = { .size = RAM_SIZE };

	return pv_iplb_check_pv(buf, len, ram_readable, &r, why);
}

static void comp_put(uint8_t *buf, uint32_t i, unsigned int field,
		     uint64_t v)
{
	pv_put_be64(buf + PV_IPIB_OFF_COMPS + PV_IPIB_PV_COMP * i + field, v);
}

/* ---- tool side ---------------------------------------------------------- */

static void test_layout_r_bytes(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	struct pv_ipib_pv p, q;
	struct pv_err *err = NULL;
	uint32_t len;

	make_ipib(&p, 4);
	/* se-image-format.md §4: 136 + 24n, blk0_len 128 + 24n */
	assert_int_equal(pv_ipib_pv_size(4), 232);
	assert_int_equal(pv_ipib_pv_size(165), 4096);
	len = make_bytes(4, buf, sizeof(buf));
	assert_int_equal(len, 232);
	assert_int_equal(pv_get_be32(buf + 0x00), 232);
	assert_int_equal(buf[0x07], 1);
	assert_int_equal(pv_get_be32(buf + 0x08), 224);
	assert_int_equal(buf[0x0C], 5);
	assert_int_equal(buf[0x6F], 1);
	assert_int_equal(pv_get_be32(buf + 0x74), 4);
	assert_true(pv_get_be64(buf + 0x78) == 0x14000);
	assert_true(pv_get_be64(buf + 0x80) == 0x280);
	assert_true(pv_get_be64(buf + 0x88) == p.comps[0].tweak_pref);
	assert_true(pv_get_be64(buf + 0x90) == 0x15000);
	assert_true(pv_get_be64(buf + 0x98) == 0x3000);
	assert_true(pv_get_be64(buf + 0x88 + 72 + 8) == 0x45000);
	assert_int_equal(buf[232], 0);

	assert_int_equal(pv_ipib_pv_parse(buf, len, &q, &err), 0);
	assert_null(err);
	assert_int_equal(q.blk0_len, 224);
	assert_int_equal(q.pbt, 5);
	p.blk0_len = 224;
	p.pbt = 5;
	assert_memory_equal(&p, &q, sizeof(p));
	assert_int_equal(check(buf, len, NULL), PV_DIAG308_RC_OK);
}

static void test_layout_c_bytes(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN], again[PV_IPL_MAX_LEN];
	struct pv_ipib_pv p, q;
	size_t i;

	/* Layout-C: len field 4096, version 0 PV block, rest zero (§4) */
	make_ipib(&p, 4);
	p.len = PV_IPL_MAX_LEN;
	p.pv_version = 0;
	p.hdr_addr = 0;
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(pv_ipib_pv_serialize(&p, buf, sizeof(buf), NULL), 0);
	assert_int_equal(pv_get_be32(buf), 4096);
	assert_int_equal(pv_get_be32(buf + 8), 224);
	for (i = 232; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(pv_ipib_pv_parse(buf, sizeof(buf), &q, NULL), 0);
	assert_int_equal(q.len, 4096);
	assert_int_equal(q.pv_version, 0);
	assert_int_equal(pv_ipib_pv_serialize(&q, again, sizeof(again), NULL),
			 0);
	assert_memory_equal(buf, again, sizeof(buf));
	assert_int_equal(check(buf, 4096, NULL), PV_DIAG308_RC_OK);
}

static void test_parse_truncated(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	struct pv_ipib_pv q;
	struct pv_err *err;
	uint32_t len, cut;
	int rc;

	len = make_bytes(3, buf, sizeof(buf));
	for (cut = 0; cut < len; cut++) {
		err = NULL;
		rc = pv_ipib_pv_parse(buf, cut, &q, &err);
		assert_int_equal(rc, -PV_ERR_TRUNC);
		assert_non_null(err);
		pv_err_free(err);
	}
	assert_int_equal(pv_ipib_pv_parse(buf, len, &q, NULL), 0);
}

/* Corrupt one field, expect a named PV_ERR_FORMAT from the strict parser. */
static void expect_format(uint8_t *buf, size_t len, const char *what)
{
	struct pv_ipib_pv q;
	struct pv_err *err = NULL;

	assert_int_equal(pv_ipib_pv_parse(buf, len, &q, &err), -PV_ERR_FORMAT);
	assert_non_null(err);
	if (!strstr(err->msg, what))
		fail_msg("message '%s' does not name '%s'", err->msg, what);
	pv_err_free(err);
}

static void test_parse_rejects(void **state)
{
	uint8_t good[PV_IPL_MAX_LEN], buf[PV_IPL_MAX_LEN];
	struct pv_ipib_pv ipib;
	uint32_t len = make_bytes(2, good, sizeof(good));

	memcpy(buf, good, sizeof(buf));
	buf[0x0C] = 2;
	expect_format(buf, len, "type 2");
	memcpy(buf, good, sizeof(buf));
	pv_put_be32(buf + 0x74, 0);
	expect_format(buf, len, "components 0");
	memcpy(buf, good, sizeof(buf));
	pv_put_be32(buf + 0x74, 166);
	expect_format(buf, sizeof(buf), "components 166");
	memcpy(buf, good, sizeof(buf));
	pv_put_be32(buf + 0x74, 3);	/* len says 2 components */
	expect_format(buf, sizeof(buf), "length 184");
	memcpy(buf, good, sizeof(buf));
	pv_put_be32(buf, 4097);
	expect_format(buf, sizeof(buf), "4097");
	memcpy(buf, good, sizeof(buf));
	pv_put_be32(buf + 8, 100);
	expect_format(buf, len, "block length 100");
	memcpy(buf, good, sizeof(buf));
	buf[0x40] = 1;
	expect_format(buf, len, "reserved byte at 0x40");
	memcpy(buf, good, sizeof(buf));
	buf[0x72] = 1;
	expect_format(buf, len, "reserved byte at 0x72");
	/* Layout-C padding must be zero */
	memcpy(buf, good, sizeof(buf));
	pv_put_be32(buf, 4096);
	assert_int_equal(pv_ipib_pv_parse(buf, sizeof(buf), &ipib, NULL), 0);
	buf[4095] = 7;
	expect_format(buf, sizeof(buf), "padding byte at 0xfff");
}

static void test_serialize_rejects(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	struct pv_ipib_pv p;
	struct pv_err *err = NULL;

	make_ipib(&p, 2);
	assert_int_equal(pv_ipib_pv_serialize(&p, buf, p.len - 1, &err),
			 -PV_ERR_RANGE);
	pv_err_free(err);
	p.num_comp = 0;
	assert_int_equal(pv_ipib_pv_serialize(&p, buf, sizeof(buf), NULL),
			 -PV_ERR_INVAL);
	p.num_comp = 166;
	assert_int_equal(pv_ipib_pv_serialize(&p, buf, sizeof(buf), NULL),
			 -PV_ERR_INVAL);
	make_ipib(&p, 2);
	p.len = 183;
	assert_int_equal(pv_ipib_pv_serialize(&p, buf, sizeof(buf), NULL),
			 -PV_ERR_INVAL);
	p.len = 4097;
	assert_int_equal(pv_ipib_pv_serialize(&p, buf, sizeof(buf), NULL),
			 -PV_ERR_INVAL);
	/* 165 components exactly fill one page */
	make_ipib(&p, 165);
	assert_int_equal(p.len, 4096);
	assert_int_equal(pv_ipib_pv_serialize(&p, buf, sizeof(buf), NULL), 0);
	assert_int_equal(check(buf, 4096, NULL), PV_DIAG308_RC_OK);
}

/* ---- hypervisor side: subcode 8 (catalogue V-01..V-10) ------------------ */

static void test_v01_pbt(void **state)
{
	static const uint8_t types[] = { 0, 1, 2, 3, 4, 6, 0xff };
	uint8_t buf[PV_IPL_MAX_LEN];
	const char *why = NULL;
	uint32_t len = make_bytes(2, buf, sizeof(buf));
	size_t i;

	for (i = 0; i < sizeof(types); i++) {
		buf[0x0C] = types[i];
		assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
		assert_non_null(strstr(why, "type"));
	}
	buf[0x0C] = 5;
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_OK);
	assert_null(why);
}

static void test_v02_min_len(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	const char *why;

	make_bytes(1, buf, sizeof(buf));
	pv_put_be32(buf, 147);
	assert_int_equal(check(buf, 147, &why), PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "148"));
	/* 148 passes rule 3 but fails the component bound (rule 7) */
	pv_put_be32(buf, 148);
	assert_int_equal(check(buf, 148, &why), PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "past the IPLB length"));
	assert_int_equal(check(buf, 159, &why), PV_DIAG308_RC_INVALID);
	assert_int_equal(check(buf, 160, &why), PV_DIAG308_RC_OK);
}

static void test_v03_hdr_len(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	struct ram r = { .size = RAM_SIZE };
	const char *why;
	uint32_t len = make_bytes(3, buf, sizeof(buf));

	pv_put_be64(buf + 0x80, 8193);
	assert_int_equal(pv_iplb_check_pv(buf, len, ram_readable, &r, &why),
			 PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "8192"));
	assert_int_equal(r.calls, 0);	/* rule 4 comes before rule 5 */
	pv_put_be64(buf + 0x80, 8192);
	assert_int_equal(pv_iplb_check_pv(buf, len, ram_readable, &r, &why),
			 PV_DIAG308_RC_OK);
	assert_int_equal(r.calls, 1);
	assert_true(r.last_addr == 0x14000 && r.last_len == 8192);
	/* 8192 but not readable: the memory check decides */
	pv_put_be64(buf + 0x78, RAM_SIZE - 4096);
	assert_int_equal(pv_iplb_check_pv(buf, len, ram_readable, &r, &why),
			 PV_DIAG308_RC_INVALID);
}

static void test_v04_hdr_unreadable(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	const char *why;
	uint32_t len = make_bytes(2, buf, sizeof(buf));

	pv_put_be64(buf + 0x78, RAM_SIZE);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "readable"));
	pv_put_be64(buf + 0x78, RAM_SIZE - 0x280);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_OK);
	pv_put_be64(buf + 0x78, RAM_SIZE - 0x27F);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
	pv_put_be64(buf + 0x78, UINT64_MAX - 0x100);	/* wraps around */
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
	/* without a memory callback only the fields are checked */
	assert_int_equal(pv_iplb_check_pv(buf, len, NULL, NULL, &why),
			 PV_DIAG308_RC_OK);
}

static void test_v05_num_comp_zero(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	const char *why;
	uint32_t len = make_bytes(2, buf, sizeof(buf));

	pv_put_be32(buf + 0x74, 0);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "is 0"));
}

static void test_v06_comps_past_len(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	const char *why;
	uint32_t len = make_bytes(4, buf, sizeof(buf));

	pv_put_be32(buf + 0x74, 5);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "past the IPLB length"));
	pv_put_be32(buf + 0x74, 0xFFFFFFFF);
	assert_int_equal(check(buf, 4096, &why), PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "past the IPLB length"));
	/* components fit when len grows, even past the list-header value */
	pv_put_be32(buf + 0x74, 4);
	assert_int_equal(check(buf, len - 1, &why), PV_DIAG308_RC_INVALID);
	assert_int_equal(check(buf, len + 1, &why), PV_DIAG308_RC_OK);
}

static void test_v07_unaligned_addr(void **state)
{
	uint8_t good[PV_IPL_MAX_LEN], buf[PV_IPL_MAX_LEN];
	const char *why;
	uint32_t len = make_bytes(4, good, sizeof(good)), i;

	for (i = 0; i < 4; i++) {
		memcpy(buf, good, sizeof(buf));
		comp_put(buf, i, 8, 0x15000 + 0x10000ULL * i + 0x800);
		assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
		assert_non_null(strstr(why, "aligned"));
		comp_put(buf, i, 8, 0x15000 + 0x10000ULL * i + 1);
		assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
	}
}

static void test_v08_tweak_order(void **state)
{
	uint8_t good[PV_IPL_MAX_LEN], buf[PV_IPL_MAX_LEN];
	const char *why;
	uint32_t len = make_bytes(4, good, sizeof(good));
	uint64_t t1 = pv_get_be64(good + 0x88 + 24);

	memcpy(buf, good, sizeof(buf));
	comp_put(buf, 2, 0, t1);	/* equal */
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "increasing"));
	comp_put(buf, 2, 0, t1 - 1);	/* decreasing */
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
	memcpy(buf, good, sizeof(buf));
	comp_put(buf, 3, 0, 0);	/* last one smaller than all */
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_INVALID);
	/* unsigned compare: top bit set is larger */
	memcpy(buf, good, sizeof(buf));
	comp_put(buf, 3, 0, 0x8000000000000000ULL);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_OK);
	/* any increasing order is fine, ids need not be 40/50/60/70 */
	comp_put(buf, 0, 0, 0);
	comp_put(buf, 1, 0, 1);
	comp_put(buf, 2, 0, 2);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_OK);
}

static void test_v09_not_checked_at_sc8(void **state)
{
	uint8_t good[PV_IPL_MAX_LEN], buf[PV_IPL_MAX_LEN];
	const char *why;
	uint32_t len = make_bytes(3, good, sizeof(good));

	/* zero-size and unaligned-size components */
	memcpy(buf, good, sizeof(buf));
	comp_put(buf, 0, 16, 0);
	comp_put(buf, 1, 16, 0x123);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_OK);
	/* overlapping components, overlapping the header too */
	memcpy(buf, good, sizeof(buf));
	comp_put(buf, 0, 8, 0x14000);
	comp_put(buf, 1, 8, 0x14000);
	comp_put(buf, 2, 8, 0x14000);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_OK);
	/* components far outside guest memory */
	memcpy(buf, good, sizeof(buf));
	comp_put(buf, 2, 8, 0xFFFFFFFFFFFFF000ULL);
	comp_put(buf, 2, 16, 0xFFFFFFFFFFFFFFFFULL);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_OK);
	/* SE header length 0 */
	memcpy(buf, good, sizeof(buf));
	pv_put_be64(buf + 0x80, 0);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_OK);
}

static void test_v10_ignored_fields(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN];
	const char *why;
	uint32_t len = make_bytes(2, buf, sizeof(buf));

	buf[0x04] = 0xFF;		/* list flags */
	buf[0x05] = buf[0x06] = 0xFF;	/* reserved */
	buf[0x07] = 0x42;		/* list version */
	pv_put_be32(buf + 0x08, 0xDEADBEEF);	/* blk0_len */
	buf[0x0D] = 0x80;		/* loadparm valid */
	buf[0x0E] = buf[0x0F] = 0xFF;
	memcpy(buf + 0x10, "\xd3\xd6\xc1\xc4\xd7\xc1\xd9\xd4", 8);
	memset(buf + 0x18, 0xA5, 0x6F - 0x18);
	buf[0x6F] = 0x99;		/* PV block version */
	memset(buf + 0x70, 0xFF, 4);
	assert_int_equal(check(buf, len, &why), PV_DIAG308_RC_OK);
	/* the strict tool parser does reject such a block */
	assert_int_not_equal(pv_ipib_pv_parse(buf, len,
					      &(struct pv_ipib_pv){ 0 },
					      NULL), 0);
}

/* ---- P-04: length above one page -------------------------------------- */

static void test_p04_len_over_page(void **state)
{
	uint8_t buf[PV_IPL_MAX_LEN + 8];
	const char *why;

	make_bytes(2, buf, sizeof(buf));
	pv_put_be32(buf, 4097);
	assert_int_equal(pv_iplb_check_pv(buf, 4097, NULL, NULL, &why),
			 PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "4096"));
	buf[0x0C] = PV_IPL_PBT_CCW;
	assert_int_equal(pv_iplb_check_normal(buf, 4097, &why),
			 PV_DIAG308_RC_INVALID);
	assert_int_equal(pv_iplb_check_normal(buf, 4096, &why),
			 PV_DIAG308_RC_OK);
}

/* ---- P-05: subcode 5 table ---------------------------------------------- */

static uint16_t normal(uint8_t pbt, uint32_t len)
{
	uint8_t buf[PV_IPL_MAX_LEN] = { 0 };

	pv_put_be32(buf, len);
	buf[0x0C] = pbt;
	return pv_iplb_check_normal(buf, len, NULL);
}

static void test_p05_normal_table(void **state)
{
	const char *why = NULL;
	uint8_t buf[16] = { 0 };

	assert_int_equal(normal(PV_IPL_PBT_CCW, 199), PV_DIAG308_RC_INVALID);
	assert_int_equal(normal(PV_IPL_PBT_CCW, 200), PV_DIAG308_RC_OK);
	assert_int_equal(normal(PV_IPL_PBT_FCP, 383), PV_DIAG308_RC_INVALID);
	assert_int_equal(normal(PV_IPL_PBT_FCP, 384), PV_DIAG308_RC_OK);
	assert_int_equal(normal(PV_IPL_PBT_NVME, 375), PV_DIAG308_RC_INVALID);
	assert_int_equal(normal(PV_IPL_PBT_NVME, 376), PV_DIAG308_RC_OK);
	assert_int_equal(normal(PV_IPL_PBT_FCP, 4096), PV_DIAG308_RC_OK);
	assert_int_equal(normal(PV_IPL_PBT_SCP, 4096), PV_DIAG308_RC_INVALID);
	assert_int_equal(normal(PV_IPL_PBT_ECKD, 4096), PV_DIAG308_RC_INVALID);
	assert_int_equal(normal(PV_IPL_PBT_PV, 4096), PV_DIAG308_RC_INVALID);
	assert_int_equal(normal(PV_IPL_PBT_QEMU_SCSI, 200),
			 PV_DIAG308_RC_INVALID);
	assert_int_equal(normal(6, 4096), PV_DIAG308_RC_INVALID);
	/* an empty block reads as FCP with length 0 */
	assert_int_equal(pv_iplb_check_normal(buf, 0, &why),
			 PV_DIAG308_RC_INVALID);
	assert_non_null(why);
	/* bytes past len read as zero: a 12-byte block has pbt 0 (FCP) */
	buf[0x0C] = PV_IPL_PBT_PV;
	assert_int_equal(pv_iplb_check_pv(buf, 12, NULL, NULL, &why),
			 PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "type"));
	assert_int_equal(pv_iplb_check_pv(buf, 13, NULL, NULL, &why),
			 PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "148"));
	buf[0x0C] = PV_IPL_PBT_CCW;
	assert_int_equal(pv_iplb_check_normal(buf, 13, &why),
			 PV_DIAG308_RC_INVALID);
	assert_non_null(strstr(why, "minimum"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_r_bytes),
		cmocka_unit_test(test_layout_c_bytes),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_serialize_rejects),
		cmocka_unit_test(test_v01_pbt),
		cmocka_unit_test(test_v02_min_len),
		cmocka_unit_test(test_v03_hdr_len),
		cmocka_unit_test(test_v04_hdr_unreadable),
		cmocka_unit_test(test_v05_num_comp_zero),
		cmocka_unit_test(test_v06_comps_past_len),
		cmocka_unit_test(test_v07_unaligned_addr),
		cmocka_unit_test(test_v08_tweak_order),
		cmocka_unit_test(test_v09_not_checked_at_sc8),
		cmocka_unit_test(test_v10_ignored_fields),
		cmocka_unit_test(test_p04_len_over_page),
		cmocka_unit_test(test_p05_normal_table),
	};

	return cmocka_run_group_tests_name("ipib", tests, NULL, NULL);
}
