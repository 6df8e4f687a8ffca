/* SPDX-License-Identifier: MIT */
/*
 * Guest test programs for the machine's catalogue (pv-machine-and-uv.md
 * §7): freestanding s390x programs built on boot/lib (libboot.h).  Each
 * program defines gt_name and gt_main(), checks what it observes with
 * gt_check() and ends in the disabled wait GT_WAIT_OK or GT_WAIT_FAIL.
 *
 * Memory map (file offset == address, like a raw kernel image):
 *   0x00000  short IPL PSW -> 0x10000 (64-bit)   0x02000  SCCB page
 *   0x03000  IPL-block page A                     0x04000  struct gt_parms
 *   0x05000  IPL-block page B                     0x06000  .bss .. 0xefff
 *   0x0f000  stack                                0x10000  entry
 *   0x10400  Linux parameter area, command line   0x10800  code, data
 */
#ifndef GT_H
#define GT_H

#include "libboot.h"

#define GT_SCCB 0x2000UL
#define GT_PAGE_A 0x3000UL
#define GT_PARMS 0x4000UL
#define GT_PAGE_B 0x5000UL
#define GT_OVERLAY_LIMIT 0x13000UL	/* programs that replace stage3a */

#define GT_WAIT_OK 0x600d0ULL
#define GT_WAIT_FAIL 0xfa110ULL

/* Written into the image by the host test before the run (0 = none). */
#define GT_PARMS_MAGIC 0x4754504152414d53ULL	/* "GTPARAMS" */
struct gt_parms {
	uint64_t magic;
	uint64_t variant;	/* which sub-case the host wants */
	uint64_t ram_size;
	uint64_t ipib;		/* SE image: IPIB address */
	uint64_t hdr;		/* SE header address */
	uint64_t hdr_size;
	uint64_t flags;		/* GT_F_* */
} __packed;
#define GT_F_TCG_DIAG 0x1	/* machine runs DIAG 308 the TCG way */
#define GT_F_BROKEN_HANDLER 0x2	/* a program's handler fixes nothing */

/* Provided by every program. */
extern const char gt_name[];
void gt_main(void);

/* gt_parms() - the host's parameters (magic checked), or NULL. */
const struct gt_parms *gt_parms(void);
/* gt_protected() - true when running as a protected (secure) guest. */
bool gt_protected(void);

/* gt_check() - count a check; print it when it fails.  Returns @ok. */
bool gt_check(bool ok, const char *fmt, ...) __printf(2, 3);
/* gt_eq() - check @got == @want (each evaluated once). */
static inline bool gt_eq(uint64_t got, uint64_t want, const char *what)
{
	return gt_check(got == want, "%s: got 0x%llx, want 0x%llx", what,
			(unsigned long long)got, (unsigned long long)want);
}
#define GT_EQ(a, b, what) gt_eq((uint64_t)(a), (uint64_t)(b), (what))
/* gt_failures() - failed checks so far. */
unsigned int gt_failures(void);
/* gt_done() - print the result and end in GT_WAIT_OK / GT_WAIT_FAIL. */
void gt_done(void) __noreturn;

/* ---- program interruptions (gt_asm.S) ------------------------------------ */

/*
 * Every program interruption is recorded and the program resumes at the
 * old PSW in supervisor state (a problem-state program comes back
 * privileged), or at gt_pgm.resume when that is set (used once).
 */
struct gt_pgm_state {
	uint64_t count;
	uint64_t code;
	uint64_t ilc;
	uint64_t old_mask, old_addr;
	uint64_t resume;
};
extern volatile struct gt_pgm_state gt_pgm;
void gt_pgm_install(void);
/* gt_pgm_take() - code of the last interruption since the previous take
 * (0 if none) and forget it. */
uint16_t gt_pgm_take(void);

/* ---- DIAGNOSE 308 with chosen registers ---------------------------------- */

/* diag %r2,%r4,0x308: address in GR2, response in GR3 (r1 even). */
static inline uint64_t gt_d308(uint64_t subcode, uint64_t addr)
{
	register uint64_t r2 asm("2") = addr;
	register uint64_t r3 asm("3") = 0xdeadbeefULL;
	register uint64_t r4 asm("4") = subcode;

	asm volatile("diag %%r2,%%r4,0x308"
		     : "+d"(r2), "+d"(r3) : "d"(r4) : "cc", "memory");
	return r3;
}

/* diag %r1,%r4,0x308: odd R1 (address in GR1, "response" in GR2). */
static inline uint64_t gt_d308_odd(uint64_t subcode, uint64_t addr)
{
	register uint64_t r1 asm("1") = addr;
	register uint64_t r2 asm("2") = 0xdeadbeefULL;
	register uint64_t r4 asm("4") = subcode;

	asm volatile("diag %%r1,%%r4,0x308"
		     : "+d"(r1), "+d"(r2) : "d"(r4) : "cc", "memory");
	return r2;
}

/* DIAG 308 issued in problem state; returns GR3 afterwards. */
uint64_t gt_d308_pstate(uint64_t subcode, uint64_t addr);

/*
 * DIAG 308 with GR5..GR13 loaded with known values first; all 16 GPRs
 * after the DIAG are stored into gt_regs.  Returns GR3 (the response).
 */
uint64_t gt_d308_regs(uint64_t subcode, uint64_t addr);
extern uint64_t gt_regs[16];
#define GT_REG_PATTERN(n) (0x5a5a000000000000ULL | ((uint64_t)(n) << 8) | (n))

/* ---- resets that restart the program ------------------------------------- */

/*
 * gt_set_resume() - write a short PSW at absolute 0 that enters @fn on the
 * stack after a load-normal reset (subcodes 0/1).  gt_regs holds the GPRs
 * as the reset left them.
 */
void gt_set_resume(void (*fn)(void));
/*
 * gt_set_pgm_resume() - the next program interruption enters @fn on a
 * fresh stack instead of returning to the old PSW (for an invalid PSW).
 */
void gt_set_pgm_resume(void (*fn)(void));
/* gt_reboot_marker() - the normal IPL-block slot (sc 6) carries loadparm
 * @lp (8 bytes), i.e. this is a boot after a re-IPL the program asked for. */
bool gt_reboot_marker(const char *lp);
/* gt_reipl() - store a CCW block with loadparm @lp (sc 5), then @subcode. */
void gt_reipl(const char *lp, uint64_t subcode);

/* ---- IPL parameter blocks ----------------------------------------------- */

/* A CCW block (pbt 2) of @len bytes with @loadparm (EBCDIC, 8 bytes). */
void gt_iplb_ccw(void *page, uint32_t len, const char *loadparm);
/*
 * A PV block (pbt 5) with @n components, header at @hdr/@hdr_len and
 * components at @comp_addr + i * 0x1000, tweak prefixes i + 1.
 */
void gt_iplb_pv(void *page, uint32_t n, uint64_t hdr, uint64_t hdr_len,
		uint64_t comp_addr);
/* Set component @i of a PV block. */
void gt_iplb_pv_comp(void *page, uint32_t i, uint64_t tweak, uint64_t addr,
		     uint64_t size);

/* ---- misc --------------------------------------------------------------- */

static inline uint64_t gt_stctg0(void)
{
	return ctl0_get();
}

/* UV query through boot_uvc_try: its cc, or -1 on a program check. */
int gt_uv_query_cc(void);

#endif
