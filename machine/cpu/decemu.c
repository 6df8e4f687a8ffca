// SPDX-License-Identifier: MIT
/*
 * The packed-decimal arithmetic instructions, which Unicorn 2.0.1 (like
 * QEMU's TCG) does not have: ZERO AND ADD, COMPARE, ADD, SUBTRACT,
 * MULTIPLY and DIVIDE DECIMAL (SS format, PoO chapter 8 "Decimal
 * Instructions").  Their operation exception comes to cpu/irq.c, which
 * calls here with the instruction bytes (an EXECUTE's target included).
 *
 * A packed operand of L bytes holds 2L-1 digits and a sign in the right
 * half of its last byte: digits 0-9, signs A-F (B and D minus); results
 * carry the preferred signs C and D.  At most 31 digits: an unsigned
 * __int128 holds every magnitude.  Exceptions, in the order of the
 * architecture: specification (MP, DP: L2 > 7 or L2 >= L1), access,
 * data (DXC 0; it suppresses here, which the architecture allows for the
 * invalid digit and multiplicand cases and asks for the invalid sign),
 * decimal divide (suppressed), decimal overflow (completed, an
 * interruption only while PSW bit 21 is one).
 */
#include <string.h>

#include "pvboot/be.h"

#include "../machine_priv.h"

#define PGM_DEC_OVERFLOW 0x0a
#define PGM_DEC_DIVIDE 0x0b
#define PSW_DEC_MASK 0x0000040000000000ULL	/* bit 21 */
#define PSW_CC_SHIFT 44

typedef unsigned __int128 u128;

struct packed {
	u128 mag;
	bool neg;
};

static u128 dec_pow10(unsigned int n)
{
	u128 p = 1;

	while (n--)
		p *= 10;
	return p;
}

/* @len bytes to a number; false on an invalid digit or sign. */
static bool unpack_dec(const uint8_t *b, unsigned int len, struct packed *p)
{
	uint8_t sign = b[len - 1] & 0xf;

	p->mag = 0;
	for (unsigned int i = 0; i < len; i++) {
		uint8_t hi = b[i] >> 4, lo = b[i] & 0xf;

		if (hi > 9 || (i + 1 < len && lo > 9))
			return false;
		p->mag = p->mag * 10 + hi;
		if (i + 1 < len)
			p->mag = p->mag * 10 + lo;
	}
	if (sign < 0xa)
		return false;
	p->neg = sign == 0xb || sign == 0xd;
	return true;
}

/* The rightmost 2 @len - 1 digits of @mag with a preferred sign. */
static void pack_dec(uint8_t *b, unsigned int len, u128 mag, bool neg)
{
	b[len - 1] = (uint8_t)((mag % 10) << 4 | (neg ? 0xd : 0xc));
	mag /= 10;
	for (unsigned int i = len - 1; i-- > 0;) {
		uint8_t lo = (uint8_t)(mag % 10);

		mag /= 10;
		b[i] = (uint8_t)((mag % 10) << 4 | lo);
		mag /= 10;
	}
}

static uint64_t operand(struct vcpu *v, const uint8_t *f, uint64_t mask)
{
	return vcpu_ea(v, mask, 0, f[0] >> 4, (f[0] & 0xf) << 8 | f[1]);
}

/* Signed sum of two operands as a magnitude and a sign. */
static void add_signed(const struct packed *x, const struct packed *y,
		       struct packed *r)
{
	if (x->neg == y->neg) {
		r->mag = x->mag + y->mag;
		r->neg = x->neg;
	} else if (x->mag >= y->mag) {
		r->mag = x->mag - y->mag;
		r->neg = x->neg;
	} else {
		r->mag = y->mag - x->mag;
		r->neg = y->neg;
	}
}

bool decemu_run(struct vcpu *v, const uint8_t op[6], uint64_t mask,
		uint64_t addr, unsigned int ilen)
{
	unsigned int l1 = (op[1] >> 4) + 1U, l2 = (op[1] & 0xf) + 1U;
	uint64_t a1, a2, tec, next = addr_wrap(mask, addr + ilen);
	uint8_t b1[16], b2[16], out[16];
	struct packed x = { 0 }, y, r;
	int cc = -1, rc;
	bool overflow = false;

	if (op[0] < 0xf8 || op[0] > 0xfd)
		return false;
	v->m->st.intercepts++;
	a1 = operand(v, op + 2, mask);
	a2 = operand(v, op + 4, mask);
	if ((op[0] == 0xfc || op[0] == 0xfd) && (l2 > 8 || l2 >= l1)) {
		irq_pgm(v, PGM_SPECIFICATION, ilen, mask, addr);
		return true;
	}
	rc = mem_read_logical(v, a2, b2, l2, &tec);
	if (!rc && op[0] != 0xf8)	/* ZAP does not read operand 1 */
		rc = mem_read_logical(v, a1, b1, l1, &tec);
	if (irq_access(v, rc, tec, mask, addr, ilen))
		return true;
	if (!unpack_dec(b2, l2, &y) ||
	    (op[0] != 0xf8 && !unpack_dec(b1, l1, &x)) ||
	    (op[0] == 0xfc && x.mag >= dec_pow10(2 * (l1 - l2) - 1))) {
		/* MP: the multiplicand needs L2 bytes of leading zeros */
		irq_data(v, 0, mask, addr, ilen);
		return true;
	}
	switch (op[0]) {
	case 0xf9:			/* CP: -0 equals +0 */
		x.neg = x.neg && x.mag;
		y.neg = y.neg && y.mag;
		if (x.neg != y.neg)
			cc = x.neg ? 1 : 2;
		else if (x.mag == y.mag)
			cc = 0;
		else
			cc = (x.mag < y.mag) != x.neg ? 1 : 2;
		vcpu_load_psw(v, (mask & ~PSW_CC) | (uint64_t)cc << PSW_CC_SHIFT,
			      next);
		return true;
	case 0xfc:			/* MP: the sign by algebra, even of 0 */
		pack_dec(out, l1, x.mag * y.mag, x.neg != y.neg);
		break;
	case 0xfd:			/* DP: quotient, then remainder */
		if (!y.mag || x.mag / y.mag >= dec_pow10(2 * (l1 - l2) - 1)) {
			irq_pgm(v, PGM_DEC_DIVIDE, ilen, mask, addr);
			return true;
		}
		pack_dec(out, l1 - l2, x.mag / y.mag, x.neg != y.neg);
		pack_dec(out + (l1 - l2), l2, x.mag % y.mag, x.neg);
		break;
	default:			/* ZAP, AP, SP */
		if (op[0] == 0xfb)
			y.neg = !y.neg;
		if (op[0] == 0xf8)
			r = y;
		else
			add_signed(&x, &y, &r);
		overflow = r.mag >= dec_pow10(2 * l1 - 1);
		/* a zero result is plus, unless digits were lost */
		if (!r.mag)
			r.neg = false;
		pack_dec(out, l1, r.mag, r.neg);
		cc = overflow ? 3 : !r.mag ? 0 : r.neg ? 1 : 2;
		break;
	}
	rc = mem_write_logical(v, a1, out, l1, &tec);
	if (irq_access(v, rc, tec, mask, addr, ilen))
		return true;
	if (cc >= 0)
		mask = (mask & ~PSW_CC) | (uint64_t)cc << PSW_CC_SHIFT;
	if (overflow && (mask & PSW_DEC_MASK))
		irq_pgm(v, PGM_DEC_OVERFLOW, ilen, mask, addr);
	else
		vcpu_load_psw(v, mask, next);
	return true;
}
