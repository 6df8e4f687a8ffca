/* SPDX-License-Identifier: MIT */
/*
 * IPL parameter blocks (pv-machine-and-uv.md §2, se-image-format.md §4).
 * Type 5 (PV) is fully modelled; types 0 (FCP), 2 (CCW), 3 (ECKD) and
 * 4 (NVMe/PCI) are kept as raw bytes with their validation rules.
 */
#ifndef PVBOOT_IPIB_H
#define PVBOOT_IPIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/err.h"

#define PV_IPL_MAX_LEN 4096U
#define PV_IPL_HDR_LEN 8U
#define PV_IPL_PBT_FCP 0
#define PV_IPL_PBT_SCP 1
#define PV_IPL_PBT_CCW 2
#define PV_IPL_PBT_ECKD 3
#define PV_IPL_PBT_NVME 4	/* Linux NVMe / newest QEMU PCI */
#define PV_IPL_PBT_PV 5
#define PV_IPL_PBT_QEMU_SCSI 0xff

#define PV_IPIB_PV_FIXED 136U		/* list header + PV block w/o comps */
#define PV_IPIB_PV_COMP 24U
#define PV_IPIB_PV_MIN_LEN 148U		/* QEMU S390_IPLB_MIN_PV_LEN */
#define PV_IPIB_PV_MAX_COMPS 165U	/* (4096 - 136) / 24 */
#define PV_IPL_MIN_LEN_CCW 200U
#define PV_IPL_MIN_LEN_FCP 384U
#define PV_IPL_MIN_LEN_PCI 376U

/* PV block offsets (from the start of the IPIB). */
#define PV_IPIB_OFF_LEN 0x00
#define PV_IPIB_OFF_FLAGS 0x04
#define PV_IPIB_OFF_VERSION 0x07
#define PV_IPIB_OFF_BLK0_LEN 0x08
#define PV_IPIB_OFF_PBT 0x0C
#define PV_IPIB_OFF_BLK_FLAGS 0x0D
#define PV_IPIB_OFF_LOADPARM 0x10
#define PV_IPIB_OFF_PV_VERSION 0x6F
#define PV_IPIB_OFF_NUM_COMP 0x74
#define PV_IPIB_OFF_HDR_ADDR 0x78
#define PV_IPIB_OFF_HDR_SIZE 0x80
#define PV_IPIB_OFF_COMPS 0x88

/* DIAG 308 response codes (pv-machine-and-uv.md §1.4). */
#define PV_DIAG308_RC_OK 0x0001
#define PV_DIAG308_RC_NO_CONF 0x0102
#define PV_DIAG308_RC_INVALID 0x0402
#define PV_DIAG308_RC_NO_PV_CONF 0x0902
#define PV_DIAG308_RC_INVAL_FOR_PV 0x0a02

struct pv_ipib_comp {
	uint64_t tweak_pref;
	uint64_t addr;
	uint64_t len;
};

struct pv_ipib_pv {
	uint32_t len;		/* list header len */
	uint8_t flags;
	uint8_t version;	/* list header version (1) */
	uint32_t blk0_len;
	uint8_t pbt;		/* 5 */
	uint8_t blk_flags;
	uint8_t loadparm[8];
	uint8_t pv_version;	/* 0x6F: Layout-C 0, Layout-R 1 */
	uint32_t num_comp;
	uint64_t hdr_addr;
	uint64_t hdr_size;
	struct pv_ipib_comp comps[PV_IPIB_PV_MAX_COMPS];
};

/*
 * Strict parse of a type-5 block for the image tools: pbt 5, num_comp
 * 1..165, len 136 + 24 * num_comp (Layout-R) or 4096 (Layout-C, padding
 * zero), blk0_len = len of the components' block, reserved bytes zero, no
 * read past @buflen (PV_ERR_TRUNC).  Values (addresses, tweaks) are not
 * judged here: see pv_iplb_check_pv().
 */
int pv_ipib_pv_parse(const uint8_t *buf, size_t buflen,
		     struct pv_ipib_pv *out, struct pv_err **err);
/* Serialized size for @num_comp components: 136 + 24 * num_comp. */
size_t pv_ipib_pv_size(uint32_t num_comp);
/*
 * Write ipib->len bytes to @buf: ipib->len is the list-header len (Layout-R
 * 136 + 24 * num_comp, Layout-C 4096; the rest is zero).  pbt (5) and
 * blk0_len (len of the components' block) are derived, not taken from @ipib.
 */
int pv_ipib_pv_serialize(const struct pv_ipib_pv *ipib, uint8_t *buf,
			 size_t buflen, struct pv_err **err);

/*
 * Hypervisor-side validation as QEMU does for DIAG 308 subcode 8
 * (pv-machine-and-uv.md §2.4 rules 2-9).  @buf holds @len bytes read from the
 * guest (the caller checks len <= 4096 first; a larger len is invalid here
 * too).  @readable tells whether [addr, addr + len) is accessible memory and
 * must handle a range that wraps (NULL: no memory check).  Bytes past @len
 * read as zero, as in QEMU's zeroed slot.  Returns PV_DIAG308_RC_OK or
 * PV_DIAG308_RC_INVALID, and when @why is non-NULL a static string naming
 * the failed rule (NULL when valid).
 */
typedef bool (*pv_range_ok_fn)(void *opaque, uint64_t addr, uint64_t len);
uint16_t pv_iplb_check_pv(const uint8_t *buf, uint32_t len,
			  pv_range_ok_fn readable, void *opaque,
			  const char **why);
/*
 * Subcode 5 validation (§2.3 table): FCP/CCW/PCI minimum lengths; every
 * other type, 0xff included, is PV_DIAG308_RC_INVALID (the caller handles
 * QEMU's 0xff rebuild).  @why as for pv_iplb_check_pv().
 */
uint16_t pv_iplb_check_normal(const uint8_t *buf, uint32_t len,
			      const char **why);

#endif
