// SPDX-License-Identifier: MIT
/*
 * Test helpers for the machine (see machtest.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pvboot/be.h"
#include "pvboot/boot_blobs.h"

#include "machtest.h"
#include "testkeys.h"

int mt_key_new(struct mt_key *k)
{
	memset(k, 0, sizeof(*k));
	return tk_host_keypair_pem(&k->pem, &k->pem_len, &k->key);
}

void mt_key_free(struct mt_key *k)
{
	if (k->pem)
		pv_free_secret(k->pem, k->pem_len);
	pv_eckey_free(k->key);
	memset(k, 0, sizeof(*k));
}

static int memfd_with(const char *name, const void *buf, size_t len)
{
	int fd = memfd_create(name, 0);

	if (fd < 0)
		return -1;
	if (len && write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

int mt_build_se(const uint8_t *kernel, size_t klen, const uint8_t *initrd,
		size_t ilen, const char *cmdline, const struct pv_eckey *host,
		struct mt_image *out)
{
	struct pv_builder *b = NULL;
	struct pv_err *err = NULL;
	int fds[3] = { -1, -1, -1 }, ofd = -1, rc = -1;
	off_t size;

	memset(out, 0, sizeof(*out));
	if (pv_builder_new(PV_LAYOUT_R, &b, &err))
		goto out;
	fds[0] = memfd_with("kernel", kernel, klen);
	if (fds[0] < 0 ||
	    pv_builder_set_input_fd(b, PV_COMP_KERNEL, fds[0], "kernel", &err))
		goto out;
	if (initrd) {
		fds[1] = memfd_with("initrd", initrd, ilen);
		if (fds[1] < 0 ||
		    pv_builder_set_input_fd(b, PV_COMP_INITRD, fds[1],
					    "initrd", &err))
			goto out;
	}
	if (cmdline) {
		fds[2] = memfd_with("cmdline", cmdline, strlen(cmdline));
		if (fds[2] < 0 ||
		    pv_builder_set_input_fd(b, PV_COMP_CMDLINE, fds[2],
					    "cmdline", &err))
			goto out;
	}
	pv_builder_set_component_check(b, false);
	if (pv_builder_set_loaders(b, pv_blob_stage3a.data,
				   pv_blob_stage3a.len,
				   pv_blob_stage3b_reloc.data,
				   pv_blob_stage3b_reloc.len, &err) ||
	    pv_builder_add_host_key(b, host, &err))
		goto out;
	ofd = memfd_create("se.img", 0);
	if (ofd < 0 || pv_builder_write(b, ofd, &out->res, &err))
		goto out;
	size = lseek(ofd, 0, SEEK_END);
	out->buf = malloc(size > 0 ? (size_t)size : 1);
	if (!out->buf || pread(ofd, out->buf, (size_t)size, 0) != size)
		goto out;
	out->len = (size_t)size;
	rc = 0;
out:
	if (err)
		fprintf(stderr, "mt_build_se: %s\n", err->msg);
	pv_err_free(err);
	pv_builder_free(b);
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (ofd >= 0)
		close(ofd);
	if (rc)
		mt_image_free(out);
	return rc;
}

void mt_image_free(struct mt_image *img)
{
	free(img->buf);
	memset(img, 0, sizeof(*img));
}

uint8_t *mt_guest(const char *name, size_t *len)
{
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	FILE *f;
	uint8_t *buf;
	long size;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	/* $(BUILD)/tests/<test> -> $(BUILD)/guest/<name>.bin */
	snprintf(path, sizeof(path), "%s/../guest/%s.bin", exe, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mt_guest: cannot open %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(size > 0 ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)size;
	return buf;
}

void mt_parms(uint8_t *buf, size_t len, uint64_t variant, uint64_t ram,
	      uint64_t flags, const struct pv_build_result *se)
{
	uint8_t *p = buf + MT_PARMS;

	if (len < MT_PARMS + 56)
		return;
	pv_put_be64(p, MT_PARMS_MAGIC);
	pv_put_be64(p + 8, variant);
	pv_put_be64(p + 16, ram);
	pv_put_be64(p + 24, se ? se->ipib_addr : 0);
	pv_put_be64(p + 32, se ? se->hdr_addr : 0);
	pv_put_be64(p + 40, se ? se->hdr_size : 0);
	pv_put_be64(p + 48, flags);
}

int mt_overlay(struct mt_image *img, const uint8_t *prog, size_t plen)
{
	uint64_t limit = img->res.ipib_addr < img->res.hdr_addr ?
			 img->res.ipib_addr : img->res.hdr_addr;

	if (plen <= MT_PROGRAM_ENTRY || plen > limit || plen > img->len) {
		fprintf(stderr, "mt_overlay: program of 0x%zx bytes does not fit below 0x%llx\n",
			plen, (unsigned long long)limit);
		return -1;
	}
	memcpy(img->buf + MT_PROGRAM_ENTRY, prog + MT_PROGRAM_ENTRY,
	       plen - MT_PROGRAM_ENTRY);
	memset(img->buf + plen, 0, limit - plen);
	pv_put_be64(img->buf, 0x0008000180000000ULL | MT_PROGRAM_ENTRY);
	return 0;
}

const char *mt_console_input;

/* A pipe that holds @text, its write end closed; the read end or -1. */
static int input_pipe(const char *text)
{
	size_t n = strlen(text);
	int fds[2];

	if (n > 4096 || pipe(fds))
		return -1;
	if (write(fds[1], text, n) != (ssize_t)n) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	close(fds[1]);
	return fds[0];
}

int mt_run(const uint8_t *buf, size_t len, const struct mt_key *keys,
	   size_t nkeys, uint64_t mem, unsigned int flags, bool trace,
	   struct mt_run *out, struct pv_machine **keep)
{
	struct pv_machine_key mk[8];
	struct pv_machine_opts o = { 0 };
	struct pv_machine *m = NULL;
	struct pv_err *err = NULL;
	FILE *con, *tr = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (keep)
		*keep = NULL;
	for (size_t i = 0; i < nkeys && i < 8; i++) {
		mk[i].data = keys[i].pem;
		mk[i].len = keys[i].pem_len;
	}
	con = open_memstream(&out->console, &out->console_len);
	if (trace)
		tr = open_memstream(&out->trace, &out->trace_len);
	o.mem_size = mem;
	o.host_keys = mk;
	o.nhost_keys = nkeys < 8 ? nkeys : 8;
	o.console = con;
	o.trace = trace;
	o.trace_out = tr;
	o.timeout = 60;
	o.flags = flags;
	o.input_fd = -1;
	if (mt_console_input) {
		o.input_fd = input_pipe(mt_console_input);
		o.console_input = o.input_fd >= 0;
	}
	rc = pv_machine_new(&m, &o, &err);
	if (!rc)
		rc = pv_machine_load_buffer(m, buf, len, &err);
	if (!rc)
		rc = pv_machine_run(m, &out->res, &err);
	if (rc && err)
		snprintf(out->err, sizeof(out->err), "%s", err->msg);
	pv_err_free(err);
	if (keep && !rc)
		*keep = m;
	else
		pv_machine_free(m);
	fclose(con);
	if (tr)
		fclose(tr);
	if (o.input_fd >= 0)
		close(o.input_fd);
	out->rc = rc;
	return rc;
}

void mt_run_free(struct mt_run *r)
{
	free(r->console);
	free(r->trace);
	memset(r, 0, sizeof(*r));
}

void mt_run_dump(const char *what, const struct mt_run *r)
{
	fprintf(stderr, "---- %s: rc %d %s, end %s, wait 0x%llx, %s\n", what,
		r->rc, r->err, pv_run_end_name(r->res.end),
		(unsigned long long)r->res.wait_code, r->res.detail);
	fprintf(stderr, "%s----\n", r->console ? r->console : "");
}
