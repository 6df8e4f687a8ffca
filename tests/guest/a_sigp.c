// SPDX-License-Identifier: MIT
/*
 * SIGNAL PROCESSOR between CPUs (POP chapter 4, "Signal-processor
 * orders"; chapter 10, "SIGNAL PROCESSOR"), run with two or more CPUs.
 * CPU 0 drives CPU 1:
 *  - sense: a stopped CPU gives cc 1 with status "stopped" (0x40); an
 *    operating one cc 0; one with an external call pending cc 1 and 0x80;
 *    a CPU address that does not exist cc 3;
 *  - set prefix of a stopped CPU (cc 0), of an operating one (cc 1,
 *    "incorrect state" 0x200), to an address beyond memory (cc 1,
 *    "invalid parameter" 0x100);
 *  - restart: the stopped CPU starts with a restart interruption (old PSW
 *    at prefix + 0x120); it runs with its own prefix and CPU address
 *    (STAP 1);
 *  - external call (0x1202) and emergency signal (0x1201) interrupt it,
 *    with CPU 0's address at 0x84; a second external call while one is
 *    pending is cc 1 with "external call pending" 0x80;
 *  - stop: the CPU ends up stopped; stop and store status: status in its
 *    prefix area at 0x1200-0x13ff (PSW, prefix, CR0, CPU timer, clock
 *    comparator bits 0-55), architectural-mode byte 0xa3 = 1;
 *  - store status at address: cc 1 with 0x200 for an operating CPU, the
 *    status at the address for a stopped one;
 *  - initial CPU reset: prefix 0, CR0 0xe0, CR14 0xc2000000, CPU timer,
 *    clock comparator and PSW zero; CPU reset: prefix and control
 *    registers kept;
 *  - an unassigned order (0x07) is cc 1 with "invalid order" 0x02.
 * Busy (cc 2) is allowed but never required by the architecture and is
 * not provoked here.
 *
 * a_sigp_strict.c builds this file with A_SIGP_STRICT, which adds what
 * pvboot's machine gets wrong today (see tests/unit/test_arch.c): CPU 0
 * waits for CPU 1 by spinning without DIAG 0x44 (the architecture runs
 * CPUs concurrently, so CPU 1 must progress), sense reports a pending
 * external call, and an initial CPU reset clears the PSW and CPU timer.
 * QEMU 7.2 TCG stores the status of stop-and-store-status at absolute
 * 0x1200 instead of the CPU's prefix area, so arch_qemu.sh skips both.
 */
#include "at.h"

#ifndef A_SIGP_STRICT
#define A_SIGP_STRICT 0
const char gt_name[] = "A-SIGP";
#endif

enum {
	SENSE = 0x01, EXTCALL = 0x02, EMERGENCY = 0x03, START = 0x04,
	STOP = 0x05, RESTART = 0x06, STOP_STORE = 0x09, INITIAL_RESET = 0x0b,
	CPU_RESET = 0x0c, SET_PREFIX = 0x0d, STORE_AT = 0x0e,
};
#define ST_INVALID_ORDER	0x002
#define ST_STOPPED		0x040
#define ST_EXTCALL_PENDING	0x080
#define ST_INVALID_PARM		0x100
#define ST_INCORRECT_STATE	0x200

#define P1 AT_CPU_PREFIX(1)
#define STATUS ((uint8_t *)AT_TEST_PAGES)
#define CKC1 0x0123456789abcd00ULL
#define SPT1 AT_TOD_US(100000000ULL)

static volatile uint64_t cpu1_started, cpu1_addr, cpu1_restart_old;
static volatile uint64_t cpu1_mask = CR0_EMERGENCY | CR0_EXTCALL;

/* CPU 1 after a restart: its own stack, then wait for signals. */
void cpu1_main(void)
{
	cpu1_addr = at_stap();
	cpu1_restart_old = LC_U64(LC_RESTART_OLD_PSW + 8);
	at_sckc(CKC1);
	at_spt(SPT1);
	cpu1_started++;
	for (;;) {
		at_subclasses(cpu1_mask);
		at_ext_wait();
	}
}

asm(".text\n"
    "cpu1_entry:\n"
    "	larl	%r15,cpu1_stack_top\n"
    "	lg	%r15,0(%r15)\n"
    "	brasl	%r14,cpu1_main\n"
    "	j	cpu1_entry\n"
    "	.data\n"
    "	.balign 8\n"
    "cpu1_stack_top:\n"
    "	.quad	0x7cf00\n"	/* AT_CPU_STACK(0) + 0xf00 */
    "	.text\n");
extern char cpu1_entry[];

static bool until(volatile uint64_t *v, uint64_t want)
{
	uint64_t end = at_stck() + AT_TOD_US(2000000);

	while (*v < want && at_stck() < end)
		if (!A_SIGP_STRICT)	/* yield, as Linux's spin loops do */
			asm volatile("diag 0,0,0x44" : : : "memory");
	return *v >= want;
}

static int sig(uint16_t cpu, uint8_t order, uint64_t parm, uint32_t *st)
{
	*st = 0;
	return at_sigp(cpu, order, parm, st);
}

/* Sense until @cpu is stopped (a stop takes effect asynchronously). */
static bool stopped(uint16_t cpu)
{
	uint64_t end = at_stck() + AT_TOD_US(2000000);
	uint32_t st;

	do {
		if (sig(cpu, SENSE, 0, &st) == 1 && (st & ST_STOPPED))
			return true;
	} while (at_stck() < end);
	return false;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void gt_main(void)
{
	unsigned int n = at_cpu_count();
	uint64_t ram = at_ram_size(), v;
	uint32_t st;
	uint8_t *sa = (uint8_t *)(P1 + LC_STATUS_AREA);

	gt_check(n >= 2, "this program needs 2 CPUs or more, READ CPU INFO says %u", n);
	if (n < 2)
		return;
	GT_EQ(sig(1, SENSE, 0, &st), 1, "sense stopped CPU 1: cc");
	GT_EQ(st, ST_STOPPED, "sense stopped CPU 1: status");
	GT_EQ(sig((uint16_t)n, SENSE, 0, &st), 3, "sense CPU n: not operational");
	GT_EQ(sig(0xffff, SENSE, 0, &st), 3, "sense CPU 0xffff");
	GT_EQ(sig(1, 0x07, 0, &st), 1, "order 0x07: cc");
	GT_EQ(st, ST_INVALID_ORDER, "order 0x07: status");

	/* CPU 1's prefix area: this lowcore, with a restart new PSW. */
	memcpy((void *)P1, (void *)0, 0x2000);
	*(uint64_t *)(P1 + LC_RESTART_NEW_PSW) = PSW_64;
	*(uint64_t *)(P1 + LC_RESTART_NEW_PSW + 8) = (uint64_t)(uintptr_t)cpu1_entry;
	GT_EQ(sig(1, SET_PREFIX, ram, &st), 1, "set prefix beyond memory: cc");
	GT_EQ(st, ST_INVALID_PARM, "set prefix beyond memory: status");
	GT_EQ(sig(1, SET_PREFIX, P1, &st), 0, "set prefix of stopped CPU 1");
	GT_EQ(sig(1, RESTART, 0, &st), 0, "restart CPU 1");
	gt_check(until(&cpu1_started, 1), "CPU 1 did not start");
	GT_EQ(cpu1_addr, 1, "STAP on CPU 1");
	GT_EQ(sig(1, SENSE, 0, &st), 0, "sense operating CPU 1");
	GT_EQ(sig(1, SET_PREFIX, P1, &st), 1, "set prefix of operating CPU 1: cc");
	GT_EQ(st, ST_INCORRECT_STATE, "set prefix of operating CPU 1: status");
	GT_EQ(sig(1, STORE_AT, (uint64_t)(uintptr_t)STATUS, &st), 1,
	      "store status at address, operating CPU: cc");
	GT_EQ(st, ST_INCORRECT_STATE, "store status at address, operating CPU: status");

	/* External call and emergency signal. */
	at_ext_reset();
	GT_EQ(sig(1, EXTCALL, 0, &st), 0, "external call");
	gt_check(until(&at_ext.count, 1), "CPU 1 took no external call");
	GT_EQ(sig(1, EMERGENCY, 0, &st), 0, "emergency signal");
	gt_check(until(&at_ext.count, 2), "CPU 1 took no emergency signal");
	GT_EQ(at_ext.code[0], EXT_EXTCALL, "code of the external call");
	GT_EQ(at_ext.cpu[0], 0, "external call: sender's address");
	GT_EQ(at_ext.code[1], EXT_EMERGENCY, "code of the emergency signal");
	GT_EQ(at_ext.cpu[1], 0, "emergency signal: sender's address");
	/* CPU 1 masks external calls: the next one stays pending. */
	cpu1_mask = CR0_EMERGENCY;
	sig(1, EMERGENCY, 0, &st);
	gt_check(until(&at_ext.count, 3), "CPU 1 took no second emergency signal");
	GT_EQ(sig(1, EXTCALL, 0, &st), 0, "external call, masked: accepted");
	GT_EQ(sig(1, EXTCALL, 0, &st), 1, "second external call: cc");
	GT_EQ(st, ST_EXTCALL_PENDING, "second external call: status");
	if (A_SIGP_STRICT) {
		GT_EQ(sig(1, SENSE, 0, &st), 1, "sense with a call pending: cc");
		GT_EQ(st, ST_EXTCALL_PENDING, "sense with a call pending: status");
	}
	cpu1_mask = CR0_EMERGENCY | CR0_EXTCALL;
	sig(1, EMERGENCY, 0, &st);
	gt_check(until(&at_ext.count, 5), "the pending external call never came");
	GT_EQ(at_ext.code[3], EXT_EMERGENCY, "emergency first");
	GT_EQ(at_ext.code[4], EXT_EXTCALL, "then the pending external call");

	/* Stop and store status. */
	memset(sa, 0xee, 0x200);
	LC_U8(P1 + 0xa3) = 0xee;
	GT_EQ(sig(1, STOP_STORE, 0, &st), 0, "stop and store status");
	gt_check(stopped(1), "CPU 1 not stopped");
	GT_EQ(be32(sa + 0x118), P1, "stored prefix");
	v = be64(sa + 0x100);
	gt_check((v & (PSW_WAIT | PSW_EXT | PSW_64)) == (PSW_WAIT | PSW_EXT | PSW_64),
		 "stored PSW mask %016llx: not the enabled wait of CPU 1",
		 (unsigned long long)v);
	GT_EQ(be64(sa + 0x180) & CR0_EXT_SUBCLASSES, CR0_EMERGENCY | CR0_EXTCALL,
	      "stored CR0 subclasses");
	v = be64(sa + 0x128);
	gt_check(v <= SPT1 && v > SPT1 - AT_TOD_US(20000000),
		 "stored CPU timer 0x%llx", (unsigned long long)v);
	GT_EQ(be64(sa + 0x130), CKC1 >> 8, "stored clock comparator bits 0-55");
	GT_EQ(LC_U8(P1 + 0xa3), 1, "architectural-mode id at prefix + 0xa3");

	/* Store status at an address of the stopped CPU. */
	memset(STATUS, 0xee, 0x200);
	GT_EQ(sig(1, STORE_AT, (uint64_t)(uintptr_t)STATUS, &st), 0,
	      "store status at address");
	GT_EQ(be32(STATUS + 0x118), P1, "status at address: prefix");

	/* CPU reset keeps prefix and control registers. */
	GT_EQ(sig(1, CPU_RESET, 0, &st), 0, "CPU reset");
	memset(STATUS, 0xee, 0x200);
	sig(1, STORE_AT, (uint64_t)(uintptr_t)STATUS, &st);
	GT_EQ(be32(STATUS + 0x118), P1, "after CPU reset: prefix kept");
	GT_EQ(be64(STATUS + 0x180) & CR0_EXT_SUBCLASSES,
	      CR0_EMERGENCY | CR0_EXTCALL, "after CPU reset: CR0 kept");

	/* Initial CPU reset: architected initial values. */
	GT_EQ(sig(1, INITIAL_RESET, 0, &st), 0, "initial CPU reset");
	gt_check(stopped(1), "CPU 1 not stopped after initial reset");
	memset(STATUS, 0xee, 0x200);
	sig(1, STORE_AT, (uint64_t)(uintptr_t)STATUS, &st);
	GT_EQ(be32(STATUS + 0x118), 0, "initial reset: prefix");
	GT_EQ(be64(STATUS + 0x180), 0xe0, "initial reset: CR0");
	GT_EQ(be64(STATUS + 0x180 + 14 * 8), 0xc2000000, "initial reset: CR14");
	GT_EQ(be64(STATUS + 0x130), 0, "initial reset: clock comparator");
	if (A_SIGP_STRICT) {
		GT_EQ(be64(STATUS + 0x100), 0, "initial reset: PSW mask");
		GT_EQ(be64(STATUS + 0x108), 0, "initial reset: PSW address");
		GT_EQ(be64(STATUS + 0x128), 0, "initial reset: CPU timer");
	}

	/* Restart once more: CPU 1 runs again from its restart PSW. */
	sig(1, SET_PREFIX, P1, &st);
	GT_EQ(sig(1, RESTART, 0, &st), 0, "restart after the reset");
	gt_check(until(&cpu1_started, 2), "CPU 1 did not start again");
	sig(1, STOP, 0, &st);
	gt_check(stopped(1), "CPU 1 not stopped at the end");
}
