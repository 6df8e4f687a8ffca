// SPDX-License-Identifier: MIT
/*
 * The terminal of `pvboot run`: when standard input is a terminal it goes
 * raw for the guest's console (no line editing, no echo, ^C to the guest,
 * as QEMU's -nographic does), and comes back on every way out: the
 * normal end, exit(), and the signals that end the process.  Output keeps
 * the terminal's newline handling.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "run_tty.h"

static struct termios saved;
static volatile sig_atomic_t raw_on;

void run_tty_restore(void)
{
	if (raw_on) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		raw_on = 0;
	}
}

/* A fatal signal: restore the terminal, then die of the signal. */
static void on_fatal(int sig)
{
	run_tty_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

bool run_tty_raw(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
				     SIGILL, SIGQUIT };
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return false;
	t = saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	t.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | IGNCR);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t))
		return false;
	raw_on = 1;
	atexit(run_tty_restore);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], on_fatal);
	return true;
}
