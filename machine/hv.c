// SPDX-License-Identifier: MIT
/*
 * The KVM-like hypervisor layer: host memory for the UV, UV INIT at
 * machine start (a host booted with prot_virt=1), and the protected-VM
 * lifecycle commands KVM_PV_ENABLE / KVM_PV_DISABLE built from UV calls
 * (pv-machine-and-uv.md §3.3, §3.4, §3.7).  Host memory map: guest RAM at
 * host address 0 (MSO 0) and a separate host area at 4 GiB (or above RAM)
 * for UV, configuration and CPU donated storage, SCA, state description,
 * SIDA and the SE-header copy (lib/uv/README.md "Memory model").
 */
#include <string.h>
#include <sys/mman.h>

#include "pvboot/be.h"

#include "machine_priv.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

static uint64_t round_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Issue a host UVC; returns the cc (0-3), or -1 with a program check. */
int hv_uvc(struct pv_machine *m, uint8_t *cb, uint16_t cmd)
{
	uint16_t len = pv_uvcb_size(cmd), pgm = 0;
	int cc;

	pv_put_be16(cb + PV_UVCB_LEN, len);
	pv_put_be16(cb + PV_UVCB_CMD, cmd);
	do {
		cc = pv_uv_call(m->uv, cb, len, &pgm);
	} while (cc == 2 || cc == 3);	/* busy, partial: again (§4.1) */
	hv_uvc_trace(m, cb, cmd, cc);
	return cc;
}

void hv_uvc_trace(struct pv_machine *m, const uint8_t *cb, uint16_t cmd,
		  int cc)
{
	if (m->tr)
		mach_trace(m, "  UVC %-18s cc %d rc 0x%04x rrc 0x%04x",
			   pv_uvc_name(cmd), cc, pv_get_be16(cb + PV_UVCB_RC),
			   pv_get_be16(cb + PV_UVCB_RRC));
}

static void record(struct pv_machine *m, uint16_t cmd, const uint8_t *cb)
{
	m->hv.last_cmd = cmd;
	m->hv.last_rc = pv_get_be16(cb + PV_UVCB_RC);
	m->hv.last_rrc = pv_get_be16(cb + PV_UVCB_RRC);
}

/* Lay the donated storage out in the host area (sizes from query). */
static void layout(struct pv_machine *m, const uint8_t *qui)
{
	struct hv *h = &m->hv;
	uint64_t off;

	h->uv_base = h->base;
	h->uv_base_len = pv_get_be64(qui + PV_QUI_UV_BASE_STOR);
	off = round_up(h->uv_base_len, MIB);
	h->conf_base = h->base + off;
	h->conf_base_len = pv_get_be64(qui + PV_QUI_CONF_BASE_STOR);
	off += round_up(h->conf_base_len, 0x4000);
	h->conf_var = h->base + off;
	h->conf_var_len = pv_get_be64(qui + PV_QUI_CONF_VIRT_BASE) +
			  round_up(pv_get_be64(qui + PV_QUI_CONF_VIRT_VAR) *
					   (m->ram_size / MIB),
				   PV_PAGE_SIZE);
	off += round_up(h->conf_var_len, PV_PAGE_SIZE);
	h->cpu_stor = h->base + off;
	h->cpu_stor_len = round_up(pv_get_be64(qui + PV_QUI_CPU_STOR),
				   PV_PAGE_SIZE);
	off += h->cpu_stor_len * m->ncpus;
	h->sca = h->base + off;
	h->sd = h->sca + PV_PAGE_SIZE;		/* one page per CPU */
	h->sida = h->sd + PV_PAGE_SIZE * m->ncpus;	/* the same */
	/* The "gmap" ASCE: a region table page, private space (0x100). */
	h->asce = (h->sida + PV_PAGE_SIZE * m->ncpus) | 0x100 | 0x0c | 0x3;
	h->hdr = h->sida + PV_PAGE_SIZE * (m->ncpus + 1);
	off = h->hdr + 2 * PV_PAGE_SIZE - h->base;
	h->area_len = round_up(off, MIB);
}

int hv_init(struct pv_machine *m, struct pv_err **err)
{
	struct hv *h = &m->hv;
	uint8_t qui[PV_QUERY_SIZE] = { 0 }, cb[0x48] = { 0 };
	int rc;

	h->base = m->ram_size > HV_AREA_MIN ? round_up(m->ram_size, GIB) :
					      HV_AREA_MIN;
	if (hv_uvc(m, qui, PV_UVC_QUERY) != 0)
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "UV query failed: rc 0x%04x",
				  pv_get_be16(qui + PV_UVCB_RC));
	layout(m, qui);
	h->area = uvlink_mem(m, h->area_len, &h->area_flags, err);
	if (!h->area) {
		pv_err_prefix(err, "host storage for the UV: ");
		return -PV_ERR_NOMEM;
	}
	rc = pv_uv_map_host_flags(m->uv, 0, m->ram, m->ram_size,
				  m->ram_map_flags, err);
	if (!rc)
		rc = pv_uv_map_host_flags(m->uv, h->base, h->area,
					  h->area_len, h->area_flags, err);
	if (rc)
		return rc;
	pv_uv_set_notify(m->uv, hv_notify, m);
	if (m->flags & PV_MACHINE_F_NO_INIT)
		return 0;
	/* The host's UV INIT (§3.1): donate the UV base storage. */
	pv_put_be64(cb + PV_UVCB_INIT_ORIGIN, h->uv_base);
	pv_put_be64(cb + PV_UVCB_INIT_LEN, h->uv_base_len);
	if (hv_uvc(m, cb, PV_UVC_INIT) != 0)
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "UV INIT failed: rc 0x%04x",
				  pv_get_be16(cb + PV_UVCB_RC));
	h->uv_ready = true;
	return 0;
}

void hv_free(struct pv_machine *m)
{
	if (m->hv.area)
		munmap(m->hv.area, m->hv.area_len);
	m->hv.area = NULL;
}

static void destroy_conf(struct pv_machine *m)
{
	uint8_t cb[0x40] = { 0 };

	pv_put_be64(cb + PV_UVCB_HANDLE, m->hv.conf_handle);
	if (hv_uvc(m, cb, PV_UVC_DESTROY_CONF) != 0)
		m->hv.leaked = true;	/* donated storage stays lost */
	m->hv.conf_handle = 0;
}

static void destroy_cpus(struct pv_machine *m)
{
	uint8_t cb[0x40];

	for (unsigned int i = 0; i < m->ncpus; i++) {
		struct vcpu *v = m->cpus[i];

		if (!v->pv_handle)
			continue;
		memset(cb, 0, sizeof(cb));
		pv_put_be64(cb + PV_UVCB_HANDLE, v->pv_handle);
		if (hv_uvc(m, cb, PV_UVC_DESTROY_CPU) != 0)
			m->hv.leaked = true;
		v->pv_handle = 0;
	}
}

/* KVM_PV_ENABLE's second half: one secure CPU per guest CPU (§3.4 b). */
static int create_cpus(struct pv_machine *m)
{
	struct hv *h = &m->hv;
	uint8_t cb[0x80];

	for (unsigned int i = 0; i < m->ncpus; i++) {
		struct vcpu *v = m->cpus[i];

		v->pv_stor = h->cpu_stor + h->cpu_stor_len * i;
		v->pv_sd = h->sd + PV_PAGE_SIZE * i;
		v->pv_sida = h->sida + PV_PAGE_SIZE * i;
		memset(cb, 0, sizeof(cb));
		pv_put_be64(cb + PV_UVCB_CSC_GUEST, h->conf_handle);
		pv_put_be64(cb + PV_UVCB_CSC_STOR, v->pv_stor);
		pv_put_be16(cb + PV_UVCB_CSC_NUM, (uint16_t)v->id);
		pv_put_be64(cb + PV_UVCB_CSC_SD, v->pv_sd);
		if (hv_uvc(m, cb, PV_UVC_CREATE_CPU) != 0) {
			record(m, 0, cb);
			return -1;
		}
		v->pv_handle = pv_get_be64(cb + PV_UVCB_HANDLE);
		memset(m->hv.area + (v->pv_sida - h->base), 0, HV_SIDA_SIZE);
	}
	return 0;
}

/*
 * KVM_PV_ENABLE (§3.3, §3.4 a/b): create the secure configuration and the
 * secure CPUs.  Returns 0 or -1 (KVM's -EINVAL/-EIO) with last rc/rrc set.
 */
int hv_enable(struct pv_machine *m)
{
	struct hv *h = &m->hv;
	uint8_t cb[0x80] = { 0 };
	uint16_t rc;

	h->last_cmd = 0;
	h->last_rc = h->last_rrc = 0;
	if (!h->uv_ready || h->leaked || h->conf_handle)
		return -1;	/* not a PV host, or storage lost */
	pv_put_be64(cb + PV_UVCB_CGC_BASE, h->conf_base);
	pv_put_be64(cb + PV_UVCB_CGC_VAR, h->conf_var);
	pv_put_be64(cb + PV_UVCB_CGC_MSO, 0);
	pv_put_be64(cb + PV_UVCB_CGC_MSL, m->ram_size);
	pv_put_be64(cb + PV_UVCB_CGC_SCA, h->sca);
	pv_put_be64(cb + PV_UVCB_CGC_ASCE, h->asce);
	if (hv_uvc(m, cb, PV_UVC_CREATE_CONF) != 0) {
		rc = pv_get_be16(cb + PV_UVCB_RC);
		record(m, 0, cb);
		/* §3.4 a: a handle came back (0x8000): destroy it. */
		if (rc & PV_UV_RC_NEED_DESTROY) {
			h->conf_handle = pv_get_be64(cb + PV_UVCB_HANDLE);
			destroy_conf(m);
		}
		return -1;
	}
	h->conf_handle = pv_get_be64(cb + PV_UVCB_HANDLE);
	if (create_cpus(m)) {
		destroy_cpus(m);
		destroy_conf(m);	/* K-04 */
		return -1;
	}
	m->protected_mode = true;
	return 0;
}

/*
 * Leave protected mode (§3.7: KVM_PV_DISABLE and the full cleanup):
 * destroy the secure CPU and configuration (the UV zeroes every page the
 * guest owned), then destroy any page still secure.
 */
void hv_unprotect(struct pv_machine *m)
{
	struct hv *h = &m->hv;
	uint8_t cb[0x40] = { 0 };

	destroy_cpus(m);
	if (h->conf_handle)
		destroy_conf(m);
	for (uint64_t a = 0;
	     (a = uvlink_next_secure(m, a, m->ram_size)) < m->ram_size;
	     a += PV_PAGE_SIZE) {
		memset(cb, 0, sizeof(cb));
		pv_put_be64(cb + PV_UVCB_PADDR, a);
		hv_uvc(m, cb, PV_UVC_DESTROY_PAGE);
	}
	m->protected_mode = false;
}
