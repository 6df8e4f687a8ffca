// SPDX-License-Identifier: MIT
/*
 * Test kernel: the secret-store loop (attestation-and-secrets.md §2.4,
 * §6).  With "pvboot.secrets" the kernel reads its console input: every
 * add-secret request (Base64 between PV_TK_SECRET_BEGIN/END lines) goes
 * to Add Secret, "LOCK" to Lock Secret Store, an attestation request
 * (between PV_TK_ATTEST_BEGIN/END) to attestation; each step prints its
 * rc, and the List Secrets result follows.  "END" ends the input.
 */
#include "tk_pv.h"

/* Index, type, length and ID of every listed secret (§6.7). */
static void list(void)
{
	uint16_t *page = (uint16_t *)tk_xbuf, rc;
	char hex[65];

	rc = uv_secret_call(UVC_CMD_LIST_SECRETS, (uint64_t)page, 0);
	boot_printf("secrets: list rc 0x%04x, %u of %u\n", rc, page[0],
		    page[1]);
	for (unsigned int i = 0; rc == UVC_RC_EXECUTED && i < page[0]; i++) {
		uint16_t *e = page + 8 + 24 * i;

		boot_printf("  %u: type 0x%04x length %u id %s\n", e[0], e[1],
			    *(uint32_t *)(e + 2),
			    boot_hex(hex, (uint8_t *)(e + 8), 32));
	}
}

void tk_secrets(void)
{
	static char line[256];
	struct b64_dec d = { .done = true };
	unsigned int n = 0;
	char block = 0;		/* 'S' secret, 'A' attestation request */

	if (sclp_input_enable())
		tk_fail(PV_TK_FAIL_SECRETS, "pvboot.secrets: no console input");
	boot_printf("secrets: reading requests\n");
	list();
	while (sclp_read_line(line, sizeof(line)) >= 0 &&
	       strncmp(line, "END", 4)) {
		if (!strncmp(line, "LOCK", 5)) {
			boot_printf("secrets: lock: UV rc 0x%04x\n",
				    uv_secret_call(UVC_CMD_LOCK_SECRETS, 0, 0));
			list();
		} else if (!strncmp(line, "-----BEGIN PV", 13)) {
			block = line[13];
			memset(&d, 0, sizeof(d));
		} else if (!strncmp(line, "-----END PV", 11) && block) {
			if (block == 'A') {
				tk_attest(tk_xbuf, d.len, true);
			} else {
				boot_printf("secrets: request %u: UV rc 0x%04x\n",
					    ++n,
					    uv_secret_call(UVC_CMD_ADD_SECRET,
							   (uint64_t)tk_xbuf,
							   0));
				list();
			}
			block = 0;
		} else if (block &&
			   boot_b64_decode(&d, line, tk_xbuf, TK_XBUF_LEN)) {
			boot_printf("secrets: bad request dropped\n");
			block = 0;
		}
	}
	boot_printf("secrets: end of input\n");
}
