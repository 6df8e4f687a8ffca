// SPDX-License-Identifier: MIT
/*
 * Optional worker thread for the PLD (se-image-format.md §6.8).  The PLD is
 * one sequential SHA-512 over every page and the slowest step of an unpack;
 * with a worker the caller copies each page into a ring and goes on (the UV
 * decrypts the page meanwhile), and SHA-512 runs on another CPU.  The ring
 * holds data as stored in the image, i.e. ciphertext: nothing secret.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "digest_int.h"

#define RING_SIZE (1024 * 1024)
#define BATCH (256 * 1024)	/* most bytes hashed before reporting room */

struct digest_worker {
	EVP_MD_CTX *pld;
	uint8_t *ring;
	uint64_t head;		/* bytes queued (producer) */
	uint64_t tail;		/* bytes hashed (worker) */
	bool stop;
	bool idle;		/* worker waits for data */
	bool full;		/* producer waits for room */
	bool failed;
	bool running;
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv_data;
	pthread_cond_t cv_room;
};

static void *worker_main(void *arg)
{
	struct digest_worker *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		uint64_t t = w->tail, n;
		size_t off;
		bool bad;

		if (w->head == t) {
			if (w->stop)
				break;
			w->idle = true;
			pthread_cond_wait(&w->cv_data, &w->mu);
			w->idle = false;
			continue;
		}
		/* one contiguous piece of the ring, at most BATCH bytes */
		off = (size_t)(t % RING_SIZE);
		n = w->head - t;
		if (n > RING_SIZE - off)
			n = RING_SIZE - off;
		if (n > BATCH)
			n = BATCH;
		bad = w->failed;
		pthread_mutex_unlock(&w->mu);
		/* after a failure keep draining: the producer must not hang */
		if (!bad)
			bad = EVP_DigestUpdate(w->pld, w->ring + off, n) != 1;
		pthread_mutex_lock(&w->mu);
		w->failed = bad;
		w->tail = t + n;
		if (w->full)
			pthread_cond_signal(&w->cv_room);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int pv_digests_use_worker(struct pv_digests *d, struct pv_err **err)
{
	struct digest_worker *w;

	if (d->w)
		return 0;
	if (d->done)
		return pv_err_set(err, PV_ERR_STATE,
				  "PLD worker requested after the digests were finalised");
	/* With one CPU a second thread only adds the copies. */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for the PLD worker");
	/* populated at once: far cheaper than a fault per page in use */
	w->ring = mmap(NULL, RING_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (w->ring == MAP_FAILED) {
		free(w);
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for the PLD ring (%d bytes)",
				  RING_SIZE);
	}
	w->pld = d->pld;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv_data, NULL);
	pthread_cond_init(&w->cv_room, NULL);
	if (pthread_create(&w->thr, NULL, worker_main, w)) {
		/* no thread: stay synchronous, same results */
		digest_worker_free(w);
		return 0;
	}
	w->running = true;
	d->w = w;
	return 0;
}

int digest_worker_add(struct pv_digests *d, const uint8_t *data, size_t len,
		      struct pv_err **err)
{
	struct digest_worker *w = d->w;
	bool failed;

	while (len) {
		uint64_t h;
		size_t off, n;

		pthread_mutex_lock(&w->mu);
		while (w->head - w->tail == RING_SIZE) {
			w->full = true;
			pthread_cond_wait(&w->cv_room, &w->mu);
			w->full = false;
		}
		h = w->head;
		n = (size_t)(RING_SIZE - (h - w->tail));
		pthread_mutex_unlock(&w->mu);
		/* the worker does not read [head, tail + RING_SIZE) */
		off = (size_t)(h % RING_SIZE);
		if (n > RING_SIZE - off)
			n = RING_SIZE - off;
		if (n > len)
			n = len;
		memcpy(w->ring + off, data, n);
		pthread_mutex_lock(&w->mu);
		w->head = h + n;
		/*
		 * An idle worker is woken for a whole batch only: a wake-up
		 * per page made the scheduler put both threads on one CPU
		 * (it moves the woken thread next to its waker), which
		 * halved the rate.  stop_thread() wakes it for the rest.
		 */
		if (w->idle && w->head - w->tail >= BATCH)
			pthread_cond_signal(&w->cv_data);
		failed = w->failed;
		pthread_mutex_unlock(&w->mu);
		if (failed)
			return pv_err_ssl(err, "PLD update failed");
		data += n;
		len -= n;
	}
	return 0;
}

static void stop_thread(struct digest_worker *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv_data);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thr, NULL);
	w->running = false;
}

int digest_worker_finish(struct pv_digests *d, struct pv_err **err)
{
	struct digest_worker *w = d->w;
	bool failed;

	stop_thread(w);		/* it drains the ring, then ends */
	failed = w->failed;
	digest_worker_free(w);
	d->w = NULL;
	if (failed)
		return pv_err_ssl(err, "PLD update failed");
	return 0;
}

void digest_worker_free(struct digest_worker *w)
{
	if (!w)
		return;
	stop_thread(w);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv_data);
	pthread_cond_destroy(&w->cv_room);
	munmap(w->ring, RING_SIZE);
	free(w);
}
