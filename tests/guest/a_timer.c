// SPDX-License-Identifier: MIT
/*
 * TOD clock, clock comparator, CPU timer and external interruptions (POP
 * chapter 4, "Timing"; chapter 6, "External interruption"):
 *  - STCK values strictly increase; STCKF is never below an earlier STCK;
 *    STCKE holds epoch 0 and the STCK value in bytes 1-8 (SET CLOCK:
 *    a_sck.c);
 *  - SCKC/STCKC and SPT/STPT round trips; the CPU timer counts down;
 *  - the clock comparator makes an interruption 0x1004 pending while the
 *    TOD clock is above it, the CPU timer 0x1005 while it is negative;
 *    each needs its CR0 subclass bit (52, 53) and the PSW external mask,
 *    a pending condition is taken as soon as both are one, and is taken
 *    again while it persists; moving the comparator or timer away removes
 *    it;
 *  - priorities: with emergency signal, external call (both SIGP to the
 *    CPU itself), clock comparator, CPU timer and service signal pending
 *    at once, they come in that order (POP: "External interruption",
 *    priority list), each with its code, CPU address (0x84) and, for the
 *    service signal, the SCCB address in the parameter (0x80);
 *  - an enabled wait ends with the clock comparator, the CPU timer, the
 *    service signal, an emergency signal and an external call;
 *  - SCKC, STCKC, SPT, STPT are privileged, STCK and STCKF are not.
 * QEMU 7.2 TCG deviates (so arch_qemu.sh skips this program): it takes a
 * clock-comparator interruption once per SCKC even while the condition
 * persists, and never makes a negative CPU-timer value pending.
 */
#include "at.h"

const char gt_name[] = "A-TIMER";

#define SIGP_EXTCALL 0x02
#define SIGP_EMERGENCY 0x03

static void stcke(uint8_t out[16])
{
	asm volatile("stcke %0" : "=Q"(*(uint8_t(*)[16])out) : : "cc");
}

static void clock(void)
{
	uint64_t a = at_stck(), b, f;
	uint8_t e[16];
	bool rising = true;

	for (int i = 0; i < 1000; i++) {
		b = at_stck();
		rising &= b > a;
		a = b;
	}
	gt_check(rising, "STCK values not strictly increasing");
	f = at_stckf();
	gt_check(f >= a, "STCKF 0x%llx below an earlier STCK 0x%llx",
		 (unsigned long long)f, (unsigned long long)a);
	a = at_stck();
	stcke(e);
	b = at_stck();
	f = 0;
	for (int i = 1; i <= 8; i++)
		f = (f << 8) | e[i];
	GT_EQ(e[0], 0, "STCKE epoch index");
	gt_check(f >= a && f <= b, "STCKE bytes 1-8 0x%llx not between 0x%llx and 0x%llx",
		 (unsigned long long)f, (unsigned long long)a,
		 (unsigned long long)b);

}

/*
 * Open the PSW external mask: @code 0 wants no interruption (the count
 * stays @prev), otherwise exactly one more with @code.
 */
static void open_expect(uint64_t prev, uint16_t code, const char *what)
{
	at_ext_open();
	if (!code) {
		gt_check(at_ext.count == prev,
			 "%s: an external interruption 0x%x, want none", what,
			 at_ext.code[prev % AT_EXT_LOG]);
		return;
	}
	gt_check(at_ext.count == prev + 1,
		 "%s: %llu external interruptions, want %llu", what,
		 (unsigned long long)at_ext.count,
		 (unsigned long long)prev + 1);
	GT_EQ(at_ext.code[prev], code, what);
}

/*
 * "In the past" is one microsecond ago and "negative" is -1 microsecond:
 * QEMU 7.2 TCG never fires a comparator below the TOD value it started
 * with (such as 0) nor a CPU timer of exactly -1, so those values are
 * avoided here.
 */
#define PAST() (at_stck() - AT_TOD_US(1))
#define NEGATIVE ((uint64_t)-AT_TOD_US(1))

static void comparator(void)
{
	uint64_t t;

	at_sckc(0x123456789abcdef0ULL);
	GT_EQ(at_stckc(), 0x123456789abcdef0ULL, "STCKC after SCKC");
	at_ext_reset();
	at_sckc(PAST());		/* pending */
	at_subclasses(0);
	open_expect(0, 0, "CKC pending, subclass off");
	at_subclasses(CR0_CKC);
	for (volatile int i = 0; i < 100; i++)
		;
	gt_check(at_ext.count == 0, "CKC taken with the PSW external mask off");
	open_expect(0, EXT_CKC, "CKC pending, subclass and mask on");
	open_expect(1, EXT_CKC, "CKC still pending: taken again");
	at_sckc(~0ULL);
	open_expect(2, 0, "CKC moved to the end of time");
	/* An enabled wait that the comparator ends 30 ms from now. */
	t = at_stck() + AT_TOD_US(30000);
	at_sckc(t);
	at_ext_reset();
	at_ext_wait();
	GT_EQ(at_ext.code[0], EXT_CKC, "enabled wait ended by the CKC");
	gt_check(at_stck() > t, "CKC interruption before its time");
	at_sckc(~0ULL);
	at_subclasses(0);
}

static void cpu_timer(void)
{
	uint64_t a, b;

	at_spt(AT_TOD_US(5000000));
	a = at_stpt();
	for (volatile int i = 0; i < 1000; i++)
		;
	b = at_stpt();
	gt_check(a <= AT_TOD_US(5000000) && b < a && (int64_t)b > 0,
		 "CPU timer not counting down: 0x%llx 0x%llx",
		 (unsigned long long)a, (unsigned long long)b);
	at_ext_reset();
	at_spt(NEGATIVE);		/* pending */
	at_subclasses(CR0_CKC);
	open_expect(0, 0, "CPU timer negative, subclass off");
	at_subclasses(CR0_CPU_TIMER);
	open_expect(0, EXT_CPU_TIMER, "CPU timer negative, subclass on");
	open_expect(1, EXT_CPU_TIMER, "CPU timer still negative");
	at_spt(AT_TOD_US(5000000));
	open_expect(2, 0, "CPU timer positive again");
	at_spt(AT_TOD_US(20000));
	at_ext_reset();
	at_ext_wait();
	GT_EQ(at_ext.code[0], EXT_CPU_TIMER, "enabled wait ended by the CPU timer");
	gt_check((int64_t)at_stpt() < 0, "CPU timer not negative after its interruption");
	at_spt(AT_TOD_US(60000000));
	at_subclasses(0);
}

static int servc(uint32_t cmd, void *sccb)
{
	int cc;

	asm volatile(".insn rre,0xb2200000,%[cmd],%[sccb]\n"
		     "ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc)
		     : [cmd] "d"((uint64_t)cmd), [sccb] "a"(sccb)
		     : "cc", "memory");
	return cc;
}

static void start_read_info(void)
{
	struct sccb_header *h = (struct sccb_header *)GT_PAGE_A;

	memset(h, 0, PAGE_SIZE);
	h->length = PAGE_SIZE;
	GT_EQ(servc(SCLP_CMD_READ_SCP_INFO, h), 0, "SERVC cc");
}

static void priorities(void)
{
	static const uint16_t want[] = {
		EXT_EMERGENCY, EXT_EXTCALL, EXT_CKC, EXT_CPU_TIMER, EXT_SERVICE,
	};
	uint16_t me = at_stap();

	at_subclasses(0);
	at_ext_reset();
	start_read_info();
	GT_EQ(at_sigp(me, SIGP_EXTCALL, 0, NULL), 0, "SIGP external call to itself");
	GT_EQ(at_sigp(me, SIGP_EMERGENCY, 0, NULL), 0, "SIGP emergency signal to itself");
	at_sckc(PAST());
	at_spt(NEGATIVE);
	at_subclasses(CR0_EXT_SUBCLASSES);
	/* The comparator and timer conditions persist: remove each once
	 * it was taken. */
	for (unsigned int i = 0; i < 5; i++) {
		at_ext_open();
		if (i == 2)
			at_sckc(~0ULL);
		if (i == 3)
			at_spt(AT_TOD_US(60000000));
	}
	at_sckc(~0ULL);
	at_spt(AT_TOD_US(60000000));
	at_subclasses(0);
	GT_EQ(at_ext.count, 5, "five external interruptions");
	for (unsigned int i = 0; i < 5; i++)
		GT_EQ(at_ext.code[i], want[i], "priority order");
	GT_EQ(at_ext.cpu[0], me, "emergency signal: CPU address");
	GT_EQ(at_ext.cpu[1], me, "external call: CPU address");
	GT_EQ(at_ext.param[4] & ~3U, GT_PAGE_A, "service signal: SCCB address");
}

/* Enabled waits that SIGP to the CPU itself and the SCLP end. */
static void waits(void)
{
	uint16_t me = at_stap();

	at_subclasses(CR0_EMERGENCY);
	at_ext_reset();
	at_sigp(me, SIGP_EMERGENCY, 0, NULL);
	at_ext_wait();
	GT_EQ(at_ext.code[0], EXT_EMERGENCY, "wait ended by an emergency signal");
	at_subclasses(CR0_EXTCALL);
	at_ext_reset();
	at_sigp(me, SIGP_EXTCALL, 0, NULL);
	at_ext_wait();
	GT_EQ(at_ext.code[0], EXT_EXTCALL, "wait ended by an external call");
	at_subclasses(CR0_SERVICE);
	at_ext_reset();
	start_read_info();
	at_ext_wait();
	GT_EQ(at_ext.code[0], EXT_SERVICE, "wait ended by the service signal");
	GT_EQ(((struct sccb_header *)GT_PAGE_A)->response_code, 0x0010,
	      "READ SCP INFO response");
	at_subclasses(0);
}

static void privileged(void)
{
	uint64_t t = 0;

	static const char *const names[] = { "SCKC", "STCKC", "SPT", "STPT" };
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		at_reset_pgm();
		at_pstate();
		switch (i) {
		case 0:
			asm volatile(AT_PRE "sckc %[t]" AT_POST : : [t] "Q"(t) : "r1", "memory");
			break;
		case 1:
			asm volatile(AT_PRE "stckc %[t]" AT_POST : [t] "=Q"(t) : : "r1", "memory");
			break;
		case 2:
			asm volatile(AT_PRE "spt %[t]" AT_POST : : [t] "Q"(t) : "r1", "memory");
			break;
		default:
			asm volatile(AT_PRE "stpt %[t]" AT_POST : [t] "=Q"(t) : : "r1", "memory");
			break;
		}
		at_expect(names[i], PGM_PRIVILEGED, 4, at_spot.next);
	}
	at_reset_pgm();
	at_pstate();
	t = at_stck() + at_stckf();
	at_supervisor();
	at_expect_none("STCK and STCKF in problem state");
}

void gt_main(void)
{
	at_ext_install();
	clock();
	comparator();
	cpu_timer();
	priorities();
	waits();
	privileged();
}
