// SPDX-License-Identifier: MIT
/*
 * STORE SYSTEM INFORMATION, STORE CPU ID, STORE CPU ADDRESS (POP chapter
 * 10): function code 0 answers the current configuration level in GR0
 * bits 32-35 (3: a virtual machine), cc 0; levels 1-3 store SysIB 1.1.1
 * (manufacturer and type), 1.2.1 (this CPU's address), 1.2.2 and 2.2.2
 * (total and configured CPU counts) and 3.2.2 (at least one virtual
 * machine, its configured CPUs) with cc 0, the CPU counts equal to the
 * configured CPUs of SCLP READ CPU INFO (and to the host's --smp when it
 * passes gt_parms); a level above the current one and an unknown selector
 * are cc 3; STSI with reserved bits set in GR0 is a specification
 * exception; STIDP: machine type (bits 32-47) equal to the SysIB 1.1.1
 * type, bits 49-63 zero; STAP: 0 on the IPL CPU; STSI and STIDP are
 * privileged.
 */
#include "at.h"

const char gt_name[] = "A-STSI";

#define BLOCK ((uint8_t *)AT_TEST_PAGES)

static int stsi(uint64_t r0, uint64_t r1, uint64_t *r0_out)
{
	register uint64_t g0 asm("0") = r0;
	register uint64_t g1 asm("1") = r1;
	int cc;

	asm volatile("stsi 0(%[b])\n ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc), "+d"(g0)
		     : "d"(g1), [b] "a"(BLOCK) : "cc", "memory");
	if (r0_out)
		*r0_out = g0;
	return cc;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* EBCDIC decimal digits to their value as hex digits ("3906" -> 0x3906). */
static uint32_t type_of(const uint8_t *p)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 4 | (p[i] & 0x0f);
	return v;
}

void gt_main(void)
{
	const struct gt_parms *parms = gt_parms();
	unsigned int n = at_cpu_count();
	uint64_t r0 = 0, id = 0;
	uint32_t type;

	gt_check(n >= 1, "READ CPU INFO: %u CPUs", n);
	if (parms && parms->variant)
		GT_EQ(n, parms->variant, "configured CPUs = --smp");
	GT_EQ(at_stap(), 0, "STAP on the IPL CPU");

	GT_EQ(stsi(0, 0, &r0), 0, "STSI fc 0 cc");
	GT_EQ((r0 >> 28) & 0xf, 3, "current level");
	memset(BLOCK, 0xee, PAGE_SIZE);
	GT_EQ(stsi(0x10000001, 1, NULL), 0, "SysIB 1.1.1 cc");
	gt_check(BLOCK[32] != 0x40 && BLOCK[32] != 0 && BLOCK[32] != 0xee,
		 "1.1.1: no manufacturer");
	type = type_of(BLOCK + 48);
	GT_EQ(stsi(0x10000002, 1, NULL), 0, "SysIB 1.2.1 cc");
	GT_EQ(be16(BLOCK + 102), 0, "1.2.1: CPU address");
	memset(BLOCK, 0xee, PAGE_SIZE);
	GT_EQ(stsi(0x10000002, 2, NULL), 0, "SysIB 1.2.2 cc");
	gt_check(be16(BLOCK + 36) >= n, "1.2.2: total CPUs %u", be16(BLOCK + 36));
	GT_EQ(be16(BLOCK + 38), n, "1.2.2: configured CPUs");
	memset(BLOCK, 0xee, PAGE_SIZE);
	GT_EQ(stsi(0x20000002, 2, NULL), 0, "SysIB 2.2.2 cc");
	gt_check(be16(BLOCK + 36) >= n, "2.2.2: total CPUs %u", be16(BLOCK + 36));
	GT_EQ(be16(BLOCK + 38), n, "2.2.2: configured CPUs");
	memset(BLOCK, 0xee, PAGE_SIZE);
	GT_EQ(stsi(0x30000002, 2, NULL), 0, "SysIB 3.2.2 cc");
	gt_check(BLOCK[31] >= 1 && BLOCK[31] <= 8, "3.2.2: %u VM levels",
		 BLOCK[31]);
	GT_EQ(be16(BLOCK + 38), n, "3.2.2: configured CPUs of the VM");

	GT_EQ(stsi(0x40000000, 0, NULL), 3, "STSI level 4");
	GT_EQ(stsi(0x10000003, 1, NULL), 3, "STSI 1.3.1 (no such block)");
	at_reset_pgm();
	asm volatile("lgfi %%r0,0x10000101\n lghi %%r1,1\n" AT_PRE
		     "stsi 0(%[b])" AT_POST
		     : : [b] "a"(BLOCK) : "r0", "r1", "cc", "memory");
	at_expect("STSI with GR0 bit 55 one", PGM_SPECIFICATION, 4,
		  at_spot.next);

	asm volatile("stidp %0" : "=Q"(id));
	GT_EQ((id >> 16) & 0xffff, type, "STIDP machine type = SysIB 1.1.1 type");
	GT_EQ(id & 0x7fff, 0, "STIDP bits 49-63");

	at_pstate();
	asm volatile(AT_PRE "stidp %[i]" AT_POST : [i] "=Q"(id) : : "r1", "memory");
	at_expect("STIDP in problem state", PGM_PRIVILEGED, 4, at_spot.next);
	at_pstate();
	asm volatile("lghi %%r0,0\n" AT_PRE "stsi 0(%[b])" AT_POST
		     : : [b] "a"(BLOCK) : "r0", "r1", "cc", "memory");
	at_expect("STSI in problem state", PGM_PRIVILEGED, 4, at_spot.next);
}
