// SPDX-License-Identifier: MIT
/*
 * Program interruptions of the general instructions (POP chapter 6,
 * "Program interruption"; the exception lists of each instruction in
 * chapters 7 and 10), in every mode of at.h: supervisor and problem
 * state, DAT off and on, prefix 0 and not.  Each case checks the code, the
 * instruction-length code and the old PSW: the next instruction for
 * suppression and completion, the instruction itself for nullification.
 *
 *   operation (0x01)      unassigned opcodes of 2, 4 and 6 bytes; the
 *                         instructions before it in the block completed,
 *                         the one after it ran only after the return
 *   privileged (0x02)     PTLB, LCTLG, SSM, LPSWE in problem state (the
 *                         old PSW says problem state)
 *   execute (0x03)        EX of an EX (ILC 4), EXRL of an EXRL (ILC 6)
 *   addressing (0x05)     operand beyond memory (DAT off; DAT on through
 *                         a page that maps a frame beyond memory), and an
 *                         instruction fetch beyond memory
 *   specification (0x06)  DLGR with an odd R1, CSG operand not on a
 *                         doubleword, LPSWE operand not on a doubleword
 *   fixed-point divide (0x09)  DLGR by zero, DSGR -2^63 / -1 (suppressed:
 *                         the registers keep their values)
 *   data (0x07)           compare and trap: DXC 0xff at 0x93, and in
 *                         byte 2 of the FPC while CR0 bit 45 (AFP) is one
 *
 * Elsewhere: invalid PSWs and odd instruction addresses (a_psw.c), the
 * program-mask exceptions (a_mask.c), monitor call (a_mc.c), the prefix
 * swap (a_prefix.c), DAT (a_dat.c), floating point (a_fp.c, a_hfp.c),
 * decimal (a_dec.c).
 */
#include "at.h"

const char gt_name[] = "A-PGM";

static enum at_mode mode;
static uint64_t ram;
static char what[96];

static const char *w(const char *s)
{
	boot_snprintf(what, sizeof(what), "%s (%s)", s, at_mode_name[mode]);
	return what;
}

static bool problem(void)
{
	return mode == AT_PROBLEM || mode == AT_DAT_PROBLEM;
}

static bool dat(void)
{
	return mode == AT_DAT || mode == AT_DAT_PROBLEM;
}

/* Problem state for the next instruction where the mode wants it. */
static void go(void)
{
	at_reset_pgm();
	if (problem())
		at_pstate();
}

static void operation(void)
{
	uint64_t r2 = 0, r3 = 0, r4 = 0;

	go();
	asm volatile("lghi %[a],1\n lghi %[b],2\n" AT_PRE ".short 0x0000"
		     AT_POST "lghi %[c],3"
		     : [a] "+d"(r2), [b] "+d"(r3), [c] "+d"(r4)
		     : : "r1", "memory");
	at_supervisor();
	/* The handler resumed after the 0x0000: lghi 3 ran afterwards. */
	at_expect(w("operation, 2 bytes"), PGM_OPERATION, 2, at_spot.next);
	gt_check(r2 == 1 && r3 == 2 && r4 == 3,
		 "%s: registers %llu %llu %llu", w("operation"),
		 (unsigned long long)r2, (unsigned long long)r3,
		 (unsigned long long)r4);
	go();
	asm volatile(AT_PRE ".long 0xb9ff0000" AT_POST : : : "r1", "memory");
	at_expect(w("operation, 4 bytes"), PGM_OPERATION, 4, at_spot.next);
	go();
	asm volatile(AT_PRE ".short 0xff00,0x0000,0x0000" AT_POST
		     : : : "r1", "memory");
	at_expect(w("operation, 6 bytes"), PGM_OPERATION, 6, at_spot.next);
}

static void privileged(void)
{
	static struct psw psw __aligned(8);
	uint64_t v = 0;

	if (!problem())
		return;
	go();
	asm volatile(AT_PRE "ptlb" AT_POST : : : "r1", "memory");
	gt_check(gt_pgm.old_mask & PSW_PROBLEM, "%s: old PSW not in problem state",
		 w("PTLB"));
	at_expect(w("PTLB"), PGM_PRIVILEGED, 4, at_spot.next);
	go();
	asm volatile(AT_PRE "lctlg 0,0,%[v]" AT_POST : : [v] "Q"(v)
		     : "r1", "memory");
	at_expect(w("LCTLG"), PGM_PRIVILEGED, 6, at_spot.next);
	go();
	asm volatile(AT_PRE "ssm %[v]" AT_POST : : [v] "Q"(v)
		     : "r1", "memory");
	at_expect(w("SSM"), PGM_PRIVILEGED, 4, at_spot.next);
	psw.mask = PSW_64;
	psw.addr = 0;
	go();
	asm volatile(AT_PRE "lpswe %[p]" AT_POST : : [p] "Q"(psw)
		     : "r1", "memory");
	at_expect(w("LPSWE"), PGM_PRIVILEGED, 4, at_spot.next);
}

static void execute(void)
{
	go();
	asm volatile("larl %%r2,2f\n" AT_PRE "ex 0,0(%%r2)" AT_POST
		     "j 3f\n2: ex 0,0(%%r2)\n3:"
		     : : : "r1", "r2", "memory");
	at_expect(w("EX of EX"), PGM_EXECUTE, 4, at_spot.next);
	go();
	asm volatile(AT_PRE "exrl 0,2f" AT_POST
		     "j 3f\n2: exrl 0,2b\n3:" : : : "r1", "memory");
	at_expect(w("EXRL of EXRL"), PGM_EXECUTE, 6, at_spot.next);
}

static void addressing(void)
{
	uint64_t v = 0, a = ram + 8;

	if (dat()) {
		/* A valid page-table entry naming a frame beyond memory. */
		*at_pte(AT_TEST_PAGES) = ram;
		at_ptlb();
		a = AT_TEST_PAGES + 8;
	}
	go();
	asm volatile(AT_PRE "lg %[v],0(%[a])" AT_POST
		     : [v] "+d"(v) : [a] "a"(a) : "r1", "memory");
	at_expect(w("load beyond memory"), PGM_ADDRESSING, 6, at_spot.next);
	go();
	asm volatile(AT_PRE "stg %[v],0(%[a])" AT_POST
		     : : [v] "d"(v), [a] "a"(a) : "r1", "memory");
	at_expect(w("store beyond memory"), PGM_ADDRESSING, 6, at_spot.next);
	/*
	 * Instruction fetch: the old PSW names the address (nullified) or,
	 * as QEMU does, the address + 2 (ILC unpredictable for a fetch).
	 */
	go();
	asm volatile(AT_PRE_RESUME "br %[a]" AT_POST
		     : : [a] "a"(a & ~7ULL) : "r1", "memory");
	at_supervisor();
	gt_check(gt_pgm.count == 1 && gt_pgm.code == PGM_ADDRESSING &&
		 (gt_pgm.old_addr == (a & ~7ULL) ||
		  gt_pgm.old_addr == (a & ~7ULL) + 2),
		 "%s: code 0x%llx, old PSW 0x%llx, want 0x5 at 0x%llx",
		 w("fetch beyond memory"), (unsigned long long)gt_pgm.code,
		 (unsigned long long)gt_pgm.old_addr,
		 (unsigned long long)(a & ~7ULL));
	at_reset_pgm();
	if (dat()) {
		/* the resume PSW had DAT off */
		if (mode == AT_DAT || mode == AT_DAT_PROBLEM)
			at_dat_on();
		*at_pte(AT_TEST_PAGES) = AT_TEST_PAGES;
		at_ptlb();
	}
}

static void specification(void)
{
	static uint64_t dw[2] __aligned(16);
	uint64_t r = 1;

	go();
	asm volatile(AT_PRE ".insn rre,0xb9870000,3,4" AT_POST
		     : : : "r1", "r3", "r4", "memory");
	at_expect(w("DLGR odd R1"), PGM_SPECIFICATION, 4, at_spot.next);
	go();
	asm volatile(AT_PRE "csg %[r],%[r],%[m]" AT_POST
		     : [r] "+d"(r)
		     : [m] "Q"(*(uint64_t *)((uint8_t *)dw + 4))
		     : "r1", "cc", "memory");
	at_expect(w("CSG operand not on a doubleword"), PGM_SPECIFICATION,
		  6, at_spot.next);
	if (!problem()) {
		go();
		asm volatile(AT_PRE "lpswe 4(%[p])" AT_POST
			     : : [p] "a"(dw) : "r1", "memory");
		at_expect(w("LPSWE operand not on a doubleword"),
			  PGM_SPECIFICATION, 4, at_spot.next);
	}
}

static void fixed_point(void)
{
	uint64_t q, r;
	volatile uint64_t zero = 0;

	q = 7;
	r = 0;
	go();
	asm volatile("lgr %%r2,%[r]\n lgr %%r3,%[q]\n" AT_PRE
		     "dlgr %%r2,%[z]" AT_POST "lgr %[r],%%r2\n lgr %[q],%%r3"
		     : [r] "+d"(r), [q] "+d"(q) : [z] "d"(zero)
		     : "r1", "r2", "r3", "memory");
	at_expect(w("DLGR by zero"), PGM_FIXP_DIVIDE, 4, at_spot.next);
	gt_check(r == 0 && q == 7, "%s: registers changed",
		 w("DLGR by zero"));
	q = 0x8000000000000000ULL;
	go();
	asm volatile("lgr %%r3,%[q]\n" AT_PRE "dsgr %%r2,%[m1]" AT_POST
		     "lgr %[q],%%r3"
		     : [q] "+d"(q) : [m1] "d"(-1LL)
		     : "r1", "r2", "r3", "memory");
	at_expect(w("DSGR -2^63 / -1"), PGM_FIXP_DIVIDE, 4, at_spot.next);
	GT_EQ(q, 0x8000000000000000ULL, w("DSGR: dividend unchanged"));
}

static uint32_t efpc(void)
{
	uint32_t f;

	asm volatile("efpc %0" : "=d"(f));
	return f;
}

static void sfpc(uint32_t f)
{
	asm volatile("sfpc %0" : : "d"(f));
}

static void data_trap(void)
{
	uint64_t cr0 = AT_STCTG(0);

	AT_LCTLG(0, cr0 & ~CR0_AFP);
	LC_U32(0x90) = 0;
	sfpc(0);
	go();
	asm volatile(AT_PRE "cgit %[r],5,8" AT_POST
		     : : [r] "d"(5ULL) : "r1", "memory");
	at_expect(w("CGIT equal, AFP off"), PGM_DATA, 6, at_spot.next);
	GT_EQ(LC_U8(LC_DXC), 0xff, w("DXC in the lowcore"));
	AT_LCTLG(0, cr0 | CR0_AFP);
	sfpc(0);
	go();
	asm volatile(AT_PRE "cgit %[r],5,8" AT_POST
		     : : [r] "d"(5ULL) : "r1", "memory");
	at_expect(w("CGIT equal, AFP on"), PGM_DATA, 6, at_spot.next);
	GT_EQ(LC_U8(LC_DXC), 0xff, w("DXC in the lowcore, AFP on"));
	GT_EQ((efpc() >> 8) & 0xff, 0xff, w("DXC in the FPC, AFP on"));
	sfpc(0);
	go();
	asm volatile(AT_PRE "cgit %[r],5,8" AT_POST
		     : : [r] "d"(6ULL) : "r1", "memory");
	at_supervisor();
	at_expect_none(w("CGIT not equal"));
	AT_LCTLG(0, cr0);
}

void gt_main(void)
{
	ram = at_ram_size();
	gt_check(ram >= (16ULL << 20), "memory size 0x%llx",
		 (unsigned long long)ram);
	at_dat_identity(1);
	for (mode = 0; mode < AT_MODES; mode++) {
		boot_printf("A-PGM: %s\n", at_mode_name[mode]);
		at_enter(mode);
		at_supervisor();	/* each case enters problem state */
		operation();
		privileged();
		execute();
		addressing();
		specification();
		fixed_point();
		data_trap();
		at_leave();
	}
}
