/* SPDX-License-Identifier: MIT */
/*
 * Test helper: a small synthetic Secure Execution guest (host key pair,
 * components of random bytes encrypted with AES-256-XTS, a sealed SE header
 * and an IPIB-like component list), built with the crypto and format APIs,
 * plus a minimal host around the software UV (guest RAM at host address 0,
 * a host area at 4 GiB for donated storage and the SE-header copy) that
 * drives the boot sequence of pv-machine-and-uv.md §3.2-§3.5.
 */
#ifndef PVBOOT_TESTS_UVTEST_H
#define PVBOOT_TESTS_UVTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/uv.h"

#define UVT_MAX_COMP 8
#define UVT_AREA 0x100000000ULL		/* host area origin: 4 GiB */
#define UVT_AREA_SIZE 0x200000ULL	/* 2 MiB */
#define UVT_ASCE 0x1000000000ULL	/* any origin + private bit */

struct uvt_comp {
	uint64_t addr;		/* guest address, page aligned */
	uint64_t len;		/* page multiple */
	uint64_t tweak_pref;	/* tweak[0] */
};

struct uvt_opts {
	uint64_t mem_size;		/* guest RAM, default 1 MiB */
	unsigned int ncomp;		/* default 3 */
	uint64_t comp_addr[UVT_MAX_COMP];	/* 0: default layout */
	uint64_t comp_pages[UVT_MAX_COMP];
	unsigned int extra_slots;	/* slots for other host keys */
	bool own_slot_last;		/* our host key's slot comes last */
	uint64_t pcf;			/* default PV_PCF_DEFAULT */
	bool pcf_set;			/* use pcf even if 0 */
	uint64_t scf;
	uint64_t psw_mask, psw_addr;	/* 0: EA|BA at the last component */
	uint32_t noi;
	bool xk_equal_halves;		/* K1 == K2 (refused by the UV) */
	const uint8_t *seed;		/* 32 bytes: deterministic guest */
	const uint8_t *host_scalar;	/* 66 bytes: fixed host key */
};

struct uvt_guest {
	uint64_t mem_size;
	uint8_t *image;		/* guest RAM before the PV switch */
	uint8_t *plain;		/* expected content of component pages */
	unsigned int ncomp;
	struct uvt_comp comp[UVT_MAX_COMP];
	uint64_t nep;
	uint8_t *hdr;
	uint32_t hdr_len;
	uint8_t *host_der;	/* host private key, DER (PKCS#8) */
	size_t host_der_len;
	uint8_t phkh[32];
	uint64_t psw_mask, psw_addr;
	uint64_t pcf;
};

/* Build a guest; NULL opts = defaults.  Returns 0 or a negative pv code. */
int uvt_guest_build(const struct uvt_opts *o, struct uvt_guest **out);
void uvt_guest_free(struct uvt_guest *g);
/* A fresh P-521 private key as DER (caller frees). */
int uvt_host_key_der(const uint8_t *scalar66, uint8_t **der, size_t *len);
/* True when guest page @gaddr belongs to a component. */
bool uvt_is_comp_page(const struct uvt_guest *g, uint64_t gaddr);

struct uvt_host {
	struct pv_uv *uv;
	uint8_t *ram;		/* guest RAM, host address 0 */
	uint64_t ram_size;
	uint8_t *area;		/* host area at UVT_AREA */
	uint64_t area_next;	/* bump allocator */
	uint64_t hdr_addr;	/* SE-header copy in the host area */
	uint64_t sca, sd;
	uint64_t conf, cpu;	/* handles, 0 = none */
	uint64_t asce;
	uint64_t msl;		/* configuration MSL, 0 = RAM size */
	bool ram_mmap;		/* RAM comes from mmap */
};

/*
 * New UV with the guest's host key (and @nkeys_extra random keys loaded
 * first), RAM filled with the guest image, host area mapped, UV
 * initialised.  Returns 0 or negative.
 */
int uvt_host_new(struct uvt_host *h, const struct uvt_guest *g,
		 unsigned int nkeys_extra);
/* Same, with RAM from mmap and mapped with @flags (PV_UV_MAP_ANON). */
int uvt_host_new_flags(struct uvt_host *h, const struct uvt_guest *g,
		       unsigned int nkeys_extra, unsigned int flags);
void uvt_host_free(struct uvt_host *h);
/* Bump allocation in the host area (page aligned). */
uint64_t uvt_alloc(struct uvt_host *h, uint64_t len);
/* Restore guest RAM to the image (only pages not secure). */
void uvt_reload_ram(struct uvt_host *h, const struct uvt_guest *g);

/* Build a UVCB: zeroed @size bytes, len = pv_uvcb_size(cmd), cmd. */
void uvt_cb(uint8_t *cb, uint16_t cmd);
/* Host UVC on @cb; returns cc (asserts no program interruption). */
int uvt_call(struct pv_uv *uv, uint8_t *cb);
uint16_t uvt_rc(const uint8_t *cb);
uint16_t uvt_rrc(const uint8_t *cb);
/* rc << 16 | rrc of a command that only takes a handle (no-data UVCB). */
uint32_t uvt_handle_cmd(struct uvt_host *h, uint16_t cmd, uint64_t handle);

/*
 * Boot steps; each returns (rc << 16) | rrc of the UVC (0x10000 = rc 1).
 * uvt_create() makes the configuration (MSL = RAM size) and CPU 0.
 */
uint32_t uvt_create(struct uvt_host *h);
uint32_t uvt_ssc(struct uvt_host *h, const uint8_t *hdr, uint32_t len);
uint32_t uvt_unpack(struct uvt_host *h, uint64_t gaddr, uint64_t t0,
		    uint64_t t1);
uint32_t uvt_unpack_all(struct uvt_host *h, const struct uvt_guest *g);
uint32_t uvt_verify(struct uvt_host *h);
uint32_t uvt_cpu_state(struct uvt_host *h, uint64_t cpu, uint8_t state);
/* Destroy CPU and configuration (if any); returns the last rc word. */
uint32_t uvt_teardown(struct uvt_host *h);
/*
 * Full sequence: create, SSC, unpack all, verify, operating-load and
 * operating.  Returns 0 or the failing step's (cmd << 32 | rc << 16 | rrc).
 */
uint64_t uvt_boot(struct uvt_host *h, const struct uvt_guest *g);

#define UVT_OK 0x10000U		/* rc 0x0001, rrc 0 */
#define UVT_RC(rc, rrc) (((uint32_t)(rc) << 16) | (rrc))

#endif
