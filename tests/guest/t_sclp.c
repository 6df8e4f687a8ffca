// SPDX-License-Identifier: MIT
/*
 * SCLP (machine unit test): READ SCP INFO memory size, WRITE EVENT MASK
 * answers, invalid command, boundary and length rules, SCCB address
 * checks, the service signal (code 0x2401, parameter = SCCB), line-mode
 * output in EBCDIC, and one copy of a message sent both ways.
 */
#include "gt.h"

const char gt_name[] = "T-SCLP";

#define SCCB ((uint8_t *)GT_PAGE_A)

static int servc_raw(uint32_t cmd, uint64_t sccb)
{
	int cc;

	asm volatile(".insn rre,0xb2200000,%[cmd],%[sccb]\n"
		     "ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc)
		     : [cmd] "d"((uint64_t)cmd), [sccb] "a"(sccb)
		     : "cc", "memory");
	return cc;
}

/* SERVC, then the enabled wait for its service signal. */
static uint16_t call(uint32_t cmd, void *sccb)
{
	uint64_t cr0 = ctl0_get();

	ctl0_set(cr0 | CR0_SERVICE_SIGNAL);
	LC_U16(LC_EXT_CODE) = 0;
	if (servc_raw(cmd, (uint64_t)(uintptr_t)sccb) == 0)
		boot_ext_wait();
	ctl0_set(cr0);
	GT_EQ(LC_U16(LC_EXT_CODE), EXT_CODE_SERVICE_SIGNAL, "ext code");
	GT_EQ(LC_U32(LC_EXT_PARAM), (uint32_t)(uintptr_t)sccb, "ext param");
	return ((struct sccb_header *)sccb)->response_code;
}

static uint16_t mask(uint16_t len, uint32_t send, uint32_t *sclp_recv,
		     uint32_t *sclp_send)
{
	struct sccb_event_mask *m = (struct sccb_event_mask *)SCCB;
	uint16_t rc;

	memset(SCCB, 0, PAGE_SIZE);
	m->h.length = sizeof(*m);
	m->mask_length = len;
	m->cp_send_mask = send;
	rc = call(SCLP_CMD_WRITE_EVENT_MASK, m);
	*sclp_recv = m->sclp_receive_mask;
	*sclp_send = m->sclp_send_mask;
	return rc;
}

/* One line-mode (MTO) message: event 0x02, MDB, one MTO of @n EBCDIC
 * bytes. */
static void line_mode_ebcdic(const uint8_t *text, size_t n)
{
	uint8_t *e = SCCB + 8;

	memset(SCCB, 0, PAGE_SIZE);
	*(uint16_t *)(e + 6) = (uint16_t)(12 + 10 + n);	/* MDB length */
	*(uint16_t *)(e + 8) = 1;			/* MDB type */
	*(uint32_t *)(e + 10) = 0xd4c4c240;		/* "MDB " */
	*(uint16_t *)(e + 18) = (uint16_t)(10 + n);	/* MTO length */
	*(uint16_t *)(e + 20) = 4;			/* MTO type */
	*(uint16_t *)(e + 22) = 0x1000;			/* data line */
	memcpy(e + 28, text, n);
	*(uint16_t *)e = (uint16_t)(6 + 12 + 10 + n);	/* event length */
	e[2] = SCLP_EVTYP_MSG;
	((struct sccb_header *)SCCB)->length = (uint16_t)(8 + 6 + 22 + n);
	GT_EQ(call(SCLP_CMD_WRITE_EVENT_DATA, SCCB), SCLP_RC_NORMAL,
	      "line-mode write");
	gt_check(e[3] & 0x80, "event not marked accepted");
}

/* The same for ASCII @text, in EBCDIC 1047. */
static void line_mode(const char *text)
{
	uint8_t ebc[64];
	size_t n = strlen(text);

	boot_ascii_to_ebcdic(ebc, text, n);
	line_mode_ebcdic(ebc, n);
}

static void ascii(const char *text)
{
	size_t n = strlen(text);
	uint8_t *e = SCCB + 8;

	memset(SCCB, 0, PAGE_SIZE);
	*(uint16_t *)e = (uint16_t)(6 + n);
	e[2] = SCLP_EVTYP_ASCII;
	memcpy(e + 6, text, n);
	((struct sccb_header *)SCCB)->length = (uint16_t)(8 + 6 + n);
	GT_EQ(call(SCLP_CMD_WRITE_EVENT_DATA, SCCB), SCLP_RC_NORMAL,
	      "ASCII write");
}

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();
	struct sccb_header *h = (struct sccb_header *)SCCB;
	uint32_t r, s;
	uint64_t ram = 0;

	gt_check(sclp_read_ram_size(&ram) == 0, "READ SCP INFO");
	GT_EQ(ram, p ? p->ram_size : 0, "memory size");
	GT_EQ(mask(4, 0x40000040, &r, &s), SCLP_RC_NORMAL, "event mask");
	GT_EQ(r, 0x40000040, "SCLP receive mask");
	GT_EQ(s, 0x80000048, "SCLP send mask");
	GT_EQ(mask(0, 0, &r, &s), 0x74f0, "mask length 0");
	memset(SCCB, 0, PAGE_SIZE);
	h->length = 64;
	GT_EQ(call(0x12345678, SCCB), SCLP_RC_INVALID_COMMAND, "bad command");
	GT_EQ(call(0x00770005, SCCB), 0x60f0, "read event data: none");
	/* 16 bytes starting 8 bytes before a page end: boundary. */
	memset((void *)(GT_PAGE_B + 0xff8), 0, 8);
	*(uint16_t *)(GT_PAGE_B + 0xff8) = 16;
	GT_EQ(call(SCLP_CMD_READ_SCP_INFO, (void *)(GT_PAGE_B + 0xff8)),
	      0x0300, "SCCB crossing a page");
	h->length = 64;
	GT_EQ(call(SCLP_CMD_READ_SCP_INFO, SCCB), 0x0300, "SCP info in 64");
	/* Program checks of SERVC itself. */
	servc_raw(SCLP_CMD_READ_SCP_INFO, 0x1000);
	GT_EQ(gt_pgm_take(), 6, "SCCB in the lowcore");
	servc_raw(SCLP_CMD_READ_SCP_INFO, GT_PAGE_A + 4);
	GT_EQ(gt_pgm_take(), 6, "SCCB not doubleword aligned");
	servc_raw(SCLP_CMD_READ_SCP_INFO, 0x80000000ULL);
	GT_EQ(gt_pgm_take(), 6, "SCCB above 2 GiB");
	h->length = 4;
	servc_raw(SCLP_CMD_READ_SCP_INFO, GT_PAGE_A);
	GT_EQ(gt_pgm_take(), 6, "SCCB length 4");
	/* Line mode only, then both kinds with the same message. */
	mask(4, 0x40000000, &r, &s);
	line_mode("LINE MODE 123");
	mask(4, 0x40000040, &r, &s);
	line_mode("DUP TEXT 42");
	ascii("DUP TEXT 42\n");
	/* Linux writes line mode in EBCDIC 037: '[' 0xba, ']' 0xbb. */
	line_mode_ebcdic((const uint8_t *)"\xba\x40\xf0\x4b\xf5\xbb", 6);
	ascii("[ 0.5]\n");
	ascii("ASCII ONLY\n");
	sclp_console_setup(SCLP_CONS_ASCII);
}
