// SPDX-License-Identifier: MIT
/*
 * Hostile guests with one exact end each (tests/README.md, "Hostile
 * guests"; tests/guestfuzz runs every variant and checks how pvboot ends
 * the run).  gt_parms variant:
 *   1  enabled wait that nothing can end (external mask on, no subclass)
 *   2  the program new PSW points at an invalid instruction: a program
 *      interruption loop
 *   3  the program new PSW is invalid (bit 12 one), then a program check
 *   4  a branch to itself: the guest never ends
 *   5  SIGP stop to itself
 *   6  disabled wait whose address (the wait code) is odd, 0x4511, as
 *      IBM's stage3b ends on a bad kernel: no instruction is fetched in
 *      the wait state, so no specification exception
 *   7  DIAG 308 subcode 3 (re-IPL) on every boot: the guest reboots forever
 *   8  an external-interruption storm: the CPU timer stays negative, the
 *      external new PSW has the external mask on and loops to itself
 *   9  SVC with a zero SVC new PSW
 *  10  the console flooded: 4000 lines of 120 characters, then success
 *  11  SIGP restart of CPU 1 (--smp 2) in a loop, CPU 1's restart PSW a
 *      branch to itself
 *  12  disabled wait with code 0 (success) right away
 */
#include "at.h"

const char gt_name[] = "F-HOSTILE";

static uint64_t psw[2] __aligned(16);

static void lpswe(uint64_t mask, uint64_t addr)
{
	psw[0] = mask;
	psw[1] = addr;
	asm volatile("lpswe %0" : : "Q"(psw) : "memory");
}

static int sigp_order(uint16_t cpu, uint8_t order)
{
	register uint64_t r1 asm("1") = 0;
	int cc;

	asm volatile("sigp %[r1],%[cpu],0(%[o])\n\tipm %[cc]\n\tsrl %[cc],28"
		     : [cc] "=d"(cc), [r1] "+d"(r1)
		     : [cpu] "d"((uint64_t)cpu), [o] "a"((uint64_t)order)
		     : "cc", "memory");
	return cc;
}

/* A branch to itself, for new PSWs that loop. */
extern char hostile_self_loop[];
asm(".text\n.balign 8\nhostile_self_loop:\n\tj hostile_self_loop\n");
/* Two zero bytes: an invalid opcode. */
extern char hostile_invalid[];
asm(".text\n.balign 8\nhostile_invalid:\n\t.short 0\n");

#define PSW64 0x0000000180000000ULL

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();
	uint64_t v = p ? p->variant : 0;

	boot_printf("%s: variant %llu\n", gt_name, (unsigned long long)v);
	switch (v) {
	case 1:
		at_subclasses(0);
		lpswe(PSW64 | PSW_EXT | PSW_WAIT, 0);
		break;
	case 2:
		LC_U64(LC_PGM_NEW_PSW) = PSW64;
		LC_U64(LC_PGM_NEW_PSW + 8) = (uintptr_t)hostile_invalid;
		asm volatile(".short 0");
		break;
	case 3:
		LC_U64(LC_PGM_NEW_PSW) = PSW64 | 0x0008000000000000ULL;
		LC_U64(LC_PGM_NEW_PSW + 8) = (uintptr_t)hostile_self_loop;
		asm volatile(".short 0");
		break;
	case 4:
		asm volatile("0: j 0b");
		break;
	case 5:
		sigp_order(at_stap(), 0x05);
		break;
	case 6:
		lpswe(PSW64 | PSW_WAIT, 0x4511);
		break;
	case 7:
		gt_d308(3, 0);
		break;
	case 8:
		LC_U64(LC_EXT_NEW_PSW) = PSW64 | PSW_EXT;
		LC_U64(LC_EXT_NEW_PSW + 8) = (uintptr_t)hostile_self_loop;
		at_spt((uint64_t)-1);
		at_subclasses(CR0_CPU_TIMER);
		lpswe(PSW64 | PSW_EXT, (uintptr_t)hostile_self_loop);
		break;
	case 9:
		LC_U64(0x1c0) = 0;
		LC_U64(0x1c8) = 0;
		asm volatile("svc 1");
		break;
	case 10:
		for (int i = 0; i < 4000; i++)
			boot_printf("%04d %s\n", i,
				    "0123456789abcdefghijklmnopqrstuvwxyz"
				    "0123456789abcdefghijklmnopqrstuvwxyz"
				    "0123456789abcdefghijklmnopqrstuvwxyz!");
		gt_check(true, "flood");
		return;
	case 11:
		LC_U64(LC_RESTART_NEW_PSW) = PSW64;
		LC_U64(LC_RESTART_NEW_PSW + 8) = (uintptr_t)hostile_self_loop;
		for (;;)
			sigp_order(1, 0x06);
		break;
	case 12:
		lpswe(PSW64 | PSW_WAIT, 0);
		break;
	default:
		gt_check(false, "no such variant");
		return;
	}
	gt_check(false, "variant %llu came back", (unsigned long long)v);
}
