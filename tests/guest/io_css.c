// SPDX-License-Identifier: MIT
/*
 * The channel subsystem with one device (a virtio-blk disk on subchannel
 * 0.0.0000; tests/unit/test_css.c attaches it): STSCH, MSCH, SSCH, TSCH,
 * CSCH, HSCH, XSCH, RSCH, TPI, STCRW and CHSC with their condition codes,
 * program exceptions, status and I/O interruptions; format-0 and format-1
 * CCWs, command chaining, TIC, IDAWs, suspend and resume, command reject
 * with concurrent sense, the channel-program check, the deferred cc 3.
 *
 * The rules easy to miss (ipl-from-devices.md §2): a second TSCH gives
 * cc 1 with an IRB still showing CE+DE; STSCH beyond the last subchannel
 * is cc 3; SSCH and MSCH of a status-pending subchannel are cc 1.
 */
#include "io_guest.h"

const char gt_name[] = "IO-CSS";

#define BUF ((uint8_t *)0x200000UL)	/* 2 MiB: data areas */

static struct schib sb;
static struct irb irb;
static struct orb orb;
static struct ccw1 prog[8];
static uint32_t idaw1[4] __aligned(8);
static uint64_t idaw2[4] __aligned(8);

static void check_stsch(void)
{
	GT_EQ(stsch(SCHID0, &sb), 0, "STSCH 0.0.0000: cc 0");
	GT_EQ(sb.flags & (PMCW_DNV | PMCW_ENA), PMCW_DNV,
	      "SCHIB: device number valid, not enabled");
	GT_EQ(sb.devno, 0, "SCHIB: device number 0.0.0000");
	GT_EQ(sb.pim, 0x80, "SCHIB: one installed path");
	GT_EQ(sb.pam, 0x80, "SCHIB: path available");
	GT_EQ(sb.chpid[0], 0, "SCHIB: CHPID 0");
	GT_EQ(stsch(SCHID1, &sb), 3, "STSCH 0.0.0001 (no device): cc 3");
	GT_EQ(stsch(0x00030000U, &sb), 3, "STSCH of subchannel set 1: cc 3");
	stsch(0x00000000U, &sb);
	GT_EQ(gt_pgm_take(), 0x15, "STSCH without the one bit: operand");
	stsch(SCHID0, (uint8_t *)&sb + 2);
	GT_EQ(gt_pgm_take(), 0x06, "STSCH misaligned: specification");
}

static void check_disabled(void)
{
	prog[0] = (struct ccw1){ .cmd = 0x03, .flags = CCW_SLI };
	memset(&orb, 0, sizeof(orb));
	orb.ctrl0 = ORB_FMT1;
	orb.lpm = 0xff;
	orb.cpa = (uint32_t)(uintptr_t)prog;
	GT_EQ(ssch(SCHID0, &orb), 3, "SSCH of a disabled subchannel: cc 3");
	GT_EQ(tsch(SCHID0, &irb), 3, "TSCH of a disabled subchannel: cc 3");
	GT_EQ(csch(SCHID0), 3, "CSCH of a disabled subchannel: cc 3");
	GT_EQ(ssch(SCHID1, &orb), 3, "SSCH of no device: cc 3");
}

static void check_msch(void)
{
	GT_EQ(stsch(SCHID0, &sb), 0, "STSCH before MSCH");
	sb.flags |= 0x4000;	/* the W bit may not be set */
	msch(SCHID0, &sb);
	GT_EQ(gt_pgm_take(), 0x15, "MSCH with a reserved PMCW bit: operand");
	GT_EQ(io_enable(SCHID0, 0xfeed0001, 0), 0, "MSCH enable: cc 0");
	stsch(SCHID0, &sb);
	GT_EQ(sb.flags & (PMCW_ENA | PMCW_ISC(7)), PMCW_ENA | PMCW_ISC(3),
	      "SCHIB after MSCH: enabled, ISC 3");
	GT_EQ(sb.intparm, 0xfeed0001, "SCHIB after MSCH: interruption parameter");
}

/* SENSE ID by format-1 CCW, then the status and the TSCH rules. */
static void check_sense_id(void)
{
	uint8_t *id = BUF;
	uint32_t sid = 0, code[2];
	int cc;

	memset(id, 0x5a, 16);
	prog[0] = (struct ccw1){ .cmd = 0xe4, .flags = CCW_SLI, .count = 8,
				 .cda = (uint32_t)(uintptr_t)id };
	memset(&orb, 0, sizeof(orb));
	orb.intparm = 0xabcd0042;
	orb.ctrl0 = ORB_FMT1 | ORB_PFCH | ORB_C64;
	orb.lpm = 0xff;
	orb.cpa = (uint32_t)(uintptr_t)prog;
	GT_EQ(ssch(SCHID0, &orb), 0, "SSCH SENSE ID: cc 0");
	GT_EQ(ssch(SCHID0, &orb), 1, "SSCH while status pending: cc 1");
	GT_EQ(msch(SCHID0, &sb), 1, "MSCH while status pending: cc 1");
	/* TPI: the interruption of ISC 3 is pending, CR6 enables it */
	cr6_set(0x10000000ULL);	/* ISC 3 */
	cc = tpi(code);
	GT_EQ(cc, 1, "TPI finds the pending interruption");
	GT_EQ(code[0], SCHID0, "TPI: subchannel identification");
	GT_EQ(code[1], 0xabcd0042, "TPI: interruption parameter of the ORB");
	GT_EQ(tpi(code), 0, "TPI again: nothing pending");
	GT_EQ(tsch(SCHID0, &irb), 0, "TSCH: cc 0, status pending");
	GT_EQ(irb.ctrl, FC_START | ST_PRIM | ST_SEC | ST_PEND,
	      "IRB: start function, primary+secondary status pending");
	GT_EQ(irb.dstat, 0x0c, "IRB: channel end + device end");
	GT_EQ(irb.cstat, 0, "IRB: no channel status");
	GT_EQ(irb.cpa, (uint32_t)(uintptr_t)&prog[1], "IRB: CPA after the CCW");
	GT_EQ(irb.count, 0, "IRB: residual count 0");
	GT_EQ(irb.sflags & 0x0080, 0x0080, "IRB: format-1 CCWs");
	GT_EQ(id[0], 0xff, "SENSE ID byte 0: 0xff");
	GT_EQ(id[1] << 8 | id[2], 0x3832, "SENSE ID: control unit 0x3832");
	GT_EQ(id[3], 2, "SENSE ID: model 2 (virtio block)");
	GT_EQ(id[8], 0x5a, "SENSE ID: nothing past the count");
	/* the easy-to-miss rule: DSTAT survives the clearing TSCH */
	GT_EQ(tsch(SCHID0, &irb), 1, "second TSCH: cc 1");
	GT_EQ(irb.dstat, 0x0c, "second TSCH: IRB still shows CE+DE");
	GT_EQ(irb.ctrl & 0x701f, 0, "second TSCH: no function, no status");
	(void)sid;
	cr6_set(0);
}

/* The I/O interruption from an enabled wait, its code in the lowcore. */
static void check_interruption(void)
{
	prog[0] = (struct ccw1){ .cmd = 0x03, .flags = CCW_SLI };
	memset(&orb, 0, sizeof(orb));
	orb.intparm = 0x77665544;
	orb.ctrl0 = ORB_FMT1;
	orb.lpm = 0xff;
	orb.cpa = (uint32_t)(uintptr_t)prog;
	LC_IO_SCHID = 0;
	GT_EQ(ssch(SCHID0, &orb), 0, "SSCH NOOP: cc 0");
	cr6_set(0x10000000ULL);
	io_wait();
	cr6_set(0);
	GT_EQ(LC_IO_SCHID, SCHID0, "I/O interruption: subchannel id at 0xb8");
	GT_EQ(LC_IO_PARM, 0x77665544, "I/O interruption: parameter at 0xbc");
	GT_EQ(LC_IO_ID, 3U << 27, "I/O interruption: ISC 3 in the id at 0xc0");
	GT_EQ(tsch(SCHID0, &irb), 0, "TSCH after the interruption: cc 0");
	GT_EQ(irb.dstat, 0x0c, "NOOP: CE+DE");
}

static void check_chains(void)
{
	uint8_t *id = BUF;
	int st;

	/* NOOP chained to a TIC to SENSE ID */
	prog[0] = (struct ccw1){ .cmd = 0x03, .flags = CCW_CC | CCW_SLI };
	prog[1] = (struct ccw1){ .cmd = 0x08,
				 .cda = (uint32_t)(uintptr_t)&prog[4] };
	prog[4] = (struct ccw1){ .cmd = 0xe4, .flags = CCW_SLI, .count = 4,
				 .cda = (uint32_t)(uintptr_t)id };
	memset(id, 0, 8);
	st = io_run(SCHID0, prog, ORB_FMT1, &irb);
	GT_EQ(st, 0x0c00, "NOOP, TIC, SENSE ID: CE+DE");
	GT_EQ(irb.cpa, (uint32_t)(uintptr_t)&prog[5], "TIC: CPA after the target");
	GT_EQ(id[0] == 0xff && id[1] == 0x38, 1, "TIC: the target ran");
	/* TIC to a TIC: channel-program check */
	prog[0] = (struct ccw1){ .cmd = 0x08,
				 .cda = (uint32_t)(uintptr_t)&prog[1] };
	prog[1] = (struct ccw1){ .cmd = 0x08,
				 .cda = (uint32_t)(uintptr_t)&prog[0] };
	st = io_run(SCHID0, prog, ORB_FMT1, &irb);
	GT_EQ(st, 0x0020, "TIC to TIC: channel-program check");
	GT_EQ(irb.ctrl & ST_ALERT, ST_ALERT, "program check: alert status");
	/* command code 0: channel-program check */
	prog[0] = (struct ccw1){ .cmd = 0x00, .count = 1,
				 .cda = (uint32_t)(uintptr_t)id };
	GT_EQ(io_run(SCHID0, prog, ORB_FMT1, &irb), 0x0020,
	      "command code 0: channel-program check");
	/* a CCW address beyond memory: channel-program check */
	memset(&orb, 0, sizeof(orb));
	orb.ctrl0 = ORB_FMT1;
	orb.lpm = 0xff;
	orb.cpa = 0x7ffffff8;
	GT_EQ(ssch(SCHID0, &orb), 0, "SSCH of a CCW beyond memory: cc 0");
	tsch(SCHID0, &irb);
	GT_EQ(irb.cstat, 0x20, "CCW beyond memory: channel-program check");
	/* format 0: SENSE ID */
	memset(id, 0, 8);
	{
		uint8_t *c0 = (uint8_t *)prog;
		uint32_t a = (uint32_t)(uintptr_t)id;

		memset(c0, 0, 8);
		c0[0] = 0xe4;
		c0[1] = (uint8_t)(a >> 16);
		c0[2] = (uint8_t)(a >> 8);
		c0[3] = (uint8_t)a;
		c0[4] = CCW_SLI;
		c0[7] = 8;
	}
	GT_EQ(io_run(SCHID0, prog, 0, &irb), 0x0c00, "format-0 SENSE ID: CE+DE");
	GT_EQ(irb.sflags & 0x0080, 0, "IRB: format-0 CCWs");
	GT_EQ(id[1] << 8 | id[2], 0x3832, "format-0 SENSE ID data");
}

static void check_reject(void)
{
	uint8_t *sense = BUF + 0x100;
	int st;

	/* an unknown command: unit check, command reject in the sense */
	prog[0] = (struct ccw1){ .cmd = 0xf4, .flags = CCW_SLI, .count = 4,
				 .cda = (uint32_t)(uintptr_t)BUF };
	st = io_run(SCHID0, prog, ORB_FMT1, &irb);
	GT_EQ(st >> 8 & 0x02, 0x02, "unknown command: unit check");
	GT_EQ(irb.ecw[0], 0, "no concurrent sense: ECW empty");
	memset(sense, 0xee, 32);
	prog[0] = (struct ccw1){ .cmd = 0x04, .count = 32,
				 .cda = (uint32_t)(uintptr_t)sense };
	GT_EQ(io_run(SCHID0, prog, ORB_FMT1, &irb), 0x0c00, "BASIC SENSE: CE+DE");
	GT_EQ(sense[0], 0x80, "BASIC SENSE: command reject");
	/* with concurrent sense the sense data come in the IRB */
	GT_EQ(io_enable(SCHID0, 0xfeed0002, CHARS_CSENSE), 0,
	      "MSCH concurrent sense: cc 0");
	prog[0] = (struct ccw1){ .cmd = 0xf4, .flags = CCW_SLI, .count = 4,
				 .cda = (uint32_t)(uintptr_t)BUF };
	io_run(SCHID0, prog, ORB_FMT1, &irb);
	GT_EQ(irb.ecw[0], 0x80, "concurrent sense: command reject in the ECW");
	GT_EQ(irb.sflags & 0x0400, 0x0400, "concurrent sense: ESW format flag");
	GT_EQ(irb.esw[1] & 0x01000000, 0x01000000, "ERW: sense data present");
	io_enable(SCHID0, 0xfeed0003, 0);
}

/* IDAWs: SENSE ID through 2 KiB format-1 and 4 KiB format-2 blocks. */
static void check_ida(void)
{
	uint8_t *a = BUF + 0x1000, *b = BUF + 0x3000;

	/* format 1, 2 KiB: 3 bytes at the end of a block, then the next */
	memset(a, 0, 0x2000);
	memset(b, 0, 0x1000);
	idaw1[0] = (uint32_t)(uintptr_t)(a + 0x800 - 3);
	idaw1[1] = (uint32_t)(uintptr_t)b;
	prog[0] = (struct ccw1){ .cmd = 0xe4, .flags = CCW_SLI | CCW_IDA,
				 .count = 8,
				 .cda = (uint32_t)(uintptr_t)idaw1 };
	GT_EQ(io_run(SCHID0, prog, ORB_FMT1, &irb), 0x0c00,
	      "SENSE ID by format-1 IDAWs: CE+DE");
	GT_EQ(a[0x800 - 3] == 0xff && a[0x800 - 2] == 0x38 &&
	      a[0x800 - 1] == 0x32 && b[0] == 0x02, 1,
	      "format-1 IDAWs: bytes split at the 2 KiB boundary");
	/* format 2, 4 KiB blocks */
	memset(a, 0, 0x2000);
	memset(b, 0, 0x1000);
	idaw2[0] = (uint64_t)(uintptr_t)(a + 0x1000 - 2);
	idaw2[1] = (uint64_t)(uintptr_t)b;
	prog[0].cda = (uint32_t)(uintptr_t)idaw2;
	GT_EQ(io_run(SCHID0, prog, ORB_FMT1 | ORB_C64, &irb), 0x0c00,
	      "SENSE ID by format-2 IDAWs: CE+DE");
	GT_EQ(a[0x1000 - 2] == 0xff && a[0x1000 - 1] == 0x38 &&
	      b[0] == 0x32, 1, "format-2 IDAWs: bytes split at 4 KiB");
	/* a second IDAW that does not start a block: program check */
	idaw2[1] = (uint64_t)(uintptr_t)(b + 8);
	GT_EQ(io_run(SCHID0, prog, ORB_FMT1 | ORB_C64, &irb), 0x0020,
	      "unaligned second IDAW: channel-program check");
}

static void check_functions(void)
{
	int st;

	GT_EQ(xsch(SCHID0), 2, "XSCH of an idle subchannel: cc 2");
	GT_EQ(rsch(SCHID0), 2, "RSCH without a suspended program: cc 2");
	GT_EQ(csch(SCHID0), 0, "CSCH: cc 0");
	GT_EQ(tsch(SCHID0, &irb), 0, "TSCH after CSCH: status pending");
	GT_EQ(irb.ctrl, FC_CLEAR | ST_PEND, "CSCH: clear function, status pending");
	GT_EQ(hsch(SCHID0), 0, "HSCH of an idle subchannel: cc 0");
	GT_EQ(hsch(SCHID0), 1, "HSCH while status pending: cc 1");
	GT_EQ(tsch(SCHID0, &irb), 0, "TSCH after HSCH");
	GT_EQ(irb.ctrl & (FC_HALT | ST_PEND), FC_HALT | ST_PEND,
	      "HSCH: halt function, status pending");
	/* suspend: the S flag of a CCW with suspend control in the ORB */
	prog[0] = (struct ccw1){ .cmd = 0x03, .flags = CCW_CC | CCW_SLI };
	prog[1] = (struct ccw1){ .cmd = 0x03, .flags = CCW_SLI | CCW_SUSPEND };
	st = io_run(SCHID0, prog, ORB_FMT1 | ORB_SPND, &irb);
	GT_EQ(irb.ctrl & (AC_SUSP | ST_INTER | ST_PEND),
	      AC_SUSP | ST_INTER | ST_PEND, "suspended: intermediate status");
	prog[1].flags = CCW_SLI;
	GT_EQ(rsch(SCHID0), 0, "RSCH of the suspended program: cc 0");
	GT_EQ(tsch(SCHID0, &irb), 0, "TSCH after RSCH");
	GT_EQ(irb.dstat, 0x0c, "resumed program ends: CE+DE");
	GT_EQ(irb.ctrl & (ST_PRIM | ST_PEND), ST_PRIM | ST_PEND,
	      "resumed program: primary status");
	/* S flag without suspend control: program check */
	prog[0].flags = CCW_SLI | CCW_SUSPEND;
	GT_EQ(io_run(SCHID0, prog, ORB_FMT1, &irb), 0x0020,
	      "S flag without ORB suspend control: program check");
	(void)st;
}

static void check_orb(void)
{
	memset(&orb, 0, sizeof(orb));
	orb.ctrl0 = ORB_FMT1 | 0x0004;	/* a reserved bit */
	orb.lpm = 0xff;
	orb.cpa = (uint32_t)(uintptr_t)prog;
	ssch(SCHID0, &orb);
	GT_EQ(gt_pgm_take(), 0x15, "ORB with a reserved bit: operand");
	orb.ctrl0 = ORB_FMT1;
	orb.cpa = 0x80000000U | (uint32_t)(uintptr_t)prog;
	ssch(SCHID0, &orb);
	GT_EQ(gt_pgm_take(), 0x15, "ORB with CPA bit 0: operand");
	ssch(SCHID0, (uint8_t *)&orb + 1);
	GT_EQ(gt_pgm_take(), 0x06, "ORB misaligned: specification");
	/* a path mask without the device's path: deferred cc 3 */
	orb.cpa = (uint32_t)(uintptr_t)prog;
	orb.lpm = 0x40;
	prog[0] = (struct ccw1){ .cmd = 0x03, .flags = CCW_SLI };
	GT_EQ(ssch(SCHID0, &orb), 0, "SSCH without an available path: cc 0");
	GT_EQ(tsch(SCHID0, &irb), 0, "TSCH: status pending");
	GT_EQ(irb.sflags & 0x0300, 0x0300, "deferred condition code 3");
	GT_EQ(irb.ctrl & (ST_ALERT | ST_PEND), ST_ALERT | ST_PEND,
	      "deferred cc 3: alert status");
}

static void check_misc(void)
{
	uint8_t *page = BUF + 0x8000;
	uint32_t crw = 0xffffffff;

	GT_EQ(stcrw(&crw), 1, "STCRW: no channel report, cc 1");
	GT_EQ(crw, 0, "STCRW stores zeros");
	/* CHSC store channel-subsystem characteristics */
	memset(page, 0, 4096);
	page[1] = 0x10;		/* length 16 */
	page[3] = 0x10;		/* command 0x0010 */
	GT_EQ(chsc(page), 0, "CHSC SCSC: cc 0");
	GT_EQ(page[16] << 8 | page[17], 4080, "CHSC SCSC: response length");
	GT_EQ(page[18] << 8 | page[19], 1, "CHSC SCSC: response code 1");
	/* store channel-path description of CHPID 0 */
	memset(page, 0, 4096);
	page[1] = 0x10;
	page[3] = 0x02;
	GT_EQ(chsc(page), 0, "CHSC SCPD: cc 0");
	GT_EQ(page[18] << 8 | page[19], 1, "CHSC SCPD: response code 1");
	GT_EQ(*(uint32_t *)(page + 24), 0x80003200, "CHSC SCPD: CHPID 0 type 0x32");
	/* an unknown command: not installed */
	memset(page, 0, 4096);
	page[1] = 0x10;
	page[2] = 0x0f;
	page[3] = 0xff;
	chsc(page);
	GT_EQ(page[18] << 8 | page[19], 4, "CHSC unknown command: code 4");
	page[1] = 0x0c;		/* a length below 16 */
	chsc(page);
	GT_EQ(gt_pgm_take(), 0x15, "CHSC with length 12: operand");
	chsc(page + 8);
	GT_EQ(gt_pgm_take(), 0x06, "CHSC not on a page boundary: specification");
	GT_EQ(virtio_notify(0x00010005U, 0), -22, "DIAG 0x500 for no device: -EINVAL");
	GT_EQ(virtio_notify(SCHID0, 0), 0, "DIAG 0x500 for the disk: 0");
}

void gt_main(void)
{
	gt_pgm_install();
	check_stsch();
	check_disabled();
	check_msch();
	check_sense_id();
	check_interruption();
	check_chains();
	check_reject();
	check_ida();
	check_functions();
	check_orb();
	check_misc();
	gt_done();
}
