/* SPDX-License-Identifier: MIT */
/*
 * Private state of the s390x machine: N CPUs, one struct, one run loop.
 *
 * Layers, as on a real KVM host:
 *   guest CPU   - Unicorn runs guest code; the machine replaces the
 *                 library's stubs for the system instructions and its
 *                 interrupt hooks with its own (machine/cpu/), so every
 *                 instruction the machine must see arrives through the
 *                 library's own call, exactly at that instruction.
 *   firmware    - interrupt delivery, facilities, TOD and timers:
 *                 touches guest memory directly, as the CPU would (also
 *                 in protected mode).
 *   hypervisor  - SCLP, DIAG, SIGP, DIAG 308, the PV commands, devices:
 *                 reaches guest memory only through the UV's host-access
 *                 check (hv_read/hv_write) or through the SIDA.
 *
 * One host thread runs all guest CPUs in turn (QEMU's round-robin TCG);
 * a second thread (machine/cpu/events.c) watches timers and the console
 * and kicks the running CPU.
 */
#ifndef PVBOOT_MACHINE_PRIV_H
#define PVBOOT_MACHINE_PRIV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>

#include "pvboot/err.h"
#include "pvboot/machine.h"
#include "pvboot/uv.h"
#include "cpu/env.h"
#include "cpu/uc_lib.h"

/* ---- PSW (64-bit z/Architecture format) ---------------------------------- */
#define PSW_PER 0x4000000000000000ULL
#define PSW_DAT 0x0400000000000000ULL
#define PSW_IO 0x0200000000000000ULL
#define PSW_EXT 0x0100000000000000ULL
#define PSW_KEY 0x00f0000000000000ULL
#define PSW_SHORT 0x0008000000000000ULL	/* bit 12: short-format flag */
#define PSW_MCHK 0x0004000000000000ULL
#define PSW_WAIT 0x0002000000000000ULL
#define PSW_PSTATE 0x0001000000000000ULL
#define PSW_ASC 0x0000c00000000000ULL
#define PSW_ASC_HOME 0x0000c00000000000ULL
#define PSW_ASC_SECONDARY 0x0000800000000000ULL
#define PSW_CC 0x0000300000000000ULL
#define PSW_CC_SHIFT 44
#define PSW_EA 0x0000000100000000ULL
#define PSW_BA 0x0000000080000000ULL
#define PSW_MASK_64 (PSW_EA | PSW_BA)
/* Bits that must be zero in a valid PSW: 0, 2-4, 12, 25-30, 33-63. */
#define PSW_MASK_INVALID 0xb80800fe7fffffffULL	/* bit 24 too: no RI (64) */

/* ---- lowcore (real addresses, relocated by the prefix) ------------------ */
#define LC_EXT_PARAM 0x80
#define LC_CPU_ADDR 0x84
#define LC_EXT_CODE 0x86
#define LC_SVC_ILC 0x88
#define LC_SVC_CODE 0x8a
#define LC_PGM_ILC 0x8c
#define LC_PGM_CODE 0x8e
#define LC_TEC 0xa8
#define LC_DXC 0x93		/* data-exception code */
#define LC_MON_CLASS 0x94	/* monitor-class number */
#define LC_MON_CODE 0xb0	/* monitor code */
#define LC_SUBCHANNEL_ID 0xb8
#define LC_IO_PARAM 0xbc
#define LC_IO_WORD 0xc0
#define LC_STFL 0xc8
#define LC_RESTART_OLD 0x120
#define LC_EXT_OLD 0x130
#define LC_SVC_OLD 0x140
#define LC_PGM_OLD 0x150
#define LC_MCK_OLD 0x160
#define LC_IO_OLD 0x170
#define LC_RESTART_NEW 0x1a0
#define LC_EXT_NEW 0x1b0
#define LC_SVC_NEW 0x1c0
#define LC_PGM_NEW 0x1d0
#define LC_MCK_NEW 0x1e0
#define LC_IO_NEW 0x1f0
#define LC_SIZE 0x2000ULL

/* External interruption codes and their CR0 subclass masks. */
#define EXT_EMERGENCY 0x1201
#define EXT_EXTCALL 0x1202
#define EXT_CKC 0x1004
#define EXT_CPU_TIMER 0x1005
#define EXT_SERVICE_SIGNAL 0x2401
#define CR0_AFP 0x40000ULL		/* bit 45: AFP-register control */
#define CR0_EMERGENCY 0x4000ULL		/* bit 49 */
#define CR0_EXTCALL 0x2000ULL		/* bit 50 */
#define CR0_CKC 0x800ULL		/* bit 52 */
#define CR0_CPU_TIMER 0x400ULL		/* bit 53 */
#define CR0_SERVICE_SIGNAL 0x200ULL	/* bit 54 */
#define CR0_RESET 0xe0ULL
#define CR14_RESET 0xc2000000ULL

/* Unicorn exception numbers (QEMU target/s390x cpu.h EXCP_*). */
#define UC_EXCP_SVC 2
#define UC_EXCP_PGM 3

/* Program-interruption codes the machine raises itself. */
#define PGM_OPERATION 0x01
#define PGM_PRIVILEGED 0x02
#define PGM_PROTECTION 0x04
#define PGM_ADDRESSING 0x05
#define PGM_SPECIFICATION 0x06
#define PGM_OPERAND 0x15
#define PGM_SPECIAL_OPERATION 0x13
#define PGM_DATA 0x07
#define DXC_VECTOR 0xfe		/* data exception: vector instruction */
#define PGM_MONITOR_EVENT 0x40

#define MAX_CPUS 248		/* the architecture's SIGP CPU addresses */

/* ---- run loop ----------------------------------------------------------- */
enum exit_reason {
	EXIT_NONE,
	EXIT_RESET,		/* DIAG 308 asked for a machine reset */
	EXIT_RESCHED,		/* a CPU changed state: pick again */
	EXIT_TIMEOUT,
	EXIT_USER_QUIT,		/* the console escape sequence */
	EXIT_FATAL,		/* the guest cannot continue, see msg */
};

/* QEMU's enum s390_reset (pv-machine-and-uv.md §1.5, §1.7). */
enum reset_type {
	RESET_EXTERNAL,
	RESET_REIPL,
	RESET_MODIFIED_CLEAR,
	RESET_LOAD_NORMAL,
	RESET_PV,
};

/* CPU states of the architecture (SIGP, QEMU's S390_CPU_STATE_*). */
enum vcpu_state {
	VCPU_STOPPED,
	VCPU_OPERATING,
	VCPU_CHECK_STOP,
};

/* CPU-local interruption conditions (vcpu.irq). */
#define IRQ_EMERGENCY 0x01U
#define IRQ_EXTCALL 0x02U
#define IRQ_RESTART 0x04U
#define IRQ_STOP 0x08U		/* SIGP stop: stop at the next boundary */
#define IRQ_STOP_STORE 0x10U	/* ... and store the status */

/* What the events thread asks of a CPU (vcpu.kick). */
#define KICK_IRQ 0x1U		/* look at the interruption conditions */
#define KICK_LEAVE 0x2U		/* leave the CPU loop (slice, timeout) */
#define KICK_FXO 0x4U		/* PSW bit 20 changed: retranslate (fxo.c) */
#define KICK_BFP 0x8U		/* FPC masks changed: retranslate (bfptrap.c) */

struct pv_machine;

#define PFAULT_NONE UINT64_MAX

struct vcpu {
	struct pv_machine *m;
	unsigned int id;		/* CPU address */
	uc_engine *uc;
	uint8_t *env;			/* Unicorn's CPUS390XState */
	void *cs;			/* Unicorn's CPUState */
	enum vcpu_state state;		/* set with vcpu_set_state() */
	bool cputm_frozen;		/* not operating: the timer stands */
	uint64_t pfault_token;		/* DIAG 0x258, PFAULT_NONE = none */
	uint64_t cputm_saved;		/* its value then */
	unsigned int irq;		/* IRQ_* */
	uint64_t emergency[4];		/* emergency signals by source CPU */
	uint16_t extcall_from;
	/* Timers: the CKC in TOD units, the CPU timer as the host
	 * CLOCK_MONOTONIC time (ns) at which its value crosses zero. */
	_Atomic uint64_t ckc;
	_Atomic int64_t cputm_at;
	_Atomic bool ckc_fired, cputm_fired;	/* kicked for it once */
	_Atomic unsigned int kick;	/* KICK_* */
	bool running;			/* inside uc_emu_start */
	bool leaving;			/* vcpu_leave/stop: no more delivery */
	uint8_t *codebits;		/* RAM pages with code of this CPU */
	/* Protected mode: this CPU's secure CPU and its storage. */
	uint64_t pv_handle, pv_stor, pv_sd, pv_sida;
	/*
	 * Program interruptions that repeat without progress: the same code
	 * at the same instruction, and for an access exception the same
	 * translation-exception identification (an instruction that faults
	 * on page after page, as a kernel's loop clearing a user buffer
	 * does, makes progress).
	 */
	uint64_t pgm_last_addr;
	uint64_t pgm_last_tec;
	uint16_t pgm_last_code;
	unsigned int pgm_repeat;
	bool fxo;			/* translated with PSW bit 20 (fxo.c) */
	bool bfpt;			/* ... with FPC masks O/U/X (bfptrap.c) */
	uint64_t insns_hint;		/* for the summary only */
};

/* Floating interruptions, pending for whichever CPU takes them first. */
struct flic {
	bool service;			/* service signal */
	uint32_t service_param;
	uint8_t io_pending;		/* ISC bits (0x80 >> isc) */
};

struct sclp {
	uint32_t cp_receive_mask;	/* events the guest accepts */
	uint32_t cp_send_mask;		/* events the guest sends */
	char pending[1024];		/* line-mode text held back */
	size_t pending_len;
	bool have_pending;
	char last_ascii[1024];		/* last ASCII message printed */
	size_t last_ascii_len;
	bool at_line_start;
	/* console input waiting for a READ EVENT DATA */
	uint8_t in[4096];
	size_t in_len;
	bool quiesce;			/* a shutdown request to deliver */
};

/* Host storage the hypervisor layer donates to the UV (KVM-like). */
struct hv {
	uint8_t *area;		/* host memory at host address @base */
	uint64_t base, area_len;
	unsigned int area_flags;	/* pv_uv_map_host flags of @area */
	uint64_t uv_base, uv_base_len;	/* UV INIT donation */
	uint64_t conf_base, conf_base_len;
	uint64_t conf_var, conf_var_len;
	uint64_t cpu_stor, cpu_stor_len;	/* per CPU, times ncpus */
	uint64_t sca, sd, sida, hdr;	/* sd and sida: one page per CPU */
	uint64_t asce;
	bool uv_ready;		/* UV INIT succeeded */
	bool leaked;		/* a destroy failed: storage not reusable */
	uint64_t conf_handle;	/* 0 = not protected */
	/* Last PV command for the subcode-10 composite response (§3.2). */
	uint16_t last_cmd, last_rc, last_rrc;
};

#define HV_AREA_MIN 0x100000000ULL	/* 4 GiB */
#define HV_SIDA_SIZE 4096U

/* Machine-wide knowledge of which RAM pages hold translated code. */
struct codemap {
	uint8_t *count;		/* per 4 KiB page: CPUs with code there */
	uint64_t pages;
};

/* The events thread (machine/cpu/events.c). */
struct events {
	pthread_t thread;
	bool started;
	int wake_fd;		/* eventfd: deadlines changed, or quit */
	int idle_fd;		/* eventfd: the run loop sleeps on it */
	int in_fd;		/* console input, or -1 */
	_Atomic bool quit;
	_Atomic bool timed_out;
	_Atomic bool input_ready;	/* bytes in @inbuf */
	_Atomic bool input_eof;
	_Atomic bool user_quit;		/* escape + 'x' on the console */
	uint8_t escape;			/* 0 = none */
	bool escaped;			/* the last byte was the escape */
	pthread_mutex_t in_mu;
	uint8_t inbuf[4096];
	size_t inlen;
	_Atomic uint64_t slice_end;	/* mono ns, 0 = none */
};

struct io_state;	/* io.h: channel subsystem, devices, bios */

struct pv_machine {
	int image_fd;			/* the image file, kept open */
	uint8_t *ram;
	unsigned int ram_map_flags;	/* pv_uv_map_host flags of @ram */
	struct uvlink *uvl;		/* the UV in another process */
	struct pv_machine_crash *crash;	/* watched: the last PSW run */
	uint64_t ram_size;
	struct pv_uv *uv;

	struct vcpu *cpus[MAX_CPUS];
	unsigned int ncpus;
	struct vcpu *cur;	/* the CPU executing, or NULL */
	unsigned int rr;	/* round-robin position */

	FILE *con;
	int con_in;		/* console input fd, -1 = none */
	uint8_t escape;		/* console escape byte, 0 = none */
	FILE *transcript;
	char *transcript_path;
	int transcript_errno;	/* first failed write, 0 if none */
	FILE *tr;		/* trace log or NULL */
	double timeout;
	unsigned int flags;
	bool (*interrupted)(void);

	/* IPL image */
	char *image_path;
	uint8_t *image_buf;
	size_t image_len;
	bool loaded;
	char *append;
	uint64_t ipl_mask, ipl_addr;	/* PSW the IPL starts with */

	struct codemap code;
	struct flic flic;
	struct events ev;
	bool in_stub;		/* the host runs its own probe code */

	/* TOD clock: host monotonic time plus an offset, in TOD units. */
	uint64_t tod_base;	/* TOD at mono_base */
	uint64_t mono_base;	/* CLOCK_MONOTONIC ns */
	uint64_t tod_last;	/* last value stored, for uniqueness */

	struct {
		enum exit_reason reason;
		uint64_t mask, addr;	/* PSW to report */
		char msg[768];
	} exit;

	struct {
		enum reset_type type;
		struct vcpu *cpu;	/* the CPU that asked */
		int r1;			/* R1 of the DIAG (sc 10) */
		uint64_t mask, addr;	/* PSW after the DIAG */
	} reset;

	/* IPL parameter block slots (§2.5) */
	uint8_t iplb[4096];
	bool iplb_valid;
	uint8_t iplb_pv[4096];
	bool iplb_pv_valid;

	bool protected_mode;
	struct hv hv;
	struct sclp sclp;
	struct io_state *io;

	/* DIAG 308 log: a ring of the most recent events */
	struct pv_d308_event d308[PV_RUN_MAX_D308];
	uint64_t nd308;

	/* Run bookkeeping */
	bool ran;
	struct pv_run_stats st;
	struct pv_run_result *res;
	uint64_t deadline_ns;
	uint64_t guest_ns, uv_ns;	/* time in guest code / in the UV */
	struct vcpu *last_stopped;	/* whose PSW the summary shows */
	bool ended_by_wait;		/* a disabled wait ended the run */
};

/* ---- machine.c ---------------------------------------------------------- */
void mach_trace(struct pv_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mach_fatal(struct pv_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
uint64_t mach_now_ns(void);

/* ---- cpu/engine.c: one Unicorn engine per guest CPU ---------------------- */
int vcpu_new(struct pv_machine *m, unsigned int id, struct vcpu **out,
	     struct pv_err **err);
void vcpu_free(struct vcpu *v);
uint64_t vcpu_gr(const struct vcpu *v, int n);
void vcpu_set_gr(struct vcpu *v, int n, uint64_t val);
uint64_t vcpu_ea(const struct vcpu *v, uint64_t mask, unsigned int x,
		 unsigned int b, int64_t d);
uint64_t vcpu_fpr(const struct vcpu *v, int n);
void vcpu_set_fpr(struct vcpu *v, int n, uint64_t val);
uint64_t vcpu_pswm(const struct vcpu *v);	/* with the current CC */
uint64_t vcpu_pc(const struct vcpu *v);
uint64_t vcpu_cr(const struct vcpu *v, int n);
uint32_t vcpu_prefix(const struct vcpu *v);
void vcpu_load_psw(struct vcpu *v, uint64_t mask, uint64_t addr);
void vcpu_set_cc(struct vcpu *v, int cc);
bool psw_valid(uint64_t mask, uint64_t addr);
void psw_from_short(uint64_t sw, uint64_t *mask, uint64_t *addr);
uint64_t addr_wrap(uint64_t mask, uint64_t a);

enum vcpu_reset_kind { CPU_RESET_NORMAL, CPU_RESET_INITIAL, CPU_RESET_CLEAR };
void vcpu_set_state(struct vcpu *v, enum vcpu_state st);
void vcpu_reset(struct vcpu *v, enum vcpu_reset_kind kind);
void vcpu_set_prefix(struct vcpu *v, uint32_t prefix);
void vcpu_kick(struct vcpu *v, unsigned int why);
void vcpu_irq_changed(struct vcpu *v);
void machine_irq_changed(struct pv_machine *m);

/* Raise a program interruption for the instruction the helper runs (it
 * returns at the return address @ra in translated code). */
void vcpu_raise(struct vcpu *v, uint16_t code, uintptr_t ra)
	__attribute__((noreturn));
/* Leave the CPU loop after the current instruction (resets, stops). */
void vcpu_leave(struct vcpu *v, uintptr_t ra, unsigned int ilen, int cc)
	__attribute__((noreturn));
void vcpu_sync_psw(struct vcpu *v, uintptr_t ra);

/* machine.c: drop the loaded image (file, name, buffer). */
void image_forget(struct pv_machine *m);

/* ---- uvlink.c: the UV in another process --------------------------------- */
int uvlink_open(struct pv_machine *m, int fd, struct pv_err **err);
void *uvlink_mem(struct pv_machine *m, uint64_t len, unsigned int *flags,
		 struct pv_err **err);
uint64_t uvlink_next_secure(struct pv_machine *m, uint64_t from, uint64_t end);
/* The first page in [@from, @end) the hypervisor may not touch, or @end. */
uint64_t uvlink_next_hidden(struct pv_machine *m, uint64_t from, uint64_t end);

/* ---- cpu/trace.c -------------------------------------------------------- */
void trace_insn(struct vcpu *v, uintptr_t ra);
/* cpu/interpose.c: SET CLOCK for the whole configuration. */
void clock_set(struct pv_machine *m, uint64_t tod);

/* ---- cpu/probe.c -------------------------------------------------------- */
int probe_engine(struct vcpu *v, bool full, struct pv_err **err);

/* ---- cpu/codemap.c: translated code vs. guest stores --------------------- */
int codemap_init(struct pv_machine *m, struct pv_err **err);
void codemap_free(struct pv_machine *m);
void codemap_written(struct pv_machine *m, uint64_t abs, uint64_t len);
void codemap_invalidate_cpu(struct vcpu *v);

/* ---- cpu/mem.c: guest memory as the CPU/firmware sees it ---------------- */
uint8_t *mem_abs(struct pv_machine *m, uint64_t abs, uint64_t len);
uint64_t mem_real_to_abs(const struct vcpu *v, uint64_t real);
int mem_translate(struct vcpu *v, uint64_t mask, uint64_t laddr, int rw,
		  uint64_t *abs, uint64_t *tec);
int mem_read_logical(struct vcpu *v, uint64_t laddr, void *buf, uint64_t len,
		     uint64_t *tec);
int mem_write_logical(struct vcpu *v, uint64_t laddr, const void *buf,
		      uint64_t len, uint64_t *tec);
void mem_read_op(struct vcpu *v, uint64_t laddr, void *buf, uint64_t len,
		 uintptr_t ra);
void mem_write_op(struct vcpu *v, uint64_t laddr, const void *buf,
		  uint64_t len, uintptr_t ra);
/* A store of @len bytes at @laddr would succeed, or its access exception. */
void mem_probe_write_op(struct vcpu *v, uint64_t laddr, uint64_t len,
			uintptr_t ra);
uint8_t *mem_lowcore(struct vcpu *v);

/* ---- cpu/fpemu.c: instructions Unicorn cannot translate ---------------- */
/* SQXBR, LDER (op: the 4 instruction bytes); false for any other. */
bool fpemu_run(struct vcpu *v, const uint8_t op[4], uint64_t mask,
	       uint64_t addr, unsigned int ilen);
/* FPC (PoO chapter 9, "Floating-Point-Control Register"): IEEE masks,
 * flags; the DXCs of the IEEE exceptions and of a BFP instruction with
 * AFP off. */
#define FPC_MASK_INVALID 0x80000000U
#define FPC_MASK_DIVZERO 0x40000000U
#define FPC_MASK_OVERFLOW 0x20000000U
#define FPC_MASK_UNDERFLOW 0x10000000U
#define FPC_MASK_INEXACT 0x08000000U
#define FPC_FLAG_INVALID 0x00800000U
#define FPC_FLAG_DIVZERO 0x00400000U
#define FPC_FLAG_OVERFLOW 0x00200000U
#define FPC_FLAG_UNDERFLOW 0x00100000U
#define FPC_FLAG_INEXACT 0x00080000U
#define DXC_AFP_REG 0x01
#define DXC_BFP_INSN 0x02
#define DXC_IEEE_INVALID 0x80
#define DXC_IEEE_DIVZERO 0x40
#define DXC_IEEE_OVERFLOW 0x20
#define DXC_IEEE_UNDERFLOW 0x10
#define DXC_IEEE_INEXACT 0x08
#define DXC_IEEE_INCREMENTED 0x04	/* with 0x08: inexact, incremented */
/* FPC bits 61-63 (BFP rounding mode) as softfloat's (cpu/fpemu.c). */
signed char bfp_rounding(uint32_t fpc);

/*
 * cpu/bfptrap.c: IEEE overflow, underflow and inexact traps that complete.
 * bfptrap_fpc_loading() before an FPC load (true: the hidden set
 * changes, the CPU was kicked); bfptrap_sync() where no translated code
 * runs; bfptrap_translated_out(): must the translator not see the
 * instruction at @b (6 bytes)?  bfptrap_run(): those instructions.
 */
bool bfptrap_fpc_loading(struct vcpu *v, uint32_t fpc);
void bfptrap_sync(struct vcpu *v);
bool bfptrap_translated_out(const uint8_t *b);
bool bfptrap_run(struct vcpu *v, const uint8_t *b, uint64_t mask,
		 uint64_t addr, unsigned int ilen);

/*
 * cpu/fxo.c: fixed-point overflow.  fxo_psw_changed() after every PSW
 * load; fxo_sync() where no translated code runs; fxo_translated_out():
 * must the translator not see the instruction at @b (6 bytes)?
 * fxo_run(): SPM and the overflow-capable instructions (false: other).
 */
void fxo_psw_changed(struct vcpu *v, uint64_t mask);
void fxo_sync(struct vcpu *v);
bool fxo_translated_out(const uint8_t *b);
bool fxo_run(struct vcpu *v, const uint8_t *b, uint64_t mask, uint64_t addr,
	     unsigned int ilen);

/* cpu/bitemu.c: the test-only forms of RNSBG, ROSBG, RXSBG (6 bytes). */
bool rsbg_test_form(const uint8_t *b);
bool rsbg_run(struct vcpu *v, const uint8_t *b, uint64_t mask, uint64_t addr,
	      unsigned int ilen);

/* cpu/csst.c: COMPARE AND SWAP AND STORE for a helper (its cc). */
uint32_t csst_run(struct vcpu *v, uint32_t r3, uint64_t a1, uint64_t a2,
		  uintptr_t ra);
/* cpu/hfpemu.c: HFP add, subtract, multiply, divide, square root. */
bool hfpemu_run(struct vcpu *v, const uint8_t op[6], uint64_t mask,
		uint64_t addr, unsigned int ilen);
/* cpu/decemu.c: ZAP, CP, AP, SP, MP, DP (op: the 6 bytes); false else. */
bool decemu_run(struct vcpu *v, const uint8_t op[6], uint64_t mask,
		uint64_t addr, unsigned int ilen);

/* ---- cpu/irq.c: interruptions ------------------------------------------- */
int irq_install_hook(struct vcpu *v, struct pv_err **err);
bool irq_pgm(struct vcpu *v, uint16_t code, unsigned int ilen,
	     uint64_t old_mask, uint64_t insn_addr);
bool irq_svc(struct vcpu *v, uint16_t code, unsigned int ilen);
/* Data exception with @dxc (at 0x93; in the FPC too while AFP is on). */
void irq_data(struct vcpu *v, uint8_t dxc, uint64_t mask, uint64_t addr,
	      unsigned int ilen);
/* Access exception @rc (0: none, false) with its TEC; true if taken. */
bool irq_access(struct vcpu *v, int rc, uint64_t tec, uint64_t mask,
		uint64_t addr, unsigned int ilen);
bool irq_pending(struct vcpu *v);
bool irq_deliver(struct vcpu *v);
void irq_service_signal(struct pv_machine *m, uint32_t param);
void irq_restart(struct vcpu *v);

/* ---- cpu/timer.c: TOD clock, clock comparator, CPU timer --------------- */
void tod_init(struct pv_machine *m);
uint64_t tod_now(struct pv_machine *m);
uint64_t tod_to_mono(const struct pv_machine *m, uint64_t tod);
bool ckc_pending(struct vcpu *v);
bool cputm_pending(struct vcpu *v);
uint64_t cputm_get(struct vcpu *v);
void cputm_set(struct vcpu *v, uint64_t val);

/* ---- cpu/events.c ------------------------------------------------------- */
int events_start(struct pv_machine *m, struct pv_err **err);
void events_stop(struct pv_machine *m);
void events_wake(struct pv_machine *m);
void events_idle(struct pv_machine *m, uint64_t max_ns);
void events_poke_idle(struct pv_machine *m);
size_t events_take_input(struct pv_machine *m, uint8_t *buf, size_t len);

/* ---- hv_mem.c: guest memory as the hypervisor sees it ------------------- */
int hv_read(struct pv_machine *m, uint64_t gaddr, void *buf, uint64_t len);
int hv_write(struct pv_machine *m, uint64_t gaddr, const void *buf,
	     uint64_t len);
bool hv_range_ok(void *opaque, uint64_t addr, uint64_t len);
uint8_t *hv_sida(struct vcpu *v);
struct vcpu *mach_cpu(struct pv_machine *m);
void hv_notify(void *opaque, uint64_t haddr, uint64_t len);

/* ---- instruction handlers (one small file each) -------------------------- */
uint32_t sclp_servc(struct vcpu *v, uint64_t sccb, uint64_t cmd,
		    uintptr_t ra);
void sclp_reset(struct pv_machine *m);
void sclp_flush(struct pv_machine *m);
int sclp_execute(struct pv_machine *m, uint8_t *sccb, uint32_t cmd);
void sclp_input(struct pv_machine *m);
bool sclp_event_pending(struct pv_machine *m);
uint32_t sigp_handle(struct vcpu *v, uint64_t order, int r1, int r3,
		     uintptr_t ra);
void sigp_stop_done(struct vcpu *v);
void sigp_store_status(struct vcpu *v, uint64_t abs);
size_t fac_list(struct pv_machine *m, uint8_t *out, size_t len);
uint32_t fac_stfle(struct vcpu *v, uint64_t addr, uintptr_t ra);
void fac_stfl(struct vcpu *v);
uint32_t stsi_handle(struct vcpu *v, uint64_t addr, uint64_t r0,
		     uint64_t r1, uintptr_t ra);
void diag_handle(struct vcpu *v, int r1, int r3, uint32_t code,
		 uintptr_t ra);
bool uvc_handle(struct vcpu *v, uint64_t addr);
void uvc_install(struct pv_machine *m);
void css_insn(struct vcpu *v, uint16_t op, uint64_t r1, uint64_t inst,
	      uintptr_t ra);
uint32_t css_tpi(struct vcpu *v, uint64_t addr, uintptr_t ra);
bool css_io_pending(struct vcpu *v);
bool css_io_deliver(struct vcpu *v);
bool css_io_can_end_wait(const struct vcpu *v);
/* cpu/irq.c: store the I/O interruption codes and swap the I/O PSWs. */
bool irq_deliver_io(struct vcpu *v, uint32_t schid, uint32_t param,
		    uint32_t id);

/* ---- diag308.c ---------------------------------------------------------- */
struct d308_out {
	uint16_t pgm;		/* program exception to present, or 0 */
	bool reset;		/* a machine reset of @type follows */
	enum reset_type type;
	bool has_response;
};
void d308_execute(struct pv_machine *m, int r1, int r3, uint64_t gr[16],
		  uint64_t mask, struct d308_out *out);
void d308_log(struct pv_machine *m, uint64_t subcode, uint64_t addr,
	      const struct d308_out *out, uint64_t response);
void diag308_insn(struct vcpu *v, int r1, int r3, uintptr_t ra);

/* ---- hv.c / hv_pv.c: KVM-like PV commands ------------------------------- */
int hv_init(struct pv_machine *m, struct pv_err **err);
void hv_free(struct pv_machine *m);
int hv_uvc(struct pv_machine *m, uint8_t *cb, uint16_t cmd);
/* The trace line of one host UVC (with --trace). */
void hv_uvc_trace(struct pv_machine *m, const uint8_t *cb, uint16_t cmd,
		  int cc);
int hv_enable(struct pv_machine *m);
int hv_protect(struct pv_machine *m, uint16_t *cmd, uint16_t *rc,
	       uint16_t *rrc);
void hv_unprotect(struct pv_machine *m);
int hv_pv_prepare_reset(struct pv_machine *m);
int hv_cpu_reset(struct vcpu *v, uint16_t cmd);
int hv_cpu_load(struct vcpu *v, struct pv_err **err);
int hv_sie_entry(struct vcpu *v, struct pv_err **err);
int hv_cpu_state(struct vcpu *v, uint8_t state);

/* ---- reset.c / ipl.c ---------------------------------------------------- */
int ipl_load_image(struct pv_machine *m, struct pv_err **err);
int ipl_start(struct pv_machine *m, struct pv_err **err);
int machine_reset(struct pv_machine *m, enum reset_type type,
		  struct pv_err **err);
int load_normal(struct vcpu *v, struct pv_err **err);
const char *reset_name(enum reset_type type);

/* ---- run.c -------------------------------------------------------------- */
void run_exit(struct pv_machine *m, enum exit_reason why);
void run_cpu_stopped(struct vcpu *v);

#endif
