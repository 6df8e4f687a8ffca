// SPDX-License-Identifier: MIT
/* Base64 (RFC 4648) for the console, and hex. */
#include "libboot_pv.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void boot_b64_print(const uint8_t *p, size_t n)
{
	char line[66];
	size_t l = 0;

	for (size_t i = 0; i < n; i += 3) {
		size_t rem = n - i;
		uint32_t v = (uint32_t)p[i] << 16;

		if (rem > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (rem > 2)
			v |= p[i + 2];
		/* rem 1: two characters and "==", rem 2: three and "=" */
		for (int j = 0; j < 4; j++)
			line[l++] = (size_t)j <= rem ?
				    b64[(v >> (18 - 6 * j)) & 63] : '=';
		if (l == 64 || i + 3 >= n) {
			line[l++] = '\n';
			sclp_console_write(line, l);
			l = 0;
		}
	}
}

int boot_b64_decode(struct b64_dec *d, const char *s, uint8_t *out,
		    size_t cap)
{
	for (; *s && !d->done; s++) {
		unsigned int v = 0;

		d->done = *s == '=';
		if (d->done || (unsigned char)*s <= ' ')
			continue;
		while (v < 64 && b64[v] != *s)
			v++;
		if (v == 64)
			return -1;
		d->acc = d->acc << 6 | v;
		d->bits += 6;
		if (d->bits < 8)
			continue;
		d->bits -= 8;
		if (d->len == cap)
			return -1;
		out[d->len++] = (uint8_t)(d->acc >> d->bits);
	}
	return 0;
}

char *boot_hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < 2 * n; i++)
		out[i] = "0123456789abcdef"[p[i / 2] >> (i & 1 ? 0 : 4) & 15];
	out[2 * n] = 0;
	return out;
}
