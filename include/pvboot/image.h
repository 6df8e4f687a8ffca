/* SPDX-License-Identifier: MIT */
/*
 * SE image toolchain: a streaming builder that writes IBM-compatible images
 * (Layout-R of pvimg by default, Layout-C of the C genprotimg on request),
 * a reader for both layouts, an offline verifier and measurement
 * (se-image-format.md §2, §3, §4, §6).
 *
 * Memory use does not depend on the image size: components are read,
 * padded, encrypted, hashed and written in chunks of PV_IMAGE_CHUNK bytes,
 * with the page list digest computed on a second thread.
 */
#ifndef PVBOOT_IMAGE_H
#define PVBOOT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "pvboot/err.h"
#include "pvboot/ipib.h"
#include "pvboot/layout.h"
#include "pvboot/sehdr.h"

/*
 * Default I/O and crypto chunk.  1 MiB rather than 256 KiB: a quarter of
 * the hand-offs between the writer and the PLD thread, each a chance for
 * the scheduler to put both on one CPU; create to ext4 went from 0.36-0.37
 * to 0.32-0.35 s for a 256 MiB initrd, 1 GiB from 1.35-2.0 to 1.17-1.36 s
 * (bench/run.sh create); peak RSS grows by about 2.3 MiB.
 */
#define PV_IMAGE_CHUNK (1024 * 1024)
/* smallest chunk: the first one holds the kernel's check area */
#define PV_IMAGE_CHUNK_MIN (128 * 1024)
#define PV_IMAGE_MAX_LOADER (1024 * 1024)	/* cap for stage3a/stage3b */
#define PV_IMAGE_MAX_COMPS 4	/* kernel, initrd, cmdline, stage3b */

/*
 * Progress callback: @done of @total bytes processed (@total is 0 when not
 * known, e.g. for a pipe).  Return non-zero to cancel: the operation then
 * fails with PV_ERR_STATE ("cancelled").  Also called when a read is
 * interrupted by a signal, so a signal handler that sets a flag is enough to
 * stop a long build promptly.
 */
typedef int (*pv_progress_fn)(void *opaque, uint64_t done, uint64_t total);

/* One secure component as it lies in an image. */
struct pv_image_comp {
	enum pv_comp_kind kind;	/* PV_COMP__MAX: tweak id not known */
	uint64_t tweak_pref;	/* first 8 bytes of the XTS tweak */
	uint64_t addr;		/* page aligned */
	uint64_t len;		/* stored size, a multiple of 4096 */
	uint64_t orig_size;	/* input bytes; 0 when not known (reader) */
};

/*
 * Name of a component kind for messages and JSON: "kernel", "initrd",
 * "cmdline", "stage3b", or "unknown" for PV_COMP__MAX and other values.
 */
const char *pv_comp_kind_name(enum pv_comp_kind kind);
/*
 * Tweak id of @kind in @layout (se-image-format.md §6.7): Layout-R kernel
 * 40, initrd 50, cmdline 60, stage3b 70; Layout-C 0, 2, 1, 3.  0xFFFF for
 * an invalid kind.
 */
uint16_t pv_comp_tweak_id(enum pv_layout layout, enum pv_comp_kind kind);
/*
 * Kind of a component from the id in its tweak prefix; @layout is set to
 * the layout that id belongs to.  Returns PV_COMP__MAX for unknown ids.
 */
enum pv_comp_kind pv_comp_kind_from_id(uint16_t id, enum pv_layout *layout);
/*
 * Short layout name as used by --layout and the JSON output: "r" for
 * Layout-R (pvimg), "c" for Layout-C (C genprotimg).
 */
const char *pv_layout_name(enum pv_layout layout);

/* ---- builder ------------------------------------------------------------ */

struct pv_builder;

enum pv_build_key {
	PV_KEY_HPK,	/* header protection key, 32 bytes (--hdr-key) */
	PV_KEY_XK,	/* image key, 64 bytes (--image-key) */
	PV_KEY_CCK,	/* customer communication key, 32 bytes (--cck) */
};

/* Everything the builder decided; filled by write and measure. */
struct pv_build_result {
	enum pv_layout layout;
	uint64_t file_size;
	uint64_t hdr_addr;
	uint32_t hdr_size;		/* phs */
	uint64_t ipib_addr;
	uint32_t ipib_len;		/* bytes of the IPIB in the file */
	uint64_t stage3a_parms_addr;
	uint64_t psw_addr;		/* SE header PSW address */
	uint64_t pcf, scf;
	uint64_t max_cmdline;		/* from the kernel, 0 if unread */
	size_t ncomps;
	struct pv_image_comp comps[PV_IMAGE_MAX_COMPS];
	uint64_t nep;
	uint8_t pld[PV_SHA512_LEN];
	uint8_t ald[PV_SHA512_LEN];
	uint8_t tld[PV_SHA512_LEN];
	bool have_tag;			/* header built (>= 1 host key) */
	uint8_t tag[PV_GCM_TAG_LEN];
};

/* New builder for @layout with default flags (PCF 0xE0, SCF 0). */
int pv_builder_new(enum pv_layout layout, struct pv_builder **out,
		   struct pv_err **err);
/* Free the builder; every key it holds is zeroized (NULL-safe). */
void pv_builder_free(struct pv_builder *b);

/*
 * Inputs: the kernel is required, initrd and cmdline are optional.  A path
 * is opened when writing; an fd is borrowed and read from its current
 * position (pipes work).  @name is used in messages.
 */
int pv_builder_set_input_path(struct pv_builder *b, enum pv_comp_kind kind,
			      const char *path, struct pv_err **err);
int pv_builder_set_input_fd(struct pv_builder *b, enum pv_comp_kind kind,
			    int fd, const char *name, struct pv_err **err);

/*
 * Add a host public key (borrowed: it must outlive the builder).  One key
 * slot per key, in call order; the 96th is refused with PV_ERR_RANGE.
 */
int pv_builder_add_host_key(struct pv_builder *b, const struct pv_eckey *hk,
			    struct pv_err **err);

/*
 * Host keys known only later, for example host-key documents still being
 * verified: @fn adds @count keys with pv_builder_add_host_key().  The next
 * pv_builder_write() calls it once, on a second thread while the
 * components stream (the header's size, which depends on @count, is fixed
 * before); an error of @fn ends the build early and is the one reported.
 * @fn must not call any other builder function.  @count: 1 to 95 with the
 * keys already added (PV_ERR_RANGE).
 */
typedef int (*pv_host_key_fn)(void *opaque, struct pv_builder *b,
			      struct pv_err **err);
int pv_builder_set_host_key_source(struct pv_builder *b, size_t count,
				   pv_host_key_fn fn, void *opaque,
				   struct pv_err **err);

/*
 * Use a caller-given key instead of a random one.  The bytes are copied
 * (and zeroized when the builder is freed); a wrong length is PV_ERR_KEY.
 */
int pv_builder_set_key(struct pv_builder *b, enum pv_build_key which,
		       const uint8_t *key, size_t len, struct pv_err **err);

/*
 * Random source (borrowed).  Without one the builder uses the system
 * CSPRNG; with a seeded pv_rng every random value comes from the seed under
 * these labels: "customer-key" (CK), "header-key" (HPK), "image-key" (XK),
 * "cck", "header-iv", "tweak/<id>" (6 bytes per component, id as decimal).
 */
void pv_builder_set_rng(struct pv_builder *b, struct pv_rng *rng);

/*
 * Whole plaintext and secret control flags (§5.3), replacing the defaults
 * (PCF 0xE0, SCF 0).  No bit is refused here; PCF bit 35 stores the
 * components unencrypted (only padded), the image key is still in the header.
 */
void pv_builder_set_flags(struct pv_builder *b, uint64_t pcf, uint64_t scf);
/*
 * SE-header PSW address, as pvimg's --x-psw (default: the stage3b address).
 * The kernel entry in the stage3b parameter block stays 0x10000.
 */
void pv_builder_set_psw_addr(struct pv_builder *b, uint64_t addr);
/*
 * pvimg's input checks (default on; off = --no-component-check): the
 * kernel is not ELF, has "S390EP" at 0x10008, and the command line with
 * its NUL fits the size at kernel offset 0x10430 (0 means 896).
 */
void pv_builder_set_component_check(struct pv_builder *b, bool on);
/*
 * Boot loaders (borrowed; required).  stage3a: 24 < len <= 1 MiB, its last
 * 24 bytes are the parameter block; stage3b_reloc: 64 < len <= chunk size,
 * its last 64 bytes are the stage3b parameter block.
 */
int pv_builder_set_loaders(struct pv_builder *b, const uint8_t *stage3a,
			   size_t stage3a_len, const uint8_t *stage3b,
			   size_t stage3b_len, struct pv_err **err);
/*
 * Progress callback, called after every chunk and on interrupted reads;
 * a non-zero return cancels the build (PV_ERR_STATE).  NULL: none.
 */
void pv_builder_set_progress(struct pv_builder *b, pv_progress_fn fn,
			     void *opaque);
/*
 * Chunk size of the pipeline (default PV_IMAGE_CHUNK): a multiple of 4096,
 * at least PV_IMAGE_CHUNK_MIN, at most 256 MiB.  Memory use is about three
 * chunks; the stage3b loader must fit one chunk.
 */
int pv_builder_set_chunk_size(struct pv_builder *b, size_t size,
			      struct pv_err **err);

/*
 * Name of the output in messages ("writing 'se.img' at 0x15000: File too
 * large"); the default is "the image".  The string is copied.
 */
int pv_builder_set_output_name(struct pv_builder *b, const char *name,
			       struct pv_err **err);

/*
 * Test hooks (se-image-format.md §9.7): a fixed customer key pair (borrowed,
 * must hold the private key) and a fixed header IV.
 */
void pv_builder_set_customer_key(struct pv_builder *b,
				 const struct pv_eckey *ck);
void pv_builder_set_header_iv(struct pv_builder *b,
			      const uint8_t iv[PV_GCM_IV_LEN]);

/*
 * Build the image and write it to @fd (a regular file opened for writing;
 * it is written with pwrite and truncated to the image size).  The
 * components stream through in chunks; the head (short PSW, metadata,
 * stage3a, SE header, Layout-C IPIB) and the Layout-R IPIB are written
 * last.  Two helper threads live while it runs: one computes the page
 * list digest, one the key slots (and calls the host-key source).  A
 * builder can be written once.
 */
int pv_builder_write(struct pv_builder *b, int fd,
		     struct pv_build_result *res, struct pv_err **err);

/*
 * Measurement: run the same pipeline without writing anything and return
 * PLD, ALD, TLD and nep, plus the header tag when host keys are set.  The
 * values equal those of pv_builder_write() only when every random input is
 * fixed: a seeded rng (tweaks, and XK/CCK/HPK/CK/IV unless given).
 */
int pv_image_measure(struct pv_builder *b, struct pv_build_result *res,
		     struct pv_err **err);

/* ---- reader ------------------------------------------------------------- */

struct pv_image;

/* What the reader found; pointers stay valid until pv_image_close(). */
struct pv_image_info {
	uint64_t file_size;
	enum pv_layout layout;
	bool has_meta;			/* Layout-R "SeImgLnx" block found */
	struct pv_meta meta;
	uint64_t short_psw;		/* BE u64 at offset 0 */
	uint64_t hdr_addr;
	const struct pv_sehdr *hdr;	/* NULL when the header is broken */
	const uint8_t *hdr_raw;		/* phs bytes as stored or NULL */
	size_t hdr_raw_len;
	const char *hdr_problem;	/* why hdr is NULL */
	bool has_ipib;			/* an IPIB location is known */
	uint64_t ipib_addr;
	const struct pv_ipib_pv *ipib;	/* NULL when it does not parse */
	const uint8_t *ipib_raw;	/* bytes read at ipib_addr */
	size_t ipib_raw_len;
	const char *ipib_problem;
	bool has_stage3a_parms;		/* found by the §2.5 search */
	uint64_t stage3a_parms_addr;
	struct pv_stage3a_parms stage3a_parms;
	size_t ncomps;
	const struct pv_image_comp *comps;	/* from the IPIB */
};

/*
 * Open an image (either layout).  Fails only when the file cannot be read
 * or holds neither metadata nor an SE header; a broken header or IPIB is
 * reported in the info (hdr_problem / ipib_problem) so that verify can name
 * it.  _fd borrows @fd (pread only); _mem borrows @buf for the lifetime of
 * the image.
 */
int pv_image_open(const char *path, struct pv_image **out,
		  struct pv_err **err);
int pv_image_open_fd(int fd, const char *name, struct pv_image **out,
		     struct pv_err **err);
int pv_image_open_mem(const uint8_t *buf, size_t len, struct pv_image **out,
		      struct pv_err **err);
/* Close the image and free what the reader holds (NULL-safe). */
void pv_image_close(struct pv_image *img);
/*
 * What the reader found; the pointers inside stay valid until
 * pv_image_close().  Holds no secrets: the header is still encrypted.
 */
const struct pv_image_info *pv_image_get_info(const struct pv_image *img);
/* Bounded read of @len bytes at @off; PV_ERR_TRUNC past the end. */
int pv_image_read(struct pv_image *img, uint64_t off, void *buf, size_t len,
		  struct pv_err **err);

/*
 * Recover the header protection key with a host private key, as the UV
 * does: find the slot by phkh, KEK = ECDH(host, CK), unwrap.  @slot gets
 * the slot index.  PV_ERR_NOKEYSLOT when no slot belongs to the key,
 * PV_ERR_AUTH when the slot does not open.  @hpk is a secret.
 */
int pv_image_unwrap_hpk(struct pv_image *img, const struct pv_eckey *host,
			uint8_t hpk[PV_HPK_LEN], int *slot,
			struct pv_err **err);
/* Authenticate and decrypt the header with @hpk (@secret is a secret). */
int pv_image_open_header(struct pv_image *img, const uint8_t hpk[PV_HPK_LEN],
			 struct pv_sehdr_secret *secret, struct pv_err **err);

/* ---- verifier ----------------------------------------------------------- */

enum pv_region {
	PV_REGION_NONE,
	PV_REGION_HEADER,	/* SE header */
	PV_REGION_METADATA,	/* Layout-R block at 0xC000 */
	PV_REGION_IPIB,
	PV_REGION_STAGE3A,	/* short PSW, stage3a and its parameters */
	PV_REGION_STAGE3B_ARGS,	/* stage3b parameter block */
	PV_REGION_COMPONENT,	/* a component page */
};
/* Region name as the verifier prints it, e.g. "SE header", "IPIB". */
const char *pv_region_name(enum pv_region region);

struct pv_verify_opts {
	const uint8_t *hpk;		/* header protection key, or */
	const struct pv_eckey *host_key;	/* host private key */
	/* Optional inputs by kind (kernel, initrd, cmdline) to compare. */
	const char *inputs[PV_COMP__MAX];
	/* Optional loaders the image is expected to carry. */
	const uint8_t *stage3a;
	size_t stage3a_len;
	const uint8_t *stage3b;
	size_t stage3b_len;
	/* The caller named the loaders: other loaders fail verification
	 * (otherwise they are only a note, as for images of IBM's tools). */
	bool loaders_required;
	pv_progress_fn progress;
	void *progress_opaque;
};

#define PV_VERIFY_MAX_NOTES 8

struct pv_verify_report {
	bool verified;
	enum pv_region region;		/* first failing region */
	int comp;			/* component index, -1 if none */
	enum pv_comp_kind kind;
	uint64_t page;			/* page index in the component */
	uint64_t addr;			/* address of that page */
	char what[512];			/* e.g. "component initrd page 3 ..." */
	int nnotes;			/* remarks that are not failures */
	char notes[PV_VERIFY_MAX_NOTES][256];
	int slot;			/* key slot used; -1 with an HPK */
	uint64_t nep;			/* recomputed from the file */
	uint8_t pld[PV_SHA512_LEN];
	uint8_t ald[PV_SHA512_LEN];
	uint8_t tld[PV_SHA512_LEN];
	bool have_stage3b;		/* stage3b parameters were found */
	struct pv_stage3b_parms stage3b;
};

/*
 * Offline check of a whole image (§6.9): opens the header with the HPK or
 * the host private key, checks metadata, IPIB, stage3a parameters,
 * recomputes PLD/ALD/TLD/nep, decrypts every component page, checks the
 * stage3b parameter block and, when given, compares the inputs and
 * loaders.  Returns 0 when the check ran (rep->verified tells the result,
 * rep->what names the first bad region) and a negative code for errors
 * that prevent checking (I/O, bad options).
 */
int pv_image_verify(struct pv_image *img, const struct pv_verify_opts *opts,
		    struct pv_verify_report *rep, struct pv_err **err);

#endif
