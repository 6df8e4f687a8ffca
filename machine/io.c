// SPDX-License-Identifier: MIT
/*
 * The machine's I/O configuration: the channel subsystem with one
 * virtio-blk device per disk, the bios for IPL from a disk, the
 * subsystem reset every machine reset does, and what a front-end asks
 * about them (pvboot/machine.h).
 */
#include <stdlib.h>
#include <string.h>

#include "pvboot/machine.h"

#include "machine_priv.h"
#include "io.h"

int io_new(struct pv_machine *m, struct pv_err **err)
{
	m->io = calloc(1, sizeof(*m->io));
	if (!m->io)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	m->io->boot_disk = -1;
	return css_new(m, err);
}

void io_free(struct pv_machine *m)
{
	struct io_state *io = m->io;

	if (!io)
		return;
	for (unsigned int i = 0; i < CSS_MAX_DEVICES; i++) {
		virtio_blk_free(io->vdev[i]);
		virtio_ccw_free(io->vdev[i]);
	}
	css_free(m);
	free(io->bios);
	free(io->bios_path);
	free(io);
	m->io = NULL;
}

/*
 * Every machine reset resets the I/O subsystem (QEMU's subsystem reset,
 * pv-machine-and-uv.md §1.7; ipl-from-devices.md §2 "a device reset").
 * A reset other than an IPL while the bios runs is its hand-over: the
 * bios jumps to the program it loaded with DIAG 308 subcode 1.
 */
void io_reset(struct pv_machine *m, int type)
{
	struct io_state *io = m->io;

	if (!io)
		return;
	css_reset(m);
	if (io->bios_running && type != RESET_EXTERNAL &&
	    type != RESET_REIPL) {
		io->bios_running = false;
		io->handover_ns = mach_now_ns();
		if (m->tr)
			mach_trace(m, "the bios handed over after %.3f ms",
				   (double)(io->handover_ns -
					    io->bios_start_ns) / 1e6);
	}
}

int pv_machine_ipl_disk(struct pv_machine *m, unsigned int disk,
			struct pv_err **err)
{
	struct io_state *io = m->io;
	int rc;

	if (disk >= io->ndisks)
		return pv_err_set(err, PV_ERR_INVAL,
				  "there is no disk %u to IPL from (%u attached)",
				  disk, io->ndisks);
	if (!io->bios) {
		rc = bios_load_file(m, io->bios_path ? io->bios_path :
						PV_MACHINE_DEFAULT_BIOS, err);
		if (rc)
			return rc;
	}
	io->boot_disk = (int)disk;
	image_forget(m);
	m->iplb_valid = false;
	rc = bios_ipl(m, err);
	if (rc)
		return rc;
	m->loaded = true;
	return 0;
}

const char *pv_machine_bios_build(const struct pv_machine *m,
				  const char **sha256)
{
	if (!m->io || !m->io->bios)
		return NULL;
	if (sha256)
		*sha256 = m->io->bios_sha256;
	return m->io->bios_build ? m->io->bios_build : "";
}

bool pv_machine_bios_stopped(const struct pv_machine *m)
{
	return m->io && m->io->boot_disk >= 0 && m->io->bios_running;
}

double pv_machine_bios_seconds(const struct pv_machine *m)
{
	const struct io_state *io = m->io;

	if (!io || !io->handover_ns)
		return 0;
	return (double)(io->handover_ns - io->bios_start_ns) / 1e9;
}

int pv_machine_disk_info(const struct pv_machine *m, unsigned int disk,
			 struct pv_machine_disk_info *out)
{
	const struct blockdev *bd;

	memset(out, 0, sizeof(*out));
	if (!m->io || disk >= m->io->ndisks)
		return -PV_ERR_RANGE;
	bd = m->io->bdev[disk];
	out->path = bd->path;
	out->devno = (uint16_t)disk;
	out->size = bd->size;
	out->readonly = bd->readonly;
	out->reads = bd->reads;
	out->writes = bd->writes;
	out->flushes = bd->flushes;
	out->read_bytes = bd->read_bytes;
	out->written_bytes = bd->written_bytes;
	out->errors = bd->errors;
	return 0;
}

unsigned int pv_machine_disks(const struct pv_machine *m)
{
	return m->io ? m->io->ndisks : 0;
}
