// SPDX-License-Identifier: MIT
/*
 * Software Ultravisor: object lifetime, host keys, host memory map and the
 * UVC dispatcher (pv-machine-and-uv.md §4.1-§4.3).
 */
#include <stdlib.h>
#include <string.h>

#include "uv_priv.h"

struct uv_cmd_desc {
	uint16_t cmd;
	uint16_t size;
	int query_bit;		/* -1: none defined */
	bool host;		/* issued by the host (else by a guest) */
	uv_cmd_fn fn;
	const char *name;
};

/* §4.3: every command code with its UVCB size and query bit. */
static const struct uv_cmd_desc cmds[] = {
	{ PV_UVC_QUERY, 0x120, 0, true, uv_cmd_query, "query" },
	{ PV_UVC_QUERY_KEYS, 0x200, 34, true, uv_cmd_query_keys,
	  "query-keys" },
	{ PV_UVC_INIT, 0x48, 1, true, uv_cmd_init, "init" },
	{ PV_UVC_CREATE_CONF, 0x80, 2, true, uv_cmd_create_conf,
	  "create-config" },
	{ PV_UVC_DESTROY_CONF, 0x40, 3, true, uv_cmd_destroy_conf,
	  "destroy-config" },
	{ PV_UVC_DESTROY_CONF_FAST, 0x48, 23, true, uv_cmd_destroy_conf,
	  "destroy-config-fast" },
	{ PV_UVC_CREATE_CPU, 0x60, 4, true, uv_cmd_create_cpu, "create-cpu" },
	{ PV_UVC_DESTROY_CPU, 0x40, 5, true, uv_cmd_destroy_cpu,
	  "destroy-cpu" },
	{ PV_UVC_IMPORT, 0x28, 6, true, uv_cmd_import, "import" },
	{ PV_UVC_EXPORT, 0x20, 7, true, uv_cmd_export, "export" },
	{ PV_UVC_DESTROY_PAGE, 0x20, -1, true, uv_cmd_destroy_page,
	  "destroy-page" },
	{ PV_UVC_SET_SEC_PARMS, 0x50, 11, true, uv_cmd_set_sec_parms,
	  "set-sec-parms" },
	{ PV_UVC_UNPACK, 0x50, 13, true, uv_cmd_unpack, "unpack" },
	{ PV_UVC_VERIFY, 0x40, 14, true, uv_cmd_verify, "verify" },
	{ PV_UVC_CPU_RESET, 0x40, 15, true, uv_cmd_cpu_reset, "cpu-reset" },
	{ PV_UVC_CPU_RESET_INITIAL, 0x40, 16, true, uv_cmd_cpu_reset,
	  "cpu-reset-initial" },
	{ PV_UVC_PREPARE_RESET, 0x40, 18, true, uv_cmd_prepare_reset,
	  "prepare-reset" },
	{ PV_UVC_CPU_RESET_CLEAR, 0x40, 19, true, uv_cmd_cpu_reset,
	  "cpu-reset-clear" },
	{ PV_UVC_SET_CPU_STATE, 0x50, 17, true, uv_cmd_set_cpu_state,
	  "set-cpu-state" },
	{ PV_UVC_SET_UNSHARE_ALL, 0x40, 20, true, uv_cmd_unshare_all,
	  "set-unshare-all" },
	{ PV_UVC_PIN_PAGE_SHARED, 0x20, 21, true, uv_cmd_pin_shared,
	  "pin-page-shared" },
	{ PV_UVC_UNPIN_PAGE_SHARED, 0x28, 22, true, uv_cmd_unpin_shared,
	  "unpin-page-shared" },
	/* Known but not installed in this model (cc 1, rc 0x0002). */
	{ 0x0400, 0x40, 24, true, NULL, "dump-init" },
	{ 0x0401, 0x50, 25, true, NULL, "dump-storage-state" },
	{ 0x0402, 0x50, 26, true, NULL, "dump-cpu" },
	{ 0x0403, 0x50, 27, true, NULL, "dump-complete" },
	/* Guest commands (installed for guests, see uv_guest.c). */
	{ PV_UVC_SET_SHARED_ACCESS, 0x30, 8, false, NULL,
	  "set-shared-access" },
	{ PV_UVC_REMOVE_SHARED_ACCESS, 0x30, 9, false, NULL,
	  "remove-shared-access" },
	{ 0x1020, 0x188, 28, false, NULL, "attestation" },
	{ 0x1031, 0x48, 29, false, NULL, "add-secret" },
	{ 0x1033, 0x48, 30, false, NULL, "list-secrets" },
	{ 0x1034, 0x40, 31, false, NULL, "lock-secrets" },
	{ 0x1035, 0x48, 33, false, NULL, "retrieve-secret" },
};

static const struct uv_cmd_desc *cmd_desc(uint16_t cmd)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i].cmd == cmd)
			return &cmds[i];
	return NULL;
}

uint16_t pv_uvcb_size(uint16_t cmd)
{
	const struct uv_cmd_desc *d = cmd_desc(cmd);

	return d ? d->size : 0;
}

const char *pv_uvc_name(uint16_t cmd)
{
	const struct uv_cmd_desc *d = cmd_desc(cmd);

	return d ? d->name : "unknown";
}

/* Installed-calls bitmap, MSB-0 bit numbers of §4.3 in four u64 words. */
void uv_installed_bitmap(bool guest, uint64_t bits[4])
{
	static const uint16_t guest_cmds[] = {
		PV_UVC_QUERY, PV_UVC_SET_SHARED_ACCESS,
		PV_UVC_REMOVE_SHARED_ACCESS, PV_UVC_ATTESTATION,
		PV_UVC_ADD_SECRET, PV_UVC_LIST_SECRETS, PV_UVC_LOCK_SECRETS,
		PV_UVC_RETRIEVE_SECRET,
	};
	const size_t nguest = sizeof(guest_cmds) / sizeof(guest_cmds[0]);

	memset(bits, 0, 4 * sizeof(bits[0]));
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const struct uv_cmd_desc *d = &cmds[i];
		bool inst = d->fn != NULL;

		if (guest) {
			inst = false;
			for (size_t j = 0; j < nguest; j++)
				inst |= guest_cmds[j] == d->cmd;
		} else if (!d->host) {
			/* Guest calls are installed: host query shows them. */
			inst = d->cmd == PV_UVC_SET_SHARED_ACCESS ||
			       d->cmd == PV_UVC_REMOVE_SHARED_ACCESS;
		}
		if (inst && d->query_bit >= 0)
			bits[d->query_bit / 64] |=
				1ULL << (63 - d->query_bit % 64);
	}
}

int pv_uv_new(struct pv_uv **out, struct pv_err **err)
{
	struct pv_uv *uv;
	int rc;

	*out = NULL;
	uv = calloc(1, sizeof(*uv));
	if (!uv)
		return pv_err_set(err, PV_ERR_NOMEM, "UV: out of memory");
	rc = pv_rng_new_system(&uv->rng, err);
	if (rc) {
		free(uv);
		return rc;
	}
	uv->next_handle = 1;
	*out = uv;
	return 0;
}

int pv_uv_new_proxy(struct pv_uv **out, const struct pv_uv_ops *ops,
		     void *t, struct pv_err **err)
{
	struct pv_uv *uv = calloc(1, sizeof(*uv));

	*out = NULL;
	if (!uv)
		return pv_err_set(err, PV_ERR_NOMEM, "UV: out of memory");
	uv->ops = ops;
	uv->ops_t = t;
	*out = uv;
	return 0;
}

void pv_uv_proxy_notify(struct pv_uv *uv, uint64_t haddr, uint64_t len)
{
	uv_notify(uv, haddr, len);
}

int pv_uv_proxy_xlate(struct pv_uv *uv, uint64_t cpu_handle, uint64_t laddr,
		      uint64_t *gabs)
{
	*gabs = laddr;
	return uv->xlate ? uv->xlate(uv->xlate_opaque, cpu_handle, laddr,
				     gabs) : 0;
}

void pv_uv_free(struct pv_uv *uv)
{
	if (!uv)
		return;
	if (uv->ops) {
		if (uv->ops->free)
			uv->ops->free(uv->ops_t);
		free(uv);
		return;
	}
	for (unsigned int i = 0; i < UV_MAX_CONFS; i++) {
		struct uv_conf *conf = uv->confs[i];

		if (!conf)
			continue;
		for (size_t j = 0; j < conf->ncpus; j++)
			pv_free_secret(conf->cpus[j], sizeof(*conf->cpus[j]));
		free(conf->cpus);
		uv_conf_forget_secrets(conf);
		pv_free_secret(conf, sizeof(*conf));
	}
	for (size_t i = 0; i < uv->nkeys; i++)
		pv_eckey_free(uv->keys[i]);
	pv_eckey_free(uv->cust);
	for (size_t i = 0; i < uv->nregions; i++) {
		struct uv_region *r = &uv->regions[i];
		uint64_t n = r->len / PV_PAGE_SIZE;

		if (r->exp) {
			for (uint64_t j = 0; j < n; j++)
				free(r->exp[j]);
			free(r->exp);
		}
		free(r->pages);
	}
	pv_rng_free(uv->rng);
	pv_rng_free(uv->cuid_rng);
	pv_free_secret(uv, sizeof(*uv));
}

int pv_uv_add_host_key(struct pv_uv *uv, const uint8_t *buf, size_t len,
		       struct pv_err **err)
{
	struct pv_eckey *key;
	int rc;

	if (uv->ops)
		return pv_err_set(err, PV_ERR_STATE,
				  "UV: host keys go to the UV's own process");

	if (uv->nkeys >= UV_MAX_KEYS)
		return pv_err_set(err, PV_ERR_RANGE,
				  "UV: at most %u host keys can be loaded",
				  UV_MAX_KEYS);
	rc = pv_eckey_from_bytes(buf, len, true, &key, err);
	if (rc)
		return pv_err_prefix(err, "UV host key: ");
	rc = pv_eckey_phkh(key, uv->phkh[uv->nkeys], err);
	if (rc) {
		pv_eckey_free(key);
		return rc;
	}
	uv->keys[uv->nkeys++] = key;
	return 0;
}

size_t pv_uv_host_key_count(const struct pv_uv *uv)
{
	return uv->nkeys;
}

int pv_uv_host_key_hash(const struct pv_uv *uv, size_t i, uint8_t phkh[32])
{
	if (i >= uv->nkeys)
		return -PV_ERR_RANGE;
	memcpy(phkh, uv->phkh[i], PV_SHA256_LEN);
	return 0;
}

int pv_uv_map_host_flags(struct pv_uv *uv, uint64_t haddr, void *ptr,
			 uint64_t len, unsigned int flags, struct pv_err **err)
{
	struct uv_region *r;
	uint64_t npages;

	if (uv->ops)
		return uv->ops->map_host(uv->ops_t, haddr, ptr, len, flags,
					 err);

	if (!ptr || !len || (haddr | len) & PV_PAGE_MASK ||
	    haddr + len < haddr)
		return pv_err_set(err, PV_ERR_INVAL,
				  "UV map: host range 0x%llx+0x%llx must be non-empty and 4 KiB aligned",
				  (unsigned long long)haddr,
				  (unsigned long long)len);
	if (flags & ~(PV_UV_MAP_ANON | PV_UV_MAP_SHMEM))
		return pv_err_set(err, PV_ERR_INVAL,
				  "UV map: unknown flags 0x%x", flags);
	if (uv->nregions >= UV_MAX_REGIONS)
		return pv_err_set(err, PV_ERR_RANGE,
				  "UV map: more than %u host regions",
				  UV_MAX_REGIONS);
	for (size_t i = 0; i < uv->nregions; i++) {
		r = &uv->regions[i];
		if (haddr < r->haddr + r->len && r->haddr < haddr + len)
			return pv_err_set(err, PV_ERR_INVAL,
					  "UV map: host range 0x%llx+0x%llx overlaps 0x%llx+0x%llx",
					  (unsigned long long)haddr,
					  (unsigned long long)len,
					  (unsigned long long)r->haddr,
					  (unsigned long long)r->len);
	}
	npages = len / PV_PAGE_SIZE;
	r = &uv->regions[uv->nregions];
	memset(r, 0, sizeof(*r));
	r->pages = calloc(npages, sizeof(*r->pages));
	if (!r->pages)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "UV map: no memory for %llu page states",
				  (unsigned long long)npages);
	r->haddr = haddr;
	r->len = len;
	r->ptr = ptr;
	r->flags = flags;
	uv->nregions++;
	return 0;
}

int pv_uv_map_host(struct pv_uv *uv, uint64_t haddr, void *ptr, uint64_t len,
		   struct pv_err **err)
{
	return pv_uv_map_host_flags(uv, haddr, ptr, len, 0, err);
}

void pv_uv_set_notify(struct pv_uv *uv, pv_uv_notify_fn fn, void *opaque)
{
	uv->notify = fn;
	uv->notify_opaque = opaque;
}

void uv_notify(struct pv_uv *uv, uint64_t haddr, uint64_t len)
{
	if (uv->notify && len)
		uv->notify(uv->notify_opaque, haddr, len);
}

void pv_uv_get_stats(const struct pv_uv *uv, struct pv_uv_stats *st)
{
	if (uv->ops) {
		uv->ops->get_stats(uv->ops_t, st);
		return;
	}
	*st = uv->st;
}

/*
 * Handles are opaque non-zero values; the kind sits in the low 16 bits so
 * a CPU handle is never a valid configuration handle and vice versa.
 */
uint64_t uv_new_handle(struct pv_uv *uv, uint16_t kind)
{
	return 0x5056000000000000ULL | (uv->next_handle++ << 16) | kind;
}

struct uv_conf *uv_conf_get(struct pv_uv *uv, uint64_t handle)
{
	for (unsigned int i = 0; handle && i < UV_MAX_CONFS; i++)
		if (uv->confs[i] && uv->confs[i]->handle == handle)
			return uv->confs[i];
	return NULL;
}

struct uv_cpu *uv_cpu_get(struct pv_uv *uv, uint64_t handle)
{
	for (unsigned int i = 0; handle && i < UV_MAX_CONFS; i++) {
		struct uv_conf *conf = uv->confs[i];

		for (size_t j = 0; conf && j < conf->ncpus; j++)
			if (conf->cpus[j]->handle == handle)
				return conf->cpus[j];
	}
	return NULL;
}

static void finish(struct pv_uv *uv, uint8_t *cb, uint16_t cmd, uint16_t rc,
		   uint16_t rrc)
{
	pv_put_be16(cb + PV_UVCB_RC, rc);
	pv_put_be16(cb + PV_UVCB_RRC, rrc);
	uv->st.last_cmd = cmd;
	uv->st.last_rc = rc;
	uv->st.last_rrc = rrc;
}

/* A wrong length is rc 0x0005, except query's partial lengths (U-10). */
static bool len_ok(const struct uv_cmd_desc *d, uint16_t len)
{
	if (d->cmd == PV_UVC_QUERY)
		return len >= UV_QUERY_MIN_LEN;
	return len == d->size;
}

int pv_uv_call(struct pv_uv *uv, void *uvcb, size_t buflen, uint16_t *pgm)
{
	const struct uv_cmd_desc *d;
	uint8_t *cb = uvcb;
	uint16_t len, cmd, rc, rrc = 0;

	if (uv->ops)
		return uv->ops->call(uv->ops_t, uvcb, buflen, pgm);

	/* §4.1: an inaccessible UVCB is an access exception. */
	if (!cb || buflen < 8 || pv_get_be16(cb) > buflen) {
		if (pgm)
			*pgm = PV_PGM_ADDRESSING;
		return -1;
	}
	len = pv_get_be16(cb + PV_UVCB_LEN);
	cmd = pv_get_be16(cb + PV_UVCB_CMD);
	uv->st.calls++;
	d = cmd_desc(cmd);
	if (!d || !d->host || !d->fn)
		rc = PV_UV_RC_INV_CMD;
	else if (!len_ok(d, len))
		rc = PV_UV_RC_INV_LEN;
	else if (!uv->init && cmd != PV_UVC_QUERY && cmd != PV_UVC_INIT)
		rc = PV_UV_RC_INV_STATE;
	else
		rc = d->fn(uv, cb, len, &rrc);
	/* The rc/rrc fields need the 8-byte header, present by now. */
	finish(uv, cb, cmd, rc, rrc);
	return rc == PV_UV_RC_EXECUTED ? 0 : 1;
}

int pv_uv_call_many(struct pv_uv *uv, void *uvcbs, size_t stride, size_t n,
		    size_t *done, uint16_t *pgm)
{
	uint8_t *cb = uvcbs;
	size_t i;
	int cc = 0;

	if (uv->ops && uv->ops->call_many)
		return uv->ops->call_many(uv->ops_t, uvcbs, stride, n, done,
					  pgm);
	for (i = 0; i < n; i++) {
		cc = pv_uv_call(uv, cb + i * stride, stride, pgm);
		if (cc)
			break;
	}
	*done = i;
	return cc;
}


int pv_uv_guest_call(struct pv_uv *uv, uint64_t cpu_handle, void *uvcb,
		     size_t buflen, bool problem_state, uint16_t *pgm)
{
	static const struct {
		uint16_t cmd, size;
		uv_gcmd_fn fn;
	} gcmds[] = {
		{ PV_UVC_QUERY, 0x120, uv_guest_query },
		{ PV_UVC_SET_SHARED_ACCESS, 0x30, uv_guest_share },
		{ PV_UVC_REMOVE_SHARED_ACCESS, 0x30, uv_guest_unshare },
		{ PV_UVC_ATTESTATION, 0x188, uv_guest_attest },
		{ PV_UVC_ADD_SECRET, 0x48, uv_guest_add_secret },
		{ PV_UVC_LIST_SECRETS, 0x48, uv_guest_list_secrets },
		{ PV_UVC_LOCK_SECRETS, 0x40, uv_guest_lock_secrets },
		{ PV_UVC_RETRIEVE_SECRET, 0x48, uv_guest_retrieve_secret },
	};
	struct uv_cpu *cpu = uv_cpu_get(uv, cpu_handle);
	uint8_t *cb = uvcb;
	uint16_t len, cmd, rc = PV_UV_RC_INV_CMD, rrc = 0;
	uint16_t code = 0;

	if (uv->ops)
		return uv->ops->guest_call(uv->ops_t, cpu_handle, uvcb, buflen,
					   problem_state, pgm);
	/* A CPU that is not secure has no UV call facility (§4.1). */
	if (!cpu)
		code = PV_PGM_OPERATION;
	else if (problem_state)
		code = PV_PGM_PRIVILEGED;
	else if (!cb || buflen < 8 || pv_get_be16(cb) > buflen)
		code = PV_PGM_ADDRESSING;
	if (code) {
		if (pgm)
			*pgm = code;
		return -1;
	}
	len = pv_get_be16(cb + PV_UVCB_LEN);
	cmd = pv_get_be16(cb + PV_UVCB_CMD);
	uv->st.calls++;
	for (size_t i = 0; i < sizeof(gcmds) / sizeof(gcmds[0]); i++) {
		if (gcmds[i].cmd != cmd)
			continue;
		if (cmd == PV_UVC_QUERY ? len < UV_QUERY_MIN_LEN :
					  len != gcmds[i].size)
			rc = PV_UV_RC_INV_LEN;
		else
			rc = gcmds[i].fn(uv, cpu, cb, len, &rrc);
		break;
	}
	finish(uv, cb, cmd, rc, rrc);
	return rc == PV_UV_RC_EXECUTED ? 0 : 1;
}
