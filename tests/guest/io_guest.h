/* SPDX-License-Identifier: MIT */
/*
 * Channel I/O for the io_*.c guest programs: the I/O instructions with
 * their condition codes, ORB, CCW, SCHIB and IRB as the architecture lays
 * them out, an enabled wait for one I/O interruption, and a small virtio
 * driver (legacy and revision 1 queues, the block request) on subchannel
 * 0.0.0000.
 */
#ifndef IO_GUEST_H
#define IO_GUEST_H

#include "gt.h"

#define SCHID0 0x00010000U	/* subchannel 0.0.0000 */
#define SCHID1 0x00010001U

struct orb {
	uint32_t intparm;
	uint16_t ctrl0;
	uint8_t lpm;
	uint8_t ctrl1;
	uint32_t cpa;
	uint8_t reserved[20];
} __packed __aligned(4);

#define ORB_FMT1 0x0080
#define ORB_PFCH 0x0040
#define ORB_C64 0x0002
#define ORB_SPND 0x0800

struct ccw1 {
	uint8_t cmd;
	uint8_t flags;
	uint16_t count;
	uint32_t cda;
} __packed __aligned(8);

#define CCW_CC 0x40
#define CCW_SLI 0x20
#define CCW_IDA 0x04
#define CCW_SUSPEND 0x02

struct schib {
	uint32_t intparm;
	uint16_t flags;
	uint16_t devno;
	uint8_t lpm, pnom, lpum, pim;
	uint16_t mbi;
	uint8_t pom, pam;
	uint8_t chpid[8];
	uint32_t chars;
	/* SCSW */
	uint16_t sflags, ctrl;
	uint32_t cpa;
	uint8_t dstat, cstat;
	uint16_t count;
	uint64_t mba;
	uint8_t mda[4];
} __packed __aligned(4);
_Static_assert(sizeof(struct schib) == 52, "SCHIB");

struct irb {
	uint16_t sflags, ctrl;
	uint32_t cpa;
	uint8_t dstat, cstat;
	uint16_t count;
	uint32_t esw[5];
	uint8_t ecw[32];
	uint8_t emw[32];
} __packed __aligned(4);
_Static_assert(sizeof(struct irb) == 96, "IRB");

#define PMCW_ENA 0x0080
#define PMCW_DNV 0x0001
#define PMCW_ISC(i) ((uint16_t)((i) << 11))
#define CHARS_CSENSE 0x00000001

#define ST_PEND 0x0001
#define ST_SEC 0x0002
#define ST_PRIM 0x0004
#define ST_INTER 0x0008
#define ST_ALERT 0x0010
#define FC_START 0x4000
#define FC_HALT 0x2000
#define FC_CLEAR 0x1000
#define AC_SUSP 0x0020

#define IO_INSN_ADDR(name, insn)					\
	static inline int name(uint32_t sid, void *p)			\
	{								\
		register uint64_t r1 asm("1") = sid;			\
		int cc;							\
									\
		asm volatile(insn " 0(%[p])\n ipm %[cc]\n srl %[cc],28"	\
			     : [cc] "=d"(cc)				\
			     : "d"(r1), [p] "a"(p)			\
			     : "cc", "memory");				\
		return cc;						\
	}
IO_INSN_ADDR(stsch, "stsch")
IO_INSN_ADDR(msch, "msch")
IO_INSN_ADDR(ssch, "ssch")
IO_INSN_ADDR(tsch, "tsch")

#define IO_INSN(name, insn)						\
	static inline int name(uint32_t sid)				\
	{								\
		register uint64_t r1 asm("1") = sid;			\
		int cc;							\
									\
		asm volatile(insn "\n ipm %[cc]\n srl %[cc],28"		\
			     : [cc] "=d"(cc) : "d"(r1) : "cc", "memory");	\
		return cc;						\
	}
IO_INSN(csch, "csch")
IO_INSN(hsch, "hsch")
IO_INSN(rsch, "rsch")
IO_INSN(xsch, "xsch")

static inline int tpi(void *p)
{
	int cc;

	asm volatile("tpi 0(%[p])\n ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc) : [p] "a"(p) : "cc", "memory");
	return cc;
}

static inline int stcrw(uint32_t *crw)
{
	int cc;

	asm volatile("stcrw 0(%[p])\n ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc) : [p] "a"(crw) : "cc", "memory");
	return cc;
}

static inline int chsc(void *page)
{
	int cc;

	asm volatile(".insn rre,0xb25f0000,%[p],0\n ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc) : [p] "d"(page) : "cc", "memory");
	return cc;
}

static inline void cr6_set(uint64_t v)
{
	asm volatile("lctlg 6,6,%0" : : "Q"(v) : "memory");
}

/* DIAG 0x500 subcode 3: notify queue @q of @sid; GR2 afterwards. */
static inline int64_t virtio_notify(uint32_t sid, uint64_t q)
{
	register uint64_t r1 asm("1") = 3;
	register uint64_t r2 asm("2") = sid;
	register uint64_t r3 asm("3") = q;
	register uint64_t r4 asm("4") = 0;

	asm volatile("diag 2,4,0x500"
		     : "+d"(r2) : "d"(r1), "d"(r3), "d"(r4) : "cc", "memory");
	return (int64_t)r2;
}

/* Enabled wait for one I/O interruption (ISCs of CR6); disabled after. */
static inline void io_wait(void)
{
	static struct psw wait __aligned(8) = {
		.mask = 0x0202000180000000ULL,	/* I/O, wait, 64-bit */
	};

	asm volatile("larl	%%r1,0f\n"
		     "stg	%%r1,0x1f8\n"
		     "llihl	%%r1,1\n"
		     "oilh	%%r1,0x8000\n"
		     "stg	%%r1,0x1f0\n"
		     "lpswe	%[w]\n"
		     "0:\n"
		     : : [w] "Q"(wait) : "r1", "cc", "memory");
}

/* The I/O-interruption code the last interruption (or TPI 0) stored. */
#define LC_IO_SCHID LC_U32(0xb8)
#define LC_IO_PARM LC_U32(0xbc)
#define LC_IO_ID LC_U32(0xc0)

/* Enable subchannel @sid with ISC 3 and @intparm; returns MSCH's cc. */
static inline int io_enable(uint32_t sid, uint32_t intparm, uint32_t chars)
{
	static struct schib s;

	if (stsch(sid, &s))
		return -1;
	s.intparm = intparm;
	s.flags |= PMCW_ENA | PMCW_ISC(3);
	s.chars = chars;
	return msch(sid, &s);
}

/*
 * Run one CCW on @sid and TSCH until status pending: returns the IRB's
 * DSTAT << 8 | CSTAT, or -cc of a failing SSCH.  @orb_extra: ORB ctrl0.
 */
static inline int io_run(uint32_t sid, struct ccw1 *ccw, uint16_t ctrl0,
			 struct irb *irb)
{
	static struct orb orb;
	int cc;

	memset(&orb, 0, sizeof(orb));
	orb.intparm = 0x1234abcd;
	orb.ctrl0 = ctrl0;
	orb.lpm = 0xff;
	orb.cpa = (uint32_t)(uintptr_t)ccw;
	cc = ssch(sid, &orb);
	if (cc)
		return -cc;
	while (tsch(sid, irb) == 1)
		;
	return irb->dstat << 8 | irb->cstat;
}

#endif
