// SPDX-License-Identifier: MIT
/*
 * Component kinds, tweak ids, region names and the address plan of the
 * image head (se-image-format.md §2.2, §2.3, §6.7).
 */
#include <string.h>

#include "pvboot/be.h"
#include "image_priv.h"

static const char *const kind_names[PV_COMP__MAX] = {
	[PV_COMP_KERNEL] = "kernel",
	[PV_COMP_INITRD] = "initrd",
	[PV_COMP_CMDLINE] = "cmdline",
	[PV_COMP_STAGE3B] = "stage3b",
};

const char *pv_comp_kind_name(enum pv_comp_kind kind)
{
	if ((unsigned int)kind >= PV_COMP__MAX)
		return "unknown";
	return kind_names[kind];
}

/* se-image-format.md §6.7: tweak ids differ between the layouts [DIFF] */
static const uint16_t ids_r[PV_COMP__MAX] = {
	[PV_COMP_KERNEL] = PV_TWEAK_ID_R_KERNEL,
	[PV_COMP_INITRD] = PV_TWEAK_ID_R_INITRD,
	[PV_COMP_CMDLINE] = PV_TWEAK_ID_R_CMDLINE,
	[PV_COMP_STAGE3B] = PV_TWEAK_ID_R_STAGE3B,
};

static const uint16_t ids_c[PV_COMP__MAX] = {
	[PV_COMP_KERNEL] = PV_TWEAK_ID_C_KERNEL,
	[PV_COMP_INITRD] = PV_TWEAK_ID_C_INITRD,
	[PV_COMP_CMDLINE] = PV_TWEAK_ID_C_CMDLINE,
	[PV_COMP_STAGE3B] = PV_TWEAK_ID_C_STAGE3B,
};

uint16_t pv_comp_tweak_id(enum pv_layout layout, enum pv_comp_kind kind)
{
	if ((unsigned int)kind >= PV_COMP__MAX)
		return 0xFFFF;
	return layout == PV_LAYOUT_C ? ids_c[kind] : ids_r[kind];
}

enum pv_comp_kind pv_comp_kind_from_id(uint16_t id, enum pv_layout *layout)
{
	for (int k = 0; k < PV_COMP__MAX; k++) {
		if (ids_r[k] == id) {
			if (layout)
				*layout = PV_LAYOUT_R;
			return (enum pv_comp_kind)k;
		}
		if (ids_c[k] == id) {
			if (layout)
				*layout = PV_LAYOUT_C;
			return (enum pv_comp_kind)k;
		}
	}
	return PV_COMP__MAX;
}

const char *pv_layout_name(enum pv_layout layout)
{
	return layout == PV_LAYOUT_C ? "c" : "r";
}

const char *pv_region_name(enum pv_region region)
{
	switch (region) {
	case PV_REGION_NONE:
		return "none";
	case PV_REGION_HEADER:
		return "SE header";
	case PV_REGION_METADATA:
		return "image metadata";
	case PV_REGION_IPIB:
		return "IPIB";
	case PV_REGION_STAGE3A:
		return "stage3a";
	case PV_REGION_STAGE3B_ARGS:
		return "stage3b arguments";
	case PV_REGION_COMPONENT:
		return "component";
	}
	return "unknown";
}

int image_plan_head(enum pv_layout layout, size_t s3a_len, size_t nks,
		    struct image_plan *plan, struct pv_err **err)
{
	uint32_t phs;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (s3a_len <= PV_STAGE3A_PARMS_SIZE || s3a_len > PV_IMAGE_MAX_LOADER)
		return pv_err_set(err, PV_ERR_INVAL,
				  "stage3a loader has %zu bytes; it needs more than %u (its parameter block) and at most %u",
				  s3a_len, PV_STAGE3A_PARMS_SIZE,
				  PV_IMAGE_MAX_LOADER);
	rc = pv_sehdr_size(nks ? nks : 1, &phs, err);
	if (rc)
		return rc;
	plan->layout = layout;
	plan->s3a_len = s3a_len;
	plan->phs = phs;
	/* se-image-format.md §3.1: block = last 24 bytes of stage3a */
	plan->parms_addr = PV_IMAGE_ENTRY + s3a_len - PV_STAGE3A_PARMS_SIZE;
	if (layout == PV_LAYOUT_C) {
		/* §2.2: IPIB page, then the header pages */
		plan->ipib_addr = PV_IMAGE_ENTRY + pv_page_align(s3a_len);
		plan->hdr_addr = plan->ipib_addr + PV_PAGE_SIZE;
		plan->comp0 = plan->hdr_addr + pv_page_align(phs);
	} else {
		/* §2.3: H = max(round_up(0x10000 + S), 0x14000) */
		uint64_t a0 = pv_page_align(PV_IMAGE_ENTRY + s3a_len);

		plan->hdr_addr = a0 > PV_HDR_MIN_ADDR ? a0 : PV_HDR_MIN_ADDR;
		plan->comp0 = pv_page_align(plan->hdr_addr + phs);
	}
	return 0;
}

void kernel_inspect(const uint8_t *buf, size_t len, struct kernel_facts *kf)
{
	static const uint8_t elf[4] = { 0x7F, 'E', 'L', 'F' };
	static const uint8_t s390ep[6] = { 'S', '3', '9', '0', 'E', 'P' };

	memset(kf, 0, sizeof(*kf));
	/* pvimg kernel checks (se-image-format.md §8.2) */
	kf->is_elf = len >= sizeof(elf) && !memcmp(buf, elf, sizeof(elf));
	kf->has_s390ep = len >= PV_S390EP_OFF + sizeof(s390ep) &&
			 !memcmp(buf + PV_S390EP_OFF, s390ep, sizeof(s390ep));
	if (len >= PV_MAX_CMDLINE_SIZE + 8) {
		kf->has_max_cmdline = true;
		kf->max_cmdline = pv_get_be64(buf + PV_MAX_CMDLINE_SIZE);
		if (!kf->max_cmdline)
			kf->max_cmdline = PV_LEGACY_CMDLINE_SIZE;
	}
}
