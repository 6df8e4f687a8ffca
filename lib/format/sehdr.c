// SPDX-License-Identifier: MIT
/*
 * SE header version 1: sizes, allocation, parsing and serialization, and
 * the layout of the 128-byte secret part (se-image-format.md §5.1, §5.2).
 * Sealing and opening live in sehdr_seal.c.
 */
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/sehdr.h"

#define SLOT_OFF_PHKH 0x00
#define SLOT_OFF_WRPK 0x20
#define SLOT_OFF_KST 0x40

/* The on-disk offsets of §5.1 must agree with the field sizes. */
_Static_assert(PV_SEHDR_OFF_PLD == PV_SEHDR_OFF_CUSTPUB + PV_EC_COORDS_LEN,
	       "customer key size");
_Static_assert(PV_SEHDR_OFF_SLOTS == PV_SEHDR_OFF_TLD + PV_SHA512_LEN,
	       "digest sizes");
_Static_assert(PV_SEHDR_OFF_SLOTS == PV_SEHDR_HEAD_SIZE, "head size");
_Static_assert(PV_SEHDR_OFF_RES1 == PV_SEHDR_OFF_IV + PV_GCM_IV_LEN, "iv");
_Static_assert(sizeof(struct pv_sehdr_keyslot) == PV_KEYSLOT_LEN,
	       "key slot size");
_Static_assert(SLOT_OFF_KST + PV_GCM_TAG_LEN == PV_KEYSLOT_LEN, "slot");
_Static_assert(PV_SEHDR_ENC_XTS == PV_SEHDR_ENC_CCK + PV_CCK_LEN, "cck");
_Static_assert(PV_SEHDR_ENC_PSW_MASK == PV_SEHDR_ENC_XTS + PV_XK_LEN, "xk");
_Static_assert(PV_SEHDR_ENC_RES2 + 4 == PV_SEHDR_SEA_MIN, "secret size");
_Static_assert(PV_SEHDR_HEAD_SIZE + PV_KEYSLOT_LEN * PV_SEHDR_MAX_KEYSLOTS +
	       PV_SEHDR_SEA_MIN + PV_GCM_TAG_LEN <= PV_SEHDR_MAX_SIZE,
	       "95 slots fit");
_Static_assert(PV_SEHDR_HEAD_SIZE + PV_KEYSLOT_LEN *
	       (PV_SEHDR_MAX_KEYSLOTS + 1) + PV_SEHDR_SEA_MIN +
	       PV_GCM_TAG_LEN > PV_SEHDR_MAX_SIZE, "96 slots do not fit");

/* phs for @nks slots and @sea bytes; callers bound both first. */
static uint64_t hdr_size(uint64_t nks, uint64_t sea)
{
	return PV_SEHDR_HEAD_SIZE + PV_KEYSLOT_LEN * nks + sea +
	       PV_GCM_TAG_LEN;
}

int pv_sehdr_size(uint64_t nks, uint32_t *phs, struct pv_err **err)
{
	if (nks == 0)
		return pv_err_set(err, PV_ERR_RANGE,
				  "SE header needs at least one host key");
	/* se-image-format.md §5.2 */
	if (nks > PV_SEHDR_MAX_KEYSLOTS)
		return pv_err_set(err, PV_ERR_RANGE,
				  "%llu host keys do not fit the SE header: at most %u host keys (header size limit %u bytes)",
				  (unsigned long long)nks,
				  PV_SEHDR_MAX_KEYSLOTS, PV_SEHDR_MAX_SIZE);
	*phs = (uint32_t)hdr_size(nks, PV_SEHDR_SEA_MIN);
	return 0;
}

int pv_sehdr_new(uint64_t nks, struct pv_sehdr **out, struct pv_err **err)
{
	struct pv_sehdr *hdr;
	uint32_t phs;
	int rc;

	rc = pv_sehdr_size(nks, &phs, err);
	if (rc)
		return rc;
	hdr = calloc(1, sizeof(*hdr));
	if (!hdr)
		goto err_nomem;
	hdr->slots = calloc(nks, sizeof(*hdr->slots));
	hdr->enc = calloc(1, PV_SEHDR_SEA_MIN);
	if (!hdr->slots || !hdr->enc)
		goto err_free_hdr;
	hdr->magic = PV_SEHDR_MAGIC;
	hdr->version = PV_SEHDR_VERSION_1;
	hdr->phs = phs;
	hdr->nks = nks;
	hdr->sea = PV_SEHDR_SEA_MIN;
	*out = hdr;
	return 0;

err_free_hdr:
	pv_sehdr_free(hdr);
err_nomem:
	return pv_err_set(err, PV_ERR_NOMEM, "out of memory for an SE header");
}

void pv_sehdr_free(struct pv_sehdr *hdr)
{
	if (!hdr)
		return;
	free(hdr->slots);
	free(hdr->enc);
	free(hdr);
}

bool pv_sehdr_probe(const uint8_t *buf, size_t len, uint32_t *phs)
{
	if (len < PV_SEHDR_OFF_IV ||
	    pv_get_be64(buf + PV_SEHDR_OFF_MAGIC) != PV_SEHDR_MAGIC)
		return false;
	if (phs)
		*phs = pv_get_be32(buf + PV_SEHDR_OFF_PHS);
	return true;
}

size_t pv_sehdr_enc_offset(const struct pv_sehdr *hdr)
{
	return PV_SEHDR_HEAD_SIZE + PV_KEYSLOT_LEN * (size_t)hdr->nks;
}

/*
 * The size relations of se-image-format.md §5.1, checked on the values a
 * header states about itself.  Shared by the parser and the serializer.
 */
static int check_sizes(uint32_t phs, uint64_t nks, uint64_t sea,
		       struct pv_err **err)
{
	if (phs > PV_SEHDR_MAX_SIZE)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "SE header size (phs) %u exceeds the maximum of %u bytes",
				  phs, PV_SEHDR_MAX_SIZE);
	if (nks == 0)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "SE header has no key slots (nks is 0)");
	if (sea < PV_SEHDR_SEA_MIN || sea % 16)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "SE header encrypted area size (sea) %llu is invalid: must be at least %u and a multiple of 16",
				  (unsigned long long)sea, PV_SEHDR_SEA_MIN);
	/* Bounding nks and sea first keeps the sum from overflowing. */
	if (nks > PV_SEHDR_MAX_SIZE / PV_KEYSLOT_LEN ||
	    sea > PV_SEHDR_MAX_SIZE || hdr_size(nks, sea) != phs)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "SE header size (phs) %u does not match 0x1A0 + 80 * nks (%llu) + sea (%llu) + 16",
				  phs, (unsigned long long)nks,
				  (unsigned long long)sea);
	return 0;
}

static void read_slot(const uint8_t *p, struct pv_sehdr_keyslot *s)
{
	memcpy(s->phkh, p + SLOT_OFF_PHKH, sizeof(s->phkh));
	memcpy(s->wrpk, p + SLOT_OFF_WRPK, sizeof(s->wrpk));
	memcpy(s->kst, p + SLOT_OFF_KST, sizeof(s->kst));
}

static void write_slot(const struct pv_sehdr_keyslot *s, uint8_t *p)
{
	memcpy(p + SLOT_OFF_PHKH, s->phkh, sizeof(s->phkh));
	memcpy(p + SLOT_OFF_WRPK, s->wrpk, sizeof(s->wrpk));
	memcpy(p + SLOT_OFF_KST, s->kst, sizeof(s->kst));
}

int pv_sehdr_parse(const uint8_t *buf, size_t len, struct pv_sehdr **out,
		   struct pv_err **err)
{
	uint64_t magic, nks, sea, k;
	struct pv_sehdr *hdr;
	uint32_t version, phs;
	size_t e;
	int rc;

	if (len < PV_SEHDR_OFF_VERSION)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "SE header: %zu bytes are too few for the magic",
				  len);
	magic = pv_get_be64(buf + PV_SEHDR_OFF_MAGIC);
	if (magic != PV_SEHDR_MAGIC)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "SE header: bad magic 0x%016llx (expected \"IBMSecEx\")",
				  (unsigned long long)magic);
	if (len < PV_SEHDR_OFF_CUSTPUB)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "SE header: %zu bytes are too few for the fixed fields (%u)",
				  len, PV_SEHDR_OFF_CUSTPUB);
	version = pv_get_be32(buf + PV_SEHDR_OFF_VERSION);
	if (version != PV_SEHDR_VERSION_1)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "SE header: unsupported version 0x%x (expected 0x%x)",
				  version, PV_SEHDR_VERSION_1);
	phs = pv_get_be32(buf + PV_SEHDR_OFF_PHS);
	nks = pv_get_be64(buf + PV_SEHDR_OFF_NKS);
	sea = pv_get_be64(buf + PV_SEHDR_OFF_SEA);
	rc = check_sizes(phs, nks, sea, err);
	if (rc)
		return rc;
	if (len < phs)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "SE header: buffer holds %zu bytes, header size (phs) is %u",
				  len, phs);

	hdr = calloc(1, sizeof(*hdr));
	if (!hdr)
		goto err_nomem;
	hdr->slots = calloc(nks, sizeof(*hdr->slots));
	hdr->enc = malloc(sea);
	if (!hdr->slots || !hdr->enc)
		goto err_free_hdr;
	hdr->magic = magic;
	hdr->version = version;
	hdr->phs = phs;
	memcpy(hdr->iv, buf + PV_SEHDR_OFF_IV, sizeof(hdr->iv));
	hdr->res1 = pv_get_be32(buf + PV_SEHDR_OFF_RES1);
	hdr->nks = nks;
	hdr->sea = sea;
	hdr->nep = pv_get_be64(buf + PV_SEHDR_OFF_NEP);
	hdr->pcf = pv_get_be64(buf + PV_SEHDR_OFF_PCF);
	memcpy(hdr->cust_pub, buf + PV_SEHDR_OFF_CUSTPUB,
	       sizeof(hdr->cust_pub));
	memcpy(hdr->pld, buf + PV_SEHDR_OFF_PLD, sizeof(hdr->pld));
	memcpy(hdr->ald, buf + PV_SEHDR_OFF_ALD, sizeof(hdr->ald));
	memcpy(hdr->tld, buf + PV_SEHDR_OFF_TLD, sizeof(hdr->tld));
	for (k = 0; k < nks; k++)
		read_slot(buf + PV_SEHDR_OFF_SLOTS + PV_KEYSLOT_LEN * k,
			  &hdr->slots[k]);
	e = pv_sehdr_enc_offset(hdr);
	memcpy(hdr->enc, buf + e, sea);
	memcpy(hdr->tag, buf + phs - PV_GCM_TAG_LEN, sizeof(hdr->tag));
	*out = hdr;
	return 0;

err_free_hdr:
	pv_sehdr_free(hdr);
err_nomem:
	return pv_err_set(err, PV_ERR_NOMEM, "out of memory for an SE header");
}

int pv_sehdr_serialize(const struct pv_sehdr *hdr, uint8_t *buf, size_t len,
		       struct pv_err **err)
{
	uint64_t k;
	size_t e;
	int rc;

	rc = check_sizes(hdr->phs, hdr->nks, hdr->sea, err);
	if (rc)
		return rc;
	if (!hdr->slots || !hdr->enc)
		return pv_err_set(err, PV_ERR_INVAL,
				  "serializing: SE header has no slots or no encrypted area");
	if (len < hdr->phs)
		return pv_err_set(err, PV_ERR_RANGE,
				  "serializing: output buffer of %zu bytes is smaller than the SE header (%u)",
				  len, hdr->phs);
	pv_put_be64(buf + PV_SEHDR_OFF_MAGIC, hdr->magic);
	pv_put_be32(buf + PV_SEHDR_OFF_VERSION, hdr->version);
	pv_put_be32(buf + PV_SEHDR_OFF_PHS, hdr->phs);
	memcpy(buf + PV_SEHDR_OFF_IV, hdr->iv, sizeof(hdr->iv));
	pv_put_be32(buf + PV_SEHDR_OFF_RES1, hdr->res1);
	pv_put_be64(buf + PV_SEHDR_OFF_NKS, hdr->nks);
	pv_put_be64(buf + PV_SEHDR_OFF_SEA, hdr->sea);
	pv_put_be64(buf + PV_SEHDR_OFF_NEP, hdr->nep);
	pv_put_be64(buf + PV_SEHDR_OFF_PCF, hdr->pcf);
	memcpy(buf + PV_SEHDR_OFF_CUSTPUB, hdr->cust_pub,
	       sizeof(hdr->cust_pub));
	memcpy(buf + PV_SEHDR_OFF_PLD, hdr->pld, sizeof(hdr->pld));
	memcpy(buf + PV_SEHDR_OFF_ALD, hdr->ald, sizeof(hdr->ald));
	memcpy(buf + PV_SEHDR_OFF_TLD, hdr->tld, sizeof(hdr->tld));
	for (k = 0; k < hdr->nks; k++)
		write_slot(&hdr->slots[k],
			   buf + PV_SEHDR_OFF_SLOTS + PV_KEYSLOT_LEN * k);
	e = pv_sehdr_enc_offset(hdr);
	memcpy(buf + e, hdr->enc, hdr->sea);
	memcpy(buf + hdr->phs - PV_GCM_TAG_LEN, hdr->tag, sizeof(hdr->tag));
	return 0;
}

int pv_sehdr_find_slot(const struct pv_sehdr *hdr,
		       const uint8_t phkh[PV_SHA256_LEN])
{
	uint64_t k;

	for (k = 0; k < hdr->nks; k++)
		if (!memcmp(hdr->slots[k].phkh, phkh, PV_SHA256_LEN))
			return (int)k;
	return -1;
}

void pv_sehdr_secret_pack(const struct pv_sehdr_secret *s, uint8_t out[128])
{
	memcpy(out + PV_SEHDR_ENC_CCK, s->cck, sizeof(s->cck));
	memcpy(out + PV_SEHDR_ENC_XTS, s->xts, sizeof(s->xts));
	pv_put_be64(out + PV_SEHDR_ENC_PSW_MASK, s->psw_mask);
	pv_put_be64(out + PV_SEHDR_ENC_PSW_ADDR, s->psw_addr);
	pv_put_be64(out + PV_SEHDR_ENC_SCF, s->scf);
	pv_put_be32(out + PV_SEHDR_ENC_NOI, s->noi);
	pv_put_be32(out + PV_SEHDR_ENC_RES2, s->res2);
}

void pv_sehdr_secret_unpack(const uint8_t in[128], struct pv_sehdr_secret *s)
{
	memcpy(s->cck, in + PV_SEHDR_ENC_CCK, sizeof(s->cck));
	memcpy(s->xts, in + PV_SEHDR_ENC_XTS, sizeof(s->xts));
	s->psw_mask = pv_get_be64(in + PV_SEHDR_ENC_PSW_MASK);
	s->psw_addr = pv_get_be64(in + PV_SEHDR_ENC_PSW_ADDR);
	s->scf = pv_get_be64(in + PV_SEHDR_ENC_SCF);
	s->noi = pv_get_be32(in + PV_SEHDR_ENC_NOI);
	s->res2 = pv_get_be32(in + PV_SEHDR_ENC_RES2);
}
