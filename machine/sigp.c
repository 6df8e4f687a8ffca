// SPDX-License-Identifier: MIT
/*
 * SIGNAL PROCESSOR between the machine's CPUs (the orders QEMU's
 * target/s390x/sigp.c handles, with its status bits).  The order code is
 * bits 56-63 of the second-operand address, the CPU address is bits
 * 48-63 of GR R3, the parameter is in R1 when R1 is odd and in R1+1
 * otherwise; status goes to bits 32-63 of GR R1 with condition code 1.
 * All CPUs run on one host thread, so an order to another CPU takes effect
 * at once; an order that stops or resets the issuing CPU leaves the CPU
 * loop after the instruction.
 */
#include <string.h>

#include "pvboot/be.h"

#include "machine_priv.h"

#define SIGP_SENSE 0x01
#define SIGP_EXTCALL 0x02
#define SIGP_EMERGENCY 0x03
#define SIGP_START 0x04
#define SIGP_STOP 0x05
#define SIGP_RESTART 0x06
#define SIGP_STOP_STORE 0x09
#define SIGP_INITIAL_RESET 0x0b
#define SIGP_CPU_RESET 0x0c
#define SIGP_SET_PREFIX 0x0d
#define SIGP_STORE_STATUS_ADDR 0x0e
#define SIGP_SET_ARCH 0x12
#define SIGP_COND_EMERGENCY 0x13
#define SIGP_SENSE_RUNNING 0x15

#define STAT_NOT_RUNNING 0x400U
#define STAT_INCORRECT_STATE 0x200U
#define STAT_INVALID_PARAMETER 0x100U
#define STAT_EXT_CALL_PENDING 0x80U
#define STAT_STOPPED 0x40U
#define STAT_CHECK_STOP 0x10U
#define STAT_INVALID_ORDER 0x02U

#define CC_ACCEPTED 0
#define CC_STATUS 1
#define CC_BUSY 2
#define CC_NOT_OPERATIONAL 3

#define SAVE_AREA 0x1200ULL	/* store status at the default address */

/*
 * STORE STATUS (z/Architecture save area, QEMU's SigpSaveArea): FPRs,
 * GPRs, PSW, prefix, FPC, TOD programmable register, CPU timer, clock
 * comparator (bits 0-55), access and control registers.
 */
void sigp_store_status(struct vcpu *v, uint64_t abs)
{
	struct pv_machine *m = v->m;
	uint8_t *p = mem_abs(m, abs, 0x200);

	if (!p)
		return;
	for (int i = 0; i < 16; i++) {
		pv_put_be64(p + 8 * i, env_get64(v->env, ENV_VREGS + 16 * i));
		pv_put_be64(p + 0x80 + 8 * i, vcpu_gr(v, i));
		pv_put_be32(p + 0x140 + 4 * i,
			    env_get32(v->env, ENV_AREGS + 4 * i));
		pv_put_be64(p + 0x180 + 8 * i, vcpu_cr(v, i));
	}
	pv_put_be64(p + 0x100, vcpu_pswm(v));
	pv_put_be64(p + 0x108, vcpu_pc(v));
	pv_put_be32(p + 0x118, vcpu_prefix(v));
	pv_put_be32(p + 0x11c, env_get32(v->env, ENV_FPC));
	pv_put_be32(p + 0x124, env_get32(v->env, ENV_TODPR));
	pv_put_be64(p + 0x128, cputm_get(v));
	pv_put_be64(p + 0x130, atomic_load(&v->ckc) >> 8);
	codemap_written(m, abs, 0x200);
}

/* A stop request reached its CPU at an instruction boundary. */
/*
 * A protected guest's CPU state lives in the UV too: the hypervisor sets it
 * when SIGP starts or stops a CPU and resets it with the UV's CPU-reset
 * calls, as KVM does for a protected vCPU (pv-machine-and-uv.md §3.2: all
 * but the IPL CPU stay STOPPED until the guest starts them with SIGP).  A
 * refusal is the hypervisor's bug: the run ends.
 */
static void pv_cpu(struct vcpu *t, int state, uint16_t reset)
{
	struct pv_machine *m = t->m;
	int rc;

	if (!m->protected_mode || !t->pv_handle)
		return;
	rc = reset ? hv_cpu_reset(t, reset) : hv_cpu_state(t, (uint8_t)state);
	if (rc)
		mach_fatal(m, "the UV refused %s of secure CPU %u",
			   reset ? "a reset" : "a state change", t->id);
}

void sigp_stop_done(struct vcpu *v)
{
	bool store = v->irq & IRQ_STOP_STORE;

	v->irq &= ~(IRQ_STOP | IRQ_STOP_STORE);
	if (store) {
		uint8_t *lc = mem_lowcore(v);

		sigp_store_status(v, vcpu_prefix(v) + SAVE_AREA);
		if (lc)
			lc[0xa3] = 1;	/* architectural mode: z/Architecture */
	}
	pv_cpu(v, PV_UV_CPU_STOPPED, 0);
	run_cpu_stopped(v);
}

static uint32_t status(struct vcpu *v, int r1, uint32_t bits)
{
	vcpu_set_gr(v, r1, (vcpu_gr(v, r1) & ~0xffffffffULL) | bits);
	return CC_STATUS;
}

static bool is_stopped(const struct vcpu *t)
{
	return t->state != VCPU_OPERATING;
}

/* Stop @t; the issuing CPU @v leaves the loop when it stopped itself. */
static void stop(struct vcpu *v, struct vcpu *t, bool store, uintptr_t ra,
		 bool *leave)
{
	if (t->state != VCPU_OPERATING) {
		if (store)
			sigp_store_status(t, vcpu_prefix(t) + SAVE_AREA);
		return;
	}
	t->irq |= store ? IRQ_STOP_STORE : IRQ_STOP;
	if (t == v)
		*leave = true;
	else
		sigp_stop_done(t);
}

/*
 * The CPUs share one host thread: after a signal that gives @t work, the
 * sender ends its time slice at the end of this block and @t runs next,
 * as a CPU of its own would start at once on a real machine.  Linux waits
 * for the answer to such a signal in a loop (CPU bring-up, cross-CPU
 * calls) without a DIAGNOSE to yield.
 */
static void hand_over(struct vcpu *v, struct vcpu *t)
{
	struct pv_machine *m = v->m;

	if (t == v || t->state != VCPU_OPERATING)
		return;
	m->rr = t->id;
	atomic_fetch_or(&v->kick, KICK_LEAVE);
	uc_core.cpu_exit(v->cs);
}

uint32_t sigp_handle(struct vcpu *v, uint64_t order, int r1, int r3,
		     uintptr_t ra)
{
	struct pv_machine *m = v->m;
	uint64_t param = vcpu_gr(v, (r1 & 1) ? r1 : (r1 + 1) & 15);
	uint64_t addr = vcpu_gr(v, r3) & 0xffff;
	struct vcpu *t;
	bool leave = false;
	uint32_t cc = CC_ACCEPTED;

	order &= 0xff;
	if (m->tr)
		mach_trace(m, "cpu %u SIGP order 0x%02llx to cpu %llu param 0x%llx",
			   v->id, (unsigned long long)order,
			   (unsigned long long)addr, (unsigned long long)param);
	if (order == SIGP_SET_ARCH) {
		/* z/Architecture only: "go to z/Architecture" is done. */
		if ((param & 0xff) == 0)
			return status(v, r1, STAT_INVALID_PARAMETER);
		return CC_ACCEPTED;
	}
	if (addr >= m->ncpus)
		return CC_NOT_OPERATIONAL;
	t = m->cpus[addr];
	switch (order) {
	case SIGP_SENSE: {
		uint32_t bits = 0;

		if (t->state == VCPU_CHECK_STOP)
			bits |= STAT_CHECK_STOP | STAT_STOPPED;
		else if (is_stopped(t))
			bits |= STAT_STOPPED;
		if (t->irq & IRQ_EXTCALL)
			bits |= STAT_EXT_CALL_PENDING;
		if (bits)
			return status(v, r1, bits);
		break;
	}
	case SIGP_SENSE_RUNNING:
		if (t != v)
			return status(v, r1, STAT_NOT_RUNNING);
		break;
	case SIGP_EXTCALL:
		if (t->irq & IRQ_EXTCALL)
			return status(v, r1, STAT_EXT_CALL_PENDING);
		t->irq |= IRQ_EXTCALL;
		t->extcall_from = (uint16_t)v->id;
		vcpu_irq_changed(t);
		hand_over(v, t);
		break;
	case SIGP_EMERGENCY:
	case SIGP_COND_EMERGENCY:
		t->emergency[v->id / 64] |= 1ULL << (v->id % 64);
		t->irq |= IRQ_EMERGENCY;
		vcpu_irq_changed(t);
		hand_over(v, t);
		break;
	case SIGP_START:
		if (t->state == VCPU_STOPPED) {
			vcpu_set_state(t, VCPU_OPERATING);
			pv_cpu(t, PV_UV_CPU_OPERATING, 0);
		}
		hand_over(v, t);
		break;
	case SIGP_STOP:
	case SIGP_STOP_STORE:
		stop(v, t, order == SIGP_STOP_STORE, ra, &leave);
		break;
	case SIGP_RESTART:
		if (t->state == VCPU_CHECK_STOP)
			return status(v, r1, STAT_INCORRECT_STATE);
		if (t->state != VCPU_OPERATING)
			pv_cpu(t, PV_UV_CPU_OPERATING, 0);
		vcpu_set_state(t, VCPU_OPERATING);
		irq_restart(t);
		hand_over(v, t);
		break;
	case SIGP_INITIAL_RESET:
	case SIGP_CPU_RESET:
		vcpu_reset(t, order == SIGP_CPU_RESET ? CPU_RESET_NORMAL :
							CPU_RESET_INITIAL);
		pv_cpu(t, 0, order == SIGP_CPU_RESET ?
			      PV_UVC_CPU_RESET : PV_UVC_CPU_RESET_INITIAL);
		if (t != v) {
			vcpu_set_state(t, VCPU_STOPPED);
			pv_cpu(t, PV_UV_CPU_STOPPED, 0);
		}
		break;
	case SIGP_SET_PREFIX:
		if (!is_stopped(t))
			return status(v, r1, STAT_INCORRECT_STATE);
		param &= 0x7fffe000ULL;
		if (!mem_abs(m, param, LC_SIZE))
			return status(v, r1, STAT_INVALID_PARAMETER);
		vcpu_set_prefix(t, (uint32_t)param);
		break;
	case SIGP_STORE_STATUS_ADDR:
		if (!is_stopped(t))
			return status(v, r1, STAT_INCORRECT_STATE);
		param &= 0x7ffffe00ULL;
		if (!mem_abs(m, param, 0x200))
			return status(v, r1, STAT_INVALID_PARAMETER);
		sigp_store_status(t, param);
		break;
	default:
		return status(v, r1, STAT_INVALID_ORDER);
	}
	if (leave)
		vcpu_leave(v, ra, 4, (int)cc);
	return cc;
}
