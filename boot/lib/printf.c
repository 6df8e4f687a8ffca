// SPDX-License-Identifier: MIT
/*
 * Minimal printf-style formatting for the boot code.
 */
#include "libboot.h"

struct fmt_spec {
	bool left;
	bool zero;
	int width;
	int prec;		/* -1: none */
};

typedef void (*sink_fn)(void *ctx, const char *s, size_t n);

static int emit_pad(sink_fn sink, void *ctx, char c, int n)
{
	int i;

	for (i = 0; i < n; i++)
		sink(ctx, &c, 1);
	return n > 0 ? n : 0;
}

/* Emit @s (@n chars) padded to the field width. */
static int emit_field(sink_fn sink, void *ctx, const struct fmt_spec *f,
		      const char *prefix, const char *s, size_t n)
{
	size_t plen = strlen(prefix);
	int pad = f->width - (int)(n + plen);
	int out = 0;

	if (!f->left && !f->zero)
		out += emit_pad(sink, ctx, ' ', pad);
	if (plen) {
		sink(ctx, prefix, plen);
		out += (int)plen;
	}
	if (!f->left && f->zero)
		out += emit_pad(sink, ctx, '0', pad);
	sink(ctx, s, n);
	out += (int)n;
	if (f->left)
		out += emit_pad(sink, ctx, ' ', pad);
	return out;
}

/* Not inlined: it is called from two places and size matters here. */
static __attribute__((noinline))
int emit_number(sink_fn sink, void *ctx, struct fmt_spec *f, uint64_t v,
		bool neg, unsigned int base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int i = sizeof(buf);
	int min = f->prec >= 0 ? f->prec : 1;

	while (v || min > 0) {
		buf[--i] = digits[v % base];
		v /= base;
		min--;
	}
	if (neg)
		prefix = "-";
	if (f->prec >= 0)
		f->zero = false;
	return emit_field(sink, ctx, f, prefix, buf + i, sizeof(buf) - i);
}

/* va_list wrapped so that helpers can take arguments from it. */
struct fmt_args {
	va_list ap;
};

/* Integer argument of length @lng (-2 hh .. 2 ll), sign-extended if @sgn. */
static __attribute__((noinline))
uint64_t arg_int(struct fmt_args *a, int lng, bool sgn)
{
	uint64_t v;

	if (lng > 0)
		return va_arg(a->ap, unsigned long);
	v = va_arg(a->ap, unsigned int);
	if (lng == -1)
		v = sgn ? (uint64_t)(int64_t)(short)v : (unsigned short)v;
	else if (lng <= -2)
		v = sgn ? (uint64_t)(int64_t)(signed char)v : (unsigned char)v;
	else if (sgn)
		v = (uint64_t)(int64_t)(int)v;
	return v;
}

static int vformat(sink_fn sink, void *ctx, const char *fmt,
		   struct fmt_args *a)
{
	int out = 0;

	while (*fmt) {
		struct fmt_spec f = { .prec = -1 };
		const char *start = fmt;
		unsigned int base = 10;
		int lng = 0;
		uint64_t u;
		char c;

		while (*fmt && *fmt != '%')
			fmt++;
		if (fmt != start) {
			sink(ctx, start, (size_t)(fmt - start));
			out += (int)(fmt - start);
		}
		if (!*fmt)
			break;
		start = fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				f.left = true;
			else if (*fmt == '0')
				f.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			f.width = (int)arg_int(a, 0, true);
			if (f.width < 0) {
				f.left = true;
				f.width = -f.width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			f.width = f.width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			f.prec = 0;
			if (*++fmt == '*') {
				f.prec = (int)arg_int(a, 0, true);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				f.prec = f.prec * 10 + (*fmt++ - '0');
		}
		if (f.left)
			f.zero = false;
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l' || *fmt == 'z')
				lng++;
			else
				break;
		}
		c = *fmt;
		switch (c) {
		case 'd':
		case 'i':
			u = arg_int(a, lng, true);
			out += emit_number(sink, ctx, &f,
					   (int64_t)u < 0 ? 0 - u : u,
					   (int64_t)u < 0, 10, false, "");
			break;
		case 'x':
		case 'X':
		case 'p':
			base = 16;
			/* fall through */
		case 'u':
			u = arg_int(a, c == 'p' ? 1 : lng, false);
			out += emit_number(sink, ctx, &f, u, false, base,
					   c == 'X', c == 'p' ? "0x" : "");
			break;
		case 's': {
			const char *str = va_arg(a->ap, const char *);

			if (!str)
				str = "(null)";
			f.zero = false;
			out += emit_field(sink, ctx, &f, "", str,
					  f.prec >= 0 ?
					  strnlen(str, (size_t)f.prec) :
					  strlen(str));
			break;
		}
		case 'c':
			c = (char)arg_int(a, 0, false);
			f.zero = false;
			out += emit_field(sink, ctx, &f, "", &c, 1);
			break;
		default:
			/* "%%", or an unknown conversion as it stands. */
			if (!c)
				return out;
			if (c != '%') {
				sink(ctx, start, 1);
				out++;
			}
			sink(ctx, fmt, 1);
			out++;
			break;
		}
		fmt++;
	}
	return out;
}

int boot_vformat(sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_args a;
	int n;

	va_copy(a.ap, ap);
	n = vformat(sink, ctx, fmt, &a);
	va_end(a.ap);
	return n;
}

struct str_sink {
	char *buf;
	size_t size;
	size_t len;
};

static void str_put(void *ctx, const char *s, size_t n)
{
	struct str_sink *o = ctx;
	size_t i;

	for (i = 0; i < n; i++, o->len++) {
		if (o->len + 1 < o->size)
			o->buf[o->len] = s[i];
	}
}

int boot_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct str_sink o = { .buf = buf, .size = size };
	int n = boot_vformat(str_put, &o, fmt, ap);

	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return n;
}

int boot_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = boot_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

struct cons_sink {
	char buf[512];
	size_t len;
};

static void cons_flush(struct cons_sink *o)
{
	if (o->len)
		sclp_console_write(o->buf, o->len);
	o->len = 0;
}

static void cons_put(void *ctx, const char *s, size_t n)
{
	struct cons_sink *o = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		if (o->len == sizeof(o->buf))
			cons_flush(o);
		o->buf[o->len++] = s[i];
	}
}

int boot_vprintf(const char *fmt, va_list ap)
{
	struct cons_sink o;
	int n;

	o.len = 0;
	n = boot_vformat(cons_put, &o, fmt, ap);
	cons_flush(&o);
	return n;
}

int boot_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = boot_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void boot_panic(uint64_t code, const char *fmt, ...)
{
	struct cons_sink o;
	va_list ap;

	o.len = 0;
	va_start(ap, fmt);
	boot_vformat(cons_put, &o, fmt, ap);
	va_end(ap);
	cons_put(&o, "\n", 1);
	cons_flush(&o);
	boot_disabled_wait(code);
}
