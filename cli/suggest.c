// SPDX-License-Identifier: MIT
/*
 * "Did you mean ...?" for mistyped options and commands: the closest known
 * name by edit distance (insert, delete, replace, swap two neighbours).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_NAME 64

/* Optimal string alignment distance of @a and @b (both < MAX_NAME). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[MAX_NAME + 1][MAX_NAME + 1];

	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *pv_cli_closest(const char *word, const char *const *names,
			   size_t n)
{
	size_t len = strlen(word), best_d = 3;
	const char *best = NULL;

	if (!len || len >= MAX_NAME)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t d;

		if (strlen(names[i]) >= MAX_NAME)
			continue;
		d = distance(word, names[i]);
		/* short words are too close to everything */
		if (d < best_d && d * 3 <= len) {
			best_d = d;
			best = names[i];
		}
	}
	return best;
}

int pv_cli_bad_option(const char *cmd, const char *arg,
		      const struct option *opts)
{
	const char *names[128], *best = NULL;
	char word[MAX_NAME];
	size_t n = 0, len;

	if (!strncmp(arg, "--", 2)) {
		len = strcspn(arg + 2, "=");
		if (len < sizeof(word)) {
			memcpy(word, arg + 2, len);
			word[len] = 0;
			for (; opts && opts->name && n < 128; opts++)
				names[n++] = opts->name;
			best = pv_cli_closest(word, names, n);
		}
	}
	if (best)
		return pv_cli_usage_error(cmd, "unrecognized option '%s'; did you mean '--%s'?",
					  arg, best);
	return pv_cli_usage_error(cmd, "unrecognized option '%s'", arg);
}
