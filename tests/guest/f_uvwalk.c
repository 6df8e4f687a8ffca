// SPDX-License-Identifier: MIT
/*
 * A protected guest that sends Add Secret requests (UVC 0x1031) claiming
 * a request length of almost 4 GiB, over and over (found by
 * tests/guestfuzz, seed 0x04bd63aff2166322).  The UV checks that the
 * whole request is accessible before it looks at the length
 * (attestation-and-secrets.md §6.5 puts "not accessible" before "bad
 * size"); the software UV walks it page by page, and with the UV in its
 * own process every page is one message there and back.  The guest has
 * to end at its --timeout like any other; expected: timeout, exit 1,
 * within a second of it.  Run as the kernel of an SE image
 * (tests/guestfuzz does).
 */
#include "at.h"

const char gt_name[] = "F-UVWALK";

static uint8_t req[4096] __aligned(4096);
static uint8_t cb[0x48] __aligned(8);

static void put32(uint8_t *p, uint32_t v)
{
	*(uint32_t *)p = v;	/* big-endian guest */
}

void gt_main(void)
{
	if (!gt_check(gt_protected(), "this program must run protected"))
		return;
	memset(req, 0, sizeof(req));
	put32(req + 0x08, 0x100);		/* version */
	put32(req + 0x0c, 0xfffff000);		/* request length */
	req[0x27] = 1;				/* one key slot */
	memset(cb, 0, sizeof(cb));
	*(uint16_t *)cb = sizeof(cb);
	*(uint16_t *)(cb + 2) = 0x1031;		/* add secret */
	*(uint64_t *)(cb + 0x20) = (uint64_t)(uintptr_t)req;
	boot_printf("%s: add-secret requests of 4 GiB, forever\n", gt_name);
	for (;;)
		boot_uvc_try(cb);
}
