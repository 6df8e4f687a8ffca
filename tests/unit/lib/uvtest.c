// SPDX-License-Identifier: MIT
/* Synthetic SE guest and a minimal UV host for tests (see uvtest.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "pvboot/sehdr.h"
#include "uvtest.h"

#define MiB (1ULL << 20)

static const uint16_t comp_ids[] = { 40, 50, 60, 70, 80, 90, 100, 110 };

int uvt_host_key_der(const uint8_t *scalar66, uint8_t **der, size_t *len)
{
	struct pv_eckey *key = NULL;
	struct pv_rng *rng = NULL;
	unsigned char *p = NULL;
	int rc, n;

	if (scalar66) {
		rc = pv_eckey_from_scalar(scalar66, 66, &key, NULL);
	} else {
		rc = pv_rng_new_system(&rng, NULL);
		if (!rc)
			rc = pv_eckey_generate(rng, "host-key", &key, NULL);
		pv_rng_free(rng);
	}
	if (rc)
		return rc;
	n = i2d_PrivateKey(pv_eckey_evp(key), &p);
	pv_eckey_free(key);
	if (n <= 0)
		return -PV_ERR_CRYPTO;
	*der = malloc((size_t)n);
	if (!*der) {
		OPENSSL_clear_free(p, (size_t)n);
		return -PV_ERR_NOMEM;
	}
	memcpy(*der, p, (size_t)n);
	*len = (size_t)n;
	OPENSSL_clear_free(p, (size_t)n);
	return 0;
}

bool uvt_is_comp_page(const struct uvt_guest *g, uint64_t gaddr)
{
	for (unsigned int i = 0; i < g->ncomp; i++)
		if (gaddr >= g->comp[i].addr &&
		    gaddr < g->comp[i].addr + g->comp[i].len)
			return true;
	return false;
}

static void default_layout(struct uvt_opts *o)
{
	static const uint64_t pages[] = { 4, 2, 1 };

	if (!o->mem_size)
		o->mem_size = MiB;
	if (!o->ncomp)
		o->ncomp = 3;
	for (unsigned int i = 0; i < o->ncomp; i++) {
		if (!o->comp_pages[i])
			o->comp_pages[i] = i < 3 ? pages[i] : 1;
		if (!o->comp_addr[i])
			o->comp_addr[i] = 0x10000 + 0x10000ULL * i;
	}
	if (!o->pcf_set)
		o->pcf = PV_PCF_DEFAULT;
}

/* Encrypt the components into g->image and compute the digests. */
static int build_comps(struct uvt_guest *g, struct pv_rng *rng,
		       const uint8_t xk[64], bool encrypt, struct pv_sehdr *hdr)
{
	struct pv_digests *d = NULL;
	struct pv_xts *x = NULL;
	uint8_t tweak[PV_TWEAK_LEN], rnd[6];
	int rc;

	rc = pv_digests_new(&d, NULL);
	if (!rc && encrypt)
		rc = pv_xts_new(xk, true, &x, NULL);
	for (unsigned int i = 0; !rc && i < g->ncomp; i++) {
		struct uvt_comp *c = &g->comp[i];
		char label[32];

		snprintf(label, sizeof(label), "tweak/%u", i);
		rc = pv_rng_bytes(rng, label, rnd, sizeof(rnd), NULL);
		c->tweak_pref = (uint64_t)comp_ids[i] << 48;
		for (int j = 0; j < 6; j++)
			c->tweak_pref |= (uint64_t)rnd[j] << (40 - 8 * j);
		for (uint64_t off = 0; !rc && off < c->len;
		     off += PV_PAGE_SIZE) {
			uint8_t *pt = g->plain + c->addr + off;
			uint8_t *ct = g->image + c->addr + off;

			pv_tweak_make(c->tweak_pref, off, tweak);
			if (encrypt)
				rc = pv_xts_page(x, tweak, pt, ct, NULL);
			else
				memcpy(ct, pt, PV_PAGE_SIZE);
			if (!rc)
				rc = pv_digests_add_page(d, ct, c->addr + off,
							 tweak, NULL);
		}
	}
	if (!rc) {
		g->nep = pv_digests_pages(d);
		hdr->nep = g->nep;
		rc = pv_digests_final(d, hdr->pld, hdr->ald, hdr->tld, NULL);
	}
	pv_xts_free(x);
	pv_digests_free(d);
	return rc;
}

static int fill_slots(const struct uvt_opts *o, struct pv_sehdr *hdr,
		      struct pv_rng *rng, const struct pv_eckey *cust,
		      const struct pv_eckey *host, const uint8_t hpk[32])
{
	unsigned int own = o->own_slot_last ? o->extra_slots : 0;
	uint8_t slot[PV_KEYSLOT_LEN];
	int rc = 0;

	for (unsigned int i = 0; !rc && i <= o->extra_slots; i++) {
		struct pv_eckey *other = NULL;
		char label[32];

		if (i == own) {
			rc = pv_keyslot_wrap(cust, host, hpk, slot, NULL);
		} else {
			snprintf(label, sizeof(label), "other-host/%u", i);
			rc = pv_eckey_generate(rng, label, &other, NULL);
			if (!rc)
				rc = pv_keyslot_wrap(cust, other, hpk, slot,
						     NULL);
			pv_eckey_free(other);
		}
		if (rc)
			break;
		memcpy(hdr->slots[i].phkh, slot, 32);
		memcpy(hdr->slots[i].wrpk, slot + 32, 32);
		memcpy(hdr->slots[i].kst, slot + 64, 16);
	}
	return rc;
}

static int build(struct uvt_opts *o, struct uvt_guest *g, struct pv_rng *rng)
{
	struct pv_eckey *cust = NULL, *host = NULL;
	struct pv_sehdr_secret sec = { 0 };
	struct pv_sehdr *hdr = NULL;
	uint8_t hpk[32];
	uint32_t phs;
	int rc;

	rc = uvt_host_key_der(o->host_scalar, &g->host_der, &g->host_der_len);
	if (!rc)
		rc = pv_eckey_from_bytes(g->host_der, g->host_der_len, true,
					 &host, NULL);
	if (!rc)
		rc = pv_eckey_phkh(host, g->phkh, NULL);
	if (!rc)
		rc = pv_eckey_generate(rng, "customer-key", &cust, NULL);
	/* Page by page: a seeded generator gives at most 16320 bytes. */
	for (uint64_t a = 0; !rc && a < g->mem_size; a += PV_PAGE_SIZE) {
		char label[40];

		snprintf(label, sizeof(label), "image/%llx",
			 (unsigned long long)a);
		rc = pv_rng_bytes(rng, label, g->plain + a, PV_PAGE_SIZE,
				  NULL);
	}
	if (!rc)
		rc = pv_rng_bytes(rng, "header-key", hpk, sizeof(hpk), NULL);
	if (!rc)
		rc = pv_rng_bytes(rng, "image-key", sec.xts, 64, NULL);
	if (!rc && o->xk_equal_halves)
		memcpy(sec.xts + 32, sec.xts, 32);
	if (!rc)
		rc = pv_rng_bytes(rng, "cck", sec.cck, 32, NULL);
	if (!rc)
		rc = pv_sehdr_new(1 + o->extra_slots, &hdr, NULL);
	if (rc)
		goto out;
	/* "Old" RAM content (stage3a, IPIB ...) is the same random data. */
	memcpy(g->image, g->plain, g->mem_size);
	rc = pv_rng_bytes(rng, "header-iv", hdr->iv, sizeof(hdr->iv), NULL);
	hdr->pcf = o->pcf;
	g->pcf = o->pcf;
	if (!rc)
		rc = pv_eckey_coords(cust, hdr->cust_pub, NULL);
	if (!rc)
		rc = build_comps(g, rng, sec.xts,
				 !(o->pcf & PV_PCF_NO_DECRYPTION) &&
					 !o->xk_equal_halves, hdr);
	if (!rc)
		rc = fill_slots(o, hdr, rng, cust, host, hpk);
	g->psw_mask = o->psw_mask ? o->psw_mask : PV_PSW_MASK_64;
	g->psw_addr = o->psw_addr ? o->psw_addr : g->comp[g->ncomp - 1].addr;
	sec.psw_mask = g->psw_mask;
	sec.psw_addr = g->psw_addr;
	sec.scf = o->scf;
	if (!rc)
		rc = pv_sehdr_seal(hdr, hpk, &sec, NULL);
	if (!rc)
		rc = pv_sehdr_size(hdr->nks, &phs, NULL);
	if (!rc) {
		g->hdr = malloc(phs);
		g->hdr_len = phs;
		rc = g->hdr ? pv_sehdr_serialize(hdr, g->hdr, phs, NULL) :
			      -PV_ERR_NOMEM;
	}
	/* The format library cannot seal optional items: seal by hand. */
	if (!rc && o->noi) {
		size_t e = pv_sehdr_enc_offset(hdr);
		uint8_t pt[128];

		sec.noi = o->noi;
		pv_sehdr_secret_pack(&sec, pt);
		rc = pv_gcm_encrypt(hpk, hdr->iv, g->hdr, e, pt, sizeof(pt),
				    g->hdr + e, g->hdr + phs - 16, NULL);
		pv_cleanse(pt, sizeof(pt));
	}
out:
	pv_cleanse(hpk, sizeof(hpk));
	pv_cleanse(&sec, sizeof(sec));
	pv_sehdr_free(hdr);
	pv_eckey_free(cust);
	pv_eckey_free(host);
	return rc;
}

int uvt_guest_build(const struct uvt_opts *opts, struct uvt_guest **out)
{
	struct uvt_opts o = { 0 };
	struct pv_rng *rng = NULL;
	struct uvt_guest *g;
	int rc;

	if (opts)
		o = *opts;
	default_layout(&o);
	g = calloc(1, sizeof(*g));
	if (!g)
		return -PV_ERR_NOMEM;
	g->mem_size = o.mem_size;
	g->ncomp = o.ncomp;
	for (unsigned int i = 0; i < o.ncomp; i++) {
		g->comp[i].addr = o.comp_addr[i];
		g->comp[i].len = o.comp_pages[i] * PV_PAGE_SIZE;
	}
	g->image = malloc(g->mem_size);
	g->plain = malloc(g->mem_size);
	rc = g->image && g->plain ? 0 : -PV_ERR_NOMEM;
	if (!rc)
		rc = o.seed ? pv_rng_new_seeded(o.seed, 32, &rng, NULL) :
			      pv_rng_new_system(&rng, NULL);
	if (!rc)
		rc = build(&o, g, rng);
	pv_rng_free(rng);
	if (rc) {
		uvt_guest_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void uvt_guest_free(struct uvt_guest *g)
{
	if (!g)
		return;
	free(g->image);
	free(g->plain);
	free(g->hdr);
	pv_free_secret(g->host_der, g->host_der_len);
	free(g);
}

/* ---- host side ---------------------------------------------------------- */

int uvt_host_new(struct uvt_host *h, const struct uvt_guest *g,
		 unsigned int nkeys_extra)
{
	return uvt_host_new_flags(h, g, nkeys_extra, 0);
}

int uvt_host_new_flags(struct uvt_host *h, const struct uvt_guest *g,
		       unsigned int nkeys_extra, unsigned int flags)
{
	uint8_t cb[0x48], q[PV_QUERY_SIZE];
	int rc;

	memset(h, 0, sizeof(*h));
	h->ram_size = g->mem_size;
	if (flags & PV_UV_MAP_ANON) {
		h->ram = mmap(NULL, h->ram_size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (h->ram == MAP_FAILED)
			h->ram = NULL;
		h->ram_mmap = h->ram != NULL;
	} else {
		h->ram = aligned_alloc(4096, h->ram_size);
	}
	h->area = aligned_alloc(4096, UVT_AREA_SIZE);
	if (!h->ram || !h->area)
		return -PV_ERR_NOMEM;
	memcpy(h->ram, g->image, h->ram_size);
	memset(h->area, 0, UVT_AREA_SIZE);
	h->area_next = UVT_AREA + 0x100000;	/* first MiB: UV storage */
	h->asce = UVT_ASCE | 0x100;
	rc = pv_uv_new(&h->uv, NULL);
	for (unsigned int i = 0; !rc && i < nkeys_extra; i++) {
		uint8_t *der;
		size_t len;

		rc = uvt_host_key_der(NULL, &der, &len);
		if (!rc)
			rc = pv_uv_add_host_key(h->uv, der, len, NULL);
		if (!rc)
			pv_free_secret(der, len);
	}
	if (!rc)
		rc = pv_uv_add_host_key(h->uv, g->host_der, g->host_der_len,
					NULL);
	if (!rc)
		rc = pv_uv_map_host_flags(h->uv, 0, h->ram, h->ram_size, flags,
					  NULL);
	if (!rc)
		rc = pv_uv_map_host(h->uv, UVT_AREA, h->area, UVT_AREA_SIZE,
				    NULL);
	if (rc)
		return rc;
	/* Donate what query asks for, at the start of the host area. */
	uvt_cb(q, PV_UVC_QUERY);
	if (uvt_call(h->uv, q) != 0)
		return -PV_ERR_STATE;
	uvt_cb(cb, PV_UVC_INIT);
	pv_put_be64(cb + PV_UVCB_INIT_ORIGIN, UVT_AREA);
	pv_put_be64(cb + PV_UVCB_INIT_LEN,
		    pv_get_be64(q + PV_QUI_UV_BASE_STOR));
	if (uvt_call(h->uv, cb) != 0)
		return -PV_ERR_STATE;
	h->hdr_addr = uvt_alloc(h, 2 * PV_PAGE_SIZE);
	h->sca = uvt_alloc(h, PV_PAGE_SIZE);
	h->sd = uvt_alloc(h, PV_PAGE_SIZE);
	return 0;
}

void uvt_host_free(struct uvt_host *h)
{
	pv_uv_free(h->uv);
	if (h->ram_mmap)
		munmap(h->ram, h->ram_size);
	else
		free(h->ram);
	free(h->area);
	memset(h, 0, sizeof(*h));
}

uint64_t uvt_alloc(struct uvt_host *h, uint64_t len)
{
	uint64_t a = h->area_next;

	h->area_next += pv_page_align(len);
	if (h->area_next > UVT_AREA + UVT_AREA_SIZE)
		abort();	/* test bug: area too small */
	return a;
}

void uvt_reload_ram(struct uvt_host *h, const struct uvt_guest *g)
{
	for (uint64_t a = 0; a < h->ram_size; a += PV_PAGE_SIZE)
		if (pv_uv_page_state(h->uv, a) == PV_PAGE_NONSECURE)
			memcpy(h->ram + a, g->image + a, PV_PAGE_SIZE);
}

void uvt_cb(uint8_t *cb, uint16_t cmd)
{
	uint16_t size = pv_uvcb_size(cmd);

	memset(cb, 0, size);
	pv_put_be16(cb + PV_UVCB_LEN, size);
	pv_put_be16(cb + PV_UVCB_CMD, cmd);
}

int uvt_call(struct pv_uv *uv, uint8_t *cb)
{
	uint16_t pgm = 0;
	int cc = pv_uv_call(uv, cb, pv_get_be16(cb), &pgm);

	if (cc < 0)
		abort();	/* tests that expect a PGM call pv_uv_call */
	return cc;
}

uint16_t uvt_rc(const uint8_t *cb)
{
	return pv_get_be16(cb + PV_UVCB_RC);
}

uint16_t uvt_rrc(const uint8_t *cb)
{
	return pv_get_be16(cb + PV_UVCB_RRC);
}

static uint32_t word(const uint8_t *cb)
{
	return UVT_RC(uvt_rc(cb), uvt_rrc(cb));
}

uint32_t uvt_handle_cmd(struct uvt_host *h, uint16_t cmd, uint64_t handle)
{
	uint8_t cb[0x80];

	uvt_cb(cb, cmd);
	pv_put_be64(cb + PV_UVCB_HANDLE, handle);
	uvt_call(h->uv, cb);
	return word(cb);
}

uint32_t uvt_create(struct uvt_host *h)
{
	uint8_t cb[0x80], q[PV_QUERY_SIZE];
	uint64_t msl = h->msl ? h->msl : h->ram_size, var_len;

	uvt_cb(q, PV_UVC_QUERY);
	uvt_call(h->uv, q);
	var_len = pv_get_be64(q + PV_QUI_CONF_VIRT_BASE) +
		  pv_page_align(pv_get_be64(q + PV_QUI_CONF_VIRT_VAR) *
				(msl >> 20));

	uvt_cb(cb, PV_UVC_CREATE_CONF);
	pv_put_be64(cb + PV_UVCB_CGC_BASE,
		    uvt_alloc(h, pv_get_be64(q + PV_QUI_CONF_BASE_STOR)));
	pv_put_be64(cb + PV_UVCB_CGC_VAR, uvt_alloc(h, var_len));
	pv_put_be64(cb + PV_UVCB_CGC_MSO, 0);
	pv_put_be64(cb + PV_UVCB_CGC_MSL, msl);
	pv_put_be64(cb + PV_UVCB_CGC_SCA, h->sca);
	pv_put_be64(cb + PV_UVCB_CGC_ASCE, h->asce);
	uvt_call(h->uv, cb);
	if (uvt_rc(cb) != PV_UV_RC_EXECUTED)
		return word(cb);
	h->conf = pv_get_be64(cb + PV_UVCB_HANDLE);
	uvt_cb(cb, PV_UVC_CREATE_CPU);
	pv_put_be64(cb + PV_UVCB_CSC_GUEST, h->conf);
	pv_put_be64(cb + PV_UVCB_CSC_STOR,
		    uvt_alloc(h, pv_get_be64(q + PV_QUI_CPU_STOR)));
	pv_put_be16(cb + PV_UVCB_CSC_NUM, 0);
	pv_put_be64(cb + PV_UVCB_CSC_SD, h->sd);
	uvt_call(h->uv, cb);
	if (uvt_rc(cb) == PV_UV_RC_EXECUTED)
		h->cpu = pv_get_be64(cb + PV_UVCB_HANDLE);
	return word(cb);
}

uint32_t uvt_ssc(struct uvt_host *h, const uint8_t *hdr, uint32_t len)
{
	uint8_t cb[0x50];

	if (len <= 2 * PV_PAGE_SIZE)
		memcpy(h->area + (h->hdr_addr - UVT_AREA), hdr, len);
	uvt_cb(cb, PV_UVC_SET_SEC_PARMS);
	pv_put_be64(cb + PV_UVCB_HANDLE, h->conf);
	pv_put_be64(cb + PV_UVCB_SSC_ORIGIN, h->hdr_addr);
	pv_put_be32(cb + PV_UVCB_SSC_LEN, len);
	uvt_call(h->uv, cb);
	return word(cb);
}

uint32_t uvt_unpack(struct uvt_host *h, uint64_t gaddr, uint64_t t0,
		    uint64_t t1)
{
	uint8_t cb[0x50];

	uvt_cb(cb, PV_UVC_UNPACK);
	pv_put_be64(cb + PV_UVCB_HANDLE, h->conf);
	pv_put_be64(cb + PV_UVCB_GADDR, gaddr);
	pv_put_be64(cb + PV_UVCB_UNP_TWEAK0, t0);
	pv_put_be64(cb + PV_UVCB_UNP_TWEAK1, t1);
	uvt_call(h->uv, cb);
	return word(cb);
}

/* §3.5: components in IPIB order, tweak[1] = byte offset in the comp. */
uint32_t uvt_unpack_all(struct uvt_host *h, const struct uvt_guest *g)
{
	for (unsigned int i = 0; i < g->ncomp; i++) {
		const struct uvt_comp *c = &g->comp[i];

		for (uint64_t off = 0; off < c->len; off += PV_PAGE_SIZE) {
			uint32_t w = uvt_unpack(h, c->addr + off,
						c->tweak_pref, off);

			if (w != UVT_OK)
				return w;
		}
	}
	return UVT_OK;
}

uint32_t uvt_verify(struct uvt_host *h)
{
	return uvt_handle_cmd(h, PV_UVC_VERIFY, h->conf);
}

uint32_t uvt_cpu_state(struct uvt_host *h, uint64_t cpu, uint8_t state)
{
	uint8_t cb[0x50];

	uvt_cb(cb, PV_UVC_SET_CPU_STATE);
	pv_put_be64(cb + PV_UVCB_HANDLE, cpu);
	cb[PV_UVCB_CPU_STATE] = state;
	uvt_call(h->uv, cb);
	return word(cb);
}

uint32_t uvt_teardown(struct uvt_host *h)
{
	uint32_t w = UVT_OK;

	if (h->cpu)
		w = uvt_handle_cmd(h, PV_UVC_DESTROY_CPU, h->cpu);
	if (h->conf && w == UVT_OK)
		w = uvt_handle_cmd(h, PV_UVC_DESTROY_CONF, h->conf);
	h->cpu = 0;
	h->conf = 0;
	/* Donated storage came back zeroed: reuse the host area. */
	h->area_next = h->sd + PV_PAGE_SIZE;
	return w;
}

static uint64_t step(uint16_t cmd, uint32_t w)
{
	return w == UVT_OK ? 0 : (uint64_t)cmd << 32 | w;
}

uint64_t uvt_boot(struct uvt_host *h, const struct uvt_guest *g)
{
	uint64_t r;

	r = step(PV_UVC_CREATE_CONF, uvt_create(h));
	if (!r)
		r = step(PV_UVC_SET_SEC_PARMS, uvt_ssc(h, g->hdr, g->hdr_len));
	if (!r)
		r = step(PV_UVC_UNPACK, uvt_unpack_all(h, g));
	if (!r)
		r = step(PV_UVC_VERIFY, uvt_verify(h));
	if (!r)
		r = step(PV_UVC_SET_CPU_STATE,
			 uvt_cpu_state(h, h->cpu, PV_UV_CPU_OPERATING_LOAD));
	if (!r)
		r = step(PV_UVC_SET_CPU_STATE,
			 uvt_cpu_state(h, h->cpu, PV_UV_CPU_OPERATING));
	return r;
}
