// SPDX-License-Identifier: MIT
/*
 * STORE SYSTEM INFORMATION, levels 1-3, in the layouts QEMU's TCG
 * helper stores (SysIB 1.1.1, 1.2.1, 1.2.2, 2.2.1, 2.2.2, 3.2.2).  Level 3
 * names the control program "KVM/Linux", which is how a Linux guest
 * recognises a KVM hypervisor (and then uses DIAG 0x9c, not z/VM's
 * DIAGs).  Function code 0 answers the current level (3) in GR0; a
 * function code above 3 is cc 3 with no other check; reserved bits in
 * GR0 or GR1 and an unaligned block are specification exceptions.
 */
#include <string.h>

#include "pvboot/be.h"

#include "machine_priv.h"

#define FC_MASK 0xf0000000ULL
#define FC_CURRENT 0
#define FC_LEVEL_1 0x10000000ULL
#define FC_LEVEL_2 0x20000000ULL
#define FC_LEVEL_3 0x30000000ULL
#define R0_RESERVED 0x0fffff00ULL
#define R1_RESERVED 0xffff0000ULL

/* ASCII to EBCDIC (code page 037) for the characters the blocks use. */
static uint8_t ebcdic(char c)
{
	if (c >= '0' && c <= '9')
		return (uint8_t)(0xf0 + c - '0');
	if (c >= 'A' && c <= 'I')
		return (uint8_t)(0xc1 + c - 'A');
	if (c >= 'J' && c <= 'R')
		return (uint8_t)(0xd1 + c - 'J');
	if (c >= 'S' && c <= 'Z')
		return (uint8_t)(0xe2 + c - 'S');
	if (c >= 'a' && c <= 'i')
		return (uint8_t)(0x81 + c - 'a');
	if (c >= 'j' && c <= 'r')
		return (uint8_t)(0x91 + c - 'j');
	if (c >= 's' && c <= 'z')
		return (uint8_t)(0xa2 + c - 's');
	if (c == '/')
		return 0x61;
	return 0x40;	/* blank */
}

/* @s, blank-padded to @n bytes, in EBCDIC. */
static void put_ebcdic(uint8_t *p, const char *s, size_t n)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < n; i++)
		p[i] = ebcdic(i < len ? s[i] : ' ');
}

static void put_cpus(uint8_t *p, unsigned int n)
{
	pv_put_be16(p, (uint16_t)n);		/* total */
	pv_put_be16(p + 2, (uint16_t)n);	/* configured */
}

/* Fill @b for (fc, sel1, sel2); returns 0, or 3 for an unknown block. */
static uint32_t fill(struct vcpu *v, uint64_t fc, unsigned int sel1,
		     unsigned int sel2, uint8_t *b)
{
	unsigned int n = v->m->ncpus;

	if (fc == FC_LEVEL_1 && sel1 == 1 && sel2 == 1) {
		put_ebcdic(b + 32, "PVBOOT", 16);	/* manufacturer */
		put_ebcdic(b + 48, "3906", 4);		/* type (STIDP) */
		put_ebcdic(b + 64, "PVBOOT", 16);	/* model */
		put_ebcdic(b + 80, "PVBOOT", 16);	/* sequence */
		put_ebcdic(b + 96, "PVBT", 4);		/* plant */
	} else if (fc == FC_LEVEL_1 && sel1 == 2 && sel2 == 1) {
		put_ebcdic(b + 80, "PVBOOT", 16);
		put_ebcdic(b + 96, "PVBT", 4);
		pv_put_be16(b + 102, (uint16_t)v->id);
	} else if (fc == FC_LEVEL_1 && sel1 == 2 && sel2 == 2) {
		pv_put_be32(b + 32, 0x443afc29);	/* capability */
		put_cpus(b + 36, n);
	} else if (fc == FC_LEVEL_2 && sel1 == 2 && sel2 == 1) {
		put_ebcdic(b + 80, "PVBOOT", 16);
		put_ebcdic(b + 96, "PVBT", 4);
		pv_put_be16(b + 102, (uint16_t)v->id);
	} else if (fc == FC_LEVEL_2 && sel1 == 2 && sel2 == 2) {
		b[35] = 0x80;				/* dedicated CPUs */
		put_cpus(b + 36, n);
		put_ebcdic(b + 44, "PVBOOT", 8);
		pv_put_be32(b + 52, 1000);		/* capability adj. */
		pv_put_be16(b + 72, (uint16_t)n);	/* dedicated */
	} else if (fc == FC_LEVEL_3 && sel1 == 2 && sel2 == 2) {
		b[31] = 1;				/* one VM level */
		put_cpus(b + 32 + 4, n);
		put_ebcdic(b + 32 + 12, "PVGUEST", 8);
		pv_put_be32(b + 32 + 20, 1000);
		put_ebcdic(b + 32 + 24, "KVM/Linux", 16);
		b[32 + 43] = 2;				/* UTF-8 names */
		memcpy(b + 2048, "PVGUEST", 7);
	} else {
		return 3;
	}
	return 0;
}

uint32_t stsi_handle(struct vcpu *v, uint64_t addr, uint64_t r0,
		     uint64_t r1, uintptr_t ra)
{
	uint64_t fc = r0 & FC_MASK;
	uint8_t block[4096] = { 0 };
	uint32_t cc;

	if (fc > FC_LEVEL_3)
		return 3;
	if ((r0 & R0_RESERVED) || (r1 & R1_RESERVED))
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	if (fc == FC_CURRENT) {
		vcpu_set_gr(v, 0, (vcpu_gr(v, 0) & ~0xffffffffULL) |
				  FC_LEVEL_3);
		return 0;
	}
	if (addr & 0xfff)
		vcpu_raise(v, PGM_SPECIFICATION, ra);
	cc = fill(v, fc, r0 & 0xff, r1 & 0xffff, block);
	if (!cc)
		mem_write_op(v, addr, block, sizeof(block), ra);
	return cc;
}
