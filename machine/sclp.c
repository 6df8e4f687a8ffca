// SPDX-License-Identifier: MIT
/*
 * SCLP (SERVICE CALL): the hypervisor's console and machine information
 * (guest-boot-probe.md §0, §A, §4.3).  Commands: READ SCP INFO (plain and
 * forced), READ CPU INFO, WRITE EVENT MASK, WRITE EVENT DATA (VT220/ASCII
 * 0x1a and line-mode 0x02), READ EVENT DATA (console input as VT220
 * events, as QEMU's sclpconsole delivers it); anything else answers
 * 0x01f0.  Every SERVC makes the service signal pending; input arriving
 * makes it pending with the "event pending" bit in its parameter.
 *
 * Non-protected guests: the hypervisor reads and writes the SCCB in guest
 * memory (through the UV's host-access check).  Protected guests: the UV
 * copies the SCCB into the CPU's SIDA page and back, and the hypervisor
 * works on the SIDA only (pv-machine-and-uv.md §4.10).
 */
#include <errno.h>
#include <string.h>

#include "pvboot/be.h"

#include "machine_priv.h"

#define SCLP_CMD_READ_CPU_INFO 0x00010001U
#define SCLP_CMD_READ_SCP_INFO 0x00020001U
#define SCLP_CMD_READ_SCP_INFO_FORCED 0x00120001U
#define SCLP_CMD_WRITE_EVENT_DATA 0x00760005U
#define SCLP_CMD_READ_EVENT_DATA 0x00770005U
#define SCLP_CMD_WRITE_EVENT_MASK 0x00780005U

#define RC_NORMAL_READ 0x0010
#define RC_NORMAL 0x0020
#define RC_BOUNDARY 0x0300
#define RC_INVALID_COMMAND 0x01f0
#define RC_INVALID_FUNCTION 0x40f0
#define RC_NO_EVENTS 0x60f0
#define RC_EVENT_SYNTAX 0x62f0
#define RC_INVALID_MASK_LEN 0x74f0

#define SCCB_MAX 4096U
#define SCCB_RESPONSE 6

#define EV_OPCMD 0x01
#define EV_MSG 0x02
#define EV_ASCII 0x1a
#define VT220_SESSION_DATA 0x00	/* first byte of VT220 input data */
#define EV_QUIESCE 0x1d
#define EV_MASK(t) (0x80000000U >> ((t) - 1))
#define EV_ACCEPTED 0x80

/* What this SCLP can receive from, and send to, the guest. */
#define SCLP_RECEIVE_MASK (EV_MASK(EV_MSG) | EV_MASK(EV_ASCII))
#define SCLP_SEND_MASK (EV_MASK(EV_OPCMD) | EV_MASK(EV_ASCII) | \
			EV_MASK(EV_QUIESCE))

#define SCP_INFO_CPU_OFF 128
#define SCP_INFO_FACILITIES 0x0c00000000000000ULL	/* CPU info cmds */
#define CPU_ENTRY_LEN 16

void sclp_reset(struct pv_machine *m)
{
	sclp_flush(m);
	m->sclp.cp_receive_mask = 0;
	m->sclp.cp_send_mask = 0;
	m->sclp.in_len = 0;
	m->flic.service = false;
}

/* ---- console text ------------------------------------------------------- */

static void con_out(struct pv_machine *m, const char *s, size_t n)
{
	if (!n)
		return;
	fwrite(s, 1, n, m->con);
	fflush(m->con);
	if (m->transcript && !m->transcript_errno &&
	    (fwrite(s, 1, n, m->transcript) != n || fflush(m->transcript)))
		m->transcript_errno = errno ? errno : EIO;
	m->sclp.at_line_start = s[n - 1] == '\n';
}

/* Length of @s without trailing blanks, CR and LF (for comparisons). */
static size_t trimmed(const char *s, size_t n)
{
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
		     s[n - 1] == ' '))
		n--;
	return n;
}

static bool same_text(const char *a, size_t an, const char *b, size_t bn)
{
	an = trimmed(a, an);
	bn = trimmed(b, bn);
	return an == bn && !memcmp(a, b, an);
}

/* Print line-mode text held back for de-duplication. */
void sclp_flush(struct pv_machine *m)
{
	struct sclp *c = &m->sclp;

	if (!c->have_pending)
		return;
	con_out(m, c->pending, c->pending_len);
	c->have_pending = false;
	c->pending_len = 0;
}

/*
 * Guests that register both line-mode and ASCII output write every message
 * twice (stage3a does, guest-boot-probe.md §A.6).  The line-mode copy is
 * held back until the next message: if that is the same text in ASCII,
 * only the ASCII copy is printed.
 */
static void con_ascii(struct pv_machine *m, const char *s, size_t n)
{
	struct sclp *c = &m->sclp;
	char clean[SCCB_MAX] = "";
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] && s[i] != '\r')
			clean[k++] = s[i];
	if (c->have_pending &&
	    same_text(c->pending, c->pending_len, clean, k)) {
		c->have_pending = false;
		c->pending_len = 0;
	}
	sclp_flush(m);
	con_out(m, clean, k);
	c->last_ascii_len = k < sizeof(c->last_ascii) ? k : 0;
	memcpy(c->last_ascii, clean, c->last_ascii_len);
}

static void con_line(struct pv_machine *m, const char *s, size_t n)
{
	struct sclp *c = &m->sclp;
	bool both = (c->cp_send_mask & EV_MASK(EV_ASCII)) &&
		    (c->cp_send_mask & EV_MASK(EV_MSG));

	sclp_flush(m);
	if (c->last_ascii_len &&
	    same_text(c->last_ascii, c->last_ascii_len, s, n)) {
		c->last_ascii_len = 0;
		return;
	}
	if (!both || n > sizeof(c->pending)) {
		con_out(m, s, n);
		return;
	}
	memcpy(c->pending, s, n);
	c->pending_len = n;
	c->have_pending = true;
}

/* EBCDIC code page 037 to ASCII; unmapped bytes become '.'. */
static char ebcdic(uint8_t b)
{
	static const char *const upper = "ABCDEFGHI";
	static const char *const mid = "JKLMNOPQR";
	static const char *const low = "STUVWXYZ";

	if (b >= 0x81 && b <= 0x89)
		return (char)('a' + b - 0x81);
	if (b >= 0x91 && b <= 0x99)
		return (char)('j' + b - 0x91);
	if (b >= 0xa2 && b <= 0xa9)
		return (char)('s' + b - 0xa2);
	if (b >= 0xc1 && b <= 0xc9)
		return upper[b - 0xc1];
	if (b >= 0xd1 && b <= 0xd9)
		return mid[b - 0xd1];
	if (b >= 0xe2 && b <= 0xe9)
		return low[b - 0xe2];
	if (b >= 0xf0 && b <= 0xf9)
		return (char)('0' + b - 0xf0);
	switch (b) {
	case 0x40: return ' ';
	case 0x4a: return '[';
	case 0x4b: return '.';
	case 0x4c: return '<';
	case 0x4d: return '(';
	case 0x4e: return '+';
	case 0x4f: return '|';
	case 0x50: return '&';
	case 0x5a: return '!';
	case 0x5b: return '$';
	case 0x5c: return '*';
	case 0x5d: return ')';
	case 0x5e: return ';';
	case 0x5f: return '^';
	case 0x60: return '-';
	case 0x61: return '/';
	case 0x6b: return ',';
	case 0x6c: return '%';
	case 0x6d: return '_';
	case 0x6e: return '>';
	case 0x6f: return '?';
	case 0x79: return '`';
	case 0x7a: return ':';
	case 0x7b: return '#';
	case 0x7c: return '@';
	case 0x7d: return '\'';
	case 0x7e: return '=';
	case 0x7f: return '"';
	case 0xa1: return '~';
	case 0xad: return '[';		/* CP 1047 */
	case 0xbd: return ']';
	case 0xba: return '[';		/* CP 037, Linux's line mode */
	case 0xbb: return ']';
	case 0xc0: return '{';
	case 0xd0: return '}';
	case 0xe0: return '\\';
	case 0x15:
	case 0x25: return '\n';
	case 0x05: return '\t';
	default: return '.';
	}
}

/* Line-mode message: MDB header, then GO and MTO objects (type 4). */
static uint16_t event_msg(struct pv_machine *m, const uint8_t *ev,
			  uint16_t elen)
{
	char line[SCCB_MAX];
	uint32_t off = 6 + 12;

	if (elen < off)
		return RC_EVENT_SYNTAX;
	while (off + 4 <= elen) {
		uint16_t olen = pv_get_be16(ev + off);
		uint16_t type = pv_get_be16(ev + off + 2);
		size_t n = 0;

		if (olen < 4 || off + olen > elen)
			return RC_EVENT_SYNTAX;
		if (type == 4 && olen >= 10) {
			for (uint32_t i = 10; i < olen; i++)
				line[n++] = ebcdic(ev[off + i]);
			line[n++] = '\n';
			con_line(m, line, n);
		}
		off += olen;
	}
	return RC_NORMAL;
}

static uint16_t write_event_data(struct pv_machine *m, uint8_t *sccb,
				 uint16_t len)
{
	uint32_t off = 8;

	if (sccb[2] != 0)
		return RC_INVALID_FUNCTION;
	/* Check every buffer first, as QEMU does, then process them. */
	while (off < len) {
		uint16_t elen;

		if (off + 6 > len)
			return RC_EVENT_SYNTAX;
		elen = pv_get_be16(sccb + off);
		if (elen < 6 || off + elen > len)
			return RC_EVENT_SYNTAX;
		off += elen;
	}
	for (off = 8; off < len; off += pv_get_be16(sccb + off)) {
		uint8_t *ev = sccb + off;
		uint16_t elen = pv_get_be16(ev), rc;

		switch (ev[2]) {
		case EV_ASCII:
			con_ascii(m, (const char *)ev + 6, elen - 6U);
			rc = RC_NORMAL;
			break;
		case EV_MSG:
			rc = event_msg(m, ev, elen);
			break;
		default:
			rc = RC_INVALID_FUNCTION;
			break;
		}
		if (rc != RC_NORMAL)
			return rc;
		ev[3] |= EV_ACCEPTED;
	}
	return RC_NORMAL;
}

/* The first four bytes of a mask of @n bytes (shorter masks zero-pad). */
static uint32_t mask_get(const uint8_t *p, uint16_t n)
{
	uint8_t b[4] = { 0 };

	memcpy(b, p, n < 4 ? n : 4);
	return pv_get_be32(b);
}

static void mask_put(uint8_t *p, uint16_t n, uint32_t v)
{
	uint8_t b[4];

	pv_put_be32(b, v);
	memset(p, 0, n);
	memcpy(p, b, n < 4 ? n : 4);
}

/* WRITE EVENT MASK: take the guest's masks, answer with the SCLP's. */
static uint16_t write_event_mask(struct pv_machine *m, uint8_t *sccb,
				 uint16_t len)
{
	uint16_t n;
	uint8_t *masks = sccb + 12;

	if (len < 12)
		return RC_BOUNDARY;
	n = pv_get_be16(sccb + 10);
	if (!n || n > 1021)
		return RC_INVALID_MASK_LEN;
	if (len < 12 + 4U * n)
		return RC_BOUNDARY;
	m->sclp.cp_receive_mask = mask_get(masks, n);
	m->sclp.cp_send_mask = mask_get(masks + n, n);
	mask_put(masks + 2 * n, n, SCLP_RECEIVE_MASK);
	mask_put(masks + 3 * n, n, SCLP_SEND_MASK);
	if (m->tr)
		mach_trace(m, "  SCLP event masks: guest receive %08x send %08x",
			   m->sclp.cp_receive_mask, m->sclp.cp_send_mask);
	return RC_NORMAL;
}

/* READ SCP INFO: memory in 1 MiB increments, the CPU entries at 128. */
static uint16_t read_scp_info(struct pv_machine *m, uint8_t *sccb,
			      uint16_t len)
{
	uint64_t rnmax = m->ram_size >> 20;

	if (len < SCP_INFO_CPU_OFF + CPU_ENTRY_LEN * m->ncpus)
		return RC_BOUNDARY;
	memset(sccb + 8, 0, len - 8U);
	if (rnmax < 0x10000) {
		pv_put_be16(sccb + 8, (uint16_t)rnmax);
	} else {
		pv_put_be64(sccb + 104, rnmax);
	}
	sccb[10] = 1;				/* rnsize: 1 MiB */
	pv_put_be16(sccb + 16, (uint16_t)m->ncpus);	/* CPU entries */
	pv_put_be16(sccb + 18, SCP_INFO_CPU_OFF);
	memset(sccb + 24, 0x40, 8);		/* loadparm: EBCDIC blanks */
	pv_put_be64(sccb + 48, SCP_INFO_FACILITIES);
	pv_put_be16(sccb + 120, (uint16_t)(m->ncpus - 1));	/* top CPU */
	for (unsigned int i = 0; i < m->ncpus; i++)
		sccb[SCP_INFO_CPU_OFF + CPU_ENTRY_LEN * i] = (uint8_t)i;
	return RC_NORMAL_READ;
}

static uint16_t read_cpu_info(struct pv_machine *m, uint8_t *sccb,
			      uint16_t len)
{
	uint16_t off = 16, end = (uint16_t)(off + CPU_ENTRY_LEN * m->ncpus);

	if (len < end)
		return RC_BOUNDARY;
	memset(sccb + 8, 0, len - 8U);
	pv_put_be16(sccb + 8, (uint16_t)m->ncpus);	/* configured */
	pv_put_be16(sccb + 10, off);		/* their offset */
	pv_put_be16(sccb + 14, end);		/* standby (none) offset */
	for (unsigned int i = 0; i < m->ncpus; i++)
		sccb[off + CPU_ENTRY_LEN * i] = (uint8_t)i;
	return RC_NORMAL_READ;
}

/* ---- console input ------------------------------------------------------ */

/* Input reaches the guest once it accepts VT220 events. */
static bool input_wanted(const struct pv_machine *m)
{
	return m->sclp.cp_receive_mask & EV_MASK(EV_ASCII);
}

bool sclp_event_pending(struct pv_machine *m)
{
	return m->sclp.in_len && input_wanted(m);
}

/* The events thread has console input: take what fits, signal it. */
void sclp_input(struct pv_machine *m)
{
	struct sclp *c = &m->sclp;
	size_t n;

	if (!input_wanted(m) || c->in_len == sizeof(c->in))
		return;
	n = events_take_input(m, c->in + c->in_len, sizeof(c->in) - c->in_len);
	c->in_len += n;
	if (n)
		irq_service_signal(m, 0);
}

/*
 * READ EVENT DATA: one VT220 event with as much input as fits.  The event
 * data start with a session byte, 0x00 for "terminal data follows" (0x80
 * session started, 0x01 session ended); Linux's sclp_vt220 drops a buffer
 * that starts with anything else, and QEMU's sclpconsole sends 0x00.
 */
static uint16_t read_event_data(struct pv_machine *m, uint8_t *sccb,
				uint16_t len)
{
	struct sclp *c = &m->sclp;
	size_t room, n;

	if (!sclp_event_pending(m) || len < 8 + 6 + 2)
		return RC_NO_EVENTS;
	room = len - 8U - 6U - 1U;
	n = c->in_len < room ? c->in_len : room;
	pv_put_be16(sccb + 8, (uint16_t)(6 + 1 + n));
	sccb[10] = EV_ASCII;
	sccb[11] = 0;
	pv_put_be16(sccb + 12, 0);
	sccb[14] = VT220_SESSION_DATA;
	memcpy(sccb + 15, c->in, n);
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
	/* "Variable-length response" (control mask bit 0x80): the SCCB
	 * length becomes what was stored. */
	if (sccb[5] & 0x80) {
		sccb[5] &= 0x7f;
		pv_put_be16(sccb, (uint16_t)(8 + 6 + 1 + n));
	}
	if (atomic_load(&m->ev.input_ready))
		sclp_input(m);
	return RC_NORMAL;	/* 0x0020, what Linux's sclp_read_cb takes */
}

/* Execute @cmd on the SCCB copy in @sccb; the response goes into it. */
int sclp_execute(struct pv_machine *m, uint8_t *sccb, uint32_t cmd)
{
	uint16_t len = pv_get_be16(sccb), rc;

	switch (cmd) {
	case SCLP_CMD_READ_SCP_INFO:
	case SCLP_CMD_READ_SCP_INFO_FORCED:
		rc = read_scp_info(m, sccb, len);
		break;
	case SCLP_CMD_READ_CPU_INFO:
		rc = read_cpu_info(m, sccb, len);
		break;
	case SCLP_CMD_WRITE_EVENT_MASK:
		rc = write_event_mask(m, sccb, len);
		break;
	case SCLP_CMD_WRITE_EVENT_DATA:
		rc = write_event_data(m, sccb, len);
		break;
	case SCLP_CMD_READ_EVENT_DATA:
		rc = read_event_data(m, sccb, len);
		break;
	default:
		rc = RC_INVALID_COMMAND;
		break;
	}
	pv_put_be16(sccb + SCCB_RESPONSE, rc);
	return rc;
}

/*
 * Copy the SCCB in or out.  Protected mode: the UV's side of the SIDA,
 * which may touch the secure page; otherwise the hypervisor's checked
 * access.  Returns 0 or a program-interruption code.
 */
static int sccb_copy(struct vcpu *v, uint64_t a, uint8_t *buf, uint32_t n,
		     bool out)
{
	struct pv_machine *m = v->m;
	uint8_t *sida = hv_sida(v), *g;

	if (!m->protected_mode)
		return out ? hv_write(m, a, buf, n) : hv_read(m, a, buf, n);
	g = mem_abs(m, a, n);
	if (!g)
		return PGM_ADDRESSING;
	if (out) {
		memcpy(g, sida, n);
		codemap_written(m, a, n);
	} else {
		memcpy(sida, g, n);
		memcpy(buf, sida, n);
	}
	return 0;
}

/*
 * SERVICE CALL (QEMU sclp_service_call): the SCCB must not be in the
 * lowcore pages, must be on a doubleword boundary below 2 GiB, fit in
 * RAM and have a length of at least 8; an SCCB crossing its page gets
 * the boundary-violation response.
 */
uint32_t sclp_servc(struct vcpu *v, uint64_t a, uint64_t cmd, uintptr_t ra)
{
	struct pv_machine *m = v->m;
	uint8_t sccb[SCCB_MAX];
	uint16_t len;
	int rc;

	m->st.sclp_calls++;
	if ((a & ~0x1fffULL) == 0 || (a & ~0x1fffULL) == vcpu_prefix(v) ||
	    (a & ~0x7ffffff8ULL))
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	rc = sccb_copy(v, a, sccb, 8, false);
	if (rc)
		vcpu_raise(v, (uint16_t)rc, ra);
	len = pv_get_be16(sccb);
	if (len < 8)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	if (m->tr)
		mach_trace(m, "cpu %u SCLP command 0x%08x SCCB 0x%llx len %u",
			   v->id, (uint32_t)cmd, (unsigned long long)a, len);
	if (len > SCCB_MAX || (a & 0xfff) + len > 4096) {
		/* The SCCB crosses a page: boundary violation. */
		pv_put_be16(sccb + SCCB_RESPONSE, RC_BOUNDARY);
		len = 8;
	} else {
		rc = sccb_copy(v, a, sccb, len, false);
		if (rc)
			vcpu_raise(v, (uint16_t)rc, ra);
		sclp_execute(m, sccb, (uint32_t)cmd);
		if (pv_get_be16(sccb) < len)
			len = pv_get_be16(sccb);
	}
	if (m->protected_mode)
		memcpy(hv_sida(v), sccb, len);
	rc = sccb_copy(v, a, sccb, len, true);
	if (rc)
		vcpu_raise(v, (uint16_t)rc, ra);
	irq_service_signal(m, (uint32_t)a);
	return 0;
}
