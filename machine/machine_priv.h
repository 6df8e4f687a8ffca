/* SPDX-License-Identifier: MIT */
/*
 * Private state of the s390x machine (one CPU, one struct, one run loop).
 *
 * Layers, as on a real KVM host:
 *   guest CPU   - Unicorn runs guest code; host hooks emulate what Unicorn
 *                 does not (guest-cpu-feasibility.md, guest-boot-probe.md).
 *   firmware    - interrupt delivery, STFLE, DAT: touches guest memory
 *                 directly, as the CPU would (also in protected mode).
 *   hypervisor  - SCLP, DIAG 308, the PV commands: reaches guest memory only
 *                 through the UV's host-access check (hv_read/hv_write) or
 *                 through the SIDA, never directly.
 */
#ifndef PVBOOT_MACHINE_PRIV_H
#define PVBOOT_MACHINE_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pvboot/err.h"
#include "pvboot/machine.h"
#include "pvboot/uv.h"
#include "uc_lib.h"

/* ---- PSW (64-bit z/Architecture format) ---------------------------------- */
#define PSW_PER 0x4000000000000000ULL
#define PSW_DAT 0x0400000000000000ULL
#define PSW_IO 0x0200000000000000ULL
#define PSW_EXT 0x0100000000000000ULL
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
#define PSW_MASK_INVALID 0xb808007e7fffffffULL

/* ---- lowcore (real addresses, relocated by the prefix) ------------------ */
#define LC_EXT_PARAM 0x80
#define LC_CPU_ADDR 0x84
#define LC_EXT_CODE 0x86
#define LC_SVC_ILC 0x88
#define LC_SVC_CODE 0x8a
#define LC_PGM_ILC 0x8c
#define LC_PGM_CODE 0x8e
#define LC_STFL 0xc8
#define LC_EXT_OLD 0x130
#define LC_SVC_OLD 0x140
#define LC_PGM_OLD 0x150
#define LC_EXT_NEW 0x1b0
#define LC_SVC_NEW 0x1c0
#define LC_PGM_NEW 0x1d0
#define LC_SIZE 0x2000ULL

#define EXT_SERVICE_SIGNAL 0x2401
#define CR0_SERVICE_SIGNAL 0x200ULL	/* CR0 bit 54: service signal */
#define CR0_RESET 0xe0ULL
#define CR14_RESET 0xc2000000ULL

/* Unicorn exception numbers (QEMU target/s390x cpu.h EXCP_*). */
#define UC_EXCP_EXT 1
#define UC_EXCP_SVC 2
#define UC_EXCP_PGM 3

/* ---- run loop ----------------------------------------------------------- */
enum exit_reason {
	EXIT_NONE,
	EXIT_WAIT,		/* disabled wait: the run ends */
	EXIT_STOP,		/* SIGP stop to itself: the run ends */
	EXIT_RESET,		/* DIAG 308 asked for a machine reset */
	EXIT_ADDRESSING,	/* access outside RAM, seen by MEM_UNMAPPED */
	EXIT_TIMEOUT,
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

/* What an instruction handler wants done with the instruction. */
enum insn_action {
	ACT_NATIVE,		/* let Unicorn execute it */
	ACT_NEXT,		/* emulated: set the CC, go to the next */
	ACT_PSW,		/* emulated: the handler loaded a new PSW */
	ACT_EXIT,		/* stop emulation, m->exit says why */
};

/* One decoded instruction at the current PSW. */
struct insn {
	uint64_t addr;		/* logical address */
	uint8_t b[6];
	unsigned int len;	/* 2, 4 or 6 */
	uint16_t op;		/* opcode key, see insn_key() */
};

struct vcpu {
	uint64_t cr[16];	/* shadow, kept by LCTL/LCTLG and resets */
	uint32_t prefix;	/* shadow, kept by SPX and resets */
	uint64_t tod_last;	/* last TOD value stored */
	/* State of the instruction being emulated. */
	uint64_t mask;		/* PSW mask at the instruction */
	int cc;			/* CC to set, -1 = unchanged */
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
};

/* Host storage the hypervisor layer donates to the UV (KVM-like). */
struct hv {
	uint8_t *area;		/* host memory at host address @base */
	uint64_t base, area_len;
	uint64_t uv_base, uv_base_len;	/* UV INIT donation */
	uint64_t conf_base, conf_base_len;
	uint64_t conf_var, conf_var_len;
	uint64_t cpu_stor, cpu_stor_len;
	uint64_t sca, sd, sida, hdr;	/* one page each, hdr two */
	uint64_t asce;
	bool uv_ready;		/* UV INIT succeeded */
	bool leaked;		/* a destroy failed: storage not reusable */
	uint64_t conf_handle;	/* 0 = not protected */
	uint64_t cpu_handle;
	/* Last PV command for the subcode-10 composite response (§3.2). */
	uint16_t last_cmd, last_rc, last_rrc;
};

#define HV_AREA_MIN 0x100000000ULL	/* 4 GiB */
#define HV_SIDA_SIZE 4096U

/* Scanned translation blocks (guest-cpu-feasibility.md §2 (b)). */
struct seen_tb {
	uint64_t addr;		/* TB start (logical) */
	uint64_t abs;		/* absolute address of its bytes */
	uint32_t size;
	uint32_t ninsn;
	uint32_t bytes_off;	/* into scan.bytes */
	bool used;
};

struct scan {
	struct seen_tb *tb;
	uint64_t tb_cap, tb_used;
	struct seen_tb *last;	/* the TB the block hook saw last */
	uint8_t *bytes;		/* copies of the scanned TB bytes */
	uint64_t bytes_len, bytes_cap;
	uint64_t *hooked;	/* open-addressing set of hooked addresses */
	uint64_t hooked_cap, hooked_used;
	bool full_hook;		/* hook every instruction */
	/* Host writes to guest RAM not yet removed from the TB cache. */
	uint64_t dirty_lo, dirty_hi;
};

#define SCAN_MAX_HOOKS 4096

struct pv_machine {
	uc_engine *uc;
	uint8_t *ram;
	uint64_t ram_size;
	struct pv_uv *uv;

	FILE *con;
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

	struct vcpu cpu;
	struct scan scan;
	uc_hook hk_block, hk_all, hk_intr, hk_unmapped;
	bool in_stub;		/* the host runs its own reset stub */

	/* Floating service-signal interrupt */
	bool sig_pending;
	uint32_t sig_param;

	struct {
		enum exit_reason reason;
		uint64_t mask, addr;	/* PSW to report or resume at */
		uint64_t fault;		/* EXIT_ADDRESSING address */
		char msg[768];
	} exit;

	struct {
		enum reset_type type;
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

	/* DIAG 308 log: a ring of the most recent events */
	struct pv_d308_event d308[PV_RUN_MAX_D308];
	uint64_t nd308;

	/* Run bookkeeping */
	bool ran;
	struct pv_run_stats st;
	struct pv_run_result *res;
	uint64_t deadline_ns;
	uint32_t tick;
	uint64_t pgm_last_addr;
	uint16_t pgm_last_code;
	unsigned int pgm_repeat;
};

/* ---- machine.c ---------------------------------------------------------- */
void mach_trace(struct pv_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mach_fatal(struct pv_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
uint64_t mach_now_ns(void);

/* ---- cpu.c: Unicorn registers and PSW ----------------------------------- */
uint64_t vcpu_gr(struct pv_machine *m, int n);
void vcpu_set_gr(struct pv_machine *m, int n, uint64_t v);
void vcpu_get_grs(struct pv_machine *m, uint64_t gr[16]);
void vcpu_set_grs(struct pv_machine *m, const uint64_t gr[16]);
uint64_t vcpu_pswm(struct pv_machine *m);
uint64_t vcpu_pc(struct pv_machine *m);
void vcpu_load_psw(struct pv_machine *m, uint64_t mask, uint64_t addr);
bool psw_valid(uint64_t mask, uint64_t addr);
void psw_from_short(uint64_t sw, uint64_t *mask, uint64_t *addr);
uint64_t addr_wrap(uint64_t mask, uint64_t a);

enum vcpu_reset_kind { CPU_RESET_NORMAL, CPU_RESET_INITIAL, CPU_RESET_CLEAR };
int vcpu_reset(struct pv_machine *m, enum vcpu_reset_kind kind,
	      struct pv_err **err);

/* ---- mem.c: guest memory as the CPU/firmware sees it -------------------- */
uint8_t *mem_abs(struct pv_machine *m, uint64_t abs, uint64_t len);
uint64_t mem_real_to_abs(struct pv_machine *m, uint64_t real);
int mem_translate(struct pv_machine *m, uint64_t mask, uint64_t laddr,
		  bool write, uint64_t *abs);
int mem_read_logical(struct pv_machine *m, uint64_t mask, uint64_t laddr,
		     void *buf, uint64_t len);
int mem_write_logical(struct pv_machine *m, uint64_t mask, uint64_t laddr,
		      const void *buf, uint64_t len);
int mem_read_real(struct pv_machine *m, uint64_t real, void *buf,
		  uint64_t len);
int mem_write_real(struct pv_machine *m, uint64_t real, const void *buf,
		   uint64_t len);

/* dat.c */
int dat_translate(struct pv_machine *m, uint64_t mask, uint64_t laddr,
		  bool write, uint64_t *real);

/* ---- hv_mem.c: guest memory as the hypervisor sees it ------------------- */
int hv_read(struct pv_machine *m, uint64_t gaddr, void *buf, uint64_t len);
int hv_write(struct pv_machine *m, uint64_t gaddr, const void *buf,
	     uint64_t len);
bool hv_range_ok(void *opaque, uint64_t addr, uint64_t len);
uint8_t *hv_sida(struct pv_machine *m);
void hv_notify(void *opaque, uint64_t haddr, uint64_t len);

/* ---- insn.c: decoding ---------------------------------------------------- */
unsigned int insn_len(uint8_t b0);
uint16_t insn_key(const uint8_t *b);
int insn_fetch(struct pv_machine *m, uint64_t mask, uint64_t addr,
	       struct insn *in);
const char *insn_name(uint16_t key);
bool insn_privileged(uint16_t key);
bool insn_intercepted(uint16_t key);
uint64_t insn_addr_s(struct pv_machine *m, const struct insn *in);
uint64_t insn_addr_rsy(struct pv_machine *m, const struct insn *in);
int insn_operand_fault(struct pv_machine *m, const struct insn *in,
		       uint64_t mask);

/* ---- scan.c: interception hooks ----------------------------------------- */
int scan_init(struct pv_machine *m, struct pv_err **err);
void scan_free(struct pv_machine *m);
void scan_mark_dirty(struct pv_machine *m, uint64_t abs, uint64_t len);
void scan_flush(struct pv_machine *m);
void scan_forget_all(struct pv_machine *m);

/* ---- intercept.c -------------------------------------------------------- */
void intercept_insn(struct pv_machine *m, uint64_t addr, bool from_intr);
void intercept_finish(struct pv_machine *m, const struct insn *in,
		      enum insn_action act);
enum insn_action intercept_pgm_exception(struct pv_machine *m,
					 const struct insn *in);

/* ---- interrupt.c -------------------------------------------------------- */
enum insn_action irq_pgm(struct pv_machine *m, uint16_t code,
			 unsigned int ilen, uint64_t old_mask,
			 uint64_t insn_addr);
enum insn_action irq_svc(struct pv_machine *m, uint16_t code,
			 unsigned int ilen, uint64_t old_mask,
			 uint64_t next_addr);
bool irq_ext_deliverable(struct pv_machine *m, uint64_t mask);
enum insn_action irq_ext_deliver(struct pv_machine *m, uint64_t old_mask,
				 uint64_t old_addr);
void irq_service_signal(struct pv_machine *m, uint32_t param);

/* ---- handlers (one small file each) ------------------------------------- */
enum insn_action sclp_servc(struct pv_machine *m, const struct insn *in);
void sclp_reset(struct pv_machine *m);
void sclp_flush(struct pv_machine *m);
int sclp_execute(struct pv_machine *m, uint8_t *sccb, uint32_t cmd);
enum insn_action sigp_handle(struct pv_machine *m, const struct insn *in);
enum insn_action fac_stfle(struct pv_machine *m, const struct insn *in);
enum insn_action fac_stfl(struct pv_machine *m, const struct insn *in);
size_t fac_list(struct pv_machine *m, uint8_t *out, size_t len);
enum insn_action misc_lpsw(struct pv_machine *m, const struct insn *in);
enum insn_action misc_lctl(struct pv_machine *m, const struct insn *in);
enum insn_action misc_spx(struct pv_machine *m, const struct insn *in);
enum insn_action misc_stck(struct pv_machine *m, const struct insn *in);
enum insn_action diag_handle(struct pv_machine *m, const struct insn *in);
enum insn_action uvc_handle(struct pv_machine *m, const struct insn *in);

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
enum insn_action diag308_insn(struct pv_machine *m, const struct insn *in);

/* ---- hv.c / hv_pv.c: KVM-like PV commands ------------------------------- */
int hv_init(struct pv_machine *m, struct pv_err **err);
void hv_free(struct pv_machine *m);
int hv_uvc(struct pv_machine *m, uint8_t *cb, uint16_t cmd);
int hv_enable(struct pv_machine *m);
int hv_protect(struct pv_machine *m, uint16_t *cmd, uint16_t *rc,
	       uint16_t *rrc);
void hv_unprotect(struct pv_machine *m);
int hv_pv_prepare_reset(struct pv_machine *m);
int hv_cpu_reset(struct pv_machine *m, uint16_t cmd);
int hv_cpu_load(struct pv_machine *m, struct pv_err **err);
int hv_sie_entry(struct pv_machine *m, struct pv_err **err);

/* ---- reset.c / ipl.c ---------------------------------------------------- */
int ipl_load_image(struct pv_machine *m, struct pv_err **err);
int ipl_start(struct pv_machine *m, struct pv_err **err);
int machine_reset(struct pv_machine *m, enum reset_type type,
		  struct pv_err **err);
int load_normal(struct pv_machine *m, struct pv_err **err);
const char *reset_name(enum reset_type type);

/* ---- run.c -------------------------------------------------------------- */
void run_stop(struct pv_machine *m, enum exit_reason why, uint64_t mask,
	      uint64_t addr);

#endif
