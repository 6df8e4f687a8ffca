// SPDX-License-Identifier: MIT
/*
 * Prefixing (POP chapter 3, "Prefixing"): after SET PREFIX to P, real
 * addresses 0-8191 name absolute P..P+8191 and real P..P+8191 name
 * absolute 0-8191, at once (SPX clears what a CPU remembers of the old
 * mapping).  A program interruption stores its code into the new prefix
 * area and leaves absolute 0 alone; STORE PREFIX reads P back; SPX of an
 * address beyond memory is an addressing exception; SPX operand not on a
 * word boundary is a specification exception.
 */
#include "at.h"

const char gt_name[] = "A-PREFIX";

#define P AT_PREFIX2

static void spx(uint32_t p)
{
	asm volatile("spx %0" : : "Q"(p) : "memory");
}

static uint32_t stpx(void)
{
	uint32_t p;

	asm volatile("stpx %0" : "=Q"(p));
	return p;
}

void gt_main(void)
{
	volatile uint64_t *real_p = (uint64_t *)(P + 0x1000);
	volatile uint64_t *real_lc = (uint64_t *)0x1000;
	uint64_t ram = at_ram_size();
	static uint32_t word[2] __aligned(8);

	/* Known words: absolute 0x1000 and absolute P + 0x1000. */
	*real_lc = 0x1111111111111111ULL;
	memcpy((void *)P, (void *)0, 0x1000);
	*real_p = 0x2222222222222222ULL;
	/* Touch both before the switch, so a CPU could remember them. */
	GT_EQ(*real_lc + *real_p, 0x3333333333333333ULL, "before SPX");
	spx(P);
	GT_EQ(stpx(), P, "STPX");
	GT_EQ(*real_lc, 0x2222222222222222ULL,
	      "real 0x1000 is absolute P + 0x1000");
	GT_EQ(*real_p, 0x1111111111111111ULL,
	      "real P + 0x1000 is absolute 0x1000");

	*(volatile uint16_t *)(P + LC_PGM_CODE) = 0xbeef;  /* absolute 0x8e */
	at_reset_pgm();
	asm volatile(AT_PRE ".short 0x0000" AT_POST : : : "r1", "memory");
	at_expect("operation with prefix P", PGM_OPERATION, 2, at_spot.next);
	GT_EQ(LC_U16(LC_PGM_CODE), PGM_OPERATION,
	      "code in the prefix area (real 0x8e)");
	GT_EQ(*(volatile uint16_t *)(P + LC_PGM_CODE), 0xbeef,
	      "absolute 0x8e untouched");

	spx(0);
	GT_EQ(stpx(), 0, "STPX after SPX 0");
	GT_EQ(*real_lc, 0x1111111111111111ULL, "real 0x1000 is absolute again");
	GT_EQ(*real_p, 0x2222222222222222ULL, "real P + 0x1000 is absolute again");
	GT_EQ(*(volatile uint16_t *)(P + LC_PGM_CODE), PGM_OPERATION,
	      "absolute P + 0x8e holds the code");

	at_reset_pgm();
	word[0] = (uint32_t)(ram & 0x7fffe000);
	if (ram < 0x80000000ULL) {
		asm volatile(AT_PRE "spx %[w]" AT_POST : : [w] "Q"(word[0])
			     : "r1", "memory");
		at_expect("SPX beyond memory", PGM_ADDRESSING, 4, at_spot.next);
		GT_EQ(stpx(), 0, "prefix unchanged");
	}
	asm volatile(AT_PRE "spx 2(%[w])" AT_POST : : [w] "a"(word)
		     : "r1", "memory");
	at_expect("SPX operand not on a word", PGM_SPECIFICATION, 4,
		  at_spot.next);
}
