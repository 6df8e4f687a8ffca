// SPDX-License-Identifier: MIT
/*
 * The SCLP commands Linux sends at boot and shutdown (the SCLP interface
 * as Linux's drivers/s390/char/sclp*.c use it):
 *  - READ SCP INFO: memory = rnmax * rnsize MiB (gt_parms' size when the
 *    host passes it), CPU entries at the given offset, as many as READ CPU
 *    INFO configures, with addresses 0..n-1;
 *  - READ CPU INFO (0x00010001): n configured CPUs, entries at the given
 *    offset with their CPU addresses, no standby CPUs;
 *  - WRITE EVENT MASK as Linux registers its listeners: the SCLP can
 *    receive VT220 (0x1a) console data (line mode 0x02 depends on the
 *    configured consoles) and send
 *    VT220 input (0x1a) and the signal-quiesce event (0x1d) that asks for
 *    a shutdown;
 *  - READ EVENT DATA with nothing pending: 0x60f0.
 * Console data in both directions: t_sclp.c and t_input.c.
 */
#include "at.h"

const char gt_name[] = "A-SCLP";

#define SCCB ((uint8_t *)GT_PAGE_A)
#define EVMASK(t) (0x80000000U >> ((t) - 1))

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void gt_main(void)
{
	const struct gt_parms *parms = gt_parms();
	struct sccb_header *h = (struct sccb_header *)SCCB;
	struct sccb_event_mask *m = (struct sccb_event_mask *)SCCB;
	unsigned int n = at_cpu_count(), off, cnt;
	uint64_t mem;

	gt_check(n >= 1, "READ CPU INFO: %u CPUs", n);
	if (parms && parms->variant)
		GT_EQ(n, parms->variant, "configured CPUs = --smp");
	off = be16(SCCB + 10);
	for (unsigned int i = 0; i < n; i++)
		GT_EQ(SCCB[off + 16 * i], i, "READ CPU INFO: CPU address");
	GT_EQ(be16(SCCB + 12), 0, "READ CPU INFO: standby CPUs");

	memset(SCCB, 0, PAGE_SIZE);
	h->length = PAGE_SIZE;
	GT_EQ(at_servc(SCLP_CMD_READ_SCP_INFO_FORCED, h), SCLP_RC_NORMAL_READ,
	      "READ SCP INFO response");
	mem = (uint64_t)be16(SCCB + 8) * SCCB[10];
	if (!mem)
		mem = *(uint64_t *)(SCCB + 104) * *(uint32_t *)(SCCB + 100);
	if (parms)
		GT_EQ(mem << 20, parms->ram_size, "READ SCP INFO memory");
	else
		gt_check(mem >= 16, "READ SCP INFO memory %llu MiB",
			 (unsigned long long)mem);
	cnt = be16(SCCB + 16);
	off = be16(SCCB + 18);
	GT_EQ(cnt, n, "READ SCP INFO: CPU entries");
	for (unsigned int i = 0; i < cnt && i < n; i++)
		GT_EQ(SCCB[off + 16 * i], i, "READ SCP INFO: CPU address");

	memset(SCCB, 0, PAGE_SIZE);
	m->h.length = sizeof(*m);
	m->mask_length = 4;
	m->cp_receive_mask = EVMASK(0x1a) | EVMASK(0x1d);
	m->cp_send_mask = EVMASK(0x02) | EVMASK(0x1a);
	GT_EQ(at_servc(SCLP_CMD_WRITE_EVENT_MASK, m), SCLP_RC_NORMAL,
	      "WRITE EVENT MASK");
	gt_check(m->sclp_receive_mask & EVMASK(0x1a),
		 "SCLP receive mask 0x%08x: no VT220 data", m->sclp_receive_mask);
	gt_check(m->sclp_send_mask & EVMASK(0x1a),
		 "SCLP send mask 0x%08x: no VT220 input", m->sclp_send_mask);
	gt_check(m->sclp_send_mask & EVMASK(0x1d),
		 "SCLP send mask 0x%08x: no signal quiesce", m->sclp_send_mask);

	memset(SCCB, 0, PAGE_SIZE);
	h->length = PAGE_SIZE;
	GT_EQ(at_servc(0x00770005, h), 0x60f0, "READ EVENT DATA, nothing pending");
	sclp_console_setup(SCLP_CONS_ASCII);
}
