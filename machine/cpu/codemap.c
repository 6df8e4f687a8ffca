// SPDX-License-Identifier: MIT
/*
 * Which guest pages hold translated code, and what a store must do.
 *
 * QEMU marks a TLB entry "not dirty" only while its page holds translated
 * code, so that a store there takes the slow path and drops the stale
 * translations (self-modifying code).  Unicorn 2.0.1 stubs the dirty
 * bitmap: every writable RAM entry is "not dirty" for ever and every guest
 * store takes the slow path, 85-105 ns instead of about 1
 * (linux-guest-feasibility.md §3).  The machine keeps the code bitmap
 * itself: Unicorn reports each page that gains translated code
 * (tlb_protect_code) and each that loses the last of it
 * (tlb_unprotect_code); a new TLB entry for a page without code loses the
 * flag again.
 *
 * With several CPUs each engine has its own translations, so the bitmap
 * is kept per CPU and a page is code while any CPU has code there; a
 * store that reaches the slow path drops the translations of every CPU.
 * Host writes into guest RAM (UV unpack, image load, device DMA) go
 * through codemap_written().
 */
#include <stdlib.h>
#include <string.h>

#include "../machine_priv.h"
#include "interpose.h"

#define EXPORT __attribute__((visibility("default"), used))
#define TLB_NOTDIRTY 0x400ULL		/* 1 << (TARGET_PAGE_BITS_MIN - 2) */
#define PAGE_MASK_ (~0xfffULL)

int codemap_init(struct pv_machine *m, struct pv_err **err)
{
	m->code.pages = m->ram_size >> 12;
	m->code.count = calloc(m->code.pages, 1);
	if (!m->code.count)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "machine: no memory for the code map");
	return 0;
}

void codemap_free(struct pv_machine *m)
{
	free(m->code.count);
	m->code.count = NULL;
}

static struct vcpu *vcpu_of_uc(void *uc)
{
	struct vcpu *v = ip_cur;
	struct pv_machine *m;

	if (!v)
		return NULL;
	if (v->uc == uc)
		return v;
	m = v->m;
	for (unsigned int i = 0; i < m->ncpus; i++)
		if (m->cpus[i]->uc == uc)
			return m->cpus[i];
	return NULL;
}

/* Guest page number of a RAM address of Unicorn, or -1. */
static int64_t page_of(struct vcpu *v, uint64_t ram_addr)
{
	uint8_t *host = uc_core.map_ram_ptr(v->uc, NULL, ram_addr & PAGE_MASK_);
	struct pv_machine *m = v->m;

	if (!host || host < m->ram || host >= m->ram + m->ram_size)
		return -1;
	return (host - m->ram) >> 12;
}

static bool has_code(const struct vcpu *v, uint64_t pg)
{
	return v->codebits && (v->codebits[pg / 8] & (1U << (pg % 8)));
}

/* Unicorn: translated code now lives in the page at @ram_addr. */
EXPORT void tlb_protect_code_s390x(void *uc, uint64_t ram_addr)
{
	struct vcpu *v = vcpu_of_uc(uc);
	struct pv_machine *m;
	int64_t pg;

	uc_core.o_tlb_protect_code(uc, ram_addr);
	if (!v || !v->codebits || (pg = page_of(v, ram_addr)) < 0)
		return;
	m = v->m;
	if (has_code(v, (uint64_t)pg))
		return;
	v->codebits[pg / 8] |= (uint8_t)(1U << (pg % 8));
	if (m->code.count[pg]++)
		return;
	/* Stores to the page from any CPU must see the code from now on. */
	for (unsigned int i = 0; i < m->ncpus; i++)
		uc_core.tlb_reset_dirty(m->cpus[i]->cs,
					(uintptr_t)(m->ram + (pg << 12)), 4096);
}

/* Unicorn: the last translation of the page at @ram_addr is gone. */
EXPORT void tlb_unprotect_code_s390x(void *uc, uint64_t ram_addr)
{
	struct vcpu *v = vcpu_of_uc(uc);
	int64_t pg;

	uc_core.o_tlb_unprotect_code(uc, ram_addr);
	if (!v || !v->codebits || (pg = page_of(v, ram_addr)) < 0 ||
	    !has_code(v, (uint64_t)pg))
		return;
	v->codebits[pg / 8] &= (uint8_t)~(1U << (pg % 8));
	v->m->code.count[pg]--;
}

/*
 * A new TLB entry: writable RAM without translated code needs no slow
 * path (QEMU does the same through its dirty bitmap).
 */
EXPORT void tlb_set_page_with_attrs_s390x(void *cs, uint64_t vaddr,
					  uint64_t paddr, uint32_t attrs,
					  int prot, int mmu_idx, uint64_t size)
{
	struct vcpu *v = ip_cur;
	uintptr_t mask, addend;
	uint8_t *table, *ent, *host;
	uint64_t vp = vaddr & PAGE_MASK_, aw;

	uc_core.o_tlb_set_page(cs, vaddr, paddr, attrs, prot, mmu_idx, size);
	if (!v || v->cs != cs || v->m->in_stub || mmu_idx < 0 || mmu_idx > 3)
		return;
	memcpy(&mask, v->env + ENV_TLB_FAST + 16 * mmu_idx, sizeof(mask));
	memcpy(&table, v->env + ENV_TLB_FAST + 16 * mmu_idx + 8,
	       sizeof(table));
	ent = table + (((vp >> 12) & (mask >> 5)) << 5);
	memcpy(&aw, ent + 8, 8);
	if (aw != (vp | TLB_NOTDIRTY))
		return;
	memcpy(&addend, ent + 24, sizeof(addend));
	host = (uint8_t *)(uintptr_t)(vp + addend);
	if (host < v->m->ram || host >= v->m->ram + v->m->ram_size ||
	    v->m->code.count[(host - v->m->ram) >> 12])
		return;
	aw = vp;
	memcpy(ent + 8, &aw, 8);
}

/* Drop the translations of @abs..+len in every CPU but @except. */
static void invalidate_others(struct pv_machine *m, struct vcpu *except,
			      uint64_t abs, uint64_t len)
{
	for (unsigned int i = 0; i < m->ncpus; i++) {
		struct vcpu *o = m->cpus[i];

		if (o == except)
			continue;
		for (uint64_t a = abs & PAGE_MASK_; a < abs + len; a += 4096) {
			if (!has_code(o, a >> 12))
				continue;
			uc_core.tb_invalidate_range(o->uc, a < abs ? abs : a,
						    a + 4096 < abs + len ?
							    a + 4096 :
							    abs + len);
		}
	}
}

/* A guest store reached translated code: every CPU's goes, not only the
 * storing CPU's. */
EXPORT void tb_invalidate_phys_page_fast_s390x(void *uc, void *pages,
					       uint64_t start, int len,
					       uintptr_t ra)
{
	struct vcpu *v = vcpu_of_uc(uc);
	int64_t pg;

	if (v && v->m->ncpus > 1 && (pg = page_of(v, start)) >= 0 &&
	    v->m->code.count[pg] > has_code(v, (uint64_t)pg))
		invalidate_others(v->m, v, ((uint64_t)pg << 12) |
				  (start & 0xfff), (uint64_t)len);
	uc_core.o_tb_invalidate_fast(uc, pages, start, len, ra);
}

/* Drop every translation of @v (cheaper than Unicorn's tb_flush, which
 * clears its whole code buffer). */
void codemap_invalidate_cpu(struct vcpu *v)
{
	uint64_t pages = v->m->ram_size >> 12;

	for (uint64_t pg = 0; pg < pages; pg++)
		if (has_code(v, pg))
			uc_core.tb_invalidate_range(v->uc, pg << 12,
						    (pg + 1) << 12);
}

/* The host wrote guest RAM: no CPU may run stale translations of it. */
void codemap_written(struct pv_machine *m, uint64_t abs, uint64_t len)
{
	if (!len || abs >= m->ram_size)
		return;
	if (len > m->ram_size - abs)
		len = m->ram_size - abs;
	for (uint64_t pg = abs >> 12; pg <= (abs + len - 1) >> 12; pg++) {
		if (m->code.count[pg]) {
			invalidate_others(m, NULL, abs, len);
			return;
		}
	}
}

const void *const codemap_table[] = {
	(const void *)tlb_protect_code_s390x,
	(const void *)tlb_unprotect_code_s390x,
	(const void *)tlb_set_page_with_attrs_s390x,
	(const void *)tb_invalidate_phys_page_fast_s390x,
	NULL
};
