// SPDX-License-Identifier: MIT
/*
 * Offline verifier: good images of both layouts verify with the header key
 * and with a host private key; a flipped byte in every region is found and
 * named (header, metadata, IPIB, stage3a, stage3b arguments, component
 * pages with and without the inputs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "image_fixture.h"

struct vimg {
	struct fx f;
	uint8_t hpk[32];
	uint8_t *bytes;
	size_t len;
	struct pv_build_result res;
	const char *inputs[PV_COMP__MAX];
};

static void make(struct vimg *v, enum pv_layout layout)
{
	struct pv_err *err = NULL;
	struct pv_builder *b;
	const char *p;

	fx_init(&v->f, 2);
	memset(v->hpk, 0x5A, sizeof(v->hpk));
	b = fx_builder(&v->f, layout, 2);
	assert_int_equal(pv_builder_set_chunk_size(b, 128 * 1024, &err), 0);
	v->inputs[PV_COMP_KERNEL] =
		strdup(fx_kernel_file(&v->f, "kernel", 0x31000, 21));
	v->inputs[PV_COMP_INITRD] =
		strdup(fx_random_file(&v->f, "initrd", 0x45678, 22));
	v->inputs[PV_COMP_CMDLINE] =
		strdup(fx_write(&v->f, "parm", "quiet loglevel=1", 16));
	for (int k = 0; k < 3; k++)
		assert_int_equal(
			pv_builder_set_input_path(b, k, v->inputs[k], &err), 0);
	assert_int_equal(pv_builder_set_key(b, PV_KEY_HPK, v->hpk, 32, &err),
			 0);
	p = fx_write_image(&v->f, b, "good.img", &v->res, &err);
	if (!p)
		fx_die("build", err);
	pv_builder_free(b);
	v->bytes = fx_read(p, &v->len);
}

static void unmake(struct vimg *v)
{
	for (int k = 0; k < 3; k++)
		free((void *)v->inputs[k]);
	free(v->bytes);
	fx_fini(&v->f);
}

/* Verify @bytes (with @flip applied at @off unless off == -1). */
static void run_verify(struct vimg *v, int64_t off, bool with_inputs,
		       const struct pv_eckey *host,
		       struct pv_verify_report *rep)
{
	struct pv_verify_opts o;
	struct pv_err *err = NULL;
	struct pv_image *img;
	uint8_t *copy = malloc(v->len);

	memcpy(copy, v->bytes, v->len);
	if (off >= 0)
		copy[off] ^= 0x01;
	memset(&o, 0, sizeof(o));
	if (host)
		o.host_key = host;
	else
		o.hpk = v->hpk;
	if (with_inputs)
		for (int k = 0; k < 3; k++)
			o.inputs[k] = v->inputs[k];
	o.stage3a = v->f.s3a;
	o.stage3a_len = sizeof(v->f.s3a);
	o.stage3b = v->f.s3b;
	o.stage3b_len = sizeof(v->f.s3b);
	assert_int_equal(pv_image_open_mem(copy, v->len, &img, &err), 0);
	assert_int_equal(pv_image_verify(img, &o, rep, &err), 0);
	pv_image_close(img);
	free(copy);
}

static const struct pv_image_comp *comp(struct vimg *v, enum pv_comp_kind k)
{
	for (size_t i = 0; i < v->res.ncomps; i++)
		if (v->res.comps[i].kind == k)
			return &v->res.comps[i];
	fail();
	return NULL;
}

static void expect(struct vimg *v, int64_t off, bool inputs,
		   enum pv_region region, const char *text)
{
	struct pv_verify_report rep;

	run_verify(v, off, inputs, NULL, &rep);
	if (rep.verified || rep.region != region ||
	    (text && !strstr(rep.what, text)))
		fail_msg("flip at 0x%llx: verified=%d region=%s what='%s', "
			 "want %s '%s'",
			 (unsigned long long)off, rep.verified,
			 pv_region_name(rep.region), rep.what,
			 pv_region_name(region), text ? text : "");
}

static void good_both_keys(enum pv_layout layout)
{
	struct pv_verify_report rep;
	struct vimg v;

	make(&v, layout);
	run_verify(&v, -1, true, NULL, &rep);
	if (!rep.verified)
		fail_msg("not verified: %s", rep.what);
	assert_int_equal(rep.nep, v.res.nep);
	assert_true(rep.have_stage3b);
	assert_int_equal(rep.stage3b.initrd_size, 0x45678);
	assert_int_equal(rep.stage3b.cmdline_size, 17);
	/* with the second host key's private key, as the UV would */
	run_verify(&v, -1, false, v.f.hk[1], &rep);
	if (!rep.verified)
		fail_msg("not verified with host key: %s", rep.what);
	assert_int_equal(rep.slot, 1);
	unmake(&v);
}

static void test_good_r(void **state)
{
	(void)state;
	good_both_keys(PV_LAYOUT_R);
}

static void test_good_c(void **state)
{
	(void)state;
	good_both_keys(PV_LAYOUT_C);
}

static void test_wrong_keys(void **state)
{
	struct pv_verify_report rep;
	struct pv_eckey *other;
	struct pv_err *err = NULL;
	struct pv_rng *rng = fx_seeded(77);
	struct vimg v;

	(void)state;
	make(&v, PV_LAYOUT_R);
	v.hpk[0] ^= 1;
	run_verify(&v, -1, false, NULL, &rep);
	assert_false(rep.verified);
	assert_int_equal(rep.region, PV_REGION_HEADER);
	v.hpk[0] ^= 1;
	assert_int_equal(pv_eckey_generate(rng, "other", &other, &err), 0);
	run_verify(&v, -1, false, other, &rep);
	assert_false(rep.verified);
	assert_int_equal(rep.region, PV_REGION_HEADER);
	assert_non_null(strstr(rep.what, "no key slot"));
	pv_eckey_free(other);
	pv_rng_free(rng);
	unmake(&v);
}

static void tamper_common(struct vimg *v)
{
	uint64_t h = v->res.hdr_addr, ip = v->res.ipib_addr;
	uint64_t e = 0x1A0 + 80 * 2;
	const struct pv_image_comp *k = comp(v, PV_COMP_KERNEL);
	const struct pv_image_comp *r = comp(v, PV_COMP_INITRD);
	const struct pv_image_comp *c = comp(v, PV_COMP_CMDLINE);
	const struct pv_image_comp *s = comp(v, PV_COMP_STAGE3B);
	char want[64];

	/* SE header: magic, nep, a slot, the encrypted part, the tag */
	expect(v, (int64_t)h + 1, false, PV_REGION_HEADER, NULL);
	expect(v, (int64_t)h + 0x37, false, PV_REGION_HEADER, NULL);
	expect(v, (int64_t)h + 0x1A0 + 80 + 40, false, PV_REGION_HEADER, NULL);
	expect(v, (int64_t)(h + e + 5), false, PV_REGION_HEADER, NULL);
	expect(v, (int64_t)(h + v->res.hdr_size - 1), false, PV_REGION_HEADER,
	       NULL);
	/* IPIB: a tweak prefix, an address, a length, loadparm, hdr size */
	expect(v, (int64_t)ip + 0x88 + 7, false, PV_REGION_IPIB, "TLD");
	expect(v, (int64_t)ip + 0x88 + 24 + 14, false, PV_REGION_IPIB, NULL);
	expect(v, (int64_t)ip + 0x88 + 16 + 6, false, PV_REGION_IPIB, NULL);
	expect(v, (int64_t)ip + 0x12, false, PV_REGION_IPIB, "loadparm");
	expect(v, (int64_t)ip + 0x87, false, PV_REGION_IPIB, NULL);
	/* stage3a: short PSW, loader code, parameter block */
	expect(v, 5, false, PV_REGION_STAGE3A, "short PSW");
	expect(v, 0x10100, false, PV_REGION_STAGE3A, NULL);
	expect(v, 0x10000 + FX_S3A_LEN - 20, false, PV_REGION_STAGE3A, NULL);
	/* components without the inputs: PLD */
	expect(v, (int64_t)(k->addr + 0x5003), false, PV_REGION_COMPONENT,
	       "page list digest");
	/* with the inputs: the exact page */
	snprintf(want, sizeof(want), "component kernel page 5 at 0x%llx",
		 (unsigned long long)(k->addr + 0x5000));
	expect(v, (int64_t)(k->addr + 0x5003), true, PV_REGION_COMPONENT, want);
	snprintf(want, sizeof(want), "component initrd page 69 at 0x%llx",
		 (unsigned long long)(r->addr + 69 * 4096));
	expect(v, (int64_t)(r->addr + 69 * 4096 + 100), true,
	       PV_REGION_COMPONENT, want);
	snprintf(want, sizeof(want), "component cmdline page 0");
	expect(v, (int64_t)(c->addr + 3), true, PV_REGION_COMPONENT, want);
	/* stage3b code (known loader) and its arguments */
	expect(v, (int64_t)(s->addr + 0x100), false, PV_REGION_COMPONENT,
	       "component stage3b page 0");
	expect(v, (int64_t)(s->addr + FX_S3B_LEN - 64 + 9), false,
	       PV_REGION_STAGE3B_ARGS, NULL);
	expect(v, (int64_t)(s->addr + FX_S3B_LEN - 8), true,
	       PV_REGION_STAGE3B_ARGS, NULL);
}

static void test_tamper_r(void **state)
{
	struct vimg v;

	(void)state;
	make(&v, PV_LAYOUT_R);
	tamper_common(&v);
	/* metadata: magic, header offset, IPIB offset */
	expect(&v, 0xC000, false, PV_REGION_METADATA, NULL);
	expect(&v, 0xC00D, false, PV_REGION_METADATA, "SE header");
	expect(&v, 0xC01A, false, PV_REGION_METADATA, "IPIB");
	expect(&v, 0xC013, false, PV_REGION_METADATA, "version");
	unmake(&v);
}

static void test_tamper_c(void **state)
{
	struct vimg v;

	(void)state;
	make(&v, PV_LAYOUT_C);
	tamper_common(&v);
	/* the rest of the Layout-C IPIB page is zero */
	expect(&v, (int64_t)v.res.ipib_addr + 3000, false, PV_REGION_IPIB,
	       NULL);
	unmake(&v);
}

/* Inputs that differ in length from the image are named too. */
static void test_input_mismatch(void **state)
{
	struct pv_verify_report rep;
	struct vimg v;
	uint8_t *rd;
	size_t rlen;

	(void)state;
	make(&v, PV_LAYOUT_R);
	rd = fx_read(v.inputs[PV_COMP_INITRD], &rlen);
	rd = realloc(rd, rlen + 1);
	/* one more zero byte: same pages, but not the recorded size */
	rd[rlen] = 0;
	fx_write(&v.f, "initrd", rd, rlen + 1);
	run_verify(&v, -1, true, NULL, &rep);
	assert_false(rep.verified);
	assert_int_equal(rep.region, PV_REGION_STAGE3B_ARGS);
	assert_non_null(strstr(rep.what, "initrd size"));
	/* one byte less: the last page differs */
	fx_write(&v.f, "initrd", rd, rlen - 1);
	run_verify(&v, -1, true, NULL, &rep);
	assert_int_equal(rep.region, PV_REGION_COMPONENT);
	assert_non_null(strstr(rep.what, "component initrd page 69"));
	rd[0] ^= 0xFF;
	fx_write(&v.f, "initrd", rd, rlen);
	run_verify(&v, -1, true, NULL, &rep);
	assert_int_equal(rep.region, PV_REGION_COMPONENT);
	assert_non_null(strstr(rep.what, "component initrd page 0"));
	free(rd);
	unmake(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_r),
		cmocka_unit_test(test_good_c),
		cmocka_unit_test(test_wrong_keys),
		cmocka_unit_test(test_tamper_r),
		cmocka_unit_test(test_tamper_c),
		cmocka_unit_test(test_input_mismatch),
	};

	return cmocka_run_group_tests_name("image_verify", tests, NULL, NULL);
}
