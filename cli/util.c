// SPDX-License-Identifier: MIT
/* Helpers shared by the image commands (see util.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/crypto.h"
#include "util.h"

int util_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int util_read_file(const char *path, const char *what, size_t max,
		   uint8_t **buf, size_t *len, struct pv_err **err)
{
	uint8_t *b = NULL;
	size_t n = 0;
	int fd;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pv_err_set(err, PV_ERR_IO, "cannot open %s '%s': %s",
				  what, path, strerror(errno));
	b = malloc(max + 1);
	if (!b) {
		close(fd);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	while (n <= max) {
		ssize_t r = read(fd, b + n, max + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			util_free_file(b, max + 1);
			return pv_err_set(err, PV_ERR_IO, "reading %s '%s': %s",
					  what, path, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		util_free_file(b, max + 1);
		return pv_err_set(err, PV_ERR_RANGE,
				  "%s '%s' is larger than %zu bytes", what,
				  path, max);
	}
	*buf = b;
	*len = n;
	return 0;
}

void util_free_file(uint8_t *buf, size_t len)
{
	pv_free_secret(buf, len);
}

/* ---- atomic output ------------------------------------------------------ */

static volatile sig_atomic_t interrupted;
static struct pv_outfile *volatile active_out;

static void on_signal(int sig)
{
	struct pv_outfile *o = active_out;

	(void)sig;
	/* a second signal does not wait for the build to notice the first;
	 * an unnamed temporary file goes away with the process */
	if (interrupted && o) {
		if (o->tmp)
			unlink(o->tmp);
		_exit(1);
	}
	interrupted = 1;
}

void util_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocked read returns EINTR and sees the flag */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* past a file-size limit a write then fails with EFBIG instead */
	signal(SIGXFSZ, SIG_IGN);
}

bool util_interrupted(void)
{
	return interrupted != 0;
}

int util_out_check(const char *path, bool overwrite, struct pv_err **err)
{
	struct stat st;

	if (!overwrite && !lstat(path, &st))
		return pv_err_set(err, PV_ERR_EXISTS,
				  "output '%s' exists; use --overwrite to replace it",
				  path);
	return 0;
}

int util_out_open(struct util_out *o, const char *path, bool overwrite,
		  struct pv_err **err)
{
	int rc;

	/* the image is not secret: 0666 less the umask, like any new file */
	rc = pv_outfile_open(&o->f, path,
			     PV_OUTFILE_FLUSH |
				     (overwrite ? PV_OUTFILE_OVERWRITE : 0),
			     0666, err);
	o->fd = o->f.fd;
	if (!rc)
		active_out = &o->f;
	return rc;
}

int util_out_commit(struct util_out *o, struct pv_err **err)
{
	int rc;

	if (util_interrupted()) {
		util_out_abort(o);
		return pv_err_set(err, PV_ERR_STATE, "interrupted");
	}
	rc = pv_outfile_commit(&o->f, err);
	active_out = NULL;
	o->fd = -1;
	return rc;
}

void util_out_abort(struct util_out *o)
{
	active_out = NULL;
	pv_outfile_abort(&o->f);
	o->fd = -1;
}

/* ---- progress ----------------------------------------------------------- */

static double secs_since(const struct timespec *a)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - a->tv_sec) +
	       (double)(now.tv_nsec - a->tv_nsec) / 1e9;
}

void util_progress_init(struct util_progress *p, const char *label,
			bool quiet)
{
	memset(p, 0, sizeof(*p));
	p->label = label;
	p->enabled = !quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

int util_progress_cb(void *opaque, uint64_t done, uint64_t total)
{
	struct util_progress *p = opaque;
	double t, rate;
	int pct, width = 30, fill;

	if (util_interrupted())
		return 1;
	if (!p || !p->enabled)
		return 0;
	t = secs_since(&p->start);
	if (t < 1.0 || (p->drawn && secs_since(&p->last) < 0.1))
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	rate = (double)done / t / (1024.0 * 1024.0);
	if (total) {
		pct = (int)(done * 100 / total);
		if (pct > 100)
			pct = 100;
		fill = pct * width / 100;
		fprintf(stderr, "\r%s [%.*s%*s] %3d%% %7.1f MiB/s", p->label,
			fill, "##############################", width - fill,
			"", pct, rate);
	} else {
		fprintf(stderr, "\r%s %llu MiB %7.1f MiB/s", p->label,
			(unsigned long long)(done >> 20), rate);
	}
	p->drawn = true;
	return 0;
}

void util_progress_end(struct util_progress *p)
{
	if (p->drawn)
		fprintf(stderr, "\r%*s\r", 72, "");
	p->drawn = false;
}

/* ---- hex and Base64 ----------------------------------------------------- */

char *util_hex(const uint8_t *buf, size_t len, char *out)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = d[buf[i] >> 4];
		out[2 * i + 1] = d[buf[i] & 15];
	}
	out[2 * len] = 0;
	return out;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool util_parse_hex_u64(const char *s, uint64_t *v)
{
	size_t n;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (!n || n > 16)
		return false;
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		int h = hexval(s[i]);

		if (h < 0)
			return false;
		*v = *v << 4 | (uint64_t)h;
	}
	return true;
}

bool util_parse_hex(const char *s, uint8_t *out, size_t len)
{
	if (strlen(s) != 2 * len)
		return false;
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

char *util_base64(const uint8_t *buf, size_t len)
{
	static const char t[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((len + 2) / 3 * 4 + 1), *p = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)buf[i] << 16;
		size_t left = len - i;

		if (left > 1)
			v |= (uint32_t)buf[i + 1] << 8;
		if (left > 2)
			v |= buf[i + 2];
		*p++ = t[v >> 18 & 63];
		*p++ = t[v >> 12 & 63];
		*p++ = left > 1 ? t[v >> 6 & 63] : '=';
		*p++ = left > 2 ? t[v & 63] : '=';
	}
	*p = 0;
	return out;
}

/* ---- lists -------------------------------------------------------------- */

static int list_push(struct util_list *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		const char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return 0;
}

int util_list_add(struct util_list *l, const char *arg, bool split)
{
	char *copy, *save = NULL, *tok;

	if (!split)
		return list_push(l, arg);
	/* "a,b,c" as with clap's value_delimiter; the copies live on */
	copy = strdup(arg);
	if (!copy)
		return -1;
	{
		char **own = realloc(l->own, (l->nown + 1) * sizeof(*own));

		if (!own) {
			free(copy);
			return -1;
		}
		l->own = own;
		l->own[l->nown++] = copy;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (list_push(l, tok))
			return -1;
	return 0;
}

void util_list_free(struct util_list *l)
{
	for (size_t i = 0; i < l->nown; i++)
		free(l->own[i]);
	free(l->own);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- JSON --------------------------------------------------------------- */

static void json_sep(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (j->pretty) {
		fputc('\n', j->f);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	if (key)
		fprintf(j->f, j->pretty ? "\"%s\": " : "\"%s\":", key);
}

void json_begin(struct json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
	j->first[0] = true;
	fputc('{', f);
	j->depth = 1;
	j->first[1] = true;
}

static void json_close(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (j->pretty && !empty) {
		fputc('\n', j->f);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	fputc(c, j->f);
}

void json_end(struct json *j)
{
	json_close(j, '}');
	fputc('\n', j->f);
}

void json_obj(struct json *j, const char *key)
{
	json_sep(j, key);
	fputc('{', j->f);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = true;
}

void json_arr(struct json *j, const char *key)
{
	json_sep(j, key);
	fputc('[', j->f);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = true;
}

void json_close_obj(struct json *j)
{
	json_close(j, '}');
}

void json_close_arr(struct json *j)
{
	json_close(j, ']');
}

/*
 * Length of the well-formed UTF-8 sequence at @p (RFC 3629: no overlong
 * forms, no surrogates, at most U+10FFFF), or 0.
 */
static size_t utf8_len(const unsigned char *p)
{
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* File names and guest text need not be UTF-8: bad bytes become U+FFFD. */
void json_str(struct json *j, const char *key, const char *val)
{
	const unsigned char *p = (const unsigned char *)val;
	size_t n;

	json_sep(j, key);
	fputc('"', j->f);
	while (*p) {
		n = utf8_len(p);
		if (!n) {
			fputs("\\ufffd", j->f);
			p++;
		} else if (*p == '"' || *p == '\\') {
			fprintf(j->f, "\\%c", *p);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(j->f, "\\u%04x", *p);
			p++;
		} else {
			fwrite(p, 1, n, j->f);
			p += n;
		}
	}
	fputc('"', j->f);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	json_sep(j, key);
	fprintf(j->f, "%llu", (unsigned long long)val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_sep(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_hexbuf(struct json *j, const char *key, const uint8_t *buf,
		 size_t len)
{
	json_sep(j, key);
	fputc('"', j->f);
	for (size_t i = 0; i < len; i++)
		fprintf(j->f, "%02x", buf[i]);
	fputc('"', j->f);
}

void json_hex64(struct json *j, const char *key, uint64_t val)
{
	json_sep(j, key);
	fprintf(j->f, "\"%016llx\"", (unsigned long long)val);
}

void json_meta(struct json *j)
{
	char host[256] = "unknown", when[64];
	time_t now = time(NULL);
	struct tm tm;

	if (gethostname(host, sizeof(host) - 1))
		strcpy(host, "unknown");
	host[sizeof(host) - 1] = 0;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S+0000", &tm);
	/* se-image-format.md §8.3: the pvimg envelope, api_level 1 */
	json_obj(j, "meta");
	json_u64(j, "api_level", 1);
	json_str(j, "version", PVBOOT_VERSION);
	json_str(j, "host", host);
	json_u64(j, "time_epoch", (uint64_t)now);
	json_str(j, "time", when);
	json_close_obj(j);
}
