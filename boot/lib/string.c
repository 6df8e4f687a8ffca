// SPDX-License-Identifier: MIT
/*
 * String and memory functions.  Large copies and fills use MOVE LONG
 * EXTENDED, which the CPU (or its emulation) processes a page at a time:
 * stage3b moves a whole kernel with it.
 */
#include "libboot.h"

/* Copy @dlen bytes: @slen bytes from @src, the rest filled with @pad. */
static inline void mvcle(void *dst, uint64_t dlen, const void *src,
			 uint64_t slen, uint8_t pad)
{
	register uint64_t r2 asm("2") = (uint64_t)dst;
	register uint64_t r3 asm("3") = dlen;
	register uint64_t r4 asm("4") = (uint64_t)src;
	register uint64_t r5 asm("5") = slen;

	/* cc 3: partial completion, the registers point at the rest. */
	asm volatile("0:	mvcle	%[d],%[s],0(%[pad])\n"
		     "	jo	0b\n"
		     : [d] "+d"(r2), "+d"(r3), [s] "+d"(r4), "+d"(r5)
		     : [pad] "a"((uint64_t)pad)
		     : "cc", "memory");
}

static inline void mvc256(uint8_t *dst, const uint8_t *src)
{
	asm volatile("mvc 0(256,%[d]),0(%[s])"
		     : : [d] "a"(dst), [s] "a"(src) : "memory");
}

void *memcpy(void *dst, const void *src, size_t n)
{
	mvcle(dst, n, src, n, 0);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s || d >= s + n) {
		/* Left to right is safe: no destructive overlap. */
		mvcle(dst, n, src, n, 0);
		return dst;
	}
	/* Destination above an overlapping source: copy from the end. */
	if ((size_t)(d - s) >= 256) {
		while (n >= 256) {
			n -= 256;
			mvc256(d + n, s + n);
		}
	}
	while (n) {
		n--;
		d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	mvcle(dst, n, NULL, 0, (uint8_t)c);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i];
		unsigned char y = (unsigned char)b[i];

		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}
