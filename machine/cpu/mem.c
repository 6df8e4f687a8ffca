// SPDX-License-Identifier: MIT
/*
 * Guest memory as the CPU and its firmware see it: logical addresses go
 * through the CPU's own DAT (QEMU's mmu_translate inside Unicorn, so the
 * machine and the guest's instructions can never disagree about a
 * translation) and prefixing to absolute addresses in guest RAM.  The
 * hypervisor never uses these (see hv_mem.c).
 */
#include <string.h>

#include "pvboot/be.h"

#include "../machine_priv.h"

#define MMU_DATA_STORE 1

/* Pointer to [abs, abs + len) in guest RAM, or NULL when it leaves RAM. */
uint8_t *mem_abs(struct pv_machine *m, uint64_t abs, uint64_t len)
{
	if (abs > m->ram_size || len > m->ram_size - abs)
		return NULL;
	return m->ram + abs;
}

/* Prefixing: real pages 0-1 and the prefix pages trade places. */
uint64_t mem_real_to_abs(const struct vcpu *v, uint64_t real)
{
	uint64_t p = vcpu_prefix(v);

	if (real < LC_SIZE)
		return real + p;
	if (p && real >= p && real < p + LC_SIZE)
		return real - p;
	return real;
}

/*
 * Logical to absolute for one byte under the PSW @mask (its DAT and
 * address-space bits must be the CPU's current ones).  @rw: 0 read,
 * 1 write, 2 instruction fetch.  Returns 0 or the program-interruption
 * code, with the translation-exception identification in @tec.
 */
int mem_translate(struct vcpu *v, uint64_t mask, uint64_t laddr, int rw,
		  uint64_t *abs, uint64_t *tec)
{
	uint64_t va = addr_wrap(mask, laddr), asc = mask & PSW_ASC, raddr = 0;
	int flags = 0, rc;

	*tec = 0;
	if (asc == 0x0000400000000000ULL)	/* AR mode: ALET 0, primary */
		asc = 0;
	rc = uc_core.mmu_translate(v->env, va, rw, asc, &raddr, &flags, tec);
	if (rc)
		return rc;
	*abs = raddr | (va & 0xfff);
	if (*abs >= v->m->ram_size)
		return PGM_ADDRESSING;
	return 0;
}

/* Walk [laddr, laddr + len) page by page. */
static int walk(struct vcpu *v, uint64_t laddr, uint8_t *buf, uint64_t len,
		bool write, uint64_t *tec)
{
	uint64_t mask = vcpu_pswm(v);

	while (len) {
		uint64_t abs, n = 4096 - (laddr & 0xfff);
		int rc;

		if (n > len)
			n = len;
		rc = mem_translate(v, mask, laddr, write ? MMU_DATA_STORE : 0,
				   &abs, tec);
		if (rc)
			return rc;
		if (write) {
			memcpy(v->m->ram + abs, buf, n);
			codemap_written(v->m, abs, n);
		} else {
			memcpy(buf, v->m->ram + abs, n);
		}
		buf += n;
		len -= n;
		laddr = addr_wrap(mask, laddr + n);
	}
	return 0;
}

/*
 * Access operands at logical addresses under the current PSW.  Returns 0
 * or the program-interruption code of the first failing page; nothing is
 * written when the first page fails.
 */
int mem_read_logical(struct vcpu *v, uint64_t laddr, void *buf, uint64_t len,
		     uint64_t *tec)
{
	return walk(v, laddr, buf, len, false, tec);
}

int mem_write_logical(struct vcpu *v, uint64_t laddr, const void *buf,
		      uint64_t len, uint64_t *tec)
{
	uint64_t abs, last = laddr + (len ? len - 1 : 0);
	int rc;

	/* Check both ends first: a store is not done in part. */
	rc = mem_translate(v, vcpu_pswm(v), last, MMU_DATA_STORE, &abs, tec);
	if (rc)
		return rc;
	return walk(v, laddr, (uint8_t *)buf, len, true, tec);
}

/* The access exception of an instruction's operand: TEC, then raise. */
static void access_fault(struct vcpu *v, int code, uint64_t tec,
			 uintptr_t ra)
{
	uint8_t *lc = mem_lowcore(v);

	if (code != PGM_ADDRESSING && lc)
		pv_put_be64(lc + LC_TEC, tec);
	vcpu_raise(v, (uint16_t)code, ra);
}

void mem_read_op(struct vcpu *v, uint64_t laddr, void *buf, uint64_t len,
		 uintptr_t ra)
{
	uint64_t tec;
	int rc = mem_read_logical(v, laddr, buf, len, &tec);

	if (rc)
		access_fault(v, rc, tec, ra);
}

void mem_probe_write_op(struct vcpu *v, uint64_t laddr, uint64_t len,
			uintptr_t ra)
{
	uint64_t abs, tec;
	int rc = mem_translate(v, vcpu_pswm(v), laddr, 1, &abs, &tec);

	if (!rc && len > 1)
		rc = mem_translate(v, vcpu_pswm(v), laddr + len - 1, 1, &abs,
				   &tec);
	if (rc)
		access_fault(v, rc, tec, ra);
}

void mem_write_op(struct vcpu *v, uint64_t laddr, const void *buf,
		  uint64_t len, uintptr_t ra)
{
	uint64_t tec;
	int rc = mem_write_logical(v, laddr, buf, len, &tec);

	if (rc)
		access_fault(v, rc, tec, ra);
}
