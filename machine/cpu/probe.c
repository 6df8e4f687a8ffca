// SPDX-License-Identifier: MIT
/*
 * Start-up probe of a Unicorn engine: run a few instructions from a page
 * outside guest RAM and check that the CPU state is where env.h says
 * (linux-guest-feasibility.md §2: offsets found by searching the state for
 * known values; here each one is checked).  The machine's replacements of
 * the library's functions report what they see while the probe runs
 * (probe_seen).  A library whose layout differs is refused with the name
 * of the field that did not match, before any guest code runs.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"

#include "../machine_priv.h"
#include "interpose.h"

#define STUB 0x7ffffffff0000000ULL
#define STUB_DATA 0x800
#define STUB_LEN 0x1000

struct probe_seen probe_seen;

/* The probe program; every value it loads comes from the data area. */
static const uint8_t stub_code[] = {
	0xa7, 0x4b, 0x00, 0x01,			/* aghi %r4,1 */
	0xb2, 0x05, 0x2b, 0x00,			/* stck 0xb00(%r2) */
	0x00, 0x00,				/* .word 0 (operation exc.) */
	0xa7, 0x2f, 0x00, 0x00,			/* cghi %r2,0 (cc 2) */
	0x0a, 0x2a,				/* svc 42 */
	0xeb, 0x0f, 0x28, 0x00, 0x00, 0x2f,	/* lctlg %c0,%c15,0x800(%r2) */
	0xb2, 0x10, 0x29, 0x00,			/* spx 0x900(%r2) */
	0x9a, 0x0f, 0x29, 0x80,			/* lam %a0,%a15,0x980(%r2) */
	0x68, 0x00, 0x2a, 0x00,			/* ld %f0,0xa00(%r2) */
	0x68, 0x20, 0x2a, 0x08,			/* ld %f2,0xa08(%r2) */
	0xb2, 0x02, 0x2a, 0x10,			/* stidp 0xa10(%r2) */
	0xb2, 0x12, 0x2a, 0x18,			/* stap 0xa18(%r2) */
	0xb2, 0xb2, 0x2a, 0x20,			/* lpswe 0xa20(%r2) */
};
#define OFF_OPEXC 8
#define OFF_SVC 14

static int bad(struct pv_err **err, const char *what)
{
	return pv_err_set(err, PV_ERR_INTERNAL,
			  "the Unicorn library '%s' (build %s) does not have the CPU layout pvboot was made for (%s): pvboot needs Debian's libunicorn2 2.0.1",
			  getenv("PVBOOT_LIBUNICORN") ? getenv("PVBOOT_LIBUNICORN") :
							UC_LIB_SONAME,
			  uc_lib_build_id()[0] ? uc_lib_build_id() : "unknown",
			  what);
}

static void put64(uint8_t *p, uint64_t val)
{
	pv_put_be64(p, val);
}

/* The fast TLB of mmu_idx 3 (real) must map the page the stub read. */
static bool tlb_ok(const uint8_t *env, uint64_t page)
{
	const uint8_t *f = env + ENV_TLB_FAST + 3 * 16;
	uintptr_t mask, table, ent;
	uint64_t addr_read;

	memcpy(&mask, f, sizeof(mask));
	memcpy(&table, f + 8, sizeof(table));
	if (!table || (mask & 0x1f) || ((mask >> 5) & ((mask >> 5) + 1)))
		return false;
	ent = table + (((page >> 12) & (mask >> 5)) << 5);
	memcpy(&addr_read, (const void *)ent, 8);
	return addr_read == page;
}

/*
 * The library's calls reach the machine's functions only when the
 * program exports them (machine/cpu/interpose.list): a program linked
 * without that list would run guests on the library's empty helpers.
 */
static int exported(struct pv_err **err)
{
	for (const void *const *f = interpose_table; *f; f++) {
		Dl_info info;

		if (!dladdr(*f, &info) || !info.dli_sname ||
		    dlsym(RTLD_DEFAULT, info.dli_sname) != *f)
			return pv_err_set(err, PV_ERR_INTERNAL,
					  "this program does not export pvboot's CPU function %s: link it with -Wl,--dynamic-list=%s (or use libpvboot.so)",
					  info.dli_sname ? info.dli_sname : "?",
					  "interpose.list from pvboot's machine/cpu");
	}
	return 0;
}

int probe_engine(struct vcpu *v, bool full, struct pv_err **err)
{
	static uint8_t page[STUB_LEN] __attribute__((aligned(4096)));
	struct pv_machine *m = v->m;
	uint8_t *d = page + STUB_DATA;
	uint64_t crs[16], r2 = STUB, mask = PSW_MASK_64;
	uint8_t *env;
	uc_err e;
	int rc = 0;

	if (full && (rc = exported(err)))
		return rc;
	memset(page, 0, sizeof(page));
	memcpy(page, stub_code, sizeof(stub_code));
	for (int i = 0; i < 16; i++) {
		crs[i] = (0x0101010101010101ULL * (uint64_t)(i + 1)) &
			 ~0xf000ULL;
		if (i == 0)
			crs[i] = CR0_RESET;	/* no LAP: the stub stores */
		put64(d + 8 * i, crs[i]);
	}
	pv_put_be32(d + 0x100, 0x00012000);		/* prefix */
	for (int i = 0; i < 16; i++)
		pv_put_be32(d + 0x180 + 4 * i, 0xa0000000U + (uint32_t)i);
	put64(d + 0x200, 0x4000111122223333ULL);	/* f0 */
	put64(d + 0x208, 0x4000444455556666ULL);	/* f2 */
	put64(d + 0x220, 0x0002000180000000ULL);	/* disabled wait */
	put64(d + 0x228, 0x0000000000fff000ULL);

	/* Blocks are left only at their start (env.h): set before the
	 * probe translates anything; checked below. */
	if (*(void **)((uint8_t *)v->uc + UC_OFF_CPU) !=
		    uc_core.get_cpu(v->uc, 0) ||
	    *((uint8_t *)v->uc + UC_OFF_INIT_DONE) != 1 ||
	    *((uint8_t *)v->uc + UC_OFF_NO_EXIT_REQUEST) != 0)
		return bad(err, "engine structure");
	*((uint8_t *)v->uc + UC_OFF_NO_EXIT_REQUEST) = 1;
	e = uc_mem_map_ptr(v->uc, STUB, STUB_LEN, UC_PROT_ALL, page);
	if (e != UC_ERR_OK)
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "CPU %u: cannot map the probe page: %s", v->id,
				  uc_strerror(e));
	memset(&probe_seen, 0, sizeof(probe_seen));
	for (int i = 0; i < 16; i++) {
		uint64_t val = 0x1111111111111111ULL * (uint64_t)(i % 15 + 1);

		if (i == 2)
			val = r2;
		if (i == 4)
			val = 0;
		uc_reg_write(v->uc, UC_S390X_REG_R0 + i, &val);
	}
	uc_reg_write(v->uc, UC_S390X_REG_PSWM, &mask);
	m->in_stub = true;
	interpose_enter(v);
	/* A library the checks below refuse may never reach the wait PSW:
	 * give up after a second. */
	e = uc_emu_start(v->uc, STUB, STUB + 0xff0, 1000000, 0);
	interpose_leave(v);
	m->in_stub = false;

	env = probe_seen.env;
	if (e != UC_ERR_OK && !probe_seen.waited)
		rc = pv_err_set(err, PV_ERR_INTERNAL,
				"CPU %u: the probe program failed: %s", v->id,
				uc_strerror(e));
	else if (!env || !probe_seen.cs)
		rc = bad(err, "the replaced STCK and CPU-loop functions were not called");
	if (rc)
		goto out;
	v->env = env;
	v->cs = probe_seen.cs;
	if (uc_core.get_cpu(v->uc, 0) != v->cs)
		rc = bad(err, "CPU state pointer");
	else if (env_get64(env, ENV_REGS + 8 * 4) != 1)
		rc = bad(err, "a block left in its middle restarts from its start");
	else if (env_get64(env, ENV_REGS + 8 * 2) != r2 ||
		 env_get64(env, ENV_REGS + 8 * 15) != 0x1111111111111111ULL)
		rc = bad(err, "general registers");
	if (rc || !full)
		goto out;
	if (probe_seen.pgm_addr != STUB + OFF_OPEXC ||
	    probe_seen.pgm_code != 1 || probe_seen.pgm_ilen != 2)
		rc = bad(err, "program-interruption code, length or PSW address");
	else if (probe_seen.svc_code != 42 || probe_seen.svc_ilen != 2 ||
		 probe_seen.svc_addr != STUB + OFF_SVC)
		rc = bad(err, "SVC code, length or PSW address");
	else if (probe_seen.svc_cc != 2 || probe_seen.static_cc != 3)
		rc = bad(err, "condition code");
	else if (memcmp(env + ENV_CREGS, crs, sizeof(crs)))
		rc = bad(err, "control registers");
	else if (env_get64(env, ENV_PSA) != 0x12000)
		rc = bad(err, "prefix");
	else if (env_get32(env, ENV_AREGS) != 0xa0000000U ||
		 env_get32(env, ENV_AREGS + 60) != 0xa000000fU)
		rc = bad(err, "access registers");
	else if (env_get64(env, ENV_VREGS) != 0x4000111122223333ULL ||
		 env_get64(env, ENV_VREGS + 2 * 16) != 0x4000444455556666ULL)
		rc = bad(err, "floating-point registers");
	else if (pv_get_be64(d + 0x210) != env_get64(env, ENV_CPUID) ||
		 pv_get_be16(d + 0x218) != (uint16_t)env_get32(env, ENV_CORE_ID))
		rc = bad(err, "CPU identification");
	else if (!probe_seen.waited || probe_seen.wait_addr != 0xfff000 ||
		 probe_seen.wait_mask != 0x0002000180000000ULL)
		rc = bad(err, "PSW");
	else if (pv_get_be64(page + 0xb00) != probe_seen.stck_value)
		rc = bad(err, "STORE CLOCK");
	else if (!tlb_ok(env, STUB))
		rc = bad(err, "translation lookaside buffer");
out:
	uc_mem_unmap(v->uc, STUB, STUB_LEN);
	return rc;
}
