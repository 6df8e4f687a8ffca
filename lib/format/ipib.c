// SPDX-License-Identifier: MIT
/*
 * IPL parameter block type 5 (PV) for the image tools: strict parsing and
 * serialization (se-image-format.md §4, pv-machine-and-uv.md §2.4).
 */
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/ipib.h"

#define PV_IPIB_BLK0_FIXED (PV_IPIB_PV_FIXED - PV_IPL_HDR_LEN)	/* 128 */
#define COMP_OFF_TWEAK 0x00
#define COMP_OFF_ADDR 0x08
#define COMP_OFF_LEN 0x10

_Static_assert(PV_IPIB_OFF_COMPS == PV_IPIB_PV_FIXED, "fixed part");
_Static_assert(PV_IPIB_OFF_BLK0_LEN == PV_IPL_HDR_LEN, "list header");
_Static_assert(PV_IPIB_PV_FIXED + PV_IPIB_PV_COMP * PV_IPIB_PV_MAX_COMPS <=
	       PV_IPL_MAX_LEN, "165 components fit one page");
_Static_assert(PV_IPIB_PV_FIXED + PV_IPIB_PV_COMP *
	       (PV_IPIB_PV_MAX_COMPS + 1) > PV_IPL_MAX_LEN,
	       "166 components do not fit");
_Static_assert(COMP_OFF_LEN + 8 == PV_IPIB_PV_COMP, "component entry");

/* Reserved byte ranges of a type-5 block [start, end) (§4). */
static const struct {
	unsigned int start, end;
} reserved[] = {
	{ 0x05, 0x07 },
	{ 0x0E, 0x10 },
	{ 0x18, PV_IPIB_OFF_PV_VERSION },
	{ 0x70, PV_IPIB_OFF_NUM_COMP },
};

size_t pv_ipib_pv_size(uint32_t num_comp)
{
	return PV_IPIB_PV_FIXED + PV_IPIB_PV_COMP * (size_t)num_comp;
}

static int nonzero_at(const uint8_t *buf, size_t start, size_t end,
		      size_t *where)
{
	size_t i;

	for (i = start; i < end; i++) {
		if (buf[i]) {
			*where = i;
			return 1;
		}
	}
	return 0;
}

int pv_ipib_pv_parse(const uint8_t *buf, size_t buflen,
		     struct pv_ipib_pv *out, struct pv_err **err)
{
	uint32_t len, blk0_len, n, i;
	size_t size, where;
	const uint8_t *c;

	if (buflen < PV_IPIB_PV_FIXED)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "IPIB: %zu bytes are too few for a PV block (%u)",
				  buflen, PV_IPIB_PV_FIXED);
	len = pv_get_be32(buf + PV_IPIB_OFF_LEN);
	if (buf[PV_IPIB_OFF_PBT] != PV_IPL_PBT_PV)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "IPIB: parameter block type %u is not PV (5)",
				  buf[PV_IPIB_OFF_PBT]);
	if (len > PV_IPL_MAX_LEN)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "IPIB: length %u exceeds one page (%u)", len,
				  PV_IPL_MAX_LEN);
	n = pv_get_be32(buf + PV_IPIB_OFF_NUM_COMP);
	if (n == 0 || n > PV_IPIB_PV_MAX_COMPS)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "IPIB: number of components %u is not in 1..%u",
				  n, PV_IPIB_PV_MAX_COMPS);
	size = pv_ipib_pv_size(n);
	/* Layout-R: exact size; Layout-C: one full page (§4) */
	if (len != size && len != PV_IPL_MAX_LEN)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "IPIB: length %u is neither 136 + 24 * %u (%zu) nor %u",
				  len, n, size, PV_IPL_MAX_LEN);
	if (len > buflen)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "IPIB: length %u exceeds the %zu bytes available",
				  len, buflen);
	blk0_len = pv_get_be32(buf + PV_IPIB_OFF_BLK0_LEN);
	if (blk0_len != size - PV_IPL_HDR_LEN)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "IPIB: block length %u does not match 128 + 24 * %u (%zu)",
				  blk0_len, n, size - PV_IPL_HDR_LEN);
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (nonzero_at(buf, reserved[i].start, reserved[i].end,
			       &where))
			return pv_err_set(err, PV_ERR_FORMAT,
					  "IPIB: reserved byte at 0x%zx is 0x%02x",
					  where, buf[where]);
	if (nonzero_at(buf, size, len, &where))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "IPIB: padding byte at 0x%zx after the components is 0x%02x",
				  where, buf[where]);

	memset(out, 0, sizeof(*out));
	out->len = len;
	out->flags = buf[PV_IPIB_OFF_FLAGS];
	out->version = buf[PV_IPIB_OFF_VERSION];
	out->blk0_len = blk0_len;
	out->pbt = buf[PV_IPIB_OFF_PBT];
	out->blk_flags = buf[PV_IPIB_OFF_BLK_FLAGS];
	memcpy(out->loadparm, buf + PV_IPIB_OFF_LOADPARM,
	       sizeof(out->loadparm));
	out->pv_version = buf[PV_IPIB_OFF_PV_VERSION];
	out->num_comp = n;
	out->hdr_addr = pv_get_be64(buf + PV_IPIB_OFF_HDR_ADDR);
	out->hdr_size = pv_get_be64(buf + PV_IPIB_OFF_HDR_SIZE);
	for (i = 0; i < n; i++) {
		c = buf + PV_IPIB_OFF_COMPS + PV_IPIB_PV_COMP * i;
		out->comps[i].tweak_pref = pv_get_be64(c + COMP_OFF_TWEAK);
		out->comps[i].addr = pv_get_be64(c + COMP_OFF_ADDR);
		out->comps[i].len = pv_get_be64(c + COMP_OFF_LEN);
	}
	return 0;
}

int pv_ipib_pv_serialize(const struct pv_ipib_pv *ipib, uint8_t *buf,
			 size_t buflen, struct pv_err **err)
{
	uint32_t n = ipib->num_comp, i;
	size_t size;
	uint8_t *c;

	if (n == 0 || n > PV_IPIB_PV_MAX_COMPS)
		return pv_err_set(err, PV_ERR_INVAL,
				  "IPIB: number of components %u is not in 1..%u",
				  n, PV_IPIB_PV_MAX_COMPS);
	size = pv_ipib_pv_size(n);
	if (ipib->len < size || ipib->len > PV_IPL_MAX_LEN)
		return pv_err_set(err, PV_ERR_INVAL,
				  "IPIB: length field %u is not in %zu..%u for %u components",
				  ipib->len, size, PV_IPL_MAX_LEN, n);
	if (buflen < ipib->len)
		return pv_err_set(err, PV_ERR_RANGE,
				  "IPIB: output buffer of %zu bytes is smaller than the block (%u)",
				  buflen, ipib->len);
	memset(buf, 0, ipib->len);
	pv_put_be32(buf + PV_IPIB_OFF_LEN, ipib->len);
	buf[PV_IPIB_OFF_FLAGS] = ipib->flags;
	buf[PV_IPIB_OFF_VERSION] = ipib->version;
	pv_put_be32(buf + PV_IPIB_OFF_BLK0_LEN, (uint32_t)(size -
							   PV_IPL_HDR_LEN));
	buf[PV_IPIB_OFF_PBT] = PV_IPL_PBT_PV;
	buf[PV_IPIB_OFF_BLK_FLAGS] = ipib->blk_flags;
	memcpy(buf + PV_IPIB_OFF_LOADPARM, ipib->loadparm,
	       sizeof(ipib->loadparm));
	buf[PV_IPIB_OFF_PV_VERSION] = ipib->pv_version;
	pv_put_be32(buf + PV_IPIB_OFF_NUM_COMP, n);
	pv_put_be64(buf + PV_IPIB_OFF_HDR_ADDR, ipib->hdr_addr);
	pv_put_be64(buf + PV_IPIB_OFF_HDR_SIZE, ipib->hdr_size);
	for (i = 0; i < n; i++) {
		c = buf + PV_IPIB_OFF_COMPS + PV_IPIB_PV_COMP * i;
		pv_put_be64(c + COMP_OFF_TWEAK, ipib->comps[i].tweak_pref);
		pv_put_be64(c + COMP_OFF_ADDR, ipib->comps[i].addr);
		pv_put_be64(c + COMP_OFF_LEN, ipib->comps[i].len);
	}
	return 0;
}
