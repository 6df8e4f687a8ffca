/* SPDX-License-Identifier: MIT */
/* Internal interfaces of lib/image (not installed). */
#ifndef PVBOOT_IMAGE_PRIV_H
#define PVBOOT_IMAGE_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pvboot/be.h"
#include "pvboot/image.h"

#define PV_INPUT_KINDS 3	/* kernel, initrd, cmdline */

struct build_input {
	bool set;
	char *path;		/* owned; NULL when an fd was given */
	int fd;			/* borrowed when path == NULL */
	char *name;		/* owned, for messages */
};

struct pv_builder {
	enum pv_layout layout;
	struct build_input in[PV_INPUT_KINDS];
	const struct pv_eckey *hks[PV_SEHDR_MAX_KEYSLOTS];
	size_t nhks;
	uint8_t hpk[PV_HPK_LEN];
	uint8_t xk[PV_XK_LEN];
	uint8_t cck[PV_CCK_LEN];
	bool have_hpk, have_xk, have_cck;
	struct pv_rng *rng;		/* borrowed */
	uint64_t pcf, scf;
	bool psw_set;
	uint64_t psw_addr;
	bool check;
	const uint8_t *s3a, *s3b;	/* borrowed loaders */
	size_t s3a_len, s3b_len;
	pv_progress_fn progress;
	void *progress_opaque;
	size_t chunk;
	const struct pv_eckey *ck_fixed;
	bool have_iv;
	uint8_t iv[PV_GCM_IV_LEN];
	bool used;
	char *out_name;		/* owned, for messages; NULL: "the image" */
	pv_host_key_fn hk_fn;	/* host keys still to come, or NULL */
	void *hk_opaque;
	size_t hk_count;	/* how many hk_fn adds */
};

/* Addresses fixed before the components are streamed (§2.2, §2.3). */
struct image_plan {
	enum pv_layout layout;
	uint64_t s3a_len;
	uint64_t parms_addr;	/* P = 0x10000 + S - 24 */
	uint64_t hdr_addr;	/* H */
	uint32_t phs;
	uint64_t ipib_addr;	/* Layout-C only; Layout-R after stage3b */
	uint64_t comp0;		/* C0 */
};

int image_plan_head(enum pv_layout layout, size_t s3a_len, size_t nks,
		    struct image_plan *plan, struct pv_err **err);

/*
 * Two-thread pipeline: the caller fills chunks (read, encrypt, ALD/TLD,
 * write) while a worker feeds them into the PLD.  NBUF chunks rotate; a
 * chunk handed to pipe_submit() may still be read by the caller (e.g. to
 * write it) until the next pipe_get() of the same slot.
 */
struct pv_pipe;
int pipe_new(struct pv_digests *dig, size_t chunk, struct pv_pipe **out,
	     struct pv_err **err);
/* Next free chunk (waits for the worker); fails after a worker failure. */
int pipe_get(struct pv_pipe *p, uint8_t **buf, struct pv_err **err);
int pipe_submit(struct pv_pipe *p, size_t len, struct pv_err **err);
/* Wait until every submitted chunk is hashed; returns the worker's rc. */
int pipe_finish(struct pv_pipe *p, struct pv_err **err);
void pipe_free(struct pv_pipe *p);	/* finishes first if needed */
/*
 * After pipe_finish(): @len zeroed bytes of the ring's memory, already
 * faulted in (NULL when @len exceeds a chunk); valid until pipe_free().
 */
uint8_t *pipe_scratch(struct pv_pipe *p, size_t len);

/*
 * Read up to @len bytes, looping over short reads; returns the count (less
 * than @len only at end of file) or a negative code.  EINTR consults
 * @cancel (may be NULL), so a signal stops a read from a slow pipe.
 */
typedef bool (*cancel_fn)(void *opaque);
ssize_t read_full(int fd, void *buf, size_t len, const char *name,
		  cancel_fn cancel, void *opaque, struct pv_err **err);
int pwrite_full(int fd, const void *buf, size_t len, uint64_t off,
		const char *name, struct pv_err **err);

/*
 * The key job (keyjob.c): host keys from the source, customer key and key
 * slots, on a second thread from key_job_start() to key_job_finish().
 * Without a thread, key_job_finish() does the work itself.
 */
struct key_job {
	struct pv_builder *b;
	struct pv_rng *rng;		/* borrowed */
	const uint8_t *hpk;		/* borrowed */
	struct pv_eckey *ck_own;
	const struct pv_eckey *ck;	/* the customer key */
	uint8_t (*slots)[PV_KEYSLOT_LEN];	/* one per host key */
	int rc;
	struct pv_err *err;
	bool failed;			/* rc is final and non-zero (atomic) */
	bool started, threaded, done;
	pthread_t thr;
	pthread_mutex_t mu;		/* guards the two gate flags */
	pthread_cond_t cv;
	bool hpk_ready, cancel;
	bool cancelled_early;		/* stopped at the gate, no error */
};
/* Start the job; the key slots wait for key_job_hpk_ready(). */
void key_job_start(struct key_job *j, struct pv_builder *b,
		   struct pv_rng *rng, const uint8_t *hpk);
void key_job_hpk_ready(struct key_job *j);	/* *hpk is set */
void key_job_cancel(struct key_job *j);	/* the HPK never comes */
/* True once the job has failed: the stream can stop early. */
bool key_job_failed(const struct key_job *j);
/* Wait until the job's thread has ended (its result stays for finish). */
void key_job_wait(struct key_job *j);
/* Wait for the job; its rc, its error moved to @err (if none is set). */
int key_job_finish(struct key_job *j, struct pv_err **err);
void key_job_release(struct key_job *j);	/* waits if needed */

/* Kernel facts of the first chunk (pvimg's component checks, §8.2). */
struct kernel_facts {
	bool is_elf;
	bool has_s390ep;
	bool has_max_cmdline;
	uint64_t max_cmdline;	/* 0 at 0x10430 already mapped to 896 */
};
void kernel_inspect(const uint8_t *buf, size_t len, struct kernel_facts *kf);

#endif
