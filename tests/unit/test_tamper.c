// SPDX-License-Identifier: MIT
/*
 * Reduced tamper campaign (tests/tamper) in `make check`: a small SE image
 * with the test kernel is built here, then one bit of every byte of the SE
 * header, the IPIB and both loader parameter blocks and a sample of
 * component bits are flipped and booted on the machine.  No flip of a
 * checked byte may boot, every ignored IPIB field must boot unchanged
 * (pv-machine-and-uv.md §2.4), and the campaign itself must notice crashes
 * and boots where the specification forbids them.
 *
 * The campaign engine is compiled into this test directly: unit tests
 * link only tests/unit/lib, and the same sources build pvboot-tamper.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "pvboot/boot_blobs.h"
#include "pvboot/image.h"
#include "pvboot/sehdr.h"
#include "pvboot/uv.h"

#include "lib/testkeys.h"

#include "../tamper/boot.c"
#include "../tamper/plan.c"
#include "../tamper/pool.c"
#include "../tamper/report.c"

#define TT_MEM (4ULL << 20)	/* small RAM: runaway unpacks stay cheap */

struct tt_image {
	uint8_t *buf;
	size_t len;
	struct pv_build_result res;
};

static struct pv_machine_key tt_key;
static uint8_t *tt_pem;
static size_t tt_pem_len;
static struct pv_eckey *tt_host;
static struct tt_image tt_r, tt_c;

static int tt_memfd(const char *name, const void *buf, size_t len)
{
	int fd = memfd_create(name, 0);

	if (fd >= 0 && len && write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	if (fd >= 0)
		lseek(fd, 0, SEEK_SET);
	return fd;
}

/* The test kernel with a 5000-byte initrd and a command line. */
static int tt_build(enum pv_layout layout, struct tt_image *out)
{
	static const char cmdline[] = "tamper campaign";
	uint8_t initrd[5000];
	struct pv_builder *b = NULL;
	struct pv_err *err = NULL;
	int fds[4] = { -1, -1, -1, -1 }, rc = -1;
	off_t size;

	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 131 + 7);
	memset(out, 0, sizeof(*out));
	fds[0] = tt_memfd("kernel", pv_blob_testkernel.data,
			  pv_blob_testkernel.len);
	fds[1] = tt_memfd("initrd", initrd, sizeof(initrd));
	fds[2] = tt_memfd("cmdline", cmdline, strlen(cmdline));
	fds[3] = memfd_create("se.img", 0);
	if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0 || fds[3] < 0 ||
	    pv_builder_new(layout, &b, &err) ||
	    pv_builder_set_input_fd(b, PV_COMP_KERNEL, fds[0], "kernel",
				    &err) ||
	    pv_builder_set_input_fd(b, PV_COMP_INITRD, fds[1], "initrd",
				    &err) ||
	    pv_builder_set_input_fd(b, PV_COMP_CMDLINE, fds[2], "cmdline",
				    &err) ||
	    pv_builder_set_loaders(b, pv_blob_stage3a.data,
				   pv_blob_stage3a.len,
				   pv_blob_stage3b_reloc.data,
				   pv_blob_stage3b_reloc.len, &err) ||
	    pv_builder_add_host_key(b, tt_host, &err) ||
	    pv_builder_write(b, fds[3], &out->res, &err))
		goto out;
	size = lseek(fds[3], 0, SEEK_END);
	out->buf = malloc(size > 0 ? (size_t)size : 1);
	if (!out->buf || pread(fds[3], out->buf, (size_t)size, 0) != size)
		goto out;
	out->len = (size_t)size;
	rc = 0;
out:
	if (err)
		fprintf(stderr, "tt_build: %s\n", err->msg);
	pv_err_free(err);
	pv_builder_free(b);
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

static int group_setup(void **state)
{
	if (tk_host_keypair_pem(&tt_pem, &tt_pem_len, &tt_host))
		return -1;
	tt_key.data = tt_pem;
	tt_key.len = tt_pem_len;
	return tt_build(PV_LAYOUT_R, &tt_r) || tt_build(PV_LAYOUT_C, &tt_c);
}

static int group_teardown(void **state)
{
	free(tt_r.buf);
	free(tt_c.buf);
	pv_eckey_free(tt_host);
	pv_free_secret(tt_pem, tt_pem_len);
	return 0;
}

/* Campaign over @img with @o, baseline already checked. */
static void tt_start(struct tp_campaign *c, const struct tt_image *img,
		     struct tp_opts *o)
{
	struct pv_err *err = NULL;

	o->mem_size = TT_MEM;
	o->timeout = 20;
	if (tp_campaign_init(c, img->buf, img->len, &tt_key, 1, o, &err) ||
	    tp_baseline(c, &err))
		fail_msg("campaign setup: %s", err ? err->msg : "?");
}

static void tt_run(struct tp_campaign *c)
{
	struct pv_err *err = NULL;

	if (tp_run(c, &err))
		fail_msg("campaign: %s", err ? err->msg : "?");
}

/* Print the report when a check fails, so the log names the flips. */
static void tt_dump(const struct tp_campaign *c)
{
	if (tp_count_unexpected(c))
		tp_report(c, stderr);
}

static size_t tt_count(const struct tp_campaign *c, enum tp_region r,
		       enum tp_class cls)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nflips; i++)
		n += c->fields[c->flips[i].field].region == r &&
		     c->out[i].cls == cls;
	return n;
}

static size_t tt_region_flips(const struct tp_campaign *c, enum tp_region r)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nflips; i++)
		n += c->fields[c->flips[i].field].region == r;
	return n;
}

/* The image was found as built: regions where the builder put them. */
static void test_plan_finds_regions(void **state)
{
	struct tp_opts o = { .crash_at = -1, .one_bit_per_byte = true };
	struct tp_campaign c;

	tt_start(&c, &tt_r, &o);
	assert_int_equal(c.hdr_addr, tt_r.res.hdr_addr);
	assert_int_equal(c.hdr_len, tt_r.res.hdr_size);
	assert_int_equal(c.ipib_addr, tt_r.res.ipib_addr);
	assert_int_equal(c.ipib_len, tt_r.res.ipib_len);
	assert_int_equal(c.ncomps, 4);
	assert_int_equal(c.s3a_parms, tt_r.res.stage3a_parms_addr);
	/* the stage3b block is the loader's last 64 bytes (§3.3) */
	assert_int_equal(c.s3b_args, tt_r.res.comps[3].addr +
					     pv_blob_stage3b_reloc.len -
					     PV_STAGE3B_PARMS_SIZE);
	assert_int_equal(tt_region_flips(&c, TP_HEADER), c.hdr_len);
	assert_int_equal(tt_region_flips(&c, TP_IPIB), c.ipib_len);
	assert_int_equal(tt_region_flips(&c, TP_S3B_ARGS), 64);
	assert_int_equal(tt_region_flips(&c, TP_S3A_PARMS), 24);
	assert_int_equal(tt_region_flips(&c, TP_COMPONENT), 3000);
	assert_int_equal(c.base.cls, TP_BOOTED_SAME);
	tp_campaign_free(&c);
}

/* The reduced campaign of `make check`. */
static void test_reduced_campaign(void **state)
{
	struct tp_opts o = {
		.crash_at = -1, .one_bit_per_byte = true, .comp_flips = 128,
	};
	struct tp_campaign c;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	tt_start(&c, &tt_r, &o);
	tt_run(&c);
	tt_dump(&c);
	assert_int_equal(tp_count_unexpected(&c), 0);
	/* the whole header is checked by the UV at SET SEC PARMS */
	assert_int_equal(tt_count(&c, TP_HEADER, TP_REFUSED_UV), c.hdr_len);
	for (size_t i = 0; i < c.nflips; i++) {
		enum tp_region r = c.fields[c.flips[i].field].region;

		if (r == TP_HEADER)
			assert_int_equal(c.out[i].cmd, 2);
		/* component bytes: the page list digest at VERIFY (B-11) */
		if (r == TP_COMPONENT || r == TP_S3B_ARGS) {
			assert_int_equal(c.out[i].cls, TP_REFUSED_UV);
			assert_int_equal(c.out[i].cmd, 4);
			assert_int_equal(c.out[i].rc, 0x0102);
			assert_int_equal(c.out[i].rrc, PV_UV_RRC_PLD);
		}
	}
	/* ignored IPIB fields boot; checked ones are refused by hv or UV */
	assert_true(tt_count(&c, TP_IPIB, TP_BOOTED_SAME) > 100);
	assert_true(tt_count(&c, TP_IPIB, TP_REFUSED_HV) > 0);
	assert_true(tt_count(&c, TP_IPIB, TP_REFUSED_UV) > 0);
	assert_int_equal(tt_count(&c, TP_S3A_PARMS, TP_BOOTED_SAME) +
				 tt_count(&c, TP_S3A_PARMS, TP_BOOTED_DIFF),
			 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	tp_report(&c, f);
	fclose(f);
	assert_non_null(strstr(text, "RESULT: PASS"));
	assert_non_null(strstr(text, "uv: verify rc 0x0102 rrc 0x001b"));
	free(text);
	tp_campaign_free(&c);
}

/* Every bit of the IPIB length: boots exactly when still in range. */
static void test_ipib_len_range(void **state)
{
	struct tp_opts o = { .crash_at = -1, .regions = 1U << TP_IPIB };
	struct tp_campaign c;
	size_t n = 0, in_range = 0, booted = 0;

	tt_start(&c, &tt_r, &o);
	for (size_t i = 0; i < c.nflips; i++)
		if (c.fields[c.flips[i].field].expect == TP_RANGE)
			c.flips[n++] = c.flips[i];
	c.nflips = n;
	assert_int_equal(n, 32);
	tt_run(&c);
	tt_dump(&c);
	for (size_t i = 0; i < n; i++) {
		in_range += c.flips[i].want_boot;
		booted += c.out[i].cls == TP_BOOTED_SAME;
	}
	/* len 232 (4 components): bits 0-2, 4 and 8-11 keep it in range */
	assert_int_equal(in_range, 8);
	assert_int_equal(booted, 8);
	assert_int_equal(tp_count_unexpected(&c), 0);
	tp_campaign_free(&c);
}

/*
 * Layout-C: list length 4096, the padding after the entries is ignored.
 * The component entries are as in Layout-R and left out here.
 */
static void test_layout_c_ipib(void **state)
{
	struct tp_opts o = {
		.crash_at = -1, .one_bit_per_byte = true, .pad_flips = 256,
		.regions = 1U << TP_IPIB,
	};
	struct tp_campaign c;
	size_t pad = 0, n = 0;

	tt_start(&c, &tt_c, &o);
	assert_int_equal(c.layout, 'c');
	assert_int_equal(c.ipib_len, 4096);
	for (size_t i = 0; i < c.nflips; i++)
		if (strncmp(c.fields[c.flips[i].field].name, "comp", 4))
			c.flips[n++] = c.flips[i];
	c.nflips = n;
	tt_run(&c);
	tt_dump(&c);
	assert_int_equal(tp_count_unexpected(&c), 0);
	for (size_t i = 0; i < c.nflips; i++) {
		if (strcmp(c.fields[c.flips[i].field].name, "padding"))
			continue;
		pad++;
		assert_int_equal(c.out[i].cls, TP_BOOTED_SAME);
	}
	assert_int_equal(pad, 32);
	tp_campaign_free(&c);
}

/* A crashing worker is seen, reported and replaced. */
static void test_crash_is_detected(void **state)
{
	struct tp_opts o = {
		.crash_at = 5, .one_bit_per_byte = true,
		.regions = 1U << TP_S3A_PARMS,
	};
	struct tp_campaign c;

	tt_start(&c, &tt_r, &o);
	assert_int_equal(c.nflips, 24);
	tt_run(&c);
	assert_int_equal(c.out[5].cls, TP_CRASHED);
	assert_int_equal(c.out[5].sig, SIGABRT);
	for (size_t i = 0; i < c.nflips; i++)
		assert_true(c.out[i].done);
	assert_int_equal(tp_count_unexpected(&c), 1);
	assert_true(tp_unexpected(&c, 5));
	tp_campaign_free(&c);
}

/*
 * The judge fails a boot where the specification forbids one: declare the
 * (ignored) loadparm checked and its flips become unexpected.
 */
static void test_forbidden_boot_is_flagged(void **state)
{
	struct tp_opts o = { .crash_at = -1, .regions = 1U << TP_IPIB };
	struct tp_campaign c;
	size_t n = 0;

	tt_start(&c, &tt_r, &o);
	for (size_t i = 0; i < c.nflips && n < 16; i++)
		if (!strcmp(c.fields[c.flips[i].field].name, "loadparm"))
			c.flips[n++] = c.flips[i];
	c.nflips = n;
	assert_int_equal(n, 16);
	c.fields[c.flips[0].field].expect = TP_MUST_REFUSE;
	tt_run(&c);
	assert_int_equal(tt_count(&c, TP_IPIB, TP_BOOTED_SAME), 16);
	assert_int_equal(tp_count_unexpected(&c), 16);
	tp_campaign_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_finds_regions),
		cmocka_unit_test(test_reduced_campaign),
		cmocka_unit_test(test_ipib_len_range),
		cmocka_unit_test(test_layout_c_ipib),
		cmocka_unit_test(test_crash_is_detected),
		cmocka_unit_test(test_forbidden_boot_is_flagged),
	};

	return cmocka_run_group_tests_name("tamper", tests, group_setup,
					   group_teardown);
}
