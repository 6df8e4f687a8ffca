// SPDX-License-Identifier: MIT
/*
 * Floating-point instructions the machine runs itself because Unicorn
 * 2.0.1's translator cannot translate them (it crashes the process).
 * cpu/interpose.c shows the translator an unassigned opcode in their
 * place; the operation exception comes to cpu/irq.c, which calls here
 * with the real bytes (or an EXECUTE target's).
 *
 *   SQXBR (0xb316, RRE): the table entry asks for one output register
 *     where the 128-bit result needs two; the store of the missing one
 *     dereferences NULL (a SIGSEGV in tcg_optimize).  The square root
 *     itself is Unicorn's own softfloat (float128_sqrt_s390x), so the
 *     result bits are the ones TCG would give.
 *   LDER (0xb324, RRE): listed with format RXE, whose field decoder
 *     asserts (an abort).  HFP LOAD LENGTHENED appends 32 zero bits.
 *
 * The IEEE rules are the architecture's (PoO chapter 19, "BFP
 * exceptions"): an enabled invalid-operation exception suppresses, an
 * enabled inexact one completes with DXC 0x08 (truncated) or 0x0c
 * (incremented); a disabled one sets its flag in the FPC.
 */
#include "../machine_priv.h"

/* FPC bits 61-63 (BFP rounding mode) as softfloat's. */
signed char bfp_rounding(uint32_t fpc)
{
	static const signed char map[8] = {
		RND_NEAREST_EVEN, RND_TO_ZERO, RND_UP, RND_DOWN,
		RND_NEAREST_EVEN, RND_NEAREST_EVEN, RND_NEAREST_EVEN,
		RND_TO_ODD,
	};

	return map[fpc & 7];
}

static void sqxbr(struct vcpu *v, unsigned int r1, unsigned int r2,
		  uint64_t mask, uint64_t addr, unsigned int ilen)
{
	uint32_t fpc = env_get32(v->env, ENV_FPC);
	struct uc_fstatus st = { .rounding_mode = bfp_rounding(fpc) };
	struct uc_f128 a = { .high = vcpu_fpr(v, (int)r2),
			     .low = vcpu_fpr(v, (int)r2 + 2) }, r;
	uint8_t dxc = 0;

	if (!(vcpu_cr(v, 0) & CR0_AFP)) {
		irq_data(v, DXC_BFP_INSN, mask, addr, ilen);
		return;
	}
	if ((r1 | r2) & 2) {		/* not a register pair */
		irq_pgm(v, PGM_SPECIFICATION, ilen, mask, addr);
		return;
	}
	r = uc_core.f128_sqrt(a, &st);
	if (st.exception_flags & SF_INVALID) {
		if (fpc & FPC_MASK_INVALID) {
			irq_data(v, DXC_IEEE_INVALID, mask, addr, ilen);
			return;
		}
		fpc |= FPC_FLAG_INVALID;
	}
	if (st.exception_flags & SF_INEXACT) {
		if (fpc & FPC_MASK_INEXACT) {
			struct uc_fstatus tz = { .rounding_mode = RND_TO_ZERO };
			struct uc_f128 t = uc_core.f128_sqrt(a, &tz);

			/* a square root is positive: larger means rounded up */
			dxc = t.high != r.high || t.low != r.low ?
				DXC_IEEE_INEXACT | DXC_IEEE_INCREMENTED : DXC_IEEE_INEXACT;
		} else {
			fpc |= FPC_FLAG_INEXACT;
		}
	}
	vcpu_set_fpr(v, (int)r1, r.high);
	vcpu_set_fpr(v, (int)r1 + 2, r.low);
	env_set32(v->env, ENV_FPC, fpc);
	if (dxc)
		irq_data(v, dxc, mask, addr, ilen);
	else
		vcpu_load_psw(v, mask, addr_wrap(mask, addr + ilen));
}

/* HFP LOAD LENGTHENED (short to long): no exception but AFP registers. */
static void lder(struct vcpu *v, unsigned int r1, unsigned int r2,
		 uint64_t mask, uint64_t addr, unsigned int ilen)
{
	if (!(vcpu_cr(v, 0) & CR0_AFP) && ((r1 | r2) & 9)) {
		irq_data(v, DXC_AFP_REG, mask, addr, ilen);
		return;
	}
	vcpu_set_fpr(v, (int)r1,
		     vcpu_fpr(v, (int)r2) & 0xffffffff00000000ULL);
	vcpu_load_psw(v, mask, addr_wrap(mask, addr + ilen));
}

bool fpemu_run(struct vcpu *v, const uint8_t op[4], uint64_t mask,
	       uint64_t addr, unsigned int ilen)
{
	unsigned int r1 = op[3] >> 4, r2 = op[3] & 0xf;

	if (op[0] != 0xb3)
		return false;
	switch (op[1]) {
	case 0x16:
		sqxbr(v, r1, r2, mask, addr, ilen);
		break;
	case 0x24:
		lder(v, r1, r2, mask, addr, ilen);
		break;
	default:
		return false;
	}
	v->m->st.intercepts++;
	if (v->m->tr)
		mach_trace(v->m, "cpu %u %016llx %s  %02x%02x%02x%02x (the machine runs it)",
			   v->id, (unsigned long long)addr,
			   op[1] == 0x16 ? "SQXBR" : "LDER ", op[0], op[1],
			   op[2], op[3]);
	return true;
}
