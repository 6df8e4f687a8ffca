// SPDX-License-Identifier: MIT
/*
 * Byte layout of built images: the se-image-format.md §2.4 worked example
 * (stage3a 0x2468 bytes, stage3b 0x1E40, one host key, kernel 0x500000,
 * initrd 0xA00000, parmfile 30 bytes) in Layout-R and Layout-C, checked on
 * the raw file bytes, then through the reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "image_fixture.h"

struct example {
	struct fx f;
	uint8_t *img;
	size_t len;
	struct pv_build_result res;
	const char *path;
};

static void build_example(struct example *e, enum pv_layout layout)
{
	struct pv_err *err = NULL;
	struct pv_builder *b;
	const char *k, *r, *p;

	fx_init(&e->f, 1);
	k = fx_kernel_file(&e->f, "kernel", 0x500000, 1);
	r = fx_random_file(&e->f, "initrd", 0xA00000, 2);
	p = fx_write(&e->f, "parmfile", "root=/dev/vda console=ttyS0 q", 30);
	b = fx_builder(&e->f, layout, 1);
	assert_int_equal(pv_builder_set_input_path(b, PV_COMP_KERNEL, k, &err),
			 0);
	assert_int_equal(pv_builder_set_input_path(b, PV_COMP_INITRD, r, &err),
			 0);
	assert_int_equal(pv_builder_set_input_path(b, PV_COMP_CMDLINE, p, &err),
			 0);
	e->path = fx_write_image(&e->f, b, "se.img", &e->res, &err);
	if (!e->path)
		fx_die("build", err);
	pv_builder_free(b);
	e->img = fx_read(e->path, &e->len);
	assert_non_null(e->img);
}

static void free_example(struct example *e)
{
	free(e->img);
	fx_fini(&e->f);
}

static uint64_t be64(const struct example *e, uint64_t off)
{
	assert_true(off + 8 <= e->len);
	return pv_get_be64(e->img + off);
}

/* IPIB entry i: tweak prefix, address, length (§4). */
static void check_comp(const struct example *e, uint64_t ipib, int i,
		       uint16_t id, uint64_t addr, uint64_t len)
{
	uint64_t c = ipib + 0x88 + 24 * (uint64_t)i;

	assert_int_equal(be64(e, c) >> 48, id);
	assert_int_equal(be64(e, c + 8), addr);
	assert_int_equal(be64(e, c + 16), len);
}

static void check_common(const struct example *e, uint64_t ipib,
			 uint64_t s3b_addr)
{
	uint8_t stage3b[FX_S3B_LEN];
	uint64_t parms = 0x12450;

	/* §2.1 short PSW, §3.1 stage3a copied except its last 24 bytes */
	assert_int_equal(be64(e, 0), 0x0008000180011000ULL);
	assert_memory_equal(e->img + 0x10000, e->f.s3a, FX_S3A_LEN - 24);
	assert_int_equal(be64(e, parms + 8), 0x280);
	assert_int_equal(be64(e, parms) + parms, 0x14000);
	assert_int_equal(be64(e, parms + 16) + parms, ipib);
	/* §5.1: SE header at 0x14000, 640 bytes for one key slot */
	assert_int_equal(be64(e, 0x14000), PV_SEHDR_MAGIC);
	assert_int_equal(pv_get_be32(e->img + 0x14000 + 0x0C), 0x280);
	/* §4: IPIB fields shared by both layouts */
	assert_int_equal(e->img[ipib + 0x07], 1);
	assert_int_equal(pv_get_be32(e->img + ipib + 0x08), 128 + 24 * 4);
	assert_int_equal(e->img[ipib + 0x0C], 5);
	assert_int_equal(pv_get_be32(e->img + ipib + 0x74), 4);
	assert_int_equal(be64(e, ipib + 0x80), 0x280);
	/* stage3b is encrypted: its plaintext must not show */
	memcpy(stage3b, e->f.s3b, sizeof(stage3b));
	assert_memory_not_equal(e->img + s3b_addr, stage3b, 256);
	assert_int_equal(e->res.psw_addr, s3b_addr);
}

static void test_layout_r(void **state)
{
	struct example e;
	const uint64_t ipib = 0xF18000;

	(void)state;
	build_example(&e, PV_LAYOUT_R);
	/* §2.4 table, Layout-R column */
	assert_int_equal(e.len, 0xF180E8);
	assert_int_equal(e.res.file_size, 0xF180E8);
	assert_int_equal(e.res.hdr_addr, 0x14000);
	assert_int_equal(e.res.ipib_addr, ipib);
	assert_int_equal(e.res.stage3a_parms_addr, 0x12450);
	assert_int_equal(be64(&e, 0x12450), 0x1BB0);
	assert_int_equal(be64(&e, 0x12458), 0x280);
	assert_int_equal(be64(&e, 0x12460), 0xF05BB0);
	/* §2.3 metadata at 0xC000 */
	assert_memory_equal(e.img + 0xC000, "SeImgLnx", 8);
	assert_int_equal(be64(&e, 0xC008), 0x14000);
	assert_int_equal(pv_get_be32(e.img + 0xC010), 1);
	assert_int_equal(be64(&e, 0xC014), ipib);
	/* IPIB: exact size 232, version 1, real header address */
	assert_int_equal(pv_get_be32(e.img + ipib), 232);
	assert_int_equal(e.img[ipib + 0x6F], 1);
	assert_int_equal(be64(&e, ipib + 0x78), 0x14000);
	check_comp(&e, ipib, 0, 40, 0x15000, 0x500000);
	check_comp(&e, ipib, 1, 50, 0x515000, 0xA00000);
	check_comp(&e, ipib, 2, 60, 0xF15000, 0x1000);
	check_comp(&e, ipib, 3, 70, 0xF16000, 0x2000);
	check_common(&e, ipib, 0xF16000);
	assert_int_equal(e.res.nep,
			 (0x500000 + 0xA00000 + 0x1000 + 0x2000) / 4096);
	free_example(&e);
}

static void test_layout_c(void **state)
{
	struct example e;
	const uint64_t ipib = 0x13000;

	(void)state;
	build_example(&e, PV_LAYOUT_C);
	/* §2.4 table, Layout-C column */
	assert_int_equal(e.len, 0xF18000);
	assert_int_equal(e.res.hdr_addr, 0x14000);
	assert_int_equal(e.res.ipib_addr, ipib);
	assert_int_equal(be64(&e, 0x12450), 0x1BB0);
	assert_int_equal(be64(&e, 0x12458), 0x280);
	assert_int_equal(be64(&e, 0x12460), 0xBB0);
	for (int i = 0; i < 28; i++)
		assert_int_equal(e.img[0xC000 + i], 0);
	/* IPIB: one page, len field 4096, PV version 0, header address 0 */
	assert_int_equal(pv_get_be32(e.img + ipib), 4096);
	assert_int_equal(e.img[ipib + 0x6F], 0);
	assert_int_equal(be64(&e, ipib + 0x78), 0);
	for (uint64_t i = 0x88 + 4 * 24; i < 4096; i++)
		assert_int_equal(e.img[ipib + i], 0);
	check_comp(&e, ipib, 0, 0, 0x15000, 0x500000);
	check_comp(&e, ipib, 1, 1, 0x515000, 0x1000);
	check_comp(&e, ipib, 2, 2, 0x516000, 0xA00000);
	check_comp(&e, ipib, 3, 3, 0xF16000, 0x2000);
	check_common(&e, ipib, 0xF16000);
	free_example(&e);
}

static void check_reader(enum pv_layout layout, uint64_t ipib,
			 const uint64_t *addrs, const enum pv_comp_kind *kinds)
{
	const struct pv_image_info *in;
	struct pv_err *err = NULL;
	struct pv_image *img;
	struct example e;

	build_example(&e, layout);
	assert_int_equal(pv_image_open(e.path, &img, &err), 0);
	in = pv_image_get_info(img);
	assert_int_equal(in->layout, layout);
	assert_int_equal(in->has_meta, layout == PV_LAYOUT_R);
	assert_int_equal(in->hdr_addr, 0x14000);
	assert_non_null(in->hdr);
	assert_int_equal(in->hdr->nks, 1);
	assert_int_equal(in->ipib_addr, ipib);
	assert_non_null(in->ipib);
	assert_true(in->has_stage3a_parms);
	assert_int_equal(in->stage3a_parms_addr, 0x12450);
	assert_int_equal(in->ncomps, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(in->comps[i].addr, addrs[i]);
		assert_int_equal(in->comps[i].kind, kinds[i]);
		assert_int_equal(in->comps[i].tweak_pref,
				 e.res.comps[i].tweak_pref);
	}
	assert_memory_equal(in->hdr->pld, e.res.pld, 64);
	assert_memory_equal(in->hdr->tag, e.res.tag, 16);
	pv_image_close(img);
	free_example(&e);
}

static void test_reader_r(void **state)
{
	static const uint64_t a[] = {0x15000, 0x515000, 0xF15000, 0xF16000};
	static const enum pv_comp_kind k[] = {PV_COMP_KERNEL, PV_COMP_INITRD,
					      PV_COMP_CMDLINE, PV_COMP_STAGE3B};

	(void)state;
	check_reader(PV_LAYOUT_R, 0xF18000, a, k);
}

static void test_reader_c(void **state)
{
	static const uint64_t a[] = {0x15000, 0x515000, 0x516000, 0xF16000};
	static const enum pv_comp_kind k[] = {PV_COMP_KERNEL, PV_COMP_CMDLINE,
					      PV_COMP_INITRD, PV_COMP_STAGE3B};

	(void)state;
	check_reader(PV_LAYOUT_C, 0x13000, a, k);
}

/* 95 slots: phs 8160, two header pages, components from 0x16000 (§5.2) */
static void test_95_keys(void **state)
{
	struct pv_build_result res;
	struct pv_err *err = NULL;
	struct pv_builder *b;
	struct fx f;

	(void)state;
	fx_init(&f, 96);
	b = fx_builder(&f, PV_LAYOUT_R, 95);
	assert_int_equal(pv_builder_add_host_key(b, f.hk[95], &err),
			 -PV_ERR_RANGE);
	assert_non_null(strstr(err->msg, "95"));
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_builder_set_input_path(
				 b, PV_COMP_KERNEL,
				 fx_kernel_file(&f, "k", 0x11000, 3), &err),
			 0);
	assert_non_null(fx_write_image(&f, b, "se.img", &res, &err));
	assert_int_equal(res.hdr_size, 8160);
	assert_int_equal(res.comps[0].addr, 0x16000);
	assert_int_equal(res.ncomps, 2);
	pv_builder_free(b);
	fx_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_r),
		cmocka_unit_test(test_layout_c),
		cmocka_unit_test(test_reader_r),
		cmocka_unit_test(test_reader_c),
		cmocka_unit_test(test_95_keys),
	};

	return cmocka_run_group_tests_name("image_layout", tests, NULL, NULL);
}
