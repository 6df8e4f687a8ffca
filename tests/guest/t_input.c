// SPDX-License-Identifier: MIT
/*
 * SCLP console input (machine unit test; the host feeds "hello pvboot\n"
 * on the console input before the run):
 *  - input waits until the guest's receive mask takes VT220 events;
 *  - a command's service signal keeps its SCCB address when input arrives
 *    before that signal is delivered (the parameter then also carries the
 *    event-pending bit);
 *  - READ EVENT DATA answers 0x0020 with one type-0x1a event whose data
 *    open with the session byte 0x00, as Linux's sclp_vt220 wants them,
 *    honours the variable-length bit, and answers 0x60f0 when empty.
 */
#include "gt.h"
#include "libboot_pv.h"

const char gt_name[] = "T-INPUT";

#define SCCB ((uint8_t *)GT_PAGE_A)
#define CR0_CKC 0x800ULL		/* CR0 bit 52 */
#define EXT_CODE_CKC 0x1004
#define RC_NORMAL 0x0020
#define RC_NO_EVENTS 0x60f0
#define TEXT "hello pvboot\n"

static int servc(uint32_t cmd, void *sccb)
{
	int cc;

	asm volatile(".insn rre,0xb2200000,%[cmd],%[sccb]\n"
		     "ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc)
		     : [cmd] "d"((uint64_t)cmd), [sccb] "a"(sccb)
		     : "cc", "memory");
	return cc;
}

static uint64_t stck(void)
{
	uint64_t t;

	asm volatile("stck %0" : "=Q"(t) : : "cc");
	return t;
}

static void sckc(uint64_t t)
{
	asm volatile(".insn s,0xb2060000,%0" : : "Q"(t));
}

/* Wait with only @subclass enabled in CR0; returns the external code. */
static uint16_t wait_for(uint64_t subclass)
{
	uint64_t cr0 = ctl0_get();

	ctl0_set((cr0 & ~(CR0_SERVICE_SIGNAL | CR0_CKC)) | subclass);
	LC_U16(LC_EXT_CODE) = 0;
	boot_ext_wait();
	ctl0_set(cr0 & ~(CR0_SERVICE_SIGNAL | CR0_CKC));
	return LC_U16(LC_EXT_CODE);
}

/* A service call whose signal the caller takes. */
static void start(uint32_t cmd, void *sccb)
{
	GT_EQ(servc(cmd, sccb), 0, "SERVC condition code");
}

/* READ EVENT DATA into the SCCB page; returns the response code. */
static uint16_t read_events(bool variable)
{
	struct sccb_header *h = (struct sccb_header *)SCCB;

	memset(SCCB, 0, PAGE_SIZE);
	h->length = PAGE_SIZE;
	if (variable)
		h->control_mask[2] = 0x80;
	start(SCLP_CMD_READ_EVENT_DATA, h);
	GT_EQ(wait_for(CR0_SERVICE_SIGNAL), EXT_CODE_SERVICE_SIGNAL,
	      "read: service signal");
	GT_EQ(LC_U32(LC_EXT_PARAM) & ~3U, (uint32_t)(uintptr_t)SCCB,
	      "read: SCCB address in the parameter");
	return h->response_code;
}

void gt_main(void)
{
	struct sccb_event_mask *m = (struct sccb_event_mask *)SCCB;
	struct sccb_header *h = (struct sccb_header *)SCCB;
	uint8_t *ev = SCCB + sizeof(*h);
	size_t n = sizeof(TEXT) - 1;

	/* No receive mask yet: the input must wait. */
	GT_EQ(read_events(false), RC_NO_EVENTS, "input before the mask");

	/*
	 * Ask for VT220 input with the service-signal subclass off, so that
	 * the command's signal stays pending; the input becomes pending too
	 * while the CPU waits for a clock-comparator interruption.
	 */
	memset(SCCB, 0, PAGE_SIZE);
	m->h.length = sizeof(*m);
	m->mask_length = 4;
	m->cp_receive_mask = SCLP_EVMASK(SCLP_EVTYP_ASCII);
	m->cp_send_mask = SCLP_EVMASK(SCLP_EVTYP_ASCII);
	start(SCLP_CMD_WRITE_EVENT_MASK, m);
	sckc(stck() + (20000ULL << 12));	/* 20 ms */
	GT_EQ(wait_for(CR0_CKC), EXT_CODE_CKC, "clock comparator");
	sckc(~0ULL);
	GT_EQ(wait_for(CR0_SERVICE_SIGNAL), EXT_CODE_SERVICE_SIGNAL,
	      "mask: service signal");
	GT_EQ(LC_U32(LC_EXT_PARAM), (uint32_t)(uintptr_t)SCCB | 1,
	      "mask: SCCB address and event pending");
	GT_EQ(h->response_code, RC_NORMAL, "write event mask");

	/* The input: one event, session byte 0x00, then the text. */
	GT_EQ(read_events(true), RC_NORMAL, "read event data");
	GT_EQ(h->length, sizeof(*h) + 6 + 1 + n, "variable length");
	GT_EQ(*(uint16_t *)ev, 6 + 1 + n, "event length");
	GT_EQ(ev[2], SCLP_EVTYP_ASCII, "event type");
	GT_EQ(ev[6], 0x00, "session byte: data follow");
	gt_check(!memcmp(ev + 7, TEXT, n), "input text");
	GT_EQ(h->control_mask[2] & 0x80, 0, "variable-length bit cleared");

	/* All read: nothing more, and the signal no longer says pending. */
	GT_EQ(read_events(false), RC_NO_EVENTS, "input consumed");
	GT_EQ(LC_U32(LC_EXT_PARAM) & 3, 0, "no event pending");
}
