// SPDX-License-Identifier: MIT
/*
 * IPL of a raw image as QEMU's direct-kernel path does it
 * (pv-machine-and-uv.md §6.2, se-image-format.md §2.7): the file goes to
 * absolute 0; with "S390EP" at 0x10008 the machine starts at 0x10000 in
 * 64-bit mode and writes the command line to 0x10480 (limit: the u64 at
 * 0x10430, or 896); otherwise it starts at the short PSW at absolute 0
 * (guest-boot-probe.md §0).  QEMU copies the image again on every reset
 * (rom_reset), so a re-IPL reloads it.  IPL from a disk starts QEMU's
 * s390-ccw bios instead, which reads the disk (bios.c, io.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/be.h"
#include "pvboot/layout.h"

#include "machine_priv.h"
#include "io.h"

/*
 * Read the image file into RAM.  The file stays open from the first load
 * on and every re-IPL reads it again from there, also after the emulator
 * confined itself (it may open no file then).
 */
static int read_file(struct pv_machine *m, uint64_t *len,
		     struct pv_err **err)
{
	struct stat st;
	uint64_t done = 0;
	int fd = m->image_fd;

	if (fd < 0) {
		fd = open(m->image_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return pv_err_set(err, PV_ERR_IO,
					  "cannot open image '%s': %s",
					  m->image_path, strerror(errno));
		m->image_fd = fd;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return pv_err_set(err, PV_ERR_IO,
				  "image '%s' is not a regular file",
				  m->image_path);
	if ((uint64_t)st.st_size > m->ram_size)
		return pv_err_set(err, PV_ERR_RANGE,
				  "image '%s' (%llu bytes) does not fit into %llu bytes of guest memory (use --memory)",
				  m->image_path, (unsigned long long)st.st_size,
				  (unsigned long long)m->ram_size);
	/*
	 * Fill in the pages the image lands on with one call: much cheaper
	 * than a fault per page during read() (a hint; errors are harmless).
	 */
	if (st.st_size)
		madvise(m->ram, pv_page_align((uint64_t)st.st_size),
			MADV_POPULATE_WRITE);
	while (done < (uint64_t)st.st_size) {
		ssize_t n = pread(fd, m->ram + done, st.st_size - done,
				  (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return pv_err_set(err, PV_ERR_IO,
					  "reading image '%s': %s",
					  m->image_path,
					  n ? strerror(errno) :
					      "file shrank while reading");
		done += (uint64_t)n;
	}
	*len = done;
	return 0;
}

/* The kernel command line of a kernel that starts at 0x10000 (§6.2). */
static int put_cmdline(struct pv_machine *m, struct pv_err **err)
{
	uint64_t max = pv_get_be64(m->ram + PV_MAX_CMDLINE_SIZE);
	size_t n = strlen(m->append) + 1;

	if (!max)
		max = PV_LEGACY_CMDLINE_SIZE;
	if (n > max || PV_COMMAND_LINE + n > m->ram_size)
		return pv_err_set(err, PV_ERR_RANGE,
				  "kernel command line is %zu bytes with its NUL, the kernel allows %llu",
				  n, (unsigned long long)max);
	memcpy(m->ram + PV_COMMAND_LINE, m->append, n);
	return 0;
}

/*
 * Copy the image into guest RAM and work out the IPL PSW.  Called when the
 * image is loaded and again for every re-IPL; RAM is not protected then.
 */
int ipl_load_image(struct pv_machine *m, struct pv_err **err)
{
	uint64_t len = m->image_len;
	int rc;

	/* IPL from a disk: the bios again, as QEMU copies its ROM back */
	if (m->io && m->io->boot_disk >= 0)
		return bios_ipl(m, err);
	if (m->image_path) {
		rc = read_file(m, &len, err);
		if (rc)
			return rc;
	} else {
		if (len > m->ram_size)
			return pv_err_set(err, PV_ERR_RANGE,
					  "image (%llu bytes) does not fit into %llu bytes of guest memory",
					  (unsigned long long)len,
					  (unsigned long long)m->ram_size);
		memcpy(m->ram, m->image_buf, len);
	}
	/* An IPL starts from the PSW at absolute 0 (§6.2): 8 bytes at least. */
	if (len < 8) {
		if (m->image_path && !len)
			return pv_err_set(err, PV_ERR_FORMAT,
					  "image '%s' is empty", m->image_path);
		if (m->image_path)
			return pv_err_set(err, PV_ERR_FORMAT,
					  "image '%s' is too small (%llu bytes) to hold an IPL PSW",
					  m->image_path, (unsigned long long)len);
		return pv_err_set(err, PV_ERR_FORMAT,
				  "image is too small (%llu bytes) to hold an IPL PSW",
				  (unsigned long long)len);
	}
	codemap_written(m, 0, len);
	if (len >= PV_S390EP_OFF + 6 &&
	    !memcmp(m->ram + PV_S390EP_OFF, "S390EP", 6)) {
		m->ipl_mask = PSW_MASK_64;
		m->ipl_addr = PV_IMAGE_ENTRY;
		return m->append ? put_cmdline(m, err) : 0;
	}
	psw_from_short(len >= 8 ? pv_get_be64(m->ram) : 0, &m->ipl_mask,
		       &m->ipl_addr);
	/* QEMU's -append: any kernel that starts at 0x10000 gets it. */
	if (m->append && m->ipl_addr == PV_IMAGE_ENTRY)
		return put_cmdline(m, err);
	if (m->append)
		return pv_err_set(err, PV_ERR_INVAL,
				  "the image starts at 0x%llx, not at 0x10000 like a Linux kernel (no \"S390EP\" marker at 0x10008 either), so it takes no command line; an SE image carries its own",
				  (unsigned long long)m->ipl_addr);
	return 0;
}

/*
 * Start the IPL CPU: clear reset of every CPU, the others stay stopped;
 * then the IPL PSW.  An invalid PSW (no short-PSW bit at absolute 0) is an
 * early specification exception.
 */
int ipl_start(struct pv_machine *m, struct pv_err **err)
{
	struct vcpu *v = m->cpus[0];

	for (unsigned int i = 0; i < m->ncpus; i++) {
		vcpu_reset(m->cpus[i], CPU_RESET_CLEAR);
		vcpu_set_state(m->cpus[i],
			       i ? VCPU_STOPPED : VCPU_OPERATING);
	}
	m->reset.cpu = NULL;
	m->last_stopped = NULL;
	m->st.ipls++;
	if (m->tr)
		mach_trace(m, "IPL: PSW %016llx %016llx",
			   (unsigned long long)m->ipl_mask,
			   (unsigned long long)m->ipl_addr);
	if (!psw_valid(m->ipl_mask, m->ipl_addr)) {
		irq_pgm(v, PGM_SPECIFICATION, 0, m->ipl_mask, m->ipl_addr);
		return 0;
	}
	vcpu_load_psw(v, m->ipl_mask, m->ipl_addr);
	return 0;
}
