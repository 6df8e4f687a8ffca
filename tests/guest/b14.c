// SPDX-License-Identifier: MIT
/*
 * B-14 (runs as the kernel of an SE image): after the switch, pages that
 * were not unpacked read as zero (old stage3a, IPIB, SE header, the end
 * of memory) and unpacked pages hold the plaintext (the initrd pattern
 * byte i = i * 7 + 3 the host put in).
 */
#include "gt.h"

const char gt_name[] = "B-14";

static uint64_t zero_page(uint64_t a)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < PAGE_SIZE; i += 8)
		n += *(volatile uint64_t *)(uintptr_t)(a + i) != 0;
	return n;
}

void gt_main(void)
{
	uint64_t start = LC_U64(INITRD_START), size = LC_U64(INITRD_SIZE);
	uint64_t ram = 0, bad = 0;
	const uint8_t *p = (const uint8_t *)(uintptr_t)start;

	gt_check(gt_protected(), "not protected");
	gt_check(size >= PAGE_SIZE, "no initrd (size %llu)",
		 (unsigned long long)size);
	for (uint64_t i = 0; i < size; i++)
		bad += p[i] != (uint8_t)(i * 7 + 3);
	GT_EQ(bad, 0, "initrd bytes differing from the pattern");
	GT_EQ(zero_page(0x14000), 0, "SE header page");
	GT_EQ(zero_page(0x13000), 0, "IPIB page");
	GT_EQ(zero_page(GT_PARMS), 0, "host parameter page");
	if (gt_check(sclp_read_ram_size(&ram) == 0, "READ SCP INFO")) {
		GT_EQ(zero_page(ram - PAGE_SIZE), 0, "last page");
		GT_EQ(zero_page(ram / 2), 0, "middle page");
	}
}
