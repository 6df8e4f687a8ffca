// SPDX-License-Identifier: MIT
/*
 * Fuzz the small image blocks: Layout-R metadata, stage3a/stage3b
 * parameter blocks and the short PSW.  Each unpack must pack back to the
 * same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[PV_STAGE3B_PARMS_SIZE];
	struct pv_stage3a_parms p3a;
	struct pv_stage3b_parms p3b;
	struct pv_err *err = NULL;
	uint64_t mask, addr, sw;
	struct pv_meta m;

	if (pv_meta_unpack(data, size, &m, &err) == 0) {
		pv_meta_pack(&m, out);
		if (memcmp(out, data, PV_META_SIZE))
			abort();
	} else if (!err) {
		abort();
	}
	pv_err_free(err);

	if (size >= PV_STAGE3A_PARMS_SIZE) {
		pv_stage3a_parms_unpack(data, &p3a);
		pv_stage3a_parms_pack(&p3a, out);
		if (memcmp(out, data, PV_STAGE3A_PARMS_SIZE))
			abort();
	}
	if (size >= PV_STAGE3B_PARMS_SIZE) {
		pv_stage3b_parms_unpack(data, &p3b);
		pv_stage3b_parms_pack(&p3b, out);
		if (memcmp(out, data, PV_STAGE3B_PARMS_SIZE))
			abort();
	}
	if (size >= 8) {
		/* short -> long -> short keeps every bit, plus bit 12 */
		sw = pv_get_be64(data);
		pv_psw_from_short(sw, &mask, &addr);
		if (pv_psw_to_short(mask, addr, &sw, NULL) ||
		    sw != (pv_get_be64(data) | 0x0008000000000000ULL))
			abort();
	}
	if (size >= 16) {
		/* long -> short fails or round-trips */
		mask = pv_get_be64(data);
		addr = pv_get_be64(data + 8);
		if (pv_psw_to_short(mask, addr, &sw, NULL) == 0) {
			uint64_t m2, a2;

			pv_psw_from_short(sw, &m2, &a2);
			if (m2 != mask || a2 != addr)
				abort();
		}
	}
	return 0;
}
