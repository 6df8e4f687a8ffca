// SPDX-License-Identifier: MIT
/*
 * Guest-side Ultravisor calls (pv-machine-and-uv.md §4.1-§4.5).
 */
#include "libboot.h"

int uv_call(void *uvcb)
{
	int cc;

	do {
		cc = boot_uvc_try(uvcb);
	} while (cc > 1);
	return cc;
}

int uv_query(struct uv_cb_query *q)
{
	memset(q, 0, sizeof(*q));
	q->h.len = sizeof(*q);
	q->h.cmd = UVC_CMD_QUERY;
	if (uv_call(q) < 0)
		return -1;
	if (q->h.rc != UVC_RC_EXECUTED && q->h.rc != UVC_RC_MORE_DATA)
		return 1;
	return 0;
}

bool uv_query_installed(const struct uv_cb_query *q, unsigned int nr)
{
	if (nr >= 64 * ARRAY_SIZE(q->installed))
		return false;
	return (q->installed[nr / 64] >> (63 - nr % 64)) & 1;
}

bool uv_protected_guest(struct uv_cb_query *q)
{
	memset(q, 0, sizeof(*q));
	if (!test_facility(FAC_UV_CALL) || uv_query(q))
		return false;
	return uv_query_installed(q, UVC_QBIT_SET_SHARED) &&
	       uv_query_installed(q, UVC_QBIT_REMOVE_SHARED);
}

static uint16_t share_call(uint16_t cmd, uint64_t page)
{
	struct uv_cb_share cb;

	memset(&cb, 0, sizeof(cb));
	cb.h.len = sizeof(cb);
	cb.h.cmd = cmd;
	cb.paddr = page;
	if (uv_call(&cb) < 0)
		return 0;
	return cb.h.rc;
}

uint16_t uv_set_shared(uint64_t page)
{
	return share_call(UVC_CMD_SET_SHARED, page);
}

uint16_t uv_remove_shared(uint64_t page)
{
	return share_call(UVC_CMD_REMOVE_SHARED, page);
}
