// SPDX-License-Identifier: MIT
/*
 * The machine's facility list for STFL and STFLE.  Unicorn's own STFLE
 * stores nothing (guest-cpu-feasibility.md §2), so the host answers with
 * the z/Architecture facilities Unicorn's TCG core implements, plus 161
 * (unpack, for DIAG 308 subcodes 8-10) and, in protected mode, 158 (the
 * UV call facility a secure guest uses).
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
	7,	/* STFLE */
	17,	/* message security assist */
	18,	/* long displacement */
	19,	/* long displacement, high performance */
	21,	/* extended immediate */
	22,	/* extended translation 3 */
	24,	/* ETF2 enhancement */
	25,	/* store clock fast */
	26,	/* parsing enhancement */
	27,	/* move with optional specifications */
	30,	/* ETF3 enhancement */
	31,	/* extract CPU time */
	32,	/* compare and swap and store */
	33,	/* compare and swap and store 2 */
	34,	/* general instructions extension */
	35,	/* execute extensions */
	41,	/* floating-point support enhancements */
	45,	/* distinct operands, high word, load/store on condition */
	49,	/* miscellaneous instruction extensions */
	52,	/* interlocked access 2 */
	53,	/* load/store on condition 2 */
};

/*
 * Fill @out (@len bytes, zeroed first) with the list; returns the number
 * of doublewords the full list needs.
 */
size_t fac_list(struct pv_machine *m, uint8_t *out, size_t len)
{
	unsigned int top = 63;

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

/* STFLE: r0 bits 56-63 = doublewords - 1 in and out; cc 3 if too short. */
enum insn_action fac_stfle(struct pv_machine *m, const struct insn *in)
{
	uint64_t a = insn_addr_s(m, in), r0 = vcpu_gr(m, 0);
	size_t want = (r0 & 0xff) + 1, have, n;
	uint8_t list[32];
	int rc;

	if (a & 7)
		return irq_pgm(m, PV_PGM_SPECIFICATION, in->len, m->cpu.mask,
			       in->addr);
	have = fac_list(m, list, sizeof(list));
	n = want < have ? want : have;
	rc = mem_write_logical(m, m->cpu.mask, a, list, n * 8);
	if (rc)
		return irq_pgm(m, (uint16_t)rc, in->len, m->cpu.mask,
			       in->addr);
	vcpu_set_gr(m, 0, (r0 & ~0xffULL) | (have - 1));
	m->cpu.cc = want >= have ? 0 : 3;
	return ACT_NEXT;
}

/* STFL: the first 32 facility bits to lowcore 0xc8. */
enum insn_action fac_stfl(struct pv_machine *m, const struct insn *in)
{
	uint8_t list[32];

	fac_list(m, list, sizeof(list));
	mem_write_real(m, LC_STFL, list, 4);
	return ACT_NEXT;
}
