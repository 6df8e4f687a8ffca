// SPDX-License-Identifier: MIT
/*
 * STORE FACILITY LIST EXTENDED.
 */
#include "libboot.h"

#define FAC_DWORDS 4

static uint64_t fac_list[FAC_DWORDS];
static bool fac_valid;

int stfle(uint64_t *list, unsigned int ndw)
{
	register uint64_t r0 asm("0") = ndw - 1;
	int cc;

	asm volatile("	stfle	%[list]\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=d"(cc), "+d"(r0),
		       [list] "=Q"(*(uint64_t(*)[FAC_DWORDS])list)
		     :
		     : "cc", "memory");
	return cc;
}

bool test_facility(unsigned int nr)
{
	if (!fac_valid) {
		memset(fac_list, 0, sizeof(fac_list));
		stfle(fac_list, FAC_DWORDS);
		fac_valid = true;
	}
	if (nr >= FAC_DWORDS * 64)
		return false;
	return (fac_list[nr / 64] >> (63 - nr % 64)) & 1;
}
