/* SPDX-License-Identifier: MIT */
/*
 * `pvboot run` in two processes: the guest runs in a child that holds no
 * key and confines itself (seccomp) before the guest starts; the UV and
 * the host keys stay in the parent, which serves the child's UV calls.
 */
#ifndef PVBOOT_CLI_RUN_SPLIT_H
#define PVBOOT_CLI_RUN_SPLIT_H

#include <stddef.h>

#include "pvboot/err.h"
#include "pvboot/machine.h"
#include "pvboot/uv.h"

struct run_split {
	/*
	 * In the child: make the machine with @o (opts.uv_remote is set),
	 * load it, pv_machine_watch_crash(m, @crash), pv_machine_sandbox(),
	 * run, and fill @res and @extra (@extra_len bytes, sent back).
	 */
	int (*child)(void *ctx, struct pv_machine_opts *o,
		     struct pv_machine_crash *crash, struct pv_run_result *res,
		     void *extra, struct pv_err **err);
	/* In the parent, after the fork: load the host keys into @uv. */
	int (*keys)(void *ctx, struct pv_uv *uv, struct pv_err **err);
	void *ctx;
	size_t extra_len;
};

/*
 * Run @s: fork, serve the child's UV until it ends, and collect what it
 * reported into @res and @extra.  0, or -code with *@err: the child's own
 * error, a key that does not load, or "the CPU emulator failed" when the
 * child died (a signal, or no report) with the PSW it was at.
 */
int run_split(const struct run_split *s, struct pv_machine_opts *o,
	      struct pv_run_result *res, void *extra, struct pv_err **err);

#endif
