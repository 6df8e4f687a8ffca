// SPDX-License-Identifier: MIT
/*
 * Test kernel: attestation (attestation-and-secrets.md §2.3, §5.2).  With
 * "pvboot.attest" the initrd is a pvattest request (exchange format); the
 * kernel asks the UV for the measurement (UVC 0x1020), with the user data
 * of "pvboot.userdata=HEX", and prints the response in the exchange
 * format, Base64, between PV_TK_RESP_BEGIN and PV_TK_RESP_END.
 */
#include "tk_pv.h"

uint8_t tk_xbuf[TK_XBUF_LEN] __aligned(8);
static struct uv_cb_attest acb;

/* Exchange format v1 header (§5.2); s390x is big-endian. */
struct xhdr {
	char magic[8];
	uint32_t version, size;
	uint64_t reserved;
	struct {
		uint32_t size, off;
	} e[5];		/* ARCB, measurement, additional, user, CUID */
} __packed;

/* Copy towards lower addresses (the areas may overlap). */
static void copy_down(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

static int hexval(char c)
{
	c |= 0x20;
	if (c >= '0' && c <= '9')
		return c - '0';
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "pvboot.userdata=HEX" into the UVCB: up to 256 bytes. */
static void user_data(void)
{
	const char *s = (const char *)COMMAND_LINE, *p;

	/* words end at blanks and control characters (a parmfile's \n) */
	for (p = s; *p; p++)
		if ((p == s || (unsigned char)p[-1] <= ' ') &&
		    !strncmp(p, PV_TK_KEYWORD_USERDATA, 16))
			break;
	if (!*p)
		return;
	for (p += 16; (unsigned char)*p > ' '; p += 2) {
		int hi = hexval(p[0]), lo = hexval(p[1]);

		if (hi < 0 || lo < 0 || acb.user_data_len == 256)
			tk_fail(PV_TK_FAIL_ATTEST,
				"pvboot.userdata: up to 256 bytes in hex");
		acb.user_data[acb.user_data_len++] = (uint8_t)(hi << 4 | lo);
	}
}

/* One exchange entry: data at *off, or absent when @size is 0. */
static void entry(struct xhdr *h, int i, uint32_t size, uint32_t *off)
{
	h->e[i].size = size;
	h->e[i].off = size ? *off : 0;
	*off += size;
}

uint16_t tk_attest(uint8_t *x, size_t len, bool show_hash)
{
	struct xhdr *h = (struct xhdr *)x;
	uint32_t asize = h->e[0].size, msize = h->e[1].size;
	uint32_t addsize = h->e[2].size, off = sizeof(*h);
	uint8_t *arcb = x + off, *meas = arcb + asize, *add;
	uint64_t paf = *(uint64_t *)(arcb + 0x30);
	char hex[129];

	/* pvattest create puts the ARCB right after the header (§5.2) */
	if (len < off || memcmp(x, "pvattest\0\0\1\0", 12) ||
	    h->e[0].off != off || asize > len - off || msize > 512 ||
	    addsize > 512 || asize > TK_XBUF_LEN - 2048)
		tk_fail(PV_TK_FAIL_ATTEST,
			"attestation request: not a usable pvattest file");
	memset(&acb, 0, sizeof(acb));
	user_data();
	acb.h.len = sizeof(acb);
	acb.h.cmd = UVC_CMD_ATTESTATION;
	acb.arcb_addr = (uint64_t)arcb;
	acb.meas_len = msize;
	acb.meas_addr = (uint64_t)meas;
	acb.add_data_len = addsize;
	acb.add_data_addr = (uint64_t)meas + msize;
	uv_call(&acb);
	boot_printf("attestation: UV rc 0x%04x\n", acb.h.rc);
	if (acb.h.rc != UVC_RC_EXECUTED)
		return acb.h.rc;
	/* §5.2 response: ARCB, measurement, [additional], [user], CUID */
	add = meas + acb.meas_len;
	copy_down(add, meas + msize, acb.add_data_len);
	entry(h, 0, asize, &off);
	entry(h, 1, acb.meas_len, &off);
	entry(h, 2, acb.add_data_len, &off);
	memcpy(x + off, acb.user_data, acb.user_data_len);
	entry(h, 3, acb.user_data_len, &off);
	memcpy(x + off, acb.config_uid, 16);
	entry(h, 4, 16, &off);
	h->size = off;
	boot_printf(PV_TK_RESP_BEGIN "\n");
	boot_b64_print(x, off);
	boot_printf(PV_TK_RESP_END "\n");
	/* §4.3: the hash follows the two optional 32-byte hashes */
	if (show_hash && (paf & PV_TK_PAF_SECRET_HASH)) {
		add += paf & PV_TK_PAF_IMAGE_PHKH ? 32 : 0;
		add += paf & PV_TK_PAF_ATT_PHKH ? 32 : 0;
		boot_printf("secret-store hash: %s\n", boot_hex(hex, add, 64));
	}
	return UVC_RC_EXECUTED;
}

void tk_attest_initrd(void)
{
	uint64_t start = 0, end = 0;
	uint16_t rc;

	tk_initrd_range(&start, &end);
	if (end - start > TK_XBUF_LEN)
		end = start + TK_XBUF_LEN;	/* then refused as too large */
	memcpy(tk_xbuf, (const void *)start, end - start);
	rc = tk_attest(tk_xbuf, end - start, false);
	if (rc != UVC_RC_EXECUTED)
		tk_fail(PV_TK_FAIL_ATTEST, "attestation: UV rc 0x%04x", rc);
}
