/* SPDX-License-Identifier: MIT */
/*
 * The machine's replacements of libunicorn functions (interpose.c), and
 * what they record while the start-up probe runs (probe.c).
 */
#ifndef PVBOOT_MACHINE_CPU_INTERPOSE_H
#define PVBOOT_MACHINE_CPU_INTERPOSE_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

struct probe_seen {
	uint8_t *env;
	void *cs;
	uint64_t stck_value;
	uint64_t pgm_addr, svc_addr;
	uint32_t pgm_code, pgm_ilen, svc_code, svc_ilen;
	int svc_cc, static_cc;
	bool waited;
	uint64_t wait_mask, wait_addr;
};
extern struct probe_seen probe_seen;

/*
 * The CPU the calling thread runs (the replacements act for it), set
 * around every uc_emu_start.
 */
extern __thread struct vcpu *ip_cur;

/*
 * CHECKSUM (RRE 0xB241) and its form with an odd R2 (low nibble of byte
 * 3): the translator takes R2 + 1 as the length register without the
 * even-R2 check the architecture makes, and R2 = 15 indexes past its 16
 * registers (a crash in tcg_optimize).  interpose.c keeps that form from
 * the translator; cpu/irq.c raises the specification exception.
 */
static inline bool is_cksm(const uint8_t *b)
{
	return b[0] == 0xb2 && b[1] == 0x41;
}

static inline bool cksm_odd_r2(const uint8_t *b)
{
	return is_cksm(b) && (b[3] & 1);
}

/* An interruption ended the instruction (cpu/irq.c, before delivery). */
void interpose_exception(void);
static inline void interpose_enter(struct vcpu *v);
static inline void interpose_leave(struct vcpu *v);

/* Names the executable must export (Makefile: interpose.list). */
extern const void *const interpose_table[];

#include "../machine_priv.h"

static inline void interpose_enter(struct vcpu *v)
{
	ip_cur = v;
	v->running = true;
}

static inline void interpose_leave(struct vcpu *v)
{
	v->running = false;
	ip_cur = NULL;
}

#endif
