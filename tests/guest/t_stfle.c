// SPDX-License-Identifier: MIT
/*
 * STFLE and STFL (machine unit test): r0 = doublewords - 1 in and out,
 * cc 3 for a short list, facility 161 present, 158 only when protected,
 * STFL's word at lowcore 0xc8, alignment checked.
 */
#include "gt.h"

const char gt_name[] = "T-STFLE";

static int do_stfle(uint64_t *list, uint64_t *r0io)
{
	register uint64_t r0 asm("0") = *r0io;
	int cc;

	asm volatile("stfle %[l]\n ipm %[cc]\n srl %[cc],28"
		     : [cc] "=d"(cc), "+d"(r0), [l] "=Q"(*(uint64_t(*)[4])list)
		     : : "cc", "memory");
	*r0io = r0;
	return cc;
}

static bool bit(const uint64_t *l, unsigned int nr)
{
	return (l[nr / 64] >> (63 - nr % 64)) & 1;
}

void gt_main(void)
{
	uint64_t list[4], r0;

	memset(list, 0xee, sizeof(list));
	r0 = 3;
	GT_EQ(do_stfle(list, &r0), 0, "cc with room for 4 doublewords");
	GT_EQ(r0 & 0xff, 2, "doublewords - 1");
	gt_check(bit(list, 0) && bit(list, 1) && bit(list, 2) &&
		 bit(list, 7), "z/Architecture facilities 0, 1, 2, 7");
	gt_check(bit(list, 161), "facility 161 (unpack) missing");
	gt_check(!bit(list, 158), "facility 158 listed when not protected");
	GT_EQ(list[3], 0xeeeeeeeeeeeeeeeeULL, "fourth doubleword stored");
	memset(list, 0xee, sizeof(list));
	r0 = 0xabcd00;
	GT_EQ(do_stfle(list, &r0), 3, "cc with room for 1 doubleword");
	GT_EQ(r0, 0xabcd02, "r0 after a short list");
	GT_EQ(list[1], 0xeeeeeeeeeeeeeeeeULL, "second doubleword stored");
	asm volatile("stfl 0" : : : "memory");
	GT_EQ(LC_U32(0xc8), list[0] >> 32, "STFL word at 0xc8");
	r0 = 0;
	do_stfle((uint64_t *)(GT_PAGE_A + 4), &r0);
	GT_EQ(gt_pgm_take(), 6, "STFLE operand not doubleword aligned");
	gt_check(test_facility(FAC_UNPACK), "libboot sees facility 161");
}
