// SPDX-License-Identifier: MIT
/*
 * ROTATE THEN AND / OR / EXCLUSIVE OR SELECTED BITS (RNSBG 0xEC54, ROSBG
 * 0xEC56, RXSBG 0xEC57, RIE-f; PoO chapter 7) in their test-only form
 * (I3 bit 0 one), which Unicorn 2.0.1's translator cannot translate: it
 * operates on a temporary it never initialised and aborts in the register
 * allocator ("tcg fatal error", found by tests/guestfuzz).  The other
 * forms translate; this one runs here: GR r2 rotated left by I5 (bits
 * 2-7), the selected bits I3..I4 (bits 2-7 each, wrapping around) of it
 * and of GR r1 combined, cc 0 when those are all zero and 1 otherwise;
 * GR r1 is left as it is.
 */
#include "../machine_priv.h"

bool rsbg_test_form(const uint8_t *b)
{
	return b[0] == 0xec && (b[5] == 0x54 || b[5] == 0x56 ||
				b[5] == 0x57) && (b[2] & 0x80);
}

bool rsbg_run(struct vcpu *v, const uint8_t *b, uint64_t mask, uint64_t addr,
	      unsigned int ilen)
{
	unsigned int start = b[2] & 63, end = b[3] & 63, rot = b[4] & 63;
	uint64_t r1 = vcpu_gr(v, b[1] >> 4), r2 = vcpu_gr(v, b[1] & 0xf);
	uint64_t sel, x;

	if (!rsbg_test_form(b))
		return false;
	v->m->st.intercepts++;
	/* bits start..end in IBM numbering (bit 0 the leftmost), wrapping */
	sel = (~0ULL >> start) & (~0ULL << (63 - end));
	if (start > end)
		sel = (~0ULL >> start) | (~0ULL << (63 - end));
	x = rot ? (r2 << rot) | (r2 >> (64 - rot)) : r2;
	switch (b[5]) {
	case 0x54:
		x &= r1;
		break;
	case 0x56:
		x |= r1;
		break;
	default:
		x ^= r1;
		break;
	}
	mask = (mask & ~PSW_CC) | (uint64_t)((x & sel) ? 1 : 0) << 44;
	vcpu_load_psw(v, mask, addr_wrap(mask, addr + ilen));
	return true;
}
