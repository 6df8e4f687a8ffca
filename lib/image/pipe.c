// SPDX-License-Identifier: MIT
/*
 * Two-thread pipeline for the image streams: the caller reads, encrypts
 * and writes chunks while a worker thread feeds the same chunks into the
 * page list digest (SHA-512 is the slowest step, se-image-format.md §6.8).
 * Chunks rotate through a small ring, so memory use is NBUF chunks
 * whatever the image size, and no data is copied.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "image_priv.h"

#define NBUF 3
#define POPULATE_MAX (4UL << 20)

struct pv_pipe {
	struct pv_digests *dig;
	size_t chunk;
	uint8_t *ring;		/* NBUF chunks, one mapping */
	uint8_t *bufs[NBUF];
	size_t lens[NBUF];
	size_t wipe[NBUF];	/* bytes that may hold plaintext */
	bool open[NBUF];	/* handed out and not yet submitted */
	uint64_t submitted;	/* chunks handed to the worker */
	uint64_t hashed;	/* chunks the worker is done with */
	bool stop;
	bool threaded;
	bool joined;
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int rc;			/* first worker failure */
	struct pv_err *werr;
};

static void *worker(void *arg)
{
	struct pv_pipe *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		unsigned int idx;
		int rc = 0;

		while (p->hashed == p->submitted && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->hashed == p->submitted)
			break;
		idx = (unsigned int)(p->hashed % NBUF);
		pthread_mutex_unlock(&p->mu);
		/* After a failure keep consuming so the producer never waits
		 * forever; the error is reported at the next get/finish. */
		if (!p->rc)
			rc = pv_digests_add_pld(p->dig, p->bufs[idx],
						p->lens[idx], &p->werr);
		pthread_mutex_lock(&p->mu);
		if (rc && !p->rc)
			p->rc = rc;
		p->hashed++;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int pipe_new(struct pv_digests *dig, size_t chunk, struct pv_pipe **out,
	     struct pv_err **err)
{
	struct pv_pipe *p;
	int flags;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory for the pipeline");
	p->dig = dig;
	p->chunk = chunk;
	p->joined = true;	/* no worker yet */
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	/*
	 * One populated mapping: the kernel fills in all pages at once, which
	 * costs far less than a page fault on each first touch (most of all
	 * in a virtual machine), and the ring is used whole by any image of a
	 * few MiB.  Huge chunks (pv_builder_set_chunk_size) fill on demand.
	 */
	flags = MAP_PRIVATE | MAP_ANONYMOUS;
	if (NBUF * chunk <= POPULATE_MAX)
		flags |= MAP_POPULATE;
	p->ring = mmap(NULL, NBUF * chunk, PROT_READ | PROT_WRITE, flags, -1,
		       0);
	if (p->ring == MAP_FAILED) {
		p->ring = NULL;
		pipe_free(p);
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for %d chunks of %zu bytes",
				  NBUF, chunk);
	}
	for (int i = 0; i < NBUF; i++)
		p->bufs[i] = p->ring + (size_t)i * chunk;
	/* Without a second thread the digest runs inline (same results). */
	p->threaded = pthread_create(&p->thr, NULL, worker, p) == 0;
	p->joined = !p->threaded;
	*out = p;
	return 0;
}

static int worker_error(struct pv_pipe *p, struct pv_err **err)
{
	if (p->werr && err && !*err) {
		*err = p->werr;
		p->werr = NULL;
	}
	return p->rc;
}

int pipe_get(struct pv_pipe *p, uint8_t **out, struct pv_err **err)
{
	uint8_t *buf;
	int rc;

	pthread_mutex_lock(&p->mu);
	while (p->submitted - p->hashed >= NBUF)
		pthread_cond_wait(&p->cv, &p->mu);
	rc = p->rc;
	buf = p->bufs[p->submitted % NBUF];
	p->open[p->submitted % NBUF] = true;
	pthread_mutex_unlock(&p->mu);
	*out = NULL;
	if (rc)
		return worker_error(p, err);
	*out = buf;
	return 0;
}

int pipe_submit(struct pv_pipe *p, size_t len, struct pv_err **err)
{
	unsigned int idx;
	int rc;

	if (len > p->chunk)
		return pv_err_set(err, PV_ERR_INTERNAL,
				  "chunk of %zu bytes exceeds %zu", len,
				  p->chunk);
	pthread_mutex_lock(&p->mu);
	idx = (unsigned int)(p->submitted % NBUF);
	p->lens[idx] = len;
	p->open[idx] = false;
	if (len > p->wipe[idx])
		p->wipe[idx] = len;
	if (p->threaded) {
		p->submitted++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		return 0;
	}
	pthread_mutex_unlock(&p->mu);
	rc = p->rc ? p->rc :
		     pv_digests_add_pld(p->dig, p->bufs[idx], len, &p->werr);
	if (rc && !p->rc)
		p->rc = rc;
	p->submitted++;
	p->hashed++;
	return rc ? worker_error(p, err) : 0;
}

int pipe_finish(struct pv_pipe *p, struct pv_err **err)
{
	if (!p->joined) {
		pthread_mutex_lock(&p->mu);
		p->stop = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->thr, NULL);
		p->joined = true;
	}
	return worker_error(p, err);
}

uint8_t *pipe_scratch(struct pv_pipe *p, size_t len)
{
	if (!p || !p->joined || len > p->chunk)
		return NULL;
	memset(p->bufs[0], 0, len);
	return p->bufs[0];
}

void pipe_free(struct pv_pipe *p)
{
	if (!p)
		return;
	if (!p->joined)
		pipe_finish(p, NULL);
	for (int i = 0; i < NBUF; i++) {
		/*
		 * Chunks held plaintext of secure components, but never more
		 * than the longest chunk submitted from them (a small image
		 * touches a few pages of each); a chunk handed out and not
		 * submitted (an error) may be full.  explicit_bzero() runs at
		 * memset speed, some ten times OPENSSL_cleanse()'s here.
		 */
		size_t n = p->open[i] ? p->chunk : p->wipe[i];

		if (p->bufs[i] && n)
			explicit_bzero(p->bufs[i], n);
	}
	if (p->ring)
		munmap(p->ring, NBUF * p->chunk);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	pv_err_free(p->werr);
	free(p);
}
