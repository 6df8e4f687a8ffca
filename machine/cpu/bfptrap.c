// SPDX-License-Identifier: MIT
/*
 * BFP IEEE overflow, underflow and inexact exceptions whose trap is
 * enabled (FPC mask bits 2-4).  The architecture (PoO chapter 9, "IEEE
 * Exceptions"; chapter 19, "BFP Exceptions") has the instruction
 * complete: the result register gets the precise intermediate value
 * scaled by 2^-alpha (overflow) or 2^+alpha (underflow), alpha = 192,
 * 1536, 24576 for short, long, extended, rounded to the target format in
 * the rounding mode; or, for inexact alone, the rounded result.  Then a
 * data exception with DXC 0x20/0x28/0x2c (overflow exact, inexact and
 * truncated, inexact and incremented), 0x10/0x18/0x1c (underflow), or
 * 0x08/0x0c (inexact), the flag of the trapping exception left alone,
 * the condition code set where the instruction sets one.  With the
 * underflow mask on, a tiny result traps even when exact; tininess is
 * detected before rounding (the precise value, nonzero, below the
 * smallest normal number), as QEMU's target/s390x sets its softfloat
 * and Hercules does after SA22-7832-10 p. 9-22.
 *
 * Unicorn 2.0.1's helpers (QEMU 5.0) raise the trap before the result
 * is written, count every overflow as inexact, never trap on an exact
 * tiny result and never say "incremented".  So, while any of the three
 * masks is on, the translator is shown an unassigned opcode in place of
 * every BFP instruction that can raise them (cpu/interpose.c), and the
 * machine runs those instructions here with Unicorn's own softfloat
 * (the untrapped bits are the ones TCG gives).  The FPC writers (SFPC,
 * LFPC, SFASR, LFAS, resets) kick the CPU when the masks turn on or off;
 * its translations are dropped at the loop entry, as fxo.c does for PSW
 * bit 20.  Linux keeps the masks off: nothing is hidden then.
 *
 * The scaled result of short and long operations: the operation in
 * float128 rounded to odd (products are exact; 113 bits rounded to odd
 * round correctly again to 24 or 53 bits in every mode), scaled exactly,
 * then rounded to the target.  Extended operands are scaled before the
 * operation so that one rounding gives the scaled result.  LOAD ROUNDED
 * delivers its scaled result in the source format, scaled by 2^-+512
 * (long source) or 2^-+8192 (extended source) and rounded to the
 * target's precision (PoO figure "Scale factors", as Hercules has it).
 *
 * Not here: DIVIDE TO INTEGER (DIEBR, DIDBR) is not in Unicorn 2.0.1's
 * translator at all, an operation exception with the masks on or off;
 * CONVERT TO FIXED keeps TCG's inexact trap (suppressing).
 */
#include "pvboot/be.h"

#include "../machine_priv.h"

#define FPC_MASKS_OUX \
	(FPC_MASK_OVERFLOW | FPC_MASK_UNDERFLOW | FPC_MASK_INEXACT)
#define F128_SIGN 0x8000000000000000ULL
#define F128_EXP(hi) ((int)(((hi) >> 48) & 0x7fff))

enum fmt { SHORT, LONG, EXT };
enum kind { K_ADD, K_SUB, K_MUL, K_DIV, K_SQRT, K_MADD, K_MSUB, K_LR,
	    K_CF, K_CLF, K_FI };
enum form { RRE, RRF_E, RRD, RXE, RXF };

struct bt_op {
	uint8_t b0, op;		/* 0xb3 byte 1, or 0xed byte 5 */
	enum kind kind;
	enum fmt fmt;		/* of the result */
	enum fmt src;		/* LOAD ROUNDED: of the source */
	enum form form;
	uint8_t int_bits;	/* CONVERT FROM: 32 or 64 */
};

static const struct bt_op ops[] = {
	{ 0xb3, 0x0a, K_ADD, SHORT, SHORT, RRE, 0 },	/* AEBR */
	{ 0xb3, 0x1a, K_ADD, LONG, LONG, RRE, 0 },	/* ADBR */
	{ 0xb3, 0x4a, K_ADD, EXT, EXT, RRE, 0 },	/* AXBR */
	{ 0xb3, 0x0b, K_SUB, SHORT, SHORT, RRE, 0 },	/* SEBR */
	{ 0xb3, 0x1b, K_SUB, LONG, LONG, RRE, 0 },	/* SDBR */
	{ 0xb3, 0x4b, K_SUB, EXT, EXT, RRE, 0 },	/* SXBR */
	{ 0xb3, 0x17, K_MUL, SHORT, SHORT, RRE, 0 },	/* MEEBR */
	{ 0xb3, 0x1c, K_MUL, LONG, LONG, RRE, 0 },	/* MDBR */
	{ 0xb3, 0x4c, K_MUL, EXT, EXT, RRE, 0 },	/* MXBR */
	{ 0xb3, 0x0d, K_DIV, SHORT, SHORT, RRE, 0 },	/* DEBR */
	{ 0xb3, 0x1d, K_DIV, LONG, LONG, RRE, 0 },	/* DDBR */
	{ 0xb3, 0x4d, K_DIV, EXT, EXT, RRE, 0 },	/* DXBR */
	{ 0xb3, 0x14, K_SQRT, SHORT, SHORT, RRE, 0 },	/* SQEBR */
	{ 0xb3, 0x15, K_SQRT, LONG, LONG, RRE, 0 },	/* SQDBR */
	{ 0xb3, 0x0e, K_MADD, SHORT, SHORT, RRD, 0 },	/* MAEBR */
	{ 0xb3, 0x1e, K_MADD, LONG, LONG, RRD, 0 },	/* MADBR */
	{ 0xb3, 0x0f, K_MSUB, SHORT, SHORT, RRD, 0 },	/* MSEBR */
	{ 0xb3, 0x1f, K_MSUB, LONG, LONG, RRD, 0 },	/* MSDBR */
	{ 0xb3, 0x44, K_LR, SHORT, LONG, RRF_E, 0 },	/* LEDBR(A) */
	{ 0xb3, 0x45, K_LR, LONG, EXT, RRF_E, 0 },	/* LDXBR(A) */
	{ 0xb3, 0x46, K_LR, SHORT, EXT, RRF_E, 0 },	/* LEXBR(A) */
	{ 0xb3, 0x94, K_CF, SHORT, SHORT, RRF_E, 32 },	/* CEFBR(A) */
	{ 0xb3, 0xa4, K_CF, SHORT, SHORT, RRF_E, 64 },	/* CEGBR(A) */
	{ 0xb3, 0xa5, K_CF, LONG, LONG, RRF_E, 64 },	/* CDGBR(A) */
	{ 0xb3, 0x90, K_CLF, SHORT, SHORT, RRF_E, 32 },	/* CELFBR */
	{ 0xb3, 0xa0, K_CLF, SHORT, SHORT, RRF_E, 64 },	/* CELGBR */
	{ 0xb3, 0xa1, K_CLF, LONG, LONG, RRF_E, 64 },	/* CDLGBR */
	{ 0xb3, 0x57, K_FI, SHORT, SHORT, RRF_E, 0 },	/* FIEBR(A) */
	{ 0xb3, 0x5f, K_FI, LONG, LONG, RRF_E, 0 },	/* FIDBR(A) */
	{ 0xb3, 0x47, K_FI, EXT, EXT, RRF_E, 0 },	/* FIXBR(A) */
	{ 0xed, 0x0a, K_ADD, SHORT, SHORT, RXE, 0 },	/* AEB */
	{ 0xed, 0x1a, K_ADD, LONG, LONG, RXE, 0 },	/* ADB */
	{ 0xed, 0x0b, K_SUB, SHORT, SHORT, RXE, 0 },	/* SEB */
	{ 0xed, 0x1b, K_SUB, LONG, LONG, RXE, 0 },	/* SDB */
	{ 0xed, 0x17, K_MUL, SHORT, SHORT, RXE, 0 },	/* MEEB */
	{ 0xed, 0x1c, K_MUL, LONG, LONG, RXE, 0 },	/* MDB */
	{ 0xed, 0x0d, K_DIV, SHORT, SHORT, RXE, 0 },	/* DEB */
	{ 0xed, 0x1d, K_DIV, LONG, LONG, RXE, 0 },	/* DDB */
	{ 0xed, 0x14, K_SQRT, SHORT, SHORT, RXE, 0 },	/* SQEB */
	{ 0xed, 0x15, K_SQRT, LONG, LONG, RXE, 0 },	/* SQDB */
	{ 0xed, 0x0e, K_MADD, SHORT, SHORT, RXF, 0 },	/* MAEB */
	{ 0xed, 0x1e, K_MADD, LONG, LONG, RXF, 0 },	/* MADB */
	{ 0xed, 0x0f, K_MSUB, SHORT, SHORT, RXF, 0 },	/* MSEB */
	{ 0xed, 0x1f, K_MSUB, LONG, LONG, RXF, 0 },	/* MSDB */
};

/* scale factor exponents: arithmetic; LOAD ROUNDED by source format */
static const int alpha[3] = { 192, 1536, 24576 };
static const int alpha_lr[3] = { 0, 512, 8192 };
/* the smallest normal number of each format, as float128's high word */
static const uint64_t nmin_hi[3] = {
	(uint64_t)(16383 - 126) << 48, (uint64_t)(16383 - 1022) << 48,
	1ULL << 48,
};

/* M3 of the RRF-e forms (floating-point-extension facility) */
static const signed char m3_mode[8] = {
	-1, RND_TIES_AWAY, -1, RND_TO_ODD, RND_NEAREST_EVEN, RND_TO_ZERO,
	RND_UP, RND_DOWN,
};

/* A BFP value of any format: short in the low 32 bits of hi. */
struct bv {
	uint64_t hi, lo;
};

struct operands {
	const struct bt_op *o;
	struct bv a, b, c;	/* a op b; MADD/MSUB: a * b +- c */
	uint64_t i;		/* CONVERT FROM: the integer */
};

static const struct bt_op *classify(const uint8_t *b)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].b0 == b[0] &&
		    ops[i].op == (b[0] == 0xed ? b[5] : b[1]))
			return &ops[i];
	return NULL;
}

bool bfptrap_translated_out(const uint8_t *b)
{
	return (b[0] == 0xb3 || b[0] == 0xed) && classify(b);
}

/* Before an FPC load of @fpc: true if the hidden set changes. */
bool bfptrap_fpc_loading(struct vcpu *v, uint32_t fpc)
{
	if (((fpc & FPC_MASKS_OUX) != 0) == v->bfpt)
		return false;
	vcpu_kick(v, KICK_BFP);
	return true;
}

/* At the entry of the CPU loop (cpu/interpose.c, cpu_exec_s390x). */
void bfptrap_sync(struct vcpu *v)
{
	bool on = (env_get32(v->env, ENV_FPC) & FPC_MASKS_OUX) != 0;

	if (on == v->bfpt)
		return;
	v->bfpt = on;
	codemap_invalidate_cpu(v);
}

/* ---- values ------------------------------------------------------------- */

static struct uc_f128 f128_of(struct bv x)
{
	return (struct uc_f128){ .low = x.lo, .high = x.hi };
}

static struct bv bv_of(struct uc_f128 x)
{
	return (struct bv){ .hi = x.high, .lo = x.low };
}

static struct uc_f128 widen(enum fmt f, struct bv x, struct uc_fstatus *st)
{
	if (f == SHORT)
		return uc_core.f32_to_f128((uint32_t)x.hi, st);
	if (f == LONG)
		return uc_core.f64_to_f128(x.hi, st);
	return f128_of(x);
}

static struct bv narrow(enum fmt f, struct uc_f128 x, struct uc_fstatus *st)
{
	if (f == SHORT)
		return (struct bv){ uc_core.f128_to_f32(x, st), 0 };
	if (f == LONG)
		return (struct bv){ uc_core.f128_to_f64(x, st), 0 };
	return bv_of(x);
}

static struct uc_f128 scale2(struct uc_f128 x, int n)
{
	struct uc_fstatus st = { .detect_tininess = SF_TININESS_BEFORE_ROUNDING };

	return uc_core.f128_scalbn(x, n, &st);
}

/* The magnitude of @x without its sign, as one comparable number. */
static unsigned __int128 mag(enum fmt f, struct bv x)
{
	if (f == SHORT)
		return x.hi & 0x7fffffffU;
	if (f == LONG)
		return x.hi & ~F128_SIGN;
	return (unsigned __int128)(x.hi & ~F128_SIGN) << 64 | x.lo;
}

static bool is_nan_or_inf(enum fmt f, struct bv x)
{
	if (f == SHORT)
		return (x.hi & 0x7f800000U) == 0x7f800000U;
	if (f == LONG)
		return (x.hi & 0x7ff0000000000000ULL) == 0x7ff0000000000000ULL;
	return F128_EXP(x.hi) == 0x7fff;
}

/* The smallest normal number's magnitude, as mag() gives it. */
static unsigned __int128 nmin_mag(enum fmt f)
{
	return f == SHORT ? 0x00800000U : f == LONG ? 1ULL << 52 :
						    (unsigned __int128)1 << 112;
}

/* Can the result be tiny?  (A square root, an integer, a converted
 * integer cannot.) */
static bool can_underflow(enum kind k)
{
	return k != K_SQRT && k != K_FI && k != K_CF && k != K_CLF;
}

/* ---- the operations ----------------------------------------------------- */

/* The instruction's result in its target format, rounded as @st says. */
static struct bv native(const struct operands *p, struct uc_fstatus *st)
{
	const struct bt_op *o = p->o;
	uint32_t a32 = (uint32_t)p->a.hi, b32 = (uint32_t)p->b.hi;
	struct uc_f128 A = f128_of(p->a), B = f128_of(p->b);

	switch (o->kind) {
	case K_ADD:
	case K_SUB:
	case K_MUL:
	case K_DIV: {
		uc_sf32_op s[] = { uc_core.f32_add, uc_core.f32_sub,
				   uc_core.f32_mul, uc_core.f32_div };
		uc_sf64_op l[] = { uc_core.f64_add, uc_core.f64_sub,
				   uc_core.f64_mul, uc_core.f64_div };
		uc_sf128_op x[] = { uc_core.f128_add, uc_core.f128_sub,
				    uc_core.f128_mul, uc_core.f128_div };

		if (o->fmt == SHORT)
			return (struct bv){ s[o->kind](a32, b32, st), 0 };
		if (o->fmt == LONG)
			return (struct bv){ l[o->kind](p->a.hi, p->b.hi, st), 0 };
		return bv_of(x[o->kind](A, B, st));
	}
	case K_SQRT:
		if (o->fmt == SHORT)
			return (struct bv){ uc_core.f32_sqrt(b32, st), 0 };
		return (struct bv){ uc_core.f64_sqrt(p->b.hi, st), 0 };
	case K_MADD:
	case K_MSUB: {
		int neg = o->kind == K_MSUB ? SF_MULADD_NEGATE_C : 0;

		/* op2 * op3 +- op1, in the order TCG's helper passes them */
		if (o->fmt == SHORT)
			return (struct bv){ uc_core.f32_muladd(b32, a32,
						(uint32_t)p->c.hi, neg, st), 0 };
		return (struct bv){ uc_core.f64_muladd(p->b.hi, p->a.hi,
						       p->c.hi, neg, st), 0 };
	}
	case K_LR:
		if (o->src == LONG)
			return (struct bv){ uc_core.f64_to_f32(p->b.hi, st), 0 };
		return narrow(o->fmt, B, st);
	case K_CF:
		if (o->fmt == SHORT)
			return (struct bv){ uc_core.i64_to_f32((int64_t)p->i, st), 0 };
		return (struct bv){ uc_core.i64_to_f64((int64_t)p->i, st), 0 };
	case K_CLF:
		if (o->fmt == SHORT)
			return (struct bv){ uc_core.u64_to_f32(p->i, st), 0 };
		return (struct bv){ uc_core.u64_to_f64(p->i, st), 0 };
	case K_FI:
		if (o->fmt == SHORT)
			return (struct bv){ uc_core.f32_rint(b32, st), 0 };
		if (o->fmt == LONG)
			return (struct bv){ uc_core.f64_rint(p->b.hi, st), 0 };
		return bv_of(uc_core.f128_rint(B, st));
	}
	return p->a;
}

/*
 * The precise result of a short or long add, subtract, multiply, divide
 * or multiply-and-add/subtract in float128, rounded to odd: nonzero if
 * the precise value is, never across a power of two, and rounded once
 * more to 24 or 53 bits it gives the correctly rounded result.
 */
static struct uc_f128 precise(const struct operands *p)
{
	struct uc_fstatus st = { .detect_tininess = SF_TININESS_BEFORE_ROUNDING,
				 .rounding_mode = RND_TO_ODD };
	enum fmt f = p->o->fmt;
	struct uc_f128 A = widen(f, p->a, &st), B = widen(f, p->b, &st);

	switch (p->o->kind) {
	case K_ADD:
		return uc_core.f128_add(A, B, &st);
	case K_SUB:
		return uc_core.f128_sub(A, B, &st);
	case K_MUL:
		return uc_core.f128_mul(A, B, &st);
	case K_DIV:
		return uc_core.f128_div(A, B, &st);
	default: {		/* MADD, MSUB: the product is exact */
		struct uc_f128 prod = uc_core.f128_mul(A, B, &st);
		struct uc_f128 C = widen(f, p->c, &st);

		if (p->o->kind == K_MSUB)
			return uc_core.f128_sub(prod, C, &st);
		return uc_core.f128_add(prod, C, &st);
	}
	}
}

/*
 * Extended add or subtract with both operands scaled by 2^@n: a smaller
 * operand that would lose bits is so far below the larger that only its
 * sign and its being nonzero matter; it becomes a tiny number of that
 * sign far below the larger one's last bit.
 */
static void scale_addends(struct uc_f128 *A, struct uc_f128 *B, int n)
{
	struct uc_f128 *x[2] = { A, B };
	struct uc_f128 s[2];
	bool lost[2];

	for (int i = 0; i < 2; i++) {
		struct uc_fstatus st = {
			.detect_tininess = SF_TININESS_BEFORE_ROUNDING };

		s[i] = uc_core.f128_scalbn(*x[i], n, &st);
		lost[i] = (st.exception_flags & SF_INEXACT) != 0;
	}
	for (int i = 0; i < 2; i++) {
		int e = F128_EXP(s[1 - i].high) - 240;

		if (lost[i])
			s[i] = (struct uc_f128){
				.high = (x[i]->high & F128_SIGN) |
					(uint64_t)(e < 1 ? 1 : e) << 48 };
	}
	*A = s[0];
	*B = s[1];
}

/*
 * The precise result times 2^@n, rounded to the target format as @st
 * says (the trap result of an overflow, n < 0, or an underflow, n > 0).
 */
static struct bv scaled(const struct operands *p, int n, struct uc_fstatus *st)
{
	const struct bt_op *o = p->o;
	struct uc_f128 A = f128_of(p->a), B = f128_of(p->b);

	if (o->fmt != EXT)
		return narrow(o->fmt, scale2(precise(p), n), st);
	switch (o->kind) {
	case K_ADD:
		scale_addends(&A, &B, n);
		return bv_of(uc_core.f128_add(A, B, st));
	case K_SUB:
		scale_addends(&A, &B, n);
		return bv_of(uc_core.f128_sub(A, B, st));
	case K_MUL:	/* half each: both stay normal (exact) */
		return bv_of(uc_core.f128_mul(scale2(A, n / 2), scale2(B, n / 2),
					      st));
	default:	/* K_DIV */
		return bv_of(uc_core.f128_div(scale2(A, n / 2), scale2(B, -n / 2),
					      st));
	}
}

/* Is the float128 @x nonzero and below format @f's smallest normal? */
static bool wide_tiny(enum fmt f, struct bv x)
{
	unsigned __int128 m = mag(EXT, x);

	return m && m < (unsigned __int128)nmin_hi[f] << 64;
}

/* Is the precise result nonzero and below the target's smallest normal? */
static bool tiny(const struct operands *p)
{
	const struct bt_op *o = p->o;
	struct uc_fstatus st = { .detect_tininess = SF_TININESS_BEFORE_ROUNDING,
				 .rounding_mode = RND_TO_ZERO };
	struct bv r;

	if (o->kind == K_LR)
		return wide_tiny(o->fmt, bv_of(widen(o->src, p->b, &st)));
	if (o->fmt != EXT)
		return wide_tiny(o->fmt, bv_of(precise(p)));
	/* extended: scaled up by 2^24576 and truncated, against 2^-16382
	 * scaled alike (biased exponent 1 + 24576) */
	r = scaled(p, alpha[EXT], &st);
	return mag(EXT, r) &&
	       mag(EXT, r) < (unsigned __int128)(1 + 24576) << 112;
}

/*
 * LOAD ROUNDED's trap result: the source rounded to the target's
 * precision with an unbounded exponent, times 2^@n, in the source format.
 */
static struct bv lr_scaled(const struct operands *p, int n,
			   struct uc_fstatus *st)
{
	const struct bt_op *o = p->o;
	struct uc_fstatus ex = { .detect_tininess = SF_TININESS_BEFORE_ROUNDING };
	struct uc_f128 x = widen(o->src, p->b, &ex), one;
	int k = 0;

	if (!F128_EXP(x.high)) {	/* extended subnormal: normalize */
		x = scale2(x, 240);
		k = -240;
	}
	k += F128_EXP(x.high) - 16383;
	x = scale2(x, -k);		/* into [1, 2): rounds as a normal */
	one = widen(o->fmt, narrow(o->fmt, x, st), &ex);
	return narrow(o->src, scale2(one, k + n), &ex);
}

/* The trap result for @n and its DXC (@base: overflow or underflow). */
static struct bv trap_result(const struct operands *p, int mode, int n,
			     uint8_t base, uint8_t *dxc)
{
	struct uc_fstatus st = { .detect_tininess = SF_TININESS_BEFORE_ROUNDING,
				 .rounding_mode = (signed char)mode };
	struct uc_fstatus tz = { .detect_tininess = SF_TININESS_BEFORE_ROUNDING,
				 .rounding_mode = RND_TO_ZERO };
	bool lr = p->o->kind == K_LR;
	enum fmt f = lr ? p->o->src : p->o->fmt;
	struct bv r, t;

	r = lr ? lr_scaled(p, n, &st) : scaled(p, n, &st);
	*dxc = base;
	if (st.exception_flags & SF_INEXACT) {
		t = lr ? lr_scaled(p, n, &tz) : scaled(p, n, &tz);
		*dxc |= DXC_IEEE_INEXACT;
		if (mag(f, r) > mag(f, t))
			*dxc |= DXC_IEEE_INCREMENTED;
	}
	return r;
}

/* ---- the instruction ---------------------------------------------------- */

static struct bv fpr_get(struct vcpu *v, enum fmt f, unsigned int r)
{
	if (f == SHORT)
		return (struct bv){ vcpu_fpr(v, (int)r) >> 32, 0 };
	if (f == LONG)
		return (struct bv){ vcpu_fpr(v, (int)r), 0 };
	return (struct bv){ vcpu_fpr(v, (int)r), vcpu_fpr(v, (int)r + 2) };
}

/* A short result replaces the left half only. */
static void fpr_put(struct vcpu *v, enum fmt f, unsigned int r, struct bv x)
{
	if (f == SHORT) {
		vcpu_set_fpr(v, (int)r, (vcpu_fpr(v, (int)r) & 0xffffffffULL) |
					x.hi << 32);
		return;
	}
	vcpu_set_fpr(v, (int)r, x.hi);
	if (f == EXT)
		vcpu_set_fpr(v, (int)r + 2, x.lo);
}

static int cc_of(enum fmt f, struct bv x)
{
	unsigned __int128 m = mag(f, x);
	bool neg = f == SHORT ? (x.hi >> 31) & 1 : x.hi >> 63;

	if (is_nan_or_inf(f, x) &&
	    m != (f == SHORT ? 0x7f800000U :
		  f == LONG ? 0x7ff0000000000000ULL :
			      (unsigned __int128)0x7fff000000000000ULL << 64))
		return 3;
	return !m ? 0 : neg ? 1 : 2;
}

/*
 * Run the operation on @p with the FPC's (or M3's) rounding and deliver
 * result, condition code, FPC and the IEEE exception the masks enable.
 */
static void execute(struct vcpu *v, const struct operands *p, unsigned int r1,
		    int m3, bool xxc, uint64_t mask, uint64_t addr,
		    unsigned int ilen)
{
	const struct bt_op *o = p->o;
	uint32_t fpc = env_get32(v->env, ENV_FPC);
	int mode = m3 ? m3_mode[m3] : bfp_rounding(fpc);
	struct uc_fstatus st = { .detect_tininess = SF_TININESS_BEFORE_ROUNDING,
				 .rounding_mode = (signed char)mode };
	enum fmt out = o->fmt;
	uint8_t fl, dxc = 0;
	struct bv r = native(p, &st);

	fl = st.exception_flags;
	if (xxc)
		fl &= (uint8_t)~SF_INEXACT;
	if (fl & SF_INVALID) {		/* suppressed when enabled */
		if (fpc & FPC_MASK_INVALID) {
			irq_data(v, DXC_IEEE_INVALID, mask, addr, ilen);
			return;
		}
		fpc |= FPC_FLAG_INVALID;
	}
	if (fl & SF_DIVBYZERO) {
		if (fpc & FPC_MASK_DIVZERO) {
			irq_data(v, DXC_IEEE_DIVZERO, mask, addr, ilen);
			return;
		}
		fpc |= FPC_FLAG_DIVZERO;
	}
	if ((fl & SF_OVERFLOW) && (fpc & FPC_MASK_OVERFLOW)) {
		r = trap_result(p, mode, o->kind == K_LR ? -alpha_lr[o->src] :
				-alpha[o->fmt], DXC_IEEE_OVERFLOW, &dxc);
	} else if ((fpc & FPC_MASK_UNDERFLOW) && can_underflow(o->kind) &&
		   !is_nan_or_inf(out, r) && mag(out, r) <= nmin_mag(out) &&
		   (mag(out, r) || (fl & SF_INEXACT)) && tiny(p)) {
		r = trap_result(p, mode, o->kind == K_LR ? alpha_lr[o->src] :
				alpha[o->fmt], DXC_IEEE_UNDERFLOW, &dxc);
	} else {
		if (fl & SF_OVERFLOW)
			fpc |= FPC_FLAG_OVERFLOW;
		if (fl & SF_UNDERFLOW)
			fpc |= FPC_FLAG_UNDERFLOW;
		if ((fl & SF_INEXACT) && (fpc & FPC_MASK_INEXACT)) {
			struct uc_fstatus tz = {
				.detect_tininess = SF_TININESS_BEFORE_ROUNDING,
				.rounding_mode = RND_TO_ZERO };

			dxc = DXC_IEEE_INEXACT;
			if (mag(out, r) > mag(out, native(p, &tz)))
				dxc |= DXC_IEEE_INCREMENTED;
		} else if (fl & SF_INEXACT) {
			fpc |= FPC_FLAG_INEXACT;
		}
	}
	if (o->kind == K_LR && (dxc & (DXC_IEEE_OVERFLOW | DXC_IEEE_UNDERFLOW)))
		out = o->src;	/* the scaled result in the source format */
	fpr_put(v, out, r1, r);
	if (o->kind == K_ADD || o->kind == K_SUB)
		mask = (mask & ~PSW_CC) | (uint64_t)cc_of(out, r) << PSW_CC_SHIFT;
	env_set32(v->env, ENV_FPC, fpc);
	if (dxc)
		irq_data(v, dxc, mask, addr, ilen);
	else
		vcpu_load_psw(v, mask, addr_wrap(mask, addr + ilen));
}

/* A BFP operand of format @f from storage at @a; false if it faulted. */
static bool read_operand(struct vcpu *v, enum fmt f, uint64_t a, struct bv *x,
			 uint64_t mask, uint64_t addr, unsigned int ilen)
{
	uint8_t buf[8];
	uint64_t tec = 0;
	unsigned int len = f == SHORT ? 4 : 8;
	int rc = mem_read_logical(v, a, buf, len, &tec);

	if (irq_access(v, rc, tec, mask, addr, ilen))
		return false;
	x->hi = len == 4 ? pv_get_be32(buf) : pv_get_be64(buf);
	x->lo = 0;
	return true;
}

bool bfptrap_run(struct vcpu *v, const uint8_t *b, uint64_t mask,
		 uint64_t addr, unsigned int ilen)
{
	const struct bt_op *o = (b[0] == 0xb3 || b[0] == 0xed) ? classify(b) : NULL;
	unsigned int r1, r2 = 0, r3 = 0, m3 = 0, m4 = 0;
	struct operands p = { .o = o };
	enum fmt sf;

	if (!o)
		return false;
	v->m->st.intercepts++;
	if (v->m->tr)
		mach_trace(v->m, "cpu %u %016llx %02x%02x%02x%02x%02x%02x (the machine runs it: FPC masks)",
			   v->id, (unsigned long long)addr, b[0], b[1], b[2],
			   b[3], ilen > 4 ? b[4] : 0, ilen > 4 ? b[5] : 0);
	switch (o->form) {
	case RRE:
	case RRF_E:
		r1 = b[3] >> 4;
		r2 = b[3] & 0xf;
		m3 = b[2] >> 4;
		m4 = b[2] & 0xf;
		break;
	case RRD:
		r1 = b[2] >> 4;
		r3 = b[3] >> 4;
		r2 = b[3] & 0xf;
		break;
	case RXE:
		r1 = b[1] >> 4;
		break;
	default:	/* RXF */
		r3 = b[1] >> 4;
		r1 = b[4] >> 4;
		break;
	}
	if (!(vcpu_cr(v, 0) & CR0_AFP)) {
		irq_data(v, DXC_BFP_INSN, mask, addr, ilen);
		return true;
	}
	sf = o->kind == K_LR ? o->src : o->fmt;
	/* extended operands in register pairs (r, r + 2); LOAD ROUNDED from
	 * extended also needs one for R1, where a trap result may go */
	if ((o->fmt == EXT && ((r1 | r2) & 2)) || (sf == EXT && ((r1 | r2) & 2)) ||
	    (o->form == RRF_E && (m3 == 2 || m3 > 7))) {
		irq_pgm(v, PGM_SPECIFICATION, ilen, mask, addr);
		return true;
	}
	switch (o->kind) {
	case K_CF:
	case K_CLF:
		p.i = vcpu_gr(v, (int)r2);
		if (o->int_bits == 32)
			p.i = o->kind == K_CF ? (uint64_t)(int64_t)(int32_t)p.i :
						(uint32_t)p.i;
		break;
	case K_LR:
	case K_FI:
	case K_SQRT:
		p.b = fpr_get(v, sf, r2);
		break;
	case K_MADD:
	case K_MSUB:
		p.a = fpr_get(v, o->fmt, r3);	/* op3 * op2 +- op1 */
		p.c = fpr_get(v, o->fmt, r1);
		break;
	default:
		p.a = fpr_get(v, o->fmt, r1);
		break;
	}
	if (o->form == RXE || o->form == RXF) {
		uint64_t a = vcpu_ea(v, mask, b[1] & 0xf, b[2] >> 4,
				     (b[2] & 0xf) << 8 | b[3]);

		if (!read_operand(v, o->fmt, a, &p.b, mask, addr, ilen))
			return true;
	} else if (o->kind != K_LR && o->kind != K_FI && o->kind != K_SQRT &&
		   o->kind != K_CF && o->kind != K_CLF) {
		p.b = fpr_get(v, o->fmt, r2);
	}
	execute(v, &p, r1, o->form == RRF_E ? (int)m3 : 0,
		o->form == RRF_E && (m4 & 4), mask, addr, ilen);
	return true;
}
