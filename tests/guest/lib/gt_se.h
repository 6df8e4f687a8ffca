/* SPDX-License-Identifier: MIT */
/*
 * Programs that take stage3a's place in a real SE image (the host test
 * builds the image, puts the program over stage3a and describes the image
 * in struct gt_parms): find the IPIB, patch the header address into it as
 * stage3a does, change what the test wants, then subcodes 8 and 10.
 */
#ifndef GT_SE_H
#define GT_SE_H

#include "gt.h"

struct gt_comp {
	uint64_t tweak, addr, size;
} __packed;

/* The image's IPIB with the SE header patched in (se-image-format §3.2). */
static inline uint8_t *gt_se_ipib(void)
{
	const struct gt_parms *p = gt_parms();
	uint8_t *ipib;

	if (!gt_check(p && p->ipib && p->hdr, "no SE image parameters"))
		gt_done();
	ipib = (uint8_t *)(uintptr_t)p->ipib;
	*(uint64_t *)(ipib + 0x78) = p->hdr;
	*(uint64_t *)(ipib + 0x80) = p->hdr_size;
	return ipib;
}

static inline uint32_t gt_se_ncomp(const uint8_t *ipib)
{
	return *(const uint32_t *)(ipib + 0x74);
}

static inline struct gt_comp *gt_se_comp(uint8_t *ipib, uint32_t i)
{
	return (struct gt_comp *)(ipib + 0x88 + 24 * i);
}

/* Subcode 8 with the IPIB (checked), then subcode 10; returns r1 + 1. */
static inline uint64_t gt_se_boot(uint8_t *ipib)
{
	GT_EQ(gt_d308(8, (uint64_t)(uintptr_t)ipib), DIAG308_RC_OK,
	      "subcode 8");
	return gt_d308(10, 0);
}

/* The composite subcode-10 response (pv-machine-and-uv.md §1.5.10). */
#define GT_PV_RESP(cmd, rc, rrc) \
	(((uint64_t)(cmd) << 48) | ((uint64_t)(rrc) << 32) | \
	 ((uint64_t)(rc) << 16) | DIAG308_RC_INVAL_FOR_PV)

#endif
