// SPDX-License-Identifier: MIT
/*
 * CPU helpers: waits, SIGP, DIAGNOSE 308.
 */
#include "libboot.h"

void boot_disabled_wait(uint64_t code)
{
	struct psw psw = {
		.mask = PSW_MASK_WAIT | PSW_MASK_EA | PSW_MASK_BA,
		.addr = code,
	};

	for (;;)
		asm volatile("lpswe %0" : : "Q"(psw) : "memory");
}

void boot_ext_wait(void)
{
	struct psw wait = {
		.mask = PSW_MASK_EXT | PSW_MASK_WAIT | PSW_MASK_EA |
			PSW_MASK_BA,
		.addr = 0,
	};
	uint64_t resume;

	/*
	 * The external new PSW resumes at label 0 below, in 64-bit mode with
	 * interruptions disabled; registers are not touched by the
	 * interruption, so the code just carries on.
	 */
	LC_U64(LC_EXT_NEW_PSW) = PSW_MASK_EA | PSW_MASK_BA;
	asm volatile("	larl	%[r],0f\n"
		     "	stg	%[r],0x1b8\n"	/* LC_EXT_NEW_PSW + 8 */
		     "	lpswe	%[w]\n"
		     "0:\n"
		     : [r] "=&a"(resume)
		     : [w] "Q"(wait)
		     : "memory", "cc");
}

int sigp(uint16_t cpu, uint8_t order, uint64_t param, uint32_t *status)
{
	register uint64_t r1 asm("1") = param;
	int cc;

	/* R1 odd: the parameter is in R1, the status comes back there. */
	asm volatile("	sigp	%[r1],%[cpu],0(%[order])\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=d"(cc), [r1] "+d"(r1)
		     : [cpu] "d"((uint64_t)cpu), [order] "a"((uint64_t)order)
		     : "cc", "memory");
	if (status)
		*status = (uint32_t)r1;
	return cc;
}

uint64_t diag308(uint64_t subcode, void *addr)
{
	/*
	 * R1 = GR0 (even) holds the address, the response comes back in
	 * R1+1 = GR1; R3 holds the subcode (pv-machine-and-uv.md §1.1).
	 */
	register uint64_t r0 asm("0") = (uint64_t)addr;
	register uint64_t r1 asm("1") = 0;

	asm volatile("	diag	%[r0],%[sc],0x308\n"
		     : [r0] "+d"(r0), "+d"(r1)
		     : [sc] "d"(subcode)
		     : "memory", "cc");
	return r1;
}
