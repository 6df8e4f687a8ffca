// SPDX-License-Identifier: MIT
/*
 * CHANNEL SUBSYSTEM CALL: the commands QEMU answers (target/s390x/
 * ioinst.c), with its response codes and characteristics words:
 *   0x0002 store channel-path description (CHPID 0, type 0x32)
 *   0x0010 store channel-subsystem characteristics
 *   0x0031 set domain attributes: enable MSS (2) or MCSS-E (0)
 *   0x000e store event information: no events (0x0005)
 * Every other command answers "not installed" (0x0004).  The s390-ccw
 * bios issues 0x0031 and ignores the answer; Linux issues several and
 * copes with 0x0004 (ipl-from-devices.md §5.2).
 *
 * @page holds the request at 0 (its length at 0, command at 2); the
 * response goes right after the request, its length first.
 */
#include <string.h>

#include "pvboot/be.h"

#include "machine_priv.h"
#include "io.h"

#define RESP_OK 0x0001
#define RESP_INVAL 0x0003
#define RESP_NOT_INSTALLED 0x0004
#define RESP_NO_EVENTS 0x0005
#define RESP_BAD_FMT 0x0007
#define RESP_BAD_CSS 0x0008

static void resp(uint8_t *r, uint16_t code, uint16_t len, uint32_t param)
{
	pv_put_be16(r, len);
	pv_put_be16(r + 2, code);
	pv_put_be32(r + 4, param);
}

/* 0x0002: one 8- or 32-byte descriptor per installed CHPID in range. */
static void scpd(struct pv_machine *m, const uint8_t *req, uint8_t *r)
{
	uint32_t p0 = pv_get_be32(req + 4), p1 = pv_get_be32(req + 8);
	int rfmt = (p0 >> 8) & 0xf;
	unsigned int first = p0 & 0xff, last = p1 & 0xff, n = 0;

	if (rfmt == 0 || rfmt == 1)
		rfmt = !!(p0 & 0x10000000U);
	if (pv_get_be16(req) != 0x10 || (p0 & 0xc000f000U) ||
	    (p1 & 0xffffff00U) || pv_get_be32(req + 12)) {
		resp(r, RESP_INVAL, 8, (uint32_t)rfmt);
		return;
	}
	if (p0 & 0x0f000000U) {
		resp(r, RESP_BAD_FMT, 8, (uint32_t)rfmt);
		return;
	}
	if (((p0 >> 16) & 0xff) && !(p0 & 0x20000000U)) {
		resp(r, RESP_BAD_CSS, 8, (uint32_t)rfmt);
		return;
	}
	if (((p0 >> 16) & 0xff) || last < first) {
		resp(r, ((p0 >> 16) & 0xff) ? RESP_BAD_CSS : RESP_INVAL, 8,
		     (uint32_t)rfmt);
		return;
	}
	/* CHPID 0 exists when a device is attached */
	if (first == 0 && m->io->css.nsch && (rfmt == 0 || rfmt == 1)) {
		size_t sz = rfmt ? 32 : 8;

		memset(r + 8, 0, sz);
		pv_put_be32(r + 8, 0x80000000U |
				   (uint32_t)VIRTIO_CCW_CHPID_TYPE << 8);
		n = (unsigned int)sz;
	}
	resp(r, RESP_OK, (uint16_t)(8 + n), (uint32_t)rfmt);
}

/* 0x0010: QEMU's general and CHSC characteristics. */
static void scsc(const uint8_t *req, uint8_t *r)
{
	uint32_t p0 = pv_get_be32(req + 4);

	if (pv_get_be16(req) != 0x10) {
		resp(r, RESP_INVAL, 8, 0);
		return;
	}
	if (p0 & 0x000f0000U) {
		resp(r, RESP_BAD_FMT, 8, 0);
		return;
	}
	if (((p0 >> 8) & 0xff) && !(p0 & 0x20000000U)) {
		resp(r, RESP_BAD_CSS, 8, 0);
		return;
	}
	if ((p0 & 0xdff000ffU) || pv_get_be32(req + 8) ||
	    pv_get_be32(req + 12)) {
		resp(r, RESP_INVAL, 8, 0);
		return;
	}
	memset(r + 8, 0, 4072);
	/* general characteristics (510 words), then CHSC's (508 words) */
	pv_put_be32(r + 8, 0x03000000U);
	pv_put_be32(r + 12, 0x00079000U);
	pv_put_be32(r + 20, 0x00080000U);
	pv_put_be32(r + 8 + 2040, 0x40000000U);
	pv_put_be32(r + 8 + 2040 + 12, 0x00040000U);
	resp(r, RESP_OK, 4080, 0);
}

/* 0x0031: enable multiple subchannel sets / multiple CSS (extended). */
static void sda(struct pv_machine *m, const uint8_t *req, uint8_t *r)
{
	uint32_t p0 = pv_get_be32(req + 4);
	uint16_t code = RESP_OK;

	if (pv_get_be16(req) != 0x400 || (p0 & 0xf0ff0000U))
		code = RESP_INVAL;
	else if (p0 & 0x0f000000U)
		code = RESP_BAD_FMT;
	else if ((p0 & 0xffff) == 2)
		m->io->css.mss = true;
	else if ((p0 & 0xffff) != 0)
		code = RESP_INVAL;
	resp(r, code, 8, 0);
}

int chsc_execute(struct pv_machine *m, uint8_t *page)
{
	uint16_t len = pv_get_be16(page), cmd = pv_get_be16(page + 2);
	uint8_t *r = page + len;

	memset(r, 0, 4096U - len);
	if (m->tr)
		mach_trace(m, "  CHSC command 0x%04x length %u", cmd, len);
	switch (cmd) {
	case 0x0002:
		scpd(m, page, r);
		break;
	case 0x0010:
		scsc(page, r);
		break;
	case 0x0031:
		sda(m, page, r);
		break;
	case 0x000e:
		resp(r, RESP_NO_EVENTS, 8, 0);
		break;
	default:
		resp(r, RESP_NOT_INSTALLED, 8, 0);
		break;
	}
	return 0;
}
