/* SPDX-License-Identifier: MIT */
/*
 * Test helpers for the UV's attestation and secret calls: a booted
 * synthetic guest (uvtest.h) with its host key and header tags, requests
 * for it, and guest calls on UVCBs placed at fixed guest addresses.
 */
#ifndef PVBOOT_TESTS_ATTTEST_H
#define PVBOOT_TESTS_ATTTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/attest.h"
#include "uvtest.h"

/* Guest addresses used by the tests (1 MiB guest, components below). */
#define AT_REQ 0x80000ULL		/* ARCB / ASRCB, up to 64 KiB */
#define AT_MEAS 0x90000ULL
#define AT_ADD 0x91000ULL
#define AT_PAGE 0xa0000ULL		/* list page / retrieve buffer */
#define AT_BAD 0x4000000ULL		/* beyond the guest's storage */

struct at_fix {
	struct uvt_host h;
	struct pv_eckey *hk;		/* the guest's host key (private) */
	struct pv_hdr_tags tags;	/* of the guest's SE header */
};

/* Boot @g on a fresh UV (optionally with a CUID seed); 0 or negative. */
int at_boot(struct at_fix *f, const struct uvt_guest *g,
	    const uint8_t *cuid_seed);
void at_free(struct at_fix *f);

/* An ARCB with flags @paf for host key @hk (NULL: the guest's). */
uint8_t *at_arcb(struct at_fix *f, const struct pv_eckey *hk, uint64_t paf,
		 size_t *len, uint8_t arpk[PV_REQ_KEY_LEN]);

/*
 * Fill @cb (0x188 bytes) for 0x1020 with the ARCB copied to AT_REQ,
 * measurement and additional data at AT_MEAS / AT_ADD with the capacities
 * the flags need, and no user data.
 */
void at_att_cb(struct at_fix *f, uint8_t *cb, const uint8_t *arcb,
	       size_t len);
/* Guest call on @cb; returns rc << 16 | rrc, or 0xffffffff on a PGM. */
uint32_t at_call(struct at_fix *f, uint8_t *cb, size_t cblen);
/* The cc of the last at_call(). */
extern int at_cc;

/* Add-secret request options for this guest: association @name. */
void at_asrcb_opts(struct at_fix *f, struct pv_asrcb_opts *o,
		   const struct pv_eckey **hosts);
/* Copy @req to AT_REQ and issue Add Secret; returns rc << 16 | rrc. */
uint32_t at_add(struct at_fix *f, const uint8_t *req, size_t len);
/* List Secrets from @start into AT_PAGE; the page is copied to @page. */
uint32_t at_list(struct at_fix *f, uint16_t start, uint8_t *page);
uint32_t at_lock(struct at_fix *f);
uint32_t at_retrieve(struct at_fix *f, uint16_t idx, uint32_t size,
		     uint64_t addr);

#endif
