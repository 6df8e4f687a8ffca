// SPDX-License-Identifier: MIT
/*
 * Fuzz the IPL parameter block code: the strict type-5 parser (accepted
 * blocks must serialize back to the same bytes) and the DIAG 308 subcode
 * 5 and 8 checks, on exact-size buffers so any over-read shows up.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/ipib.h"

#define FUZZ_RAM_SIZE 0x200000ULL

static bool ram_readable(void *opaque, uint64_t addr, uint64_t len)
{
	(void)opaque;
	return addr <= FUZZ_RAM_SIZE && len <= FUZZ_RAM_SIZE - addr;
}

static void check_both(const uint8_t *buf, uint32_t len)
{
	const char *why = NULL;
	uint16_t rc;

	rc = pv_iplb_check_pv(buf, len, ram_readable, NULL, &why);
	if ((rc == PV_DIAG308_RC_OK) != (why == NULL))
		abort();
	if (rc != PV_DIAG308_RC_OK && rc != PV_DIAG308_RC_INVALID)
		abort();
	rc = pv_iplb_check_normal(buf, len, &why);
	if ((rc == PV_DIAG308_RC_OK) != (why == NULL))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pv_ipib_pv ipib;
	struct pv_err *err = NULL;
	uint32_t len;
	uint8_t *buf;

	if (pv_ipib_pv_parse(data, size, &ipib, &err) == 0) {
		buf = malloc(ipib.len);
		if (!buf || pv_ipib_pv_serialize(&ipib, buf, ipib.len, NULL) ||
		    memcmp(buf, data, ipib.len))
			abort();
		/* a strictly valid block only fails QEMU's checks on values */
		free(buf);
	}
	pv_err_free(err);

	/* the hypervisor view: len bytes of the block, as read from memory */
	if (size <= PV_IPL_MAX_LEN)
		check_both(data, (uint32_t)size);
	if (size >= 4) {
		len = pv_get_be32(data);
		if (len <= PV_IPL_MAX_LEN) {
			buf = calloc(1, len ? len : 1);
			if (!buf)
				abort();
			memcpy(buf, data, size < len ? size : len);
			check_both(buf, len);
			free(buf);
		}
	}
	return 0;
}
