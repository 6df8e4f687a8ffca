// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: host memory map, per-page states and the page
 * commands import, export, destroy, pin/unpin shared
 * (pv-machine-and-uv.md §4.4, §4.8).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uv_priv.h"

struct uv_region *uv_region_of(struct pv_uv *uv, uint64_t haddr, uint64_t len)
{
	for (size_t i = 0; i < uv->nregions; i++) {
		struct uv_region *r = &uv->regions[i];

		if (haddr >= r->haddr && len <= r->len &&
		    haddr - r->haddr <= r->len - len)
			return r;
	}
	return NULL;
}

uint8_t *uv_ptr(struct pv_uv *uv, uint64_t haddr, uint64_t len)
{
	struct uv_region *r = uv_region_of(uv, haddr, len ? len : 1);

	return r ? r->ptr + (haddr - r->haddr) : NULL;
}

struct uv_page *uv_page_of(struct pv_uv *uv, uint64_t haddr,
			   struct uv_region **rp)
{
	struct uv_region *r = uv_region_of(uv, haddr, 1);

	if (rp)
		*rp = r;
	return r ? &r->pages[(haddr - r->haddr) / PV_PAGE_SIZE] : NULL;
}

/* Calls fn on every page touched by [haddr, haddr + len); stops on false. */
static bool each_page(struct pv_uv *uv, uint64_t haddr, uint64_t len,
		      bool (*fn)(struct uv_page *pg))
{
	uint64_t p, end;
	struct uv_region *r;

	if (!len)
		len = 1;
	r = uv_region_of(uv, haddr, len);
	if (!r)
		return false;
	end = (haddr - r->haddr + len - 1) / PV_PAGE_SIZE;
	for (p = (haddr - r->haddr) / PV_PAGE_SIZE; p <= end; p++)
		if (!fn(&r->pages[p]))
			return false;
	return true;
}

static bool page_free(struct uv_page *pg)
{
	return pg->state == PV_PAGE_NONSECURE;
}

static bool page_host_ok(struct uv_page *pg)
{
	return pg->state != PV_PAGE_SECURE && pg->state != PV_PAGE_DONATED;
}

static bool page_donate(struct uv_page *pg)
{
	pg->state = PV_PAGE_DONATED;
	pg->owner = 0;
	pg->pinned = 0;
	return true;
}

/* Mapped and every page non-secure: usable for a donation. */
bool uv_range_free(struct pv_uv *uv, uint64_t haddr, uint64_t len)
{
	return each_page(uv, haddr, len, page_free);
}

/* Mapped and readable by the host (not secure, not donated). */
bool uv_range_host_ok(struct pv_uv *uv, uint64_t haddr, uint64_t len)
{
	return each_page(uv, haddr, len, page_host_ok);
}

void uv_donate(struct pv_uv *uv, uint64_t haddr, uint64_t len)
{
	each_page(uv, haddr, len, page_donate);
}

/* Zero donated storage and give it back to the host (§4.8 rule 3). */
void uv_release(struct pv_uv *uv, uint64_t haddr, uint64_t len)
{
	struct uv_region *r = uv_region_of(uv, haddr, len);

	if (!r || !len)
		return;
	uv_zero_range(uv, r, (haddr - r->haddr) / PV_PAGE_SIZE,
		      len / PV_PAGE_SIZE);
	for (uint64_t p = 0; p < len / PV_PAGE_SIZE; p++) {
		struct uv_page *pg = uv_page_of(uv, haddr + p * PV_PAGE_SIZE,
						NULL);

		pg->state = PV_PAGE_NONSECURE;
		pg->owner = 0;
	}
}

/*
 * Zero @npages pages of @r from page @first.  Anonymous private memory is
 * dropped with MADV_DONTNEED when the range is large and host-page aligned
 * (the kernel then supplies zero pages), shared memory of a memfd with
 * MADV_REMOVE (its backing store goes); everything else is cleared with
 * memset.  The caller's CPU model is told through the notify callback.
 */
void uv_zero_range(struct pv_uv *uv, struct uv_region *r, uint64_t first,
		   uint64_t npages)
{
	uint8_t *p = r->ptr + first * PV_PAGE_SIZE;
	size_t len = npages * PV_PAGE_SIZE;
	long hps = sysconf(_SC_PAGESIZE);
	bool done = false;

	if (!npages)
		return;
	if ((r->flags & (PV_UV_MAP_ANON | PV_UV_MAP_SHMEM)) &&
	    len >= 64 * 1024 && hps > 0 &&
	    (uintptr_t)p % (uintptr_t)hps == 0 && len % (size_t)hps == 0)
		done = madvise(p, len, (r->flags & PV_UV_MAP_ANON) ?
					       MADV_DONTNEED :
					       MADV_REMOVE) == 0;
	if (!done)
		memset(p, 0, len);
	uv_notify(uv, r->haddr + first * PV_PAGE_SIZE, len);
}

void uv_export_drop(struct uv_region *r, uint64_t idx)
{
	if (r->exp && r->exp[idx]) {
		pv_free_secret(r->exp[idx], sizeof(*r->exp[idx]));
		r->exp[idx] = NULL;
	}
}

/*
 * Destroying a configuration zeroes every page it owns (B-13, §4.8 clearing
 * rule 2): secure, shared and exported pages become non-secure zero pages.
 */
void uv_conf_zero_pages(struct pv_uv *uv, struct uv_conf *conf)
{
	uint8_t owner = (uint8_t)(conf->slot + 1);

	for (size_t i = 0; i < uv->nregions; i++) {
		struct uv_region *r = &uv->regions[i];
		uint64_t n = r->len / PV_PAGE_SIZE, run = 0;

		for (uint64_t p = 0; p <= n; p++) {
			struct uv_page *pg = p < n ? &r->pages[p] : NULL;

			if (pg && pg->owner == owner &&
			    pg->state != PV_PAGE_DONATED) {
				pg->state = PV_PAGE_NONSECURE;
				pg->owner = 0;
				pg->pinned = 0;
				uv_export_drop(r, p);
				uv->st.pages_destroyed++;
				run++;
				continue;
			}
			uv_zero_range(uv, r, p - run, run);
			run = 0;
		}
	}
}

/*
 * First start of a verified configuration: every guest page that is still
 * non-secure is imported, i.e. becomes a secure zero page (§3.6, §4.8,
 * B-14).  Exported and donated pages are left alone.
 */
void uv_conf_import_all(struct pv_uv *uv, struct uv_conf *conf)
{
	uint64_t gstart = conf->mso, gend = conf->mso + conf->msl;
	uint8_t owner = (uint8_t)(conf->slot + 1);

	for (size_t i = 0; i < uv->nregions; i++) {
		struct uv_region *r = &uv->regions[i];
		uint64_t lo = r->haddr > gstart ? r->haddr : gstart;
		uint64_t hi = r->haddr + r->len < gend ? r->haddr + r->len :
							 gend;
		uint64_t first, last, run = 0;

		if (lo >= hi)
			continue;
		first = (lo - r->haddr) / PV_PAGE_SIZE;
		last = (hi - r->haddr) / PV_PAGE_SIZE;
		for (uint64_t p = first; p <= last; p++) {
			struct uv_page *pg = p < last ? &r->pages[p] : NULL;

			if (pg && pg->state == PV_PAGE_NONSECURE) {
				pg->state = PV_PAGE_SECURE;
				pg->owner = owner;
				uv->st.pages_imported++;
				run++;
				continue;
			}
			uv_zero_range(uv, r, p - run, run);
			run = 0;
		}
	}
	conf->imported = true;
}

enum pv_page_state pv_uv_page_state(const struct pv_uv *uv, uint64_t haddr)
{
	struct uv_page *pg;

	if (uv->ops)
		return uv->ops->page_state(uv->ops_t, haddr);

	pg = uv_page_of((struct pv_uv *)uv, haddr, NULL);
	return pg ? (enum pv_page_state)pg->state : PV_PAGE_NONSECURE;
}

/* Hypervisor access (U-09): 0x3d for secure or donated, 5 if unmapped. */
static int host_access(struct pv_uv *uv, uint64_t haddr, size_t len,
		       uint8_t **p)
{
	if (!uv_region_of(uv, haddr, len ? len : 1))
		return PV_PGM_ADDRESSING;
	if (!uv_range_host_ok(uv, haddr, len))
		return PV_PGM_SECURE_STORAGE_ACCESS;
	*p = uv_ptr(uv, haddr, len);
	return 0;
}

int pv_uv_host_read(struct pv_uv *uv, uint64_t haddr, void *buf, size_t len)
{
	uint8_t *p;
	int rc;

	if (uv->ops)
		return uv->ops->host_read(uv->ops_t, haddr, buf, len);

	rc = host_access(uv, haddr, len, &p);
	if (!rc && len)
		memcpy(buf, p, len);
	return rc;
}

int pv_uv_host_write(struct pv_uv *uv, uint64_t haddr, const void *buf,
		     size_t len)
{
	uint8_t *p;
	int rc;

	if (uv->ops)
		return uv->ops->host_write(uv->ops_t, haddr, buf, len);

	rc = host_access(uv, haddr, len, &p);
	if (!rc && len)
		memcpy(p, buf, len);
	return rc;
}

/* ---- page commands ------------------------------------------------------ */

/*
 * Resolve the guest absolute page address at PV_UVCB_GADDR of @conf.
 * rc 0x0107 unaligned, 0x0101 beyond MSL, 0x010a host page not mapped
 * (the host faults it in and retries, B-10).
 */
static uint16_t guest_page(struct pv_uv *uv, struct uv_conf *conf,
			   uint64_t gaddr, struct uv_region **r,
			   struct uv_page **pg)
{
	if (gaddr & PV_PAGE_MASK)
		return 0x0107;
	if (gaddr >= conf->msl)
		return 0x0101;
	*pg = uv_page_of(uv, conf->mso + gaddr, r);
	if (!*pg)
		return 0x010a;
	return PV_UV_RC_EXECUTED;
}

static uint16_t host_page(struct pv_uv *uv, uint64_t paddr,
			  struct uv_region **r, struct uv_page **pg)
{
	if (paddr & PV_PAGE_MASK)
		return 0x0107;
	*pg = uv_page_of(uv, paddr, r);
	return *pg ? PV_UV_RC_EXECUTED : 0x010a;
}

static void export_aad(const struct uv_conf *conf, uint64_t haddr,
		       uint8_t aad[16])
{
	pv_put_be64(aad, haddr);
	pv_put_be64(aad + 8, conf->handle);
}

/* Import (0x0200): N -> S zero-filled; E -> S decrypted and checked. */
uint16_t uv_cmd_import(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		       uint16_t *rrc)
{
	struct uv_conf *conf = uv_conf_get(uv, pv_get_be64(cb + 0x18));
	uint8_t owner, aad[16], *tmp, *p;
	struct uv_region *r;
	struct uv_page *pg;
	uint64_t idx, haddr;
	uint16_t rc;

	if (!conf)
		return PV_UV_RC_INV_GHANDLE;
	if (conf->defunct)
		return PV_UV_RC_INV_STATE;
	rc = guest_page(uv, conf, pv_get_be64(cb + PV_UVCB_GADDR), &r, &pg);
	if (rc != PV_UV_RC_EXECUTED)
		return rc;
	owner = (uint8_t)(conf->slot + 1);
	haddr = conf->mso + pv_get_be64(cb + PV_UVCB_GADDR);
	idx = (haddr - r->haddr) / PV_PAGE_SIZE;
	p = r->ptr + idx * PV_PAGE_SIZE;
	switch (pg->state) {
	case PV_PAGE_NONSECURE:
		uv_zero_range(uv, r, idx, 1);
		pg->state = PV_PAGE_SECURE;
		pg->owner = owner;
		uv->st.pages_imported++;
		return PV_UV_RC_EXECUTED;
	case PV_PAGE_SECURE:
	case PV_PAGE_SHARED:
		return pg->owner == owner ? PV_UV_RC_EXECUTED : 0x0105;
	case PV_PAGE_EXPORTED:
		if (pg->owner != owner)
			return 0x0105;
		if (!r->exp || !r->exp[idx])
			return UV_RC_INTERNAL;
		tmp = malloc(PV_PAGE_SIZE);
		if (!tmp)
			return UV_RC_INTERNAL;
		export_aad(conf, haddr, aad);
		if (pv_gcm_decrypt(conf->exp_key, r->exp[idx]->iv, aad,
				   sizeof(aad), p, PV_PAGE_SIZE,
				   r->exp[idx]->tag, tmp, NULL)) {
			/* Integrity failure: the page stays exported. */
			pv_free_secret(tmp, PV_PAGE_SIZE);
			return 0x0106;
		}
		memcpy(p, tmp, PV_PAGE_SIZE);
		pv_free_secret(tmp, PV_PAGE_SIZE);
		uv_export_drop(r, idx);
		pg->state = PV_PAGE_SECURE;
		uv->st.pages_imported++;
		uv_notify(uv, haddr, PV_PAGE_SIZE);
		return PV_UV_RC_EXECUTED;
	default:
		return 0x0104;
	}
}

/* Export (0x0201): S -> E, content encrypted and bound to its address. */
uint16_t uv_cmd_export(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		       uint16_t *rrc)
{
	uint64_t paddr = pv_get_be64(cb + PV_UVCB_PADDR), idx;
	struct uv_export *e;
	struct uv_region *r;
	struct uv_page *pg;
	struct uv_conf *conf = NULL;
	uint8_t aad[16], *tmp, *p;
	uint16_t rc = host_page(uv, paddr, &r, &pg);

	if (rc != PV_UV_RC_EXECUTED)
		return rc;
	if (pg->state == PV_PAGE_DONATED)
		return 0x0104;
	if (pg->state != PV_PAGE_SECURE)
		return PV_UV_RC_EXECUTED;	/* already host-accessible */
	for (unsigned int i = 0; i < UV_MAX_CONFS; i++)
		if (uv->confs[i] && uv->confs[i]->slot + 1 == pg->owner)
			conf = uv->confs[i];
	if (!conf)
		return UV_RC_INTERNAL;
	idx = (paddr - r->haddr) / PV_PAGE_SIZE;
	if (!r->exp) {
		r->exp = calloc(r->len / PV_PAGE_SIZE, sizeof(*r->exp));
		if (!r->exp)
			return UV_RC_INTERNAL;
	}
	e = calloc(1, sizeof(*e));
	tmp = malloc(PV_PAGE_SIZE);
	if (!e || !tmp) {
		free(e);
		free(tmp);
		return UV_RC_INTERNAL;
	}
	/* Unique IV per export: configuration counter, never reused. */
	pv_put_be32(e->iv, 0);
	pv_put_be64(e->iv + 4, ++conf->exp_ctr);
	export_aad(conf, paddr, aad);
	p = r->ptr + idx * PV_PAGE_SIZE;
	if (pv_gcm_encrypt(conf->exp_key, e->iv, aad, sizeof(aad), p,
			   PV_PAGE_SIZE, tmp, e->tag, NULL)) {
		free(e);
		pv_free_secret(tmp, PV_PAGE_SIZE);
		return UV_RC_INTERNAL;
	}
	memcpy(p, tmp, PV_PAGE_SIZE);
	free(tmp);
	uv_export_drop(r, idx);
	r->exp[idx] = e;
	pg->state = PV_PAGE_EXPORTED;
	uv_notify(uv, paddr, PV_PAGE_SIZE);
	return PV_UV_RC_EXECUTED;
}

/* Destroy page (0x0202): S/SH/E -> N with content zeroed. */
uint16_t uv_cmd_destroy_page(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			     uint16_t *rrc)
{
	uint64_t paddr = pv_get_be64(cb + PV_UVCB_PADDR), idx;
	struct uv_region *r;
	struct uv_page *pg;
	uint16_t rc = host_page(uv, paddr, &r, &pg);

	if (rc != PV_UV_RC_EXECUTED)
		return rc;
	if (pg->state == PV_PAGE_DONATED)
		return 0x0104;
	if (pg->state == PV_PAGE_NONSECURE)
		return PV_UV_RC_EXECUTED;
	idx = (paddr - r->haddr) / PV_PAGE_SIZE;
	uv_zero_range(uv, r, idx, 1);
	uv_export_drop(r, idx);
	pg->state = PV_PAGE_NONSECURE;
	pg->owner = 0;
	pg->pinned = 0;
	uv->st.pages_destroyed++;
	return PV_UV_RC_EXECUTED;
}

/* Pin shared (0x0341): only a page the guest shared can be pinned. */
uint16_t uv_cmd_pin_shared(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			   uint16_t *rrc)
{
	struct uv_region *r;
	struct uv_page *pg;
	uint16_t rc = host_page(uv, pv_get_be64(cb + PV_UVCB_PADDR), &r, &pg);

	if (rc != PV_UV_RC_EXECUTED)
		return rc;
	if (pg->state != PV_PAGE_SHARED)
		return 0x0104;
	pg->pinned = 1;
	return PV_UV_RC_EXECUTED;
}

/* Unpin shared (0x0342): configuration handle + guest address. */
uint16_t uv_cmd_unpin_shared(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			     uint16_t *rrc)
{
	struct uv_conf *conf = uv_conf_get(uv, pv_get_be64(cb + 0x18));
	struct uv_region *r;
	struct uv_page *pg;
	uint16_t rc;

	if (!conf)
		return PV_UV_RC_INV_GHANDLE;
	rc = guest_page(uv, conf, pv_get_be64(cb + PV_UVCB_GADDR), &r, &pg);
	if (rc != PV_UV_RC_EXECUTED)
		return rc;
	if (pg->owner != conf->slot + 1 && pg->state != PV_PAGE_NONSECURE)
		return 0x0105;
	pg->pinned = 0;
	return PV_UV_RC_EXECUTED;
}
