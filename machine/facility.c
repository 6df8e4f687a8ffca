// SPDX-License-Identifier: MIT
/*
 * The machine's facility list for STFL and STFLE: the facilities of the
 * CPU model Unicorn's translator implements (its default "qemu" model:
 * QEMU 5.0's qemu_V2_11 .. qemu_LATEST lists in gen-features.c), minus
 * the ones this machine has no device or firmware for (z/PCI 69, adapter
 * interruptions 71/72) and the vector facility (129, left out so that
 * guests use the scalar code paths), plus 161 (unpack, for DIAG 308
 * subcodes 8-10) and, in protected mode, 158 (the UV call facility a
 * secure guest uses).  A bit set here is an instruction the guest will
 * use, so nothing is listed that the translator does not execute.
 */
#include <string.h>

#include "pvboot/be.h"

#include "machine_priv.h"

#define FAC_UV_CALL 158
#define FAC_UNPACK 161

static const uint16_t base_facilities[] = {
	0,	/* N3 instructions */
	1,	/* z/Architecture installed */
	2,	/* z/Architecture active */
	3,	/* DAT enhancement */
	4,	/* IDTE selective clearing of segment-table entries */
	7,	/* STFLE */
	9,	/* sense-running-status */
	16,	/* extended translation 2 */
	17,	/* message security assist */
	18,	/* long displacement */
	19,	/* long displacement, high performance */
	21,	/* extended immediate */
	22,	/* extended translation 3 */
	24,	/* ETF2 enhancement */
	25,	/* store clock fast */
	27,	/* move with optional specifications */
	30,	/* ETF3 enhancement */
	31,	/* extract CPU time */
	32,	/* compare and swap and store */
	33,	/* compare and swap and store 2 */
	34,	/* general instructions extension */
	35,	/* execute extensions */
	37,	/* floating-point extension */
	40,	/* set program parameters */
	41,	/* floating-point support enhancements */
	45,	/* distinct operands, high word, load/store on condition */
	49,	/* miscellaneous instruction extensions */
	51,	/* local TLB clearing */
	52,	/* interlocked access 2 */
	53,	/* load/store on condition 2, load and zero rightmost byte */
	75,	/* access-exception fetch/store indication */
	76,	/* message security assist extension 3 */
	77,	/* message security assist extension 4 */
};

/*
 * Fill @out (@len bytes, zeroed first) with the list; returns the number
 * of doublewords the full list needs.
 */
size_t fac_list(struct pv_machine *m, uint8_t *out, size_t len)
{
	unsigned int top = 77;

	memset(out, 0, len);
	for (size_t i = 0; i < sizeof(base_facilities) / 2; i++) {
		unsigned int b = base_facilities[i];

		if (b / 8 < len)
			out[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	}
	if (m->protected_mode) {
		if (FAC_UV_CALL / 8 < len)
			out[FAC_UV_CALL / 8] |= 0x80 >> (FAC_UV_CALL % 8);
		top = FAC_UV_CALL;
	}
	if (!(m->flags & PV_MACHINE_F_NO_UNPACK)) {
		if (FAC_UNPACK / 8 < len)
			out[FAC_UNPACK / 8] |= 0x80 >> (FAC_UNPACK % 8);
		top = FAC_UNPACK;
	}
	return top / 64 + 1;
}

/*
 * STFLE: GR0 bits 56-63 = doublewords - 1 in and out; cc 3 if the area
 * is too short (only that much is stored).  The operand must be on a
 * doubleword boundary.
 */
uint32_t fac_stfle(struct vcpu *v, uint64_t addr, uintptr_t ra)
{
	uint64_t r0 = vcpu_gr(v, 0);
	size_t want = (r0 & 0xff) + 1, have, n;
	uint8_t list[32];

	if (addr & 7)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	have = fac_list(v->m, list, sizeof(list));
	n = want < have ? want : have;
	mem_write_op(v, addr, list, n * 8, ra);
	vcpu_set_gr(v, 0, (r0 & ~0xffULL) | (have - 1));
	return want >= have ? 0 : 3;
}

/* STFL: the first 32 facility bits to lowcore 0xc8. */
void fac_stfl(struct vcpu *v)
{
	uint8_t list[32], *lc = mem_lowcore(v);

	fac_list(v->m, list, sizeof(list));
	if (lc) {
		memcpy(lc + LC_STFL, list, 4);
		codemap_written(v->m, vcpu_prefix(v) + LC_STFL, 4);
	}
}
