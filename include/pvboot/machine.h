/* SPDX-License-Identifier: MIT */
/*
 * The s390x machine that boots Secure Execution images: guest RAM, one or
 * more Unicorn s390x CPUs, interruptions, TOD clock and timers, an SCLP
 * console in both directions, SIGP, STSI, STFLE,
 * DIAG 308 with both IPL-block slots, and a KVM/QEMU-like hypervisor layer
 * that drives the software Ultravisor (pv-machine-and-uv.md §1-§5).
 *
 * Typical use:
 *	pv_machine_new(&m, &opts, &err);
 *	pv_machine_load_file(m, "image.se", &err);
 *	pv_machine_run(m, &res, &err);
 *	pv_machine_free(m);
 *
 * The machine never sees host private keys: they go straight to the UV,
 * which keeps them until pv_machine_free().
 */
#ifndef PVBOOT_MACHINE_H
#define PVBOOT_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pvboot/err.h"

#define PV_MACHINE_DEFAULT_MEM (256ULL << 20)
#define PV_MACHINE_MIN_MEM (1ULL << 20)

/* Test knobs of the modelled host and CPU model (pv_machine_opts.flags). */
#define PV_MACHINE_F_NO_UNPACK 0x1U	/* CPU model without facility 161 */
#define PV_MACHINE_F_TCG_DIAG 0x2U	/* DIAG 308 sc 3/4 as QEMU TCG does */
#define PV_MACHINE_F_HUGE_PAGES 0x4U	/* RAM on 1 MiB pages (B-02) */
#define PV_MACHINE_F_NO_INIT 0x8U	/* host without prot_virt=1 (B-04) */

/* QEMU's s390-ccw bios as Debian's qemu-system-data installs it. */
#define PV_MACHINE_DEFAULT_BIOS "/usr/share/qemu/s390-ccw.img"
#define PV_MACHINE_MAX_DISKS 8

/*
 * A disk: a raw image file attached as a virtio-blk-ccw device; disk N
 * is subchannel and device number 0.0.000N.
 */
struct pv_machine_disk {
	const char *path;
	bool readonly;		/* the guest cannot write (VIRTIO_BLK_F_RO) */
};

/* A host private key as the bytes of its PEM or DER file. */
struct pv_machine_key {
	const uint8_t *data;
	size_t len;
};

struct pv_machine_opts {
	uint64_t mem_size;		/* bytes, 0 = the default */
	const struct pv_machine_key *host_keys;	/* copied into the UV */
	size_t nhost_keys;
	bool trace;			/* log privileged ops etc. */
	FILE *trace_out;		/* trace log, NULL = stderr */
	FILE *console;			/* guest console, NULL = stdout */
	const char *transcript;		/* console copy, or NULL */
	double timeout;			/* seconds, 0 = none */
	unsigned int flags;		/* PV_MACHINE_F_* */
	bool (*interrupted)(void);	/* polled: true ends the run */
	unsigned int cpus;		/* guest CPUs, 0 = 1 (at most 248) */
	bool console_input;		/* feed @input_fd to the console */
	int input_fd;			/* read by the machine's own thread */
	/* With @console_input: this byte followed by 'x' ends the run
	 * (PV_RUN_USER_QUIT), twice sends it once; 0 = no escape. */
	uint8_t escape;
	const struct pv_machine_disk *disks;	/* opened by pv_machine_new */
	size_t ndisks;				/* at most PV_MACHINE_MAX_DISKS */
	const char *bios;	/* IPL from a disk: NULL = the default */
	/*
	 * The UV runs in another process that serves it on the socket
	 * @uv_socket (pv_machine_uv_serve); @host_keys must be empty.
	 */
	bool uv_remote;
	int uv_socket;
};

/* How a run ended. */
enum pv_run_end {
	PV_RUN_DISABLED_WAIT,	/* LPSW(E) of a disabled wait PSW */
	PV_RUN_SIGP_STOP,	/* SIGP stop (and store status) to itself */
	PV_RUN_TIMEOUT,		/* opts.timeout elapsed */
	PV_RUN_ERROR,		/* the guest cannot go on: see detail */
	PV_RUN_USER_QUIT,	/* the escape sequence on the console */
};

/* One DIAG 308 seen by the machine (most recent PV_RUN_MAX_D308 kept). */
struct pv_d308_event {
	uint64_t subcode;	/* whole subcode register */
	uint64_t psw_addr;	/* address of the DIAG */
	bool pv;		/* issued in protected mode */
	uint16_t pgm;		/* program interruption presented, or 0 */
	uint64_t response;	/* r1 + 1 afterwards (sc 5, 6, 8, 9, 10) */
	bool has_response;
};
#define PV_RUN_MAX_D308 32

struct pv_run_stats {
	uint64_t intercepts;	/* system instructions the machine ran */
	uint64_t pgm_irqs, ext_irqs, svc_irqs, io_irqs;
	uint64_t sclp_calls;
	uint64_t uv_calls;	/* UVCs of host and guest together */
	uint64_t guest_uvcs;
	uint64_t pages_unpacked;
	uint64_t pages_imported;
	uint64_t pages_destroyed;
	uint64_t d308_total;
	uint64_t ipls;		/* IPLs including the first */
	uint64_t protects;	/* successful switches into protected mode */
};

struct pv_run_result {
	enum pv_run_end end;
	uint64_t psw_mask, psw_addr;	/* final PSW */
	uint64_t wait_code;		/* PSW address of a disabled wait */
	bool protected_mode;		/* guest was protected at the end */
	/* Last subcode-10 attempt: verify outcome and composite response. */
	bool verify_done;		/* a VERIFY call was made */
	uint16_t verify_rc, verify_rrc;
	bool unpack_failed;		/* last subcode 10 returned */
	uint64_t unpack_response;	/* r1 + 1 it returned */
	double seconds;
	double guest_seconds;		/* running guest code */
	double uv_seconds;		/* in the UV: protect, unpack, verify */
	unsigned int cpus;
	struct pv_run_stats stats;
	size_t nd308;			/* events in d308[], oldest 1st */
	struct pv_d308_event d308[PV_RUN_MAX_D308];
	char detail[768];		/* human-readable reason of the end */
};

struct pv_machine;
struct pv_uv;

/*
 * Serve the UV calls of a machine made with opts.uv_remote, on @uv, over
 * the SOCK_SEQPACKET socket @fd, until the machine's side closes it (0).
 * The machine's guest RAM and host storage arrive as memfds and are mapped
 * here; the UV's notifications and guest-address questions go back over
 * the same socket.  A malformed request ends the service (-PV_ERR_IO).
 */
int pv_machine_uv_serve(struct pv_uv *uv, int fd, struct pv_err **err);

/*
 * Confine the calling process for running guest code (seccomp): from now
 * on it can use only the files it has open, map memory without execute
 * rights, wait and run threads; opening files, sockets and exec fail.
 * Call after pv_machine_new() and loading, before pv_machine_run().
 */
int pv_machine_sandbox(struct pv_err **err);

/* Where the guest was when the process died of a signal (shared memory). */
struct pv_machine_crash {
	volatile int signal;		/* 0 while alive */
	volatile int have_psw;
	volatile uint32_t cpu;
	volatile uint64_t psw_mask, psw_addr;
};
/* Record the running CPU's PSW into @c if the process dies of a signal. */
void pv_machine_watch_crash(struct pv_machine *m, struct pv_machine_crash *c);

/*
 * Create a machine: map guest RAM (anonymous, MAP_NORESERVE), open the
 * Unicorn CPU, initialise the software UV as a host booted with
 * prot_virt=1 would, and load the host keys into it.  The key bytes are
 * copied; the caller should zeroize its buffers.  Returns 0 or -code.
 */
int pv_machine_new(struct pv_machine **out, const struct pv_machine_opts *o,
		   struct pv_err **err);
/*
 * Tear down: leave protected mode first (the UV zeroes the guest's secure
 * pages), then free the CPU, RAM and the UV with its keys.  NULL-safe.
 */
void pv_machine_free(struct pv_machine *m);

/*
 * Load the IPL image at absolute 0 like QEMU's -kernel of a raw binary.
 * The file is read again on every re-IPL; a buffer is copied once.  An
 * image larger than RAM is refused (PV_ERR_RANGE).
 */
int pv_machine_load_file(struct pv_machine *m, const char *path,
			 struct pv_err **err);
int pv_machine_load_buffer(struct pv_machine *m, const void *buf, size_t len,
			   struct pv_err **err);

/*
 * IPL from disk @disk (counting from 0) through the s390-ccw bios
 * (opts.bios or PV_MACHINE_DEFAULT_BIOS), as QEMU does for a virtio-blk
 * device with bootindex 1: the bios is loaded, relocated and started with
 * a CCW-type IPL block for the disk in the normal slot, and it reads the
 * zipl boot record of the disk.  A re-IPL starts the bios again.
 */
int pv_machine_ipl_disk(struct pv_machine *m, unsigned int disk,
			struct pv_err **err);

/*
 * The bios loaded for an IPL from a disk: the name of the tested build it
 * is, "" for a build pvboot was not tested with, NULL when none is
 * loaded.  *@sha256 (if not NULL): its SHA-256 in hex.
 */
const char *pv_machine_bios_build(const struct pv_machine *m,
				  const char **sha256);

/* After a run: it ended before the bios handed over to what it loaded. */
bool pv_machine_bios_stopped(const struct pv_machine *m);
/* Seconds from the bios's start to its hand-over (0 if none yet). */
double pv_machine_bios_seconds(const struct pv_machine *m);

/* What a disk did (pv_machine_disk_info); @path belongs to the machine. */
struct pv_machine_disk_info {
	const char *path;
	uint16_t devno;
	uint64_t size;
	bool readonly;
	uint64_t reads, writes, flushes, errors;	/* requests */
	uint64_t read_bytes, written_bytes;
};
unsigned int pv_machine_disks(const struct pv_machine *m);
int pv_machine_disk_info(const struct pv_machine *m, unsigned int disk,
			 struct pv_machine_disk_info *out);

/*
 * Kernel command line for images with "S390EP" at 0x10008: written to
 * 0x10480 at every IPL.  Longer than the limit at 0x10430 (or 896) is
 * PV_ERR_RANGE when the image is loaded; an image without S390EP makes
 * the command line an error (PV_ERR_INVAL).  Call before loading.
 */
int pv_machine_set_append(struct pv_machine *m, const char *text,
			  struct pv_err **err);

/*
 * Run from the IPL PSW until the guest stops (disabled wait, SIGP stop),
 * times out or cannot continue.  All of these fill @res and return 0; a
 * negative code means the host failed (Unicorn, out of memory).  A machine
 * runs once.
 */
int pv_machine_run(struct pv_machine *m, struct pv_run_result *res,
		   struct pv_err **err);

/*
 * Short stable name of an end reason for messages and JSON:
 * "disabled-wait", "sigp-stop", "timeout", "error" or "user-quit".
 */
const char *pv_run_end_name(enum pv_run_end end);

/*
 * Read guest absolute memory as the hypervisor does (through the UV's
 * host-access check).  Returns 0, or the program-interruption code the
 * access raises: 0x3d for a secure page, 0x05 outside RAM.
 */
int pv_machine_hv_read(struct pv_machine *m, uint64_t gaddr, void *buf,
		       size_t len);

/*
 * True while the guest is in protected mode (also after the run ended
 * there: the secure configuration lives until pv_machine_free()).
 */
bool pv_machine_protected(const struct pv_machine *m);

/*
 * Guest RAM size in bytes (what READ SCP INFO reports and where
 * addressing exceptions start).
 */
uint64_t pv_machine_mem_size(const struct pv_machine *m);

/*
 * Parse a size such as "256M", "2G", "65536" or "512K" (binary units).
 * Returns 0 or -PV_ERR_INVAL.
 */
int pv_parse_size(const char *s, uint64_t *out, struct pv_err **err);

#endif
