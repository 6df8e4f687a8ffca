// SPDX-License-Identifier: MIT
/*
 * The channel subsystem: the guest program io_css (tests/guest) with a
 * disk attached runs every I/O instruction against it; the same program
 * without the disk finds no subchannel.  Below the CPU: a subchannel's
 * functions driven directly (SSCH, TSCH, MSCH, the subsystem reset), the
 * I/O interruption bookkeeping, CHSC, and the channel data streams with
 * IDAWs, against guest memory through the hypervisor's access rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pvboot/be.h"
#include "../../machine/machine_priv.h"
#include "../../machine/io.h"
#include "disktest.h"

#define MEM (64ULL << 20)

static char disk_path[64];

static int setup(void **state)
{
	(void)state;
	return dt_disk(disk_path, sizeof(disk_path), 64) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	unlink(disk_path);
	return 0;
}

static void expect_ok(const char *what, struct dt_run *r)
{
	if (r->rc || r->res.wait_code != MT_WAIT_OK)
		dt_dump(what, r);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->res.end, PV_RUN_DISABLED_WAIT);
	assert_int_equal(r->res.wait_code, MT_WAIT_OK);
}

static void test_guest_io_css(void **s)
{
	struct pv_machine_disk d = { .path = disk_path };
	struct dt_run r;
	size_t len;
	uint8_t *buf = mt_guest("io_css", &len);

	(void)s;
	assert_non_null(buf);
	mt_parms(buf, len, 0, MEM, 0, NULL);
	dt_run(buf, len, &d, 1, 0, NULL, MEM, false, &r);
	expect_ok("io_css", &r);
	if (getenv("DT_VERBOSE"))
		dt_dump("io_css", &r);
	assert_true(r.res.stats.io_irqs >= 1);
	dt_run_free(&r);
	free(buf);
}

/*
 * Without a disk the program's checks fail (and its wait for an I/O
 * interruption can never end): the program can tell.
 */
static void test_guest_io_css_no_device(void **s)
{
	struct dt_run r;
	size_t len;
	uint8_t *buf = mt_guest("io_css", &len);

	(void)s;
	assert_non_null(buf);
	mt_parms(buf, len, 0, MEM, 0, NULL);
	dt_run(buf, len, NULL, 0, 0, NULL, MEM, false, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.end != PV_RUN_DISABLED_WAIT ||
		    r.res.wait_code != MT_WAIT_OK);
	assert_non_null(strstr(r.console, "FAIL: STSCH 0.0.0000: cc 0"));
	dt_run_free(&r);
	free(buf);
}

/* ---- below the CPU ------------------------------------------------------- */

static struct pv_machine *machine_with_disk(void)
{
	struct pv_machine_disk d = { .path = disk_path };
	struct pv_machine_opts o = { .mem_size = MEM, .input_fd = -1,
				     .disks = &d, .ndisks = 1 };
	struct pv_machine *m = NULL;

	assert_int_equal(pv_machine_new(&m, &o, NULL), 0);
	return m;
}

static void put_ccw(struct pv_machine *m, uint64_t a, uint8_t cmd,
		    uint8_t flags, uint16_t count, uint32_t cda)
{
	m->ram[a] = cmd;
	m->ram[a + 1] = flags;
	pv_put_be16(m->ram + a + 2, count);
	pv_put_be32(m->ram + a + 4, cda);
}

static void enable(struct subch *sch, uint32_t chars)
{
	uint8_t schib[SCHIB_SIZE];

	css_stsch(sch, schib);
	pv_put_be16(schib + 4, (uint16_t)(pv_get_be16(schib + 4) |
					  PMCW_FLAGS_ENA | (3 << 11)));
	pv_put_be32(schib + 24, chars);
	assert_int_equal(css_msch(sch, schib), 0);
}

static void test_tsch_keeps_dstat(void **s)
{
	struct pv_machine *m = machine_with_disk();
	struct subch *sch = css_find(m, 0x00010000);
	struct orb orb = { .intparm = 7, .ctrl0 = ORB_CTRL0_FMT, .lpm = 0xff,
			   .cpa = 0x1000 };
	uint8_t irb[IRB_SIZE];
	unsigned int len;

	(void)s;
	assert_non_null(sch);
	assert_null(css_find(m, 0x00010001));
	assert_null(css_find(m, 0x00030000));	/* subchannel set 1 */
	assert_int_equal(css_ssch(sch, &orb), 3);	/* not enabled */
	enable(sch, 0);
	put_ccw(m, 0x1000, CCW_CMD_SENSE_ID, CCW_FLAG_SLI, 8, 0x2000);
	assert_int_equal(css_ssch(sch, &orb), 0);
	assert_true(sch->irq);
	assert_int_equal(m->flic.io_pending, 0x80 >> 3);
	assert_int_equal(css_ssch(sch, &orb), 1);
	assert_int_equal(css_tsch(sch, irb, &len), 0);
	assert_int_equal(len, IRB_SIZE_NO_EMW);
	assert_int_equal(irb[8], DSTAT_CHANNEL_END | DSTAT_DEVICE_END);
	assert_false(sch->irq);			/* TSCH withdrew it */
	assert_int_equal(m->flic.io_pending, 0);
	assert_int_equal(m->ram[0x2000], 0xff);
	assert_int_equal(pv_get_be16(m->ram + 0x2001), VIRTIO_CCW_CU_TYPE);
	/* the rule the bios depends on: DSTAT stays after the clearing */
	assert_int_equal(css_tsch(sch, irb, &len), 1);
	assert_int_equal(irb[8], DSTAT_CHANNEL_END | DSTAT_DEVICE_END);
	assert_int_equal(pv_get_be16(irb + 2) & SCSW_STCTL_MASK, 0);
	pv_machine_free(m);
}

static void test_subsystem_reset(void **s)
{
	struct pv_machine *m = machine_with_disk();
	struct subch *sch = css_find(m, 0x00010000);
	struct orb orb = { .ctrl0 = ORB_CTRL0_FMT, .lpm = 0xff, .cpa = 0x1000 };

	(void)s;
	enable(sch, 0);
	put_ccw(m, 0x1000, CCW_CMD_NOOP, CCW_FLAG_SLI, 0, 0);
	assert_int_equal(css_ssch(sch, &orb), 0);
	assert_true(m->flic.io_pending);
	css_reset(m);
	assert_int_equal(m->flic.io_pending, 0);
	assert_false(sch->irq);
	assert_false(sch->pmcw.flags & PMCW_FLAGS_ENA);
	assert_true(sch->pmcw.flags & PMCW_FLAGS_DNV);
	assert_int_equal(sch->scsw.ctrl, 0);
	pv_machine_free(m);
}

/* An unsolicited interruption needs an enabled, idle subchannel. */
static void test_unsolicited(void **s)
{
	struct pv_machine *m = machine_with_disk();
	struct subch *sch = css_find(m, 0x00010000);
	uint8_t irb[IRB_SIZE];
	unsigned int len;

	(void)s;
	css_unsolicited(sch);
	assert_false(sch->irq);		/* disabled: nothing */
	enable(sch, 0);
	css_unsolicited(sch);
	assert_true(sch->irq);
	assert_int_equal(sch->scsw.ctrl & SCSW_STCTL_MASK,
			 SCSW_STCTL_ALERT | SCSW_STCTL_STATUS_PEND);
	assert_int_equal(css_tsch(sch, irb, &len), 0);
	pv_machine_free(m);
}

static void test_command_reject_sense(void **s)
{
	struct pv_machine *m = machine_with_disk();
	struct subch *sch = css_find(m, 0x00010000);
	struct orb orb = { .ctrl0 = ORB_CTRL0_FMT, .lpm = 0xff, .cpa = 0x1000 };
	uint8_t irb[IRB_SIZE];
	unsigned int len;

	(void)s;
	enable(sch, PMCW_CHARS_CSENSE);
	put_ccw(m, 0x1000, 0xf4, CCW_FLAG_SLI, 4, 0x2000);
	assert_int_equal(css_ssch(sch, &orb), 0);
	assert_int_equal(css_tsch(sch, irb, &len), 0);
	assert_true(irb[8] & DSTAT_UNIT_CHECK);
	assert_int_equal(irb[32], SENSE_CMD_REJECT);	/* ECW byte 0 */
	assert_true(pv_get_be16(irb) & SCSW_FLAGS_ECTL);
	pv_machine_free(m);
}

/* A channel program that loops through TICs ends (CCW_LIMIT, css_ccw.c). */
static void test_tic_loop(void **s)
{
	struct pv_machine *m = machine_with_disk();
	struct subch *sch = css_find(m, 0x00010000);
	struct orb orb = { .ctrl0 = ORB_CTRL0_FMT, .lpm = 0xff, .cpa = 0x1000 };
	uint8_t irb[IRB_SIZE];
	unsigned int len;

	(void)s;
	enable(sch, 0);
	put_ccw(m, 0x1000, CCW_CMD_NOOP, CCW_FLAG_CC | CCW_FLAG_SLI, 0, 0);
	put_ccw(m, 0x1008, CCW_CMD_TIC, 0, 0, 0x1000);
	assert_int_equal(css_ssch(sch, &orb), 0);
	assert_true(sch->irq);
	assert_int_equal(css_tsch(sch, irb, &len), 0);
	assert_int_equal(irb[9], CSTAT_PROG_CHECK);
	pv_machine_free(m);
}

static void test_chsc(void **s)
{
	struct pv_machine *m = machine_with_disk();
	uint8_t page[4096] = { 0 };

	(void)s;
	pv_put_be16(page, 16);
	pv_put_be16(page + 2, 0x0010);
	chsc_execute(m, page);
	assert_int_equal(pv_get_be16(page + 16), 4080);
	assert_int_equal(pv_get_be16(page + 18), 1);
	assert_int_equal(pv_get_be32(page + 24), 0x03000000);
	memset(page, 0, sizeof(page));
	pv_put_be16(page, 0x400);
	pv_put_be16(page + 2, 0x0031);
	pv_put_be32(page + 4, 2);		/* enable MSS */
	chsc_execute(m, page);
	assert_int_equal(pv_get_be16(page + 0x402), 1);
	assert_true(m->io->css.mss);
	memset(page, 0, sizeof(page));
	pv_put_be16(page, 16);
	pv_put_be16(page + 2, 0x0004);
	chsc_execute(m, page);
	assert_int_equal(pv_get_be16(page + 18), 4);	/* not installed */
	pv_machine_free(m);
}

static void test_ida_stream(void **s)
{
	struct pv_machine *m = machine_with_disk();
	struct subch *sch = css_find(m, 0x00010000);
	struct ccw_stream ds = { 0 };
	uint8_t out[6] = { 1, 2, 3, 4, 5, 6 };

	(void)s;
	(void)sch;
	/* format-2 IDAWs, 4 KiB: 2 bytes before a block end, then the next */
	pv_put_be64(m->ram + 0x3000, 0x4ffe);
	pv_put_be64(m->ram + 0x3008, 0x8000);
	ds.m = m;
	ds.flags = CDS_IDA | CDS_C64 | CDS_FMT1;
	ds.count = 6;
	ds.cda = ds.cda_orig = 0x3000;
	assert_int_equal(ccw_write(&ds, out, 6), 0);
	assert_int_equal(m->ram[0x4ffe], 1);
	assert_int_equal(m->ram[0x4fff], 2);
	assert_int_equal(m->ram[0x8000], 3);
	assert_int_equal(m->ram[0x8003], 6);
	assert_int_equal(ccw_residual(&ds), 0);
	/* more than the CCW's count: the stream breaks */
	assert_int_equal(ccw_write(&ds, out, 1), CCW_PROG_CHECK);
	/* direct, beyond 31 bits: channel-program check */
	memset(&ds, 0, sizeof(ds));
	ds.m = m;
	ds.flags = CDS_FMT1;
	ds.count = 8;
	ds.cda = 0x7ffffffc;
	assert_int_equal(ccw_write(&ds, out, 6), CCW_PROG_CHECK);
	/* beyond guest memory */
	memset(&ds, 0, sizeof(ds));
	ds.m = m;
	ds.flags = CDS_FMT1;
	ds.count = 8;
	ds.cda = MEM - 2;
	assert_int_equal(ccw_write(&ds, out, 6), CCW_PROG_CHECK);
	pv_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_io_css),
		cmocka_unit_test(test_guest_io_css_no_device),
		cmocka_unit_test(test_tsch_keeps_dstat),
		cmocka_unit_test(test_subsystem_reset),
		cmocka_unit_test(test_unsolicited),
		cmocka_unit_test(test_command_reject_sense),
		cmocka_unit_test(test_tic_loop),
		cmocka_unit_test(test_chsc),
		cmocka_unit_test(test_ida_stream),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
