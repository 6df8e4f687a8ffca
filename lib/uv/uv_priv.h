/* SPDX-License-Identifier: MIT */
/*
 * Software Ultravisor: private state shared by the files of lib/uv.
 * The model and every choice for points the spec leaves open are written
 * down in lib/uv/README.md.
 */
#ifndef PVBOOT_UV_PRIV_H
#define PVBOOT_UV_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/attest.h"
#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "pvboot/uv.h"

#define UV_MAX_KEYS 16
#define UV_MAX_REGIONS 16

/* Model limits reported by query (pv-machine-and-uv.md §4.5). */
#define UV_BASE_STOR_LEN 0x10000ULL		/* INIT donation, 64 KiB */
#define UV_CONF_BASE_STOR_LEN 0x4000ULL	/* per configuration */
#define UV_CONF_VIRT_BASE_LEN 0x2000ULL
#define UV_CONF_VIRT_VAR_PER_MB 0x20ULL
#define UV_CPU_STOR_LEN 0x1000ULL
#define UV_MAX_CONFS 4U
#define UV_MAX_GUEST_ADDR 0xFFFFFFFFFFULL	/* 1 TiB - 1 */
#define UV_MAX_CPU_ID 247U
#define UV_INIT_MIN_ORIGIN 0x80000000ULL	/* 2 GiB (§4.6) */
#define UV_INIT_ALIGN 0x100000ULL		/* 1 MiB (§4.6) */
#define UV_LOWCORE_END 0x2000ULL		/* two lowcore pages */
#define UV_SD_LEN 0x200ULL			/* state description */
#define UV_SCA_LEN 0x1000ULL
#define UV_QUERY_SIZE 0x120U
#define UV_QUERY_MIN_LEN 0xa8U		/* below: rc 0x0005 (U-10) */

/* Model-specific command rc/rrc values (README "rc/rrc table"). */
#define UV_RC_INTERNAL PV_UV_RC_NO_RESUME
#define UV_RRC_HDR_MAGIC 0x0002
#define UV_RRC_SLOT_AUTH 0x0006
#define UV_RRC_HDR_AUTH 0x0007
#define UV_RRC_HDR_SIZE 0x0031
#define UV_RRC_UNSUPP_PCF 0x0030
#define UV_RRC_HDR_SEA 0x0039
#define UV_RRC_HDR_NOI 0x003a
#define UV_RRC_HDR_PSW 0x003b
#define UV_RRC_HDR_XTS 0x003c
#define UV_RRC_HDR_NKS 0x0040
#define UV_RRC_HOST_KEY 0x0005
#define UV_RRC_CUST_KEY 0x000b

/* Validity-intercept reasons of pv_uv_sie_entry(). */
#define UV_VIR_NOT_VERIFIED 0x2001
#define UV_VIR_NOT_OPERATING 0x2002
#define UV_VIR_RESET_STOP 0x2030
#define UV_VIR_RESET_UNSHARE 0x2031
#define UV_VIR_RESET_PREPARE 0x2032
#define UV_VIR_RESET_CPU 0x2033
#define UV_VIR_RESET_LOAD 0x2034

struct uv_page {
	uint8_t state;		/* enum pv_page_state */
	uint8_t owner;		/* configuration slot + 1, 0 = none/UV */
	uint8_t pinned;		/* shared page pinned by the host */
	uint8_t pad;
};

/* Integrity data of an exported page (§4.8 state E). */
struct uv_export {
	uint8_t iv[PV_GCM_IV_LEN];
	uint8_t tag[PV_GCM_TAG_LEN];
};

struct uv_region {
	uint64_t haddr;
	uint64_t len;
	uint8_t *ptr;
	unsigned int flags;	/* PV_UV_MAP_* */
	struct uv_page *pages;
	struct uv_export **exp;	/* per page, allocated on first export */
};

enum uv_hdr_state {
	UV_HDR_NONE,		/* no SE header accepted yet */
	UV_HDR_OPEN,		/* header accepted, unpacking */
	UV_HDR_VERIFIED,
	UV_HDR_FAILED,		/* verify failed: only destroy is left */
};

enum uv_reset_phase {
	UV_RST_NONE,
	UV_RST_UNSHARED,	/* SET_UNSHARE_ALL done */
	UV_RST_PREPARED,	/* PREPARE_RESET done */
};

enum uv_cpu_reset {
	UV_CRST_NONE,
	UV_CRST_NORMAL,
	UV_CRST_INITIAL,
	UV_CRST_CLEAR,
};

enum uv_psw_src {
	UV_PSW_NONE,
	UV_PSW_HEADER,		/* SE-header PSW after verify */
	UV_PSW_ABS0,		/* short PSW at absolute 0 (PV reset) */
};

struct uv_conf;

struct uv_cpu {
	uint64_t handle;
	struct uv_conf *conf;
	uint16_t num;
	uint64_t stor;		/* donated storage (host absolute) */
	uint64_t sd;		/* state description */
	uint8_t state;		/* PV_UV_CPU_* */
	uint8_t reset;		/* enum uv_cpu_reset since prepare */
	uint8_t psw_src;	/* enum uv_psw_src of the last load */
};

struct uv_conf {
	uint64_t handle;
	unsigned int slot;	/* page owner id is slot + 1 */
	bool defunct;		/* made with rc | 0x8000: destroy only */
	uint64_t base, var, var_len;
	uint64_t mso, msl, sca, asce;
	uint16_t flags;

	enum uv_hdr_state hdr;
	bool decrypt;		/* PCF bit 35 clear */
	struct pv_xts *xts;
	uint8_t cck[PV_CCK_LEN];
	uint64_t psw_mask, psw_addr, pcf, scf, nep;
	uint8_t pld[PV_SHA512_LEN], ald[PV_SHA512_LEN], tld[PV_SHA512_LEN];
	struct pv_digests *dig;
	uint64_t pages;		/* pages unpacked */
	bool loaded;		/* first OPR_LOAD after verify happened */
	bool imported;		/* non-unpacked pages imported (zeroed) */

	/* PV reset protocol (§4.9) */
	bool reset_req;		/* guest did DIAG 308 subcode 0/1 */
	uint8_t reset_need;	/* enum uv_cpu_reset the reset CPU needs */
	uint64_t reset_cpu;	/* handle of the CPU that asked */
	enum uv_reset_phase phase;

	/* export (§4.8 state E) */
	uint8_t exp_key[32];
	uint64_t exp_ctr;

	/* attestation and secrets (uv_attest.c, uv_secret.c) */
	uint8_t cuid[PV_CUID_LEN];
	uint8_t hdr_tag[PV_GCM_TAG_LEN];	/* of the accepted header */
	uint8_t img_phkh[PV_SHA256_LEN];	/* key that opened it */
	struct uv_store *store;			/* NULL until first used */

	struct uv_cpu **cpus;
	size_t ncpus;
};

struct pv_uv {
	bool init;
	uint64_t stor, stor_len;	/* INIT donation */

	struct pv_eckey *keys[UV_MAX_KEYS];
	uint8_t phkh[UV_MAX_KEYS][PV_SHA256_LEN];
	size_t nkeys;

	struct uv_region regions[UV_MAX_REGIONS];
	size_t nregions;

	/* Last customer public key seen by SSC (public, already validated). */
	uint8_t cust_coords[PV_EC_COORDS_LEN];
	struct pv_eckey *cust;

	struct uv_conf *confs[UV_MAX_CONFS];
	uint64_t next_handle;
	struct pv_rng *rng;

	pv_uv_notify_fn notify;
	void *notify_opaque;
	struct pv_uv_stats st;

	struct pv_rng *cuid_rng;	/* seeded CUIDs, or NULL (random) */
	uint64_t conf_seq;		/* configurations created so far */
	pv_uv_xlate_fn xlate;		/* guest logical -> absolute */
	void *xlate_opaque;

	const struct pv_uv_ops *ops;	/* a proxy: the UV is elsewhere */
	void *ops_t;
};

/*
 * A command handler gets the whole UVCB (len bytes, already checked against
 * the command's size) and returns the rc; *rrc starts at 0.
 */
typedef uint16_t (*uv_cmd_fn)(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			      uint16_t *rrc);
typedef uint16_t (*uv_gcmd_fn)(struct pv_uv *uv, struct uv_cpu *cpu,
			       uint8_t *cb, uint16_t len, uint16_t *rrc);

/* uv.c */
uint64_t uv_new_handle(struct pv_uv *uv, uint16_t kind);
struct uv_conf *uv_conf_get(struct pv_uv *uv, uint64_t handle);
struct uv_cpu *uv_cpu_get(struct pv_uv *uv, uint64_t handle);
void uv_notify(struct pv_uv *uv, uint64_t haddr, uint64_t len);

/* uv_mem.c */
struct uv_region *uv_region_of(struct pv_uv *uv, uint64_t haddr,
			       uint64_t len);
uint8_t *uv_ptr(struct pv_uv *uv, uint64_t haddr, uint64_t len);
struct uv_page *uv_page_of(struct pv_uv *uv, uint64_t haddr,
			   struct uv_region **rp);
bool uv_range_free(struct pv_uv *uv, uint64_t haddr, uint64_t len);
bool uv_range_host_ok(struct pv_uv *uv, uint64_t haddr, uint64_t len);
void uv_donate(struct pv_uv *uv, uint64_t haddr, uint64_t len);
void uv_release(struct pv_uv *uv, uint64_t haddr, uint64_t len);
void uv_zero_range(struct pv_uv *uv, struct uv_region *r, uint64_t first,
		   uint64_t npages);
void uv_conf_zero_pages(struct pv_uv *uv, struct uv_conf *conf);
void uv_conf_import_all(struct pv_uv *uv, struct uv_conf *conf);
void uv_export_drop(struct uv_region *r, uint64_t idx);
uint16_t uv_cmd_import(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		       uint16_t *rrc);
uint16_t uv_cmd_export(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		       uint16_t *rrc);
uint16_t uv_cmd_destroy_page(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			     uint16_t *rrc);
uint16_t uv_cmd_pin_shared(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			   uint16_t *rrc);
uint16_t uv_cmd_unpin_shared(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			     uint16_t *rrc);

/* uv_query.c */
uint16_t uv_cmd_query(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		      uint16_t *rrc);
uint16_t uv_cmd_query_keys(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			   uint16_t *rrc);
uint16_t uv_cmd_init(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		     uint16_t *rrc);
uint16_t uv_guest_query(struct pv_uv *uv, struct uv_cpu *cpu, uint8_t *cb,
			uint16_t len, uint16_t *rrc);
void uv_installed_bitmap(bool guest, uint64_t bits[4]);

/* uv_conf.c */
uint16_t uv_cmd_create_conf(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			    uint16_t *rrc);
uint16_t uv_cmd_destroy_conf(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			     uint16_t *rrc);
uint16_t uv_cmd_create_cpu(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			   uint16_t *rrc);
uint16_t uv_cmd_destroy_cpu(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			    uint16_t *rrc);
void uv_conf_destroy(struct pv_uv *uv, struct uv_conf *conf);
void uv_cpu_destroy(struct pv_uv *uv, struct uv_cpu *cpu);
void uv_conf_forget_secrets(struct uv_conf *conf);

/* uv_ssc.c */
uint16_t uv_cmd_set_sec_parms(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			      uint16_t *rrc);

/* uv_unpack.c */
uint16_t uv_cmd_unpack(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		       uint16_t *rrc);
uint16_t uv_cmd_verify(struct pv_uv *uv, uint8_t *cb, uint16_t len,
		       uint16_t *rrc);

/* uv_cpu.c */
uint16_t uv_cmd_cpu_reset(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			  uint16_t *rrc);
uint16_t uv_cmd_prepare_reset(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			      uint16_t *rrc);
uint16_t uv_cmd_set_cpu_state(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			      uint16_t *rrc);
uint16_t uv_cmd_unshare_all(struct pv_uv *uv, uint8_t *cb, uint16_t len,
			    uint16_t *rrc);

/* uv_guest.c */
uint16_t uv_guest_share(struct pv_uv *uv, struct uv_cpu *cpu, uint8_t *cb,
			uint16_t len, uint16_t *rrc);
uint16_t uv_guest_unshare(struct pv_uv *uv, struct uv_cpu *cpu, uint8_t *cb,
			  uint16_t len, uint16_t *rrc);

/* uv_gmem.c: guest logical memory of the calling CPU (0 or -1) */
int uv_gcheck(struct pv_uv *uv, struct uv_cpu *cpu, uint64_t laddr,
	      uint64_t len);
int uv_gread(struct pv_uv *uv, struct uv_cpu *cpu, uint64_t laddr,
	     void *buf, uint64_t len);
int uv_gwrite(struct pv_uv *uv, struct uv_cpu *cpu, uint64_t laddr,
	      const void *buf, uint64_t len);

/* uv_attest.c */
int uv_conf_new_cuid(struct pv_uv *uv, struct uv_conf *conf);
void uv_query_attest(uint8_t *out);
int uv_req_key(struct pv_uv *uv, const uint8_t *req, size_t slots_off,
	       unsigned int nks, uint8_t key[PV_REQ_KEY_LEN], size_t *which);
uint16_t uv_guest_attest(struct pv_uv *uv, struct uv_cpu *cpu, uint8_t *cb,
			 uint16_t len, uint16_t *rrc);

/* uv_secret.c */
void uv_store_free(struct uv_store *st);
int uv_store_hash(struct uv_conf *conf, uint8_t out[PV_SHA512_LEN]);
uint16_t uv_guest_add_secret(struct pv_uv *uv, struct uv_cpu *cpu,
			     uint8_t *cb, uint16_t len, uint16_t *rrc);
uint16_t uv_guest_list_secrets(struct pv_uv *uv, struct uv_cpu *cpu,
			       uint8_t *cb, uint16_t len, uint16_t *rrc);
uint16_t uv_guest_lock_secrets(struct pv_uv *uv, struct uv_cpu *cpu,
			       uint8_t *cb, uint16_t len, uint16_t *rrc);
uint16_t uv_guest_retrieve_secret(struct pv_uv *uv, struct uv_cpu *cpu,
				  uint8_t *cb, uint16_t len, uint16_t *rrc);

#endif
