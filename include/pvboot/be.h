/* SPDX-License-Identifier: MIT */
/*
 * Big-endian accessors.  Every on-disk and guest-memory integer in pvboot is
 * big-endian (s390x); read and write them only through these helpers.
 */
#ifndef PVBOOT_BE_H
#define PVBOOT_BE_H

#include <stdint.h>

static inline uint16_t pv_get_be16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t pv_get_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t pv_get_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)pv_get_be32(b) << 32 | pv_get_be32(b + 4);
}

static inline void pv_put_be16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void pv_put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static inline void pv_put_be64(void *p, uint64_t v)
{
	uint8_t *b = p;

	pv_put_be32(b, (uint32_t)(v >> 32));
	pv_put_be32(b + 4, (uint32_t)v);
}

#define PV_PAGE_SIZE 4096ULL
#define PV_PAGE_MASK (PV_PAGE_SIZE - 1)

static inline uint64_t pv_page_align(uint64_t x)
{
	return (x + PV_PAGE_MASK) & ~PV_PAGE_MASK;
}

#endif
