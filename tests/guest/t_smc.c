// SPDX-License-Identifier: MIT
/*
 * New code over old code (machine unit test): a function that has run is
 * overwritten with one of the same length that contains DIAG 308; the
 * machine must notice the changed bytes and intercept the DIAG (a DIAG
 * Unicorn ran natively would leave GR3 alone).
 */
#include "gt.h"

const char gt_name[] = "T-SMC";

#define FN ((uint8_t *)GT_PAGE_B)

/* lghi %r2,7; 6 x nopr; br %r14 (20 bytes) */
static const uint8_t v1[20] = {
	0xa7, 0x29, 0x00, 0x07, 0x07, 0x00, 0x07, 0x00, 0x07, 0x00,
	0x07, 0x00, 0x07, 0x00, 0x07, 0x00, 0x07, 0x00, 0x07, 0xfe,
};
/* lghi %r4,6; lghi %r2,0x3000; diag %r2,%r4,0x308; lgr %r2,%r3; br %r14 */
static const uint8_t v2[20] = {
	0xa7, 0x49, 0x00, 0x06, 0xa7, 0x29, 0x30, 0x00, 0x83, 0x24,
	0x03, 0x08, 0xb9, 0x04, 0x00, 0x23, 0x07, 0x00, 0x07, 0xfe,
};

static uint64_t call(void)
{
	uint64_t (*fn)(void) = (uint64_t (*)(void))(uintptr_t)FN;
	register uint64_t r3 asm("3") = 0x5555;

	asm volatile("" : "+d"(r3));
	return fn();
}

void gt_main(void)
{
	memcpy(FN, v1, sizeof(v1));
	for (int i = 0; i < 3; i++)
		GT_EQ(call(), 7, "old function");
	memcpy(FN, v2, sizeof(v2));
	GT_EQ(call(), DIAG308_RC_NO_CONF, "new function: DIAG 308 subcode 6");
	GT_EQ(call(), DIAG308_RC_NO_CONF, "new function again");
	memcpy(FN, v1, sizeof(v1));
	GT_EQ(call(), 7, "old function back");
}
