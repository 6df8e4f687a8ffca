/* SPDX-License-Identifier: MIT */
/*
 * Unicorn, loaded on first use.  Only `run` needs the CPU emulator, and
 * linking libunicorn costs every other command ~5 MiB of resident memory
 * and its relocation time at start-up, so the machine resolves what it
 * calls with dlopen/dlsym when the first machine is made.  The rest of
 * machine/ keeps writing uc_open(...) etc.: the macros below route those
 * names through the resolved table.
 *
 * Besides the public uc_* API the machine uses a few functions that
 * libunicorn exports from its QEMU core (TLB, TB cache, CPU loop): the
 * second table, struct uc_core.  The machine also replaces some of the
 * library's own functions (machine/cpu/interpose.c); uc_core holds the
 * library's versions of those, found with dlsym on the library handle.
 */
#ifndef PVBOOT_UC_LIB_H
#define PVBOOT_UC_LIB_H

#include <stdbool.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

#include "pvboot/err.h"

/* soname of the Unicorn 2 shared library (Debian package libunicorn2) */
#define UC_LIB_SONAME "libunicorn.so.2"

/* The uc_* entry points machine/ uses, with the types of unicorn.h. */
struct uc_lib {
	__typeof__(uc_version) *version;
	__typeof__(uc_open) *open;
	__typeof__(uc_close) *close;
	__typeof__(uc_strerror) *strerror;
	__typeof__(uc_mem_map) *mem_map;
	__typeof__(uc_mem_map_ptr) *mem_map_ptr;
	__typeof__(uc_mem_unmap) *mem_unmap;
	__typeof__(uc_mem_write) *mem_write;
	__typeof__(uc_reg_read) *reg_read;
	__typeof__(uc_reg_write) *reg_write;
	__typeof__(uc_emu_start) *emu_start;
	__typeof__(uc_emu_stop) *emu_stop;
	__typeof__(uc_hook_add) *hook_add;
	__typeof__(uc_ctl) *ctl;
};

/*
 * QEMU-core functions of libunicorn 2.0.x (s390x build).  Opaque pointer
 * types: env is the CPUS390XState, cs the CPUState (also the S390CPU).
 * "o_" marks the library's own version of a function the machine
 * replaces.
 */
/*
 * QEMU 5.0's float128 (on a little-endian host) and float_status, as
 * Unicorn 2.0.1's softfloat takes them (include/fpu/softfloat-types.h).
 */
struct uc_f128 {
	uint64_t low, high;
};

/* softfloat's float_round_*, float_flag_*, float_tininess_* and
 * float_muladd_negate_c (softfloat-types.h, softfloat.h) */
enum { RND_NEAREST_EVEN, RND_DOWN, RND_UP, RND_TO_ZERO, RND_TIES_AWAY,
       RND_TO_ODD };
#define SF_INVALID 0x01
#define SF_DIVBYZERO 0x04
#define SF_OVERFLOW 0x08
#define SF_UNDERFLOW 0x10
#define SF_INEXACT 0x20
#define SF_TININESS_BEFORE_ROUNDING 1
#define SF_MULADD_NEGATE_C 1

struct uc_fstatus {
	signed char detect_tininess;
	signed char rounding_mode;
	uint8_t exception_flags;
	signed char floatx80_precision;
	uint8_t flush_to_zero, flush_inputs_to_zero, default_nan_mode,
		snan_bit_is_one;
};

typedef uint32_t (*uc_sf32_op)(uint32_t a, uint32_t b, struct uc_fstatus *st);
typedef uint64_t (*uc_sf64_op)(uint64_t a, uint64_t b, struct uc_fstatus *st);
typedef struct uc_f128 (*uc_sf128_op)(struct uc_f128 a, struct uc_f128 b,
				      struct uc_fstatus *st);

struct uc_core {
	/* CPU loop and state */
	uint64_t (*get_psw_mask)(void *env);
	void (**interrupt_handler)(void *cs, int mask);	/* a variable */
	void (*reset_interrupt)(void *cs, int mask);
	void (*cpu_exit)(void *cs);
	bool (*restore_state)(void *cs, uintptr_t host_pc, bool will_exit);
	void (*loop_exit)(void *cs) __attribute__((noreturn));
	void (*program_interrupt)(void *env, uint32_t code, uintptr_t ra)
		__attribute__((noreturn));
	void *(*get_cpu)(void *uc, int index);
	/* address translation (logical -> absolute, QEMU's DAT) */
	int (*mmu_translate)(void *env, uint64_t vaddr, int rw, uint64_t asc,
			     uint64_t *raddr, int *flags, uint64_t *tec);
	/* TLB and translated code */
	void (*tlb_flush)(void *cs);
	void (*tlb_reset_dirty)(void *cs, uintptr_t start, uintptr_t len);
	void *(*map_ram_ptr)(void *uc, void *block, uint64_t ram_addr);
	void (*tb_invalidate_range)(void *uc, uint64_t start, uint64_t end);
	/* the library's versions of replaced functions */
	int (*o_cpu_exec)(void *uc, void *cs);
	void *(*o_memory_mapping)(void *uc, uint64_t addr);
	void (*o_tlb_set_page)(void *cs, uint64_t vaddr, uint64_t paddr,
			       uint32_t attrs, int prot, int mmu_idx,
			       uint64_t size);
	void (*o_tlb_protect_code)(void *uc, uint64_t ram_addr);
	void (*o_tlb_unprotect_code)(void *uc, uint64_t ram_addr);
	void (*o_lctl)(void *env, uint32_t r1, uint64_t a2, uint32_t r3);
	void (*o_lctlg)(void *env, uint32_t r1, uint64_t a2, uint32_t r3);
	void (*o_stb)(void *env, uint64_t addr, uint8_t val, uint32_t oi,
		      uintptr_t ra);
	void (*o_stw)(void *env, uint64_t addr, uint16_t val, uint32_t oi,
		      uintptr_t ra);
	void (*o_stl)(void *env, uint64_t addr, uint32_t val, uint32_t oi,
		      uintptr_t ra);
	void (*o_stq)(void *env, uint64_t addr, uint64_t val, uint32_t oi,
		      uintptr_t ra);
	void (*o_tb_invalidate_fast)(void *uc, void *pages, uint64_t start,
				     int len, uintptr_t ra);
	/* helpers wrapped only for --trace (machine/cpu/trace.c) */
	void (*o_load_psw)(void *env, uint64_t mask, uint64_t addr)
		__attribute__((noreturn));
	void (*o_spx)(void *env, uint64_t a);
	void (*o_stctl)(void *env, uint32_t r1, uint64_t a2, uint32_t r3);
	void (*o_stctg)(void *env, uint32_t r1, uint64_t a2, uint32_t r3);
	uint32_t (*o_testblock)(void *env, uint64_t a);
	uint32_t (*o_tprot)(void *env, uint64_t a1, uint64_t a2);
	uint64_t (*o_iske)(void *env, uint64_t r2);
	void (*o_sske)(void *env, uint64_t r1, uint64_t r2);
	uint32_t (*o_rrbe)(void *env, uint64_t r2);
	void (*o_sacf)(void *env, uint64_t a1);
	void (*o_idte)(void *env, uint64_t r1, uint64_t r2, uint32_t m4);
	void (*o_ipte)(void *env, uint64_t r1, uint64_t r2, uint32_t m4);
	void (*o_ptlb)(void *env);
	void (*o_purge)(void *env);
	uint64_t (*o_lra)(void *env, uint64_t a);
	/* the translator's instruction fetch (a workaround, interpose.c) */
	uint32_t (*o_ldl_code)(void *env, uint64_t addr);
	/* Unicorn's softfloat (QEMU 5.0 fpu/softfloat.c), for fpemu.c */
	struct uc_f128 (*f128_sqrt)(struct uc_f128 a, struct uc_fstatus *st);
	uint32_t (*o_lduw_code)(void *env, uint64_t addr);
	void (*o_ex)(void *env, uint32_t ilen, uint64_t r1, uint64_t addr);
	/* FPC writers (SFPC, LFPC; SFASR, LFAS), wrapped for bfptrap.c */
	void (*o_sfpc)(void *env, uint64_t fpc);
	void (*o_sfas)(void *env, uint64_t fpc);
	/*
	 * More of the softfloat, for cpu/bfptrap.c: float32 and float64 as
	 * their bits, muladd's 4th argument QEMU's float_muladd_* flags.
	 */
	uc_sf32_op f32_add, f32_sub, f32_mul, f32_div;
	uc_sf64_op f64_add, f64_sub, f64_mul, f64_div;
	uc_sf128_op f128_add, f128_sub, f128_mul, f128_div;
	uint32_t (*f32_sqrt)(uint32_t a, struct uc_fstatus *st);
	uint64_t (*f64_sqrt)(uint64_t a, struct uc_fstatus *st);
	uint32_t (*f32_muladd)(uint32_t a, uint32_t b, uint32_t c, int flags,
			       struct uc_fstatus *st);
	uint64_t (*f64_muladd)(uint64_t a, uint64_t b, uint64_t c, int flags,
			       struct uc_fstatus *st);
	uint32_t (*f32_rint)(uint32_t a, struct uc_fstatus *st);
	uint64_t (*f64_rint)(uint64_t a, struct uc_fstatus *st);
	struct uc_f128 (*f128_rint)(struct uc_f128 a, struct uc_fstatus *st);
	struct uc_f128 (*f32_to_f128)(uint32_t a, struct uc_fstatus *st);
	struct uc_f128 (*f64_to_f128)(uint64_t a, struct uc_fstatus *st);
	uint32_t (*f64_to_f32)(uint64_t a, struct uc_fstatus *st);
	uint32_t (*f128_to_f32)(struct uc_f128 a, struct uc_fstatus *st);
	uint64_t (*f128_to_f64)(struct uc_f128 a, struct uc_fstatus *st);
	struct uc_f128 (*f128_scalbn)(struct uc_f128 a, int n,
				      struct uc_fstatus *st);
	uint32_t (*i64_to_f32)(int64_t a, struct uc_fstatus *st);
	uint64_t (*i64_to_f64)(int64_t a, struct uc_fstatus *st);
	uint32_t (*u64_to_f32)(uint64_t a, struct uc_fstatus *st);
	uint64_t (*u64_to_f64)(uint64_t a, struct uc_fstatus *st);
};

/* Filled by uc_lib_load(); read-only afterwards. */
extern struct uc_lib uc_lib;
extern struct uc_core uc_core;

/*
 * Load libunicorn (UC_LIB_SONAME, or the file named by the environment
 * variable PVBOOT_LIBUNICORN) and resolve every entry of uc_lib and
 * uc_core.  Safe to call from several threads and many times; after the
 * first success it returns 0 at once.  Returns PV_ERR_IO naming the
 * library and the loader's reason when the library or one of its
 * functions is missing, or when it is not Unicorn 2.0.
 */
int uc_lib_load(struct pv_err **err);

/*
 * The GNU build ID of the loaded library as hex ("" if it has none), for
 * messages and the run summary.
 */
const char *uc_lib_build_id(void);

#ifndef UC_LIB_IMPL
#define uc_open (uc_lib.open)
#define uc_close (uc_lib.close)
#define uc_strerror (uc_lib.strerror)
#define uc_mem_map (uc_lib.mem_map)
#define uc_mem_map_ptr (uc_lib.mem_map_ptr)
#define uc_mem_unmap (uc_lib.mem_unmap)
#define uc_mem_write (uc_lib.mem_write)
#define uc_reg_read (uc_lib.reg_read)
#define uc_reg_write (uc_lib.reg_write)
#define uc_emu_start (uc_lib.emu_start)
#define uc_emu_stop (uc_lib.emu_stop)
#define uc_hook_add (uc_lib.hook_add)
#define uc_ctl (uc_lib.ctl)
#endif

#endif
