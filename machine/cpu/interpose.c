// SPDX-License-Identifier: MIT
/*
 * The machine's versions of libunicorn functions.
 *
 * Unicorn 2.0.1 builds QEMU 5.0's s390x translator but leaves the system
 * side out: the helpers of SERVC, DIAG, SIGP, STSI, STFLE, the TOD-clock
 * and channel-subsystem instructions are empty, interruptions are never
 * delivered, a wait PSW does not wait, and dirty-memory tracking is a
 * stub that sends every guest store down the slow path
 * (linux-guest-feasibility.md §1-§4).  The library calls all of these
 * through its dynamic symbol table, and pvboot's executable exports
 * functions of the same names (Makefile: --dynamic-list), so the dynamic
 * linker binds the library's calls to the functions below.  The
 * translator still decides where they are called: each one runs exactly
 * at its instruction, with the return address into translated code (ra)
 * that makes a program interruption precise.
 *
 * The calling thread's CPU is ip_cur; it is NULL outside the machine's
 * uc_emu_start calls, and then every function acts as the library's own.
 * Only the machine's own engines run in a pvboot process.
 */
#include <stdatomic.h>
#include <string.h>

#include "../machine_priv.h"
#include "interpose.h"

#define GETPC() ((uintptr_t)__builtin_return_address(0))
#define EXPORT __attribute__((visibility("default"), used))

__thread struct vcpu *ip_cur;

/* The CPU for a replaced helper; guest code only runs through the run
 * loop, which sets ip_cur.  @ra is where the helper returns to, for
 * --trace. */
static inline struct vcpu *cpu_at(void *env, uintptr_t ra)
{
	struct vcpu *v = ip_cur;

	if (!v || v->env != env)
		return NULL;
	v->m->st.intercepts++;
	if (__builtin_expect(v->m->tr != NULL, 0))
		trace_insn(v, ra);
	return v;
}

/* Must be expanded in the helper itself, for its return address. */
#define cpu_of(env) cpu_at((env), GETPC())

/* ---- TOD clock, clock comparator, CPU timer (cpu/timer.c) --------------- */

EXPORT uint64_t helper_stck(uint8_t *env)
{
	struct vcpu *v = ip_cur;
	uint64_t tod;

	if (!v)
		return 0;
	if (__builtin_expect(v->m->tr != NULL, 0))
		trace_insn(v, GETPC());
	tod = tod_now(v->m);
	if (v->m->in_stub) {
		/* The probe asks to leave the block here (probe.c). */
		if (!probe_seen.env)
			uc_core.cpu_exit(uc_core.get_cpu(v->uc, 0));
		probe_seen.env = env;
		probe_seen.stck_value = tod;
	}
	return tod;
}

EXPORT void helper_sckc(uint8_t *env, uint64_t ckc)
{
	struct vcpu *v = cpu_of(env);

	if (!v)
		return;
	atomic_store(&v->ckc, ckc);
	atomic_store(&v->ckc_fired, false);
	if (ckc_pending(v))
		vcpu_irq_changed(v);
	events_wake(v->m);
}

EXPORT uint64_t helper_stckc(uint8_t *env)
{
	struct vcpu *v = cpu_of(env);

	return v ? atomic_load(&v->ckc) : 0;
}

/* SET CLOCK: the TOD clock of the whole configuration moves. */
void clock_set(struct pv_machine *m, uint64_t tod)
{
	m->tod_base += tod - tod_now(m);
	m->tod_last = 0;
	for (unsigned int i = 0; i < m->ncpus; i++)
		atomic_store(&m->cpus[i]->ckc_fired, false);
	machine_irq_changed(m);
	events_wake(m);
}

/* Not reached from Unicorn 2.0.1 (see cpu_ldl_code_s390x below). */
EXPORT uint32_t helper_sck(uint8_t *env, uint64_t tod)
{
	struct vcpu *v = cpu_of(env);

	if (v)
		clock_set(v->m, tod);
	return 0;
}

/*
 * Instruction fetch of the translator.  Unicorn 2.0.1 cannot translate
 * three instructions and takes the process down when it tries: SET CLOCK
 * (0xb204, an operand register it never allocated: SIGSEGV in
 * tcg_optimize), SQXBR (0xb316, a missing second output register) and
 * LDER (0xb324, decoded with the wrong format: an assertion).  The
 * translator is shown an unassigned opcode instead, its operation
 * exception comes to the machine (cpu/irq.c), and the machine executes
 * the instruction from the real bytes (irq.c, sck_emulate; fpemu.c).
 */
#define OPC_UNASSIGNED 0xb2ffU

static bool untranslatable(uint32_t opc)
{
	return opc == 0xb204U || opc == 0xb316U || opc == 0xb324U;
}

/*
 * An odd instruction address is a specification exception (the old PSW
 * holds the odd address, ILC 0).  The translator would decode the bytes
 * there; it is shown an invalid opcode instead, and the machine turns the
 * operation exception at an odd address into the specification exception
 * (cpu/irq.c).
 */
/*
 * The translator reads an instruction's first halfword, then four bytes:
 * at the same address for a 4-byte instruction, two bytes further for
 * a 6-byte one (whose bytes 2-5 may well read 0xb204: a displacement of
 * 0x204 off %r11).  Only the first kind is an opcode.
 */
static __thread uint64_t insn_start = ~0ULL;

/* The translator's fetch of the instruction at insn_start was hidden. */
static __thread uint64_t hidden_at = ~0ULL;

/*
 * EXECUTE (mem_helper.c, HELPER(ex)) reads its target itself, ORs R1's
 * low byte into bits 8-15 and leaves the result in ex_value, which the
 * translator then decodes instead of memory.  Its fetches are passed
 * through untouched (ex_fetch) and the result is judged whole, after the
 * OR (helper_ex below): judging the fetches took EXECUTE's second
 * halfword fetch, at the target + 2, for the sign that the next fetch two
 * bytes on was no opcode either, so SET CLOCK right after a 2-byte
 * instruction, or executed right after a 4-byte target, reached the
 * translator (tests/guest/f_exsck.c).  An exception inside EXECUTE's
 * fetches leaves through the interruption hook, which ends ex_fetch.
 */
static __thread bool ex_fetch;

/*
 * Instructions the machine runs itself, found by their bytes: SET PROGRAM
 * MASK always, the test-only forms of RNSBG/ROSBG/RXSBG (cpu/bitemu.c),
 * while PSW bit 20 is one every instruction that can overflow
 * (cpu/fxo.c), and while an FPC mask for IEEE overflow, underflow or
 * inexact is one the BFP instructions that can raise them (bfptrap.c).
 */
static bool hidden_bytes(void *env, const uint8_t b[6])
{
	struct vcpu *v = ip_cur;
	bool fxo = v && v->env == env && v->fxo;
	bool bfpt = v && v->env == env && v->bfpt;

	if (untranslatable((uint32_t)b[0] << 8 | b[1]) || b[0] == 0x04 ||
	    rsbg_test_form(b) || cksm_odd_r2(b))
		return true;
	return (fxo && fxo_translated_out(b)) ||
	       (bfpt && bfptrap_translated_out(b));
}

/* The instruction at @addr, whose first halfword is @h. */
static bool hidden_insn(void *env, uint64_t addr, uint32_t h)
{
	struct vcpu *v = ip_cur;
	uint8_t b[6] = { (uint8_t)(h >> 8), (uint8_t)h, 0, 0, 0, 0 };
	bool fxo = v && v->env == env && v->fxo;
	bool bfpt = v && v->env == env && v->bfpt;

	/* the rest of the instruction matters for RNSBG, ROSBG, RXSBG (the
	 * test-only forms, cpu/bitemu.c), CKSM (R2) and under fxo/bfptrap */
	if (!fxo && !bfpt && b[0] != 0xec && !is_cksm(b))
		return hidden_bytes(env, b);
	if (b[0] >= 0xc0) {
		uint32_t w = uc_core.o_ldl_code(env, addr + 2);

		b[2] = (uint8_t)(w >> 24);
		b[3] = (uint8_t)(w >> 16);
		b[4] = (uint8_t)(w >> 8);
		b[5] = (uint8_t)w;
	} else if (b[0] >= 0x40) {
		uint32_t l = uc_core.o_lduw_code(env, addr + 2);

		b[2] = (uint8_t)(l >> 8);
		b[3] = (uint8_t)l;
	}
	return hidden_bytes(env, b);
}

EXPORT uint32_t cpu_lduw_code_s390x(void *env, uint64_t addr)
{
	uint32_t h;

	if (addr & 1)
		return 0x0000;
	if (ex_fetch)
		return uc_core.o_lduw_code(env, addr);
	insn_start = addr;
	h = uc_core.o_lduw_code(env, addr);
	hidden_at = ~0ULL;
	if (hidden_insn(env, addr, h)) {
		hidden_at = addr;
		h = OPC_UNASSIGNED;
	}
	return h;
}

EXPORT uint32_t cpu_ldl_code_s390x(void *env, uint64_t addr)
{
	uint32_t w = uc_core.o_ldl_code(env, addr);

	if (ex_fetch)
		return w;
	if (addr == insn_start &&
	    (untranslatable(w >> 16) || hidden_at == addr))
		w = OPC_UNASSIGNED << 16 | (w & 0xffff);
	return w;
}

/*
 * EXECUTE: Unicorn's helper runs the SS-format targets itself and leaves
 * the others in ex_value (the instruction left-aligned, the EXECUTE's
 * length in the low bits) for the translator.  A target the machine must
 * run gets the unassigned opcode there; its operation exception comes to
 * cpu/irq.c, which reads the target again with R1's byte ORed in.  The
 * target must be at an even address (POP chapter 7, "EXECUTE"): else a
 * specification exception, EXECUTE suppressed; Unicorn's helper would
 * fetch it, and the translator's fetch of an odd address gives 0x0000.
 */
EXPORT void helper_ex(uint8_t *env, uint32_t ilen, uint64_t r1,
		      uint64_t addr)
{
	struct vcpu *v = ip_cur;
	uint64_t x;
	uint8_t b[6];

	if ((addr & 1) && v && v->env == env)
		vcpu_raise(v, PGM_SPECIFICATION, GETPC());
	ex_fetch = true;
	uc_core.o_ex(env, ilen, r1, addr);
	ex_fetch = false;
	x = env_get64(env, ENV_EX_VALUE);
	if (!x)
		return;
	for (int i = 0; i < 6; i++)
		b[i] = (uint8_t)(x >> (56 - 8 * i));
	if (hidden_bytes(env, b))
		env_set64(env, ENV_EX_VALUE,
			  (x & 0x0000ffffffffffffULL) |
			  (uint64_t)OPC_UNASSIGNED << 48);
}

/* An interruption ended whatever EXECUTE was fetching (cpu/irq.c). */
void interpose_exception(void)
{
	ex_fetch = false;
}

EXPORT void helper_spt(uint8_t *env, uint64_t t)
{
	struct vcpu *v = cpu_of(env);

	if (!v)
		return;
	cputm_set(v, t);
	if (cputm_pending(v))
		vcpu_irq_changed(v);
	events_wake(v->m);
}

EXPORT uint64_t helper_stpt(uint8_t *env)
{
	struct vcpu *v = cpu_of(env);

	return v ? cputm_get(v) : 0;
}

/* ---- SCLP, DIAG, SIGP, machine information ------------------------------ */

EXPORT uint32_t helper_servc(uint8_t *env, uint64_t sccb, uint64_t cmd)
{
	struct vcpu *v = cpu_of(env);

	return v ? sclp_servc(v, sccb, cmd, GETPC()) : 3;
}

EXPORT void helper_diag(uint8_t *env, uint32_t r1, uint32_t r3,
			uint32_t code)
{
	struct vcpu *v = cpu_of(env);

	if (v)
		diag_handle(v, (int)r1, (int)r3, code, GETPC());
}

EXPORT uint32_t helper_sigp(uint8_t *env, uint64_t order, uint32_t r1,
			    uint32_t r3)
{
	struct vcpu *v = cpu_of(env);

	return v ? sigp_handle(v, order, (int)r1, (int)r3, GETPC()) : 3;
}

EXPORT uint32_t helper_stsi(uint8_t *env, uint64_t a0, uint64_t r0,
			    uint64_t r1)
{
	struct vcpu *v = cpu_of(env);

	return v ? stsi_handle(v, a0, r0, r1, GETPC()) : 3;
}

EXPORT uint32_t helper_stfle(uint8_t *env, uint64_t addr)
{
	struct vcpu *v = cpu_of(env);

	return v ? fac_stfle(v, addr, GETPC()) : 3;
}

EXPORT void helper_stfl(uint8_t *env)
{
	struct vcpu *v = cpu_of(env);

	if (v)
		fac_stfl(v);
}

/*
 * LOAD CONTROL: a subclass mask in CR0 (or an I/O mask in CR6) may have
 * enabled a condition that is already pending; Unicorn ends the block
 * after the instruction and looks for interruptions only when asked.
 */
static void cr_loaded(struct vcpu *v)
{
	if (v && irq_pending(v))
		(*uc_core.interrupt_handler)(v->cs, 0x0002);
}

EXPORT void helper_lctl(uint8_t *env, uint32_t r1, uint64_t a2, uint32_t r3)
{
	struct vcpu *v = cpu_of(env);

	uc_core.o_lctl(env, r1, a2, r3);
	cr_loaded(v);
}

EXPORT void helper_lctlg(uint8_t *env, uint32_t r1, uint64_t a2,
			 uint32_t r3)
{
	struct vcpu *v = cpu_of(env);

	uc_core.o_lctlg(env, r1, a2, r3);
	cr_loaded(v);
}

/* ---- library helpers wrapped for --trace only ---------------------------- */

/* Log the instruction when tracing; the library's helper does the work. */
static inline void traced(void *env, uintptr_t ra)
{
	struct vcpu *v = ip_cur;

	if (__builtin_expect(v && v->env == env && v->m->tr != NULL, 0))
		trace_insn(v, ra);
}

/*
 * LPSW, LPSWE: a PSW the architecture calls invalid (EA without BA, bits
 * that must be zero, an address beyond the addressing mode) is loaded and
 * then a specification exception is recognized with it as the old PSW and
 * ILC 0 (an early exception).  Unicorn 2.0.1 would abort on some of them.
 */
EXPORT void helper_load_psw(uint8_t *env, uint64_t mask, uint64_t addr)
{
	struct vcpu *v = ip_cur;

	traced(env, GETPC());
	if (v && v->env == env && !psw_valid(mask, addr)) {
		irq_pgm(v, PGM_SPECIFICATION, 0, mask, addr);
		uc_core.loop_exit(v->cs);
	}
	if (v && v->env == env)
		fxo_psw_changed(v, mask);
	uc_core.o_load_psw(env, mask, addr);
}

/*
 * SET PREFIX: a prefix beyond memory is an addressing exception and the
 * prefix stays; after a change the whole TLB goes, since real pages 0-1
 * and P..P+8191 all change their absolute address (the library flushes
 * only real pages 0-1).
 */
EXPORT void helper_spx(uint8_t *env, uint64_t a)
{
	struct vcpu *v = ip_cur;
	uintptr_t ra = GETPC();

	traced(env, ra);
	if (!v || v->env != env) {
		uc_core.o_spx(env, a);
		return;
	}
	if ((a & 0x7fffe000ULL) + LC_SIZE > v->m->ram_size)
		vcpu_raise(v, PGM_ADDRESSING, ra);
	uc_core.o_spx(env, a);
	uc_core.tlb_flush(v->cs);
}

EXPORT void helper_stctl(uint8_t *env, uint32_t r1, uint64_t a2, uint32_t r3)
{
	traced(env, GETPC());
	uc_core.o_stctl(env, r1, a2, r3);
}

EXPORT void helper_stctg(uint8_t *env, uint32_t r1, uint64_t a2, uint32_t r3)
{
	traced(env, GETPC());
	uc_core.o_stctg(env, r1, a2, r3);
}

EXPORT uint32_t helper_testblock(uint8_t *env, uint64_t a)
{
	traced(env, GETPC());
	return uc_core.o_testblock(env, a);
}

EXPORT uint32_t helper_tprot(uint8_t *env, uint64_t a1, uint64_t a2)
{
	traced(env, GETPC());
	return uc_core.o_tprot(env, a1, a2);
}

EXPORT uint64_t helper_iske(uint8_t *env, uint64_t r2)
{
	traced(env, GETPC());
	return uc_core.o_iske(env, r2);
}

EXPORT void helper_sske(uint8_t *env, uint64_t r1, uint64_t r2)
{
	traced(env, GETPC());
	uc_core.o_sske(env, r1, r2);
}

EXPORT uint32_t helper_rrbe(uint8_t *env, uint64_t r2)
{
	traced(env, GETPC());
	return uc_core.o_rrbe(env, r2);
}

/* SET ADDRESS SPACE CONTROL FAST with DAT off: special operation. */
EXPORT void helper_sacf(uint8_t *env, uint64_t a1)
{
	struct vcpu *v = ip_cur;
	uintptr_t ra = GETPC();

	traced(env, ra);
	if (v && v->env == env && !(vcpu_pswm(v) & PSW_DAT))
		vcpu_raise(v, PGM_SPECIAL_OPERATION, ra);
	uc_core.o_sacf(env, a1);
}

EXPORT void helper_idte(uint8_t *env, uint64_t r1, uint64_t r2, uint32_t m4)
{
	traced(env, GETPC());
	uc_core.o_idte(env, r1, r2, m4);
}

EXPORT void helper_ipte(uint8_t *env, uint64_t r1, uint64_t r2, uint32_t m4)
{
	traced(env, GETPC());
	uc_core.o_ipte(env, r1, r2, m4);
}

EXPORT void helper_ptlb(uint8_t *env)
{
	traced(env, GETPC());
	uc_core.o_ptlb(env);
}

EXPORT void helper_purge(uint8_t *env)
{
	traced(env, GETPC());
	uc_core.o_purge(env);
}

EXPORT uint64_t helper_lra(uint8_t *env, uint64_t a)
{
	traced(env, GETPC());
	return uc_core.o_lra(env, a);
}

/*
 * SET FPC, LOAD FPC (helper_sfpc), SET FPC AND SIGNAL, LOAD FPC AND
 * SIGNAL (helper_sfas): when the IEEE overflow/underflow/inexact masks
 * turn on or off, the BFP instructions after this one must be translated
 * again (cpu/bfptrap.c): the CPU leaves its block after the instruction
 * (the PSW address past it, or past the EXECUTE that ran it).
 */
static void fpc_loaded(struct vcpu *v, uintptr_t ra)
{
	uint64_t a, tec;
	uint8_t op = 0;

	uc_core.restore_state(v->cs, ra, true);
	a = env_get64(v->env, ENV_PSW_ADDR);
	if (mem_read_logical(v, a, &op, 1, &tec))
		op = 0;
	env_set64(v->env, ENV_PSW_ADDR,
		  addr_wrap(env_get64(v->env, ENV_PSW_MASK),
			    a + (op == 0xc6 ? 6 : 4)));
	uc_core.loop_exit(v->cs);
}

static inline void fpc_load(uint8_t *env, uint64_t fpc, uintptr_t ra,
			    void (*load)(void *env, uint64_t fpc))
{
	struct vcpu *v = ip_cur;
	bool changed;

	traced(env, ra);
	if (!v || v->env != env) {
		load(env, fpc);
		return;
	}
	changed = bfptrap_fpc_loading(v, (uint32_t)fpc);
	load(env, fpc);		/* may raise a specification exception */
	if (changed)
		fpc_loaded(v, ra);
}

EXPORT void helper_sfpc(uint8_t *env, uint64_t fpc)
{
	fpc_load(env, fpc, GETPC(), uc_core.o_sfpc);
}

EXPORT void helper_sfas(uint8_t *env, uint64_t fpc)
{
	fpc_load(env, fpc, GETPC(), uc_core.o_sfas);
}

/* COMPARE AND SWAP AND STORE: the library's helper asserts (cpu/csst.c). */
static inline uint32_t csst_at(uint8_t *env, uint32_t r3, uint64_t a1,
			       uint64_t a2, uintptr_t ra)
{
	struct vcpu *v = cpu_at(env, ra);

	return v ? csst_run(v, r3, a1, a2, ra) : 3;
}

EXPORT uint32_t helper_csst(uint8_t *env, uint32_t r3, uint64_t a1,
			    uint64_t a2)
{
	return csst_at(env, r3, a1, a2, GETPC());
}

EXPORT uint32_t helper_csst_parallel(uint8_t *env, uint32_t r3, uint64_t a1,
				     uint64_t a2)
{
	return csst_at(env, r3, a1, a2, GETPC());
}

/* ---- channel subsystem (cpu/css.c) -------------------------------------- */

#define CSS_HELPER(name, op)						\
	EXPORT void helper_##name(uint8_t *env, uint64_t r1)		\
	{								\
		struct vcpu *v = cpu_of(env);				\
									\
		if (v)							\
			css_insn(v, op, r1, 0, GETPC());		\
	}
#define CSS_HELPER_ADDR(name, op)					\
	EXPORT void helper_##name(uint8_t *env, uint64_t r1,		\
				  uint64_t inst)			\
	{								\
		struct vcpu *v = cpu_of(env);				\
									\
		if (v)							\
			css_insn(v, op, r1, inst, GETPC());		\
	}

CSS_HELPER(xsch, 0xb276)
CSS_HELPER(csch, 0xb230)
CSS_HELPER(hsch, 0xb231)
CSS_HELPER(rchp, 0xb23b)
CSS_HELPER(rsch, 0xb238)
CSS_HELPER(sal, 0xb237)
CSS_HELPER_ADDR(msch, 0xb232)
CSS_HELPER_ADDR(ssch, 0xb233)
CSS_HELPER_ADDR(stsch, 0xb234)
CSS_HELPER_ADDR(tsch, 0xb235)

/* The operand of these is the instruction (see css.c). */
EXPORT void helper_stcrw(uint8_t *env, uint64_t inst)
{
	struct vcpu *v = cpu_of(env);

	if (v)
		css_insn(v, 0xb239, 0, inst, GETPC());
}

EXPORT void helper_chsc(uint8_t *env, uint64_t inst)
{
	struct vcpu *v = cpu_of(env);

	if (v)
		css_insn(v, 0xb25f, 0, inst, GETPC());
}

EXPORT void helper_schm(uint8_t *env, uint64_t r1, uint64_t r2,
			uint64_t inst)
{
	struct vcpu *v = cpu_of(env);

	if (v)
		css_insn(v, 0xb23c, r1, inst, GETPC());
}

EXPORT uint32_t helper_tpi(uint8_t *env, uint64_t addr)
{
	struct vcpu *v = cpu_of(env);

	return v ? css_tpi(v, addr, GETPC()) : 0;
}

/* ---- the CPU loop ------------------------------------------------------- */

/*
 * Every (re)entry of Unicorn's CPU loop: turn kicks of the events thread
 * into work for this CPU.  The events thread never touches Unicorn's
 * state beyond cpu_exit(), which only makes the loop come here.
 */
EXPORT int cpu_exec_s390x(void *uc, void *cs)
{
	struct vcpu *v = ip_cur;
	unsigned int k;

	if (!v || v->uc != uc)
		return uc_core.o_cpu_exec(uc, cs);
	if (v->m->in_stub) {
		probe_seen.cs = cs;
		return uc_core.o_cpu_exec(uc, cs);
	}
	if (atomic_load(&v->m->ev.input_ready))
		sclp_input(v->m);
	k = atomic_exchange(&v->kick, 0);
	if (k & KICK_FXO)
		fxo_sync(v);
	if (k & KICK_BFP)
		bfptrap_sync(v);
	if (k & KICK_IRQ)
		(*uc_core.interrupt_handler)(cs, 0x0002);
	if (k & KICK_LEAVE)
		uc_emu_stop(uc);
	return uc_core.o_cpu_exec(uc, cs);
}

/* Unicorn asks at a block boundary: deliver a pending interruption. */
EXPORT bool s390_cpu_exec_interrupt(void *cs, int request)
{
	struct vcpu *v = ip_cur;

	if (!v || v->cs != cs || v->m->in_stub || !(request & 0x0002))
		return false;
	if (env_get64(v->env, ENV_EX_VALUE))
		return false;	/* inside EXECUTE: not interruptible */
	if (irq_deliver(v))
		return true;
	if (!irq_pending(v))
		uc_core.reset_interrupt(cs, 0x0002);
	return false;
}

/*
 * LPSW(E) or an interruption loaded a PSW with the wait bit: leave the
 * CPU loop; the run loop makes the CPU wait (run.c).
 */
EXPORT void s390_handle_wait(void *cpu)
{
	struct vcpu *v = ip_cur;

	if (!v)
		return;
	if (v->m->in_stub) {
		probe_seen.waited = true;
		probe_seen.wait_mask = uc_core.get_psw_mask(probe_seen.env);
		probe_seen.wait_addr = env_get64(probe_seen.env, ENV_PSW_ADDR);
	}
	uc_emu_stop(v->uc);
}

/*
 * Unicorn checks the *logical* address of a slow-path access against its
 * list of mapped regions before DAT (linux-guest-feasibility.md §1
 * blocker 2).  For the machine's CPUs every logical address is "mapped":
 * QEMU's own DAT and its check of the real address against RAM then give
 * the architecture's translation and addressing exceptions.
 */
EXPORT void *memory_mapping(void *uc, uint64_t addr)
{
	void *mr = uc_core.o_memory_mapping(uc, addr);
	struct vcpu *v = ip_cur;

	if (mr || !v || v->uc != uc || v->m->in_stub)
		return mr;
	return uc_core.o_memory_mapping(uc, 0);
}

/*
 * Unaligned stores that stay in one page take QEMU 5.0's byte path only
 * when the TLB entry has flags, and that path fills the TLB for the
 * start of the page instead of the stored bytes: with low-address
 * protection on, a store to 0x3ac then fails as if it went to 0
 * (linux-guest-feasibility.md §1 blocker 1).  Under LAP such stores are
 * done byte by byte here, each byte checked at its own address; the
 * protected range starts the page, so a store that touches it faults on
 * its first byte and nothing is stored.
 */
#define CR0_LAP 0x10000000ULL

static bool split_store(uint8_t *env, uint64_t addr, unsigned int size)
{
	return (addr & (size - 1)) && (addr & 0xfff) + size <= 0x1000 &&
	       (env_get64(env, ENV_CREGS) & CR0_LAP);
}

static void store_bytes(uint8_t *env, uint64_t addr, uint64_t val,
			unsigned int size, uint32_t oi, uintptr_t ra)
{
	for (unsigned int i = 0; i < size; i++)
		uc_core.o_stb(env, addr + i,
			      (uint8_t)(val >> (8 * (size - 1 - i))), oi & 15,
			      ra);
}

EXPORT void helper_be_stw_mmu_s390x(uint8_t *env, uint64_t addr,
				    uint16_t val, uint32_t oi, uintptr_t ra)
{
	if (split_store(env, addr, 2))
		store_bytes(env, addr, val, 2, oi, ra);
	else
		uc_core.o_stw(env, addr, val, oi, ra);
}

EXPORT void helper_be_stl_mmu_s390x(uint8_t *env, uint64_t addr,
				    uint32_t val, uint32_t oi, uintptr_t ra)
{
	if (split_store(env, addr, 4))
		store_bytes(env, addr, val, 4, oi, ra);
	else
		uc_core.o_stl(env, addr, val, oi, ra);
}

EXPORT void helper_be_stq_mmu_s390x(uint8_t *env, uint64_t addr,
				    uint64_t val, uint32_t oi, uintptr_t ra)
{
	if (split_store(env, addr, 8))
		store_bytes(env, addr, val, 8, oi, ra);
	else
		uc_core.o_stq(env, addr, val, oi, ra);
}

/*
 * Referenced from engine.c so that a static link keeps this object; the
 * executable's dynamic symbol table must list each of these names.
 */
const void *const interpose_table[] = {
	(const void *)helper_stck, (const void *)helper_sckc,
	(const void *)helper_stckc, (const void *)helper_sck,
	(const void *)helper_spt, (const void *)helper_stpt,
	(const void *)helper_servc, (const void *)helper_diag,
	(const void *)helper_sigp, (const void *)helper_stsi,
	(const void *)helper_stfle, (const void *)helper_stfl,
	(const void *)helper_lctl, (const void *)helper_lctlg,
	(const void *)helper_xsch, (const void *)helper_csch,
	(const void *)helper_hsch, (const void *)helper_rchp,
	(const void *)helper_rsch, (const void *)helper_sal,
	(const void *)helper_msch, (const void *)helper_ssch,
	(const void *)helper_stsch, (const void *)helper_tsch,
	(const void *)helper_stcrw, (const void *)helper_chsc,
	(const void *)helper_schm, (const void *)helper_tpi,
	(const void *)cpu_exec_s390x, (const void *)s390_cpu_exec_interrupt,
	(const void *)s390_handle_wait, (const void *)memory_mapping,
	(const void *)helper_be_stw_mmu_s390x,
	(const void *)helper_be_stl_mmu_s390x,
	(const void *)helper_be_stq_mmu_s390x,
	(const void *)helper_load_psw, (const void *)helper_spx,
	(const void *)helper_stctl, (const void *)helper_stctg,
	(const void *)helper_testblock, (const void *)helper_tprot,
	(const void *)helper_iske, (const void *)helper_sske,
	(const void *)helper_rrbe, (const void *)helper_sacf,
	(const void *)helper_idte, (const void *)helper_ipte,
	(const void *)helper_ptlb, (const void *)helper_purge,
	(const void *)helper_lra, (const void *)helper_csst,
	(const void *)helper_csst_parallel, (const void *)cpu_ldl_code_s390x,
	(const void *)cpu_lduw_code_s390x, (const void *)helper_sfpc,
	(const void *)helper_sfas,
	NULL
};
