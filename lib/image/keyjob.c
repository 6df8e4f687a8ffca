// SPDX-License-Identifier: MIT
/*
 * The key job of a build (se-image-format.md §6.3-§6.5): the host keys of
 * a pv_builder_set_host_key_source() callback, the customer key and one key
 * slot per host key.  None of it depends on the components, so it runs on
 * a second thread, from the start of the build while the first thread sets
 * up the image key and the stream, and on while the stream runs: a
 * host-key document's X.509 parsing and chain verification, OpenSSL's
 * random generator set-up and the P-521 multiplications then cost no time
 * of their own.  Only the wrapping waits for the header protection key.
 */
#include <stdlib.h>
#include <string.h>

#include "image_priv.h"

/* §6.3-§6.5: everything the header's key slots need. */
static int make_slots(struct key_job *j, struct pv_err **err)
{
	struct pv_builder *b = j->b;
	int rc;

	if (b->hk_fn) {
		size_t want = b->nhks + b->hk_count;

		rc = b->hk_fn(b->hk_opaque, b, err);
		b->hk_fn = NULL;	/* the keys stay for a later run */
		if (rc)
			return rc;
		if (b->nhks != want)
			return pv_err_set(err, PV_ERR_STATE,
					  "the host-key source gave %zu keys, %zu were announced",
					  b->nhks - (want - b->hk_count),
					  b->hk_count);
	}
	if (b->ck_fixed) {
		j->ck = b->ck_fixed;
	} else {
		rc = pv_eckey_generate(j->rng, "customer-key", &j->ck_own,
				       err);
		if (rc)
			return rc;
		j->ck = j->ck_own;
	}
	/* the slots wrap the header protection key: wait until it exists */
	pthread_mutex_lock(&j->mu);
	while (!j->hpk_ready && !j->cancel)
		pthread_cond_wait(&j->cv, &j->mu);
	j->cancelled_early = !j->hpk_ready;
	pthread_mutex_unlock(&j->mu);
	if (j->cancelled_early)
		return pv_err_set(err, PV_ERR_STATE,
				  "the build failed before its keys were made");
	j->slots = calloc(b->nhks, sizeof(*j->slots));
	if (!j->slots)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for %zu key slots", b->nhks);
	for (size_t i = 0; i < b->nhks; i++) {
		/* §6.5: one slot per host key, in command-line order */
		rc = pv_keyslot_wrap(j->ck, b->hks[i], j->hpk, j->slots[i],
				     err);
		if (rc)
			return pv_err_prefix(err, "key slot %zu: ", i);
	}
	return 0;
}

static void *key_thread(void *arg)
{
	struct key_job *j = arg;

	j->rc = make_slots(j, &j->err);
	if (j->rc)
		__atomic_store_n(&j->failed, true, __ATOMIC_RELEASE);
	return NULL;
}

void key_job_start(struct key_job *j, struct pv_builder *b,
		   struct pv_rng *rng, const uint8_t *hpk)
{
	memset(j, 0, sizeof(*j));
	j->b = b;
	j->rng = rng;
	j->hpk = hpk;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	j->started = true;
	/* without a thread the job runs in key_job_finish() */
	j->threaded = pthread_create(&j->thr, NULL, key_thread, j) == 0;
}

static void open_gate(struct key_job *j, bool ready)
{
	if (!j->started)
		return;
	pthread_mutex_lock(&j->mu);
	if (ready)
		j->hpk_ready = true;
	else
		j->cancel = true;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

void key_job_hpk_ready(struct key_job *j)
{
	open_gate(j, true);
}

void key_job_cancel(struct key_job *j)
{
	open_gate(j, false);
}

bool key_job_failed(const struct key_job *j)
{
	return j->started && __atomic_load_n(&j->failed, __ATOMIC_ACQUIRE);
}

void key_job_wait(struct key_job *j)
{
	if (j->started && j->threaded) {
		pthread_join(j->thr, NULL);
		j->threaded = false;
		j->done = true;
	}
}

int key_job_finish(struct key_job *j, struct pv_err **err)
{
	if (!j->started)
		return 0;
	if (j->threaded) {
		key_job_wait(j);
	} else if (!j->done && !j->cancel) {
		key_thread(j);
	}
	j->done = true;
	if (j->err && err && !*err) {
		*err = j->err;
		j->err = NULL;
	}
	return j->rc;
}

void key_job_release(struct key_job *j)
{
	if (!j->started)
		return;
	key_job_cancel(j);
	if (j->threaded)
		pthread_join(j->thr, NULL);
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	pv_eckey_free(j->ck_own);
	free(j->slots);		/* wrapped keys only: public */
	pv_err_free(j->err);
	memset(j, 0, sizeof(*j));
}
