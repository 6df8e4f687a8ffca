// SPDX-License-Identifier: MIT
/*
 * Fixed-point overflow (program interruption 0x08, PoO chapter 6): while
 * PSW bit 20 is one, a signed add, subtract, load-complement/positive or
 * shift-left-arithmetic whose result does not fit interrupts after it
 * completed (result stored, cc 3).  Unicorn 2.0.1's translator (as QEMU's
 * TCG) computes only the condition code and never interrupts.
 *
 * The machine watches the program mask: SET PROGRAM MASK is never shown
 * to the translator (cpu/interpose.c) and runs here; LPSW(E), interruptions
 * and resets load PSWs through the machine.  When bit 20 turns on, the
 * CPU's translated code is dropped and, from then on, the translator is
 * shown an unassigned opcode in place of every instruction that can
 * overflow, which the machine then runs here; when the bit turns off,
 * the code is dropped again and the translator has them back.  A guest
 * that never sets bit 20 (Linux does not) runs as before.
 */
#include <string.h>

#include "pvboot/be.h"

#include "../machine_priv.h"

#define PSW_FXO 0x0000080000000000ULL	/* bit 20 */
#define PSW_PM 0x00000f0000000000ULL	/* bits 20-23 */
#define PGM_FIXP_OVERFLOW 0x08

enum fx_op { FX_ADD, FX_SUB, FX_LP, FX_LC, FX_SLA };
enum fx_src { S_R2, S_MEM, S_IMM, S_R3 };

struct fx_insn {
	enum fx_op op;
	unsigned int bits;	/* 32 or 64: the operation */
	unsigned int src_bits;	/* second operand: 16, 32 or 64, sign-extended */
	enum fx_src src;
	bool dest_mem;		/* ASI, AGSI: the first operand in storage */
};

/* Code may be running: the CPU loop is made to come back first. */
void fxo_psw_changed(struct vcpu *v, uint64_t mask)
{
	if (((mask & PSW_FXO) != 0) != v->fxo)
		vcpu_kick(v, KICK_FXO);
}

/* At the entry of the CPU loop (cpu/interpose.c, cpu_exec_s390x). */
void fxo_sync(struct vcpu *v)
{
	bool on = (vcpu_pswm(v) & PSW_FXO) != 0;

	if (on == v->fxo)
		return;
	v->fxo = on;
	codemap_invalidate_cpu(v);
}

/* The instruction at the start of @b (its first six bytes), or false. */
static bool classify(const uint8_t *b, struct fx_insn *in)
{
	static const struct {
		uint8_t b0, b1, b5;	/* opcode bytes (0: not part of it) */
		uint8_t mask1;		/* mask of b1 taken for the opcode */
		struct fx_insn in;
	} tab[] = {
		{ 0x1a, 0, 0, 0, { FX_ADD, 32, 32, S_R2, false } },	/* AR */
		{ 0x1b, 0, 0, 0, { FX_SUB, 32, 32, S_R2, false } },	/* SR */
		{ 0x10, 0, 0, 0, { FX_LP, 32, 32, S_R2, false } },	/* LPR */
		{ 0x13, 0, 0, 0, { FX_LC, 32, 32, S_R2, false } },	/* LCR */
		{ 0x5a, 0, 0, 0, { FX_ADD, 32, 32, S_MEM, false } },	/* A */
		{ 0x5b, 0, 0, 0, { FX_SUB, 32, 32, S_MEM, false } },	/* S */
		{ 0x4a, 0, 0, 0, { FX_ADD, 32, 16, S_MEM, false } },	/* AH */
		{ 0x4b, 0, 0, 0, { FX_SUB, 32, 16, S_MEM, false } },	/* SH */
		{ 0x8b, 0, 0, 0, { FX_SLA, 32, 0, S_MEM, false } },	/* SLA */
		{ 0xa7, 0x0a, 0, 0x0f, { FX_ADD, 32, 16, S_IMM, false } },	/* AHI */
		{ 0xa7, 0x0b, 0, 0x0f, { FX_ADD, 64, 16, S_IMM, false } },	/* AGHI */
		{ 0xc2, 0x09, 0, 0x0f, { FX_ADD, 32, 32, S_IMM, false } },	/* AFI */
		{ 0xc2, 0x08, 0, 0x0f, { FX_ADD, 64, 32, S_IMM, false } },	/* AGFI */
		{ 0xb9, 0x08, 0, 0xff, { FX_ADD, 64, 64, S_R2, false } },	/* AGR */
		{ 0xb9, 0x09, 0, 0xff, { FX_SUB, 64, 64, S_R2, false } },	/* SGR */
		{ 0xb9, 0x18, 0, 0xff, { FX_ADD, 64, 32, S_R2, false } },	/* AGFR */
		{ 0xb9, 0x19, 0, 0xff, { FX_SUB, 64, 32, S_R2, false } },	/* SGFR */
		{ 0xb9, 0x00, 0, 0xff, { FX_LP, 64, 64, S_R2, false } },	/* LPGR */
		{ 0xb9, 0x03, 0, 0xff, { FX_LC, 64, 64, S_R2, false } },	/* LCGR */
		{ 0xb9, 0xf8, 0, 0xff, { FX_ADD, 32, 32, S_R3, false } },	/* ARK */
		{ 0xb9, 0xf9, 0, 0xff, { FX_SUB, 32, 32, S_R3, false } },	/* SRK */
		{ 0xb9, 0xe8, 0, 0xff, { FX_ADD, 64, 64, S_R3, false } },	/* AGRK */
		{ 0xb9, 0xe9, 0, 0xff, { FX_SUB, 64, 64, S_R3, false } },	/* SGRK */
		{ 0xe3, 0, 0x08, 0, { FX_ADD, 64, 64, S_MEM, false } },	/* AG */
		{ 0xe3, 0, 0x09, 0, { FX_SUB, 64, 64, S_MEM, false } },	/* SG */
		{ 0xe3, 0, 0x18, 0, { FX_ADD, 64, 32, S_MEM, false } },	/* AGF */
		{ 0xe3, 0, 0x19, 0, { FX_SUB, 64, 32, S_MEM, false } },	/* SGF */
		{ 0xe3, 0, 0x5a, 0, { FX_ADD, 32, 32, S_MEM, false } },	/* AY */
		{ 0xe3, 0, 0x5b, 0, { FX_SUB, 32, 32, S_MEM, false } },	/* SY */
		{ 0xe3, 0, 0x7a, 0, { FX_ADD, 32, 16, S_MEM, false } },	/* AHY */
		{ 0xe3, 0, 0x7b, 0, { FX_SUB, 32, 16, S_MEM, false } },	/* SHY */
		{ 0xeb, 0, 0x6a, 0, { FX_ADD, 32, 8, S_IMM, true } },	/* ASI */
		{ 0xeb, 0, 0x7a, 0, { FX_ADD, 64, 8, S_IMM, true } },	/* AGSI */
		{ 0xeb, 0, 0x0b, 0, { FX_SLA, 64, 0, S_MEM, false } },	/* SLAG */
		{ 0xeb, 0, 0xdd, 0, { FX_SLA, 32, 0, S_MEM, false } },	/* SLAK */
		{ 0xec, 0, 0xd8, 0, { FX_ADD, 32, 16, S_IMM, false } },	/* AHIK */
		{ 0xec, 0, 0xd9, 0, { FX_ADD, 64, 16, S_IMM, false } },	/* AGHIK */
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (tab[i].b0 != b[0])
			continue;
		if (tab[i].mask1 && (b[1] & tab[i].mask1) != tab[i].b1)
			continue;
		if ((b[0] == 0xe3 || b[0] == 0xeb || b[0] == 0xec) &&
		    b[5] != tab[i].b5)
			continue;
		*in = tab[i].in;
		return true;
	}
	return false;
}

bool fxo_translated_out(const uint8_t *b)
{
	struct fx_insn in;

	return classify(b, &in);
}

static int64_t sext(uint64_t x, unsigned int bits)
{
	return bits == 64 ? (int64_t)x :
			    (int64_t)(x << (64 - bits)) >> (64 - bits);
}

static uint64_t gr(struct vcpu *v, unsigned int r)
{
	return vcpu_gr(v, (int)r);
}

/* A 32-bit result replaces bits 32-63 only. */
static void set_gr(struct vcpu *v, unsigned int r, uint64_t x,
		   unsigned int bits)
{
	if (bits == 32)
		x = (gr(v, r) & 0xffffffff00000000ULL) | (x & 0xffffffffULL);
	vcpu_set_gr(v, (int)r, x);
}

/* Second-operand address of the RX, RXY, RS, RSY and SIY formats. */
static uint64_t ea(struct vcpu *v, const uint8_t *b, uint64_t mask)
{
	unsigned int x = 0, base = b[2] >> 4;
	int64_t d = ((b[2] & 0xf) << 8) | b[3];

	if (b[0] == 0x5a || b[0] == 0x5b || b[0] == 0x4a || b[0] == 0x4b ||
	    b[0] == 0xe3)
		x = b[1] & 0xf;
	if (b[0] == 0xe3 || b[0] == 0xeb)	/* 20-bit displacement */
		d = sext((uint64_t)(d | (uint64_t)b[4] << 12), 20);
	return vcpu_ea(v, mask, x, base, d);
}

bool fxo_run(struct vcpu *v, const uint8_t *b, uint64_t mask, uint64_t addr,
	     unsigned int ilen)
{
	unsigned int r1 = b[1] >> 4, r2 = b[1] & 0xf, r3 = 0;
	uint64_t tec = 0, a = 0, res;
	struct fx_insn in;
	int64_t x, y = 0;
	bool ovf = false;
	uint8_t mem[8];
	int cc, rc;

	if (b[0] == 0x04) {		/* SPM: cc and program mask from R1 */
		uint64_t w = gr(v, r1);

		mask = (mask & ~(PSW_CC | PSW_PM)) |
		       ((w >> 28) & 3) << 44 | ((w >> 24) & 0xf) << 40;
		fxo_psw_changed(v, mask);
		vcpu_load_psw(v, mask, addr_wrap(mask, addr + ilen));
		return true;
	}
	if (!classify(b, &in))
		return false;
	v->m->st.intercepts++;
	if (v->m->tr)
		mach_trace(v->m, "cpu %u %016llx %02x%02x%02x%02x%02x%02x (the machine runs it: PSW bit 20)",
			   v->id, (unsigned long long)addr, b[0], b[1],
			   ilen > 2 ? b[2] : 0, ilen > 2 ? b[3] : 0,
			   ilen > 4 ? b[4] : 0, ilen > 4 ? b[5] : 0);
	/* registers: RR, RX, RI, RIL, RS(Y) as decoded above */
	if (b[0] == 0xb9) {			/* RRE, RRF: in byte 3 */
		r1 = b[3] >> 4;
		r2 = b[3] & 0xf;
		r3 = b[2] >> 4;
	}
	if (in.src == S_R3 || b[0] == 0xec)	/* ARK r1,r2,r3; AHIK r1,r3,i2 */
		x = sext(gr(v, r2), in.bits);
	else
		x = sext(gr(v, r1), in.bits);
	switch (in.src) {
	case S_R2:
		y = sext(gr(v, r2), in.src_bits);
		break;
	case S_R3:
		y = sext(gr(v, r3), in.src_bits);
		break;
	case S_IMM:
		if (b[0] == 0xa7)
			y = sext(pv_get_be16(b + 2), 16);
		else if (b[0] == 0xc2)
			y = sext(pv_get_be32(b + 2), 32);
		else if (b[0] == 0xec)
			y = sext(pv_get_be16(b + 2), 16);
		else				/* ASI, AGSI: I2 in byte 1 */
			y = sext(b[1], 8);
		break;
	case S_MEM:
		if (in.op == FX_SLA)
			break;
		a = ea(v, b, mask);
		rc = mem_read_logical(v, a, mem, in.src_bits / 8, &tec);
		if (irq_access(v, rc, tec, mask, addr, ilen))
			return true;
		y = in.src_bits == 16 ? sext(pv_get_be16(mem), 16) :
		    in.src_bits == 32 ? sext(pv_get_be32(mem), 32) :
					(int64_t)pv_get_be64(mem);
		break;
	}
	if (in.dest_mem) {		/* ASI, AGSI: read-modify-write */
		a = ea(v, b, mask);
		rc = mem_read_logical(v, a, mem, in.bits / 8, &tec);
		if (irq_access(v, rc, tec, mask, addr, ilen))
			return true;
		x = in.bits == 32 ? sext(pv_get_be32(mem), 32) :
				    (int64_t)pv_get_be64(mem);
	}
	switch (in.op) {
	case FX_ADD:
	case FX_SUB: {
		__int128 r = in.op == FX_ADD ? (__int128)x + y :
					       (__int128)x - y;

		res = (uint64_t)r;
		ovf = r != sext(res, in.bits);
		break;
	}
	case FX_LP:
	case FX_LC: {
		__int128 r = in.op == FX_LC || y < 0 ? -(__int128)y : y;

		res = (uint64_t)r;
		ovf = r != sext(res, in.bits);
		break;
	}
	default: {			/* SLA, SLAG, SLAK */
		/* the shift amount: the low 6 bits of the address; the
		 * source R1 (SLA) or R3 (SLAG, SLAK); the sign stays and a
		 * bit unlike it leaving the number is an overflow */
		unsigned int n = (unsigned int)ea(v, b, mask) & 63;
		int64_t s = sext(gr(v, b[0] == 0xeb ? r2 : r1), in.bits);
		uint64_t sign = s < 0, mag = (uint64_t)s;

		for (unsigned int i = 0; i < n; i++) {
			mag <<= 1;
			if (((mag >> (in.bits - 1)) & 1) != sign)
				ovf = true;
		}
		if (in.bits == 64)
			res = (mag & 0x7fffffffffffffffULL) | sign << 63;
		else
			res = (mag & 0x7fffffffULL) | sign << 31;
		break;
	}
	}
	x = sext(res, in.bits);
	cc = ovf ? 3 : x == 0 ? 0 : x < 0 ? 1 : 2;
	if (in.dest_mem) {
		if (in.bits == 32)
			pv_put_be32(mem, (uint32_t)res);
		else
			pv_put_be64(mem, res);
		rc = mem_write_logical(v, a, mem, in.bits / 8, &tec);
		if (irq_access(v, rc, tec, mask, addr, ilen))
			return true;
	} else {
		set_gr(v, r1, res, in.bits);
	}
	mask = (mask & ~PSW_CC) | (uint64_t)cc << 44;
	if (ovf && (mask & PSW_FXO))
		irq_pgm(v, PGM_FIXP_OVERFLOW, ilen, mask, addr);
	else
		vcpu_load_psw(v, mask, addr_wrap(mask, addr + ilen));
	return true;
}
