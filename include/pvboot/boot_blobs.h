/* SPDX-License-Identifier: MIT */
/*
 * s390x boot code built from boot/ and embedded into libpvboot, so the tool
 * needs no data directory at run time.
 */
#ifndef PVBOOT_BOOT_BLOBS_H
#define PVBOOT_BOOT_BLOBS_H

#include <stddef.h>

struct pv_blob {
	const char *name;		/* file name, e.g. "stage3a.bin" */
	const unsigned char *data;
	size_t len;
};

/* stage3a.bin: plaintext loader, linked at 0x10000; last 24 bytes = parms. */
extern const struct pv_blob pv_blob_stage3a;
/* stage3b_reloc.bin: relocator + stage3b; last 64 bytes = stage3b parms. */
extern const struct pv_blob pv_blob_stage3b_reloc;
/* testkernel.bin: raw s390x test kernel ("S390EP" at 0x10008). */
extern const struct pv_blob pv_blob_testkernel;

#endif
