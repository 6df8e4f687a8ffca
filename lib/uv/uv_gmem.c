// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: the calling guest's own memory, as the UV reaches it
 * for the attestation and secret calls (attestation-and-secrets.md §2.1).
 * Addresses are logical addresses of the guest; each 4 KiB page goes
 * through the machine's translator (identity when none is installed) and
 * must then be a secure or shared page of the CPU's own configuration.
 */
#include <string.h>

#include "uv_priv.h"

void pv_uv_set_guest_xlate(struct pv_uv *uv, pv_uv_xlate_fn fn, void *opaque)
{
	uv->xlate = fn;
	uv->xlate_opaque = opaque;
}

/* Host pointer for the page piece at @laddr, or NULL when inaccessible. */
static uint8_t *gpage(struct pv_uv *uv, struct uv_cpu *cpu, uint64_t laddr,
		      uint64_t n, uint64_t *haddr)
{
	uint64_t gabs = laddr;

	if (uv->xlate &&
	    uv->xlate(uv->xlate_opaque, cpu->handle, laddr, &gabs))
		return NULL;
	if (pv_uv_guest_access(uv, cpu->handle, gabs))
		return NULL;
	*haddr = cpu->conf->mso + gabs;
	return uv_ptr(uv, *haddr, n);
}

/*
 * Walk [laddr, laddr + len) page by page; copy into @in / out of @out when
 * given.  Returns 0, or -1 at the first inaccessible page (a write may
 * have stored the pages before it; callers check first).
 */
static int gwalk(struct pv_uv *uv, struct uv_cpu *cpu, uint64_t laddr,
		 uint64_t len, uint8_t *in, const uint8_t *out)
{
	if (laddr + len < laddr)
		return -1;
	while (len) {
		uint64_t n = PV_PAGE_SIZE - (laddr & PV_PAGE_MASK), haddr;
		uint8_t *p;

		if (n > len)
			n = len;
		p = gpage(uv, cpu, laddr, n, &haddr);
		if (!p)
			return -1;
		if (in)
			memcpy(in, p, n);
		if (out) {
			memcpy(p, out, n);
			uv_notify(uv, haddr, n);
		}
		if (in)
			in += n;
		if (out)
			out += n;
		laddr += n;
		len -= n;
	}
	return 0;
}

int uv_gcheck(struct pv_uv *uv, struct uv_cpu *cpu, uint64_t laddr,
	      uint64_t len)
{
	return gwalk(uv, cpu, laddr, len, NULL, NULL);
}

int uv_gread(struct pv_uv *uv, struct uv_cpu *cpu, uint64_t laddr,
	     void *buf, uint64_t len)
{
	return gwalk(uv, cpu, laddr, len, buf, NULL);
}

int uv_gwrite(struct pv_uv *uv, struct uv_cpu *cpu, uint64_t laddr,
	      const void *buf, uint64_t len)
{
	if (gwalk(uv, cpu, laddr, len, NULL, NULL))
		return -1;
	return gwalk(uv, cpu, laddr, len, NULL, buf);
}
