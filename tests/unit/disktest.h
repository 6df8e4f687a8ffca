/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the disk tests (test_css.c, test_virtio.c): disk files with a
 * known pattern, and one run of a guest program or an image on a machine
 * with disks attached, the console captured.  Header-only: each test
 * includes it once.
 */
#ifndef PVBOOT_TESTS_DISKTEST_H
#define PVBOOT_TESTS_DISKTEST_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvboot/machine.h"
#include "lib/machtest.h"

/* Byte @i of sector @s of a pattern disk (also in tests/guest/io_*.c). */
static inline uint8_t dt_pattern(uint64_t s, uint64_t i)
{
	return (uint8_t)(s * 7 + i * 3 + 1);
}

/* A temporary disk file of @sectors pattern sectors; its path (static). */
static inline const char *dt_disk(char *path, size_t len, uint64_t sectors)
{
	uint8_t sec[512];
	int fd;

	snprintf(path, len, "/tmp/pvboot-disktest.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	for (uint64_t s = 0; s < sectors; s++) {
		for (int i = 0; i < 512; i++)
			sec[i] = dt_pattern(s, (uint64_t)i);
		if (write(fd, sec, sizeof(sec)) != (ssize_t)sizeof(sec)) {
			close(fd);
			return NULL;
		}
	}
	close(fd);
	return path;
}

/* Sector @s of the file at @path into @buf (512 bytes): 0 or -1. */
static inline int dt_read_sector(const char *path, uint64_t s, uint8_t *buf)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, buf, 512, (off_t)(s * 512));
	close(fd);
	return n == 512 ? 0 : -1;
}

struct dt_run {
	struct pv_run_result res;
	char *console;
	size_t console_len;
	char *trace;
	size_t trace_len;
	int rc;
	char err[768];
	struct pv_machine_disk_info disk[PV_MACHINE_MAX_DISKS];
	unsigned int ndisks;
	bool bios_stopped;
};

/*
 * Run @buf (or, with @buf NULL, an IPL from disk @boot through the bios)
 * on a machine of @mem bytes with @disks, host key @key (or none).
 */
static inline int dt_run(const uint8_t *buf, size_t len,
			 const struct pv_machine_disk *disks, size_t ndisks,
			 unsigned int boot, const struct mt_key *key,
			 uint64_t mem, bool trace, struct dt_run *out)
{
	struct pv_machine_key k;
	struct pv_machine_opts o = { 0 };
	struct pv_machine *m = NULL;
	struct pv_err *err = NULL;
	FILE *con, *tr = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	con = open_memstream(&out->console, &out->console_len);
	if (trace)
		tr = open_memstream(&out->trace, &out->trace_len);
	if (key) {
		k.data = key->pem;
		k.len = key->pem_len;
		o.host_keys = &k;
		o.nhost_keys = 1;
	}
	o.mem_size = mem;
	o.console = con;
	o.trace = trace;
	o.trace_out = tr;
	o.timeout = 60;
	o.input_fd = -1;
	o.disks = disks;
	o.ndisks = ndisks;
	rc = pv_machine_new(&m, &o, &err);
	if (!rc && buf)
		rc = pv_machine_load_buffer(m, buf, len, &err);
	else if (!rc)
		rc = pv_machine_ipl_disk(m, boot, &err);
	if (!rc)
		rc = pv_machine_run(m, &out->res, &err);
	if (m) {
		out->ndisks = pv_machine_disks(m);
		for (unsigned int i = 0; i < out->ndisks; i++) {
			pv_machine_disk_info(m, i, &out->disk[i]);
			out->disk[i].path = NULL;	/* the machine's */
		}
		out->bios_stopped = pv_machine_bios_stopped(m);
	}
	if (rc && err)
		snprintf(out->err, sizeof(out->err), "%s", err->msg);
	pv_err_free(err);
	pv_machine_free(m);
	fclose(con);
	if (tr)
		fclose(tr);
	out->rc = rc;
	return rc;
}

static inline void dt_run_free(struct dt_run *r)
{
	free(r->console);
	free(r->trace);
	memset(r, 0, sizeof(*r));
}

static inline void dt_dump(const char *what, const struct dt_run *r)
{
	fprintf(stderr, "---- %s: rc %d %s, end %s, wait 0x%llx, %s\n", what,
		r->rc, r->err, pv_run_end_name(r->res.end),
		(unsigned long long)r->res.wait_code, r->res.detail);
	fprintf(stderr, "%s----\n", r->console ? r->console : "");
}

#endif
