/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the PV IPL-block validation programs (V-xx): a valid block
 * at page A, then one field changed, then subcode 8.
 */
#ifndef GT_PV_H
#define GT_PV_H

#include "gt.h"

#define GT_V_HDR 0x20000UL
#define GT_V_COMP 0x22000UL

static inline uint8_t *gt_v_block(uint32_t n)
{
	gt_iplb_pv((void *)GT_PAGE_A, n, GT_V_HDR, 0x2000, GT_V_COMP);
	return (uint8_t *)GT_PAGE_A;
}

static inline uint64_t gt_v_set(void)
{
	return gt_d308(8, GT_PAGE_A);
}

#endif
