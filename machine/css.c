// SPDX-License-Identifier: MIT
/*
 * The channel subsystem instructions.  The machine has no I/O devices
 * yet, so every subchannel is "not operational" (cc 3), as on a
 * configuration without them; the checks that come first are the
 * architecture's (QEMU ioinst.c): a malformed subchannel identification
 * in GR1 is an operand exception, a misaligned operand a specification
 * exception.  STCRW finds no channel report (cc 1, zeroes stored), TPI no
 * pending interruption (cc 0), CHSC answers "command not installed" for
 * every command.
 */
#include <string.h>

#include "pvboot/be.h"

#include "machine_priv.h"

#define CHSC_RC_NOT_INSTALLED 0x0004

/*
 * The translator hands most of these helpers the instruction itself,
 * left-aligned in 64 bits (QEMU's in2_insn): the operand address is its
 * base and displacement (S format), CHSC's is in its R1 (RRE format).
 */
static uint64_t op_addr(struct vcpu *v, uint16_t op, uint64_t inst)
{
	uint32_t ipb = (uint32_t)(inst >> 16);
	unsigned int base = ipb >> 28;
	uint64_t a;

	if (op == 0xb25f)
		return addr_wrap(vcpu_pswm(v), vcpu_gr(v, (ipb >> 20) & 0xf));
	a = (ipb >> 16) & 0xfff;
	if (base)
		a += vcpu_gr(v, (int)base);
	return addr_wrap(vcpu_pswm(v), a);
}

/* Subchannel identification: bit 15 one, no CSS id unless M is set. */
static bool schid_ok(uint64_t r1)
{
	uint32_t id = (uint32_t)r1;
	bool mbit = id & 0x00080000U;

	if (!(id & 0x00010000U))
		return false;
	if (!mbit && (id & 0xff000000U))
		return false;
	return true;
}

static void chsc(struct vcpu *v, uint64_t addr, uintptr_t ra)
{
	uint8_t req[16], res[16] = { 0 };
	uint16_t len;

	if (addr & 0xfff)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	mem_read_op(v, addr, req, 4, ra);
	len = pv_get_be16(req);
	if (len < 16 || len > 4088 || (len & 7))
		vcpu_raise(v, PGM_OPERAND, ra);
	pv_put_be16(res, 16);
	pv_put_be16(res + 2, CHSC_RC_NOT_INSTALLED);
	mem_write_op(v, addr + len, res, sizeof(res), ra);
	vcpu_set_cc(v, 0);
}

void css_insn(struct vcpu *v, uint16_t op, uint64_t r1, uint64_t inst,
	      uintptr_t ra)
{
	uint8_t crw[4] = { 0 };
	uint64_t addr = 0;

	switch (op) {
	case 0xb232: case 0xb233: case 0xb234: case 0xb235:
	case 0xb239: case 0xb23c: case 0xb25f:
		addr = op_addr(v, op, inst);
		break;
	default:
		break;
	}
	if (v->m->tr)
		mach_trace(v->m, "cpu %u I/O instruction 0x%04x GR1 0x%08llx",
			   v->id, op, (unsigned long long)(uint32_t)r1);
	switch (op) {
	case 0xb239:	/* STCRW */
		if (addr & 3)
			vcpu_raise(v, PGM_SPECIFICATION, ra);
		mem_write_op(v, addr, crw, sizeof(crw), ra);
		vcpu_set_cc(v, 1);
		return;
	case 0xb25f:	/* CHSC */
		chsc(v, addr, ra);
		return;
	case 0xb237:	/* SAL */
	case 0xb23c:	/* SCHM */
		return;
	case 0xb23b:	/* RCHP: no channel paths */
		vcpu_set_cc(v, 3);
		return;
	default:
		break;
	}
	if (!schid_ok(r1))
		vcpu_raise(v, PGM_OPERAND, ra);
	if ((op == 0xb232 || op == 0xb233 || op == 0xb234 || op == 0xb235) &&
	    (addr & 3))
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	vcpu_set_cc(v, 3);
}

/*
 * I/O interruptions.  css_io_pending(): one is pending for an I/O
 * interruption subclass that CR6 of @v enables.  css_io_deliver(): take the
 * most important one and swap the I/O PSWs (irq_deliver_io); true when a
 * PSW was swapped.  css_io_can_end_wait(): an enabled wait of @v may still
 * end by an I/O interruption (one is pending, or a device may still
 * complete a started operation).  Without devices nothing is ever pending.
 */
bool css_io_pending(struct vcpu *v)
{
	uint8_t isc_mask = (uint8_t)(vcpu_cr(v, 6) >> 24);

	return (v->m->flic.io_pending & isc_mask) != 0;
}

bool css_io_deliver(struct vcpu *v)
{
	(void)v;
	return false;
}

bool css_io_can_end_wait(const struct vcpu *v)
{
	return v->m->flic.io_pending != 0;
}

uint32_t css_tpi(struct vcpu *v, uint64_t addr, uintptr_t ra)
{
	if (addr & 3)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	return 0;
}
