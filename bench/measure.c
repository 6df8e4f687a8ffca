// SPDX-License-Identifier: MIT
/*
 * Benchmark helper: run one command and report its wall time and peak
 * resident memory, for bench/run.sh.
 *
 *   measure [-o FILE] [-l TEXT] -- COMMAND [ARG...]
 *
 * The command's standard output goes through a pipe into FILE (default
 * /dev/null); its standard error is discarded.  With -l, the time at which
 * the last line containing TEXT had arrived is reported as well (for
 * `pvboot run`: the test kernel's last console line, before the machine is
 * torn down).  One line is printed when the command has ended:
 *
 *   SECONDS PEAK_RSS_KIB EXIT_STATUS LINE_SECONDS
 *
 * SECONDS is CLOCK_MONOTONIC from just before fork() to the reaping of the
 * child, PEAK_RSS_KIB the child's ru_maxrss from wait4(), EXIT_STATUS the
 * exit code (128 + signal number when killed) and LINE_SECONDS "-" when -l
 * was not given or the text never appeared.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: measure [-o FILE] [-l TEXT] -- COMMAND [ARG...]\n");
	exit(2);
}

/* Search @text in the lines completed by this read, with carry-over. */
struct line_watch {
	const char *text;
	char line[4096];
	size_t len;
	double seen;		/* when the last matching line ended */
};

static void watch(struct line_watch *w, const char *buf, size_t n, double t)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (w->len < sizeof(w->line) - 1)
				w->line[w->len++] = buf[i];
			continue;
		}
		w->line[w->len] = 0;
		if (strstr(w->line, w->text))
			w->seen = t;
		w->len = 0;
	}
}

int main(int argc, char **argv)
{
	const char *out_path = "/dev/null";
	struct line_watch w = { 0 };
	struct rusage ru;
	int pfd[2], out, opt, status, code;
	double t0, t1;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+o:l:")) != -1) {
		if (opt == 'o')
			out_path = optarg;
		else if (opt == 'l')
			w.text = optarg;
		else
			usage();
	}
	if (optind >= argc)
		usage();
	out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0 || pipe2(pfd, O_CLOEXEC)) {
		fprintf(stderr, "measure: %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 1;
	}
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		if (dup2(pfd[1], 1) < 0 || null < 0 || dup2(null, 2) < 0)
			_exit(127);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		char buf[65536];
		ssize_t n = read(pfd[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (w.text)
			watch(&w, buf, (size_t)n, now() - t0);
		if (write(out, buf, (size_t)n) != n) {
			perror("measure: writing the output");
			return 1;
		}
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("measure: wait4");
			return 1;
		}
	}
	t1 = now();
	close(out);
	code = WIFEXITED(status) ? WEXITSTATUS(status) :
				   128 + WTERMSIG(status);
	if (w.text && w.seen > 0)
		printf("%.6f %ld %d %.6f\n", t1 - t0, ru.ru_maxrss, code,
		       w.seen);
	else
		printf("%.6f %ld %d -\n", t1 - t0, ru.ru_maxrss, code);
	return 0;
}
