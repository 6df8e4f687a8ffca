/* SPDX-License-Identifier: MIT */
/*
 * Software Ultravisor (pv-machine-and-uv.md §3-§5, §7).
 *
 * A library with no I/O, in the style of libtpms: control blocks (UVCBs, laid
 * out big-endian exactly as §4.2-§4.5 give) go in, a condition code and the
 * rc/rrc written into the UVCB header come out.  The UV owns the host private
 * keys and every secret derived from them; nothing secret is ever returned.
 *
 * Memory model: the caller registers "host absolute" memory with
 * pv_uv_map_host().  Addresses inside UVCBs (SE-header origin, donated
 * storage, guest storage origin + guest address) are host absolute addresses
 * resolved through that map.  The UV keeps a state per 4 KiB host page
 * (§4.8) and every hypervisor-side access must go through pv_uv_host_read()/
 * pv_uv_host_write(), which refuse secure pages with PGM 0x3d as hardware
 * does.  A guest CPU (the machine) accesses guest memory directly; before a
 * secure guest runs, the UV imports (zeroes) every page it did not unpack so
 * that "memory that was not unpacked reads as zero" holds (§4.8, B-14).
 */
#ifndef PVBOOT_UV_H
#define PVBOOT_UV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/err.h"

/* Command codes (§4.3). */
#define PV_UVC_QUERY 0x0001
#define PV_UVC_QUERY_KEYS 0x0002
#define PV_UVC_INIT 0x000f
#define PV_UVC_CREATE_CONF 0x0100
#define PV_UVC_DESTROY_CONF 0x0101
#define PV_UVC_DESTROY_CONF_FAST 0x0102
#define PV_UVC_CREATE_CPU 0x0120
#define PV_UVC_DESTROY_CPU 0x0121
#define PV_UVC_IMPORT 0x0200
#define PV_UVC_EXPORT 0x0201
#define PV_UVC_DESTROY_PAGE 0x0202
#define PV_UVC_SET_SEC_PARMS 0x0300
#define PV_UVC_UNPACK 0x0301
#define PV_UVC_VERIFY 0x0302
#define PV_UVC_CPU_RESET 0x0310
#define PV_UVC_CPU_RESET_INITIAL 0x0311
#define PV_UVC_PREPARE_RESET 0x0320
#define PV_UVC_CPU_RESET_CLEAR 0x0321
#define PV_UVC_SET_CPU_STATE 0x0330
#define PV_UVC_SET_UNSHARE_ALL 0x0340
#define PV_UVC_PIN_PAGE_SHARED 0x0341
#define PV_UVC_UNPIN_PAGE_SHARED 0x0342
#define PV_UVC_SET_SHARED_ACCESS 0x1000
#define PV_UVC_REMOVE_SHARED_ACCESS 0x1001

/* Generic return codes (§4.2). */
#define PV_UV_RC_EXECUTED 0x0001
#define PV_UV_RC_INV_CMD 0x0002
#define PV_UV_RC_INV_STATE 0x0003
#define PV_UV_RC_INV_LEN 0x0005
#define PV_UV_RC_NO_RESUME 0x0007
#define PV_UV_RC_INV_GHANDLE 0x0020
#define PV_UV_RC_INV_CHANDLE 0x0021
#define PV_UV_RC_MORE_DATA 0x0100
#define PV_UV_RC_NEED_DESTROY 0x8000

/* Verify reason codes (catalogue B-11). */
#define PV_UV_RRC_ALD 0x001a
#define PV_UV_RRC_PLD 0x001b
#define PV_UV_RRC_TLD 0x001c
#define PV_UV_RRC_NEP 0x001d

/* Program-interruption codes the UV may ask the caller to present. */
#define PV_PGM_OPERATION 0x0001
#define PV_PGM_PRIVILEGED 0x0002
#define PV_PGM_ADDRESSING 0x0005
#define PV_PGM_SPECIFICATION 0x0006
#define PV_PGM_SECURE_STORAGE_ACCESS 0x003d
#define PV_PGM_NONSECURE_STORAGE_ACCESS 0x003e
#define PV_PGM_SECURE_STORAGE_VIOLATION 0x003f

/* CPU states (§4.9). */
#define PV_UV_CPU_OPERATING 1
#define PV_UV_CPU_STOPPED 2
#define PV_UV_CPU_CHECK_STOP 3
#define PV_UV_CPU_OPERATING_LOAD 5

/* Page states (§4.8). */
enum pv_page_state {
	PV_PAGE_NONSECURE = 0,
	PV_PAGE_SECURE,
	PV_PAGE_SHARED,		/* secure, shared by the guest */
	PV_PAGE_EXPORTED,
	PV_PAGE_DONATED,
};

struct pv_uv;

/* Create an uninitialised UV.  Limits have model defaults (see uv.c). */
int pv_uv_new(struct pv_uv **out, struct pv_err **err);
/* Destroy: zeroizes keys, header keys, image keys and digests. NULL-safe. */
void pv_uv_free(struct pv_uv *uv);

/*
 * Load a host private key (P-521, PEM or DER bytes as read from a file by the
 * caller).  The UV keeps a copy; the caller should zeroize its buffer.
 */
int pv_uv_add_host_key(struct pv_uv *uv, const uint8_t *buf, size_t len,
		       struct pv_err **err);
/* Number of host keys and the phkh of key @i (public data). */
size_t pv_uv_host_key_count(const struct pv_uv *uv);
int pv_uv_host_key_hash(const struct pv_uv *uv, size_t i, uint8_t phkh[32]);

/* Register host absolute memory [haddr, haddr + len) backed by @ptr. */
int pv_uv_map_host(struct pv_uv *uv, uint64_t haddr, void *ptr, uint64_t len,
		   struct pv_err **err);

/*
 * Called whenever the UV changes the content of host memory that a CPU
 * model may have cached (unpack, import/zeroing, destroy).
 */
typedef void (*pv_uv_notify_fn)(void *opaque, uint64_t haddr, uint64_t len);
void pv_uv_set_notify(struct pv_uv *uv, pv_uv_notify_fn fn, void *opaque);

/*
 * Host UVC.  @uvcb points to the control block (@buflen bytes available, the
 * UVCB's own len field says how much is used).  Returns the condition code
 * 0..3; rc/rrc and outputs are written into the UVCB.  When the instruction
 * must instead end in a program interruption, *@pgm is set to its code and
 * the return value is -1.
 */
int pv_uv_call(struct pv_uv *uv, void *uvcb, size_t buflen, uint16_t *pgm);

/*
 * UVC issued by a secure guest CPU @cpu_handle (query, set/remove shared
 * access, ...).  Same conventions as pv_uv_call(); guest addresses in the
 * UVCB are guest absolute addresses of that CPU's configuration.
 */
int pv_uv_guest_call(struct pv_uv *uv, uint64_t cpu_handle, void *uvcb,
		     size_t buflen, bool problem_state, uint16_t *pgm);

/*
 * Hypervisor access to host memory, as hardware enforces it: a secure or
 * donated page gives PGM 0x3d (returned as the value, 0 on success).
 */
int pv_uv_host_read(struct pv_uv *uv, uint64_t haddr, void *buf, size_t len);
int pv_uv_host_write(struct pv_uv *uv, uint64_t haddr, const void *buf,
		     size_t len);
enum pv_page_state pv_uv_page_state(const struct pv_uv *uv, uint64_t haddr);

/* Introspection for tests and `pvboot run` summaries (no secrets). */
struct pv_uv_stats {
	uint64_t calls;			/* UVCs executed */
	uint64_t pages_unpacked;
	uint64_t pages_imported;
	uint64_t pages_destroyed;
	uint16_t last_cmd, last_rc, last_rrc;
};
void pv_uv_get_stats(const struct pv_uv *uv, struct pv_uv_stats *st);

/* Convenience for building UVCBs: sizes per command (§4.3). */
uint16_t pv_uvcb_size(uint16_t cmd);

#endif
