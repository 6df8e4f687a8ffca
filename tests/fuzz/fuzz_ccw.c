// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for channel programs and virtqueues: what a guest
 * puts in its memory reaches the channel subsystem (css_ccw.c: CCW
 * fetch in both formats, chaining, TIC, IDAW lists, suspend) and the
 * virtio-ccw transport with the virtio-blk device (virtio_ccw.c,
 * virtio_ring.c, virtio_blk.c: every channel command, then descriptor
 * chains that read and write a disk file).  One machine with 1 MiB of
 * RAM and a 64 KiB disk serves every input; the subsystem is reset and
 * the memory cleared first.
 *
 * Input:
 *   [0]      ORB ctrl0 low byte: 0x80 format 1, 0x02 format-2 IDAWs,
 *            0x01 2 KiB IDAWs, 0x08 suspend control (as 0x0800)
 *   [1]      path mask
 *   [2..3]   channel program address (in the memory below, 8-aligned)
 *   [4]      steps: bit 0 concurrent sense, 1 RSCH after, 2 HSCH,
 *            3 CSCH, 4 notify queue 0, 5 notify queue 1, 6 a second SSCH
 *   [5..]    bytes written to guest memory at 0x10000 (<= 128 KiB)
 * Afterwards: a pending interruption must belong to a status-pending
 * subchannel, and nothing beyond guest memory was touched (ASan).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvboot/be.h"
#include "pvboot/machine.h"

#include "../../machine/machine_priv.h"
#include "../../machine/io.h"

#define RAM (1ULL << 20)
#define MEM_AT 0x10000ULL
#define MEM_MAX (128ULL << 10)
#define HDR_LEN 5

static struct pv_machine *m;
static char disk[64];

static int init_once(void)
{
	struct pv_machine_disk d;
	struct pv_machine_opts o = { .mem_size = RAM, .input_fd = -1 };
	static uint8_t image[0x11000];
	uint8_t zero[4096] = { 0 };
	int fd;

	if (m)
		return 0;
	snprintf(disk, sizeof(disk), "/tmp/pvboot-fuzz-ccw.XXXXXX");
	fd = mkstemp(disk);
	if (fd < 0)
		abort();
	for (int i = 0; i < 16; i++)
		if (write(fd, zero, sizeof(zero)) != (ssize_t)sizeof(zero))
			abort();
	close(fd);
	d.path = disk;
	d.readonly = false;
	o.disks = &d;
	o.ndisks = 1;
	pv_put_be64(image, 0x0008000180010000ULL);
	if (pv_machine_new(&m, &o, NULL) ||
	    pv_machine_load_buffer(m, image, sizeof(image), NULL))
		abort();
	unlink(disk);	/* the open file stays */
	return 0;
}

static void enable(struct subch *sch, bool csense)
{
	uint8_t schib[SCHIB_SIZE];

	css_stsch(sch, schib);
	pv_put_be16(schib + 4, (uint16_t)(pv_get_be16(schib + 4) |
					  PMCW_FLAGS_ENA | (3 << 11)));
	pv_put_be32(schib + 24, csense ? PMCW_CHARS_CSENSE : 0);
	css_msch(sch, schib);
}

static void drain(struct subch *sch)
{
	uint8_t irb[IRB_SIZE];
	unsigned int len;

	for (int i = 0; i < 4 && css_tsch(sch, irb, &len) == 0; i++)
		;
}

static void check_pending(void)
{
	struct css *c = &m->io->css;

	for (unsigned int i = 0; i < c->nsch; i++)
		if (c->sch[i]->irq &&
		    !(c->sch[i]->scsw.ctrl & SCSW_STCTL_STATUS_PEND))
			abort();
	if (!c->sch[0]->irq && m->flic.io_pending)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct subch *sch;
	struct orb orb;
	size_t n;
	uint8_t steps;

	init_once();
	if (size < HDR_LEN)
		return 0;
	css_reset(m);
	sch = css_find(m, 0x00010000);
	memset(m->ram + MEM_AT, 0, MEM_MAX);
	n = size - HDR_LEN;
	memcpy(m->ram + MEM_AT, data + HDR_LEN, n < MEM_MAX ? n : MEM_MAX);
	steps = data[4];
	enable(sch, steps & 1);
	memset(&orb, 0, sizeof(orb));
	orb.intparm = 0x1234;
	orb.ctrl0 = (uint16_t)((data[0] & 0x83) | (data[0] & 0x08 ? 0x0800 : 0));
	orb.lpm = data[1];
	orb.cpa = (uint32_t)(MEM_AT + (pv_get_be16(data + 2) & ~7U));
	css_ssch(sch, &orb);
	check_pending();
	if (steps & 2) {
		/* resume a suspended program (cc 2 if there is none) */
		drain(sch);
		css_function(sch, 0xb238);
		check_pending();
	}
	if (steps & 4) {
		css_function(sch, 0xb231);	/* HSCH */
		check_pending();
	}
	if (steps & 8) {
		css_function(sch, 0xb230);	/* CSCH */
		check_pending();
	}
	if (steps & 0x40) {
		drain(sch);
		css_ssch(sch, &orb);
	}
	if (steps & 0x10)
		virtio_ccw_notify(m, 0x00010000, 0);
	if (steps & 0x20)
		virtio_ccw_notify(m, 0x00010000, 1);
	check_pending();
	drain(sch);
	check_pending();
	return 0;
}
