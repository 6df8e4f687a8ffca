// SPDX-License-Identifier: MIT
/*
 * Fatal program-interruption handler.
 */
#include "libboot.h"

void boot_pgm_entry(void);
void boot_pgm_report(void) __noreturn;

uint8_t boot_pgm_stack[1024] __aligned(8);
static uint64_t pgm_wait_code;

void boot_pgm_report(void)
{
	uint64_t mask = LC_U64(LC_PGM_OLD_PSW);
	uint64_t addr = LC_U64(LC_PGM_OLD_PSW + 8);
	uint16_t code = LC_U16(LC_PGM_CODE);
	uint16_t ilc = LC_U16(LC_PGM_ILC);

	/* A second fault while reporting ends in the wait directly. */
	LC_U64(LC_PGM_NEW_PSW) = PSW_MASK_WAIT | PSW_MASK_EA | PSW_MASK_BA;
	LC_U64(LC_PGM_NEW_PSW + 8) = pgm_wait_code;
	boot_panic(pgm_wait_code,
		   "program interruption code 0x%04x ilc %u, old PSW %016lx %016lx",
		   code, (ilc & 6) >> 1, mask, addr);
}

void boot_pgm_fatal_install(uint64_t code)
{
	pgm_wait_code = code;
	LC_U64(LC_PGM_NEW_PSW) = PSW_MASK_EA | PSW_MASK_BA;
	LC_U64(LC_PGM_NEW_PSW + 8) = (uint64_t)boot_pgm_entry;
}
