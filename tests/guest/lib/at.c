// SPDX-License-Identifier: MIT
/*
 * Helpers for the architecture programs (see at.h).
 */
#include "at.h"

volatile struct at_ext_state at_ext;
struct at_spot at_spot __aligned(8);

const char *const at_mode_name[AT_MODES] = {
	[AT_SUPERVISOR] = "supervisor",
	[AT_PROBLEM] = "problem state",
	[AT_DAT] = "DAT on",
	[AT_DAT_PROBLEM] = "DAT on, problem state",
	[AT_PREFIXED] = "prefix 0x70000",
};

bool at_expect(const char *what, uint16_t code, unsigned int ilc,
	       uint64_t addr)
{
	uint64_t n = gt_pgm.count, got = gt_pgm.code, gilc = gt_pgm.ilc;
	uint64_t gaddr = gt_pgm.old_addr;
	bool ok;

	ok = gt_check(n == 1, "%s: %llu program interruptions, want 1 (code 0x%llx)",
		      what, (unsigned long long)n, (unsigned long long)got);
	ok &= gt_check(got == code, "%s: code 0x%llx, want 0x%x", what,
		       (unsigned long long)got, code);
	ok &= gt_check(gilc == ilc, "%s: ILC %llu, want %u", what,
		       (unsigned long long)gilc, ilc);
	ok &= gt_check(gaddr == addr,
		       "%s: old PSW address 0x%llx, want 0x%llx", what,
		       (unsigned long long)gaddr, (unsigned long long)addr);
	at_reset_pgm();
	return ok;
}

bool at_expect_none(const char *what)
{
	uint64_t n = gt_pgm.count, code = gt_pgm.code;

	at_reset_pgm();
	return gt_check(n == 0, "%s: program interruption 0x%llx, want none",
			what, (unsigned long long)code);
}

/* ---- modes --------------------------------------------------------------- */

static inline void spx(uint32_t p)
{
	asm volatile("spx %0" : : "Q"(p) : "memory");
}

static inline uint32_t stpx(void)
{
	uint32_t p;

	asm volatile("stpx %0" : "=Q"(p));
	return p;
}

void at_dat_on(void)
{
	uint8_t old;

	asm volatile("stosm %0,0x04" : "=Q"(old) : : "memory");
}

void at_dat_off(void)
{
	uint8_t old;

	asm volatile("stnsm %0,0xfb" : "=Q"(old) : : "memory");
}

void at_enter(enum at_mode mode)
{
	switch (mode) {
	case AT_SUPERVISOR:
		break;
	case AT_PROBLEM:
		at_pstate();
		break;
	case AT_DAT:
		at_dat_on();
		break;
	case AT_DAT_PROBLEM:
		at_dat_on();
		at_pstate();
		break;
	case AT_PREFIXED:
		memcpy((void *)AT_PREFIX2, (void *)0, 0x2000);
		spx(AT_PREFIX2);
		break;
	default:
		break;
	}
}

uint64_t at_psw_mask(void)
{
	uint64_t hi, lo;

	asm volatile("epsw %0,%1" : "=d"(hi), "=d"(lo));
	return (hi << 32) | (lo & 0xffffffffULL);
}

/* Supervisor state again through a harmless privileged operation. */
void at_supervisor(void)
{
	uint64_t saved = gt_pgm.count;

	if (!(at_psw_mask() & PSW_PROBLEM))
		return;
	gt_pgm.resume = 0;
	asm volatile("ptlb" : : : "memory");	/* PGM 2, handler clears P */
	gt_pgm.count = saved;
}

void at_leave(void)
{
	at_supervisor();
	at_dat_off();
	if (stpx())
		spx(0);
	at_reset_pgm();
}

/* ---- DAT tables -------------------------------------------------------- */

#define SEG_TABLE	AT_TABLES			/* 16 KiB */
#define PAGE_TABLES	(AT_TABLES + 0x4000)		/* 2 KiB each */
#define SEG_INVALID	0x20ULL				/* bit 58 */
#define PTE_INVALID	0x400ULL			/* bit 53 */

static unsigned int mapped_mib;

uint64_t *at_ste(uint64_t addr)
{
	return (uint64_t *)(SEG_TABLE + 8 * ((addr >> 20) & 0x7ff));
}

uint64_t *at_pte(uint64_t addr)
{
	uint64_t *pt = (uint64_t *)(PAGE_TABLES + 0x800 * (addr >> 20));

	return pt + ((addr >> 12) & 0xff);
}

void at_load_asce(uint64_t asce)
{
	AT_LCTLG(1, asce);
	AT_LCTLG(7, asce);
	AT_LCTLG(13, asce);
	at_ptlb();
}

uint64_t at_dat_identity(unsigned int mib)
{
	uint64_t *st = (uint64_t *)SEG_TABLE;
	uint64_t asce = SEG_TABLE | 3;	/* DT 00 segment table, TL 3 */

	mapped_mib = mib;
	for (unsigned int i = 0; i < 2048; i++)
		st[i] = SEG_INVALID;	/* TT 00 */
	for (unsigned int s = 0; s < mib; s++) {
		uint64_t *pt = (uint64_t *)(PAGE_TABLES + 0x800 * s);

		for (unsigned int p = 0; p < 256; p++)
			pt[p] = ((uint64_t)s << 20) | ((uint64_t)p << 12);
		st[s] = (uint64_t)(uintptr_t)pt;
	}
	at_load_asce(asce);
	return asce;
}

/* ---- SCLP ---------------------------------------------------------------- */

static int servc(uint32_t cmd, void *sccb)
{
	int cc;

	asm volatile(".insn rre,0xb2200000,%[cmd],%[sccb]\n"
		     "ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc)
		     : [cmd] "d"((uint64_t)cmd), [sccb] "a"(sccb)
		     : "cc", "memory");
	return cc;
}

void at_subclasses(uint64_t bits)
{
	AT_LCTLG(0, (AT_STCTG(0) & ~CR0_EXT_SUBCLASSES) | bits);
}

void at_ext_reset(void)
{
	memset((void *)&at_ext, 0, sizeof(at_ext));
}

/*
 * The external mask on until one interruption came (the handler turns
 * the mask off again) or 5 ms passed: a condition that a host timer
 * raises may be noticed a little after it became true.
 */
void at_ext_open(void)
{
	uint64_t n = at_ext.count, end = at_stck() + AT_TOD_US(5000);
	uint8_t old;

	at_ext_install();
	asm volatile("stosm %0,0x01" : "=Q"(old) : : "memory");
	while (at_ext.count == n && at_stck() < end)
		;
	asm volatile("stnsm %0,0xfe" : "=Q"(old) : : "memory");
}

uint16_t at_servc(uint32_t cmd, void *sccb)
{
	uint64_t cr0 = AT_STCTG(0);
	uint16_t got = 0;

	if (servc(cmd, sccb))
		return 0xffff;
	at_subclasses(CR0_SERVICE);
	for (int i = 0; i < 100 && got != EXT_SERVICE; i++) {
		at_ext_reset();
		at_ext_wait();
		got = at_ext.code[0];
	}
	AT_LCTLG(0, cr0);
	return ((struct sccb_header *)sccb)->response_code;
}

uint64_t at_ram_size(void)
{
	uint64_t size = 0;

	return sclp_read_ram_size(&size) ? 0 : size;
}

unsigned int at_cpu_count(void)
{
	struct sccb_header *h = (struct sccb_header *)GT_PAGE_A;

	memset(h, 0, PAGE_SIZE);
	h->length = PAGE_SIZE;
	if (at_servc(0x00010001, h) != 0x0010)
		return 0;
	return *(uint16_t *)((uint8_t *)h + 8);
}

int at_sigp(uint16_t cpu, uint8_t order, uint64_t param, uint32_t *status)
{
	return sigp(cpu, order, param, status);
}

bool at_facility(unsigned int nr)
{
	return test_facility(nr);
}
