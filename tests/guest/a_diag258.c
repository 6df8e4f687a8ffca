// SPDX-License-Identifier: MIT
/*
 * DIAGNOSE 0x258 (page-reference services, "pfault") as Linux issues it
 * in pfault_init: GR rx points to a parameter block (code 0x258, function
 * 0 = establish token, 5 doublewords, version 2, token address, select
 * and compare masks 1 << 48, and 0x8000000000000000 in the last
 * doubleword).  A non-protected KVM guest gets rc 0 in GR ry (KVM's
 * __diag_page_ref_service accepts the token); asking again while the
 * token is set gives 8; function 1 (cancel) gives 0 or 4 and clears it.
 * A misaligned block is a specification exception.  QEMU TCG has no
 * pfault (specification exception), so arch_qemu.sh skips this program.
 */
#include "at.h"

const char gt_name[] = "A-DIAG258";

struct refbk {
	uint16_t code, func, dwlen, version;
	uint64_t token_addr, select, compare, zarch;
} __packed __aligned(8);

static uint64_t d258(const void *blk)
{
	register uint64_t rx asm("2") = (uint64_t)(uintptr_t)blk;
	register uint64_t ry asm("3") = 0xdddd;

	asm volatile("diag %[x],%[y],0x258" : [y] "+d"(ry) : [x] "d"(rx)
		     : "cc", "memory");
	return ry;
}

void gt_main(void)
{
	static struct refbk b __aligned(8);
	static uint64_t token __aligned(8);
	static uint8_t raw[48] __aligned(8);

	b.code = 0x258;
	b.func = 0;
	b.dwlen = 5;
	b.version = 2;
	b.token_addr = (uint64_t)(uintptr_t)&token;
	b.select = 1ULL << 48;
	b.compare = 1ULL << 48;
	b.zarch = 0x8000000000000000ULL;
	at_reset_pgm();
	GT_EQ(d258(&b), 0, "establish the pfault token: rc");
	at_expect_none("establish the pfault token");
	GT_EQ(d258(&b), 8, "token already established: rc");
	/* Linux's pfault_fini block: only code, function, length, version
	 * (KVM refuses a cancel with anything else set). */
	b.func = 1;
	b.token_addr = b.select = b.compare = b.zarch = 0;
	{
		uint64_t rc = d258(&b);

		gt_check(rc == 0 || rc == 4, "cancel: rc %llu", (unsigned long long)rc);
	}
	at_expect_none("cancel the pfault token");
	memcpy(raw + 4, &b, sizeof(b));
	d258(raw + 4);
	GT_EQ(gt_pgm_take(), PGM_SPECIFICATION, "block not on a doubleword");
}
