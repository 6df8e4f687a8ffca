// SPDX-License-Identifier: MIT
/*
 * Hypervisor-side IPL parameter block validation, as QEMU does it for
 * DIAG 308 subcodes 5 and 8 (pv-machine-and-uv.md §1.5.5, §1.5.8, §2.3,
 * §2.4).  The block is read into a zeroed page first, as QEMU does, so
 * fields beyond @len read as zero and nothing is read past the caller's
 * buffer.
 */
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/ipib.h"

#define PV_IPL_OFF_PBT 0x0C
#define PV_HDR_MAX_LEN 8192U		/* two pages, §2.4 rule 4 */
#define PV_COMP_ALIGN_MASK 0xFFFULL

static void load_page(const uint8_t *buf, uint32_t len,
		      uint8_t page[PV_IPL_MAX_LEN])
{
	memset(page, 0, PV_IPL_MAX_LEN);
	memcpy(page, buf, len);
}

static uint16_t invalid(const char **why, const char *rule)
{
	if (why)
		*why = rule;
	return PV_DIAG308_RC_INVALID;
}

static uint16_t valid(const char **why)
{
	if (why)
		*why = NULL;
	return PV_DIAG308_RC_OK;
}

uint16_t pv_iplb_check_pv(const uint8_t *buf, uint32_t len,
			  pv_range_ok_fn readable, void *opaque,
			  const char **why)
{
	uint8_t page[PV_IPL_MAX_LEN];
	uint64_t hdr_addr, hdr_len;
	uint32_t n, i;
	const uint8_t *c;

	/*
	 * pv-machine-and-uv.md §2.4, rules 1-9 in QEMU's order.  Rule 1 is
	 * the caller's, repeated here so that no oversized read can happen.
	 */
	if (len > PV_IPL_MAX_LEN)
		return invalid(why, "IPLB length exceeds 4096");
	load_page(buf, len, page);
	if (page[PV_IPL_OFF_PBT] != PV_IPL_PBT_PV)
		return invalid(why, "parameter block type is not 5 (PV)");
	if (len < PV_IPIB_PV_MIN_LEN)
		return invalid(why, "IPLB length is below 148");
	hdr_addr = pv_get_be64(page + PV_IPIB_OFF_HDR_ADDR);
	hdr_len = pv_get_be64(page + PV_IPIB_OFF_HDR_SIZE);
	if (hdr_len > PV_HDR_MAX_LEN)
		return invalid(why, "SE header length exceeds 8192");
	if (readable && !readable(opaque, hdr_addr, hdr_len))
		return invalid(why, "SE header range is not readable guest memory");
	n = pv_get_be32(page + PV_IPIB_OFF_NUM_COMP);
	if (n == 0)
		return invalid(why, "number of components is 0");
	if (pv_ipib_pv_size(n) > len)
		return invalid(why, "components extend past the IPLB length");
	/*
	 * Rule 7 bounds n to 165, so every entry lies inside the page.  Rules
	 * 8 and 9 run in one pass over the components, as QEMU does.
	 */
	for (i = 0; i < n; i++) {
		c = page + PV_IPIB_OFF_COMPS + PV_IPIB_PV_COMP * i;
		if (pv_get_be64(c + 8) & PV_COMP_ALIGN_MASK)
			return invalid(why, "component address is not 4096-byte aligned");
		if (i + 1 < n &&
		    pv_get_be64(c) >= pv_get_be64(c + PV_IPIB_PV_COMP))
			return invalid(why, "component tweak prefixes are not strictly increasing");
	}
	return valid(why);
}

uint16_t pv_iplb_check_normal(const uint8_t *buf, uint32_t len,
			      const char **why)
{
	uint8_t page[PV_IPL_MAX_LEN];
	uint32_t min;

	/* pv-machine-and-uv.md §2.3, QEMU's table for subcode 5 */
	if (len > PV_IPL_MAX_LEN)
		return invalid(why, "IPLB length exceeds 4096");
	load_page(buf, len, page);
	switch (page[PV_IPL_OFF_PBT]) {
	case PV_IPL_PBT_FCP:
		min = PV_IPL_MIN_LEN_FCP;
		break;
	case PV_IPL_PBT_CCW:
		min = PV_IPL_MIN_LEN_CCW;
		break;
	case PV_IPL_PBT_NVME:
		min = PV_IPL_MIN_LEN_PCI;
		break;
	default:
		/* 1, 3, 5 and 0xff included; the caller rebuilds for 0xff */
		return invalid(why, "parameter block type is not accepted by subcode 5");
	}
	if (len < min)
		return invalid(why, "IPLB length is below the minimum for its type");
	return valid(why);
}
