/* SPDX-License-Identifier: MIT */
/*
 * Tamper campaign: flip single bits of a Secure Execution image, boot every
 * result on pvboot's machine (stage3a, the DIAG 308 hypervisor layer and the
 * software UV, exactly as `pvboot run` does) and classify what happened.
 *
 * Regions and what the specification says about them:
 *   se-header      every byte is integrity protected (se-image-format.md
 *                  §5, §6.6): every flip must be refused
 *   ipib           pv-machine-and-uv.md §2.4: pbt, num_comp, component
 *                  addresses and tweak order are validated by the
 *                  hypervisor, component entries by the UV's digests;
 *                  len only by range; header address/size are rewritten by
 *                  stage3a (se-image-format.md §4); the rest is ignored
 *   component      a sample of bits of the encrypted component pages
 *                  (§6.8: the page list digest covers every stored byte)
 *   stage3b-args   every bit of the stage3b parameter block (§3.3)
 *   stage3a-parms  every bit of the stage3a parameter block (§3.1)
 *
 * Each boot runs in a worker process, so a crash of the library is seen
 * as a crash of one flip and the campaign goes on.
 */
#ifndef PVBOOT_TAMPER_CAMPAIGN_H
#define PVBOOT_TAMPER_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pvboot/err.h"
#include "pvboot/machine.h"

enum tp_region {
	TP_HEADER,
	TP_IPIB,
	TP_COMPONENT,
	TP_S3B_ARGS,
	TP_S3A_PARMS,
	TP__NREGIONS
};

/* What the specification lets a flip of a field do. */
enum tp_expect {
	TP_MUST_REFUSE,		/* checked: the boot must be refused */
	TP_IGNORED,		/* not checked: the boot must be unchanged */
	TP_OVERWRITTEN,		/* rewritten by stage3a before use */
	TP_RANGE,		/* checked by range: per flip (want_boot) */
};

enum tp_class {
	TP_BOOTED_SAME,		/* protected, same end and console */
	TP_BOOTED_DIFF,		/* protected, but a different result */
	TP_REFUSED_HV,		/* DIAG 308 / KVM layer said no */
	TP_REFUSED_UV,		/* an Ultravisor call failed */
	TP_REFUSED_LOADER,	/* stage3a stopped before asking */
	TP_STOPPED,		/* machine error or time-out, not protected */
	TP_CRASHED,		/* the worker died (signal or bad exit) */
	TP_HUNG,		/* the worker stopped making progress */
	TP_HOST_ERROR,		/* pv_machine_* returned an error */
	TP__NCLASSES
};

struct tp_field {
	enum tp_region region;
	char name[24];
	uint64_t off;		/* file offset (= guest address) */
	uint64_t len;
	enum tp_expect expect;
};

struct tp_flip {
	uint64_t off;		/* file offset */
	uint32_t field;		/* index into fields */
	uint8_t bit;		/* 0 = most significant bit of the byte */
	bool want_boot;		/* TP_RANGE: value still in range */
};

struct tp_outcome {
	uint8_t done;
	uint8_t cls;		/* enum tp_class */
	uint16_t cmd;		/* UV: KVM_PV command 2/3/4; HV: subcode */
	uint16_t rc, rrc;	/* UV rc/rrc; HV: DIAG 308 rc or PGM code */
	bool pgm;		/* HV: rc is a program-interruption code */
	int sig;		/* TP_CRASHED: signal, or 1000 + exit status */
	uint64_t wait;		/* disabled-wait code */
	char detail[96];
};

struct tp_opts {
	uint64_t mem_size;	/* guest memory, 0 = machine default */
	double timeout;		/* seconds per boot, 0 = 30 */
	unsigned int jobs;	/* worker processes, 0 = 2 */
	unsigned int regions;	/* bit mask of 1 << TP_*, 0 = all */
	bool one_bit_per_byte;	/* reduced campaign: bit = byte index % 8 */
	uint64_t comp_flips;	/* sampled component bits, 0 = 3000 */
	uint64_t seed;		/* sampling seed */
	uint64_t pad_flips;	/* sampled bits of IPIB padding, 0 = 512 */
	long crash_at;		/* test hook: abort in this flip, -1 none */
	bool progress;		/* progress line on stderr */
};

struct tp_campaign {
	/* inputs (borrowed) */
	const uint8_t *image;
	size_t image_len;
	const struct pv_machine_key *keys;
	size_t nkeys;
	struct tp_opts o;
	/* what the image holds */
	char layout;			/* 'r' or 'c' */
	uint64_t hdr_addr, hdr_len;
	uint64_t ipib_addr, ipib_len;	/* list-header len, clipped */
	uint32_t ncomps;
	uint64_t s3b_args;		/* stage3b block offset, 0: none */
	uint64_t s3a_parms;		/* stage3a block offset, 0: none */
	char notes[4][160];
	int nnotes;
	/* plan */
	struct tp_field *fields;
	size_t nfields, fields_cap;
	struct tp_flip *flips;
	size_t nflips, flips_cap;
	struct tp_outcome *out;		/* shared with the workers */
	size_t out_size;
	/* baseline boot */
	struct tp_outcome base;
	enum pv_run_end base_end;
	uint8_t base_console[32];	/* SHA-256 of the console text */
	double base_seconds;
	double seconds;			/* campaign wall time */
};

/*
 * Analyse @image (borrowed, loaded at 0 like `pvboot run`): locate the SE
 * header, IPIB, components and both loader parameter blocks (the stage3b
 * block needs a host key that opens the header) and build the flip plan.
 * Returns 0 or a negative pv_errcode with @err set.
 */
int tp_campaign_init(struct tp_campaign *c, const uint8_t *image,
		     size_t image_len, const struct pv_machine_key *keys,
		     size_t nkeys, const struct tp_opts *o,
		     struct pv_err **err);
void tp_campaign_free(struct tp_campaign *c);

/* Boot @buf once and classify the run (no worker process). */
int tp_boot(const struct tp_campaign *c, const uint8_t *buf,
	    struct tp_outcome *out, enum pv_run_end *end,
	    uint8_t console[32], struct pv_err **err);
/*
 * After tp_baseline(): turn a TP_BOOTED_DIFF outcome of tp_boot() into
 * TP_BOOTED_SAME when end, wait code and console equal the baseline's.
 */
void tp_judge_boot(const struct tp_campaign *c, struct tp_outcome *o,
		   enum pv_run_end end, const uint8_t console[32]);
/*
 * Boot the untouched image; PV_ERR_GUEST when it does not boot protected
 * with a success code (nothing can be judged then).
 */
int tp_baseline(struct tp_campaign *c, struct pv_err **err);
/* Run every flip of the plan in o.jobs worker processes. */
int tp_run(struct tp_campaign *c, struct pv_err **err);

/* True when the outcome of flip @i contradicts its field's expectation. */
bool tp_unexpected(const struct tp_campaign *c, size_t i);
/* Number of unexpected outcomes. */
size_t tp_count_unexpected(const struct tp_campaign *c);
bool tp_class_is_refusal(enum tp_class cls);

const char *tp_region_name(enum tp_region r);
const char *tp_class_name(enum tp_class cls);
const char *tp_expect_name(enum tp_expect e);
/* "uv verify rc 0x0102 rrc 0x001b", "booted: same result", ... */
void tp_outcome_key(const struct tp_outcome *o, char *buf, size_t len);

/* Human report: per region, per field, per rc/rrc, unexpected flips. */
void tp_report(const struct tp_campaign *c, FILE *f);
/* One tab-separated line per flip (header line first). */
int tp_write_log(const struct tp_campaign *c, const char *path,
		 struct pv_err **err);

#endif
