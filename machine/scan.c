// SPDX-License-Identifier: MIT
/*
 * Interception (guest-cpu-feasibility.md §2 (b)): a block hook sees every
 * translation block (TB) start; the first time a TB is seen its bytes are
 * scanned and every instruction the host must emulate gets a code hook on
 * exactly its address; then the TB is dropped from Unicorn's cache and PC
 * is rewritten so that it is translated again with the hooks in.  A TB
 * whose bytes changed since the scan (code loaded over old code) is
 * scanned again.  --trace instead hooks every instruction.
 *
 * Host writes into guest RAM (UV unpack and zeroing, image reload) leave
 * stale TBs behind; they are collected as a dirty range and removed from
 * the cache before the guest runs again (never TB_FLUSH from a hook).
 */
#include <stdlib.h>
#include <string.h>

#include "machine_priv.h"

#define TB_INIT_CAP 4096
#define BYTES_MAX (64ULL << 20)
#define ABS_NOCMP UINT64_MAX	/* TB bytes not contiguous in RAM */

static uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* ---- set of hooked instruction addresses -------------------------------- */

static bool hooked_has(struct scan *s, uint64_t a)
{
	uint64_t i = hash64(a) & (s->hooked_cap - 1);

	/* Slots hold address + 1 so that 0 marks a free slot. */
	while (s->hooked[i]) {
		if (s->hooked[i] == a + 1)
			return true;
		i = (i + 1) & (s->hooked_cap - 1);
	}
	return false;
}

static void hooked_put(struct scan *s, uint64_t a)
{
	uint64_t i = hash64(a) & (s->hooked_cap - 1);

	while (s->hooked[i])
		i = (i + 1) & (s->hooked_cap - 1);
	s->hooked[i] = a + 1;
	s->hooked_used++;
}

/* ---- seen TBs ----------------------------------------------------------- */

static struct seen_tb *tb_find(struct scan *s, uint64_t addr)
{
	uint64_t i = hash64(addr) & (s->tb_cap - 1);

	while (s->tb[i].used) {
		if (s->tb[i].addr == addr)
			return &s->tb[i];
		i = (i + 1) & (s->tb_cap - 1);
	}
	return NULL;
}

static struct seen_tb *tb_slot(struct scan *s, uint64_t addr)
{
	uint64_t i = hash64(addr) & (s->tb_cap - 1);

	while (s->tb[i].used && s->tb[i].addr != addr)
		i = (i + 1) & (s->tb_cap - 1);
	return &s->tb[i];
}

static bool tb_grow(struct scan *s)
{
	struct seen_tb *old = s->tb;
	uint64_t cap = s->tb_cap;
	struct seen_tb *n = calloc(cap * 2, sizeof(*n));

	if (!n)
		return false;
	s->tb = n;
	s->tb_cap = cap * 2;
	s->last = NULL;
	for (uint64_t i = 0; i < cap; i++)
		if (old[i].used)
			*tb_slot(s, old[i].addr) = old[i];
	free(old);
	return true;
}

static bool bytes_store(struct scan *s, const uint8_t *p, uint32_t n,
			uint32_t *off)
{
	if (s->bytes_len + n > s->bytes_cap) {
		uint64_t cap = s->bytes_cap ? s->bytes_cap * 2 : 1 << 20;
		uint8_t *nb;

		while (cap < s->bytes_len + n)
			cap *= 2;
		if (cap > BYTES_MAX)
			return false;
		nb = realloc(s->bytes, cap);
		if (!nb)
			return false;
		s->bytes = nb;
		s->bytes_cap = cap;
	}
	memcpy(s->bytes + s->bytes_len, p, n);
	*off = (uint32_t)s->bytes_len;
	s->bytes_len += n;
	return true;
}

void scan_forget_all(struct pv_machine *m)
{
	struct scan *s = &m->scan;

	memset(s->tb, 0, s->tb_cap * sizeof(*s->tb));
	s->tb_used = 0;
	s->last = NULL;
	s->bytes_len = 0;
}

/* ---- hooks -------------------------------------------------------------- */

static void hook_narrow(uc_engine *uc, uint64_t addr, uint32_t size,
			void *opaque)
{
	struct pv_machine *m = opaque;

	if (m->in_stub || m->scan.full_hook)
		return;
	intercept_insn(m, addr, false);
}

static void hook_all(uc_engine *uc, uint64_t addr, uint32_t size,
		     void *opaque)
{
	struct pv_machine *m = opaque;

	if (m->in_stub)
		return;
	m->st.guest_insns++;
	intercept_insn(m, addr, false);
}

/* Hook every instruction from now on (trace mode, or too many hooks). */
static int enable_full_hook(struct pv_machine *m)
{
	uc_err e;

	if (m->scan.full_hook)
		return 0;
	e = uc_hook_add(m->uc, &m->hk_all, UC_HOOK_CODE, (void *)hook_all, m,
			1, 0);
	if (e != UC_ERR_OK)
		return -1;
	m->scan.full_hook = true;
	return 0;
}

static bool add_narrow_hook(struct pv_machine *m, uint64_t a)
{
	struct scan *s = &m->scan;
	uc_hook h;

	if (hooked_has(s, a))
		return false;
	if (s->hooked_used >= SCAN_MAX_HOOKS) {
		if (enable_full_hook(m))
			mach_fatal(m, "cannot add the instruction hook");
		uc_ctl_remove_cache(m->uc, 0, m->ram_size);
		return true;
	}
	if (uc_hook_add(m->uc, &h, UC_HOOK_CODE, (void *)hook_narrow, m, a,
			a) != UC_ERR_OK) {
		mach_fatal(m, "cannot hook the instruction at 0x%llx",
			   (unsigned long long)a);
		return false;
	}
	hooked_put(s, a);
	return true;
}

/*
 * First sight (or changed bytes) of the TB at @addr: hook the intercepted
 * instructions in it.  Returns true when the TB must be translated again
 * (new hooks, or bytes that changed since the last scan).
 */
static bool scan_tb(struct pv_machine *m, uint64_t addr, uint32_t size)
{
	struct scan *s = &m->scan;
	uint64_t mask = vcpu_pswm(m), abs, abs_end;
	struct seen_tb *e = tb_find(s, addr);
	uint8_t buf[4096 + 8];
	uint32_t off, n = 0;
	/*
	 * Seen before, same size, other bytes: the host may have written
	 * them behind Unicorn's back, so translate again in any case.  (A
	 * different size is another translation mode, not new code.)
	 */
	bool added = e && e->size == size;

	if (size > 4096)
		return false;
	if (mem_translate(m, mask, addr, false, &abs) ||
	    mem_translate(m, mask, addr + size - 1, false, &abs_end) ||
	    mem_read_logical(m, mask, addr, buf, size))
		return false;	/* Unicorn raises the access exception */
	if (abs_end != abs + size - 1)
		abs = ABS_NOCMP;
	memset(buf + size, 0, 8);
	for (off = 0; off < size; off += insn_len(buf[off]), n++) {
		uint16_t key = insn_key(buf + off);

		if (insn_intercepted(key))
			added |= add_narrow_hook(m, addr + off);
	}
	if (s->tb_used * 2 >= s->tb_cap && !tb_grow(s))
		scan_forget_all(m);
	if (!bytes_store(s, buf, size, &off)) {
		scan_forget_all(m);
		if (!bytes_store(s, buf, size, &off))
			return added;
	}
	e = tb_slot(s, addr);
	if (!e->used)
		s->tb_used++;
	e->used = true;
	e->addr = addr;
	e->abs = abs;
	e->size = size;
	e->ninsn = n;
	e->bytes_off = off;
	if (added) {
		uc_ctl_remove_cache(m->uc, addr, addr + size);
		uc_reg_write(m->uc, UC_S390X_REG_PC, &addr);
	}
	return added;
}

static void check_timeout(struct pv_machine *m)
{
	if (m->interrupted && m->interrupted()) {
		mach_fatal(m, "interrupted at PSW %016llx %016llx",
			   (unsigned long long)vcpu_pswm(m),
			   (unsigned long long)vcpu_pc(m));
		return;
	}
	if (m->deadline_ns && mach_now_ns() > m->deadline_ns) {
		m->exit.reason = EXIT_TIMEOUT;
		m->exit.mask = vcpu_pswm(m);
		m->exit.addr = vcpu_pc(m);
		uc_emu_stop(m->uc);
	}
}

/*
 * Same bytes as when the TB was scanned?  Word compares for the common
 * small TBs: this runs for every TB executed.
 */
static bool tb_same(const struct pv_machine *m, const struct seen_tb *e)
{
	const uint8_t *a = m->ram + e->abs, *b = m->scan.bytes + e->bytes_off;
	uint32_t n = e->size, i;
	uint64_t x, y;

	if (e->abs == ABS_NOCMP)
		return true;
	if (n < 8 || n > 64)
		return !memcmp(a, b, n);
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return x == y;
}

static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size,
		       void *opaque)
{
	struct pv_machine *m = opaque;
	struct seen_tb *e;
	uint64_t mask;

	if (m->in_stub || !size)
		return;
	if (m->exit.reason != EXIT_NONE) {
		uc_emu_stop(uc);	/* an exit a PC write overrode */
		return;
	}
	m->st.blocks++;
	if (!m->scan.full_hook) {
		e = m->scan.last;
		if (!e || e->addr != addr || !e->used)
			e = tb_find(&m->scan, addr);
		if (!e || e->size != size || !tb_same(m, e)) {
			m->scan.last = NULL;
			if (scan_tb(m, addr, size))
				return;
			e = tb_find(&m->scan, addr);
		}
		m->scan.last = e;
		if (e)
			m->st.guest_insns += e->ninsn;
	}
	if (!(++m->tick & 0xffff))
		check_timeout(m);
	if (m->sig_pending) {
		mask = vcpu_pswm(m);
		if (irq_ext_deliverable(m, mask))
			irq_ext_deliver(m, mask, addr);
	}
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *opaque)
{
	struct pv_machine *m = opaque;
	uint64_t pc = vcpu_pc(m), mask;

	if (m->in_stub) {
		uc_emu_stop(uc);
		return;
	}
	switch (intno) {
	case UC_EXCP_PGM:
		intercept_insn(m, pc, true);
		break;
	case UC_EXCP_SVC: {
		struct insn in;

		mask = vcpu_pswm(m);
		if (insn_fetch(m, mask, pc, &in) || in.b[0] != 0x0a) {
			mach_fatal(m, "SVC interruption at 0x%llx without an SVC instruction",
				   (unsigned long long)pc);
			break;
		}
		m->cpu.mask = mask;
		intercept_finish(m, &in, irq_svc(m, in.b[1], in.len, mask,
						 pc + in.len));
		break;
	}
	default:
		mach_fatal(m, "unexpected CPU exception %u at PSW %016llx %016llx",
			   intno, (unsigned long long)vcpu_pswm(m),
			   (unsigned long long)pc);
		break;
	}
}

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr,
			  int size, int64_t value, void *opaque)
{
	struct pv_machine *m = opaque;

	if (m->in_stub)
		return false;
	m->exit.reason = EXIT_ADDRESSING;
	m->exit.fault = addr;
	return false;
}

int scan_init(struct pv_machine *m, struct pv_err **err)
{
	struct scan *s = &m->scan;
	uc_err e;

	s->tb_cap = TB_INIT_CAP;
	s->tb = calloc(s->tb_cap, sizeof(*s->tb));
	s->hooked_cap = SCAN_MAX_HOOKS * 4;
	s->hooked = calloc(s->hooked_cap, sizeof(*s->hooked));
	if (!s->tb || !s->hooked)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "machine: no memory for the TB scan tables");
	e = uc_hook_add(m->uc, &m->hk_block, UC_HOOK_BLOCK, (void *)hook_block,
			m, 1, 0);
	if (e == UC_ERR_OK)
		e = uc_hook_add(m->uc, &m->hk_intr, UC_HOOK_INTR,
				(void *)hook_intr, m, 1, 0);
	if (e == UC_ERR_OK)
		e = uc_hook_add(m->uc, &m->hk_unmapped, UC_HOOK_MEM_UNMAPPED,
				(void *)hook_unmapped, m, 1, 0);
	if (e == UC_ERR_OK && m->tr && enable_full_hook(m))
		e = UC_ERR_HOOK;
	if (e != UC_ERR_OK)
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "machine: cannot install the CPU hooks: %s",
				  uc_strerror(e));
	s->dirty_lo = UINT64_MAX;
	return 0;
}

void scan_free(struct pv_machine *m)
{
	free(m->scan.tb);
	free(m->scan.hooked);
	free(m->scan.bytes);
	memset(&m->scan, 0, sizeof(m->scan));
}

void scan_mark_dirty(struct pv_machine *m, uint64_t abs, uint64_t len)
{
	struct scan *s = &m->scan;

	if (abs < s->dirty_lo)
		s->dirty_lo = abs;
	if (abs + len > s->dirty_hi || s->dirty_hi == 0)
		s->dirty_hi = abs + len;
}

static void remove_real(struct pv_machine *m, uint64_t lo, uint64_t hi)
{
	if (hi > lo)
		uc_ctl_remove_cache(m->uc, lo, hi);
}

/*
 * Drop the TBs of the dirty range.  Unicorn resolves the start address
 * through the CPU's current translation mode, so DAT is switched off for
 * the call; with a prefix the two lowcore areas are dropped as well.
 */
void scan_flush(struct pv_machine *m)
{
	struct scan *s = &m->scan;
	uint64_t mask, plain = PSW_MASK_64, p = m->cpu.prefix;

	if (s->dirty_hi <= s->dirty_lo) {
		s->dirty_lo = UINT64_MAX;
		s->dirty_hi = 0;
		return;
	}
	mask = vcpu_pswm(m);
	uc_reg_write(m->uc, UC_S390X_REG_PSWM, &plain);
	remove_real(m, s->dirty_lo, s->dirty_hi);
	if (p && (s->dirty_lo < LC_SIZE ||
		  (s->dirty_lo < p + LC_SIZE && s->dirty_hi > p))) {
		remove_real(m, 0, LC_SIZE);
		remove_real(m, p, p + LC_SIZE);
	}
	uc_reg_write(m->uc, UC_S390X_REG_PSWM, &mask);
	s->dirty_lo = UINT64_MAX;
	s->dirty_hi = 0;
}
