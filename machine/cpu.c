// SPDX-License-Identifier: MIT
/*
 * The guest CPU as Unicorn exposes it: GPRs, PC and the PSW mask only
 * (guest-cpu-feasibility.md §2).  Control registers and the prefix are
 * host shadows; CPU resets reach the native copies through a tiny stub the
 * host runs from a page outside guest RAM.
 */
#include <string.h>

#include "machine_priv.h"

uint64_t vcpu_gr(struct pv_machine *m, int n)
{
	uint64_t v = 0;

	uc_reg_read(m->uc, UC_S390X_REG_R0 + n, &v);
	return v;
}

void vcpu_set_gr(struct pv_machine *m, int n, uint64_t v)
{
	uc_reg_write(m->uc, UC_S390X_REG_R0 + n, &v);
}

void vcpu_get_grs(struct pv_machine *m, uint64_t gr[16])
{
	for (int i = 0; i < 16; i++)
		gr[i] = vcpu_gr(m, i);
}

void vcpu_set_grs(struct pv_machine *m, const uint64_t gr[16])
{
	for (int i = 0; i < 16; i++)
		vcpu_set_gr(m, i, gr[i]);
}

uint64_t vcpu_pswm(struct pv_machine *m)
{
	uint64_t v = 0;

	uc_reg_read(m->uc, UC_S390X_REG_PSWM, &v);
	return v;
}

uint64_t vcpu_pc(struct pv_machine *m)
{
	uint64_t v = 0;

	uc_reg_read(m->uc, UC_S390X_REG_PC, &v);
	return v;
}

/*
 * PSW mask first, then PC: the PC write is what ends the current TB and
 * skips a native instruction (guest-cpu-feasibility.md §2).
 */
void vcpu_load_psw(struct pv_machine *m, uint64_t mask, uint64_t addr)
{
	uc_reg_write(m->uc, UC_S390X_REG_PSWM, &mask);
	uc_reg_write(m->uc, UC_S390X_REG_PC, &addr);
}

/* z/Architecture PSW validity (early specification-exception rules). */
bool psw_valid(uint64_t mask, uint64_t addr)
{
	if (mask & PSW_MASK_INVALID)
		return false;
	if ((mask & PSW_EA) && !(mask & PSW_BA))
		return false;
	if (addr & 1)
		return false;
	if (!(mask & PSW_EA)) {
		uint64_t lim = (mask & PSW_BA) ? 0x80000000ULL : 0x1000000ULL;

		if (addr >= lim)
			return false;
	}
	return true;
}

/*
 * Short (ESA/390) PSW to the 64-bit form, as load-normal does it
 * (pv-machine-and-uv.md §1.8): mask = word & 0xffffffff80000000 with bit
 * 12 inverted, address = word & 0x7fffffff.  A word without bit 12 thus
 * yields an invalid PSW.
 */
void psw_from_short(uint64_t sw, uint64_t *mask, uint64_t *addr)
{
	*mask = (sw & 0xffffffff80000000ULL) ^ PSW_SHORT;
	*addr = sw & 0x7fffffffULL;
}

/* An address wrapped to the addressing mode of @mask. */
uint64_t addr_wrap(uint64_t mask, uint64_t a)
{
	if (mask & PSW_EA)
		return a;
	if (mask & PSW_BA)
		return a & 0x7fffffffULL;
	return a & 0xffffffULL;
}

/* ---- CPU resets --------------------------------------------------------- */

#define STUB_ADDR 0x7ffffffff0000000ULL
#define STUB_DATA 0x100
#define STUB_PREFIX 0x200
#define STUB_AR 0x280

/*
 * Load the shadow control registers and prefix into Unicorn's CPU (and
 * zero the access registers for a clear reset): "lctlg %c0,%c15,0x100(%r1);
 * spx 0x200(%r1); lam %a0,%a15,0x280(%r1)" run from a page mapped only for
 * this, with the guest's r1 and PSW saved around it.  Unicorn has no
 * register interface for any of these.
 */
static int stub_load_cr(struct pv_machine *m, bool clear_ars,
			struct pv_err **err)
{
	static const uint8_t code[] = {
		0xeb, 0x0f, 0x11, 0x00, 0x00, 0x2f,	/* lctlg c0,c15 */
		0xb2, 0x10, 0x12, 0x00,			/* spx */
		0x9a, 0x0f, 0x12, 0x80,			/* lam a0,a15 */
	};
	size_t code_len = clear_ars ? sizeof(code) : sizeof(code) - 4;
	uint8_t page[0x300] = { 0 };
	uint64_t r1 = vcpu_gr(m, 1), mask = vcpu_pswm(m), pc = vcpu_pc(m);
	uint64_t smask = PSW_MASK_64, base = STUB_ADDR;
	uc_err e;

	memcpy(page, code, code_len);
	for (int i = 0; i < 16; i++) {
		for (int j = 0; j < 8; j++)
			page[STUB_DATA + i * 8 + j] =
				(uint8_t)(m->cpu.cr[i] >> (56 - 8 * j));
	}
	for (int j = 0; j < 4; j++)
		page[STUB_PREFIX + j] =
			(uint8_t)(m->cpu.prefix >> (24 - 8 * j));
	e = uc_mem_map(m->uc, STUB_ADDR, 4096, UC_PROT_ALL);
	if (e == UC_ERR_OK)
		e = uc_mem_write(m->uc, STUB_ADDR, page, sizeof(page));
	if (e != UC_ERR_OK) {
		uc_mem_unmap(m->uc, STUB_ADDR, 4096);
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "CPU reset: cannot map the reset stub: %s",
				  uc_strerror(e));
	}
	m->in_stub = true;
	vcpu_set_gr(m, 1, base);
	uc_reg_write(m->uc, UC_S390X_REG_PSWM, &smask);
	e = uc_emu_start(m->uc, STUB_ADDR, STUB_ADDR + code_len, 0, 0);
	m->in_stub = false;
	uc_mem_unmap(m->uc, STUB_ADDR, 4096);
	vcpu_set_gr(m, 1, r1);
	uc_reg_write(m->uc, UC_S390X_REG_PSWM, &mask);
	uc_reg_write(m->uc, UC_S390X_REG_PC, &pc);
	if (e != UC_ERR_OK)
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "CPU reset: the reset stub failed: %s",
				  uc_strerror(e));
	return 0;
}

/*
 * CPU resets (pv-machine-and-uv.md §1.7, QEMU s390_cpu_reset_hold):
 * normal clears pending CPU-local state and keeps GPRs and PSW; initial
 * also resets CR0 = 0xE0, CR14 = 0xC2000000, the other CRs and the prefix
 * to 0; clear also zeroes the GPRs and access registers.  (Unicorn offers
 * no way to write FPRs; without AFP in CR0 only f0/f2/f4/f6 are usable.)
 */
int vcpu_reset(struct pv_machine *m, enum vcpu_reset_kind kind,
	      struct pv_err **err)
{
	if (kind == CPU_RESET_NORMAL)
		return 0;
	memset(m->cpu.cr, 0, sizeof(m->cpu.cr));
	m->cpu.cr[0] = CR0_RESET;
	m->cpu.cr[14] = CR14_RESET;
	m->cpu.prefix = 0;
	if (kind == CPU_RESET_CLEAR) {
		for (int i = 0; i < 16; i++)
			vcpu_set_gr(m, i, 0);
	}
	return stub_load_cr(m, kind == CPU_RESET_CLEAR, err);
}
