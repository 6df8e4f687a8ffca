/* SPDX-License-Identifier: MIT */
/* Internal state of the offline verifier (verify.c, verify_checks.c). */
#ifndef PVBOOT_VERIFY_PRIV_H
#define PVBOOT_VERIFY_PRIV_H

#include "image_priv.h"

/*
 * Failures are collected while checking and the most telling one is
 * reported: a wrong metadata block explains a missing header, a changed
 * IPIB explains wrong tweaks, which explain garbage stage3b arguments, which
 * are more specific than a page list digest mismatch.
 */
enum vprio {
	VP_META,
	VP_HEADER,
	VP_IPIB,
	VP_STAGE3A,
	VP_STAGE3B,
	VP_COMP,
	VP_PLD,
	VP__MAX
};

struct vctx {
	struct pv_image *img;
	const struct pv_image_info *in;
	const struct pv_verify_opts *o;
	struct pv_verify_report *rep;
	enum vprio best;		/* VP__MAX: nothing failed yet */
	struct pv_sehdr_secret sec;	/* secret */
	bool opened;
	bool encrypted;			/* PCF bit 35 clear */
	struct pv_xts *xts;		/* decryption, when encrypted */
	int kernel, cmdline, initrd, stage3b;	/* component indexes, -1 */
	uint8_t *s3b;			/* decrypted stage3b component */
	size_t s3b_len;
	bool input_used[PV_COMP__MAX];
	uint64_t input_size[PV_COMP__MAX];
};

void vfail(struct vctx *v, enum vprio prio, enum pv_region region,
	   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void vfail_page(struct vctx *v, enum vprio prio, int comp, uint64_t page,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void vnote(struct vctx *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int vcheck_meta(struct vctx *v, struct pv_err **err);
/* Returns 1 when the header opened, 0 when it failed (recorded). */
int vcheck_header(struct vctx *v, struct pv_err **err);
void vcheck_ipib(struct vctx *v);
int vcheck_stage3a(struct vctx *v, struct pv_err **err);
int vcheck_stage3b(struct vctx *v, struct pv_err **err);
/* Decrypt one stored page of component @comp (for spot checks). */
int vread_page(struct vctx *v, int comp, uint64_t off, uint8_t *page,
	       struct pv_err **err);

#endif
