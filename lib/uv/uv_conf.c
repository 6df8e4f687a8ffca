// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: create/destroy secure configuration and secure CPU
 * (pv-machine-and-uv.md §3.4, §4.4, §4.6; U-04, U-05, U-08).
 */
#include <stdlib.h>
#include <string.h>

#include "uv_priv.h"

#define UV_ASCE_PRIVATE 0x100ULL	/* bit 55 */
#define UV_ASCE_REAL 0x20ULL		/* bit 58 */
#define UV_HANDLE_CONF 0xC0F0
#define UV_HANDLE_CPU 0xC9A0
#define MiB (1ULL << 20)

/* Header key material, image key and digests: zeroized (DESIGN, §4.8). */
void uv_conf_forget_secrets(struct uv_conf *conf)
{
	pv_xts_free(conf->xts);
	conf->xts = NULL;
	pv_digests_free(conf->dig);
	conf->dig = NULL;
	pv_cleanse(conf->cck, sizeof(conf->cck));
	pv_cleanse(conf->exp_key, sizeof(conf->exp_key));
	pv_cleanse(conf->pld, sizeof(conf->pld));
	pv_cleanse(conf->ald, sizeof(conf->ald));
	pv_cleanse(conf->tld, sizeof(conf->tld));
	uv_store_free(conf->store);
	conf->store = NULL;
	conf->psw_mask = conf->psw_addr = 0;
	conf->pcf = conf->scf = conf->nep = 0;
}

static uint64_t var_stor_len(uint64_t msl)
{
	return pv_page_align(UV_CONF_VIRT_VAR_PER_MB * (msl / MiB)) +
	       UV_CONF_VIRT_BASE_LEN;
}

/*
 * Create configuration (0x0100).  Checks in this order: free slot 0x0103;
 * MSO beyond the maximum or not 1 MiB aligned 0x0101; MSL 0, not a page
 * multiple or MSO + MSL beyond the maximum 0x0102; ASCE without the
 * private bit or with the real-space bit 0x0105, ASCE in use 0x0104; base
 * storage unaligned/unmapped/not free 0x0108, in the lowcore 0x0109;
 * SCA 0 0x010c, SCA unmapped or secure 0x010d.  Only then a handle exists:
 * variable storage unaligned/unmapped/not free gives 0x010a | 0x8000 with
 * the handle returned and the configuration usable only for destroy.
 */
uint16_t uv_cmd_create_conf(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			    uint16_t *rrc)
{
	uint64_t base = pv_get_be64(cb + PV_UVCB_CGC_BASE);
	uint64_t var = pv_get_be64(cb + PV_UVCB_CGC_VAR);
	uint64_t mso = pv_get_be64(cb + PV_UVCB_CGC_MSO);
	uint64_t msl = pv_get_be64(cb + PV_UVCB_CGC_MSL);
	uint64_t sca = pv_get_be64(cb + PV_UVCB_CGC_SCA);
	uint64_t asce = pv_get_be64(cb + PV_UVCB_CGC_ASCE);
	struct uv_conf *conf;
	unsigned int slot;

	pv_put_be64(cb + PV_UVCB_HANDLE, 0);
	for (slot = 0; slot < UV_MAX_CONFS; slot++)
		if (!uv->confs[slot])
			break;
	if (slot == UV_MAX_CONFS)
		return 0x0103;
	if (mso > UV_MAX_GUEST_ADDR || mso % MiB)
		return 0x0101;
	if (!msl || msl & PV_PAGE_MASK || msl - 1 > UV_MAX_GUEST_ADDR - mso)
		return 0x0102;
	if (!(asce & UV_ASCE_PRIVATE) || (asce & UV_ASCE_REAL))
		return 0x0105;
	for (unsigned int i = 0; i < UV_MAX_CONFS; i++)
		if (uv->confs[i] && uv->confs[i]->asce == asce)
			return 0x0104;
	if (base & PV_PAGE_MASK ||
	    !uv_range_free(uv, base, UV_CONF_BASE_STOR_LEN))
		return 0x0108;
	if (base < UV_LOWCORE_END)
		return 0x0109;
	if (!sca)
		return 0x010c;
	if (!uv_range_host_ok(uv, sca, UV_SCA_LEN))
		return 0x010d;

	conf = calloc(1, sizeof(*conf));
	if (!conf)
		return UV_RC_INTERNAL;
	if (pv_rng_bytes(uv->rng, "uv-export-key", conf->exp_key,
			 sizeof(conf->exp_key), NULL) ||
	    uv_conf_new_cuid(uv, conf)) {
		free(conf);
		return UV_RC_INTERNAL;
	}
	conf->handle = uv_new_handle(uv, UV_HANDLE_CONF);
	conf->slot = slot;
	conf->base = base;
	conf->mso = mso;
	conf->msl = msl;
	conf->sca = sca;
	conf->asce = asce;
	conf->flags = pv_get_be16(cb + PV_UVCB_CGC_FLAGS);
	uv_donate(uv, base, UV_CONF_BASE_STOR_LEN);
	uv->confs[slot] = conf;
	pv_put_be64(cb + PV_UVCB_HANDLE, conf->handle);

	if (var & PV_PAGE_MASK || !uv_range_free(uv, var, var_stor_len(msl))) {
		conf->defunct = true;
		return 0x010a | PV_UV_RC_NEED_DESTROY;
	}
	conf->var = var;
	conf->var_len = var_stor_len(msl);
	uv_donate(uv, var, conf->var_len);
	return PV_UV_RC_EXECUTED;
}

void uv_cpu_destroy(struct pv_uv *uv, struct uv_cpu *cpu)
{
	struct uv_conf *conf = cpu->conf;

	uv_release(uv, cpu->stor, UV_CPU_STOR_LEN);
	for (size_t i = 0; i < conf->ncpus; i++) {
		if (conf->cpus[i] != cpu)
			continue;
		conf->cpus[i] = conf->cpus[--conf->ncpus];
		break;
	}
	pv_free_secret(cpu, sizeof(*cpu));
}

/* Everything the configuration owns goes: CPUs, pages, storage, keys. */
void uv_conf_destroy(struct pv_uv *uv, struct uv_conf *conf)
{
	while (conf->ncpus)
		uv_cpu_destroy(uv, conf->cpus[0]);
	free(conf->cpus);
	uv_conf_zero_pages(uv, conf);
	uv_release(uv, conf->base, UV_CONF_BASE_STOR_LEN);
	if (conf->var_len)
		uv_release(uv, conf->var, conf->var_len);
	uv_conf_forget_secrets(conf);
	uv->confs[conf->slot] = NULL;
	pv_free_secret(conf, sizeof(*conf));
}

/*
 * Destroy configuration (0x0101) and its fast variant (0x0102, same effect
 * here).  Secure CPUs must be destroyed first (KVM does so, §3.3 DISABLE):
 * otherwise rc 0x0102.
 */
uint16_t uv_cmd_destroy_conf(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			     uint16_t *rrc)
{
	struct uv_conf *conf = uv_conf_get(uv, pv_get_be64(cb + 0x18));

	if (!conf)
		return PV_UV_RC_INV_GHANDLE;
	if (conf->ncpus)
		return 0x0102;
	uv_conf_destroy(uv, conf);
	return PV_UV_RC_EXECUTED;
}

/*
 * Create CPU (0x0120): bad configuration 0x0020 (0x0003 if it only awaits
 * destroy); CPU number > max 0x0103; donated storage unaligned, unmapped or
 * not free 0x0105, in the lowcore 0x0106; state description unmapped or
 * not host-accessible 0x0107; CPU number in use 0x0104.
 */
uint16_t uv_cmd_create_cpu(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			   uint16_t *rrc)
{
	struct uv_conf *conf = uv_conf_get(uv, pv_get_be64(cb +
							  PV_UVCB_CSC_GUEST));
	uint64_t stor = pv_get_be64(cb + PV_UVCB_CSC_STOR);
	uint64_t sd = pv_get_be64(cb + PV_UVCB_CSC_SD);
	uint16_t num = pv_get_be16(cb + PV_UVCB_CSC_NUM);
	struct uv_cpu *cpu, **cpus;

	pv_put_be64(cb + PV_UVCB_HANDLE, 0);
	if (!conf)
		return PV_UV_RC_INV_GHANDLE;
	if (conf->defunct)
		return PV_UV_RC_INV_STATE;
	if (num > UV_MAX_CPU_ID)
		return 0x0103;
	if (stor & PV_PAGE_MASK || !uv_range_free(uv, stor, UV_CPU_STOR_LEN))
		return 0x0105;
	if (stor < UV_LOWCORE_END)
		return 0x0106;
	if (!uv_range_host_ok(uv, sd, UV_SD_LEN))
		return 0x0107;
	for (size_t i = 0; i < conf->ncpus; i++)
		if (conf->cpus[i]->num == num)
			return 0x0104;
	cpu = calloc(1, sizeof(*cpu));
	cpus = realloc(conf->cpus, (conf->ncpus + 1) * sizeof(*cpus));
	if (!cpu || !cpus) {
		free(cpu);
		if (cpus)
			conf->cpus = cpus;
		return UV_RC_INTERNAL;
	}
	conf->cpus = cpus;
	cpu->handle = uv_new_handle(uv, UV_HANDLE_CPU);
	cpu->conf = conf;
	cpu->num = num;
	cpu->stor = stor;
	cpu->sd = sd;
	cpu->state = PV_UV_CPU_STOPPED;
	uv_donate(uv, stor, UV_CPU_STOR_LEN);
	conf->cpus[conf->ncpus++] = cpu;
	pv_put_be64(cb + PV_UVCB_HANDLE, cpu->handle);
	return PV_UV_RC_EXECUTED;
}

/* Destroy CPU (0x0121): unknown handle 0x0021. */
uint16_t uv_cmd_destroy_cpu(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			    uint16_t *rrc)
{
	struct uv_cpu *cpu = uv_cpu_get(uv, pv_get_be64(cb + 0x18));

	if (!cpu)
		return PV_UV_RC_INV_CHANDLE;
	uv_cpu_destroy(uv, cpu);
	return PV_UV_RC_EXECUTED;
}
