// SPDX-License-Identifier: MIT
/*
 * One Unicorn engine per guest CPU.  Guest RAM is the same host memory in
 * every engine; the machine reads and writes the CPU state in Unicorn's
 * own structure (env.h), found and checked by probe.c when the engine is
 * made.  Registers, PSW, control registers and the prefix have no shadow
 * copies: what the guest sees is what the machine sees.
 */
#include <stdlib.h>
#include <string.h>

#include "../machine_priv.h"
#include "interpose.h"

extern const void *const codemap_table[];

/* Unicorn's CPU_INTERRUPT_HARD: "an interruption may be pending". */
#define UC_INTERRUPT_HARD 0x0002

int vcpu_new(struct pv_machine *m, unsigned int id, struct vcpu **out,
	     struct pv_err **err)
{
	struct vcpu *v = calloc(1, sizeof(*v));
	uc_err e;
	int rc;

	*out = NULL;
	if (!v)
		return pv_err_set(err, PV_ERR_NOMEM, "machine: out of memory");
	v->m = m;
	v->id = id;
	v->state = id ? VCPU_STOPPED : VCPU_OPERATING;
	atomic_store(&v->ckc, UINT64_MAX);
	atomic_store(&v->cputm_at, INT64_MAX);
	e = uc_open(UC_ARCH_S390X, UC_MODE_BIG_ENDIAN, &v->uc);
	if (e != UC_ERR_OK) {
		free(v);
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "cannot open the Unicorn s390x CPU %u: %s",
				  id, uc_strerror(e));
	}
	e = uc_mem_map_ptr(v->uc, 0, m->ram_size, UC_PROT_ALL, m->ram);
	if (e != UC_ERR_OK) {
		rc = pv_err_set(err, PV_ERR_INTERNAL,
				"cannot map %llu bytes of guest memory into CPU %u: %s",
				(unsigned long long)m->ram_size, id,
				uc_strerror(e));
		goto fail;
	}
	/* The replacements live in objects nothing else calls: keep them. */
	if (!interpose_table[0] || !codemap_table[0]) {
		rc = pv_err_set(err, PV_ERR_INTERNAL, "machine: no CPU glue");
		goto fail;
	}
	rc = irq_install_hook(v, err);
	if (!rc)
		rc = probe_engine(v, id == 0, err);
	if (rc)
		goto fail;
	/* STIDP: version 0x00, CPU identification = address, model 0x3906
	 * (a z14, the oldest machine with Secure Execution's UV calls). */
	env_set64(v->env, ENV_CPUID, (uint64_t)(id & 0xff) << 48 |
		  0x3906ULL << 16 | 0x8000ULL);
	env_set32(v->env, ENV_CORE_ID, id);
	vcpu_reset(v, CPU_RESET_CLEAR);
	*out = v;
	return 0;
fail:
	uc_close(v->uc);
	free(v);
	return rc;
}

void vcpu_free(struct vcpu *v)
{
	if (!v)
		return;
	if (v->uc)
		uc_close(v->uc);
	free(v);
}

uint64_t vcpu_gr(const struct vcpu *v, int n)
{
	return env_get64(v->env, ENV_REGS + 8 * n);
}

void vcpu_set_gr(struct vcpu *v, int n, uint64_t val)
{
	env_set64(v->env, ENV_REGS + 8 * n, val);
}

/* An operand address: displacement @d plus GR @x and GR @b (0: none). */
uint64_t vcpu_ea(const struct vcpu *v, uint64_t mask, unsigned int x,
		 unsigned int b, int64_t d)
{
	uint64_t a = (uint64_t)d;

	if (x)
		a += vcpu_gr(v, (int)x);
	if (b)
		a += vcpu_gr(v, (int)b);
	return addr_wrap(mask, a);
}

/* FPR n is the left doubleword of vector register n. */
uint64_t vcpu_fpr(const struct vcpu *v, int n)
{
	return env_get64(v->env, ENV_VREGS + 16 * n);
}

void vcpu_set_fpr(struct vcpu *v, int n, uint64_t val)
{
	env_set64(v->env, ENV_VREGS + 16 * n, val);
}

/* The PSW mask with the condition code folded in (Unicorn keeps it lazy). */
uint64_t vcpu_pswm(const struct vcpu *v)
{
	return uc_core.get_psw_mask(v->env);
}

uint64_t vcpu_pc(const struct vcpu *v)
{
	return env_get64(v->env, ENV_PSW_ADDR);
}

uint64_t vcpu_cr(const struct vcpu *v, int n)
{
	return env_get64(v->env, ENV_CREGS + 8 * n);
}

uint32_t vcpu_prefix(const struct vcpu *v)
{
	return (uint32_t)env_get64(v->env, ENV_PSA);
}

/*
 * Load a PSW as an interruption or the host does: only between
 * instructions (hooks, or outside the CPU loop).
 */
void vcpu_load_psw(struct vcpu *v, uint64_t mask, uint64_t addr)
{
	fxo_psw_changed(v, mask);
	env_set64(v->env, ENV_PSW_MASK, mask & ~PSW_CC);
	env_set64(v->env, ENV_PSW_ADDR, addr);
	env_set32(v->env, ENV_CC_OP, (uint32_t)((mask >> PSW_CC_SHIFT) & 3));
}

/* The CC an instruction helper returns through Unicorn's cc_op. */
void vcpu_set_cc(struct vcpu *v, int cc)
{
	env_set32(v->env, ENV_CC_OP, (uint32_t)cc & 3);
}

/* z/Architecture PSW validity (early specification-exception rules). */
bool psw_valid(uint64_t mask, uint64_t addr)
{
	if (mask & PSW_MASK_INVALID)
		return false;
	if ((mask & PSW_EA) && !(mask & PSW_BA))
		return false;
	/* a wait state fetches nothing: IBM's loaders wait at odd codes */
	if ((addr & 1) && !(mask & PSW_WAIT))
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

void vcpu_set_prefix(struct vcpu *v, uint32_t prefix)
{
	env_set64(v->env, ENV_PSA, prefix & 0x7fffe000U);
	uc_core.tlb_flush(v->cs);
}

/*
 * CPU resets (pv-machine-and-uv.md §1.7, QEMU s390_cpu_reset): normal
 * clears pending CPU-local interruptions and keeps registers and PSW;
 * initial also resets CR0 = 0xE0, CR14 = 0xC2000000, the other CRs, the
 * prefix, the CPU timer, the clock comparator, the FPC and the TOD
 * programmable register; clear also zeroes the GPRs, access registers
 * and floating-point registers.
 */
void vcpu_reset(struct vcpu *v, enum vcpu_reset_kind kind)
{
	uint8_t *env = v->env;

	v->irq = 0;
	memset(v->emergency, 0, sizeof(v->emergency));
	v->pgm_repeat = 0;
	uc_core.reset_interrupt(v->cs, UC_INTERRUPT_HARD);
	if (kind == CPU_RESET_NORMAL)
		return;
	memset(env + ENV_CREGS, 0, 16 * 8);
	env_set64(env, ENV_CREGS, CR0_RESET);
	env_set64(env, ENV_CREGS + 14 * 8, CR14_RESET);
	env_set64(env, ENV_PSA, 0);
	bfptrap_fpc_loading(v, 0);
	env_set32(env, ENV_FPC, 0);
	env_set32(env, ENV_TODPR, 0);
	env_set64(env, ENV_EX_VALUE, 0);
	atomic_store(&v->ckc, 0);
	atomic_store(&v->ckc_fired, false);
	cputm_set(v, 0);
	v->pfault_token = PFAULT_NONE;
	/* initial and clear reset: PSW, prefix, timers zero (PoO 4-50) */
	vcpu_load_psw(v, 0, 0);
	if (kind == CPU_RESET_CLEAR) {
		memset(env + ENV_REGS, 0, 16 * 8);
		memset(env + ENV_AREGS, 0, 16 * 4);
		memset(env + ENV_VREGS, 0, 32 * 16);
	}
	uc_core.tlb_flush(v->cs);
}

/*
 * Ask the CPU to look at its interruption conditions at the next
 * instruction boundary.  From the CPU thread only.
 */
void vcpu_irq_changed(struct vcpu *v)
{
	(*uc_core.interrupt_handler)(v->cs, UC_INTERRUPT_HARD);
	if (v->running)
		uc_core.cpu_exit(v->cs);
}

/* A floating interruption became pending: every CPU may take it. */
void machine_irq_changed(struct pv_machine *m)
{
	for (unsigned int i = 0; i < m->ncpus; i++)
		vcpu_irq_changed(m->cpus[i]);
}

/*
 * From any thread: make the CPU leave its translated code at the next
 * block boundary and act on @why (cpu/interpose.c, cpu_exec).
 */
void vcpu_kick(struct vcpu *v, unsigned int why)
{
	atomic_fetch_or(&v->kick, why);
	uc_core.cpu_exit(v->cs);
}

/* The PSW of the instruction a helper runs (it is lazy inside a TB). */
void vcpu_sync_psw(struct vcpu *v, uintptr_t ra)
{
	uc_core.restore_state(v->cs, ra, false);
}

void vcpu_raise(struct vcpu *v, uint16_t code, uintptr_t ra)
{
	uc_core.program_interrupt(v->env, code, ra);
}

/*
 * Complete the instruction at @ra (of @ilen bytes, setting condition
 * code @cc unless it is negative) and leave the CPU loop: the run loop
 * acts on m->exit or the CPU's new state.
 */
void vcpu_leave(struct vcpu *v, uintptr_t ra, unsigned int ilen, int cc)
{
	uint64_t mask;

	uc_core.restore_state(v->cs, ra, true);
	if (cc >= 0)
		vcpu_set_cc(v, cc);
	v->leaving = true;
	mask = env_get64(v->env, ENV_PSW_MASK);
	env_set64(v->env, ENV_PSW_ADDR,
		  addr_wrap(mask, vcpu_pc(v) + ilen));
	uc_emu_stop(v->uc);
	uc_core.loop_exit(v->cs);
}
