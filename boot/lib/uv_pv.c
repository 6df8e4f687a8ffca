// SPDX-License-Identifier: MIT
/* Secret-store UV calls of a protected guest (attestation-and-secrets.md §2.4). */
#include "libboot_pv.h"

/* Add (0x48), List (0x48) and Lock (0x40): one address, a start index. */
struct uv_cb_secret {
	struct uv_cb_header h;
	uint64_t reserved08[2];
	uint8_t reserved18[6];
	uint16_t start_idx;			/* 0x1e */
	uint64_t addr;				/* 0x20 */
	uint64_t reserved28[4];
} __packed __aligned(8);
_Static_assert(sizeof(struct uv_cb_secret) == 0x48, "secret UVCB");

uint16_t uv_secret_call(uint16_t cmd, uint64_t addr, uint16_t start)
{
	struct uv_cb_secret cb;

	memset(&cb, 0, sizeof(cb));
	/* Lock uses the 0x40-byte form (§2.4) */
	cb.h.len = cmd == UVC_CMD_LOCK_SECRETS ? 0x40 : sizeof(cb);
	cb.h.cmd = cmd;
	cb.start_idx = start;
	cb.addr = addr;
	if (uv_call(&cb) < 0)
		return 0;
	return cb.h.rc;
}
