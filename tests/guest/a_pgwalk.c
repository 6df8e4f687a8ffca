// SPDX-License-Identifier: MIT
/*
 * One instruction that faults on page after page (POP chapter 3, "Page
 * translation"; chapter 6, "Access exceptions" and "Translation-exception
 * identification"), as a kernel's loop that clears or fills a fresh user
 * buffer does: every page of a 200-page area starts invalid, and this
 * program's own handler validates the page the TEC names and loads the
 * old PSW again, so the nullified instruction runs once more.
 *   - a loop of one STG over the area: 200 page-translation exceptions at
 *     the same instruction, each with the next page in the TEC (store
 *     indication, primary space), and every value stored;
 *   - one MVCL of 100 mapped pages into a second such area, padded with
 *     zeros to 200: it goes on where it stopped (POP, "MOVE LONG":
 *     interruptible), 200 exceptions at the same instruction, cc 2 (the
 *     first operand was the longer), every byte moved or padded.
 * The machine must not take this for a guest that loops on one exception
 * (it once ended Linux's dd with blocks above 256 KiB so).  With
 * GT_F_BROKEN_HANDLER the handler validates nothing: the same exception at
 * the same address repeats, and the machine must end the run.
 */
#include "at.h"

const char gt_name[] = "A-PGWALK";

#define PAGES		200
#define AREA		(8ULL << 20)
#define AREA2		(10ULL << 20)
#define SRC		(12ULL << 20)
#define MIB		13
#define PAGE_INV	0x400ULL
#define TEC_STORE	0x400ULL

extern char pgw_entry[];
/* counted and filled in by pgw_entry */
volatile uint64_t pgw_faults, pgw_tec, pgw_fix = 1;

/*
 * Program new PSW target: r1 and r2 saved at 0x300, the page-table entry
 * of the TEC's page (identity tables, lib/at.c: 0x44000 + 8 * page
 * number) made valid unless pgw_fix is 0, the count and the TEC kept,
 * the old PSW loaded again (DAT on, supervisor: this program's own).
 */
asm(".text\n"
    "pgw_entry:\n"
    "	stmg	%r1,%r2,0x300\n"
    "	larl	%r1,pgw_faults\n"
    "	lg	%r2,0(%r1)\n"
    "	aghi	%r2,1\n"
    "	stg	%r2,0(%r1)\n"
    "	lg	%r2,0xa8\n"
    "	larl	%r1,pgw_tec\n"
    "	stg	%r2,0(%r1)\n"
    "	larl	%r1,pgw_fix\n"
    "	ltg	%r1,0(%r1)\n"
    "	jz	1f\n"
    "	srlg	%r2,%r2,12\n"
    "	sllg	%r2,%r2,3\n"
    "	lgfi	%r1,0x44000\n"
    "	agr	%r1,%r2\n"
    "	ni	6(%r1),0xfb\n"	/* PTE bit 53, page invalid, off */
    "1:	lmg	%r1,%r2,0x300\n"
    "	lpswe	0x150\n");

static void invalidate(uint64_t base)
{
	for (unsigned int i = 0; i < PAGES; i++)
		*at_pte(base + (uint64_t)i * 4096) |= PAGE_INV;
	at_ptlb();
}

/* The handler: ours, with DAT on (the program new PSW's bit 5). */
static void take_faults(void)
{
	*(volatile uint64_t *)0x1d0 = PSW_64 | PSW_DAT;
	*(volatile uint64_t *)0x1d8 = (uint64_t)(uintptr_t)pgw_entry;
}

static void stg_loop(void)
{
	unsigned int bad = 0;

	uint64_t a = AREA, v = 0x5a5a000000000000ULL, n = PAGES;

	pgw_faults = 0;
	invalidate(AREA);
	/* one STG for every page (in asm: the compiler may not unroll it) */
	asm volatile("0:\tstg %[v],0(%[a])\n\t"
		     "la %[a],4095(%[a])\n\tla %[a],1(%[a])\n\t"
		     "aghi %[v],1\n\tbrctg %[n],0b"
		     : [a] "+&a"(a), [v] "+&d"(v), [n] "+&d"(n) : : "memory");
	gt_eq(pgw_faults, PAGES, "STG loop: page-translation exceptions");
	gt_eq(pgw_tec, (AREA + (PAGES - 1) * 4096ULL) | TEC_STORE,
	      "STG loop: the last TEC (last page, store, primary)");
	for (unsigned int i = 0; i < PAGES; i++)
		if (*(volatile uint64_t *)(uintptr_t)(AREA + i * 4096ULL) !=
		    (0x5a5a000000000000ULL | i))
			bad++;
	gt_eq(bad, 0, "STG loop: pages without their value");
}

static void mvcl(void)
{
	unsigned int bad = 0;
	uint64_t left;
	int cc;

	/* the source: mapped, a pattern that changes every page */
	for (unsigned int i = 0; i < PAGES / 2 * 4096U; i += 8)
		*(volatile uint64_t *)(uintptr_t)(SRC + i) =
			0x1111111111111111ULL * ((i >> 12) & 0xf);
	pgw_faults = 0;
	invalidate(AREA2);
	{
		/* set here: a call in between may clobber them */
		register uint64_t r2 asm("2") = AREA2;
		register uint64_t r3 asm("3") = PAGES * 4096ULL;
		register uint64_t r4 asm("4") = SRC;
		/* pad byte 0, source length half the first operand's */
		register uint64_t r5 asm("5") = PAGES / 2 * 4096ULL;

		asm volatile("mvcl %[d],%[s]\n\tipm %[cc]\n\tsrl %[cc],28"
			     : [d] "+&d"(r2), "+&d"(r3), [s] "+&d"(r4),
			       "+&d"(r5), [cc] "=&d"(cc)
			     : : "cc", "memory");
		left = r3;
	}
	gt_eq(cc, 2, "MVCL: cc (first operand longer)");
	gt_eq(left, 0, "MVCL: first operand length left");
	gt_eq(pgw_faults, PAGES, "MVCL: page-translation exceptions");
	for (unsigned int i = 0; i < PAGES * 4096U; i += 512) {
		uint64_t want = i < PAGES / 2 * 4096U ?
			0x1111111111111111ULL * ((i >> 12) & 0xf) : 0;

		if (*(volatile uint64_t *)(uintptr_t)(AREA2 + i) != want)
			bad++;
	}
	gt_eq(bad, 0, "MVCL: doublewords not moved or padded");
}

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();

	at_dat_identity(MIB);
	at_dat_on();
	take_faults();
	if (p && (p->flags & GT_F_BROKEN_HANDLER)) {
		/* the machine ends the run here; reaching the end fails */
		pgw_fix = 0;
		stg_loop();
		gt_check(false, "the same exception repeated and the run went on");
		return;
	}
	stg_loop();
	mvcl();
	gt_pgm_install();
	at_dat_off();
}
