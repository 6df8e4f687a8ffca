// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: calls issued by a secure guest CPU: set and remove
 * shared access (pv-machine-and-uv.md §4.3, §4.4, §4.6, §4.8, U-11), and
 * the guest-access check (U-09).  Query is in uv_query.c.
 */
#include <string.h>

#include "uv_priv.h"

/*
 * Resolve the guest absolute page address of a share/unshare UVCB:
 * beyond guest storage 0x0101 (U-11), not page aligned 0x0102, host page
 * not mapped 0x0103.
 */
static uint16_t gpage(struct pv_uv *uv, struct uv_conf *conf, uint8_t *cb,
		      struct uv_region **r, struct uv_page **pg,
		      uint64_t *haddr)
{
	uint64_t gaddr = pv_get_be64(cb + PV_UVCB_GADDR);

	if (gaddr >= conf->msl)
		return 0x0101;
	if (gaddr & PV_PAGE_MASK)
		return 0x0102;
	*haddr = conf->mso + gaddr;
	*pg = uv_page_of(uv, *haddr, r);
	return *pg ? PV_UV_RC_EXECUTED : 0x0103;
}

/*
 * Set shared access (0x1000): a secure page of the guest becomes
 * host-accessible with its content.  A page that was never imported is
 * imported (zeroed) first, as a guest access would have done.  Exported,
 * donated or foreign pages give 0x0104.
 */
uint16_t uv_guest_share(struct pv_uv *uv, struct uv_cpu *cpu, uint8_t *cb,
			uint16_t len, uint16_t *rrc)
{
	struct uv_conf *conf = cpu->conf;
	uint8_t owner = (uint8_t)(conf->slot + 1);
	struct uv_region *r;
	struct uv_page *pg;
	uint64_t haddr;
	uint16_t rc = gpage(uv, conf, cb, &r, &pg, &haddr);

	if (rc != PV_UV_RC_EXECUTED)
		return rc;
	if (pg->state == PV_PAGE_NONSECURE) {
		uv_zero_range(uv, r, (haddr - r->haddr) / PV_PAGE_SIZE, 1);
		pg->state = PV_PAGE_SECURE;
		pg->owner = owner;
		uv->st.pages_imported++;
	}
	if (pg->owner != owner || (pg->state != PV_PAGE_SECURE &&
				   pg->state != PV_PAGE_SHARED))
		return 0x0104;
	pg->state = PV_PAGE_SHARED;
	return PV_UV_RC_EXECUTED;
}

/*
 * Remove shared access (0x1001): the page is secure again and keeps its
 * content.  A host pin (0x0341) is dropped with it: on hardware the guest's
 * unshare is intercepted, the host unpins and the guest retries (§4.8); the
 * model folds that round trip into this call.  A page that is not shared
 * is left as it is (rc 0x0001).
 */
uint16_t uv_guest_unshare(struct pv_uv *uv, struct uv_cpu *cpu, uint8_t *cb,
			  uint16_t len, uint16_t *rrc)
{
	struct uv_conf *conf = cpu->conf;
	struct uv_region *r;
	struct uv_page *pg;
	uint64_t haddr;
	uint16_t rc = gpage(uv, conf, cb, &r, &pg, &haddr);

	if (rc != PV_UV_RC_EXECUTED)
		return rc;
	if (pg->state == PV_PAGE_SHARED && pg->owner == conf->slot + 1) {
		pg->state = PV_PAGE_SECURE;
		pg->pinned = 0;
	}
	return PV_UV_RC_EXECUTED;
}

int pv_uv_guest_access(struct pv_uv *uv, uint64_t cpu_handle, uint64_t gaddr)
{
	struct uv_cpu *cpu = uv_cpu_get(uv, cpu_handle);
	struct uv_page *pg;

	if (!cpu)
		return -PV_ERR_INVAL;
	if (gaddr >= cpu->conf->msl)
		return PV_PGM_ADDRESSING;
	pg = uv_page_of(uv, cpu->conf->mso + gaddr, NULL);
	if (!pg)
		return PV_PGM_ADDRESSING;
	switch (pg->state) {
	case PV_PAGE_NONSECURE:
	case PV_PAGE_EXPORTED:
		if (pg->state == PV_PAGE_NONSECURE ||
		    pg->owner == cpu->conf->slot + 1)
			return PV_PGM_NONSECURE_STORAGE_ACCESS;
		return PV_PGM_SECURE_STORAGE_VIOLATION;
	case PV_PAGE_SECURE:
	case PV_PAGE_SHARED:
		if (pg->owner == cpu->conf->slot + 1)
			return 0;
		return PV_PGM_SECURE_STORAGE_VIOLATION;
	default:
		return PV_PGM_SECURE_STORAGE_VIOLATION;
	}
}
