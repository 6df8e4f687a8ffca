// SPDX-License-Identifier: MIT
/*
 * Machine lifetime: guest RAM, the Unicorn CPU, the UV (with the host
 * keys), the hypervisor's host area, the console, and loading the IPL
 * image.  The run loop is in run.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "pvboot/machine.h"

#include "machine_priv.h"
#include "io.h"

#define MAX_MEM (1ULL << 40)	/* the UV's max guest address (1 TiB) */

uint64_t mach_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void mach_trace(struct pv_machine *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->tr)
		return;
	fputs("[trace] ", m->tr);
	va_start(ap, fmt);
	vfprintf(m->tr, fmt, ap);
	va_end(ap);
	fputc('\n', m->tr);
}

/*
 * The guest cannot continue: record why (the first reason wins) and stop
 * the CPU.  Safe inside hooks and outside a run.
 */
void mach_fatal(struct pv_machine *m, const char *fmt, ...)
{
	struct vcpu *v = m->ncpus ? mach_cpu(m) : NULL;
	va_list ap;

	if (m->exit.reason != EXIT_FATAL) {
		m->exit.reason = EXIT_FATAL;
		if (v) {
			m->exit.mask = vcpu_pswm(v);
			m->exit.addr = vcpu_pc(v);
		}
		va_start(ap, fmt);
		vsnprintf(m->exit.msg, sizeof(m->exit.msg), fmt, ap);
		va_end(ap);
		mach_trace(m, "fatal: %s", m->exit.msg);
	}
	if (v && v->running)
		uc_emu_stop(v->uc);
}

int pv_parse_size(const char *s, uint64_t *out, struct pv_err **err)
{
	unsigned long long v;
	uint64_t mul = 1;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		goto bad;
	switch (toupper((unsigned char)*end)) {
	case 'K':
		mul = 1ULL << 10;
		break;
	case 'M':
		mul = 1ULL << 20;
		break;
	case 'G':
		mul = 1ULL << 30;
		break;
	case 'T':
		mul = 1ULL << 40;
		break;
	case '\0':
		break;
	default:
		goto bad;
	}
	if (*end) {
		end++;
		if (!strcasecmp(end, "iB") || !strcasecmp(end, "B"))
			end += strlen(end);
	}
	if (*end || (v && mul > UINT64_MAX / v))
		goto bad;
	*out = v * mul;
	return 0;
bad:
	return pv_err_set(err, PV_ERR_INVAL,
			  "invalid size '%s' (use a number with K, M or G)",
			  s ? s : "");
}

static int open_cpus(struct pv_machine *m, unsigned int n,
		     struct pv_err **err)
{
	int rc = uc_lib_load(err);

	for (unsigned int i = 0; !rc && i < n; i++) {
		rc = vcpu_new(m, i, &m->cpus[i], err);
		if (!rc) {
			m->ncpus = i + 1;
			m->cpus[i]->codebits = calloc((m->code.pages + 7) / 8, 1);
			if (!m->cpus[i]->codebits)
				rc = pv_err_set(err, PV_ERR_NOMEM,
						"machine: out of memory");
		}
	}
	return rc;
}

/* The I/O configuration: a virtio-blk device per disk, the bios path. */
static int attach_disks(struct pv_machine *m, const struct pv_machine_opts *o,
			struct pv_err **err)
{
	int rc = io_new(m, err);

	if (rc)
		return rc;
	if (o->ndisks > PV_MACHINE_MAX_DISKS)
		return pv_err_set(err, PV_ERR_INVAL,
				  "%zu disks: the machine takes at most %d",
				  o->ndisks, PV_MACHINE_MAX_DISKS);
	for (size_t i = 0; i < o->ndisks; i++) {
		rc = virtio_blk_new(m, o->disks[i].path, o->disks[i].readonly,
				    err);
		if (rc)
			return rc;
	}
	if (o->bios) {
		m->io->bios_path = strdup(o->bios);
		if (!m->io->bios_path)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	return 0;
}

int pv_machine_new(struct pv_machine **out, const struct pv_machine_opts *o,
		   struct pv_err **err)
{
	struct pv_machine *m;
	uint64_t mem = o->mem_size ? o->mem_size : PV_MACHINE_DEFAULT_MEM;
	int rc;

	*out = NULL;
	if (mem < PV_MACHINE_MIN_MEM || mem > MAX_MEM || (mem & 0xfffff))
		return pv_err_set(err, PV_ERR_INVAL,
				  "guest memory of %llu bytes: it must be a multiple of 1 MiB between 1 MiB and 1 TiB",
				  (unsigned long long)mem);
	if (o->cpus > MAX_CPUS)
		return pv_err_set(err, PV_ERR_INVAL,
				  "%u CPUs: the machine has at most %d",
				  o->cpus, MAX_CPUS);
	m = calloc(1, sizeof(*m));
	if (!m)
		return pv_err_set(err, PV_ERR_NOMEM, "machine: out of memory");
	m->con_in = o->console_input ? o->input_fd : -1;
	m->escape = o->console_input ? o->escape : 0;
	m->ev.wake_fd = m->ev.idle_fd = -1;
	m->image_fd = -1;
	m->ram_size = mem;
	m->flags = o->flags;
	m->timeout = o->timeout;
	m->interrupted = o->interrupted;
	m->con = o->console ? o->console : stdout;
	m->tr = o->trace ? (o->trace_out ? o->trace_out : stderr) : NULL;
	m->sclp.at_line_start = true;
	/* The UV in another process: a proxy, and RAM it can reach. */
	if (o->uv_remote) {
		if (o->nhost_keys) {
			rc = pv_err_set(err, PV_ERR_INVAL,
					"machine: with a remote UV the host keys go to the UV's process");
			goto fail;
		}
		rc = uvlink_open(m, o->uv_socket, err);
		if (rc)
			goto fail;
	}
	m->ram = uvlink_mem(m, mem, &m->ram_map_flags, err);
	if (!m->ram) {
		pv_err_prefix(err, "guest memory: ");
		rc = -PV_ERR_NOMEM;
		goto fail;
	}
	/*
	 * Transparent huge pages where the host allows them: loading a large
	 * image and the guest's copies then take one fault per 2 MiB instead
	 * of one per 4 KiB.  Only a hint; without it RAM works the same.
	 */
	madvise(m->ram, mem, MADV_HUGEPAGE);
	if (o->transcript) {
		m->transcript = fopen(o->transcript, "w");
		m->transcript_path = strdup(o->transcript);
		if (!m->transcript) {
			rc = pv_err_set(err, PV_ERR_IO,
					"cannot create transcript '%s': %s",
					o->transcript, strerror(errno));
			goto fail;
		}
	}
	tod_init(m);
	rc = codemap_init(m, err);
	if (!rc)
		rc = open_cpus(m, o->cpus ? o->cpus : 1, err);
	if (rc)
		goto fail;
	if (!m->uv)
		rc = pv_uv_new(&m->uv, err);
	if (rc)
		goto fail;
	uvc_install(m);
	for (size_t i = 0; i < o->nhost_keys; i++) {
		rc = pv_uv_add_host_key(m->uv, o->host_keys[i].data,
					o->host_keys[i].len, err);
		if (rc)
			goto fail;
	}
	rc = hv_init(m, err);
	if (rc)
		goto fail;
	rc = attach_disks(m, o, err);
	if (rc)
		goto fail;
	*out = m;
	return 0;
fail:
	pv_machine_free(m);
	return rc;
}

void pv_machine_free(struct pv_machine *m)
{
	if (!m)
		return;
	if (m->ncpus && m->uv && m->protected_mode)
		hv_unprotect(m);	/* the UV zeroes the guest's pages */
	for (unsigned int i = 0; i < m->ncpus; i++) {
		free(m->cpus[i]->codebits);
		vcpu_free(m->cpus[i]);
	}
	pv_uv_free(m->uv);
	hv_free(m);
	io_free(m);
	codemap_free(m);
	if (m->ram)
		munmap(m->ram, m->ram_size);
	if (m->transcript)
		fclose(m->transcript);
	free(m->transcript_path);
	if (m->image_fd >= 0)
		close(m->image_fd);
	free(m->image_path);
	free(m->image_buf);
	free(m->append);
	free(m);
}

/* No image any more: its file, name and buffer go. */
void image_forget(struct pv_machine *m)
{
	if (m->image_fd >= 0)
		close(m->image_fd);
	m->image_fd = -1;
	free(m->image_path);
	free(m->image_buf);
	m->image_path = NULL;
	m->image_buf = NULL;
	m->image_len = 0;
}

int pv_machine_set_append(struct pv_machine *m, const char *text,
			  struct pv_err **err)
{
	char *s = strdup(text);

	if (!s)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	free(m->append);
	m->append = s;
	return 0;
}

int pv_machine_load_file(struct pv_machine *m, const char *path,
			 struct pv_err **err)
{
	char *p = strdup(path);
	int rc;

	if (!p)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	image_forget(m);
	m->image_path = p;
	rc = ipl_load_image(m, err);
	if (rc)
		return rc;
	m->loaded = true;
	return 0;
}

int pv_machine_load_buffer(struct pv_machine *m, const void *buf, size_t len,
			   struct pv_err **err)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	if (!copy)
		return pv_err_set(err, PV_ERR_NOMEM,
				  "out of memory for a %zu-byte image", len);
	memcpy(copy, buf, len);
	image_forget(m);
	m->image_buf = copy;
	m->image_len = len;
	rc = ipl_load_image(m, err);
	if (rc)
		return rc;
	m->loaded = true;
	return 0;
}

bool pv_machine_protected(const struct pv_machine *m)
{
	return m->protected_mode;
}

uint64_t pv_machine_mem_size(const struct pv_machine *m)
{
	return m->ram_size;
}
