// SPDX-License-Identifier: MIT
/*
 * Small fixed blocks of an SE image: tweak prefixes, the short PSW at
 * address 0, the stage3a/stage3b parameter blocks and the Layout-R metadata
 * block (se-image-format.md §2, §3.1, §3.3, §6.7).
 */
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/layout.h"

/* Short PSW (ESA format) bits, se-image-format.md §2.1. */
#define SHORT_PSW_BIT12 0x0008000000000000ULL
#define SHORT_PSW_BA 0x0000000080000000ULL
#define SHORT_PSW_ADDR 0x000000007FFFFFFFULL
#define SHORT_PSW_HIGH 0xFFFFFFFF00000000ULL

_Static_assert(PV_STAGE3A_PARMS_SIZE == 3 * 8, "stage3a parameter block");
_Static_assert(PV_STAGE3B_PARMS_SIZE == 8 * 8, "stage3b parameter block");
_Static_assert(PV_META_SIZE == 8 + 8 + 4 + 8, "metadata block");

uint64_t pv_tweak_prefix(uint16_t id, const uint8_t rand6[6])
{
	uint8_t b[8];

	/* prefix8 = BE16(id) || rand6 (se-image-format.md §6.7) */
	pv_put_be16(b, id);
	memcpy(b + 2, rand6, 6);
	return pv_get_be64(b);
}

int pv_psw_to_short(uint64_t mask, uint64_t addr, uint64_t *out,
		    struct pv_err **err)
{
	/* se-image-format.md §2.1: the rules of the conversion */
	if (mask & 0x7FFFFFFFULL)
		return pv_err_set(err, PV_ERR_RANGE,
				  "PSW mask 0x%016llx has bits in positions 33-63 that a short PSW cannot hold",
				  (unsigned long long)mask);
	if (mask & SHORT_PSW_BIT12)
		return pv_err_set(err, PV_ERR_RANGE,
				  "PSW mask 0x%016llx has bit 12 set, which marks the short PSW format",
				  (unsigned long long)mask);
	if (addr > SHORT_PSW_ADDR)
		return pv_err_set(err, PV_ERR_RANGE,
				  "PSW address 0x%llx does not fit the 31 bits of a short PSW",
				  (unsigned long long)addr);
	*out = mask | SHORT_PSW_BIT12 | addr;
	return 0;
}

void pv_psw_from_short(uint64_t sw, uint64_t *mask, uint64_t *addr)
{
	/* guest-boot-probe.md §0: high word without bit 12, BA from bit 32 */
	*mask = (sw & SHORT_PSW_HIGH & ~SHORT_PSW_BIT12) | (sw & SHORT_PSW_BA);
	*addr = sw & SHORT_PSW_ADDR;
}

void pv_stage3a_parms_pack(const struct pv_stage3a_parms *p, uint8_t out[24])
{
	/* se-image-format.md §3.1 */
	pv_put_be64(out + 0x00, p->hdr_offs);
	pv_put_be64(out + 0x08, p->hdr_size);
	pv_put_be64(out + 0x10, p->ipib_offs);
}

void pv_stage3a_parms_unpack(const uint8_t in[24], struct pv_stage3a_parms *p)
{
	p->hdr_offs = pv_get_be64(in + 0x00);
	p->hdr_size = pv_get_be64(in + 0x08);
	p->ipib_offs = pv_get_be64(in + 0x10);
}

void pv_stage3b_parms_pack(const struct pv_stage3b_parms *p, uint8_t out[64])
{
	/* se-image-format.md §3.3 */
	pv_put_be64(out + 0x00, p->kernel_src);
	pv_put_be64(out + 0x08, p->kernel_size);
	pv_put_be64(out + 0x10, p->cmdline_src);
	pv_put_be64(out + 0x18, p->cmdline_size);
	pv_put_be64(out + 0x20, p->initrd_src);
	pv_put_be64(out + 0x28, p->initrd_size);
	pv_put_be64(out + 0x30, p->psw_mask);
	pv_put_be64(out + 0x38, p->psw_addr);
}

void pv_stage3b_parms_unpack(const uint8_t in[64], struct pv_stage3b_parms *p)
{
	p->kernel_src = pv_get_be64(in + 0x00);
	p->kernel_size = pv_get_be64(in + 0x08);
	p->cmdline_src = pv_get_be64(in + 0x10);
	p->cmdline_size = pv_get_be64(in + 0x18);
	p->initrd_src = pv_get_be64(in + 0x20);
	p->initrd_size = pv_get_be64(in + 0x28);
	p->psw_mask = pv_get_be64(in + 0x30);
	p->psw_addr = pv_get_be64(in + 0x38);
}

void pv_meta_pack(const struct pv_meta *m, uint8_t out[PV_META_SIZE])
{
	/* se-image-format.md §2.3: hdr_off comes before the version */
	pv_put_be64(out + 0x00, PV_META_MAGIC);
	pv_put_be64(out + 0x08, m->hdr_off);
	pv_put_be32(out + 0x10, m->version);
	pv_put_be64(out + 0x14, m->ipib_off);
}

int pv_meta_unpack(const uint8_t *in, size_t len, struct pv_meta *m,
		   struct pv_err **err)
{
	if (len < PV_META_SIZE)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "image metadata block: %zu bytes, need %u",
				  len, PV_META_SIZE);
	if (pv_get_be64(in) != PV_META_MAGIC)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "image metadata block: magic 0x%016llx is not \"SeImgLnx\"",
				  (unsigned long long)pv_get_be64(in));
	m->hdr_off = pv_get_be64(in + 0x08);
	m->version = pv_get_be32(in + 0x10);
	m->ipib_off = pv_get_be64(in + 0x14);
	return 0;
}
