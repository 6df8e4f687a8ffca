/* SPDX-License-Identifier: MIT */
/*
 * libboot additions for attestation and secrets: console input through
 * SCLP (ASCII console events, type 0x1a), Base64, and the guest's
 * attestation and secret-store UV calls (attestation-and-secrets.md §2).
 */
#ifndef BOOT_LIBBOOT_PV_H
#define BOOT_LIBBOOT_PV_H

#include "libboot.h"

/* ---- console input (sclp_input.c) --------------------------------------- */

#define SCLP_CMD_READ_EVENT_DATA	0x00770005
#define SCLP_RC_NO_EVENTS		0x60f0

/*
 * sclp_input_enable() - WRITE EVENT MASK that also asks to receive ASCII
 * console events (the console's send mask stays).  Returns 0, or -1 when
 * the SCLP does not offer console input.
 */
int sclp_input_enable(void);
/*
 * sclp_read_line() - the next line of console input, without CR/LF and
 * NUL-terminated in @buf (@max bytes; longer lines are cut).  Polls with
 * READ EVENT DATA and, while nothing is there, waits for the service
 * signal the SCLP gives when input arrives.  Returns the length, or -1
 * when the SCLP refuses the read.
 */
int sclp_read_line(char *buf, size_t max);

/* ---- Base64, RFC 4648 (base64.c) ----------------------------------------- */

/* boot_b64_print() - print @n bytes as Base64 lines of 64 characters. */
void boot_b64_print(const uint8_t *p, size_t n);

struct b64_dec {
	uint32_t acc;
	unsigned int bits;
	bool done;		/* '=' seen */
	size_t len;		/* bytes in the output so far */
};

/*
 * boot_b64_decode() - decode the text @s (blanks ignored, '=' ends the
 * data) and append to @out (capacity @cap) at d->len.  Returns 0, or -1
 * for a character outside the alphabet or a full buffer.
 */
int boot_b64_decode(struct b64_dec *d, const char *s, uint8_t *out,
		    size_t cap);

/* boot_hex() - @n bytes as lowercase hex into @out (2n + 1 bytes). */
char *boot_hex(char *out, const uint8_t *p, size_t n);

/* ---- attestation and secret UV calls (uv_pv.c) --------------------------- */

#define UVC_CMD_ATTESTATION	0x1020
#define UVC_CMD_ADD_SECRET	0x1031
#define UVC_CMD_LIST_SECRETS	0x1033
#define UVC_CMD_LOCK_SECRETS	0x1034

/* Retrieve Attestation Measurement, 0x188 bytes (§2.3). */
struct uv_cb_attest {
	struct uv_cb_header h;
	uint64_t reserved08[2];
	uint64_t arcb_addr;			/* 0x18 */
	uint64_t cont_token;			/* 0x20 */
	uint8_t reserved28[6];
	uint16_t user_data_len;			/* 0x2e */
	uint8_t user_data[256];			/* 0x30 */
	uint32_t reserved130[3];
	uint32_t meas_len;			/* 0x13c */
	uint64_t meas_addr;			/* 0x140 */
	uint8_t config_uid[16];			/* 0x148 */
	uint32_t reserved158;
	uint32_t add_data_len;			/* 0x15c */
	uint64_t add_data_addr;			/* 0x160 */
	uint64_t reserved168[4];
} __packed __aligned(8);
_Static_assert(sizeof(struct uv_cb_attest) == 0x188, "attestation UVCB");

/*
 * uv_secret_call() - Add Secret (@addr = the request), List Secrets
 * (@addr = a 4096-byte page, from index @start) or Lock (@addr 0).
 * Returns the UV rc, or 0 when the UVC caused a program interruption.
 */
uint16_t uv_secret_call(uint16_t cmd, uint64_t addr, uint16_t start);

#endif
