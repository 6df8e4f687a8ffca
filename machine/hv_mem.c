// SPDX-License-Identifier: MIT
/*
 * Guest memory as the hypervisor sees it.  Guest RAM is host memory at
 * host address 0 (MSO 0, as KVM uses), so a guest absolute address is a
 * host address; every access goes through the UV's host-access check and
 * a secure page answers PGM 0x3d as hardware does (pv-machine-and-uv.md
 * §4.8, DESIGN.md "The UV owns the secrets").
 */
#include "pvboot/machine.h"

#include "pvboot/be.h"
#include "machine_priv.h"

int hv_read(struct pv_machine *m, uint64_t gaddr, void *buf, uint64_t len)
{
	if (gaddr > m->ram_size || len > m->ram_size - gaddr)
		return PV_PGM_ADDRESSING;
	return pv_uv_host_read(m->uv, gaddr, buf, len);
}

int hv_write(struct pv_machine *m, uint64_t gaddr, const void *buf,
	     uint64_t len)
{
	if (gaddr > m->ram_size || len > m->ram_size - gaddr)
		return PV_PGM_ADDRESSING;
	return pv_uv_host_write(m->uv, gaddr, buf, len);
}

/* "Is this guest range accessible memory" for IPLB validation (§2.4). */
bool hv_range_ok(void *opaque, uint64_t addr, uint64_t len)
{
	struct pv_machine *m = opaque;

	return addr <= m->ram_size && len <= m->ram_size - addr;
}

/* A secure CPU's SIDA page (host memory of the hypervisor). */
uint8_t *hv_sida(struct vcpu *v)
{
	struct pv_machine *m = v->m;
	uint64_t sida = v->pv_sida ? v->pv_sida :
				     m->hv.sida + PV_PAGE_SIZE * v->id;

	return m->hv.area + (sida - m->hv.base);
}

/* The CPU the hypervisor acts for: the one running, else the IPL CPU. */
struct vcpu *mach_cpu(struct pv_machine *m)
{
	return m->cur ? m->cur : m->cpus[0];
}

/*
 * The UV changed host memory (unpack, zeroing, destroy): that range must
 * leave Unicorn's translation cache before the guest runs again.
 */
void hv_notify(void *opaque, uint64_t haddr, uint64_t len)
{
	struct pv_machine *m = opaque;

	if (haddr < m->ram_size)
		codemap_written(m, haddr, len);
}

int pv_machine_hv_read(struct pv_machine *m, uint64_t gaddr, void *buf,
		       size_t len)
{
	return hv_read(m, gaddr, buf, len);
}
