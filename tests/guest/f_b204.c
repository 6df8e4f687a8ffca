// SPDX-License-Identifier: MIT
/*
 * The halfword 0xB204 (SET CLOCK's opcode) inside other instructions must
 * mean what it means there.  A workaround that hides SET CLOCK from the
 * translator by rewriting fetched instruction bytes must look only at
 * the opcode: bytes 2-5 of a 6-byte instruction are fetched as one word
 * too, and there 0xB204 is a base register and displacement (LG 0x204
 * with base 11, MVC to 0x204(11)) or part of an immediate (IILF, LLIHF),
 * also in the target of EXECUTE.  Each case computes a value and checks
 * it against the one the POP gives.
 */
#include "at.h"

const char gt_name[] = "F-B204";

static uint64_t area[0x400 / 8] __aligned(8);

/*
 * The values the checks want, read from memory: as immediates they would
 * hold 0xB204 too, and a wrong rewrite would cancel out in the compare.
 */
static volatile const uint64_t want[] = {
	0xb2040000ULL, 0xb204b20400000000ULL, 0xb2040001ULL,
};

void gt_main(void)
{
	register uint64_t r11 asm("11") = (uint64_t)(uintptr_t)area;
	uint8_t *a = (uint8_t *)area;
	uint64_t v;

	for (unsigned int i = 0; i < sizeof(area); i++)
		a[i] = (uint8_t)i;
	*(uint64_t *)(a + 0x204) = 0x1111222233334444ULL;
	*(uint64_t *)(a + 0x2ff - 7) = 0;

	/* LG %r1,0x204(%r11): e3 10 b2 04 00 04 */
	asm volatile(".insn rxy,0xe30000000004,%[v],0x204(%[b])"
		     : [v] "=d"(v) : [b] "a"(r11) : "memory");
	GT_EQ(v, 0x1111222233334444ULL, "LG 0x204(%r11)");

	/* IILF %r1,0xb2040000: c0 19 b2 04 00 00 */
	v = 0;
	asm volatile("iilf %[v],0xb2040000" : [v] "+d"(v));
	GT_EQ(v, want[0], "IILF 0xb2040000");

	/* LLIHF %r1,0xb204b204 */
	asm volatile("llihf %[v],0xb204b204" : [v] "=d"(v));
	GT_EQ(v, want[1], "LLIHF 0xb204b204");

	/* MVC 0x204(8,%r11),0x300(%r11): d2 07 b2 04 b3 00 */
	*(uint64_t *)(a + 0x300) = 0x5555666677778888ULL;
	asm volatile("mvc 0x204(8,%[b]),0x300(%[b])" : : [b] "a"(r11)
		     : "memory");
	GT_EQ(*(uint64_t *)(a + 0x204), 0x5555666677778888ULL,
	      "MVC to 0x204(%r11)");

	/* EX of IILF 0xb2040001 */
	v = 0;
	asm volatile("larl %%r1,1f\n\tex %%r0,0(%%r1)\n\tj 2f\n"
		     "1:\tiilf %[v],0xb2040001\n2:\n"
		     : [v] "+d"(v) : : "r1");
	GT_EQ(v, want[2], "EX of IILF 0xb2040001");

	/* EXRL of LG 0x204(%r11) */
	*(uint64_t *)(a + 0x204) = 0x0123456789abcdefULL;
	asm volatile("exrl %%r0,1f\n\tj 2f\n"
		     "1:\t.insn rxy,0xe30000000004,%[v],0x204(%[b])\n2:\n"
		     : [v] "=d"(v) : [b] "a"(r11) : "memory");
	GT_EQ(v, 0x0123456789abcdefULL, "EXRL of LG 0x204(%r11)");
}
