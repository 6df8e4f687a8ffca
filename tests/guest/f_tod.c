// SPDX-License-Identifier: MIT
/*
 * Every TOD-clock and timer instruction in every operand form (POP
 * chapter 10, "Control instructions", and chapter 7 for STCK, STCKE,
 * STCKF): STCK, STCKE, STCKF, SCKC, STCKC, SPT, STPT, SCK, SCKPF, PTFF,
 * each run directly, as the target of EXECUTE and of EXECUTE RELATIVE
 * LONG; the storage operand as base + 0, base + 4095 and displacement only
 * (base register 0); in supervisor and problem state, with DAT on, and
 * prefixed; the operand valid, misaligned, the last bytes of memory,
 * across and past the end of memory, and under low-address protection.
 *
 * What the POP requires: SCK, SCKC, STCKC, SPT, STPT and SCKPF are
 * privileged (the privileged-operation exception comes before any operand
 * check); SCK, SCKC, STCKC, SPT and STPT need a doubleword-aligned operand
 * (specification exception), STCK, STCKE and STCKF do not; an operand
 * outside memory is an addressing exception; a store into 0-511 or
 * 4096-4607 with low-address protection on is a protection exception,
 * a fetch is not; SCKPF wants bits 32-47 of GR0 zero (specification) and
 * sets the TOD programmable field that STCKE stores in bytes 14-15; PTFF
 * needs the TOD-clock steering facility (28), an operation exception
 * without it.  Values: STCK, STCKF and bytes 1-8 of STCKE lie between two
 * STCKs around them, STCKC returns what SCKC set, STPT what SPT set less
 * the time since.
 *
 * SET CLOCK in supervisor state runs only with variant bit 0 (gt_parms),
 * as the target of EX and EXRL only with bit 1 too: libunicorn 2.0.1's
 * translator crashes on it (f_sck.c).  The host test (tests/guestfuzz)
 * sets the bits for what pvboot survives in f_sck.
 */
#include "at.h"

const char gt_name[] = "F-TOD";

#define DISP_ONLY 0xe00UL	/* operand address of the base-0 form */
#define LAP_ADDR 0x100UL	/* inside the low-address-protected range */
#define HOUR AT_TOD_US(3600000000ULL)
#define MINUTE AT_TOD_US(60000000ULL)

enum form { F_DIRECT, F_EX, F_EXRL, F_FORMS };
enum opform { O_BASE, O_BASE4095, O_DISP, O_FORMS };
static const char *const form_name[F_FORMS] = { "direct", "EX", "EXRL" };
static const char *const opf_name[O_FORMS] = {
	"0(b)", "4095(b)", "0xe00(0)"
};

#define CC_TAIL "ipm %[cc]\n\tsrl %[cc],28\n\t"
#define CLOB "r1", "r2", "r3", "cc", "memory"

/* One S-format instruction @insn in every form; returns its cc. */
#define TOD_RUN(fn, insn)						\
static int fn(int form, int opf, uint64_t a)				\
{									\
	int cc = -1;							\
									\
	switch (form * O_FORMS + opf) {					\
	case F_DIRECT * O_FORMS + O_BASE:				\
		asm volatile("lgr %%r2,%[a]\n\t" AT_PRE_RESUME		\
			     insn " 0(%%r2)" AT_POST CC_TAIL		\
			     : [cc] "=d"(cc) : [a] "d"(a) : CLOB);	\
		break;							\
	case F_DIRECT * O_FORMS + O_BASE4095:				\
		asm volatile("lgr %%r2,%[a]\n\taghi %%r2,-4095\n\t"	\
			     AT_PRE_RESUME insn " 4095(%%r2)" AT_POST	\
			     CC_TAIL					\
			     : [cc] "=d"(cc) : [a] "d"(a) : CLOB);	\
		break;							\
	case F_DIRECT * O_FORMS + O_DISP:				\
		asm volatile(AT_PRE_RESUME insn " 0xe00" AT_POST CC_TAIL	\
			     : [cc] "=d"(cc) : : CLOB);			\
		break;							\
	case F_EX * O_FORMS + O_BASE:					\
		asm volatile("lgr %%r2,%[a]\n\tlarl %%r3,2f\n\t"	\
			     AT_PRE_RESUME "ex %%r0,0(%%r3)" AT_POST	\
			     CC_TAIL "j 3f\n2:\t" insn " 0(%%r2)\n3:\n"	\
			     : [cc] "=d"(cc) : [a] "d"(a) : CLOB);	\
		break;							\
	case F_EX * O_FORMS + O_BASE4095:				\
		asm volatile("lgr %%r2,%[a]\n\taghi %%r2,-4095\n\t"	\
			     "larl %%r3,2f\n\t"				\
			     AT_PRE_RESUME "ex %%r0,0(%%r3)" AT_POST	\
			     CC_TAIL "j 3f\n2:\t" insn " 4095(%%r2)\n3:\n" \
			     : [cc] "=d"(cc) : [a] "d"(a) : CLOB);	\
		break;							\
	case F_EX * O_FORMS + O_DISP:					\
		asm volatile("larl %%r3,2f\n\t"				\
			     AT_PRE_RESUME "ex %%r0,0(%%r3)" AT_POST	\
			     CC_TAIL "j 3f\n2:\t" insn " 0xe00\n3:\n"	\
			     : [cc] "=d"(cc) : : CLOB);			\
		break;							\
	case F_EXRL * O_FORMS + O_BASE:					\
		asm volatile("lgr %%r2,%[a]\n\t"			\
			     AT_PRE_RESUME "exrl %%r0,2f" AT_POST	\
			     CC_TAIL "j 3f\n2:\t" insn " 0(%%r2)\n3:\n"	\
			     : [cc] "=d"(cc) : [a] "d"(a) : CLOB);	\
		break;							\
	case F_EXRL * O_FORMS + O_BASE4095:				\
		asm volatile("lgr %%r2,%[a]\n\taghi %%r2,-4095\n\t"	\
			     AT_PRE_RESUME "exrl %%r0,2f" AT_POST	\
			     CC_TAIL "j 3f\n2:\t" insn " 4095(%%r2)\n3:\n" \
			     : [cc] "=d"(cc) : [a] "d"(a) : CLOB);	\
		break;							\
	case F_EXRL * O_FORMS + O_DISP:					\
		asm volatile(AT_PRE_RESUME "exrl %%r0,2f" AT_POST	\
			     CC_TAIL "j 3f\n2:\t" insn " 0xe00\n3:\n"	\
			     : [cc] "=d"(cc) : : CLOB);			\
		break;							\
	}								\
	return cc;							\
}

TOD_RUN(run_stck, "stck")
TOD_RUN(run_stcke, "stcke")
TOD_RUN(run_stckf, ".insn s,0xb27c0000,")
TOD_RUN(run_sck, "sck")
TOD_RUN(run_sckc, ".insn s,0xb2060000,")
TOD_RUN(run_stckc, ".insn s,0xb2070000,")
TOD_RUN(run_spt, ".insn s,0xb2080000,")
TOD_RUN(run_stpt, ".insn s,0xb2090000,")

/*
 * SCKPF and PTFF (E format) with GR0 and GR1 as given: AT_PRE_RESUME
 * with GR3 as its scratch register instead of GR1, which PTFF reads.
 */
#define PRE_R3	"larl %%r3,1f\n\tstgrl %%r3,gt_pgm+40\n\t"		\
		"larl %%r3,0f\n\tstgrl %%r3,at_spot\n\t"			\
		"larl %%r3,1f\n\tstgrl %%r3,at_spot+8\n0:\t"
#define E_RUN(fn, insn)							\
static int fn(int form, uint64_t r0, uint64_t r1)			\
{									\
	register uint64_t g0 asm("0") = r0;				\
	register uint64_t g1 asm("1") = r1;				\
	int cc = -1;							\
									\
	switch (form) {							\
	case F_DIRECT:							\
		asm volatile(PRE_R3 insn AT_POST CC_TAIL		\
			     : [cc] "=d"(cc), "+d"(g0), "+d"(g1)	\
			     : : "r2", "r3", "cc", "memory");		\
		break;							\
	case F_EX:							\
		asm volatile("larl %%r2,2f\n\t"				\
			     PRE_R3 "ex %%r0,0(%%r2)" AT_POST		\
			     CC_TAIL "j 3f\n2:\t" insn "\n3:\n"		\
			     : [cc] "=d"(cc), "+d"(g0), "+d"(g1)	\
			     : : "r2", "r3", "cc", "memory");		\
		break;							\
	default:							\
		asm volatile(PRE_R3 "exrl %%r0,2f" AT_POST		\
			     CC_TAIL "j 3f\n2:\t" insn "\n3:\n"		\
			     : [cc] "=d"(cc), "+d"(g0), "+d"(g1)	\
			     : : "r2", "r3", "cc", "memory");		\
		break;							\
	}								\
	return cc;							\
}

E_RUN(run_sckpf, ".insn e,0x0107")
E_RUN(run_ptff, ".insn e,0x0104")

enum kind { K_STORE_CLOCK, K_STCKE, K_SCKC, K_STCKC, K_SPT, K_STPT, K_SCK };

struct tod_insn {
	const char *name;
	int (*run)(int form, int opf, uint64_t a);
	enum kind kind;
	unsigned int len;
	bool priv, align, store;
};

static const struct tod_insn insns[] = {
	{ "STCK", run_stck, K_STORE_CLOCK, 8, false, false, true },
	{ "STCKF", run_stckf, K_STORE_CLOCK, 8, false, false, true },
	{ "STCKE", run_stcke, K_STCKE, 16, false, false, true },
	{ "SCKC", run_sckc, K_SCKC, 8, true, true, false },
	{ "STCKC", run_stckc, K_STCKC, 8, true, true, true },
	{ "SPT", run_spt, K_SPT, 8, true, true, false },
	{ "STPT", run_stpt, K_STPT, 8, true, true, true },
	{ "SCK", run_sck, K_SCK, 8, true, true, false },
};

extern char at_lap_entry[];
extern uint64_t at_cr0_nolap;

static uint64_t buf[4] __aligned(16);
static uint64_t ram;
static bool with_sck, with_sck_ex;
static enum at_mode mode;
static char what[128];

static const char *w(const struct tod_insn *t, int form, int opf,
		     const char *c)
{
	boot_snprintf(what, sizeof(what), "%s %s %s, %s, %s", t->name,
		      form_name[form], opf_name[opf], at_mode_name[mode], c);
	return what;
}

/* The one program interruption @code (0: none) of the last run; the old
 * PSW names the instruction (EX/EXRL for a target) or the next one. */
static void expect(const char *what_, uint16_t code)
{
	uint64_t n = gt_pgm.count, c = gt_pgm.code, addr = gt_pgm.old_addr;

	if (!code) {
		gt_check(n == 0, "%s: program interruption 0x%llx, want none",
			 what_, (unsigned long long)c);
	} else {
		gt_check(n == 1 && c == code,
			 "%s: %llu program interruptions, code 0x%llx, want 0x%x",
			 what_, (unsigned long long)n, (unsigned long long)c,
			 code);
		gt_check(addr == at_spot.at || addr == at_spot.next,
			 "%s: old PSW 0x%llx, instruction at 0x%llx",
			 what_, (unsigned long long)addr,
			 (unsigned long long)at_spot.at);
	}
	at_reset_pgm();
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Put the value the instruction will read at @a, remember the state it
 * will store from; returns a token for check_value(). */
static uint64_t prepare(const struct tod_insn *t, uint64_t a)
{
	volatile uint64_t *p = (volatile uint64_t *)a;

	switch (t->kind) {
	case K_SCKC:
		*p = 0xfffffffffffff000ULL;
		at_sckc(~0ULL);
		return 0;
	case K_STCKC:
		at_sckc(0x123456789abcdef0ULL);
		*p = 0;
		return 0;
	case K_SPT:
		*p = 2 * MINUTE;
		at_spt(MINUTE);
		return 0;
	case K_STPT:
		at_spt(MINUTE);
		*p = 0;
		return 0;
	case K_SCK:
		*p = at_stck() + HOUR;
		return *p;
	default:
		p[0] = 0;
		if (t->len > 8)
			p[1] = 0;
		return at_stck();
	}
}

/* The value checks of a run without an interruption (any state). */
static void check_value(const struct tod_insn *t, uint64_t a, uint64_t tok,
			const char *what_)
{
	const uint8_t *b = (const uint8_t *)a;
	uint64_t v = be64(b), now = at_stck();

	switch (t->kind) {
	case K_STORE_CLOCK:
		gt_check(v >= tok && v <= now, "%s: 0x%llx not in [0x%llx, 0x%llx]",
			 what_, (unsigned long long)v,
			 (unsigned long long)tok, (unsigned long long)now);
		break;
	case K_STCKE:
		v = be64(b + 1);
		gt_check(b[0] == 0 && v >= tok && v <= now,
			 "%s: epoch %u, 0x%llx not in [0x%llx, 0x%llx]", what_,
			 b[0], (unsigned long long)v, (unsigned long long)tok,
			 (unsigned long long)now);
		GT_EQ(b[14] << 8 | b[15], 0, "STCKE programmable field");
		break;
	case K_SCKC:
		GT_EQ(at_stckc(), 0xfffffffffffff000ULL, what_);
		break;
	case K_STCKC:
		GT_EQ(v, 0x123456789abcdef0ULL, what_);
		break;
	case K_SPT:
		v = at_stpt();
		gt_check(v <= 2 * MINUTE && v > MINUTE, "%s: CPU timer 0x%llx",
			 what_, (unsigned long long)v);
		break;
	case K_STPT:
		gt_check(v <= MINUTE && v > MINUTE / 2, "%s: stored 0x%llx",
			 what_, (unsigned long long)v);
		break;
	case K_SCK:
		gt_check(now >= tok && now < tok + MINUTE,
			 "%s: clock 0x%llx, set 0x%llx", what_,
			 (unsigned long long)now, (unsigned long long)tok);
		now -= HOUR;
		asm volatile("sck %0" : : "Q"(now) : "cc");	/* back */
		break;
	}
}

/* The mode of this round (prefixing is entered once per round). */
static void enter(void)
{
	if (mode != AT_PREFIXED)
		at_enter(mode);
}

static bool problem_mode(void)
{
	return mode == AT_PROBLEM || mode == AT_DAT_PROBLEM;
}

/* Run @t in @form/@opf on @a in the current mode; expect @code. */
static void one(const struct tod_insn *t, int form, int opf, uint64_t a,
		uint16_t code, bool lap, const char *c)
{
	uint64_t cr0 = AT_STCTG(0), tok = 0;
	bool valid = !code;
	int cc;

	if (problem_mode() && t->priv)
		code = PGM_PRIVILEGED;
	if (valid && a < ram)
		tok = prepare(t, a);
	at_reset_pgm();
	if (lap) {
		/* the recording handler stores into the protected 0x151 */
		at_cr0_nolap = cr0;
		LC_U64(LC_PGM_NEW_PSW + 8) = (uint64_t)(uintptr_t)at_lap_entry;
		AT_LCTLG(0, cr0 | CR0_LAP);
	}
	enter();
	cc = t->run(form, opf, a);
	at_supervisor();
	if (lap) {
		AT_LCTLG(0, cr0);
		gt_pgm_install();
	}
	at_dat_off();
	expect(w(t, form, opf, c), code);
	if (!code) {
		if (t->kind == K_STORE_CLOCK || t->kind == K_STCKE ||
		    t->kind == K_SCK)
			GT_EQ(cc, 0, w(t, form, opf, "cc"));
		check_value(t, a, tok, w(t, form, opf, c));
	}
	at_sckc(~0ULL);
	at_spt(HOUR);
}

static void operand_forms(const struct tod_insn *t)
{
	uint64_t a = (uint64_t)(uintptr_t)buf;

	for (int form = 0; form < F_FORMS; form++) {
		if (t->kind == K_SCK && form != F_DIRECT && !with_sck_ex &&
		    !problem_mode())
			continue;
		for (int opf = 0; opf < O_FORMS; opf++)
			one(t, form, opf, opf == O_DISP ? DISP_ONLY : a, 0,
			    false, "valid");
		if (mode == AT_PREFIXED)
			continue;
		one(t, form, O_BASE, a + 4, t->align ? PGM_SPECIFICATION : 0,
		    false, "operand at +4");
		one(t, form, O_BASE4095, a + 1,
		    t->align ? PGM_SPECIFICATION : 0, false, "operand at +1");
		if (mode == AT_SUPERVISOR || mode == AT_DAT) {
			uint64_t la = LAP_ADDR;

			one(t, form, O_BASE, la, t->store ? PGM_PROTECTION : 0,
			    true, "low-address protection");
		}
		if (mode != AT_SUPERVISOR && mode != AT_PROBLEM)
			continue;	/* DAT maps only the first MiBs */
		one(t, form, O_BASE, ram - t->len, 0, false,
		    "last bytes of memory");
		one(t, form, O_BASE, ram - 4,
		    t->align ? PGM_SPECIFICATION : PGM_ADDRESSING, false,
		    "across the end of memory");
		one(t, form, O_BASE4095, ram + 0x1000, PGM_ADDRESSING, false,
		    "past the end of memory");
	}
}

static uint16_t stcke_field(void)
{
	uint8_t e[16];

	asm volatile("stcke %0" : "=Q"(*(uint8_t(*)[16])e) : : "cc");
	return e[14] << 8 | e[15];
}

static void e_format(void)
{
	bool steering = at_facility(28);

	for (int form = 0; form < F_FORMS; form++) {
		bool p = problem_mode();
		char m[96];

		boot_snprintf(m, sizeof(m), "SCKPF %s, %s", form_name[form],
			      at_mode_name[mode]);
		at_reset_pgm();
		enter();
		run_sckpf(form, 0x1234, 0);
		at_supervisor();
		at_dat_off();
		expect(m, p ? PGM_PRIVILEGED : 0);
		if (!p)
			GT_EQ(stcke_field(), 0x1234, m);
		enter();
		run_sckpf(form, 0x10000, 0);
		at_supervisor();
		at_dat_off();
		expect(m, p ? PGM_PRIVILEGED : PGM_SPECIFICATION);
		run_sckpf(F_DIRECT, 0, 0);
		at_reset_pgm();
		GT_EQ(stcke_field(), 0, "TOD programmable field back to 0");

		boot_snprintf(m, sizeof(m), "PTFF QAF %s, %s", form_name[form],
			      at_mode_name[mode]);
		enter();
		run_ptff(form, 0, (uint64_t)(uintptr_t)buf);
		at_supervisor();
		at_dat_off();
		expect(m, steering ? 0 : PGM_OPERATION);
		boot_snprintf(m, sizeof(m), "PTFF 0x40 %s, %s", form_name[form],
			      at_mode_name[mode]);
		enter();
		run_ptff(form, 0x40, (uint64_t)(uintptr_t)buf);
		at_supervisor();
		at_dat_off();
		expect(m, !steering ? PGM_OPERATION :
			  p ? PGM_PRIVILEGED : 0);
	}
}

void gt_main(void)
{
	static const enum at_mode modes[] = {
		AT_SUPERVISOR, AT_PROBLEM, AT_DAT, AT_DAT_PROBLEM, AT_PREFIXED,
	};
	const struct gt_parms *pa = gt_parms();

	with_sck = pa && (pa->variant & 1);
	with_sck_ex = with_sck && (pa->variant & 2);
	ram = at_ram_size();
	gt_check(ram >= (4ULL << 20), "memory size 0x%llx",
		 (unsigned long long)ram);
	at_dat_identity(2);
	at_sckc(~0ULL);
	at_spt(HOUR);
	for (unsigned int m = 0; m < ARRAY_SIZE(modes); m++) {
		mode = modes[m];
		if (mode == AT_PREFIXED)
			at_enter(mode);
		for (unsigned int i = 0; i < ARRAY_SIZE(insns); i++) {
			const struct tod_insn *t = &insns[i];

			if (t->kind == K_SCK && !with_sck &&
			    (mode == AT_SUPERVISOR || mode == AT_DAT ||
			     mode == AT_PREFIXED))
				continue;
			operand_forms(t);
		}
		e_format();
		at_leave();
	}
	boot_printf("%s: SET CLOCK in supervisor state %s\n", gt_name,
		    with_sck_ex ? "included" : with_sck ?
		    "included, but not under EXECUTE (variant bit 1 not set)" :
		    "left out (variant bit 0 not set)");
}
