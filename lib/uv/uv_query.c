// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: query (0x0001), query keys (0x0002), initialise
 * (0x000f) and host-level reset (pv-machine-and-uv.md §4.3-§4.6, U-03,
 * U-10, U-12).
 */
#include <string.h>

#include "pvboot/sehdr.h"
#include "uv_priv.h"

/* Supported SE-header versions: MSB-0 bit n stands for version 0x100 + n. */
#define UV_HDR_VERSIONS (1ULL << 63)

static void query_fill(bool guest, uint8_t out[UV_QUERY_SIZE])
{
	uint64_t bits[4];

	memset(out, 0, UV_QUERY_SIZE);
	uv_installed_bitmap(guest, bits);
	for (int i = 0; i < 4; i++)
		pv_put_be64(out + PV_QUI_INST_CALLS + 8 * i, bits[i]);
	if (!guest) {
		/* Donated-storage sizes only matter to the host. */
		pv_put_be64(out + PV_QUI_UV_BASE_STOR, UV_BASE_STOR_LEN);
		pv_put_be64(out + PV_QUI_CONF_BASE_STOR,
			    UV_CONF_BASE_STOR_LEN);
		pv_put_be64(out + PV_QUI_CONF_VIRT_BASE,
			    UV_CONF_VIRT_BASE_LEN);
		pv_put_be64(out + PV_QUI_CONF_VIRT_VAR,
			    UV_CONF_VIRT_VAR_PER_MB);
		pv_put_be64(out + PV_QUI_CPU_STOR, UV_CPU_STOR_LEN);
	}
	pv_put_be32(out + PV_QUI_MAX_CONFS, UV_MAX_CONFS);
	pv_put_be64(out + PV_QUI_MAX_GADDR, UV_MAX_GUEST_ADDR);
	pv_put_be16(out + PV_QUI_MAX_CPU_ID, UV_MAX_CPU_ID);
	pv_put_be64(out + PV_QUI_FEATURES, 0);
	pv_put_be64(out + PV_QUI_HDR_VERSIONS, UV_HDR_VERSIONS);
	pv_put_be64(out + PV_QUI_HDR_PCF, PV_PCF_KNOWN);
	uv_query_attest(out);
}

/*
 * U-10: len < 0xa8 was refused by the dispatcher (rc 0x0005); a shorter
 * block than the full result gets the part that fits and rc 0x0100.
 */
static uint16_t query_common(bool guest, uint8_t *cb, uint16_t len)
{
	uint8_t out[UV_QUERY_SIZE];
	uint16_t n = len < UV_QUERY_SIZE ? len : UV_QUERY_SIZE;

	query_fill(guest, out);
	memcpy(cb + 8, out + 8, n - 8u);
	return len < UV_QUERY_SIZE ? PV_UV_RC_MORE_DATA : PV_UV_RC_EXECUTED;
}

uint16_t uv_cmd_query(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		      uint16_t *rrc)
{
	return query_common(false, cb, len);
}

uint16_t uv_guest_query(struct pv_uv *uv, struct uv_cpu *cpu, uint8_t *cb,
			uint16_t len, uint16_t *rrc)
{
	return query_common(true, cb, len);
}

/* Query keys: the phkh of every loaded host key, at most 15. */
uint16_t uv_cmd_query_keys(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			   uint16_t *rrc)
{
	memset(cb + 8, 0, len - 8u);
	for (size_t i = 0; i < uv->nkeys && i < 15; i++)
		memcpy(cb + PV_UVCB_QUERY_KEYS + 32 * i, uv->phkh[i],
		       PV_SHA256_LEN);
	return PV_UV_RC_EXECUTED;
}

/*
 * Initialise (§4.6): second init 0x0101, length != base-storage length
 * 0x0103, origin not 1 MiB aligned or not mapped 0x0104, range not mapped
 * or not free 0x0105, origin below 2 GiB 0x0108.  More than one host CPU
 * running (0x0102) is not modelled: the host is a single caller.
 */
uint16_t uv_cmd_init(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		     uint16_t *rrc)
{
	uint64_t origin = pv_get_be64(cb + PV_UVCB_INIT_ORIGIN);
	uint64_t slen = pv_get_be64(cb + PV_UVCB_INIT_LEN);

	if (uv->init)
		return 0x0101;
	if (slen != UV_BASE_STOR_LEN)
		return 0x0103;
	if (origin % UV_INIT_ALIGN || !uv_region_of(uv, origin, 1))
		return 0x0104;
	if (origin + slen < origin || !uv_range_free(uv, origin, slen))
		return 0x0105;
	if (origin < UV_INIT_MIN_ORIGIN)
		return 0x0108;
	uv_donate(uv, origin, slen);
	uv->stor = origin;
	uv->stor_len = slen;
	uv->init = true;
	return PV_UV_RC_EXECUTED;
}

void pv_uv_host_reset(struct pv_uv *uv)
{
	for (unsigned int i = 0; i < UV_MAX_CONFS; i++)
		if (uv->confs[i])
			uv_conf_destroy(uv, uv->confs[i]);
	if (uv->init)
		uv_release(uv, uv->stor, uv->stor_len);
	uv->init = false;
	uv->stor = 0;
	uv->stor_len = 0;
}
