// SPDX-License-Identifier: MIT
/*
 * pvattest's exchange format v1 (attestation-and-secrets.md §5.2): a 64-byte
 * header with five (size, offset) entries, then the blobs.  Requests carry
 * the ARCB and the expected measurement / additional-data sizes; responses
 * carry every blob the UV produced.
 */
#include <string.h>

#include "pvboot/attest.h"
#include "pvboot/be.h"

#define OFF_VERSION 0x08
#define OFF_SIZE 0x0c
#define OFF_ENTRIES 0x18

enum { E_ARCB, E_MEAS, E_ADD, E_USER, E_CUID, E_NUM };

static const char *const entry_names[E_NUM] = {
	"attestation request", "measurement", "additional data", "user data",
	"configuration UID",
};

static const uint32_t entry_max[E_NUM] = {
	PV_EXCH_MAX_ARCB, PV_EXCH_MAX_MEAS, PV_EXCH_MAX_ADD, PV_ATT_USER_MAX,
	PV_CUID_LEN,
};

int pv_exchange_parse(const uint8_t *buf, size_t len, struct pv_exchange *x,
		      struct pv_err **err)
{
	const uint8_t **ptrs[E_NUM] = { &x->arcb, &x->meas, &x->add, &x->user,
					&x->cuid };
	uint32_t *lens[E_NUM] = { &x->arcb_len, &x->meas_len, &x->add_len,
				  &x->user_len, &x->cuid_len };
	uint32_t total;

	memset(x, 0, sizeof(*x));
	if (len < PV_EXCH_HDR_LEN)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "exchange file of %zu bytes is shorter than its %d-byte header",
				  len, PV_EXCH_HDR_LEN);
	if (memcmp(buf, PV_EXCH_MAGIC, 8))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "not a pvattest exchange file (no \"pvattest\" magic)");
	if (pv_get_be32(buf + OFF_VERSION) != PV_EXCH_VERSION)
		return pv_err_set(err, PV_ERR_UNSUPPORTED,
				  "exchange format version 0x%x is not supported (0x100 is)",
				  pv_get_be32(buf + OFF_VERSION));
	total = pv_get_be32(buf + OFF_SIZE);
	if (total > len)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "exchange file says %u bytes, it has %zu",
				  total, len);
	for (int i = 0; i < E_NUM; i++) {
		const uint8_t *e = buf + OFF_ENTRIES + 8 * i;
		uint32_t size = pv_get_be32(e), off = pv_get_be32(e + 4);

		if (size > entry_max[i])
			return pv_err_set(err, PV_ERR_RANGE,
					  "exchange file: %s of %u bytes, at most %u allowed",
					  entry_names[i], size, entry_max[i]);
		*lens[i] = size;
		if (!size || !off)
			continue;	/* absent, or an expected size */
		if (off < PV_EXCH_HDR_LEN || (uint64_t)off + size > len)
			return pv_err_set(err, PV_ERR_FORMAT,
					  "exchange file: %s at 0x%x+0x%x lies outside the %zu-byte file",
					  entry_names[i], off, size, len);
		*ptrs[i] = buf + off;
	}
	if (!x->arcb)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "exchange file holds no attestation request");
	if (!x->meas_len)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "exchange file has no measurement entry");
	return 0;
}

bool pv_exchange_is_response(const struct pv_exchange *x)
{
	return x->meas && x->cuid && x->cuid_len == PV_CUID_LEN;
}

size_t pv_exchange_len(const struct pv_exchange *x)
{
	size_t n = PV_EXCH_HDR_LEN + x->arcb_len;

	if (x->meas)
		n += x->meas_len;
	if (x->add)
		n += x->add_len;
	if (x->user)
		n += x->user_len;
	if (x->cuid)
		n += x->cuid_len;
	return n;
}

int pv_exchange_write(const struct pv_exchange *x, uint8_t *buf, size_t len,
		      struct pv_err **err)
{
	const uint8_t *ptrs[E_NUM] = { x->arcb, x->meas, x->add, x->user,
				       x->cuid };
	const uint32_t lens[E_NUM] = { x->arcb_len, x->meas_len, x->add_len,
				       x->user_len, x->cuid_len };
	size_t need = pv_exchange_len(x);
	uint32_t off = PV_EXCH_HDR_LEN;

	if (!x->arcb || !x->arcb_len)
		return pv_err_set(err, PV_ERR_INVAL,
				  "an exchange file needs the attestation request");
	for (int i = 0; i < E_NUM; i++)
		if (lens[i] > entry_max[i])
			return pv_err_set(err, PV_ERR_RANGE,
					  "%s of %u bytes, at most %u allowed",
					  entry_names[i], lens[i],
					  entry_max[i]);
	if (len < need)
		return pv_err_set(err, PV_ERR_RANGE,
				  "exchange file needs %zu bytes, buffer has %zu",
				  need, len);
	memset(buf, 0, PV_EXCH_HDR_LEN);
	memcpy(buf, PV_EXCH_MAGIC, 8);
	pv_put_be32(buf + OFF_VERSION, PV_EXCH_VERSION);
	pv_put_be32(buf + OFF_SIZE, (uint32_t)need);
	for (int i = 0; i < E_NUM; i++) {
		uint8_t *e = buf + OFF_ENTRIES + 8 * i;

		pv_put_be32(e, lens[i]);
		if (!ptrs[i] || !lens[i])
			continue;	/* absent, or an expected size */
		pv_put_be32(e + 4, off);
		memcpy(buf + off, ptrs[i], lens[i]);
		off += lens[i];
	}
	return 0;
}
