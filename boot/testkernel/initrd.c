// SPDX-License-Identifier: MIT
/*
 * Test kernel: initrd checksum and digest.
 */
#include "tk.h"

/*
 * SHA-256 in the guest runs under CPU emulation at a few MB per second;
 * above this size pvsum64 alone (cheap per word) identifies the initrd.
 */
#define SHA256_MAX_INITRD (64UL << 10)

bool tk_initrd_range(uint64_t *start, uint64_t *end)
{
	uint64_t addr = *(volatile uint64_t *)INITRD_START;
	uint64_t size = *(volatile uint64_t *)INITRD_SIZE;

	if (!size)
		return false;
	*start = addr;
	*end = addr + size;
	return true;
}

void tk_initrd_report(uint64_t ram_size)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	uint64_t start, end;
	unsigned int i;

	if (!tk_initrd_range(&start, &end)) {
		boot_printf("initrd: none\n");
		return;
	}
	boot_printf("initrd: addr 0x%lx size %lu\n", start, end - start);
	if (end < start || end > ram_size)
		tk_fail(PV_TK_FAIL_INITRD,
			"initrd 0x%lx-0x%lx is outside RAM (0x%lx bytes)",
			start, end, ram_size);

	boot_printf("initrd pvsum64: 0x%016lx\n",
		    pv_sum64((const void *)start, end - start));
	if (end - start > SHA256_MAX_INITRD)
		return;
	sha256((const void *)start, end - start, digest);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		boot_snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	boot_printf("initrd sha256: %s\n", hex);
}
