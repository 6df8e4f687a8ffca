// SPDX-License-Identifier: MIT
/*
 * COMPARE AND SWAP AND STORE (0xC8x2, SSF), run by the machine instead of
 * Unicorn 2.0.1's helper: that one asserts (and takes the process down)
 * on every store characteristic 0, a one-byte store, because it checks
 * the alignment of the second operand with extract32(a2, 0, sc), whose
 * length must not be 0; and for function code 0 it returns the old value
 * in the left half of GR r3 instead of the right one (found by
 * tests/guestfuzz).  PoO chapter 7: GR0 bits 56-63 are the function code
 * (0: 4 bytes, 1: 8, 2: 16 with the compare-and-swap-and-store facility
 * 2, which facility.c lists), bits 48-55 the store characteristic (2^sc
 * bytes, up to 16); the parameter list at GR1 (rightmost four bits
 * ignored) holds the replacement value at offset 0 and the store value at
 * offset 16, both left-aligned.  Equal: the replacement goes to the first
 * operand, the store value to the second, cc 0.  Unequal: the first
 * operand goes to GR r3 (fc 0: its bits 32-63; fc 2: the pair), cc 1.
 */
#include <string.h>

#include "pvboot/be.h"

#include "../machine_priv.h"

static uint64_t gr(struct vcpu *v, unsigned int r)
{
	return vcpu_gr(v, (int)r);
}

static void set_gr(struct vcpu *v, unsigned int r, uint64_t x)
{
	vcpu_set_gr(v, (int)r, x);
}

uint32_t csst_run(struct vcpu *v, uint32_t r3, uint64_t a1, uint64_t a2,
		  uintptr_t ra)
{
	uint64_t r0 = gr(v, 0), mask = vcpu_pswm(v);
	unsigned int fc = r0 & 0xff, sc = (r0 >> 8) & 0xff, n1;
	uint64_t pl = addr_wrap(mask, gr(v, 1) & ~15ULL);
	uint8_t plist[32], old[16], cmp[16];

	if (fc > 2 || sc > 4 || (fc == 2 && (r3 & 1)))
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	n1 = 4U << fc;
	if ((a1 & (n1 - 1)) || (a2 & ((1ULL << sc) - 1)))
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	/* every fetch before any store */
	mem_read_op(v, pl, plist, sizeof(plist), ra);
	mem_read_op(v, a1, old, n1, ra);
	switch (fc) {
	case 0:
		pv_put_be32(cmp, (uint32_t)gr(v, r3));
		break;
	case 1:
		pv_put_be64(cmp, gr(v, r3));
		break;
	default:
		pv_put_be64(cmp, gr(v, r3));
		pv_put_be64(cmp + 8, gr(v, r3 + 1));
		break;
	}
	if (memcmp(old, cmp, n1)) {
		switch (fc) {
		case 0:
			set_gr(v, r3, (gr(v, r3) & 0xffffffff00000000ULL) |
				      pv_get_be32(old));
			break;
		case 1:
			set_gr(v, r3, pv_get_be64(old));
			break;
		default:
			set_gr(v, r3, pv_get_be64(old));
			set_gr(v, r3 + 1, pv_get_be64(old + 8));
			break;
		}
		return 1;
	}
	/* both stores are checked before either is made */
	mem_probe_write_op(v, a2, 1U << sc, ra);
	mem_probe_write_op(v, a1, n1, ra);
	mem_write_op(v, a2, plist + 16, 1U << sc, ra);
	mem_write_op(v, a1, plist, n1, ra);
	return 0;
}
