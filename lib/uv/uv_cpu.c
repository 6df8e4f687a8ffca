// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: secure CPU states, CPU resets and the PV-reset
 * protocol (pv-machine-and-uv.md §1.7, §1.8, §4.9, M-03, M-04, U-13).
 */
#include <string.h>

#include "uv_priv.h"

static bool all_stopped(const struct uv_conf *conf)
{
	for (size_t i = 0; i < conf->ncpus; i++)
		if (conf->cpus[i]->state != PV_UV_CPU_STOPPED &&
		    conf->cpus[i]->state != PV_UV_CPU_CHECK_STOP)
			return false;
	return true;
}

/* The reset kind this CPU needs before operating-load in a PV reset. */
static uint8_t reset_needed(const struct uv_cpu *cpu)
{
	const struct uv_conf *conf = cpu->conf;

	if (conf->reset_req && conf->reset_cpu == cpu->handle)
		return conf->reset_need;
	return UV_CRST_INITIAL;
}

/*
 * CPU reset 0x0310 (normal), 0x0311 (initial), 0x0321 (clear): bad handle
 * 0x0021.  The CPU is stopped; inside a prepared PV reset the kind is
 * remembered for the operating-load check.
 */
uint16_t uv_cmd_cpu_reset(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			  uint16_t *rrc)
{
	struct uv_cpu *cpu = uv_cpu_get(uv, pv_get_be64(cb + 0x18));
	uint16_t cmd = pv_get_be16(cb + PV_UVCB_CMD);
	uint8_t kind = cmd == PV_UVC_CPU_RESET_CLEAR ? UV_CRST_CLEAR :
		       cmd == PV_UVC_CPU_RESET_INITIAL ? UV_CRST_INITIAL :
							  UV_CRST_NORMAL;

	if (!cpu)
		return PV_UV_RC_INV_CHANDLE;
	cpu->state = PV_UV_CPU_STOPPED;
	if (cpu->conf->phase == UV_RST_PREPARED && kind > cpu->reset)
		cpu->reset = kind;
	return PV_UV_RC_EXECUTED;
}

/*
 * Set unshare all (0x0340): bad handle 0x0020; configuration not verified
 * or a CPU not stopped 0x0003.  Every shared page becomes secure again and
 * keeps its content; host pins are dropped.
 */
uint16_t uv_cmd_unshare_all(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			    uint16_t *rrc)
{
	struct uv_conf *conf = uv_conf_get(uv, pv_get_be64(cb + 0x18));
	uint8_t owner;

	if (!conf)
		return PV_UV_RC_INV_GHANDLE;
	if (conf->hdr != UV_HDR_VERIFIED || !all_stopped(conf))
		return PV_UV_RC_INV_STATE;
	owner = (uint8_t)(conf->slot + 1);
	for (size_t i = 0; i < uv->nregions; i++) {
		struct uv_region *r = &uv->regions[i];

		for (uint64_t p = 0; p < r->len / PV_PAGE_SIZE; p++) {
			struct uv_page *pg = &r->pages[p];

			if (pg->owner == owner &&
			    pg->state == PV_PAGE_SHARED) {
				pg->state = PV_PAGE_SECURE;
				pg->pinned = 0;
			}
		}
	}
	conf->phase = UV_RST_UNSHARED;
	return PV_UV_RC_EXECUTED;
}

/*
 * Prepare reset (0x0320): bad handle 0x0020; unshare-all not done or a CPU
 * not stopped 0x0003.  All CPUs lose their load; each needs a CPU reset.
 */
uint16_t uv_cmd_prepare_reset(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			      uint16_t *rrc)
{
	struct uv_conf *conf = uv_conf_get(uv, pv_get_be64(cb + 0x18));

	if (!conf)
		return PV_UV_RC_INV_GHANDLE;
	if (conf->phase != UV_RST_UNSHARED || !all_stopped(conf))
		return PV_UV_RC_INV_STATE;
	for (size_t i = 0; i < conf->ncpus; i++) {
		conf->cpus[i]->reset = UV_CRST_NONE;
		conf->cpus[i]->psw_src = UV_PSW_NONE;
	}
	conf->phase = UV_RST_PREPARED;
	return PV_UV_RC_EXECUTED;
}

/* Operating-load (5): first load after verify, or end of a PV reset. */
static uint16_t load(struct uv_cpu *cpu)
{
	struct uv_conf *conf = cpu->conf;

	if (conf->hdr != UV_HDR_VERIFIED)
		return PV_UV_RC_INV_STATE;
	if (cpu->state == PV_UV_CPU_OPERATING_LOAD)
		return PV_UV_RC_EXECUTED;
	if (conf->phase == UV_RST_PREPARED) {
		if (cpu->reset < reset_needed(cpu))
			return PV_UV_RC_INV_STATE;
		cpu->psw_src = UV_PSW_ABS0;
		conf->phase = UV_RST_NONE;
		conf->reset_req = false;
	} else if (conf->phase != UV_RST_NONE || conf->reset_req ||
		   conf->loaded) {
		return PV_UV_RC_INV_STATE;
	} else {
		cpu->psw_src = UV_PSW_HEADER;
		conf->loaded = true;
	}
	cpu->state = PV_UV_CPU_OPERATING_LOAD;
	return PV_UV_RC_EXECUTED;
}

static void start(struct pv_uv *uv, struct uv_cpu *cpu)
{
	if (!cpu->conf->imported)
		uv_conf_import_all(uv, cpu->conf);
	cpu->state = PV_UV_CPU_OPERATING;
}

/*
 * Set CPU state (0x0330): bad handle 0x0021; state value not 1/2/3/5
 * 0x0101.  Operating (1) and operating-load (5) need a verified
 * configuration and no PV reset in progress (else 0x0003); operating also
 * needs a first operating-load of some CPU of the configuration (else
 * 0x0003).  Operating from operating-load starts at the load PSW.
 */
uint16_t uv_cmd_set_cpu_state(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			      uint16_t *rrc)
{
	struct uv_cpu *cpu = uv_cpu_get(uv, pv_get_be64(cb + 0x18));
	uint8_t st = cb[PV_UVCB_CPU_STATE];
	struct uv_conf *conf;

	if (!cpu)
		return PV_UV_RC_INV_CHANDLE;
	conf = cpu->conf;
	switch (st) {
	case PV_UV_CPU_STOPPED:
	case PV_UV_CPU_CHECK_STOP:
		cpu->state = st;
		return PV_UV_RC_EXECUTED;
	case PV_UV_CPU_OPERATING_LOAD:
		return load(cpu);
	case PV_UV_CPU_OPERATING:
		if (conf->hdr != UV_HDR_VERIFIED || !conf->loaded ||
		    conf->reset_req || conf->phase != UV_RST_NONE)
			return PV_UV_RC_INV_STATE;
		start(uv, cpu);
		return PV_UV_RC_EXECUTED;
	default:
		return 0x0101;
	}
}

int pv_uv_cpu_state(const struct pv_uv *uv, uint64_t cpu_handle)
{
	struct uv_cpu *cpu = uv_cpu_get((struct pv_uv *)uv, cpu_handle);

	return cpu ? cpu->state : -PV_ERR_INVAL;
}

bool pv_uv_cpu_load_from_abs0(const struct pv_uv *uv, uint64_t cpu_handle)
{
	struct uv_cpu *cpu = uv_cpu_get((struct pv_uv *)uv, cpu_handle);

	return cpu && cpu->psw_src == UV_PSW_ABS0;
}

int pv_uv_cpu_start_psw(struct pv_uv *uv, uint64_t cpu_handle,
			uint64_t *mask, uint64_t *addr)
{
	struct uv_cpu *cpu;
	const uint8_t *p;
	uint64_t w;

	if (uv->ops)
		return uv->ops->cpu_start_psw(uv->ops_t, cpu_handle, mask,
					      addr);

	cpu = uv_cpu_get(uv, cpu_handle);
	if (!cpu)
		return -PV_ERR_INVAL;
	switch (cpu->psw_src) {
	case UV_PSW_HEADER:
		*mask = cpu->conf->psw_mask;
		*addr = cpu->conf->psw_addr;
		return 0;
	case UV_PSW_ABS0:
		/* §1.8: short PSW at absolute 0, bit 12 inverted. */
		p = uv_ptr(uv, cpu->conf->mso, 8);
		if (!p)
			return -PV_ERR_RANGE;
		w = pv_get_be64(p);
		*mask = (w & 0xffffffff80000000ULL) ^ 0x0008000000000000ULL;
		*addr = w & 0x7fffffffULL;
		return 0;
	default:
		return -PV_ERR_STATE;
	}
}

int pv_uv_guest_reset_request(struct pv_uv *uv, uint64_t cpu_handle,
			      bool clear)
{
	struct uv_cpu *cpu;

	if (uv->ops)
		return uv->ops->guest_reset_request(uv->ops_t, cpu_handle,
						    clear);

	cpu = uv_cpu_get(uv, cpu_handle);
	if (!cpu)
		return -PV_ERR_INVAL;
	if (cpu->conf->hdr != UV_HDR_VERIFIED)
		return -PV_ERR_STATE;
	cpu->conf->reset_req = true;
	cpu->conf->reset_cpu = cpu_handle;
	cpu->conf->reset_need = clear ? UV_CRST_CLEAR : UV_CRST_INITIAL;
	return 0;
}

/* First missing step of the PV-reset protocol (M-04), 0 if none. */
static uint16_t reset_missing(const struct uv_cpu *cpu)
{
	const struct uv_conf *conf = cpu->conf;

	if (!conf->reset_req && conf->phase == UV_RST_NONE)
		return 0;
	if (conf->phase == UV_RST_NONE)
		return all_stopped(conf) ? UV_VIR_RESET_UNSHARE :
					   UV_VIR_RESET_STOP;
	if (conf->phase == UV_RST_UNSHARED)
		return UV_VIR_RESET_PREPARE;
	if (cpu->reset < reset_needed(cpu))
		return UV_VIR_RESET_CPU;
	return UV_VIR_RESET_LOAD;
}

static bool prefix_secure(struct pv_uv *uv, const struct uv_conf *conf,
			  uint64_t prefix)
{
	for (uint64_t off = 0; off < 2 * PV_PAGE_SIZE; off += PV_PAGE_SIZE) {
		uint64_t g = (prefix & ~0x1fffULL) + off;
		struct uv_page *pg;

		if (g >= conf->msl)
			return false;
		pg = uv_page_of(uv, conf->mso + g, NULL);
		if (!pg || pg->owner != conf->slot + 1 ||
		    (pg->state != PV_PAGE_SECURE &&
		     pg->state != PV_PAGE_SHARED))
			return false;
	}
	return true;
}

int pv_uv_sie_entry(struct pv_uv *uv, uint64_t cpu_handle, uint64_t prefix,
		    uint16_t *reason)
{
	struct uv_cpu *cpu;
	uint16_t why;

	if (uv->ops)
		return uv->ops->sie_entry(uv->ops_t, cpu_handle, prefix,
					  reason);

	cpu = uv_cpu_get(uv, cpu_handle);
	if (!cpu)
		return -PV_ERR_INVAL;
	*reason = 0;
	why = reset_missing(cpu);
	if (!why && cpu->conf->hdr != UV_HDR_VERIFIED)
		why = UV_VIR_NOT_VERIFIED;
	if (!why && cpu->state != PV_UV_CPU_OPERATING &&
	    cpu->state != PV_UV_CPU_OPERATING_LOAD)
		why = UV_VIR_NOT_OPERATING;
	if (why) {
		*reason = why;
		return PV_SIE_IC_VALIDITY;
	}
	if (cpu->state == PV_UV_CPU_OPERATING_LOAD)
		start(uv, cpu);
	if (!prefix_secure(uv, cpu->conf, prefix))
		return PV_SIE_IC_PV_PREFIX;
	return 0;
}
