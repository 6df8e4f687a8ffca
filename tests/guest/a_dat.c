// SPDX-License-Identifier: MIT
/*
 * Dynamic address translation and protection (POP chapter 3, "Dynamic
 * address translation", "Protection"; chapter 6, "Access exceptions" and
 * "Translation-exception identification"), in supervisor and problem
 * state:
 *   segment translation (0x10), page translation (0x11) for loads,
 *   stores and instruction fetch; ASCE type (0x38) under a segment-table
 *   and a region-third-table ASCE; region-third, -second and -first
 *   translation (0x3b, 0x3a, 0x39); all nullified: the old PSW names the
 *   instruction (or the branch target for a fetch), and the TEC at 0xa8
 *   holds bits 0-51 of the address, the fetch (0x800) or store (0x400)
 *   indication (facility 75 is listed) and ASCE id 0 (primary);
 *   translation specification (0x12) for a page-table entry with bit 52
 *   one and a segment-table entry of the wrong table type (suppressed);
 *   DAT protection (0x04) for a store into a page with the P bit
 *   (suppressed: memory unchanged, old PSW after the instruction), loads
 *   still work;
 *   low-address protection (CR0 bit 35) for stores into 0-511 and
 *   4096-4607, DAT on and off, also an unaligned store that straddles 512
 *   (nothing stored); stores to 512-4095, including an unaligned one at
 *   0x3ac, are allowed; interruptions themselves still store there.
 * Special operation (0x13): a_special.c.
 */
#include "at.h"

const char gt_name[] = "A-DAT";

#define PAGE_INV	0x400ULL	/* page-table entry bit 53 */
#define PAGE_PROT	0x200ULL	/* bit 54 */
#define PAGE_RES52	0x800ULL	/* bit 52, must be zero */
#define TAB_INV		0x20ULL		/* region/segment entry bit 58 */
#define R3_TABLE	(AT_TABLES + 0x8000)
#define R2_TABLE	(AT_TABLES + 0xc000)
#define R1_TABLE	(AT_TABLES + 0x10000)
#define TEC_FETCH	0x800ULL
#define TEC_STORE	0x400ULL

#define PG_A		(AT_TEST_PAGES + 0x1000)	/* invalid page */
#define PG_P		(AT_TEST_PAGES + 0x2000)	/* protected page */
#define PG_S		(AT_TEST_PAGES + 0x3000)	/* bad entry */
#define SEG_BAD		(3ULL << 20)			/* invalid segment */

extern char at_lap_entry[];
extern uint64_t at_cr0_nolap;

static bool problem;
static uint64_t seg_asce;
static char what[96];

static const char *w(const char *s)
{
	boot_snprintf(what, sizeof(what), "%s (%s)", s,
		      problem ? "problem state" : "supervisor");
	return what;
}

static void go(void)
{
	at_reset_pgm();
	at_dat_on();
	if (problem)
		at_pstate();
}

/* Back from a nullifying exception (the resume PSW has DAT off). */
static void back(void)
{
	at_supervisor();
	at_dat_off();
}

/* A nullified access exception with its TEC. */
static void expect_dat(const char *s, uint16_t code, unsigned int ilc,
		       uint64_t old, uint64_t addr, uint64_t ind)
{
	uint64_t tec = LC_U64(LC_TEC);

	at_expect(w(s), code, ilc, old);
	gt_check((tec & ~0xfffULL) == (addr & ~0xfffULL),
		 "%s: TEC 0x%llx does not name 0x%llx", w(s),
		 (unsigned long long)tec, (unsigned long long)addr);
	gt_check((tec & 0xc00) == ind, "%s: TEC 0x%llx, fetch/store bits want 0x%llx",
		 w(s), (unsigned long long)tec, (unsigned long long)ind);
	gt_check((tec & 3) == 0, "%s: TEC 0x%llx, ASCE id want 0 (primary)",
		 w(s), (unsigned long long)tec);
}

static void load_at(uint64_t a)
{
	uint64_t v = 0;

	go();
	asm volatile(AT_PRE_RESUME "lg %[v],0(%[a])" AT_POST
		     : [v] "+d"(v) : [a] "a"(a) : "r1", "memory");
	back();
}

static void store_at(uint64_t a, uint64_t v)
{
	go();
	asm volatile(AT_PRE_RESUME "stg %[v],0(%[a])" AT_POST
		     : : [v] "d"(v), [a] "a"(a) : "r1", "memory");
	back();
}

static void fetch_at(uint64_t a)
{
	go();
	asm volatile(AT_PRE_RESUME "br %[a]" AT_POST : : [a] "a"(a)
		     : "r1", "memory");
	back();
}

static void translation(void)
{
	load_at(PG_A + 0x10);
	expect_dat("load, page invalid", PGM_PAGE, 6, at_spot.at, PG_A,
		   TEC_FETCH);
	store_at(PG_A + 0x18, 1);
	expect_dat("store, page invalid", PGM_PAGE, 6, at_spot.at, PG_A,
		   TEC_STORE);
	fetch_at(PG_A + 0x20);
	{
		uint64_t tec = LC_U64(LC_TEC);

		gt_check(gt_pgm.count == 1 && gt_pgm.code == PGM_PAGE &&
			 gt_pgm.old_addr == PG_A + 0x20 &&
			 (tec & ~0xfffULL) == PG_A,
			 "%s: code 0x%llx old PSW 0x%llx TEC 0x%llx",
			 w("fetch, page invalid"),
			 (unsigned long long)gt_pgm.code,
			 (unsigned long long)gt_pgm.old_addr,
			 (unsigned long long)tec);
		at_reset_pgm();
	}
	load_at(SEG_BAD + 0x5008);
	expect_dat("load, segment invalid", PGM_SEGMENT, 6, at_spot.at,
		   SEG_BAD + 0x5000, TEC_FETCH);
	store_at(SEG_BAD + 0x7000, 1);
	expect_dat("store, segment invalid", PGM_SEGMENT, 6, at_spot.at,
		   SEG_BAD + 0x7000, TEC_STORE);
	load_at(0x80000000ULL);
	expect_dat("load at 2 GiB, segment-table ASCE", PGM_ASCE_TYPE, 6,
		   at_spot.at, 0x80000000ULL, TEC_FETCH);
}

/* Region tables: entry 0 of each leads down to the segment table. */
static void regions(void)
{
	uint64_t *r1 = (uint64_t *)R1_TABLE, *r2 = (uint64_t *)R2_TABLE;
	uint64_t *r3 = (uint64_t *)R3_TABLE;

	for (int i = 0; i < 2048; i++) {
		r1[i] = TAB_INV | 0x0c | 3;
		r2[i] = TAB_INV | 0x08 | 3;
		r3[i] = TAB_INV | 0x04 | 3;
	}
	r1[0] = R2_TABLE | 0x0c | 3;
	r2[0] = R3_TABLE | 0x08 | 3;
	r3[0] = AT_TABLES | 0x04 | 3;

	at_load_asce(R3_TABLE | 0x04 | 3);
	load_at(PG_P);
	at_expect_none(w("load through a region-third table"));
	load_at(0x80000000ULL);
	expect_dat("region-third entry invalid", PGM_REGION_THIRD, 6,
		   at_spot.at, 0x80000000ULL, TEC_FETCH);
	load_at(1ULL << 42);
	expect_dat("load at 4 TiB, region-third ASCE", PGM_ASCE_TYPE, 6,
		   at_spot.at, 1ULL << 42, TEC_FETCH);

	at_load_asce(R2_TABLE | 0x08 | 3);
	store_at((1ULL << 42) + 0x3000, 2);
	expect_dat("region-second entry invalid", PGM_REGION_SECOND, 6,
		   at_spot.at, (1ULL << 42) + 0x3000, TEC_STORE);

	at_load_asce(R1_TABLE | 0x0c | 3);
	load_at(PG_P);
	at_expect_none(w("load through a region-first table"));
	load_at((1ULL << 53) + 0x4000);
	expect_dat("region-first entry invalid", PGM_REGION_FIRST, 6,
		   at_spot.at, (1ULL << 53) + 0x4000, TEC_FETCH);
	at_load_asce(seg_asce);
}

static void specification(void)
{
	uint64_t *ste = at_ste(SEG_BAD);

	load_at(PG_S);
	at_expect(w("page-table entry with bit 52"), PGM_TRANS_SPEC, 6,
		  at_spot.next);
	/* A region-third entry type (01) in a segment table. */
	*ste = (AT_TABLES + 0x4000) | 0x04;
	at_ptlb();
	load_at(SEG_BAD);
	at_expect(w("segment-table entry of table type 01"),
		  PGM_TRANS_SPEC, 6, at_spot.next);
	*ste = TAB_INV;
	at_ptlb();
}

static void dat_protection(void)
{
	volatile uint64_t *p = (uint64_t *)PG_P;

	*p = 0x1234;		/* DAT off: no page protection */
	store_at(PG_P, 0x5678);
	at_expect(w("store into a protected page"), PGM_PROTECTION, 6,
		  at_spot.next);
	GT_EQ(*p, 0x1234, w("protected page unchanged"));
	load_at(PG_P);
	at_expect_none(w("load from a protected page"));
}

/* Low-address protection; @dat: with DAT on. */
static void lap(bool dat)
{
	uint64_t cr0 = AT_STCTG(0);
	volatile uint64_t *lc200 = (uint64_t *)0x200;
	const char *s = dat ? "LAP, DAT on" : "LAP, DAT off";
	uint64_t v = 0x1111111111111111ULL;

	at_cr0_nolap = cr0 & ~CR0_LAP;
	LC_U64(LC_PGM_NEW_PSW + 8) = (uint64_t)(uintptr_t)at_lap_entry;
	*lc200 = 0;
	LC_U64(0x1f8) = 0;

	struct {
		uint64_t addr;
		bool prot;
	} cases[] = {
		{ 0x1f8, true }, { 0x1100, true }, { 0x1300, false },
		{ 0x200, false }, { 0x3ac, false }, { 0x1fc, true },
		{ 0xff8, false }, { 0x11fc, true },
	};
	uint64_t at200 = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t a = cases[i].addr;

		at_reset_pgm();
		AT_LCTLG(0, cr0 | CR0_LAP);
		if (dat)
			at_dat_on();
		if (problem)
			at_pstate();
		asm volatile(AT_PRE "stg %[v],0(%[a])" AT_POST
			     : : [v] "d"(v), [a] "a"(a) : "r1", "memory");
		at_supervisor();
		AT_LCTLG(0, cr0);
		at_dat_off();
		if (cases[i].prot) {
			char m[64];

			boot_snprintf(m, sizeof(m), "%s, store at 0x%llx", s,
				      (unsigned long long)a);
			at_expect(w(m), PGM_PROTECTION, 6, at_spot.next);
		} else {
			gt_check(gt_pgm.count == 0 && LC_U64(a) == v,
				 "%s: store at 0x%llx refused (code 0x%llx)",
				 w(s), (unsigned long long)a,
				 (unsigned long long)gt_pgm.code);
			at_reset_pgm();
		}
		if (a == 0x200)
			at200 = v;
		v += 0x0101010101010101ULL;
	}
	/* The straddling store at 0x1fc stored nothing at 0x200. */
	GT_EQ(*lc200, at200, w("0x200 after the refused store at 0x1fc"));
	GT_EQ(LC_U64(0x1f8), 0, w("0x1f8 unchanged"));
	LC_U64(LC_PGM_NEW_PSW + 8) = 0;
	gt_pgm_install();
}

void gt_main(void)
{
	gt_check(at_facility(75), "facility 75 (fetch/store indication) not listed");
	seg_asce = at_dat_identity(1);
	*at_pte(PG_A) |= PAGE_INV;
	*at_pte(PG_P) |= PAGE_PROT;
	*at_pte(PG_S) |= PAGE_RES52;
	*at_ste(SEG_BAD) = TAB_INV;
	at_ptlb();
	for (int p = 0; p < 2; p++) {
		problem = p;
		translation();
		regions();
		specification();
		dat_protection();
		lap(false);
		lap(true);
	}
}
