// SPDX-License-Identifier: MIT
/*
 * Dynamic address translation for the host's own accesses to guest logical
 * addresses (instruction scan, operands of emulated instructions).  Unicorn
 * translates guest accesses itself; the host needs the same answer to read
 * an LPSWE operand or scan code while DAT is on.  z/Architecture tables:
 * region-first/second/third, segment and page tables, EDAT-1 1 MiB and
 * EDAT-2 2 GiB frames.  Table lengths/offsets are not checked (the guest's
 * own tables are trusted only to the extent of staying inside RAM).
 */
#include "pvboot/be.h"

#include "machine_priv.h"

#define PGM_PROTECTION 0x04
#define PGM_SEGMENT_TRANS 0x10
#define PGM_PAGE_TRANS 0x11
#define PGM_ASCE_TYPE 0x38
#define PGM_REG_FIRST_TRANS 0x39
#define PGM_REG_SECOND_TRANS 0x3a
#define PGM_REG_THIRD_TRANS 0x3b

#define ASCE_ORIGIN (~0xfffULL)
#define ASCE_REAL_SPACE 0x20ULL
#define ASCE_TYPE(a) (((a) >> 2) & 3)
#define REGION_ENTRY_INVALID 0x20ULL
#define REGION_ENTRY_TYPE(e) (((e) >> 2) & 3)
#define REGION3_FC 0x400ULL
#define SEGMENT_ENTRY_INVALID 0x20ULL
#define SEGMENT_FC 0x400ULL
#define SEGMENT_PROTECT 0x200ULL
#define PAGE_INVALID 0x400ULL
#define PAGE_PROTECT 0x200ULL

static int entry(struct pv_machine *m, uint64_t abs, uint64_t *e)
{
	uint8_t *p = mem_abs(m, abs & ~7ULL, 8);

	if (!p)
		return PV_PGM_ADDRESSING;
	*e = pv_get_be64(p);
	return 0;
}

static uint64_t asce_of(struct pv_machine *m, uint64_t mask)
{
	switch (mask & PSW_ASC) {
	case PSW_ASC_SECONDARY:
		return m->cpu.cr[7];
	case PSW_ASC_HOME:
		return m->cpu.cr[13];
	default:		/* primary; access-register mode uses it too */
		return m->cpu.cr[1];
	}
}

int dat_translate(struct pv_machine *m, uint64_t mask, uint64_t laddr,
		  bool write, uint64_t *real)
{
	static const int trans_exc[4] = {
		PGM_SEGMENT_TRANS, PGM_REG_THIRD_TRANS, PGM_REG_SECOND_TRANS,
		PGM_REG_FIRST_TRANS,
	};
	uint64_t asce = asce_of(m, mask), origin = asce & ASCE_ORIGIN, e;
	int level = (int)ASCE_TYPE(asce), rc;

	if (asce & ASCE_REAL_SPACE) {
		*real = laddr;
		return 0;
	}
	/* A region table of a lower level cannot map high addresses. */
	if ((level < 3 && (laddr >> 53)) || (level < 2 && (laddr >> 42)) ||
	    (level < 1 && (laddr >> 31)))
		return PGM_ASCE_TYPE;
	for (; level > 0; level--) {
		int shift = 20 + 11 * level;

		rc = entry(m, origin + ((laddr >> shift) & 0x7ff) * 8, &e);
		if (rc)
			return rc;
		if ((e & REGION_ENTRY_INVALID) ||
		    (int)REGION_ENTRY_TYPE(e) != level)
			return trans_exc[level];
		if (level == 1 && (e & REGION3_FC)) {
			*real = (e & ~0x7fffffffULL) | (laddr & 0x7fffffffULL);
			return 0;
		}
		origin = e & ASCE_ORIGIN;
	}
	rc = entry(m, origin + ((laddr >> 20) & 0x7ff) * 8, &e);
	if (rc)
		return rc;
	if (e & SEGMENT_ENTRY_INVALID)
		return PGM_SEGMENT_TRANS;
	if (write && (e & SEGMENT_PROTECT))
		return PGM_PROTECTION;
	if (e & SEGMENT_FC) {
		*real = (e & ~0xfffffULL) | (laddr & 0xfffffULL);
		return 0;
	}
	rc = entry(m, (e & ~0x7ffULL) + ((laddr >> 12) & 0xff) * 8, &e);
	if (rc)
		return rc;
	if (e & PAGE_INVALID)
		return PGM_PAGE_TRANS;
	if (write && (e & PAGE_PROTECT))
		return PGM_PROTECTION;
	*real = (e & ~0xfffULL) | (laddr & 0xfffULL);
	return 0;
}
