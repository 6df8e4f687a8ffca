/* SPDX-License-Identifier: MIT */
/*
 * Test kernel internals.
 */
#ifndef BOOT_TK_H
#define BOOT_TK_H

#include "libboot.h"
#include "pvboot/boot_abi.h"

/* tk_fail() - print "pvboot test kernel: FAILED: <what>" and wait with
 * PV_WAIT_TK_FAIL(@check). */
void tk_fail(unsigned int check, const char *fmt, ...) __printf(2, 3)
	__noreturn;

/* tk_initrd_report() - print and check the initrd from 0x10408/0x10410. */
void tk_initrd_report(uint64_t ram_size);
/* tk_initrd_range() - [*start, *end) of the initrd, false if none. */
bool tk_initrd_range(uint64_t *start, uint64_t *end);

/* tk_reipl_test() - the "reipl" command-line keyword: returns on the
 * second boot, re-IPLs on the first. */
void tk_reipl_test(void);

#endif
