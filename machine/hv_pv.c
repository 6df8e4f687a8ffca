// SPDX-License-Identifier: MIT
/*
 * Protected-VM commands of the KVM-like layer, in the order QEMU issues
 * them: the protect sequence of DIAG 308 subcode 10 (pv-machine-and-uv.md
 * §3.2: ENABLE, SET_SEC_PARMS, UNPACK page by page, VERIFY), the PV reset
 * of subcodes 0/1 (§1.7, §4.9) and the CPU loads and SIE entries.
 */
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/ipib.h"

#include "machine_priv.h"

/* KVM_PV_* command numbers reported in the subcode-10 response (§1.5.10). */
#define KVM_PV_SET_SEC_PARMS 2
#define KVM_PV_UNPACK 3
#define KVM_PV_VERIFY 4
#define PV_HDR_MAX 8192U
#define UNPACK_RETRIES 3

static void record(struct pv_machine *m, uint16_t cmd, const uint8_t *cb)
{
	m->hv.last_cmd = cmd;
	m->hv.last_rc = cb ? pv_get_be16(cb + PV_UVCB_RC) : 0;
	m->hv.last_rrc = cb ? pv_get_be16(cb + PV_UVCB_RRC) : 0;
}

/*
 * §3.2 step 6: QEMU reads the SE header out of guest memory (a plain,
 * non-secure read) into a host buffer, KVM copies it to kernel memory and
 * hands its address to the UV.
 */
static int set_sec_parms(struct pv_machine *m, uint64_t addr, uint64_t len)
{
	uint8_t cb[0x50] = { 0 };
	uint8_t *copy = m->hv.area + (m->hv.hdr - m->hv.base);

	record(m, KVM_PV_SET_SEC_PARMS, NULL);
	if (len > PV_HDR_MAX || hv_read(m, addr, copy, len))
		return -1;	/* KVM -EINVAL / QEMU read failure (B-06) */
	pv_put_be64(cb + PV_UVCB_HANDLE, m->hv.conf_handle);
	pv_put_be64(cb + PV_UVCB_SSC_ORIGIN, m->hv.hdr);
	pv_put_be32(cb + PV_UVCB_SSC_LEN, (uint32_t)len);
	if (hv_uvc(m, cb, PV_UVC_SET_SEC_PARMS) != 0) {
		record(m, KVM_PV_SET_SEC_PARMS, cb);
		return -1;
	}
	record(m, KVM_PV_SET_SEC_PARMS, cb);
	return 0;
}

/*
 * KVM_PV_UNPACK (§3.5): one UV unpack per page, tweak = (prefix, byte
 * offset in the component).  Busy/partial is retried inside hv_uvc; rc
 * 0x010a (host page not mapped) is retried after "faulting it in".  The
 * calls go to the UV UNPACK_BATCH at a time (pv_uv_call_many: one
 * exchange when the UV is in another process); the first that does not
 * end with cc 0 is taken again one by one as above.
 */
#define UNPACK_BATCH 64
#define UNPACK_CB 0x50

static void unpack_cb(struct pv_machine *m, uint8_t *cb, uint64_t gaddr,
		      uint64_t tweak, uint64_t off)
{
	memset(cb, 0, UNPACK_CB);
	pv_put_be16(cb + PV_UVCB_LEN, pv_uvcb_size(PV_UVC_UNPACK));
	pv_put_be16(cb + PV_UVCB_CMD, PV_UVC_UNPACK);
	pv_put_be64(cb + PV_UVCB_HANDLE, m->hv.conf_handle);
	pv_put_be64(cb + PV_UVCB_GADDR, gaddr);
	pv_put_be64(cb + PV_UVCB_UNP_TWEAK0, tweak);
	pv_put_be64(cb + PV_UVCB_UNP_TWEAK1, off);
}

/* One page the batch stopped at, the way a single KVM_PV_UNPACK does. */
static int unpack_one(struct pv_machine *m, uint8_t *cb, uint64_t gaddr,
		      uint64_t tweak, uint64_t off)
{
	int tries = 0, cc;

	do {
		unpack_cb(m, cb, gaddr, tweak, off);
		cc = hv_uvc(m, cb, PV_UVC_UNPACK);
	} while (cc == 1 && pv_get_be16(cb + PV_UVCB_RC) == 0x010a &&
		 ++tries < UNPACK_RETRIES);
	record(m, KVM_PV_UNPACK, cb);
	return cc ? -1 : 0;
}

static int unpack(struct pv_machine *m, uint64_t addr, uint64_t size,
		  uint64_t tweak)
{
	uint8_t cbs[UNPACK_BATCH][UNPACK_CB];
	uint64_t off = 0;

	record(m, KVM_PV_UNPACK, NULL);
	if ((addr & PV_PAGE_MASK) || !size || (size & PV_PAGE_MASK))
		return -1;	/* -EINVAL before any UVC (B-07) */
	while (off < size) {
		size_t n = 0, done = 0;
		uint16_t pgm = 0;
		int cc;

		while (n < UNPACK_BATCH && off + n * PV_PAGE_SIZE < size) {
			uint64_t o = off + n * PV_PAGE_SIZE;

			if (addr + o < addr || addr + o >= m->ram_size)
				break;
			unpack_cb(m, cbs[n], addr + o, tweak, o);
			n++;
		}
		if (!n) {
			record(m, KVM_PV_UNPACK, NULL);
			return -1;	/* outside every memslot: -EFAULT */
		}
		cc = pv_uv_call_many(m->uv, cbs, UNPACK_CB, n, &done, &pgm);
		for (size_t i = 0; i < done; i++) {
			hv_uvc_trace(m, cbs[i], PV_UVC_UNPACK, 0);
			record(m, KVM_PV_UNPACK, cbs[i]);
		}
		off += done * PV_PAGE_SIZE;
		if (!cc)
			continue;
		/* the page it stopped at, from scratch, with the retries */
		if (unpack_one(m, cbs[done], addr + off, tweak, off))
			return -1;
		off += PV_PAGE_SIZE;
	}
	return 0;
}

static int verify(struct pv_machine *m)
{
	uint8_t cb[0x40] = { 0 };
	int cc;

	pv_put_be64(cb + PV_UVCB_HANDLE, m->hv.conf_handle);
	cc = hv_uvc(m, cb, PV_UVC_VERIFY);
	record(m, KVM_PV_VERIFY, cb);
	if (m->res) {
		m->res->verify_done = true;
		m->res->verify_rc = m->hv.last_rc;
		m->res->verify_rrc = m->hv.last_rrc;
	}
	return cc ? -1 : 0;
}

/*
 * The protect sequence with the PV slot's IPLB.  Returns 0 when the
 * configuration is verified; otherwise -1 with @cmd, @rc and @rrc of the
 * failing step and the configuration already torn down.
 */
int hv_protect(struct pv_machine *m, uint16_t *cmd, uint16_t *rc,
	       uint16_t *rrc)
{
	const uint8_t *ipl = m->iplb_pv;
	uint32_t n = pv_get_be32(ipl + PV_IPIB_OFF_NUM_COMP);
	int ret;

	*cmd = *rc = *rrc = 0;
	if (hv_enable(m))
		return -1;	/* steps 1-5: command/rc/rrc left zero */
	ret = set_sec_parms(m, pv_get_be64(ipl + PV_IPIB_OFF_HDR_ADDR),
			    pv_get_be64(ipl + PV_IPIB_OFF_HDR_SIZE));
	for (uint32_t i = 0; !ret && i < n && i < PV_IPIB_PV_MAX_COMPS; i++) {
		const uint8_t *c = ipl + PV_IPIB_OFF_COMPS +
				   i * PV_IPIB_PV_COMP;

		ret = unpack(m, pv_get_be64(c + 8),
			     pv_page_align(pv_get_be64(c + 16)),
			     pv_get_be64(c));
	}
	if (!ret)
		ret = verify(m);
	if (ret) {
		*cmd = m->hv.last_cmd;
		*rc = m->hv.last_rc;
		*rrc = m->hv.last_rrc;
		hv_unprotect(m);
	}
	return ret;
}

int hv_cpu_state(struct vcpu *v, uint8_t state)
{
	uint8_t cb[0x50] = { 0 };

	pv_put_be64(cb + PV_UVCB_HANDLE, v->pv_handle);
	cb[PV_UVCB_CPU_STATE] = state;
	return hv_uvc(v->m, cb, PV_UVC_SET_CPU_STATE) ? -1 : 0;
}

static int conf_cmd(struct pv_machine *m, uint16_t cmd)
{
	uint8_t cb[0x40] = { 0 };

	pv_put_be64(cb + PV_UVCB_HANDLE, m->hv.conf_handle);
	return hv_uvc(m, cb, cmd) ? -1 : 0;
}

/*
 * PV prepare-reset (§1.7): every CPU stopped, UNSHARE_ALL, PREP_RESET.
 * A failure is fatal for the VMM (M-07).
 */
int hv_pv_prepare_reset(struct pv_machine *m)
{
	for (unsigned int i = 0; i < m->ncpus; i++)
		if (hv_cpu_state(m->cpus[i], PV_UV_CPU_STOPPED))
			return -1;
	if (conf_cmd(m, PV_UVC_SET_UNSHARE_ALL) ||
	    conf_cmd(m, PV_UVC_PREPARE_RESET))
		return -1;
	return 0;
}

/* CPU reset UVC for a protected vCPU (0x0310, 0x0311 or 0x0321). */
int hv_cpu_reset(struct vcpu *v, uint16_t cmd)
{
	uint8_t cb[0x40] = { 0 };

	pv_put_be64(cb + PV_UVCB_HANDLE, v->pv_handle);
	return hv_uvc(v->m, cb, cmd) ? -1 : 0;
}

/*
 * Load normal in PV (§1.8, §4.9): state LOAD (operating-load) then
 * OPERATING; the UV supplies the PSW (SE header after verify, absolute 0
 * after a PV reset).
 */
int hv_cpu_load(struct vcpu *v, struct pv_err **err)
{
	uint64_t mask, addr;
	int rc;

	if (hv_cpu_state(v, PV_UV_CPU_OPERATING_LOAD) ||
	    hv_cpu_state(v, PV_UV_CPU_OPERATING))
		return pv_err_set(err, PV_ERR_STATE,
				  "UV refused to start the secure CPU (set CPU state)");
	rc = pv_uv_cpu_start_psw(v->m->uv, v->pv_handle, &mask, &addr);
	if (rc)
		return pv_err_set(err, PV_ERR_STATE,
				  "UV gave no start PSW for the secure CPU (%d)",
				  rc);
	vcpu_load_psw(v, mask, addr);
	return 0;
}

/*
 * SIE entry of the secure CPU (§4.9, §4.10): a PV-prefix intercept is
 * answered by importing both prefix pages; a validity intercept means the
 * host broke the protocol and the guest cannot run.
 */
int hv_sie_entry(struct vcpu *v, struct pv_err **err)
{
	struct pv_machine *m = v->m;
	uint16_t reason = 0;
	uint8_t cb[0x28];
	int rc;

	for (int tries = 0; tries < 2; tries++) {
		rc = pv_uv_sie_entry(m->uv, v->pv_handle, vcpu_prefix(v),
				     &reason);
		if (rc == 0)
			return 0;
		if (rc != PV_SIE_IC_PV_PREFIX)
			break;
		for (int i = 0; i < 2; i++) {
			memset(cb, 0, sizeof(cb));
			pv_put_be64(cb + PV_UVCB_HANDLE, m->hv.conf_handle);
			pv_put_be64(cb + PV_UVCB_GADDR,
				    vcpu_prefix(v) + i * PV_PAGE_SIZE);
			hv_uvc(m, cb, PV_UVC_IMPORT);
		}
	}
	if (rc == PV_SIE_IC_VALIDITY)
		return pv_err_set(err, PV_ERR_STATE,
				  "secure CPU entry refused: validity intercept reason 0x%04x",
				  reason);
	return pv_err_set(err, PV_ERR_STATE,
			  "secure CPU entry refused: intercept 0x%x", rc);
}
