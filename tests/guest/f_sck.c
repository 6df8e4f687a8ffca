// SPDX-License-Identifier: MIT
/*
 * Reproducer: SET CLOCK crashes libunicorn 2.0.1's translator (issue 14).
 *
 * QEMU 5.0's s390x translator, which Unicorn 2.0.1 carries, declares SCK
 * (0xB204) with the operand loader in1_la2, which sets only the operand
 * address (addr1); op_sck then loads the operand into o->in1, which
 * nothing set: a null TCGv.  TCG turns it into a "temporary" at offset 0
 * of the TCGContext, and tcg_optimize() computes its index as a negative
 * number and tests a bit that far outside its bitmap: SIGSEGV while the
 * block is translated (tcg_optimize_s390x <- tcg_gen_code_s390x <-
 * tb_gen_code_s390x), before any of pvboot's code sees the instruction.
 * Every SCK translated in supervisor state does it, whatever its
 * operand, also as the target of EX or EXRL and also when an earlier
 * instruction of the same block faults so that the SCK never executes.
 * In problem state the translator emits the privileged-operation
 * exception instead and nothing happens.  (QEMU fixed it in 7.0: SCK
 * loads its operand with in2_m2_64a, as SCKC does.)
 *
 * gt_parms variant: 0 SCK, 1 EX of SCK, 2 EXRL of SCK, 3 an SCK after a
 * load from past the end of memory in the same block (never executed),
 * 4 SCK in problem state.  Without the crash each ends in GT_WAIT_OK:
 * cc 0 and the clock moved (0-2), an addressing exception and the clock
 * unchanged (3), a privileged-operation exception (4).
 */
#include "at.h"

const char gt_name[] = "F-SCK";

#define HOUR AT_TOD_US(3600000000ULL)

static uint64_t tod;

void gt_main(void)
{
	const struct gt_parms *p = gt_parms();
	uint64_t v = p ? p->variant : 0, before = at_stck(), after;
	uint64_t beyond = at_ram_size() + 0x1000, sink = 0;
	int cc = -1;

	tod = before + HOUR;
	boot_printf("%s: variant %llu\n", gt_name, (unsigned long long)v);
	at_reset_pgm();
	switch (v) {
	case 0:
		asm volatile("sck %[t]\n\tipm %[cc]\n\tsrl %[cc],28"
			     : [cc] "=d"(cc) : [t] "Q"(tod) : "cc");
		break;
	case 1:
		asm volatile("larl %%r1,1f\n\tex %%r0,0(%%r1)\n\t"
			     "ipm %[cc]\n\tsrl %[cc],28\n\tj 2f\n"
			     "1:\tsck 0(%[a])\n2:\n"
			     : [cc] "=d"(cc) : [a] "a"(&tod)
			     : "r1", "cc", "memory");
		break;
	case 2:
		asm volatile("exrl %%r0,1f\n\t"
			     "ipm %[cc]\n\tsrl %[cc],28\n\tj 2f\n"
			     "1:\tsck 0(%[a])\n2:\n"
			     : [cc] "=d"(cc) : [a] "a"(&tod) : "cc", "memory");
		break;
	case 3:
		asm volatile(AT_PRE_RESUME "lg %[s],0(%[b])\n\tsck %[t]"
			     AT_POST
			     : [s] "+d"(sink) : [b] "a"(beyond), [t] "Q"(tod)
			     : "r1", "cc", "memory");
		break;
	default:
		at_pstate();
		asm volatile(AT_PRE_RESUME "sck %[t]" AT_POST
			     : : [t] "Q"(tod) : "r1", "cc", "memory");
		at_supervisor();
		break;
	}
	after = at_stck();
	if (v <= 2) {
		at_expect_none("SCK");
		GT_EQ(cc, 0, "SCK cc");
		gt_check(after >= tod && after < tod + AT_TOD_US(1000000),
			 "clock 0x%llx after SCK to 0x%llx",
			 (unsigned long long)after, (unsigned long long)tod);
		tod = at_stck() - HOUR;
		asm volatile("sck %0" : : "Q"(tod) : "cc");
	} else {
		gt_check(gt_pgm.count == 1 && gt_pgm.code ==
			 (v == 3 ? PGM_ADDRESSING : PGM_PRIVILEGED),
			 "%llu program interruptions, code 0x%llx",
			 (unsigned long long)gt_pgm.count,
			 (unsigned long long)gt_pgm.code);
		gt_check(after < tod, "the clock moved: 0x%llx",
			 (unsigned long long)after);
		at_reset_pgm();
	}
}
