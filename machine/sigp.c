// SPDX-License-Identifier: MIT
/*
 * SIGNAL PROCESSOR for a one-CPU machine (guest-boot-probe.md §0, §4.5):
 * set-architecture is accepted (cc 0); CPU 0 can sense itself; stop and
 * stop-and-store-status to itself end the run; any other CPU address is
 * not operational (cc 3); other orders are rejected as invalid (cc 1).
 */
#include "machine_priv.h"

#define SIGP_SENSE 0x01
#define SIGP_STOP 0x05
#define SIGP_STOP_STORE 0x09
#define SIGP_SET_ARCH 0x12
#define SIGP_SENSE_RUNNING 0x15
#define SIGP_STAT_INVALID_ORDER 0x00000002ULL

enum insn_action sigp_handle(struct pv_machine *m, const struct insn *in)
{
	int r1 = in->b[1] >> 4, r3 = in->b[1] & 0xf;
	uint64_t order = insn_addr_s(m, in) & 0xff;
	uint64_t cpu = vcpu_gr(m, r3) & 0xffff;

	if (m->tr)
		mach_trace(m, "  SIGP order 0x%02llx cpu %llu",
			   (unsigned long long)order,
			   (unsigned long long)cpu);
	if (order == SIGP_SET_ARCH) {
		m->cpu.cc = 0;
		return ACT_NEXT;
	}
	if (cpu != 0) {
		m->cpu.cc = 3;
		return ACT_NEXT;
	}
	switch (order) {
	case SIGP_SENSE:
	case SIGP_SENSE_RUNNING:
		m->cpu.cc = 0;
		return ACT_NEXT;
	case SIGP_STOP:
	case SIGP_STOP_STORE:
		run_stop(m, EXIT_STOP, m->cpu.mask,
			 addr_wrap(m->cpu.mask, in->addr + in->len));
		return ACT_EXIT;
	default:
		vcpu_set_gr(m, r1, (vcpu_gr(m, r1) & ~0xffffffffULL) |
				  SIGP_STAT_INVALID_ORDER);
		m->cpu.cc = 1;
		return ACT_NEXT;
	}
}
