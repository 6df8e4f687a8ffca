// SPDX-License-Identifier: MIT
/*
 * Guest memory as the CPU and its firmware see it: logical addresses go
 * through DAT (when the PSW has it on) and prefixing to absolute addresses
 * in guest RAM.  The hypervisor never uses these (see hv_mem.c).
 */
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/uv.h"

#include "machine_priv.h"

/* Pointer to [abs, abs + len) in guest RAM, or NULL when it leaves RAM. */
uint8_t *mem_abs(struct pv_machine *m, uint64_t abs, uint64_t len)
{
	if (abs > m->ram_size || len > m->ram_size - abs)
		return NULL;
	return m->ram + abs;
}

/* Prefixing: real pages 0-1 and the prefix pages trade places. */
uint64_t mem_real_to_abs(struct pv_machine *m, uint64_t real)
{
	uint64_t p = m->cpu.prefix;

	if (real < LC_SIZE)
		return real + p;
	if (p && real >= p && real < p + LC_SIZE)
		return real - p;
	return real;
}

/*
 * Logical to absolute for one byte.  Returns 0 or the program-interruption
 * code of the failed access (DAT exceptions, 0x05 outside RAM).
 */
int mem_translate(struct pv_machine *m, uint64_t mask, uint64_t laddr,
		  bool write, uint64_t *abs)
{
	uint64_t real = addr_wrap(mask, laddr);
	int rc;

	if (mask & PSW_DAT) {
		rc = dat_translate(m, mask, real, write, &real);
		if (rc)
			return rc;
	}
	*abs = mem_real_to_abs(m, real);
	if (*abs >= m->ram_size)
		return PV_PGM_ADDRESSING;
	return 0;
}

typedef int (*page_fn)(uint8_t *ram, uint8_t *buf, uint64_t n);

static int copy_in(uint8_t *ram, uint8_t *buf, uint64_t n)
{
	memcpy(buf, ram, n);
	return 0;
}

static int copy_out(uint8_t *ram, uint8_t *buf, uint64_t n)
{
	memcpy(ram, buf, n);
	return 0;
}

/* Walk [laddr, laddr + len) page by page, translating each page. */
static int walk(struct pv_machine *m, uint64_t mask, uint64_t laddr,
		uint8_t *buf, uint64_t len, bool write, page_fn fn)
{
	while (len) {
		uint64_t abs, n = PV_PAGE_SIZE - (laddr & PV_PAGE_MASK);
		uint8_t *p;
		int rc;

		if (n > len)
			n = len;
		rc = mem_translate(m, mask, laddr, write, &abs);
		if (rc)
			return rc;
		p = mem_abs(m, abs, n);
		if (!p)
			return PV_PGM_ADDRESSING;
		fn(p, buf, n);
		buf += n;
		len -= n;
		laddr = addr_wrap(mask, laddr + n);
	}
	return 0;
}

int mem_read_logical(struct pv_machine *m, uint64_t mask, uint64_t laddr,
		     void *buf, uint64_t len)
{
	return walk(m, mask, laddr, buf, len, false, copy_in);
}

int mem_write_logical(struct pv_machine *m, uint64_t mask, uint64_t laddr,
		      const void *buf, uint64_t len)
{
	return walk(m, mask, laddr, (uint8_t *)buf, len, true, copy_out);
}

/* Real addresses: prefixing only (interrupt PSWs, SCCB, lowcore). */
int mem_read_real(struct pv_machine *m, uint64_t real, void *buf,
		  uint64_t len)
{
	return walk(m, PSW_MASK_64, real, buf, len, false, copy_in);
}

int mem_write_real(struct pv_machine *m, uint64_t real, const void *buf,
		   uint64_t len)
{
	return walk(m, PSW_MASK_64, real, (uint8_t *)buf, len, true,
		    copy_out);
}
