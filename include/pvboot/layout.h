/* SPDX-License-Identifier: MIT */
/*
 * Image layout constants and the small fixed blocks of an SE image:
 * short PSW, stage3a and stage3b parameter blocks, Layout-R metadata and
 * component tweak prefixes (se-image-format.md §2, §3, Appendix A).
 */
#ifndef PVBOOT_LAYOUT_H
#define PVBOOT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/boot_abi.h"
#include "pvboot/err.h"

#define PV_IMAGE_ENTRY 0x10000ULL	/* stage3a load / kernel entry */
#define PV_STAGE3A_ENTRY 0x11000ULL
#define PV_STAGE3B_LOAD 0xA000ULL
#define PV_HDR_MIN_ADDR 0x14000ULL	/* Layout-R H = max(A0, 0x14000) */
#define PV_META_OFF 0xC000ULL		/* Layout-R metadata block */
#define PV_META_MAGIC 0x5365496D674C6E78ULL	/* "SeImgLnx" */
#define PV_META_VERSION 1U
#define PV_META_SIZE 28U
#define PV_SHORT_PSW_SE 0x0008000180011000ULL

/* Linux parameter area (Appendix A). */
#define PV_PARMAREA 0x10400ULL
#define PV_INITRD_START 0x10408ULL
#define PV_INITRD_SIZE 0x10410ULL
#define PV_MAX_CMDLINE_SIZE 0x10430ULL
#define PV_COMMAND_LINE 0x10480ULL
#define PV_LEGACY_CMDLINE_SIZE 896U
#define PV_S390EP_OFF 0x10008ULL	/* "S390EP" kernel marker */

/* Panic / wait codes of the loaders: see boot_abi.h. */

/* Component kinds: Layout-R tweak ids (§6.7) and Layout-C ids. */
enum pv_comp_kind {
	PV_COMP_KERNEL,
	PV_COMP_INITRD,
	PV_COMP_CMDLINE,
	PV_COMP_STAGE3B,
	PV_COMP__MAX
};
#define PV_TWEAK_ID_R_KERNEL 40
#define PV_TWEAK_ID_R_INITRD 50
#define PV_TWEAK_ID_R_CMDLINE 60
#define PV_TWEAK_ID_R_STAGE3B 70
#define PV_TWEAK_ID_C_KERNEL 0
#define PV_TWEAK_ID_C_CMDLINE 1
#define PV_TWEAK_ID_C_INITRD 2
#define PV_TWEAK_ID_C_STAGE3B 3

enum pv_layout {
	PV_LAYOUT_R = 0,	/* pvimg (>= v2.36), the default */
	PV_LAYOUT_C = 1,	/* C genprotimg (v2.13 - v2.35) */
};

/* prefix8 = BE16(id) || rand6, as a u64 (§6.7, §9.5). */
uint64_t pv_tweak_prefix(uint16_t id, const uint8_t rand6[6]);
/* Component kind id of a prefix (its top 16 bits). */
static inline uint16_t pv_tweak_prefix_id(uint64_t prefix)
{
	return (uint16_t)(prefix >> 48);
}

/*
 * Short (ESA-format) PSW from a 64-bit PSW mask and address (§2.1).
 * Returns -PV_ERR_RANGE when the PSW cannot be expressed.
 */
int pv_psw_to_short(uint64_t mask, uint64_t addr, uint64_t *out,
		    struct pv_err **err);
/* Inverse as the IPL does it (guest-boot-probe.md §0). */
void pv_psw_from_short(uint64_t sw, uint64_t *mask, uint64_t *addr);

/* stage3a parameter block: last 24 bytes of stage3a (§3.1). */
#define PV_STAGE3A_PARMS_SIZE 24U
struct pv_stage3a_parms {
	uint64_t hdr_offs;	/* H - P */
	uint64_t hdr_size;	/* phs */
	uint64_t ipib_offs;	/* I - P */
};
void pv_stage3a_parms_pack(const struct pv_stage3a_parms *p, uint8_t out[24]);
void pv_stage3a_parms_unpack(const uint8_t in[24], struct pv_stage3a_parms *p);

/* stage3b parameter block: last 64 bytes of stage3b_reloc (§3.3). */
#define PV_STAGE3B_PARMS_SIZE 64U
struct pv_stage3b_parms {
	uint64_t kernel_src, kernel_size;
	uint64_t cmdline_src, cmdline_size;	/* size includes the NUL */
	uint64_t initrd_src, initrd_size;
	uint64_t psw_mask, psw_addr;
};
void pv_stage3b_parms_pack(const struct pv_stage3b_parms *p, uint8_t out[64]);
void pv_stage3b_parms_unpack(const uint8_t in[64], struct pv_stage3b_parms *p);

/* Layout-R metadata block at 0xC000 (§2.3). */
struct pv_meta {
	uint64_t hdr_off;
	uint32_t version;
	uint64_t ipib_off;
};
void pv_meta_pack(const struct pv_meta *m, uint8_t out[PV_META_SIZE]);
/* Returns 0 when the magic matches, -PV_ERR_FORMAT otherwise. */
int pv_meta_unpack(const uint8_t *in, size_t len, struct pv_meta *m,
		   struct pv_err **err);

#endif
