/* SPDX-License-Identifier: MIT */
/* The state of one build, shared by build.c and head.c (not installed). */
#ifndef PVBOOT_BUILD_PRIV_H
#define PVBOOT_BUILD_PRIV_H

#include "image_priv.h"

struct build_ctx {
	struct pv_builder *b;
	int out;			/* -1: measure only */
	char out_name[300];		/* for messages */
	int fds[PV_INPUT_KINDS];
	bool own_fd[PV_INPUT_KINDS];
	struct pv_rng *rng;
	struct pv_rng *own_rng;
	struct pv_digests *dig;
	struct pv_pipe *pipe;
	struct pv_xts *xts;		/* NULL: PCF bit 35, no encryption */
	struct image_plan plan;
	struct pv_build_result *res;
	uint64_t next_addr;
	uint64_t done, total;
	unsigned int chunks;		/* emitted so far */
	uint64_t nep;
	struct kernel_facts kf;
	/* secrets */
	uint8_t hpk[PV_HPK_LEN];
	uint8_t xk[PV_XK_LEN];
	uint8_t cck[PV_CCK_LEN];
	uint8_t iv[PV_GCM_IV_LEN];
	struct key_job kj;		/* customer key and key slots */
};

/*
 * §5.1, §6.6: a new SE header in *@out with the digests, the key slots of
 * the key job and the secrets, sealed with the HPK (caller frees).
 */
int head_seal(struct build_ctx *c, struct pv_sehdr **out,
	      struct pv_err **err);
/*
 * §2.6 steps 6-8: write the IPIB, stage3a and its parameter block, the
 * short PSW, the metadata and @hdr, then cut the file to its size.
 */
int head_write(struct build_ctx *c, const struct pv_sehdr *hdr,
	       struct pv_err **err);

#endif
