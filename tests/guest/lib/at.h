/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the architecture programs (tests/guest/a_*.c): what the
 * z/Architecture Principles of Operation (SA22-7832, "POP" below) says a
 * CPU does, checked from inside the guest.  Built on gt.h; the programs
 * run on pvboot's machine and, unchanged, under QEMU TCG
 * (tests/scenario/arch_qemu.sh), so nothing here depends on gt_parms.
 *
 * Memory the programs use besides gt.h's map (all below 1 MiB):
 *   0x40000  DAT tables (at_dat_*)         0x60000  test pages
 *   0x70000  second prefix area (8 KiB)    0x74000  CPU 1 prefix, 0x78000 CPU 2
 *   0x7c000  stacks of the other CPUs
 * Lowcore scratch: 0x280-0x2ff (external handler), gt.h uses 0x300-0x3ff.
 */
#ifndef AT_H
#define AT_H

#include "gt.h"

/* ---- lowcore (POP chapter 3, "Assigned storage locations") --------------- */

#define LC_U8(off) (*(volatile uint8_t *)(uintptr_t)(off))
#define LC_CPU_ADDR		0x84	/* u16 */
#define LC_SVC_ILC		0x88
#define LC_DXC			0x93	/* u8: data-exception code */
#define LC_MON_CLASS		0x94	/* u16: monitor class number */
#define LC_EXC_ACCESS_ID	0xa0	/* u8 */
#define LC_TEC			0xa8	/* u64: translation-exception id */
#define LC_MON_CODE		0xb0	/* u64 */
#define LC_RESTART_OLD_PSW	0x120
#define LC_RESTART_NEW_PSW	0x1a0
#define LC_STATUS_AREA		0x1200	/* store status */

/* PSW bits (POP "Program-status word"). */
#define PSW_PER			0x4000000000000000ULL	/* bit 1 */
#define PSW_DAT			0x0400000000000000ULL	/* bit 5 */
#define PSW_IO			0x0200000000000000ULL	/* bit 6 */
#define PSW_EXT			0x0100000000000000ULL	/* bit 7 */
#define PSW_MCHK		0x0004000000000000ULL	/* bit 13 */
#define PSW_WAIT		0x0002000000000000ULL	/* bit 14 */
#define PSW_PROBLEM		0x0001000000000000ULL	/* bit 15 */
#define PSW_FIXP_OVERFLOW	0x0000080000000000ULL	/* bit 20 */
#define PSW_DEC_OVERFLOW	0x0000040000000000ULL	/* bit 21 */
#define PSW_HFP_UNDERFLOW	0x0000020000000000ULL	/* bit 22 */
#define PSW_HFP_SIGNIFICANCE	0x0000010000000000ULL	/* bit 23 */
#define PSW_64			0x0000000180000000ULL	/* bits 31, 32 */

/* Control register 0 (POP "Control registers"). */
#define CR0_LAP			0x0000000010000000ULL	/* bit 35 */
#define CR0_SECONDARY		0x0000000004000000ULL	/* bit 37 */
#define CR0_AFP			0x0000000000040000ULL	/* bit 45 */
#define CR0_EMERGENCY		0x0000000000004000ULL	/* bit 49 */
#define CR0_EXTCALL		0x0000000000002000ULL	/* bit 50 */
#define CR0_CKC			0x0000000000000800ULL	/* bit 52 */
#define CR0_CPU_TIMER		0x0000000000000400ULL	/* bit 53 */
#define CR0_SERVICE		0x0000000000000200ULL	/* bit 54 */
#define CR0_EXT_SUBCLASSES	(CR0_EMERGENCY | CR0_EXTCALL | CR0_CKC | \
				 CR0_CPU_TIMER | CR0_SERVICE)

/* External-interruption codes. */
#define EXT_EMERGENCY		0x1201
#define EXT_EXTCALL		0x1202
#define EXT_CKC			0x1004
#define EXT_CPU_TIMER		0x1005
#define EXT_SERVICE		0x2401

/* Program-interruption codes (POP chapter 6). */
enum {
	PGM_OPERATION = 0x01, PGM_PRIVILEGED = 0x02, PGM_EXECUTE = 0x03,
	PGM_PROTECTION = 0x04, PGM_ADDRESSING = 0x05,
	PGM_SPECIFICATION = 0x06, PGM_DATA = 0x07, PGM_FIXP_OVERFLOW = 0x08,
	PGM_FIXP_DIVIDE = 0x09, PGM_DEC_OVERFLOW = 0x0a,
	PGM_DEC_DIVIDE = 0x0b, PGM_HFP_EXP_OVERFLOW = 0x0c,
	PGM_HFP_EXP_UNDERFLOW = 0x0d, PGM_HFP_SIGNIFICANCE = 0x0e,
	PGM_HFP_DIVIDE = 0x0f, PGM_SEGMENT = 0x10, PGM_PAGE = 0x11,
	PGM_TRANS_SPEC = 0x12, PGM_SPECIAL_OP = 0x13, PGM_OPERAND = 0x15,
	PGM_HFP_SQRT = 0x1d, PGM_ASCE_TYPE = 0x38, PGM_REGION_FIRST = 0x39,
	PGM_REGION_SECOND = 0x3a, PGM_REGION_THIRD = 0x3b,
	PGM_MONITOR = 0x40,
};

#define AT_TABLES		0x40000UL
#define AT_TEST_PAGES		0x60000UL
#define AT_PREFIX2		0x70000UL
#define AT_CPU_PREFIX(n)	(0x70000UL + 0x4000UL * (n))
#define AT_CPU_STACK(n)		(0x7c000UL + 0x1000UL * (n))

/* ---- the faulting instruction and where the program goes on ------------- */

/*
 * AT_PRE "insn" AT_POST - inside an extended asm (clobbering "r1" and
 * "memory"): at_spot.at receives the address of the instruction, and
 * at_spot.next the address after it.  AT_PRE_RESUME also makes the next
 * program interruption resume after the instruction (gt_pgm.resume), for
 * nullifying exceptions and invalid PSWs, whose old PSW cannot simply be
 * loaded again; that resume PSW is supervisor state, DAT off.
 */
struct at_spot {
	uint64_t at, next;
};
extern struct at_spot at_spot;
#define AT_PRE	"larl %%r1,0f\n\tstgrl %%r1,at_spot\n\t"		\
		"larl %%r1,1f\n\tstgrl %%r1,at_spot+8\n0:\t"
#define AT_PRE_RESUME							\
		"larl %%r1,1f\n\tstgrl %%r1,gt_pgm+40\n\t" AT_PRE
#define AT_POST	"\n1:\n"

/* at_reset_pgm() - forget any earlier program interruption. */
static inline void at_reset_pgm(void)
{
	gt_pgm.count = 0;
	gt_pgm.code = 0;
	gt_pgm.ilc = 0;
	gt_pgm.old_mask = 0;
	gt_pgm.old_addr = 0;
	gt_pgm.resume = 0;
}

/*
 * at_expect() - one program interruption @code happened, with ILC @ilc and
 * the old PSW at @addr (the instruction for nullification, the next one
 * for suppression and completion).  @what names the case.
 */
bool at_expect(const char *what, uint16_t code, unsigned int ilc,
	       uint64_t addr);
/* at_expect_none() - no program interruption since the last reset. */
bool at_expect_none(const char *what);

/* ---- modes: problem state, DAT, prefix ---------------------------------- */

enum at_mode {
	AT_SUPERVISOR,		/* DAT off, prefix 0 */
	AT_PROBLEM,		/* problem state, DAT off */
	AT_DAT,			/* DAT on (identity), supervisor */
	AT_DAT_PROBLEM,		/* DAT on, problem state */
	AT_PREFIXED,		/* prefix AT_PREFIX2, supervisor, DAT off */
	AT_MODES
};
extern const char *const at_mode_name[AT_MODES];

/*
 * at_enter() - switch to @mode: the current PSW keeps its address and
 * gets the P and DAT bits of the mode; prefixing copies the lowcore to
 * AT_PREFIX2 first.  at_leave() returns to supervisor state, DAT off,
 * prefix 0.  A program interruption always comes back in supervisor
 * state with the DAT bit of the interrupted PSW.
 */
void at_enter(enum at_mode mode);
void at_leave(void);
/* at_supervisor() - back to supervisor state (no-op when there). */
void at_supervisor(void);
/* at_psw_mask() - the current PSW mask (EPSW; the CC is included). */
uint64_t at_psw_mask(void);
/* at_pstate() - problem state from here on (keeps the DAT bit). */
void at_pstate(void);

/* ---- DAT (POP chapter 3, "Dynamic address translation") ----------------- */

/*
 * at_dat_identity() - build tables that map the first @mib MiB 1:1 with
 * 4 KiB pages under a segment-table ASCE (returned), load it into CR1
 * (primary) and CR7/CR13 too.  Nothing else is mapped.
 */
uint64_t at_dat_identity(unsigned int mib);
/* at_pte() - the page-table entry that maps virtual @addr (< mib MiB). */
uint64_t *at_pte(uint64_t addr);
/* at_ste() - the segment-table entry for virtual @addr (< 2 GiB). */
uint64_t *at_ste(uint64_t addr);
/* at_load_asce() - CR1 (and CR7, CR13) = @asce, then PTLB. */
void at_load_asce(uint64_t asce);
static inline void at_ptlb(void)
{
	asm volatile("ptlb" : : : "memory");
}
void at_dat_on(void);
void at_dat_off(void);

/* ---- control registers --------------------------------------------------- */

/* AT_STCTG(cr) / AT_LCTLG(cr, v) - one control register (constant). */
#define AT_STCTG(cr) ({							\
	uint64_t __v;							\
	asm volatile("stctg %c1,%c1,%0" : "=Q"(__v) : "i"(cr));	\
	__v;								\
})
#define AT_LCTLG(cr, v) ({						\
	uint64_t __v = (v);						\
	asm volatile("lctlg %c1,%c1,%0" : : "Q"(__v), "i"(cr) : "memory"); \
})

/* ---- external interruptions (at_asm.S) ---------------------------------- */

/*
 * The recording external handler: each interruption appends its code,
 * CPU address and parameter to at_ext, then resumes at the old PSW with
 * the external mask and the wait bit cleared (so a condition that stays
 * pending is taken once per enabling).
 */
#define AT_EXT_LOG 16
struct at_ext_state {
	uint64_t count;
	uint64_t old_mask, old_addr;
	uint16_t code[AT_EXT_LOG];
	uint16_t cpu[AT_EXT_LOG];
	uint32_t param[AT_EXT_LOG];
};
extern volatile struct at_ext_state at_ext;
void at_ext_install(void);
void at_ext_reset(void);
/* at_ext_open() - PSW external mask on until one interruption was taken
 * or 5 ms passed, then off again. */
void at_ext_open(void);
/* at_ext_wait() - enabled wait (external mask on) until one arrives. */
void at_ext_wait(void);

/* CR0 with only these external subclasses (others off). */
void at_subclasses(uint64_t bits);

/* ---- clocks -------------------------------------------------------------- */

static inline uint64_t at_stck(void)
{
	uint64_t t;

	asm volatile("stck %0" : "=Q"(t) : : "cc");
	return t;
}

static inline uint64_t at_stckf(void)
{
	uint64_t t;

	asm volatile(".insn s,0xb27c0000,%0" : "=Q"(t) : : "cc");
	return t;
}

static inline void at_sckc(uint64_t t)
{
	asm volatile(".insn s,0xb2060000,%0" : : "Q"(t));
}

static inline uint64_t at_stckc(void)
{
	uint64_t t;

	asm volatile(".insn s,0xb2070000,%0" : "=Q"(t));
	return t;
}

static inline void at_spt(uint64_t t)
{
	asm volatile(".insn s,0xb2080000,%0" : : "Q"(t));
}

static inline uint64_t at_stpt(void)
{
	uint64_t t;

	asm volatile(".insn s,0xb2090000,%0" : "=Q"(t));
	return t;
}

/* TOD units: bit 51 is one microsecond. */
#define AT_TOD_US(us)	((uint64_t)(us) << 12)

/* ---- SIGP, STAP, SCLP --------------------------------------------------- */

/* at_sigp() - SIGP with the parameter in R1 (odd); status in *@status. */
int at_sigp(uint16_t cpu, uint8_t order, uint64_t param, uint32_t *status);
static inline uint16_t at_stap(void)
{
	uint16_t a;

	asm volatile("stap %0" : "=Q"(a));
	return a;
}

/* at_servc() - SERVC on @sccb and wait for its service signal; returns
 * the response code, or 0xffff when SERVC gave a non-zero cc. */
uint16_t at_servc(uint32_t cmd, void *sccb);
/* at_ram_size() - memory size from READ SCP INFO (0 on failure). */
uint64_t at_ram_size(void);

/* at_cpu_count() - configured CPUs from READ CPU INFO (0 on failure). */
unsigned int at_cpu_count(void);

/* ---- facilities ---------------------------------------------------------- */
bool at_facility(unsigned int nr);

#endif
