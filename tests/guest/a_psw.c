// SPDX-License-Identifier: MIT
/*
 * Invalid PSWs and odd instruction addresses (POP chapter 6,
 * "Specification exception" and "Exceptions associated with the PSW"):
 *  - LPSWE of a PSW with bit 31 (EA) one and bit 32 (BA) zero, and of one
 *    with bit 24 one (must be zero): the PSW is loaded and the exception
 *    is recognized as an early exception, ILC 0, the old PSW is the PSW
 *    that was loaded;
 *  - a branch to an odd address: specification exception, the old PSW
 *    holds the odd address;
 *  - EXECUTE of a target at an odd address (POP chapter 7, "EXECUTE"):
 *    specification exception, EXECUTE suppressed (ILC 4, the old PSW
 *    after it), neither the odd target nor the even one before it run.
 * QEMU 7.2 TCG runs on in the invalid mode (and aborts on an assertion)
 * and decodes from the odd address, so arch_qemu.sh skips this program.
 */
#include "at.h"

const char gt_name[] = "A-PSW";

static void lpswe_invalid(uint64_t mask, const char *what)
{
	static struct psw bad __aligned(8);

	bad.mask = mask;
	at_reset_pgm();
	asm volatile(AT_PRE_RESUME
		     "larl %%r2,1f\n stg %%r2,8(%[p])\n lpswe 0(%[p])" AT_POST
		     : : [p] "a"(&bad) : "r1", "r2", "memory");
	gt_check(gt_pgm.count == 1 && gt_pgm.code == PGM_SPECIFICATION &&
		 gt_pgm.ilc == 0 && gt_pgm.old_mask == bad.mask &&
		 gt_pgm.old_addr == at_spot.next,
		 "%s: %llu interruptions, code 0x%llx ILC %llu old PSW %016llx %016llx, want 0x6 ILC 0 old PSW %016llx %016llx",
		 what, (unsigned long long)gt_pgm.count,
		 (unsigned long long)gt_pgm.code,
		 (unsigned long long)gt_pgm.ilc,
		 (unsigned long long)gt_pgm.old_mask,
		 (unsigned long long)gt_pgm.old_addr,
		 (unsigned long long)bad.mask,
		 (unsigned long long)at_spot.next);
	at_reset_pgm();
}

void gt_main(void)
{
	lpswe_invalid(0x0000000100000000ULL, "LPSWE: EA without BA");
	lpswe_invalid(PSW_64 | 0x0000008000000000ULL, "LPSWE: bit 24 one");

	at_reset_pgm();
	asm volatile(AT_PRE_RESUME "larl %%r2,1f\n la %%r2,1(%%r2)\n br %%r2"
		     AT_POST : : : "r1", "r2", "memory");
	gt_check(gt_pgm.count == 1 && gt_pgm.code == PGM_SPECIFICATION &&
		 gt_pgm.old_addr == at_spot.next + 1,
		 "branch to an odd address: code 0x%llx old PSW 0x%llx, want 0x6 at 0x%llx",
		 (unsigned long long)gt_pgm.code,
		 (unsigned long long)gt_pgm.old_addr,
		 (unsigned long long)at_spot.next + 1);
	at_reset_pgm();

	/* EX of an odd address: whatever is there must not run (r3 stays) */
	{
		uint64_t r3 = 7;

		at_reset_pgm();
		asm volatile("larl %%r2,2f\n" AT_PRE "ex 0,1(%%r2)" AT_POST
			     "j 3f\n2: .long 0xa7390000\n3:"	/* lghi 3,0 */
			     : "+d"(r3) : : "r1", "r2", "memory");
		gt_check(gt_pgm.count == 1 &&
			 gt_pgm.code == PGM_SPECIFICATION &&
			 gt_pgm.ilc == 4 && gt_pgm.old_addr == at_spot.next &&
			 r3 == 7,
			 "EX of an odd address: %llu interruptions, code 0x%llx ILC %llu old PSW 0x%llx r3 %llu, want 1, 0x6 ILC 4 at 0x%llx, r3 7",
			 (unsigned long long)gt_pgm.count,
			 (unsigned long long)gt_pgm.code,
			 (unsigned long long)gt_pgm.ilc,
			 (unsigned long long)gt_pgm.old_addr,
			 (unsigned long long)r3,
			 (unsigned long long)at_spot.next);
		at_reset_pgm();
	}
}
