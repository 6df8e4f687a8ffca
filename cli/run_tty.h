/* SPDX-License-Identifier: MIT */
/* The terminal of `pvboot run` (run_tty.c). */
#ifndef PVBOOT_CLI_RUN_TTY_H
#define PVBOOT_CLI_RUN_TTY_H

#include <stdbool.h>

/*
 * Put a terminal on standard input into raw mode for the guest console,
 * with its restore registered for exit() and fatal signals.  Returns
 * false (and changes nothing) when standard input is not a terminal.
 */
bool run_tty_raw(void);

/* Give the terminal its settings back (safe to call more than once). */
void run_tty_restore(void);

#endif
