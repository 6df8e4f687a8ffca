// SPDX-License-Identifier: MIT
/*
 * The boot-header tags (PLD, ALD, TLD, GCM tag) of an SE header, found in
 * an image or an extracted header the way pvattest finds them
 * (attestation-and-secrets.md §5.1 step 1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/attest.h"
#include "pvboot/be.h"
#include "pvboot/sehdr.h"

#define META_OFF 0xc000
#define META_MAGIC "SeImgLnx"
#define META_HDR_OFF 0x08
#define SCAN_PAGES 0x15

int pv_hdr_tags_from_hdr(const uint8_t *hdr, size_t len,
			 struct pv_hdr_tags *t, struct pv_err **err)
{
	uint32_t phs;

	if (!pv_sehdr_probe(hdr, len, &phs))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "no SE header (magic IBMSecEx) found");
	if (pv_get_be32(hdr + PV_SEHDR_OFF_VERSION) != PV_SEHDR_VERSION_1)
		return pv_err_set(err, PV_ERR_UNSUPPORTED,
				  "SE header version 0x%x is not supported (0x100 is)",
				  pv_get_be32(hdr + PV_SEHDR_OFF_VERSION));
	if (phs < PV_SEHDR_HEAD_SIZE + PV_GCM_TAG_LEN ||
	    phs > PV_SEHDR_MAX_SIZE)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "SE header size %u is out of range", phs);
	if (phs > len)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "SE header of %u bytes is cut after %zu bytes",
				  phs, len);
	memcpy(t->pld, hdr + PV_SEHDR_OFF_PLD, PV_SHA512_LEN);
	memcpy(t->ald, hdr + PV_SEHDR_OFF_ALD, PV_SHA512_LEN);
	memcpy(t->tld, hdr + PV_SEHDR_OFF_TLD, PV_SHA512_LEN);
	memcpy(t->tag, hdr + phs - PV_GCM_TAG_LEN, PV_GCM_TAG_LEN);
	return 0;
}

/* Read up to @len bytes at @off; returns the count (short at the end). */
static size_t read_at(FILE *f, long off, uint8_t *buf, size_t len)
{
	if (fseek(f, off, SEEK_SET))
		return 0;
	return fread(buf, 1, len, f);
}

/* Offset of the header: the metadata's pointer, or a page-wise search. */
static int find_hdr(FILE *f, long *off)
{
	uint8_t buf[16];

	if (read_at(f, META_OFF, buf, 16) == 16 &&
	    !memcmp(buf, META_MAGIC, 8)) {
		uint64_t h = pv_get_be64(buf + META_HDR_OFF);

		if (h > 0x7fffffff || read_at(f, (long)h, buf, 8) != 8 ||
		    pv_get_be64(buf) != PV_SEHDR_MAGIC)
			return -1;
		*off = (long)h;
		return 0;
	}
	for (long i = 0; i < SCAN_PAGES; i++) {
		if (read_at(f, i * 4096, buf, 8) != 8)
			return -1;
		if (pv_get_be64(buf) == PV_SEHDR_MAGIC) {
			*off = i * 4096;
			return 0;
		}
	}
	return -1;
}

int pv_hdr_tags_from_file(const char *path, struct pv_hdr_tags *t,
			  struct pv_err **err)
{
	uint8_t *hdr = NULL;
	size_t n;
	long off;
	FILE *f;
	int rc;

	f = fopen(path, "rb");
	if (!f)
		return pv_err_set(err, PV_ERR_IO, "cannot open '%s': %s", path,
				  strerror(errno));
	if (find_hdr(f, &off)) {
		fclose(f);
		return pv_err_set(err, PV_ERR_FORMAT,
				  "'%s' holds no SE header (neither image metadata at 0xC000 nor IBMSecEx at a page start)",
				  path);
	}
	hdr = malloc(PV_SEHDR_MAX_SIZE);
	if (!hdr) {
		fclose(f);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	n = read_at(f, off, hdr, PV_SEHDR_MAX_SIZE);
	fclose(f);
	rc = pv_hdr_tags_from_hdr(hdr, n, t, err);
	free(hdr);
	if (rc)
		pv_err_prefix(err, "'%s' at offset 0x%lx: ", path, off);
	return rc;
}
