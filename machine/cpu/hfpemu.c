// SPDX-License-Identifier: MIT
/*
 * Hexadecimal-floating-point arithmetic, which Unicorn 2.0.1 (like QEMU's
 * TCG) does not have (PoO chapter 18, "Hexadecimal-Floating-Point
 * Instructions"): ADD and SUBTRACT NORMALIZED, MULTIPLY, DIVIDE and SQUARE
 * ROOT in the long format (ADR, SDR, MDR, DDR and AD, SD, MD, DD; SQDR)
 * and ADD, SUBTRACT, DIVIDE, SQUARE ROOT in the short one (AER, SER, DER;
 * SQER).  Their operation exception comes to cpu/irq.c, which calls here.
 *
 * A number is a sign, a characteristic (exponent + 64, power of 16) and a
 * fraction of D hex digits (6 short, 14 long).  Results are truncated
 * (ADD and SUBTRACT keep one guard digit of the shifted operand, then
 * normalize), but for SQUARE ROOT, which is rounded at one digit more.  Exceptions (chapter 6): exponent overflow (0x0c, completed
 * with the characteristic 128 too small), exponent underflow (0x0d, under
 * PSW bit 22: completed 128 too large; else a true zero), significance
 * (0x0e, ADD/SUBTRACT with a zero fraction, under PSW bit 23: the zero
 * fraction with the intermediate characteristic; else a true zero), HFP
 * divide (0x0f) and square root (0x1d) suppressed, and data (DXC 1) for a
 * register other than 0, 2, 4, 6 while AFP is off.
 */
#include "pvboot/be.h"

#include "../machine_priv.h"

#define PGM_HFP_EXP_OVERFLOW 0x0c
#define PGM_HFP_EXP_UNDERFLOW 0x0d
#define PGM_HFP_SIGNIFICANCE 0x0e
#define PGM_HFP_DIVIDE 0x0f
#define PGM_HFP_SQRT 0x1d
#define PSW_HFP_UF_MASK 0x0000020000000000ULL	/* bit 22 */
#define PSW_HFP_SIG_MASK 0x0000010000000000ULL	/* bit 23 */

typedef unsigned __int128 u128;

enum hop { H_ADD, H_SUB, H_MUL, H_DIV, H_SQRT };

struct hfp {
	bool neg;
	int chr;		/* characteristic, may leave 0..127 */
	uint64_t frac;		/* D hex digits */
};

struct hinsn {
	enum hop op;
	unsigned int digits;	/* 6 or 14 */
	bool sets_cc;
	bool rx;		/* second operand in storage */
};

/* The short format is the left half of a register or a word in storage. */
static struct hfp hfp_get(uint64_t raw, unsigned int d)
{
	struct hfp h;

	if (d == 6)
		raw >>= 32;
	h.neg = (raw >> (4 * d + 7)) & 1;
	h.chr = (int)((raw >> (4 * d)) & 0x7f);
	h.frac = raw & ((1ULL << (4 * d)) - 1);
	return h;
}

static uint64_t hfp_put(const struct hfp *h, unsigned int d, uint64_t old)
{
	uint64_t raw = (uint64_t)h->neg << (4 * d + 7) |
		       (uint64_t)(h->chr & 0x7f) << (4 * d) | h->frac;

	return d == 6 ? (raw << 32) | (old & 0xffffffffULL) : raw;
}

static void prenormalize(struct hfp *h, unsigned int d)
{
	while (h->frac && !(h->frac >> (4 * d - 4))) {
		h->frac <<= 4;
		h->chr--;
	}
}

static uint64_t isqrt(u128 x)
{
	u128 r = 0, bit = (u128)1 << 126;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (uint64_t)r;
}

/*
 * The operation on @a (and @b).  Returns the program-interruption code
 * that goes with the result (0 none); -1: a true zero; *@suppress for the
 * exceptions that leave the first operand as it was.
 */
static int compute(enum hop op, struct hfp *a, struct hfp b, unsigned int d,
		   uint64_t mask, bool *suppress)
{
	const u128 top = (u128)1 << (4 * d);	/* 16^D */
	int code = 0;
	u128 f;

	*suppress = false;
	switch (op) {
	case H_SUB:
		b.neg = !b.neg;
		/* fall through */
	case H_ADD: {
		u128 x = (u128)a->frac << 4, y = (u128)b.frac << 4;
		int shift;

		if (a->chr < b.chr) {
			struct hfp t = *a;

			*a = b;
			b = t;
			f = x;
			x = y;
			y = f;
		}
		shift = a->chr - b.chr;
		y = shift > (int)d + 1 ? 0 : y >> (4 * shift);
		if (a->neg == b.neg) {
			f = x + y;
		} else if (x >= y) {
			f = x - y;
		} else {
			f = y - x;
			a->neg = b.neg;
		}
		if (f >= top << 4) {		/* carry */
			f >>= 4;
			a->chr++;
		}
		if (!f) {
			if (!(mask & PSW_HFP_SIG_MASK))
				return -1;
			a->neg = false;
			a->frac = 0;
			return PGM_HFP_SIGNIFICANCE;
		}
		while (f < top)
			f <<= 4, a->chr--;
		a->frac = (uint64_t)(f >> 4);
		break;
	}
	case H_MUL:
		if (!a->frac || !b.frac)
			return -1;
		prenormalize(a, d);
		prenormalize(&b, d);
		f = (u128)a->frac * b.frac;
		a->chr = a->chr + b.chr - 64;
		if (f < top * top / 16)
			f <<= 4, a->chr--;
		a->frac = (uint64_t)(f >> (4 * d));
		a->neg = a->neg != b.neg;
		break;
	case H_DIV:
		if (!b.frac) {
			*suppress = true;
			return PGM_HFP_DIVIDE;
		}
		if (!a->frac)
			return -1;
		prenormalize(a, d);
		prenormalize(&b, d);
		a->chr = a->chr - b.chr + 64;
		if (a->frac >= b.frac) {
			f = ((u128)a->frac << (4 * d - 4)) / b.frac;
			a->chr++;
		} else {
			f = ((u128)a->frac << (4 * d)) / b.frac;
		}
		a->frac = (uint64_t)f;
		a->neg = a->neg != b.neg;
		break;
	case H_SQRT: {
		int e;

		if (!b.frac)
			return -1;
		if (b.neg) {
			*suppress = true;
			return PGM_HFP_SQRT;
		}
		prenormalize(&b, d);
		e = b.chr - 64;
		/* one digit more than the result has, then rounded */
		if (e % 2 == 0) {
			f = isqrt((u128)b.frac << (4 * d + 8));
		} else {
			f = isqrt((u128)b.frac << (4 * d + 4));
			e++;
		}
		a->chr = e / 2 + 64;
		f = (f + 8) >> 4;
		if (f == top) {		/* rounded up to 1.0 */
			f >>= 4;
			a->chr++;
		}
		a->frac = (uint64_t)f;
		a->neg = false;
		return 0;
	}
	}
	if (a->chr > 127) {
		a->chr -= 128;
		code = PGM_HFP_EXP_OVERFLOW;
	} else if (a->chr < 0) {
		if (!(mask & PSW_HFP_UF_MASK))
			return -1;
		a->chr += 128;
		code = PGM_HFP_EXP_UNDERFLOW;
	}
	return code;
}

static bool decode(const uint8_t *op, struct hinsn *in)
{
	static const struct {
		uint8_t b0, b1;		/* b1: second opcode byte, 0 none */
		struct hinsn in;
	} tab[] = {
		{ 0x2a, 0, { H_ADD, 14, true, false } },	/* ADR */
		{ 0x2b, 0, { H_SUB, 14, true, false } },	/* SDR */
		{ 0x2c, 0, { H_MUL, 14, false, false } },	/* MDR */
		{ 0x2d, 0, { H_DIV, 14, false, false } },	/* DDR */
		{ 0x3a, 0, { H_ADD, 6, true, false } },		/* AER */
		{ 0x3b, 0, { H_SUB, 6, true, false } },		/* SER */
		{ 0x3d, 0, { H_DIV, 6, false, false } },	/* DER */
		{ 0x6a, 0, { H_ADD, 14, true, true } },		/* AD */
		{ 0x6b, 0, { H_SUB, 14, true, true } },		/* SD */
		{ 0x6c, 0, { H_MUL, 14, false, true } },	/* MD */
		{ 0x6d, 0, { H_DIV, 14, false, true } },	/* DD */
		{ 0xb2, 0x44, { H_SQRT, 14, false, false } },	/* SQDR */
		{ 0xb2, 0x45, { H_SQRT, 6, false, false } },	/* SQER */
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].b0 == op[0] && (!tab[i].b1 || tab[i].b1 == op[1])) {
			*in = tab[i].in;
			return true;
		}
	return false;
}

bool hfpemu_run(struct vcpu *v, const uint8_t op[6], uint64_t mask,
		uint64_t addr, unsigned int ilen)
{
	unsigned int r1, r2 = 0;
	uint64_t raw2, old1, tec;
	struct hinsn in;
	struct hfp a, b;
	bool suppress;
	int code;

	if (!decode(op, &in))
		return false;
	v->m->st.intercepts++;
	if (op[0] == 0xb2) {			/* RRE */
		r1 = op[3] >> 4;
		r2 = op[3] & 0xf;
	} else {
		r1 = op[1] >> 4;
		if (!in.rx)
			r2 = op[1] & 0xf;
	}
	if (!(vcpu_cr(v, 0) & CR0_AFP) && ((r1 | r2) & 9)) {
		irq_data(v, 1, mask, addr, ilen);	/* AFP register */
		return true;
	}
	if (in.rx) {
		uint64_t ea = vcpu_ea(v, mask, op[1] & 0xf, op[2] >> 4,
				      (op[2] & 0xf) << 8 | op[3]);
		uint8_t buf[8];
		int rc;

		if (ea & 7) {
			irq_pgm(v, PGM_SPECIFICATION, ilen, mask, addr);
			return true;
		}
		rc = mem_read_logical(v, ea, buf, 8, &tec);
		if (irq_access(v, rc, tec, mask, addr, ilen))
			return true;
		raw2 = pv_get_be64(buf);
	} else {
		raw2 = vcpu_fpr(v, (int)r2);
	}
	old1 = vcpu_fpr(v, (int)r1);
	a = hfp_get(old1, in.digits);
	b = hfp_get(raw2, in.digits);
	code = compute(in.op, &a, b, in.digits, mask, &suppress);
	if (suppress) {
		irq_pgm(v, (uint16_t)code, ilen, mask, addr);
		return true;
	}
	if (code < 0) {				/* a true zero */
		a.neg = false;
		a.chr = 0;
		a.frac = 0;
		code = 0;
	}
	vcpu_set_fpr(v, (int)r1, hfp_put(&a, in.digits, old1));
	if (in.sets_cc)
		mask = (mask & ~PSW_CC) |
		       (uint64_t)(!a.frac ? 0 : a.neg ? 1 : 2) << 44;
	if (code)
		irq_pgm(v, (uint16_t)code, ilen, mask, addr);
	else
		vcpu_load_psw(v, mask, addr_wrap(mask, addr + ilen));
	return true;
}
