// SPDX-License-Identifier: MIT
/*
 * `pvboot run`: boot an image on pvboot's s390x machine with the software
 * Ultravisor, print the guest console live, then a summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pvboot/boot_abi.h"
#include "pvboot/crypto.h"
#include "pvboot/machine.h"
#include "run_response.h"
#include "run_split.h"
#include "run_tty.h"
#include "schema.h"
#include "util.h"

#define MAX_KEYS 16
#define MAX_KEY_FILE (1U << 20)

enum {
	OPT_TRACE = 256,
	OPT_JSON,
	OPT_FORMAT,
	OPT_SCHEMA,
	OPT_APPEND,
	OPT_TRANSCRIPT,
	OPT_SAVE_RESPONSE,
	OPT_SMP,
	OPT_NO_INPUT,
	OPT_NO_SANDBOX,
	OPT_DISK,
	OPT_BIOS,
	OPT_BOOT,
};

#define MAX_SMP 248
#define ESCAPE 0x01	/* Ctrl-a, then x: QEMU's escape */

struct run_args {
	const char *image;
	const char *keys[MAX_KEYS];
	size_t nkeys;
	uint64_t mem;
	double timeout;
	bool trace, json, no_input, no_sandbox;
	unsigned int smp;
	const char *append, *transcript, *save_response;
	struct pv_machine_disk disks[PV_MACHINE_MAX_DISKS];
	char *owned[PV_MACHINE_MAX_DISKS];	/* names cut from FILE,opt */
	size_t ndisks;
	const char *bios;
	long boot;		/* disk to IPL from, -1: not given */
};

/* What the run's disks did, kept for the summary after the machine. */
struct run_io {
	unsigned int n;
	struct pv_machine_disk_info d[PV_MACHINE_MAX_DISKS];
	bool from_disk, bios_stopped;
	double bios_seconds;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: pvboot run IMAGE --host-key KEY... [--memory SIZE] [--smp N]\n"
"                  [--trace] [--json] [--timeout SECONDS] [--append TEXT]\n"
"                  [--transcript FILE] [--no-input] [--no-sandbox]\n"
"                  [--disk FILE[,readonly]]\n"
"       pvboot run --disk FILE[,readonly]... [--boot N] [--bios FILE]\n"
"                  --host-key KEY... [options]\n"
"       pvboot run --print-schema[=json|text]\n"
"Boot IMAGE (a Secure Execution image, or any raw s390x kernel) on pvboot's\n"
"s390x machine.  The image is loaded at address 0, as QEMU loads a kernel;\n"
"the software Ultravisor opens SE headers with the given host private keys.\n"
"The guest console is printed live, then a summary.  Standard input goes\n"
"to the guest console (the SCLP console Linux calls ttysclp0); on a\n"
"terminal it is raw, and Ctrl-a x ends the run (Ctrl-a Ctrl-a sends one).\n"
"Without IMAGE the machine IPLs from a disk through QEMU's s390-ccw bios,\n"
"as QEMU does for a virtio-blk disk with bootindex 1.\n"
"\n"
"      --disk FILE[,readonly]  attach the raw disk image FILE as a\n"
"                           virtio-blk-ccw device (repeatable: 0.0.0000,\n"
"                           0.0.0001, ...); readonly: the guest cannot write\n"
"      --boot N             IPL from disk N (counting from 0; default 0)\n"
"      --bios FILE          the s390-ccw bios (default\n"
"                           " PV_MACHINE_DEFAULT_BIOS ")\n"
"  -k, --host-key FILE      host private key (PEM or DER), repeatable\n"
"  -m, --memory SIZE        guest memory, e.g. 512M or 2G (default 256M)\n"
"      --smp N              guest CPUs (1-248, default 1)\n"
"      --no-input           do not read standard input\n"
"      --no-sandbox         run the guest in this process, without the\n"
"                           seccomp filter (for debugging)\n"
"      --trace              log privileged instructions, interruptions and\n"
"                           Ultravisor calls on stderr\n"
"      --json               print the summary as one JSON object on stdout\n"
"                           (the console then goes to stderr)\n"
"      --format text|json   the same as --json for json\n"
"      --print-schema[=json|text]  print the JSON Schema of --json\n"
"  -t, --timeout SECONDS    stop the guest after this much time\n"
"      --append TEXT        kernel command line, for a raw kernel that\n"
"                           starts at 0x10000 (not an SE image)\n"
"      --transcript FILE    also write the console to FILE\n"
"      --save-response FILE  write the attestation response the guest printed\n"
"                           (test kernel with pvboot.attest) to FILE\n"
"  -h, --help               show this help\n"
"\n"
"Examples:\n"
"  pvboot run se.img --host-key host.key\n"
"  pvboot run se.img -k host.key --json --timeout 60 2>console.txt\n"
"  pvboot run --disk disk.img --host-key host.key\n"
"Exit status: 0 when the guest ends in the test kernel's success wait\n"
"(0xc0de0000), a disabled wait with code 0, a SIGP stop (Linux's\n"
"poweroff) or Ctrl-a x; 1 on any other wait code, a refused image, a\n"
"timeout, an IPL from a disk that ended in the bios, or an error; 2 on\n"
"usage errors.\n"
"See the manual page pvboot-run(1).\n");
}

/* --disk FILE or FILE,readonly (a file name may hold commas: only a
 * last ",readonly" is an option) */
static int parse_disk(struct run_args *a, const char *arg)
{
	const char *comma = strrchr(arg, ',');
	struct pv_machine_disk *d;

	if (a->ndisks == PV_MACHINE_MAX_DISKS)
		return pv_cli_usage_error("run", "at most %d disks",
					  PV_MACHINE_MAX_DISKS);
	d = &a->disks[a->ndisks];
	d->path = arg;
	d->readonly = false;
	if (comma && (!strcmp(comma + 1, "readonly") ||
		      !strcmp(comma + 1, "rw"))) {
		a->owned[a->ndisks] = strndup(arg, (size_t)(comma - arg));
		if (!a->owned[a->ndisks])
			return pv_cli_usage_error("run", "out of memory");
		d->path = a->owned[a->ndisks];
		d->readonly = !strcmp(comma + 1, "readonly");
	}
	if (!*d->path)
		return pv_cli_usage_error("run", "--disk needs a file name");
	a->ndisks++;
	return -1;
}

static int parse(struct run_args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "host-key", required_argument, NULL, 'k' },
		{ "memory", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "trace", no_argument, NULL, OPT_TRACE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "print-schema", optional_argument, NULL, OPT_SCHEMA },
		{ "append", required_argument, NULL, OPT_APPEND },
		{ "transcript", required_argument, NULL, OPT_TRANSCRIPT },
		{ "save-response", required_argument, NULL, OPT_SAVE_RESPONSE },
		{ "smp", required_argument, NULL, OPT_SMP },
		{ "no-input", no_argument, NULL, OPT_NO_INPUT },
		{ "no-sandbox", no_argument, NULL, OPT_NO_SANDBOX },
		{ "disk", required_argument, NULL, OPT_DISK },
		{ "bios", required_argument, NULL, OPT_BIOS },
		{ "boot", required_argument, NULL, OPT_BOOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pv_err *err = NULL;
	char *end;
	int c, rc;

	a->boot = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:m:t:h", lo, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (a->nkeys == MAX_KEYS)
				return pv_cli_usage_error("run",
							  "at most %d host keys",
							  MAX_KEYS);
			a->keys[a->nkeys++] = optarg;
			break;
		case 'm':
			if (pv_parse_size(optarg, &a->mem, &err)) {
				pv_err_free(err);
				return pv_cli_usage_error("run",
							  "invalid memory size '%s' (e.g. 512M or 2G)",
							  optarg);
			}
			break;
		case 't':
			a->timeout = strtod(optarg, &end);
			if (*end || !(a->timeout > 0))
				return pv_cli_usage_error("run",
							  "invalid timeout '%s' (seconds > 0)",
							  optarg);
			break;
		case OPT_TRACE:
			a->trace = true;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case OPT_FORMAT:
			rc = cli_parse_text_json("run", optarg, &a->json);
			if (rc >= 0)
				return rc;
			break;
		case OPT_SCHEMA:
			return cli_print_schema("run",
						cli_schema_optarg(argc, argv));
		case OPT_APPEND:
			a->append = optarg;
			break;
		case OPT_TRANSCRIPT:
			a->transcript = optarg;
			break;
		case OPT_SAVE_RESPONSE:
			a->save_response = optarg;
			break;
		case OPT_SMP: {
			unsigned long n = strtoul(optarg, &end, 10);

			if (*end || !*optarg || n < 1 || n > MAX_SMP)
				return pv_cli_usage_error("run",
							  "invalid --smp '%s' (1 to %d CPUs)",
							  optarg, MAX_SMP);
			a->smp = (unsigned int)n;
			break;
		}
		case OPT_NO_SANDBOX:
			a->no_sandbox = true;
			break;
		case OPT_NO_INPUT:
			a->no_input = true;
			break;
		case OPT_DISK:
			rc = parse_disk(a, optarg);
			if (rc >= 0)
				return rc;
			break;
		case OPT_BIOS:
			a->bios = optarg;
			break;
		case OPT_BOOT: {
			unsigned long n = strtoul(optarg, &end, 10);

			if (*end || !*optarg || n >= PV_MACHINE_MAX_DISKS)
				return pv_cli_usage_error("run",
							  "invalid --boot '%s' (a disk number from 0)",
							  optarg);
			a->boot = (long)n;
			break;
		}
		case 'h':
			usage(stdout);
			return PV_EXIT_OK;
		case ':':
			return pv_cli_usage_error("run", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return pv_cli_bad_option("run", argv[optind - 1], lo);
		}
	}
	if (optind == argc && a->ndisks) {
		/* IPL from a disk through the bios */
		if (a->boot < 0)
			a->boot = 0;
		if ((size_t)a->boot >= a->ndisks)
			return pv_cli_usage_error("run",
						  "--boot %ld: there %s only %zu disk%s (counting from 0)",
						  a->boot, a->ndisks == 1 ? "is" : "are",
						  a->ndisks, a->ndisks == 1 ? "" : "s");
		if (a->append)
			return pv_cli_usage_error("run",
						  "--append goes with an IMAGE; a disk's program brings its own command line");
		return -1;
	}
	if (optind != argc - 1)
		return pv_cli_usage_error("run", optind < argc ?
					  "give exactly one IMAGE" :
					  "the IMAGE is missing (or give --disk FILE to IPL from a disk)");
	if (a->boot >= 0)
		return pv_cli_usage_error("run",
					  "--boot IPLs from a disk: give no IMAGE");
	if (a->bios)
		return pv_cli_usage_error("run",
					  "--bios is for an IPL from a disk: give no IMAGE");
	a->image = argv[optind];
	return -1;
}

/* What the summary names the run after: the image, or the boot disk. */
static const char *run_name(const struct run_args *a)
{
	return a->image ? a->image : a->disks[a->boot].path;
}

/* What a disabled-wait code means, for the summary. */
static const char *wait_meaning(uint64_t code)
{
	switch (code) {
	case 0:
		return "success";
	case PV_WAIT_TK_OK:
		return "test kernel: all checks passed";
	case PV_WAIT_ENOPV:
		return "stage3a: no unpack facility";
	case PV_WAIT_EPV:
		return "stage3a: protected boot failed";
	case PV_WAIT_EINTERNAL:
		return "stage3b: invalid kernel or command line";
	default:
		if ((code & ~0xffULL) == PV_WAIT_TK_OK)
			return "test kernel: a check failed";
		return "unknown code";
	}
}

static bool success(const struct pv_run_result *r, const struct run_io *io)
{
	if (io->bios_stopped && r->end != PV_RUN_USER_QUIT)
		return false;
	if (r->end == PV_RUN_SIGP_STOP || r->end == PV_RUN_USER_QUIT)
		return true;
	return r->end == PV_RUN_DISABLED_WAIT &&
	       (r->wait_code == PV_WAIT_TK_OK || r->wait_code == 0);
}

static void print_text(FILE *f, const struct run_args *a,
		       const struct pv_run_result *r, const struct run_io *io)
{
	const struct pv_run_stats *s = &r->stats;

	fprintf(f, "\n--- pvboot run %s: %s\n", run_name(a),
		pv_run_end_name(r->end));
	if (io->bios_stopped)
		fprintf(f, "  IPL failed:  the run ended in the bios, before it loaded a program\n"
			"               (its message is the last console line)\n");
	else if (io->from_disk)
		fprintf(f, "  IPL:         from disk %ld through the bios, handed over after %.3f s\n",
			a->boot, io->bios_seconds);
	if (r->end == PV_RUN_DISABLED_WAIT)
		fprintf(f, "  wait code:   0x%llx (%s)\n",
			(unsigned long long)r->wait_code,
			wait_meaning(r->wait_code));
	else
		fprintf(f, "  reason:      %s\n", r->detail);
	fprintf(f, "  final PSW:   %016llx %016llx\n",
		(unsigned long long)r->psw_mask,
		(unsigned long long)r->psw_addr);
	fprintf(f, "  protected:   %s (%llu switch%s into protected mode)\n",
		r->protected_mode ? "yes" : "no",
		(unsigned long long)s->protects, s->protects == 1 ? "" : "es");
	fprintf(f, "  UV calls:    %llu (pages unpacked %llu, imported %llu, destroyed %llu, guest UVCs %llu)\n",
		(unsigned long long)s->uv_calls,
		(unsigned long long)s->pages_unpacked,
		(unsigned long long)s->pages_imported,
		(unsigned long long)s->pages_destroyed,
		(unsigned long long)s->guest_uvcs);
	if (r->verify_done)
		fprintf(f, "  verify:      rc 0x%04x rrc 0x%04x%s\n",
			r->verify_rc, r->verify_rrc,
			r->verify_rc == 1 ? " (ok)" : " (failed)");
	else
		fprintf(f, "  verify:      not reached\n");
	if (r->unpack_failed)
		fprintf(f, "  DIAG 308 subcode 10 returned 0x%016llx\n",
			(unsigned long long)r->unpack_response);
	fprintf(f, "  DIAG 308:    %llu calls, %llu IPL%s, %llu SCLP calls, %llu program interruptions\n",
		(unsigned long long)s->d308_total,
		(unsigned long long)s->ipls, s->ipls == 1 ? "" : "s",
		(unsigned long long)s->sclp_calls,
		(unsigned long long)s->pgm_irqs);
	fprintf(f, "  time:        %.3f s: UV %.3f s (unpack, verify), guest %.3f s on %u CPU%s\n",
		r->seconds, r->uv_seconds, r->guest_seconds, r->cpus,
		r->cpus == 1 ? "" : "s");
	for (unsigned int i = 0; i < io->n; i++) {
		const struct pv_machine_disk_info *d = &io->d[i];

		fprintf(f, "  disk 0.0.%04x %s%s: %llu reads (%llu bytes), %llu writes (%llu bytes), %llu flushes, %llu failed\n",
			d->devno, d->path, d->readonly ? " (read-only)" : "",
			(unsigned long long)d->reads,
			(unsigned long long)d->read_bytes,
			(unsigned long long)d->writes,
			(unsigned long long)d->written_bytes,
			(unsigned long long)d->flushes,
			(unsigned long long)d->errors);
	}
}

static void print_json(FILE *f, const struct run_args *a,
		       const struct pv_run_result *r, const struct run_io *io)
{
	const struct pv_run_stats *s = &r->stats;
	struct json j;

	json_begin(&j, f, false);
	json_str(&j, "image", run_name(a));
	json_str(&j, "end", pv_run_end_name(r->end));
	json_u64(&j, "exit_status", success(r, io) ? 0 : 1);
	json_hex64(&j, "wait_code", r->wait_code);
	json_str(&j, "wait_meaning", r->end == PV_RUN_DISABLED_WAIT ?
					     wait_meaning(r->wait_code) : "");
	json_str(&j, "detail", r->detail);
	json_obj(&j, "psw");
	json_hex64(&j, "mask", r->psw_mask);
	json_hex64(&j, "addr", r->psw_addr);
	json_close_obj(&j);
	json_bool(&j, "protected", r->protected_mode);
	json_u64(&j, "protects", s->protects);
	json_obj(&j, "verify");
	json_bool(&j, "done", r->verify_done);
	json_u64(&j, "rc", r->verify_rc);
	json_u64(&j, "rrc", r->verify_rrc);
	json_close_obj(&j);
	json_bool(&j, "unpack_failed", r->unpack_failed);
	json_hex64(&j, "unpack_response", r->unpack_response);
	json_u64(&j, "uv_calls", s->uv_calls);
	json_u64(&j, "guest_uvcs", s->guest_uvcs);
	json_u64(&j, "pages_unpacked", s->pages_unpacked);
	json_u64(&j, "pages_imported", s->pages_imported);
	json_u64(&j, "pages_destroyed", s->pages_destroyed);
	json_u64(&j, "ipls", s->ipls);
	json_u64(&j, "cpus", r->cpus);
	json_u64(&j, "intercepts", s->intercepts);
	json_u64(&j, "sclp_calls", s->sclp_calls);
	json_u64(&j, "pgm_irqs", s->pgm_irqs);
	json_u64(&j, "ext_irqs", s->ext_irqs);
	json_u64(&j, "microseconds", (uint64_t)(r->seconds * 1e6));
	json_u64(&j, "uv_microseconds", (uint64_t)(r->uv_seconds * 1e6));
	json_u64(&j, "guest_microseconds",
		 (uint64_t)(r->guest_seconds * 1e6));
	json_obj(&j, "diag308");
	json_u64(&j, "total", s->d308_total);
	json_arr(&j, "events");
	for (size_t i = 0; i < r->nd308; i++) {
		const struct pv_d308_event *e = &r->d308[i];

		json_obj(&j, NULL);
		json_u64(&j, "subcode", e->subcode);
		json_hex64(&j, "psw_addr", e->psw_addr);
		json_bool(&j, "pv", e->pv);
		json_u64(&j, "pgm", e->pgm);
		if (e->has_response)
			json_hex64(&j, "response", e->response);
		json_close_obj(&j);
	}
	json_close_arr(&j);
	json_close_obj(&j);
	json_obj(&j, "ipl");
	json_str(&j, "from", io->from_disk ? "disk" : "image");
	json_u64(&j, "boot_disk", io->from_disk ? (uint64_t)a->boot : 0);
	json_bool(&j, "bios_stopped", io->bios_stopped);
	json_u64(&j, "bios_microseconds",
		 (uint64_t)(io->bios_seconds * 1e6));
	json_close_obj(&j);
	json_arr(&j, "disks");
	for (unsigned int i = 0; i < io->n; i++) {
		const struct pv_machine_disk_info *d = &io->d[i];

		json_obj(&j, NULL);
		json_str(&j, "path", d->path);
		json_u64(&j, "devno", d->devno);
		json_bool(&j, "readonly", d->readonly);
		json_u64(&j, "reads", d->reads);
		json_u64(&j, "writes", d->writes);
		json_u64(&j, "flushes", d->flushes);
		json_u64(&j, "errors", d->errors);
		json_u64(&j, "read_bytes", d->read_bytes);
		json_u64(&j, "written_bytes", d->written_bytes);
		json_close_obj(&j);
	}
	json_close_arr(&j);
	json_end(&j);
}

/* The disks' counters and the bios's outcome, before the machine goes. */
static void collect_io(struct pv_machine *m, const struct run_args *a,
		       struct run_io *io)
{
	io->from_disk = !a->image;
	io->bios_stopped = pv_machine_bios_stopped(m);
	io->bios_seconds = pv_machine_bios_seconds(m);
	io->n = pv_machine_disks(m);
	for (unsigned int i = 0; i < io->n; i++) {
		pv_machine_disk_info(m, i, &io->d[i]);
		io->d[i].path = a->disks[i].path;	/* outlives the machine */
	}
}

static void free_disks(struct run_args *a)
{
	for (size_t i = 0; i < PV_MACHINE_MAX_DISKS; i++)
		free(a->owned[i]);
}

static void free_keys(struct pv_machine_key *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		util_free_file((uint8_t *)k[i].data, k[i].len);
}

/* Read and check the host key files (their bytes go to the UV). */
static int read_keys(const struct run_args *a, struct pv_machine_key *keys,
		     size_t *nk, struct pv_err **err)
{
	for (*nk = 0; *nk < a->nkeys; (*nk)++) {
		struct pv_eckey *k = NULL;
		uint8_t *buf;
		size_t len;

		if (util_read_file(a->keys[*nk], "host key", MAX_KEY_FILE, &buf,
				   &len, err)) {
			free_keys(keys, *nk);
			return -PV_ERR_IO;
		}
		keys[*nk].data = buf;
		keys[*nk].len = len;
		/* the UV would refuse it too, but without the file name */
		if (pv_eckey_from_bytes(buf, len, true, &k, err)) {
			pv_err_prefix(err, "host key '%s': ", a->keys[*nk]);
			free_keys(keys, *nk + 1);
			return -PV_ERR_FORMAT;
		}
		pv_eckey_free(k);
	}
	return 0;
}

/*
 * Build, load and run the machine with @o; with @crash (the emulator's
 * own process) the crash watch and the sandbox go on before the guest
 * runs.  The disks' figures go to @io.
 */
static int boot(const struct run_args *a, struct pv_machine_opts *o,
		struct pv_machine_crash *crash, struct pv_run_result *r,
		struct run_io *io, struct pv_err **err)
{
	struct pv_machine *m = NULL;
	int rc = pv_machine_new(&m, o, err);

	if (!rc && a->append)
		rc = pv_machine_set_append(m, a->append, err);
	if (!rc && a->image)
		rc = pv_machine_load_file(m, a->image, err);
	else if (!rc)
		rc = pv_machine_ipl_disk(m, (unsigned int)a->boot, err);
	if (!rc && crash) {
		pv_machine_watch_crash(m, crash);
		rc = pv_machine_sandbox(err);
	}
	if (!rc)
		rc = pv_machine_run(m, r, err);
	if (!rc)
		collect_io(m, a, io);
	pv_machine_free(m);
	return rc;
}

/* The two halves of a contained run (cli/run_split.c). */
static int split_child(void *ctx, struct pv_machine_opts *o,
		       struct pv_machine_crash *crash,
		       struct pv_run_result *res, void *extra,
		       struct pv_err **err)
{
	return boot(ctx, o, crash, res, extra, err);
}

static int split_keys(void *ctx, struct pv_uv *uv, struct pv_err **err)
{
	const struct run_args *a = ctx;
	struct pv_machine_key keys[MAX_KEYS];
	size_t nk;
	int rc = read_keys(a, keys, &nk, err);

	for (size_t i = 0; !rc && i < nk; i++)
		rc = pv_uv_add_host_key(uv, keys[i].data, keys[i].len, err);
	if (!rc)
		free_keys(keys, nk);
	return rc;
}

/* In this one process (--no-sandbox): the machine gets the keys. */
static int boot_here(const struct run_args *a, struct pv_machine_opts *o,
		     struct pv_run_result *r, struct run_io *io,
		     struct pv_err **err)
{
	struct pv_machine_key keys[MAX_KEYS];
	size_t nk;
	int rc = read_keys(a, keys, &nk, err);

	if (rc)
		return rc;
	o->host_keys = keys;
	o->nhost_keys = nk;
	rc = boot(a, o, NULL, r, io, err);
	free_keys(keys, nk);
	o->host_keys = NULL;
	return rc;
}

static int run_parsed(struct run_args *a)
{
	struct pv_machine_opts o = { 0 };
	struct pv_run_result *r;
	struct run_response rr = { 0 };
	struct pv_err *err = NULL;
	struct run_io io = { 0 };
	int rc;

	if (!a->nkeys)
		pv_cli_warn("no --host-key given: a Secure Execution image will be refused");
	r = calloc(1, sizeof(*r));
	if (!r)
		return pv_cli_fail(NULL);
	o.mem_size = a->mem;
	o.trace = a->trace;
	o.console = a->json ? stderr : stdout;
	if (a->save_response &&
	    run_response_setup(&rr, a->save_response, &a->transcript, &err)) {
		free(r);
		return pv_cli_fail(err);
	}
	o.transcript = a->transcript;
	o.timeout = a->timeout;
	o.interrupted = util_interrupted;
	o.disks = a->disks;
	o.ndisks = a->ndisks;
	o.bios = a->bios;
	o.cpus = a->smp;
	o.console_input = !a->no_input;
	o.input_fd = STDIN_FILENO;
	util_signals_install();
	if (o.console_input && run_tty_raw()) {
		o.escape = ESCAPE;
		fprintf(stderr, "pvboot: the terminal is the guest's console; Ctrl-a x ends the run\r\n");
	}
	if (a->no_sandbox) {
		rc = boot_here(a, &o, r, &io, &err);
	} else {
		struct run_split sp = { .child = split_child,
					.keys = split_keys, .ctx = a,
					.extra_len = sizeof(io) };

		rc = run_split(&sp, &o, r, &io, &err);
		for (unsigned int i = 0; !rc && i < io.n; i++)
			io.d[i].path = a->disks[i].path;
	}
	run_tty_restore();
	if (rc) {
		run_response_cleanup(&rr);
		free(r);
		return pv_cli_fail(err);
	}
	fflush(stderr);
	if (a->json)
		print_json(stdout, a, r, &io);
	else
		print_text(stdout, a, r, &io);
	rc = success(r, &io) ? PV_EXIT_OK : PV_EXIT_ERROR;
	/* the console is complete now: the response it carries */
	if (a->save_response && run_response_finish(&rr, &err)) {
		pv_cli_fail(err);
		rc = PV_EXIT_ERROR;
	}
	run_response_cleanup(&rr);
	free(r);
	return rc;
}

static int run_run(int argc, char **argv)
{
	struct run_args a = { 0 };
	int rc = parse(&a, argc, argv);

	if (rc < 0)
		rc = run_parsed(&a);
	free_disks(&a);
	return rc;
}

PV_COMMAND(run, "boot an image on the s390x machine with the software Ultravisor",
	   run_run, 60);
