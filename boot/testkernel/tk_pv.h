/* SPDX-License-Identifier: MIT */
/*
 * Test kernel: attestation (attest.c) and the secret-store loop
 * (secrets.c), attestation-and-secrets.md §2-§6.
 */
#ifndef BOOT_TK_PV_H
#define BOOT_TK_PV_H

#include "libboot_pv.h"
#include "tk.h"

/* PAF bits the kernel reads (§3.2, MSB-0). */
#define PV_TK_PAF_IMAGE_PHKH	(1ULL << 61)
#define PV_TK_PAF_ATT_PHKH	(1ULL << 60)
#define PV_TK_PAF_SECRET_HASH	(1ULL << 59)

/* Request in, response out: an exchange file up to 17 KiB. */
#define TK_XBUF_LEN		(17 * 1024)
extern uint8_t tk_xbuf[TK_XBUF_LEN];

/*
 * tk_attest() - the exchange-format request in @x (@len bytes) to the UV;
 * on success the response replaces it and is printed in Base64 between
 * the PV_TK_RESP_* lines (and, with @show_hash, the secret-store hash).
 * A request that is not an exchange file fails the kernel.  Returns the
 * UV rc.
 */
uint16_t tk_attest(uint8_t *x, size_t len, bool show_hash);
/* tk_attest_initrd() - "pvboot.attest": the initrd is the request. */
void tk_attest_initrd(void);
/* tk_secrets() - "pvboot.secrets": the console-input loop. */
void tk_secrets(void);

#endif
