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
#define PV_UVC_ATTESTATION 0x1020	/* attestation-and-secrets.md §2.2 */
#define PV_UVC_ADD_SECRET 0x1031
#define PV_UVC_LIST_SECRETS 0x1033
#define PV_UVC_LOCK_SECRETS 0x1034
#define PV_UVC_RETRIEVE_SECRET 0x1035

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

/* UVCB field offsets (§4.2, §4.4), from the start of the UVCB. */
#define PV_UVCB_LEN 0x00		/* u16 */
#define PV_UVCB_CMD 0x02		/* u16 */
#define PV_UVCB_RC 0x04			/* u16, out */
#define PV_UVCB_RRC 0x06		/* u16, out */
#define PV_UVCB_HANDLE 0x18		/* u64: config or CPU handle */
#define PV_UVCB_INIT_ORIGIN 0x18
#define PV_UVCB_INIT_LEN 0x20
#define PV_UVCB_CGC_BASE 0x20		/* create config */
#define PV_UVCB_CGC_VAR 0x28
#define PV_UVCB_CGC_FLAGS 0x36		/* u16 */
#define PV_UVCB_CGC_MSO 0x38
#define PV_UVCB_CGC_MSL 0x40
#define PV_UVCB_CGC_SCA 0x48
#define PV_UVCB_CGC_ASCE 0x50
#define PV_UVCB_CSC_GUEST 0x20		/* create CPU: config handle */
#define PV_UVCB_CSC_STOR 0x28
#define PV_UVCB_CSC_NUM 0x36		/* u16 */
#define PV_UVCB_CSC_SD 0x38
#define PV_UVCB_GADDR 0x20		/* import, unpin, unpack, share */
#define PV_UVCB_PADDR 0x18		/* export, destroy page, pin */
#define PV_UVCB_SSC_ORIGIN 0x20
#define PV_UVCB_SSC_LEN 0x28		/* u32 */
#define PV_UVCB_UNP_TWEAK0 0x28
#define PV_UVCB_UNP_TWEAK1 0x30
#define PV_UVCB_CPU_STATE 0x27		/* u8 */
#define PV_UVCB_QUERY_KEYS 0x20		/* 15 x 32-byte key hashes */

/* Query result offsets (§4.5). */
#define PV_QUI_INST_CALLS 0x10		/* 4 x u64, MSB-0 query bits */
#define PV_QUI_UV_BASE_STOR 0x40
#define PV_QUI_CONF_BASE_STOR 0x50
#define PV_QUI_CONF_VIRT_BASE 0x58
#define PV_QUI_CONF_VIRT_VAR 0x60
#define PV_QUI_CPU_STOR 0x68
#define PV_QUI_MAX_CONFS 0x7c		/* u32 */
#define PV_QUI_MAX_GADDR 0x80
#define PV_QUI_MAX_CPU_ID 0x9e		/* u16 */
#define PV_QUI_FEATURES 0xa0
#define PV_QUI_HDR_VERSIONS 0xb0
#define PV_QUI_HDR_PCF 0xb8
#define PV_QUERY_SIZE 0x120

/* SIE intercept codes the UV can demand on entry (§4.10). */
#define PV_SIE_IC_VALIDITY 0x20
#define PV_SIE_IC_PV_PREFIX 0x70

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

/* Create an uninitialised UV.  Limits are the model's (lib/uv/README.md). */
int pv_uv_new(struct pv_uv **out, struct pv_err **err);
/* Destroy: zeroizes keys, header keys, image keys and digests. NULL-safe. */
void pv_uv_free(struct pv_uv *uv);

/*
 * Load a host private key (P-521, PEM or DER bytes as read from a file by the
 * caller).  The UV keeps a copy; the caller should zeroize its buffer.
 */
int pv_uv_add_host_key(struct pv_uv *uv, const uint8_t *buf, size_t len,
		       struct pv_err **err);
/*
 * Number of loaded host keys, and the phkh (SHA-256 of the public key
 * coordinates, se-image-format.md §6.3) of key @i: public data.
 * pv_uv_host_key_hash() returns -PV_ERR_RANGE for a bad index.
 */
size_t pv_uv_host_key_count(const struct pv_uv *uv);
int pv_uv_host_key_hash(const struct pv_uv *uv, size_t i, uint8_t phkh[32]);

/*
 * Register host absolute memory [haddr, haddr + len) backed by @ptr.
 * @haddr and @len must be 4 KiB multiples; regions must not overlap.  The
 * memory must stay valid until pv_uv_free() (which never touches it).
 */
int pv_uv_map_host(struct pv_uv *uv, uint64_t haddr, void *ptr, uint64_t len,
		   struct pv_err **err);
/*
 * As pv_uv_map_host() with flags.  PV_UV_MAP_ANON: @ptr is private
 * anonymous memory (mmap MAP_PRIVATE|MAP_ANONYMOUS), so the UV may zero
 * large ranges with madvise(MADV_DONTNEED) instead of writing them.
 */
#define PV_UV_MAP_ANON 0x1U
/* PV_UV_MAP_SHMEM: @ptr is a MAP_SHARED mapping of a memfd or tmpfs file;
 * the UV may zero large ranges with madvise(MADV_REMOVE). */
#define PV_UV_MAP_SHMEM 0x2U
int pv_uv_map_host_flags(struct pv_uv *uv, uint64_t haddr, void *ptr,
			 uint64_t len, unsigned int flags, struct pv_err **err);

/*
 * Called whenever the UV changes the content of host memory that a CPU
 * model may have cached (unpack, import/zeroing, export, destroy, release
 * of donated storage), with the host range.  pv_uv_set_notify() installs
 * @fn (NULL to remove); it is called synchronously inside UV calls.
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
 * @n host UVCs in a row, the UVCBs @stride bytes apart in @uvcbs (each
 * one as pv_uv_call() takes it), stopping at the first that does not end
 * with cc 0.  *@done gets the number that did; the return value is the
 * stopping call's cc (or -1 with *@pgm), 0 when all ran.  The same calls
 * one by one, cheaper when the UV runs in another process.
 */
int pv_uv_call_many(struct pv_uv *uv, void *uvcbs, size_t stride, size_t n,
		    size_t *done, uint16_t *pgm);

/*
 * UVC issued by a secure guest CPU @cpu_handle (query, set/remove shared
 * access).  Same conventions as pv_uv_call(); guest addresses in the UVCB
 * are guest absolute addresses of that CPU's configuration.  PGM 0x01 when
 * @cpu_handle is not a secure CPU, 0x02 in @problem_state.
 */
int pv_uv_guest_call(struct pv_uv *uv, uint64_t cpu_handle, void *uvcb,
		     size_t buflen, bool problem_state, uint16_t *pgm);

/*
 * Hypervisor access to host memory, as hardware enforces it: a secure or
 * donated page gives PGM 0x3d (returned as the value, 0 on success; nothing
 * is copied then), an unmapped address PGM 0x05.  Non-secure, shared and
 * exported (ciphertext) pages are accessible.
 */
int pv_uv_host_read(struct pv_uv *uv, uint64_t haddr, void *buf, size_t len);
int pv_uv_host_write(struct pv_uv *uv, uint64_t haddr, const void *buf,
		     size_t len);
/* State of the 4 KiB host page holding @haddr (NONSECURE if unmapped). */
enum pv_page_state pv_uv_page_state(const struct pv_uv *uv, uint64_t haddr);

/*
 * May the secure guest of @cpu_handle access guest absolute @gaddr?
 * 0: yes (a secure or shared page of its configuration).  PGM 0x3e: the
 * page is non-secure or exported; the host imports it (UVC 0x0200) and
 * retries (U-09).  PGM 0x3f: donated storage or another configuration's
 * page.  PGM 0x05: beyond the guest's storage or not mapped.
 * -PV_ERR_INVAL for an unknown CPU handle.
 */
int pv_uv_guest_access(struct pv_uv *uv, uint64_t cpu_handle,
		       uint64_t gaddr);

/*
 * The PSW a secure CPU starts with after "set CPU state" operating-load (5)
 * (§1.8, §4.9): the SE-header PSW after a fresh unpack/verify, or the short
 * PSW at guest absolute 0 (converted as load-normal does: bit 12 inverted)
 * after the PV-reset protocol.  -PV_ERR_INVAL for an unknown handle,
 * -PV_ERR_STATE when the CPU has not been loaded, -PV_ERR_RANGE when guest
 * absolute 0 is not mapped.  The PSW is guest state, not a UV secret.
 */
int pv_uv_cpu_start_psw(struct pv_uv *uv, uint64_t cpu_handle,
			uint64_t *mask, uint64_t *addr);
/* True when the last load of @cpu_handle used guest absolute 0. */
bool pv_uv_cpu_load_from_abs0(const struct pv_uv *uv, uint64_t cpu_handle);
/* UV state of a secure CPU (PV_UV_CPU_*), or -PV_ERR_INVAL. */
int pv_uv_cpu_state(const struct pv_uv *uv, uint64_t cpu_handle);

/*
 * The guest on @cpu_handle issued DIAG 308 subcode 0 (@clear) or 1 in PV
 * mode (the PV-notification intercept).  From now on pv_uv_sie_entry()
 * demands the host sequence of §4.9: every CPU stopped, SET_UNSHARE_ALL,
 * PREPARE_RESET, CPU clear (sc 0) / initial (sc 1) reset of this CPU and
 * operating-load; the next start then uses the PSW at absolute 0.
 * Returns 0, -PV_ERR_INVAL (unknown CPU) or -PV_ERR_STATE (configuration
 * not verified).
 */
int pv_uv_guest_reset_request(struct pv_uv *uv, uint64_t cpu_handle,
			      bool clear);

/*
 * SIE entry of secure CPU @cpu_handle with prefix @prefix (guest absolute).
 * Returns 0 when the CPU may run (an operating-load CPU becomes operating
 * here; the first start of a verified configuration imports every page
 * that was not unpacked, so it reads as zero), PV_SIE_IC_VALIDITY with
 * *@reason = 0x20xx when a step is missing (not verified, not operating,
 * PV-reset protocol incomplete), PV_SIE_IC_PV_PREFIX when one of the two
 * prefix pages is not secure (the host imports both and retries; U-13),
 * or -PV_ERR_INVAL for an unknown handle.
 */
int pv_uv_sie_entry(struct pv_uv *uv, uint64_t cpu_handle, uint64_t prefix,
		    uint16_t *reason);

/*
 * Host load-normal reset (U-12): every configuration and CPU is destroyed
 * (their secure pages zeroed), all donated storage is zeroed and returned,
 * and the UV is uninitialised again.  Host keys and mappings stay.
 */
void pv_uv_host_reset(struct pv_uv *uv);

/*
 * Introspection for tests and `pvboot run` summaries (no secrets):
 * pv_uv_get_stats() copies the counters; last_* describe the last UVC
 * (host or guest) that reached the dispatcher.
 */
struct pv_uv_stats {
	uint64_t calls;			/* UVCs executed */
	uint64_t pages_unpacked;
	uint64_t pages_imported;
	uint64_t pages_destroyed;
	uint16_t last_cmd, last_rc, last_rrc;
};
void pv_uv_get_stats(const struct pv_uv *uv, struct pv_uv_stats *st);

/*
 * A UV that runs elsewhere, in another process (`pvboot run` keeps the UV
 * and its keys out of the process that runs guest code).  A proxy made by
 * pv_uv_new_proxy() hands the calls below to @ops, with @t, and the
 * transport carries them there and back; pv_uv_free() calls @ops->free.
 * pv_uv_add_host_key() fails on a proxy (keys go to the real UV); the
 * other calls are not for proxies.  pv_uv_set_notify() and
 * pv_uv_set_guest_xlate() keep their callbacks in the proxy: the transport
 * runs them with pv_uv_proxy_notify() and pv_uv_proxy_xlate() when the
 * real UV asks.
 */
struct pv_uv_ops {
	int (*call)(void *t, void *uvcb, size_t buflen, uint16_t *pgm);
	int (*guest_call)(void *t, uint64_t cpu_handle, void *uvcb,
			  size_t buflen, bool problem_state, uint16_t *pgm);
	int (*host_read)(void *t, uint64_t haddr, void *buf, size_t len);
	int (*host_write)(void *t, uint64_t haddr, const void *buf,
			  size_t len);
	enum pv_page_state (*page_state)(void *t, uint64_t haddr);
	int (*map_host)(void *t, uint64_t haddr, void *ptr, uint64_t len,
			unsigned int flags, struct pv_err **err);
	int (*cpu_start_psw)(void *t, uint64_t cpu_handle, uint64_t *mask,
			     uint64_t *addr);
	int (*guest_reset_request)(void *t, uint64_t cpu_handle, bool clear);
	int (*sie_entry)(void *t, uint64_t cpu_handle, uint64_t prefix,
			 uint16_t *reason);
	void (*get_stats)(void *t, struct pv_uv_stats *st);
	void (*free)(void *t);
	/* optional: pv_uv_call_many() in one exchange */
	int (*call_many)(void *t, void *uvcbs, size_t stride, size_t n,
			 size_t *done, uint16_t *pgm);
};
int pv_uv_new_proxy(struct pv_uv **out, const struct pv_uv_ops *ops,
		    void *t, struct pv_err **err);
void pv_uv_proxy_notify(struct pv_uv *uv, uint64_t haddr, uint64_t len);
/* The installed guest translator, or the identity: 0 or a PGM code. */
int pv_uv_proxy_xlate(struct pv_uv *uv, uint64_t cpu_handle, uint64_t laddr,
		      uint64_t *gabs);

/* Convenience for building UVCBs: sizes per command (§4.3), 0 if unknown. */
uint16_t pv_uvcb_size(uint16_t cmd);
/* Short name of a command code ("unpack"), "unknown" if none. */
const char *pv_uvc_name(uint16_t cmd);

#endif
