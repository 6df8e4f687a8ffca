// SPDX-License-Identifier: MIT
/*
 * Host keys that arrive during the build (pv_builder_set_host_key_source,
 * lib/image/keyjob.c): the image is byte for byte the one built with the
 * keys given up front; a failing source ends the build early with its own
 * error, before any error of the stream; a wrong key count is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "image_fixture.h"

#define CHUNK (128 * 1024)
#define BIG (8u << 20)

struct source {
	struct fx *f;
	size_t give;		/* keys to add */
	int fail;		/* 0, or the error code to fail with */
	unsigned int delay_ms;	/* a slow source (a chain check, a busy CPU) */
	int calls;
};

static int source_fn(void *opaque, struct pv_builder *b, struct pv_err **err)
{
	struct source *s = opaque;

	s->calls++;
	if (s->delay_ms)
		nanosleep(&(struct timespec){ .tv_sec = s->delay_ms / 1000,
					      .tv_nsec = (long)(s->delay_ms % 1000) *
							 1000000L },
			  NULL);
	if (s->fail)
		return pv_err_set(err, s->fail, "test source refuses");
	for (size_t i = 0; i < s->give; i++) {
		int rc = pv_builder_add_host_key(b, s->f->hk[i], err);

		if (rc)
			return rc;
	}
	return 0;
}

/* Builder with the fixture loaders, a kernel, an initrd of @rlen bytes. */
static struct pv_builder *builder(struct fx *f, enum pv_layout l, size_t nhk,
				  size_t rlen)
{
	struct pv_err *err = NULL;
	struct pv_builder *b = fx_builder(f, l, nhk);

	assert_int_equal(pv_builder_set_chunk_size(b, CHUNK, &err), 0);
	assert_int_equal(pv_builder_set_input_path(
				 b, PV_COMP_KERNEL,
				 fx_kernel_file(f, "kernel", 0x30000, 7), &err),
			 0);
	assert_int_equal(pv_builder_set_input_path(
				 b, PV_COMP_INITRD,
				 fx_random_file(f, "initrd", rlen, 8), &err),
			 0);
	return b;
}

/* Counts the chunks, to see how far a build got. */
static int count_progress(void *opaque, uint64_t done, uint64_t total)
{
	(*(int *)opaque)++;
	return 0;
}

static void same_bytes(enum pv_layout l)
{
	struct pv_rng *r1 = fx_seeded(5), *r2 = fx_seeded(5);
	struct pv_build_result res1, res2;
	struct pv_err *err = NULL;
	struct source s = { 0 };
	struct pv_builder *b;
	uint8_t *a, *c;
	size_t la, lc;
	const char *p;
	struct fx f;

	fx_init(&f, 3);
	s.f = &f;
	s.give = 3;
	/* the keys up front */
	b = builder(&f, l, 3, 0x25001);
	pv_builder_set_rng(b, r1);
	p = fx_write_image(&f, b, "upfront", &res1, &err);
	assert_non_null(p);
	a = fx_read(p, &la);
	pv_builder_free(b);
	/* the same keys from the source, on the key thread */
	b = builder(&f, l, 0, 0x25001);
	pv_builder_set_rng(b, r2);
	assert_int_equal(pv_builder_set_host_key_source(b, 3, source_fn, &s,
							&err),
			 0);
	p = fx_write_image(&f, b, "later", &res2, &err);
	if (!p)
		fail_msg("build: %s", err ? err->msg : "?");
	c = fx_read(p, &lc);
	assert_int_equal(s.calls, 1);
	assert_int_equal(la, lc);
	assert_memory_equal(a, c, la);
	assert_int_equal(res2.hdr_size, res1.hdr_size);
	/* a second build uses the keys the source gave, without calling it */
	pv_builder_set_rng(b, r1);
	assert_non_null(fx_write_image(&f, b, "again", &res2, &err));
	assert_int_equal(s.calls, 1);
	pv_builder_free(b);
	free(a);
	free(c);
	pv_rng_free(r1);
	pv_rng_free(r2);
	fx_fini(&f);
}

static void test_same_bytes(void **state)
{
	same_bytes(PV_LAYOUT_R);
	same_bytes(PV_LAYOUT_C);
}

/*
 * A refusing source stops a big build early, and its error is reported:
 * the build waits for the key job by its 16th chunk (build.c,
 * KEY_JOB_LEAD), however slow the source is.
 */
static void test_source_fails(void **state)
{
	struct pv_build_result res;
	struct pv_err *err = NULL;
	struct source s = { 0 };
	struct pv_builder *b;
	int chunks = 0;
	struct fx f;

	fx_init(&f, 1);
	s.f = &f;
	s.fail = PV_ERR_CERT;
	s.delay_ms = 300;	/* the whole 8 MiB streams in far less */
	b = builder(&f, PV_LAYOUT_R, 0, BIG);
	pv_builder_set_progress(b, count_progress, &chunks);
	assert_int_equal(pv_builder_set_host_key_source(b, 1, source_fn, &s,
							&err),
			 0);
	assert_null(fx_write_image(&f, b, "bad", &res, &err));
	assert_non_null(err);
	assert_int_equal(err->code, PV_ERR_CERT);
	assert_string_equal(err->msg, "test source refuses");
	pv_err_free(err);
	err = NULL;
	/* BIG / CHUNK = 64 chunks of the initrd alone */
	assert_true(chunks > 0);
	assert_true(chunks <= 16);
	pv_builder_free(b);

	/* the source's error wins over a failing stream (an ELF kernel) */
	s.delay_ms = 0;
	b = fx_builder(&f, PV_LAYOUT_R, 0);
	{
		uint8_t elf[0x11000] = { 0x7f, 'E', 'L', 'F' };

		assert_int_equal(pv_builder_set_input_path(
					 b, PV_COMP_KERNEL,
					 fx_write(&f, "elf", elf, sizeof(elf)),
					 &err),
				 0);
	}
	assert_int_equal(pv_builder_set_host_key_source(b, 1, source_fn, &s,
							&err),
			 0);
	assert_null(fx_write_image(&f, b, "bad2", &res, &err));
	assert_non_null(err);
	assert_int_equal(err->code, PV_ERR_CERT);
	pv_err_free(err);
	pv_builder_free(b);
	fx_fini(&f);
}

static void test_wrong_count(void **state)
{
	struct pv_build_result res;
	struct pv_err *err = NULL;
	struct source s = { 0 };
	struct pv_builder *b;
	struct fx f;

	fx_init(&f, 2);
	s.f = &f;
	s.give = 1;
	b = builder(&f, PV_LAYOUT_R, 0, 0x1000);
	assert_int_equal(pv_builder_set_host_key_source(b, 2, source_fn, &s,
							&err),
			 0);
	assert_null(fx_write_image(&f, b, "short", &res, &err));
	assert_int_equal(err->code, PV_ERR_STATE);
	assert_non_null(strstr(err->msg, "gave 1 keys, 2 were announced"));
	pv_err_free(err);
	err = NULL;
	pv_builder_free(b);
	/* 0 keys, or more than 95 with those already there */
	b = builder(&f, PV_LAYOUT_R, 2, 0x1000);
	assert_int_equal(pv_builder_set_host_key_source(b, 0, source_fn, &s,
							&err),
			 -PV_ERR_INVAL);
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_builder_set_host_key_source(b, 94, source_fn, &s,
							&err),
			 -PV_ERR_RANGE);
	pv_err_free(err);
	err = NULL;
	assert_int_equal(pv_builder_set_host_key_source(b, 93, source_fn, &s,
							&err),
			 0);
	pv_builder_free(b);
	fx_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes),
		cmocka_unit_test(test_source_fails),
		cmocka_unit_test(test_wrong_count),
	};

	return cmocka_run_group_tests_name("image_keysrc", tests, NULL, NULL);
}
