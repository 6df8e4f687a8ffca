// SPDX-License-Identifier: MIT
/*
 * QEMU's s390-ccw bios, loaded and started the way QEMU 7.2 does it
 * (ipl-from-devices.md §1; hw/s390x/ipl.c, include/hw/elf_ops.h):
 *   - the file is a big-endian s390 ELF64 (a position-independent
 *     executable); its PT_LOAD segments go to base + vaddr, the rest of
 *     each segment (the bss) is zeroed;
 *   - base = (min(RAM, 2 GiB) - 2 MiB) rounded down to 64 KiB;
 *   - every R_390_RELATIVE relocation stores base + addend at
 *     base + offset (64 bits);
 *   - the IPL CPU starts at base + entry with the PSW mask
 *     0x0000000180000000;
 *   - IPL information: a CCW-type IPL block for the boot device in the
 *     normal slot (DIAG 308 subcode 6 reads it), and QEMU's IPL
 *     parameters at absolute 0xcc.
 * The bios is a ROM: it is copied again on every IPL from a device
 * (machine start, re-IPL), never on DIAG 308 subcodes 0/1/10.
 * The file is the distribution's (Debian's qemu-system-data); pvboot
 * carries none of its code.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "pvboot/ipib.h"

#include "machine_priv.h"
#include "io.h"

#define BIOS_MAX_FILE (8U << 20)
#define EM_S390 22
#define ET_EXEC 2
#define ET_DYN 3
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define DT_NULL 0
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define R_390_NONE 0
#define R_390_RELATIVE 12

#define IPL_PSW_MASK 0x0000000180000000ULL
#define QIPL_ADDR 0xcc
#define QIPL_LEN 28
#define QIPL_FLAG_BM_OPTS_ZIPL 0x40

/*
 * The builds pvboot was tested with (ipl-from-devices.md measured this
 * one): SHA-256 of the file, and where it comes from.
 */
static const struct {
	const char *sha256;
	const char *build;
} tested[] = {
	{ "f7eb969377a89842e01dcecc5c81af46308fafb32d0dba95c2da2b4ad8f9e2b0",
	  "Debian 12 qemu-system-data 1:7.2+dfsg-7+deb12u18" },
};

static void identify(struct io_state *io)
{
	uint8_t h[PV_SHA256_LEN];
	char hex[2 * PV_SHA256_LEN + 1];

	io->bios_build = NULL;
	if (pv_sha256(io->bios, io->bios_len, h, NULL))
		return;
	for (size_t i = 0; i < sizeof(h); i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	memcpy(io->bios_sha256, hex, sizeof(hex));
	for (size_t i = 0; i < sizeof(tested) / sizeof(tested[0]); i++)
		if (!strcmp(hex, tested[i].sha256))
			io->bios_build = tested[i].build;
}

uint64_t bios_base_for(uint64_t ram)
{
	uint64_t top = ram < 0x80000000ULL ? ram : 0x80000000ULL;

	if (top < 0x200000ULL)
		return 0;
	return (top - 0x200000ULL) & ~0xffffULL;
}

struct phdr {
	uint32_t type;
	uint64_t off, vaddr, filesz, memsz;
};

static void get_phdr(const uint8_t *p, struct phdr *h)
{
	h->type = pv_get_be32(p);
	h->off = pv_get_be64(p + 8);
	h->vaddr = pv_get_be64(p + 16);
	h->filesz = pv_get_be64(p + 32);
	h->memsz = pv_get_be64(p + 40);
}

/* Apply the RELA table at file offset @off (@size bytes). */
static int relocate(const uint8_t *elf, size_t len, uint64_t off,
		    uint64_t size, uint64_t ent, uint64_t base, uint8_t *dst,
		    uint64_t memsz, struct pv_err **err)
{
	if (ent != 24 || off > len || size > len - off || size % 24)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "bios: malformed relocation table");
	for (uint64_t i = 0; i < size; i += 24) {
		const uint8_t *r = elf + off + i;
		uint64_t where = pv_get_be64(r);
		uint32_t type = (uint32_t)pv_get_be64(r + 8);
		uint64_t addend = pv_get_be64(r + 16);

		if (type == R_390_NONE)
			continue;
		if (type != R_390_RELATIVE)
			return pv_err_set(err, PV_ERR_UNSUPPORTED,
					  "bios: relocation type %u is not supported (only R_390_RELATIVE)",
					  type);
		if (where > memsz || memsz - where < 8)
			return pv_err_set(err, PV_ERR_FORMAT,
					  "bios: relocation at 0x%llx lies outside the image",
					  (unsigned long long)where);
		pv_put_be64(dst + where, base + addend);
	}
	return 0;
}

/* The dynamic section's RELA table, if any: file offset via PT_LOAD. */
static int find_rela(const uint8_t *elf, size_t len, const struct phdr *dyn,
		     const struct phdr *ph, unsigned int nph, uint64_t *off,
		     uint64_t *size, uint64_t *ent)
{
	uint64_t rela = 0;

	*size = 0;
	*ent = 24;
	if (dyn->off > len || dyn->filesz > len - dyn->off)
		return -1;
	for (uint64_t i = 0; i + 16 <= dyn->filesz; i += 16) {
		uint64_t tag = pv_get_be64(elf + dyn->off + i);
		uint64_t val = pv_get_be64(elf + dyn->off + i + 8);

		if (tag == DT_NULL)
			break;
		if (tag == DT_RELA)
			rela = val;
		else if (tag == DT_RELASZ)
			*size = val;
		else if (tag == DT_RELAENT)
			*ent = val;
	}
	if (!*size)
		return 0;
	for (unsigned int i = 0; i < nph; i++)
		if (ph[i].type == PT_LOAD && rela >= ph[i].vaddr &&
		    rela - ph[i].vaddr < ph[i].filesz) {
			*off = ph[i].off + (rela - ph[i].vaddr);
			return 0;
		}
	return -1;
}

int bios_relocate(const uint8_t *elf, size_t len, uint64_t base,
		  uint8_t *dst, uint64_t dst_len, uint64_t *entry,
		  uint64_t *memsz, struct pv_err **err)
{
	struct phdr ph[16], dyn = { 0 };
	uint64_t phoff, end = 0, roff = 0, rsize, rent;
	unsigned int phnum, phent, type;
	bool have_dyn = false, entry_ok = false;

	if (len < 64 || memcmp(elf, "\177ELF", 4))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "bios: not an ELF file");
	if (elf[4] != 2 || elf[5] != 2 || pv_get_be16(elf + 18) != EM_S390)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "bios: not a big-endian 64-bit s390 ELF file");
	type = pv_get_be16(elf + 16);
	if (type != ET_EXEC && type != ET_DYN)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "bios: ELF type %u is not an executable", type);
	phoff = pv_get_be64(elf + 32);
	phent = pv_get_be16(elf + 54);
	phnum = pv_get_be16(elf + 56);
	if (phent != 56 || !phnum || phnum > 16 || phoff > len ||
	    (uint64_t)phnum * 56 > len - phoff)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "bios: malformed program headers");
	*entry = pv_get_be64(elf + 24);
	for (unsigned int i = 0; i < phnum; i++) {
		get_phdr(elf + phoff + 56ULL * i, &ph[i]);
		if (ph[i].type == PT_DYNAMIC) {
			dyn = ph[i];
			have_dyn = true;
		}
		if (ph[i].type != PT_LOAD)
			continue;
		if (ph[i].off > len || ph[i].filesz > len - ph[i].off ||
		    ph[i].filesz > ph[i].memsz ||
		    ph[i].vaddr > (1ULL << 31) ||
		    ph[i].memsz > (1ULL << 31) - ph[i].vaddr)
			return pv_err_set(err, PV_ERR_FORMAT,
					  "bios: segment %u lies outside the file or 2 GiB",
					  i);
		if (ph[i].vaddr + ph[i].memsz > end)
			end = ph[i].vaddr + ph[i].memsz;
		if (*entry >= ph[i].vaddr && *entry < ph[i].vaddr + ph[i].memsz)
			entry_ok = true;
	}
	if (!end)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "bios: no loadable segment");
	if (!entry_ok)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "bios: the entry point 0x%llx is outside its segments",
				  (unsigned long long)*entry);
	*memsz = end;
	if (!dst)
		return 0;
	if (end > dst_len)
		return pv_err_set(err, PV_ERR_RANGE,
				  "bios: %llu bytes do not fit below the end of memory at 0x%llx",
				  (unsigned long long)end,
				  (unsigned long long)base);
	memset(dst, 0, end);
	for (unsigned int i = 0; i < phnum; i++)
		if (ph[i].type == PT_LOAD)
			memcpy(dst + ph[i].vaddr, elf + ph[i].off,
			       ph[i].filesz);
	if (have_dyn && find_rela(elf, len, &dyn, ph, phnum, &roff, &rsize,
				  &rent))
		return pv_err_set(err, PV_ERR_FORMAT,
				  "bios: malformed dynamic section");
	if (have_dyn && rsize)
		return relocate(elf, len, roff, rsize, rent, base, dst, end,
				err);
	return 0;
}

int bios_load_file(struct pv_machine *m, const char *path,
		   struct pv_err **err)
{
	struct io_state *io = m->io;
	uint64_t entry, memsz, base = bios_base_for(m->ram_size);
	struct stat st;
	uint8_t *buf;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pv_err_set(err, PV_ERR_IO,
				  "cannot open the bios '%s': %s%s", path,
				  strerror(errno), errno == ENOENT ?
				  " (install qemu-system-data, or give --bios FILE)" :
				  "");
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > BIOS_MAX_FILE) {
		close(fd);
		return pv_err_set(err, PV_ERR_FORMAT,
				  "the bios '%s' is not a regular file of at most %u bytes",
				  path, BIOS_MAX_FILE);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(buf);
		return pv_err_set(err, PV_ERR_IO, "cannot read the bios '%s'",
				  path);
	}
	rc = bios_relocate(buf, (size_t)n, base, NULL, 0, &entry, &memsz,
			   err);
	if (!rc && (!base || base + memsz > m->ram_size))
		rc = pv_err_set(err, PV_ERR_RANGE,
				"the bios needs %llu bytes at 0x%llx: give the guest more memory",
				(unsigned long long)memsz,
				(unsigned long long)base);
	if (rc) {
		free(buf);
		return pv_err_prefix(err, "'%s': ", path);
	}
	{
		char *p = strdup(path);

		if (!p) {
			free(buf);
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		}
		free(io->bios_path);
		io->bios_path = p;
	}
	free(io->bios);
	io->bios = buf;
	io->bios_len = (size_t)n;
	io->bios_base = base;
	io->bios_entry = base + entry;
	io->bios_end = base + memsz;
	identify(io);
	return 0;
}

/* The CCW IPL block QEMU builds for a virtio-blk boot device. */
static void initial_iplb(struct pv_machine *m)
{
	uint8_t *b = m->iplb;

	memset(b, 0, sizeof(m->iplb));
	pv_put_be32(b + PV_IPIB_OFF_LEN, PV_IPL_MIN_LEN_CCW);
	b[PV_IPIB_OFF_FLAGS] = 0x80;		/* loadparm valid */
	pv_put_be32(b + PV_IPIB_OFF_BLK0_LEN, PV_IPL_MIN_LEN_CCW -
					      PV_IPL_HDR_LEN);
	b[PV_IPIB_OFF_PBT] = PV_IPL_PBT_CCW;
	memset(b + PV_IPIB_OFF_LOADPARM, 0x40, 8);	/* EBCDIC blanks */
	/* CCW block: subchannel set at 0x6d (low bits), devno at 0x6e */
	b[0x6d] = 0;
	pv_put_be16(b + 0x6e, (uint16_t)m->io->boot_disk);
	m->iplb_valid = true;
}

int bios_ipl(struct pv_machine *m, struct pv_err **err)
{
	struct io_state *io = m->io;
	uint8_t *q;
	uint64_t entry, memsz;
	int rc;

	rc = bios_relocate(io->bios, io->bios_len, io->bios_base,
			   m->ram + io->bios_base, m->ram_size - io->bios_base,
			   &entry, &memsz, err);
	if (rc)
		return rc;
	codemap_written(m, io->bios_base, memsz);
	if (!m->iplb_valid)
		initial_iplb(m);
	/* QEMU's IPL parameters: zipl's own menu data for a CCW device */
	q = m->ram + QIPL_ADDR;
	memset(q, 0, QIPL_LEN);
	q[0] = QIPL_FLAG_BM_OPTS_ZIPL;
	codemap_written(m, QIPL_ADDR, QIPL_LEN);
	m->ipl_mask = IPL_PSW_MASK;
	m->ipl_addr = io->bios_entry;
	io->bios_running = true;
	io->bios_start_ns = mach_now_ns();
	if (m->tr)
		mach_trace(m, "IPL from device 0.0.%04x through the bios at 0x%llx",
			   pv_get_be16(m->iplb + 0x6e),
			   (unsigned long long)io->bios_base);
	return 0;
}
