// SPDX-License-Identifier: MIT
/*
 * Fuzz the image reader and the offline verifier on whole files.  The seed
 * corpus (tests/fuzz/corpus/image/) holds tiny images of both layouts made
 * with the header key below, so mutations reach the IPIB, component and
 * stage3b checks behind an intact header:
 *
 *   head -c 32 /dev/zero | tr '\0' B > hdr.key
 *   pvboot create -i KERNEL -k HKD --no-verify --no-component-check \
 *       --hdr-key hdr.key --loader-dir SMALL-LOADERS [--layout c] -o seed
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pvboot/image.h"

static void touch_info(const struct pv_image_info *in)
{
	volatile uint64_t sink = in->file_size + in->hdr_addr;

	for (size_t i = 0; i < in->ncomps; i++)
		sink += in->comps[i].addr + in->comps[i].len;
	if (in->hdr)
		sink += in->hdr->nks + in->hdr_raw[in->hdr_raw_len - 1];
	if (in->ipib_raw_len)
		sink += in->ipib_raw[in->ipib_raw_len - 1];
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t hpk[PV_HPK_LEN] = {
		'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B',
		'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B',
		'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B',
	};
	struct pv_verify_report rep;
	struct pv_verify_opts o;
	struct pv_image *img;
	struct pv_err *err = NULL;

	if (pv_image_open_mem(data, size, &img, &err)) {
		pv_err_free(err);
		return 0;
	}
	touch_info(pv_image_get_info(img));
	memset(&o, 0, sizeof(o));
	o.hpk = hpk;
	/* a component longer than the file is refused before streaming */
	if (pv_image_verify(img, &o, &rep, &err))
		pv_err_free(err);
	pv_image_close(img);
	return 0;
}
