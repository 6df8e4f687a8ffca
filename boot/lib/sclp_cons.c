// SPDX-License-Identifier: MIT
/*
 * SCLP console: ASCII console events (type 0x1a) or line-mode message
 * events (type 0x02, EBCDIC message text objects, one per line).
 */
#include "libboot.h"

/* Message data block pieces of a line-mode message event. */
struct mdb_header {
	uint16_t length;
	uint16_t type;			/* 1 */
	uint32_t tag;			/* EBCDIC "MDB " */
	uint32_t revision_code;		/* 1 */
} __packed;
_Static_assert(sizeof(struct mdb_header) == 12, "MDB header");

struct mdb_go {				/* general object */
	uint16_t length;
	uint16_t type;			/* 1 */
	uint32_t domid;
	uint8_t hhmmss_time[8];
	uint8_t th_time[3];
	uint8_t reserved0;
	uint8_t dddyyyy_date[7];
	uint8_t reserved1;
	uint16_t general_msg_flags;
	uint8_t reserved2[10];
	uint8_t originating_system_name[8];
	uint8_t job_guest_name[8];
} __packed;
_Static_assert(sizeof(struct mdb_go) == 56, "MDB general object");

struct mdb_mto {			/* message text object */
	uint16_t length;
	uint16_t type;			/* 4 */
	uint16_t line_type_flags;
	uint8_t alarm_control;
	uint8_t reserved[3];
} __packed;
_Static_assert(sizeof(struct mdb_mto) == 10, "MDB message text object");

#define MDB_TAG_EBCDIC		0xd4c4c240	/* "MDB " */
#define MDB_TYPE_GO		1
#define MDB_TYPE_MTO		4
#define MTO_FLAG_ENDTEXT	0x1000

#define EV_HDR_END (sizeof(struct sccb_header) + sizeof(struct evbuf_header))
#define LM_HDR_END (EV_HDR_END + sizeof(struct mdb_header) + \
		    sizeof(struct mdb_go))

static unsigned int cons_kind;

static int write_mask(uint32_t send)
{
	struct sccb_event_mask *m = sclp_sccb();

	if (!m)
		return -1;
	memset(m, 0, sizeof(*m));
	m->h.length = sizeof(*m);
	m->mask_length = 4;
	m->cp_receive_mask = 0;
	m->cp_send_mask = send;
	if (sclp_service_call(SCLP_CMD_WRITE_EVENT_MASK, m) ||
	    m->h.response_code != SCLP_RC_NORMAL)
		return -1;
	return 0;
}

int sclp_console_setup(unsigned int want)
{
	struct sccb_event_mask *m = sclp_sccb();
	uint32_t send = 0;

	cons_kind = 0;
	if (want & SCLP_CONS_ASCII)
		send |= SCLP_EVMASK(SCLP_EVTYP_ASCII);
	if (want & SCLP_CONS_LINEMODE)
		send |= SCLP_EVMASK(SCLP_EVTYP_MSG);
	if (!send || write_mask(send))
		return -1;
	/* The SCLP tells which of our event types it accepts. */
	if ((want & SCLP_CONS_ASCII) &&
	    (m->sclp_receive_mask & SCLP_EVMASK(SCLP_EVTYP_ASCII)))
		cons_kind = SCLP_CONS_ASCII;
	else if ((want & SCLP_CONS_LINEMODE) &&
		 (m->sclp_receive_mask & SCLP_EVMASK(SCLP_EVTYP_MSG)))
		cons_kind = SCLP_CONS_LINEMODE;
	return cons_kind ? 0 : -1;
}

void sclp_console_disable(void)
{
	if (cons_kind)
		write_mask(0);
	cons_kind = 0;
}

bool sclp_console_ready(void)
{
	return cons_kind != 0;
}

static int send_event(uint8_t *page, size_t total, uint8_t type)
{
	struct sccb_header *h = (struct sccb_header *)page;
	struct evbuf_header *ev = (struct evbuf_header *)(h + 1);

	h->length = (uint16_t)total;
	h->function_code = 0;		/* normal write */
	ev->length = (uint16_t)(total - sizeof(*h));
	ev->type = type;
	if (sclp_service_call(SCLP_CMD_WRITE_EVENT_DATA, page) ||
	    h->response_code != SCLP_RC_NORMAL)
		return -1;
	return 0;
}

static int ascii_write(uint8_t *page, const char *s, size_t n)
{
	const size_t room = PAGE_SIZE - EV_HDR_END;

	while (n) {
		size_t len = n < room ? n : room;

		memset(page, 0, EV_HDR_END);
		memcpy(page + EV_HDR_END, s, len);
		if (send_event(page, EV_HDR_END + len, SCLP_EVTYP_ASCII))
			return -1;
		s += len;
		n -= len;
	}
	return 0;
}

/* One SCCB with as many lines of @s as fit; returns bytes consumed. */
static size_t linemode_fill(uint8_t *page, const char *s, size_t n,
			    size_t *total)
{
	size_t off = LM_HDR_END;
	size_t used = 0;

	while (used < n) {
		const char *line = s + used;
		size_t len = 0, take;
		struct mdb_mto *mto;

		while (used + len < n && line[len] != '\n')
			len++;
		take = len;
		if (off + sizeof(*mto) + len > PAGE_SIZE) {
			if (off != LM_HDR_END)
				break;
			/* A line longer than a whole SCCB: split it. */
			take = len = PAGE_SIZE - off - sizeof(*mto);
		} else if (used + len < n) {
			take++;			/* eat the '\n' */
		}
		mto = (struct mdb_mto *)(page + off);
		memset(mto, 0, sizeof(*mto));
		mto->length = (uint16_t)(sizeof(*mto) + len);
		mto->type = MDB_TYPE_MTO;
		mto->line_type_flags = MTO_FLAG_ENDTEXT;
		boot_ascii_to_ebcdic((uint8_t *)(mto + 1), line, len);
		off += sizeof(*mto) + len;
		used += take;
	}
	*total = off;
	return used;
}

static int linemode_write(uint8_t *page, const char *s, size_t n)
{
	while (n) {
		struct mdb_header *mdb = (struct mdb_header *)(page +
							       EV_HDR_END);
		struct mdb_go *go = (struct mdb_go *)(mdb + 1);
		size_t total, used;

		memset(page, 0, LM_HDR_END);
		used = linemode_fill(page, s, n, &total);
		mdb->length = (uint16_t)(total - EV_HDR_END);
		mdb->type = 1;
		mdb->tag = MDB_TAG_EBCDIC;
		mdb->revision_code = 1;
		go->length = sizeof(*go);
		go->type = MDB_TYPE_GO;
		if (send_event(page, total, SCLP_EVTYP_MSG))
			return -1;
		s += used;
		n -= used;
	}
	return 0;
}

int sclp_console_write(const char *s, size_t n)
{
	uint8_t *page = sclp_sccb();

	if (!page || !cons_kind)
		return -1;
	if (cons_kind == SCLP_CONS_ASCII)
		return ascii_write(page, s, n);
	return linemode_write(page, s, n);
}
