// SPDX-License-Identifier: MIT
/*
 * s390x instruction decoding for the host: length from the two top opcode
 * bits, an opcode key, names for the trace, which opcodes are privileged
 * and which the host intercepts, and operand addresses.
 */
#include <stddef.h>

#include "machine_priv.h"

unsigned int insn_len(uint8_t b0)
{
	static const unsigned int len[4] = { 2, 4, 4, 6 };

	return len[b0 >> 6];
}

/*
 * One number per opcode: the first byte, extended by the second byte
 * (RRE, S, SSE formats) or by the last byte (RXY, RSY, SIY formats).
 */
uint16_t insn_key(const uint8_t *b)
{
	switch (b[0]) {
	case 0x01:
	case 0xb2:
	case 0xb3:
	case 0xb9:
	case 0xe5:
		return (uint16_t)(b[0] << 8 | b[1]);
	case 0xe3:
	case 0xe7:
	case 0xeb:
	case 0xec:
	case 0xed:
		return (uint16_t)(b[0] << 8 | b[5]);
	case 0xa5:
	case 0xa7:
	case 0xc0:
	case 0xc2:
	case 0xc4:
	case 0xc6:
	case 0xc8:
	case 0xcc:
		return (uint16_t)(b[0] << 8 | (b[1] & 0xf));
	default:
		return b[0];
	}
}

#define F_PRIV 0x1	/* privileged operation */
#define F_ICPT 0x2	/* the host intercepts it (narrow code hook) */

static const struct {
	uint16_t key;
	uint8_t flags;
	const char *name;
} ops[] = {
	{ 0x80, F_PRIV, "SSM" },
	{ 0x82, F_PRIV | F_ICPT, "LPSW" },
	{ 0x83, F_PRIV | F_ICPT, "DIAG" },
	{ 0xac, F_PRIV, "STNSM" },
	{ 0xad, F_PRIV, "STOSM" },
	{ 0xae, F_PRIV | F_ICPT, "SIGP" },
	{ 0xb1, F_PRIV, "LRA" },
	{ 0xb6, F_PRIV, "STCTL" },
	{ 0xb7, F_PRIV | F_ICPT, "LCTL" },
	{ 0xb202, F_PRIV, "STIDP" },
	{ 0xb205, F_ICPT, "STCK" },
	{ 0xb206, F_PRIV, "SCKC" },
	{ 0xb207, F_PRIV, "STCKC" },
	{ 0xb208, F_PRIV, "SPT" },
	{ 0xb209, F_PRIV, "STPT" },
	{ 0xb20d, F_PRIV, "PTLB" },
	{ 0xb210, F_PRIV | F_ICPT, "SPX" },
	{ 0xb211, F_PRIV, "STPX" },
	{ 0xb212, F_PRIV, "STAP" },
	{ 0xb220, F_PRIV | F_ICPT, "SERVC" },
	{ 0xb221, F_PRIV, "IPTE" },
	{ 0xb229, F_PRIV, "ISKE" },
	{ 0xb22a, F_PRIV, "RRBE" },
	{ 0xb22b, F_PRIV, "SSKE" },
	{ 0xb230, F_PRIV, "CSCH" },
	{ 0xb231, F_PRIV, "HSCH" },
	{ 0xb232, F_PRIV, "MSCH" },
	{ 0xb233, F_PRIV, "SSCH" },
	{ 0xb234, F_PRIV, "STSCH" },
	{ 0xb235, F_PRIV, "TSCH" },
	{ 0xb236, F_PRIV, "TPI" },
	{ 0xb238, F_PRIV, "RSCH" },
	{ 0xb239, F_PRIV, "STCRW" },
	{ 0xb23c, F_PRIV, "SCHM" },
	{ 0xb250, F_PRIV, "CSP" },
	{ 0xb276, F_PRIV, "XSCH" },
	{ 0xb278, F_ICPT, "STCKE" },
	{ 0xb27c, F_ICPT, "STCKF" },
	{ 0xb27d, F_PRIV, "STSI" },
	{ 0xb2b0, F_ICPT, "STFLE" },
	{ 0xb2b1, F_PRIV | F_ICPT, "STFL" },
	{ 0xb2b2, F_PRIV | F_ICPT, "LPSWE" },
	{ 0xb98a, F_PRIV, "CSPG" },
	{ 0xb98e, F_PRIV, "IDTE" },
	{ 0xb9a4, F_PRIV | F_ICPT, "UVC" },
	{ 0xe501, F_PRIV, "TPROT" },
	{ 0xeb25, F_PRIV, "STCTG" },
	{ 0xeb2f, F_PRIV | F_ICPT, "LCTLG" },
};

static int find(uint16_t key)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].key == key)
			return (int)i;
	return -1;
}

const char *insn_name(uint16_t key)
{
	int i = find(key);

	return i < 0 ? NULL : ops[i].name;
}

bool insn_privileged(uint16_t key)
{
	int i = find(key);

	return i >= 0 && (ops[i].flags & F_PRIV);
}

bool insn_intercepted(uint16_t key)
{
	int i = find(key);

	return i >= 0 && (ops[i].flags & F_ICPT);
}

/* Read the instruction at logical @addr; 0 or a program-interrupt code. */
int insn_fetch(struct pv_machine *m, uint64_t mask, uint64_t addr,
	       struct insn *in)
{
	int rc;

	in->addr = addr;
	rc = mem_read_logical(m, mask, addr, in->b, 2);
	if (rc)
		return rc;
	in->len = insn_len(in->b[0]);
	if (in->len > 2) {
		rc = mem_read_logical(m, mask, addr + 2, in->b + 2,
				      in->len - 2);
		if (rc)
			return rc;
	}
	for (unsigned int i = in->len; i < 6; i++)
		in->b[i] = 0;
	in->op = insn_key(in->b);
	return 0;
}

static uint64_t base_disp(struct pv_machine *m, int b, int64_t d)
{
	return (b ? vcpu_gr(m, b) : 0) + (uint64_t)d;
}

/* Second-operand address of the S, RS and SI formats (bytes 2-3). */
uint64_t insn_addr_s(struct pv_machine *m, const struct insn *in)
{
	return addr_wrap(m->cpu.mask,
			 base_disp(m, in->b[2] >> 4,
				   (in->b[2] & 0xf) << 8 | in->b[3]));
}

/* Second-operand address of the RSY/RXY/SIY formats (20-bit disp). */
uint64_t insn_addr_rsy(struct pv_machine *m, const struct insn *in)
{
	int64_t d = (int64_t)((in->b[2] & 0xf) << 8 | in->b[3]) |
		    ((int64_t)(int8_t)in->b[4] << 12);

	return addr_wrap(m->cpu.mask, base_disp(m, in->b[2] >> 4, d));
}

static int probe(struct pv_machine *m, uint64_t mask, uint64_t a)
{
	uint64_t abs;

	return mem_translate(m, mask, addr_wrap(mask, a), false, &abs);
}

/*
 * Unicorn reports a guest-caused program exception without its code
 * (guest-boot-probe.md §3.3).  Look at the storage operands of the
 * instruction the common formats have: if one cannot be accessed, that
 * access exception (0x05 addressing, or the DAT exception) is the cause.
 * Returns 0 when every operand looks accessible.
 */
int insn_operand_fault(struct pv_machine *m, const struct insn *in,
		       uint64_t mask)
{
	const uint8_t *b = in->b;
	int x = b[1] & 0xf, rc = 0;
	uint64_t a;

	if (b[0] == 0x41 || (b[0] >= 0x86 && b[0] <= 0x8f))
		return 0;	/* LA and shifts compute, never access */
	if (b[0] >= 0x40 && b[0] <= 0x7f) {		/* RX */
		a = base_disp(m, b[2] >> 4, (b[2] & 0xf) << 8 | b[3]);
		return probe(m, mask, a + (x ? vcpu_gr(m, x) : 0));
	}
	if (b[0] == 0xe3 || b[0] == 0xeb) {		/* RXY, RSY, SIY */
		int64_t d = (int64_t)((b[2] & 0xf) << 8 | b[3]) |
			    ((int64_t)(int8_t)b[4] << 12);

		a = base_disp(m, b[2] >> 4, d);
		if (b[0] == 0xe3 && x)
			a += vcpu_gr(m, x);
		if (b[0] == 0xeb && (b[5] == 0x0c || b[5] == 0x0d ||
				     b[5] == 0x0a || b[5] == 0x0b ||
				     b[5] == 0x1c || b[5] == 0x1d))
			return 0;	/* 64-bit shifts and rotates */
		return probe(m, mask, a);
	}
	if (b[0] >= 0xd0 && b[0] <= 0xdf) {		/* SS */
		rc = probe(m, mask, base_disp(m, b[2] >> 4,
					       (b[2] & 0xf) << 8 | b[3]));
		if (!rc)
			rc = probe(m, mask, base_disp(m, b[4] >> 4,
						       (b[4] & 0xf) << 8 |
							       b[5]));
		return rc;
	}
	if ((b[0] >= 0x90 && b[0] <= 0x9f) || b[0] == 0xb2 ||
	    (b[0] >= 0xb6 && b[0] <= 0xbf))		/* RS, SI, S */
		return probe(m, mask, base_disp(m, b[2] >> 4,
						(b[2] & 0xf) << 8 | b[3]));
	return 0;
}
