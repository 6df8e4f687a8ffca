// SPDX-License-Identifier: MIT
/*
 * --trace: the system instructions the guest executes, by name, with their
 * address and bytes.  The machine sees them where it implements them: in
 * the helpers of machine/cpu/interpose.c (SERVC, DIAG, SIGP, the clocks,
 * LCTL, the channel subsystem) and in the library helpers it wraps only
 * to log them (LPSW/LPSWE, LRA, IPTE, IDTE, PTLB, SPX, the storage keys,
 * STCTL/STCTG, TPROT, SACF, TEST BLOCK, CSP's purge).  Instructions that
 * the translator inlines (SSM, STNSM, STOSM, STPX, STAP, STIDP) are not
 * seen.
 *
 * A per-instruction code hook would see everything, but Unicorn 2.0.1
 * does not restore the guest PSW address when a block that a code hook
 * covers is left before it starts (cpu_tb_exec skips
 * synchronize_from_tb when UC_HOOK_CODE exists); an interruption taken
 * there stores a stale old PSW and the guest re-executes code.  A Linux
 * guest dies of that within seconds, so the machine never installs one.
 */
#include <stddef.h>
#include <string.h>

#include "../machine_priv.h"

/* Length from the two top opcode bits (z/Architecture). */
static unsigned int insn_len(uint8_t b0)
{
	static const unsigned int len[4] = { 2, 4, 4, 6 };

	return len[b0 >> 6];
}

/* One number per opcode: the first byte, extended where the format does. */
static uint16_t insn_key(const uint8_t *b)
{
	switch (b[0]) {
	case 0x01: case 0xb2: case 0xb3: case 0xb9: case 0xe5:
		return (uint16_t)(b[0] << 8 | b[1]);
	case 0xe3: case 0xeb: case 0xec: case 0xed:
		return (uint16_t)(b[0] << 8 | b[5]);
	default:
		return b[0];
	}
}

static const struct {
	uint16_t key;
	const char *name;
} names[] = {
	{ 0x80, "SSM" }, { 0x82, "LPSW" }, { 0x83, "DIAG" },
	{ 0xac, "STNSM" }, { 0xad, "STOSM" }, { 0xae, "SIGP" },
	{ 0xb1, "LRA" }, { 0xb6, "STCTL" }, { 0xb7, "LCTL" },
	{ 0xb202, "STIDP" }, { 0xb205, "STCK" }, { 0xb206, "SCKC" },
	{ 0xb207, "STCKC" }, { 0xb208, "SPT" }, { 0xb209, "STPT" },
	{ 0xb20d, "PTLB" }, { 0xb210, "SPX" }, { 0xb211, "STPX" },
	{ 0xb212, "STAP" }, { 0xb220, "SERVC" }, { 0xb221, "IPTE" },
	{ 0xb229, "ISKE" }, { 0xb22c, "TB" }, { 0xb279, "SACF" }, { 0xb22a, "RRBE" }, { 0xb22b, "SSKE" },
	{ 0xb230, "CSCH" }, { 0xb231, "HSCH" }, { 0xb232, "MSCH" },
	{ 0xb233, "SSCH" }, { 0xb234, "STSCH" }, { 0xb235, "TSCH" },
	{ 0xb236, "TPI" }, { 0xb238, "RSCH" }, { 0xb239, "STCRW" },
	{ 0xb23c, "SCHM" }, { 0xb250, "CSP" }, { 0xb25f, "CHSC" },
	{ 0xb276, "XSCH" }, { 0xb278, "STCKE" }, { 0xb27c, "STCKF" },
	{ 0xb27d, "STSI" }, { 0xb2b0, "STFLE" }, { 0xb2b1, "STFL" },
	{ 0xb2b2, "LPSWE" }, { 0xb98a, "CSPG" }, { 0xb98e, "IDTE" },
	{ 0xb9a4, "UVC" }, { 0xe501, "TPROT" }, { 0xeb25, "STCTG" },
	{ 0xeb2f, "LCTLG" },
};

/*
 * Log the instruction whose helper returns to @ra, if the table names it.
 * The PSW the helper sees is lazy: the address comes from the translated
 * block's records, and the CPU state is left exactly as it was.
 */
void trace_insn(struct vcpu *v, uintptr_t ra)
{
	uint64_t addr, old_addr, tec;
	uint32_t old_cc_op;
	uint8_t b[6] = { 0 };
	uint16_t key;

	if (!v->m->tr || v->m->in_stub || !v->env)
		return;
	old_addr = env_get64(v->env, ENV_PSW_ADDR);
	memcpy(&old_cc_op, v->env + ENV_CC_OP, sizeof(old_cc_op));
	vcpu_sync_psw(v, ra);
	addr = env_get64(v->env, ENV_PSW_ADDR);
	env_set64(v->env, ENV_PSW_ADDR, old_addr);
	memcpy(v->env + ENV_CC_OP, &old_cc_op, sizeof(old_cc_op));
	if (mem_read_logical(v, addr, b, 2, &tec) ||
	    (insn_len(b[0]) > 2 &&
	     mem_read_logical(v, addr + 2, b + 2, insn_len(b[0]) - 2, &tec)))
		return;
	key = insn_key(b);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].key != key)
			continue;
		mach_trace(v->m, "cpu %u %016llx %-6s %02x%02x%02x%02x%02x%02x",
			   v->id, (unsigned long long)addr, names[i].name, b[0],
			   b[1], b[2], b[3], b[4], b[5]);
		return;
	}
}
