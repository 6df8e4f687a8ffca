/* SPDX-License-Identifier: MIT */
/*
 * Test helpers for the machine: host key pairs, SE images built in memory
 * with the image builder, the cross-built guest test programs of
 * tests/guest (found next to the test binary, in $(BUILD)/guest), and a
 * one-call run that captures the console (and optionally the trace).
 */
#ifndef PVBOOT_TESTS_MACHTEST_H
#define PVBOOT_TESTS_MACHTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/crypto.h"
#include "pvboot/image.h"
#include "pvboot/machine.h"

/* Guest-program conventions (tests/guest/lib/gt.h). */
#define MT_WAIT_OK 0x600d0ULL
#define MT_WAIT_FAIL 0xfa110ULL
#define MT_PARMS 0x4000ULL
#define MT_PARMS_MAGIC 0x4754504152414d53ULL
#define MT_F_TCG_DIAG 0x1ULL
#define MT_F_BROKEN_HANDLER 0x2ULL
#define MT_PROGRAM_ENTRY 0x10000ULL

struct mt_key {
	uint8_t *pem;
	size_t pem_len;
	struct pv_eckey *key;
};

/* A fresh P-521 host key pair; 0 or negative. */
int mt_key_new(struct mt_key *k);
void mt_key_free(struct mt_key *k);

struct mt_image {
	uint8_t *buf;
	size_t len;
	struct pv_build_result res;
};

/*
 * Build a Layout-R SE image of @kernel (+ optional initrd and cmdline) for
 * host key @host with pvboot's own loaders; component checks off.
 */
int mt_build_se(const uint8_t *kernel, size_t klen, const uint8_t *initrd,
		size_t ilen, const char *cmdline, const struct pv_eckey *host,
		struct mt_image *out);
void mt_image_free(struct mt_image *img);

/* A guest test program (e.g. "d01") as a malloc'd buffer, or NULL. */
uint8_t *mt_guest(const char *name, size_t *len);

/*
 * Write the guest parameter block (gt_parms) into an image buffer at
 * 0x4000: @variant, @ram, @flags and, for SE images, IPIB and header.
 */
void mt_parms(uint8_t *buf, size_t len, uint64_t variant, uint64_t ram,
	      uint64_t flags, const struct pv_build_result *se);

/*
 * Put program @prog (file offset == address) over the stage3a of @img:
 * bytes from 0x10000 on, a short PSW at 0 pointing at 0x10000.  Fails when
 * the program would reach the IPIB.
 */
int mt_overlay(struct mt_image *img, const uint8_t *prog, size_t plen);

struct mt_run {
	struct pv_run_result res;
	char *console;		/* NUL-terminated */
	size_t console_len;
	char *trace;		/* NUL-terminated, or NULL */
	size_t trace_len;
	int rc;			/* pv_machine_run's return */
	char err[768];
};

/*
 * Boot @buf on a machine of @mem bytes with host keys @keys and
 * PV_MACHINE_F_* @flags; @trace also captures the trace.  Returns the
 * machine's rc; the console is in @out.  When @keep is not NULL the
 * machine is not freed but returned there (for post-mortem checks).
 */
/* When not NULL, mt_run() feeds this text to the console input (once). */
extern const char *mt_console_input;

int mt_run(const uint8_t *buf, size_t len, const struct mt_key *keys,
	   size_t nkeys, uint64_t mem, unsigned int flags, bool trace,
	   struct mt_run *out, struct pv_machine **keep);
void mt_run_free(struct mt_run *r);

/* Print the console and result of a run to stderr (for failures). */
void mt_run_dump(const char *what, const struct mt_run *r);

#endif
