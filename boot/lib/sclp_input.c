// SPDX-License-Identifier: MIT
/*
 * Console input: ASCII console data events (type 0x1a) read with READ
 * EVENT DATA, as Linux's sclp_vt220 reads them from QEMU's sclpconsole.
 * The guest announces the event type in its receive mask; the SCLP then
 * signals pending input with a service-signal interruption.
 */
#include "libboot_pv.h"

#define SCCB_VARIABLE_LENGTH	0x80	/* control mask byte 2 */
#define VT220_SESSION_DATA	0x00

static char in[PAGE_SIZE];
static size_t in_len, in_pos;

int sclp_input_enable(void)
{
	struct sccb_event_mask *m = sclp_sccb();
	uint32_t ascii = SCLP_EVMASK(SCLP_EVTYP_ASCII);

	memset(m, 0, sizeof(*m));
	m->h.length = sizeof(*m);
	m->mask_length = 4;
	m->cp_receive_mask = ascii;
	m->cp_send_mask = ascii | SCLP_EVMASK(SCLP_EVTYP_MSG);
	if (sclp_service_call(SCLP_CMD_WRITE_EVENT_MASK, m) ||
	    m->h.response_code != SCLP_RC_NORMAL ||
	    !(m->sclp_send_mask & ascii))
		return -1;
	return 0;
}

/*
 * One READ EVENT DATA: the data of the type-0x1a buffers go to in[].
 * 0: read (maybe nothing), -1: refused.  With no events it waits, enabled,
 * for the service signal that announces input.
 */
static int read_events(void)
{
	struct sccb_header *h = sclp_sccb();
	uint8_t *p = (uint8_t *)(h + 1), *end;
	uint64_t cr0;

	memset(h, 0, sizeof(*h));
	h->length = PAGE_SIZE;
	h->control_mask[2] = SCCB_VARIABLE_LENGTH;
	if (sclp_service_call(SCLP_CMD_READ_EVENT_DATA, h))
		return -1;
	if (h->response_code == SCLP_RC_NO_EVENTS) {
		cr0 = ctl0_get();
		ctl0_set(cr0 | CR0_SERVICE_SIGNAL);
		boot_ext_wait();
		ctl0_set(cr0);
		return 0;
	}
	/* Events stored: 0x0020, or 0x0220 with more pending (what Linux's
	 * sclp_read_cb accepts). */
	if (h->response_code != SCLP_RC_NORMAL &&
	    h->response_code != (SCLP_RC_NORMAL | 0x0200))
		return -1;
	end = (uint8_t *)h + (h->length < PAGE_SIZE ? h->length : PAGE_SIZE);
	while (p + sizeof(struct evbuf_header) < end) {
		struct evbuf_header *ev = (struct evbuf_header *)p;
		size_t n = ev->length - sizeof(*ev);

		if (ev->length <= sizeof(*ev) || p + ev->length > end)
			break;
		/* The data open with a session byte; 0x00 says terminal
		 * data follow (0x80 session started, 0x01 ended), as for
		 * Linux's sclp_vt220. */
		if (ev->type == SCLP_EVTYP_ASCII && n > 1 &&
		    *(uint8_t *)(ev + 1) == VT220_SESSION_DATA &&
		    n - 1 <= PAGE_SIZE - in_len) {
			memcpy(in + in_len, (uint8_t *)(ev + 1) + 1, n - 1);
			in_len += n - 1;
		}
		p += ev->length;
	}
	return 0;
}

int sclp_read_line(char *buf, size_t max)
{
	size_t len = 0;

	for (;;) {
		while (in_pos < in_len) {
			char c = in[in_pos++];

			if (c == '\n' || c == '\r') {
				buf[len] = 0;
				return (int)len;
			}
			if (len < max - 1)
				buf[len++] = c;
		}
		in_len = in_pos = 0;
		if (read_events())
			return -1;
	}
}
