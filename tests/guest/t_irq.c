// SPDX-License-Identifier: MIT
/*
 * Interruption delivery (machine unit test): program interruptions that
 * Unicorn raises without a code (operation, privileged operation, fixed-
 * point divide, addressing, specification) and their old PSW and ILC; SVC
 * interruptions; the TOD clock.
 */
#include "gt.h"

const char gt_name[] = "T-IRQ";

static volatile uint64_t svc_code, svc_old_addr;

/* SVC new PSW target: record code and old PSW, return. */
asm(".text\n"
    "t_svc_entry:\n"
    "	stmg	%r0,%r15,0x300\n"
    "	larl	%r1,svc_code\n"
    "	llgh	%r2,0x8a\n"
    "	stg	%r2,0(%r1)\n"
    "	larl	%r1,svc_old_addr\n"
    "	lg	%r2,0x148\n"
    "	stg	%r2,0(%r1)\n"
    "	lmg	%r0,%r15,0x300\n"
    "	lpswe	0x140\n");

void t_svc_entry(void);

static uint64_t op_exception(void)
{
	uint64_t after;

	asm volatile("larl %0,1f\n .short 0x0000\n1:" : "=a"(after) : :
		     "memory");
	return after;
}

static uint64_t privileged_in_problem_state(void)
{
	static struct psw ps __aligned(8) = {
		.mask = 0x0001000180000000ULL,
	};
	uint64_t cr, after;

	asm volatile("larl %%r1,0f\n stg %%r1,%[a]\n lpswe %[ps]\n"
		     "0: stctg 0,0,%[cr]\n"
		     "larl %[after],1f\n"
		     "1:"
		     : [a] "=Q"(ps.addr), [cr] "=Q"(cr), [after] "=a"(after)
		     : [ps] "Q"(ps)
		     : "r1", "memory");
	return after;
}

void gt_main(void)
{
	uint64_t a, x, y, t1 = 0, t2 = 0;
	const struct gt_parms *p = gt_parms();
	volatile uint64_t zero = 0;

	a = op_exception();
	GT_EQ(gt_pgm_take(), 1, "opcode 0x0000: operation exception");
	GT_EQ(gt_pgm.ilc, 2, "ILC of a 2-byte instruction");
	GT_EQ(gt_pgm.old_addr, a, "old PSW after the instruction");

	privileged_in_problem_state();
	GT_EQ(gt_pgm_take(), 2, "STCTG in problem state");
	GT_EQ(gt_pgm.ilc, 6, "ILC of STCTG");
	GT_EQ(gt_pgm.old_mask & 0x0001000000000000ULL, 0x0001000000000000ULL,
	      "old PSW in problem state");

	x = 7;
	asm volatile("lghi %%r2,0\n lgr %%r3,%[x]\n dlgr %%r2,%[z]"
		     : : [x] "d"(x), [z] "d"(zero) : "r2", "r3", "cc");
	GT_EQ(gt_pgm_take(), 9, "divide by zero: fixed-point divide");

	if (p) {
		asm volatile("lg %0,0(%1)" : "=d"(y) : "a"(p->ram_size + 8));
		GT_EQ(gt_pgm_take(), 5, "load beyond memory: addressing");
	}

	asm volatile("lpswe 1(%0)" : : "a"(GT_PAGE_A) : "memory");
	GT_EQ(gt_pgm_take(), 6, "LPSWE operand not aligned");

	LC_U64(0x1c0) = 0x0000000180000000ULL;
	LC_U64(0x1c8) = (uint64_t)(uintptr_t)t_svc_entry;
	asm volatile("larl %%r1,1f\n svc 42\n1: stg %%r1,%0"
		     : "=Q"(a) : : "r1", "memory");
	GT_EQ(svc_code, 42, "SVC code");
	GT_EQ(svc_old_addr, a, "SVC old PSW after the instruction");

	asm volatile("stck %0" : "=Q"(t1) : : "cc");
	asm volatile("stck %0" : "=Q"(t2) : : "cc");
	gt_check(t1 != 0 && t2 > t1, "TOD clock not rising: %llx %llx",
		 (unsigned long long)t1, (unsigned long long)t2);
	/* TOD bit 51 = 1 us; years since 1900 > 100. */
	gt_check((t1 >> 12) / 1000000 / 3600 / 24 / 366 > 100, "TOD epoch");
	GT_EQ(gt_pgm_take(), 0, "no stray program check");
}
