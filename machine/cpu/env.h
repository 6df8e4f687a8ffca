/* SPDX-License-Identifier: MIT */
/*
 * The s390x CPU state inside Unicorn (QEMU's CPUS390XState) as the
 * machine reads and writes it directly.  Unicorn's register API covers
 * only the GPRs, the PSW and (with a bug: they land in the GPRs) the
 * access registers, so the machine works on the structure itself.
 *
 * The offsets are those of Debian's libunicorn2 2.0.1 (QEMU 5.0's layout
 * with Unicorn's additions).  They are not trusted: probe.c checks every
 * one of them against the running library before a guest starts, and
 * the machine refuses to run where a check fails
 * (linux-guest-feasibility.md §2).
 */
#ifndef PVBOOT_MACHINE_CPU_ENV_H
#define PVBOOT_MACHINE_CPU_ENV_H

#include <stdint.h>
#include <string.h>

#define ENV_REGS 0		/* uint64_t regs[16] */
#define ENV_VREGS 128		/* uint64_t vregs[32][2]; FPR n = vregs[n][0] */
#define ENV_AREGS 640		/* uint32_t aregs[16] */
#define ENV_FPC 756		/* uint32_t */
#define ENV_CC_OP 760		/* uint32_t: 0-3 = that CC, else lazy */
#define ENV_PSW_MASK 784	/* uint64_t, CC kept in cc_op */
#define ENV_PSW_ADDR 792
#define ENV_EX_VALUE 824	/* non-zero inside EXECUTE */
#define ENV_PSA 840		/* prefix */
#define ENV_PGM_CODE 848	/* uint32_t */
#define ENV_PGM_ILEN 852	/* uint32_t */
#define ENV_SVC_CODE 856	/* uint32_t */
#define ENV_SVC_ILEN 860	/* uint32_t */
#define ENV_CREGS 880		/* uint64_t cregs[16] */
#define ENV_CKC 1008		/* unused: the machine keeps the CKC */
#define ENV_CPUTM 1016		/* unused: the machine keeps the CPU timer */
#define ENV_TODPR 1024		/* uint32_t TOD programmable register */
#define ENV_CORE_ID 1188	/* uint32_t: STAP */
#define ENV_CPUID 1192		/* uint64_t: STIDP */
/* CPUTLBDescFast f[4] (mask, table) just below the structure */
#define ENV_TLB_FAST (-80)

/*
 * Unicorn's own engine structure (uc_struct in its uc_priv.h), 2.0.1:
 * the CPU pointer, and the flag that keeps the translator from putting an
 * exit check after every guest memory access.  Those checks leave a block
 * in its middle but then restart it from its first instruction, running
 * again what already ran (a block that lowered the stack pointer lowers
 * it twice); with the flag set a block is left only at its start, as in
 * QEMU.  probe.c checks both before any guest code runs.
 */
#define UC_OFF_CPU 384
#define UC_OFF_NO_EXIT_REQUEST 1930
#define UC_OFF_INIT_DONE 1931

static inline uint64_t env_get64(const uint8_t *env, int off)
{
	uint64_t v;

	memcpy(&v, env + off, 8);
	return v;
}

static inline void env_set64(uint8_t *env, int off, uint64_t v)
{
	memcpy(env + off, &v, 8);
}

static inline uint32_t env_get32(const uint8_t *env, int off)
{
	uint32_t v;

	memcpy(&v, env + off, 4);
	return v;
}

static inline void env_set32(uint8_t *env, int off, uint32_t v)
{
	memcpy(env + off, &v, 4);
}

#endif
