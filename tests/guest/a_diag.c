// SPDX-License-Identifier: MIT
/*
 * The DIAGNOSE codes a Linux guest issues, with the result a KVM host
 * (with QEMU, no watchdog device, no virtio devices) gives, for a
 * non-protected guest and, run as the kernel of an SE image, for a
 * protected one (pv-machine-and-uv.md §4.10: 0x44 and 0x9c are
 * notifications the UV completes, 0x288 and 0x500 are instruction
 * intercepts after which the hypervisor may inject a specification
 * exception; KVM's kvm_s390_handle_diag and QEMU's handle_diag):
 *   0x44   time-slice end: completes, registers and cc unchanged
 *   0x9c   directed yield, for an existing, its own or a missing CPU:
 *          completes
 *   0x500  GR1 = 3 (virtio-ccw notify) for a subchannel that does not
 *          exist: GR2 = -EINVAL (-22); another GR1: specification
 *   0x288  watchdog without a watchdog device: specification
 *   0x260  storage configuration (a z/VM call): specification
 *   0x318  control-program name: completes (KVM with the diag318
 *          feature; Linux issues it only then)
 *   any DIAGNOSE in problem state: privileged operation
 * DIAG 0x258 (pfault) has its own program (a_diag258.c).  QEMU TCG is
 * not KVM (it answers 0x9c and 0x318 with a specification exception),
 * so arch_qemu.sh skips this program.
 */
#include "at.h"

const char gt_name[] = "A-DIAG";

#define EINVAL_RC ((uint64_t)-22)

/*
 * DIAG @code (a constant, in the displacement with base 0 as Linux
 * writes it) with GR1..GR3 = @r1..@r3; GR2 afterwards, *@ccp the cc.
 */
#define diag(code, r1, r2, r3, ccp) ({					\
	register uint64_t g1 asm("1") = (r1);				\
	register uint64_t g2 asm("2") = (r2);				\
	register uint64_t g3 asm("3") = (r3);				\
	register uint64_t g4 asm("4") = 0x4444;				\
	int cc__;							\
									\
	asm volatile("sr %%r0,%%r0\n"	/* cc 0 */			\
		     "diag %%r2,%%r4," #code "\n ipm %[cc]\n srl %[cc],28" \
		     : [cc] "=d"(cc__), "+d"(g1), "+d"(g2), "+d"(g3),	\
		       "+d"(g4)						\
		     : : "r0", "cc", "memory");				\
	*(ccp) = cc__;							\
	g2;								\
})

#define completes(code, r2, what) do {					\
	int cc_;							\
	uint64_t g2_;							\
									\
	at_reset_pgm();							\
	g2_ = diag(code, 0x1111, (r2), 0x3333, &cc_);			\
	at_expect_none(what);						\
	GT_EQ(g2_, (r2), what);						\
	GT_EQ(cc_, 0, what);						\
} while (0)

#define spec(code, r1, what) do {					\
	int cc_;							\
									\
	at_reset_pgm();							\
	diag(code, (r1), 0x2222, 0x3333, &cc_);				\
	GT_EQ(gt_pgm_take(), PGM_SPECIFICATION, what);			\
	at_reset_pgm();							\
} while (0)

void gt_main(void)
{
	int cc;

	boot_printf("A-DIAG: %s guest\n", gt_protected() ? "protected" :
		    "non-protected");
	completes(0x44, 0x2222, "DIAG 0x44");
	completes(0x9c, 0, "DIAG 0x9c to CPU 0 (itself)");
	completes(0x9c, 1, "DIAG 0x9c to CPU 1 (missing)");
	completes(0x9c, 0xffff, "DIAG 0x9c to CPU 0xffff");
	completes(0x318, 0x0400000000000001ULL, "DIAG 0x318");
	at_reset_pgm();
	GT_EQ(diag(0x500, 3, 0x10000, 0, &cc), EINVAL_RC,
	      "DIAG 0x500 notify of a missing subchannel: GR2");
	at_expect_none("DIAG 0x500 notify");
	spec(0x500, 0x55, "DIAG 0x500 unknown subcode");
	spec(0x288, 0, "DIAG 0x288 without a watchdog");
	spec(0x260, 0, "DIAG 0x260");
	at_reset_pgm();
	at_pstate();
	diag(0x44, 0, 0, 0, &cc);
	at_supervisor();
	GT_EQ(gt_pgm.code, PGM_PRIVILEGED, "DIAG 0x44 in problem state");
	at_reset_pgm();
}
