/* SPDX-License-Identifier: MIT */
/*
 * Allocation tracker for test_zeroize.c: every heap block of the process
 * (libpvboot, libcrypto, libc) is recorded with its size, and when a block
 * is freed its bytes are searched for the test's known secrets.  A hit is
 * a secret that reached free() without being zeroized.
 *
 * Plain builds replace malloc/free/calloc/realloc/memalign & co. (glibc
 * supports replacing them in the executable; the real allocator is reached
 * through __libc_malloc and friends).  Under AddressSanitizer, which owns
 * those symbols, the sanitizer's allocation hooks do the same job: the free
 * hook runs before the block is released.
 *
 * A "secret" is any 16 consecutive bytes of a registered value, in the
 * byte order given or reversed (OpenSSL keeps big numbers as little-endian
 * words).  Only this header may be included, by one test file.
 */
#ifndef PVBOOT_TEST_ZEROIZE_ALLOC_H
#define PVBOOT_TEST_ZEROIZE_ALLOC_H

#include <execinfo.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define ZA_WINDOW 16		/* bytes that make a match */
#define ZA_MAX_SECRETS 32
#define ZA_MAX_SECRET_LEN 96
#define ZA_INDEX 4096		/* 8-byte prefixes of all windows */
#define ZA_BLOCKS (1U << 18)	/* live blocks tracked */
#define ZA_MAX_FINDINGS 32
#define ZA_FRAMES 14

struct za_secret {
	const char *name;
	uint8_t v[ZA_MAX_SECRET_LEN];
	size_t len;
};

struct za_finding {
	int secret;
	bool reversed;
	bool live;		/* still allocated at the end of a scenario */
	size_t at;		/* window start inside the secret */
	size_t block;		/* block size */
	int nframes;
	void *frames[ZA_FRAMES];
};

struct za_block {
	uintptr_t p;		/* 0: empty */
	size_t size;
	unsigned int gen;
};

struct za_index_ent {
	uint64_t key;
	uint16_t secret;	/* + 1; 0: empty */
	uint16_t at;
	bool reversed;
};

static struct {
	pthread_mutex_t lock;
	bool armed;
	unsigned int gen;
	size_t nsecrets;
	struct za_secret secrets[ZA_MAX_SECRETS];
	struct za_index_ent index[ZA_INDEX];
	struct za_block blocks[ZA_BLOCKS];
	size_t nblocks;
	bool overflow;
	size_t nfindings;	/* all, including unrecorded ones */
	struct za_finding findings[ZA_MAX_FINDINGS];
	uint64_t frees_scanned, bytes_scanned;
} za = { .lock = PTHREAD_MUTEX_INITIALIZER };

static inline size_t za_hash(uint64_t x, size_t mask)
{
	return (size_t)((x * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
}

static inline uint64_t za_load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* ---- live-block table (linear probing, backward-shift deletion) ------ */

static void za_track(void *p, size_t size)
{
	size_t i;

	if (!p)
		return;
	pthread_mutex_lock(&za.lock);
	if (za.nblocks >= ZA_BLOCKS * 3 / 4) {
		za.overflow = true;
		pthread_mutex_unlock(&za.lock);
		return;
	}
	i = za_hash((uintptr_t)p, ZA_BLOCKS - 1);
	while (za.blocks[i].p && za.blocks[i].p != (uintptr_t)p)
		i = (i + 1) & (ZA_BLOCKS - 1);
	if (!za.blocks[i].p)
		za.nblocks++;
	za.blocks[i].p = (uintptr_t)p;
	za.blocks[i].size = size;
	za.blocks[i].gen = za.gen;
	pthread_mutex_unlock(&za.lock);
}

/* Remove @p; returns its size, or (size_t)-1 when it was not tracked. */
static size_t za_untrack(const void *p)
{
	size_t i, j, size;

	pthread_mutex_lock(&za.lock);
	i = za_hash((uintptr_t)p, ZA_BLOCKS - 1);
	while (za.blocks[i].p && za.blocks[i].p != (uintptr_t)p)
		i = (i + 1) & (ZA_BLOCKS - 1);
	if (!za.blocks[i].p) {
		pthread_mutex_unlock(&za.lock);
		return (size_t)-1;
	}
	size = za.blocks[i].size;
	za.blocks[i].p = 0;
	za.nblocks--;
	/* shift later members of the cluster back into the hole */
	for (j = (i + 1) & (ZA_BLOCKS - 1); za.blocks[j].p;
	     j = (j + 1) & (ZA_BLOCKS - 1)) {
		size_t home = za_hash(za.blocks[j].p, ZA_BLOCKS - 1);

		if (((j - home) & (ZA_BLOCKS - 1)) >=
		    ((j - i) & (ZA_BLOCKS - 1))) {
			za.blocks[i] = za.blocks[j];
			za.blocks[j].p = 0;
			i = j;
		}
	}
	pthread_mutex_unlock(&za.lock);
	return size;
}

/* ---- secret search ----------------------------------------------------- */

static void za_window(const struct za_secret *s, bool rev, size_t at,
		      uint8_t out[ZA_WINDOW])
{
	for (size_t k = 0; k < ZA_WINDOW; k++)
		out[k] = rev ? s->v[s->len - 1 - (at + k)] : s->v[at + k];
}

static void za_record(int secret, bool rev, size_t at, size_t block,
		      bool live)
{
	struct za_finding *f;
	size_t n = __atomic_fetch_add(&za.nfindings, 1, __ATOMIC_SEQ_CST);

	if (n >= ZA_MAX_FINDINGS)
		return;
	f = &za.findings[n];
	f->secret = secret;
	f->reversed = rev;
	f->at = at;
	f->block = block;
	f->live = live;
	/* backtrace() was warmed up by za_arm(), so it does not allocate */
	f->nframes = live ? 0 : backtrace(f->frames, ZA_FRAMES);
}

/* Search @len bytes at @p; records at most one finding per block. */
static bool za_scan(const uint8_t *p, size_t len, bool live)
{
	uint8_t w[ZA_WINDOW];

	if (!za.armed || len < ZA_WINDOW)
		return false;
	__atomic_fetch_add(&za.frees_scanned, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&za.bytes_scanned, len, __ATOMIC_RELAXED);
	for (size_t i = 0; i + ZA_WINDOW <= len; i++) {
		uint64_t key = za_load64(p + i);
		size_t h = za_hash(key, ZA_INDEX - 1);

		for (; za.index[h].secret; h = (h + 1) & (ZA_INDEX - 1)) {
			const struct za_index_ent *e = &za.index[h];

			if (e->key != key)
				continue;
			za_window(&za.secrets[e->secret - 1], e->reversed,
				  e->at, w);
			if (!memcmp(p + i, w, ZA_WINDOW)) {
				za_record(e->secret - 1, e->reversed, e->at,
					  len, live);
				return true;
			}
		}
	}
	return false;
}

/*
 * Register a secret (call before arming).  Windows that are all one byte
 * value are left out: they say nothing about where the bytes came from.
 */
static void za_add_secret(const char *name, const void *v, size_t len)
{
	struct za_secret *s = &za.secrets[za.nsecrets];
	uint8_t w[ZA_WINDOW];

	if (za.nsecrets == ZA_MAX_SECRETS || len > ZA_MAX_SECRET_LEN ||
	    len < ZA_WINDOW)
		abort();
	s->name = name;
	memcpy(s->v, v, len);
	s->len = len;
	za.nsecrets++;
	for (int rev = 0; rev < 2; rev++) {
		for (size_t at = 0; at + ZA_WINDOW <= len; at++) {
			uint64_t key;
			size_t h;

			za_window(s, rev, at, w);
			if (!memcmp(w, w + 1, ZA_WINDOW - 1))
				continue;
			key = za_load64(w);
			h = za_hash(key, ZA_INDEX - 1);
			while (za.index[h].secret)
				h = (h + 1) & (ZA_INDEX - 1);
			za.index[h].key = key;
			za.index[h].secret = (uint16_t)za.nsecrets;
			za.index[h].at = (uint16_t)at;
			za.index[h].reversed = rev;
		}
	}
}

/* Start watching; findings and the scenario generation are reset. */
static void za_arm(void)
{
	void *frames[2];

	backtrace(frames, 2);
	pthread_mutex_lock(&za.lock);
	za.gen++;
	za.nfindings = 0;
	za.armed = true;
	pthread_mutex_unlock(&za.lock);
}

static void za_disarm(void)
{
	za.armed = false;
}

/*
 * Blocks allocated since za_arm() that are still live and hold a secret:
 * the scenario freed everything it made, so these are leaks of secrets.
 */
static void za_scan_live(void)
{
	unsigned int gen = za.gen;

	for (size_t i = 0; i < ZA_BLOCKS; i++) {
		struct za_block b = za.blocks[i];

		if (b.p && b.gen == gen)
			za_scan((const uint8_t *)b.p, b.size, true);
	}
}

/* Write the findings to stderr (no allocation). */
static void za_dump(void)
{
	char line[256];
	size_t n = za.nfindings < ZA_MAX_FINDINGS ? za.nfindings :
						    ZA_MAX_FINDINGS;

	for (size_t i = 0; i < n; i++) {
		const struct za_finding *f = &za.findings[i];
		int len = snprintf(line, sizeof(line),
				   "zeroize: %s bytes %zu..%zu%s %s a %zu-byte block\n",
				   za.secrets[f->secret].name, f->at,
				   f->at + ZA_WINDOW - 1,
				   f->reversed ? " (byte-reversed)" : "",
				   f->live ? "still live in" : "freed in",
				   f->block);

		if (write(2, line, (size_t)len) < 0)
			return;
		backtrace_symbols_fd((void *const *)f->frames, f->nframes, 2);
	}
}

/* ---- the allocator hooks ---------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)

int __sanitizer_install_malloc_and_free_hooks(
	void (*malloc_hook)(const volatile void *, size_t),
	void (*free_hook)(const volatile void *));
size_t __sanitizer_get_allocated_size(const volatile void *p);

static void za_malloc_hook(const volatile void *p, size_t size)
{
	za_track((void *)p, size);
}

static void za_free_hook(const volatile void *p)
{
	size_t size = za_untrack((const void *)p);

	if (size == (size_t)-1)
		size = __sanitizer_get_allocated_size(p);
	za_scan((const uint8_t *)p, size, false);
}

static void __attribute__((constructor)) za_install(void)
{
	__sanitizer_install_malloc_and_free_hooks(za_malloc_hook,
						  za_free_hook);
}

#else

void *__libc_malloc(size_t size);
void __libc_free(void *p);
void *__libc_calloc(size_t n, size_t size);
void *__libc_memalign(size_t align, size_t size);

void *malloc(size_t size)
{
	void *p = __libc_malloc(size);

	za_track(p, size);
	return p;
}

void free(void *p)
{
	size_t size;

	if (!p)
		return;
	size = za_untrack(p);
	if (size == (size_t)-1)
		size = malloc_usable_size(p);
	za_scan(p, size, false);
	__libc_free(p);
}

void *calloc(size_t n, size_t size)
{
	void *p = __libc_calloc(n, size);

	za_track(p, n * size);
	return p;
}

/* Always move, so the old block passes through free() and is searched. */
void *realloc(void *old, size_t size)
{
	size_t old_size;
	void *p;

	if (!old)
		return malloc(size);
	if (!size) {
		free(old);
		return NULL;
	}
	p = malloc(size);
	if (!p)
		return NULL;
	pthread_mutex_lock(&za.lock);
	old_size = 0;
	for (size_t i = za_hash((uintptr_t)old, ZA_BLOCKS - 1);
	     za.blocks[i].p; i = (i + 1) & (ZA_BLOCKS - 1)) {
		if (za.blocks[i].p == (uintptr_t)old) {
			old_size = za.blocks[i].size;
			break;
		}
	}
	pthread_mutex_unlock(&za.lock);
	if (!old_size)
		old_size = malloc_usable_size(old);
	memcpy(p, old, old_size < size ? old_size : size);
	free(old);
	return p;
}

void *reallocarray(void *old, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return realloc(old, n * size);
}

void *memalign(size_t align, size_t size)
{
	void *p = __libc_memalign(align, size);

	za_track(p, size);
	return p;
}

void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return 22;	/* EINVAL */
	p = memalign(align, size);
	if (!p)
		return 12;	/* ENOMEM */
	*out = p;
	return 0;
}

void *valloc(size_t size)
{
	return memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

void *pvalloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return memalign(page, (size + page - 1) & ~(page - 1));
}

#endif

#endif
