// SPDX-License-Identifier: MIT
/*
 * uvattest: attestation and secrets from inside a protected Linux guest,
 * through the uvdevice ioctls of /dev/uv (attestation-and-secrets.md §2;
 * Linux drivers/s390/char/uvdevice.c).  A small static s390x program for
 * the test initramfs, the counterpart of the test kernel's pvboot.attest
 * and pvboot.secrets:
 *
 *   uvattest attest REQUEST [USERDATA-HEX]   UVIO_IOCTL_ATT (nr 1)
 *   uvattest add REQUEST                     UVIO_IOCTL_ADD_SECRET (nr 2)
 *   uvattest list                            UVIO_IOCTL_LIST_SECRETS (3)
 *   uvattest lock                            UVIO_IOCTL_LOCK_SECRETS (4)
 *
 * attest prints the response in the exchange format, Base64, between the
 * lines pvboot run --save-response looks for; every command prints the
 * UV's rc and rrc.  Exit 0 when the UV answered rc 0x0001 (list: also
 * 0x0100), 1 otherwise.
 *
 * Build: s390x-linux-gnu-gcc -static -O2 -o uvattest tests/linux/uvattest.c
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define UV_DEVICE "/dev/uv"
#define RESP_BEGIN "-----BEGIN PVATTEST RESPONSE-----"
#define RESP_END "-----END PVATTEST RESPONSE-----"

/* The uvdevice ABI (arch/s390/include/uapi/asm/uvdevice.h). */
struct uvio_ioctl_cb {
	uint32_t flags;
	uint16_t uv_rc;
	uint16_t uv_rrc;
	uint64_t argument_addr;
	uint32_t argument_len;
	uint8_t reserved14[0x40 - 0x14];
};

struct uvio_attest {
	uint64_t arcb_addr;
	uint64_t meas_addr;
	uint64_t add_data_addr;
	uint8_t user_data[256];
	uint8_t config_uid[16];
	uint32_t arcb_len;
	uint32_t meas_len;
	uint32_t add_data_len;
	uint16_t user_data_len;
	uint16_t reserved136;
};

_Static_assert(sizeof(struct uvio_ioctl_cb) == 0x40, "uvio_ioctl_cb");
_Static_assert(sizeof(struct uvio_attest) == 0x138, "uvio_attest");

#define UVIO_IOCTL(nr) _IOWR('u', nr, struct uvio_ioctl_cb)

/* Exchange format v1 (§5.2); s390x is big-endian, as the file. */
struct xhdr {
	char magic[8];
	uint32_t version, size;
	uint64_t reserved;
	struct {
		uint32_t size, off;
	} e[5];
};

static int uv_ioctl(unsigned int nr, void *arg, uint32_t len,
		    struct uvio_ioctl_cb *cb)
{
	int fd = open(UV_DEVICE, O_RDWR), rc;

	if (fd < 0) {
		fprintf(stderr, "uvattest: %s: %s\n", UV_DEVICE,
			strerror(errno));
		return -1;
	}
	memset(cb, 0, sizeof(*cb));
	cb->argument_addr = (uint64_t)(uintptr_t)arg;
	cb->argument_len = len;
	rc = ioctl(fd, UVIO_IOCTL(nr), cb);
	close(fd);
	if (rc && errno != EIO) {
		fprintf(stderr, "uvattest: ioctl %u: %s\n", nr,
			strerror(errno));
		return -1;
	}
	return 0;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	size_t cap = 4096;
	uint8_t *buf = malloc(cap);
	FILE *f = fopen(path, "rb");

	*len = 0;
	if (!f || !buf) {
		fprintf(stderr, "uvattest: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	for (;;) {
		size_t n = fread(buf + *len, 1, cap - *len, f);

		*len += n;
		if (n == 0)
			break;
		if (*len == cap && !(buf = realloc(buf, cap *= 2)))
			exit(1);
	}
	fclose(f);
	return buf;
}

static void b64_print(const uint8_t *p, size_t n)
{
	static const char t[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t rem = n - i;

		if (rem > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (rem > 2)
			v |= p[i + 2];
		for (size_t j = 0; j < 4; j++)
			putchar(j <= rem ? t[(v >> (18 - 6 * j)) & 63] : '=');
		col += 4;
		if (col == 64 || i + 3 >= n) {
			putchar('\n');
			col = 0;
		}
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void entry(struct xhdr *h, int i, uint32_t size, uint32_t *off)
{
	h->e[i].size = size;
	h->e[i].off = size ? *off : 0;
	*off += size;
}

static int attest(const char *path, const char *user)
{
	struct uvio_attest att = { 0 };
	struct uvio_ioctl_cb cb;
	size_t len, need;
	uint8_t *req = read_file(path, &len), *resp;
	struct xhdr *h = (struct xhdr *)req;
	uint32_t off = sizeof(*h);

	if (len < sizeof(*h) || memcmp(req, "pvattest", 8) ||
	    h->version != 0x100 || h->e[0].off < sizeof(*h) ||
	    h->e[0].off > len || h->e[0].size > len - h->e[0].off ||
	    h->e[1].size > 0x8000 || h->e[2].size > 0x8000) {
		fprintf(stderr, "uvattest: %s is not a pvattest request\n",
			path);
		return 1;
	}
	for (; user && user[0] && user[1]; user += 2) {
		int hi = hexval(user[0]), lo = hexval(user[1]);

		if (hi < 0 || lo < 0 || att.user_data_len == 256) {
			fprintf(stderr, "uvattest: user data: up to 256 bytes in hex\n");
			return 1;
		}
		att.user_data[att.user_data_len++] = (uint8_t)(hi << 4 | lo);
	}
	need = sizeof(*h) + h->e[0].size + h->e[1].size + h->e[2].size +
	       att.user_data_len + 16;
	resp = calloc(1, need);
	if (!resp)
		return 1;
	memcpy(resp, h, sizeof(*h));
	memcpy(resp + off, req + h->e[0].off, h->e[0].size);
	att.arcb_addr = (uint64_t)(uintptr_t)(resp + off);
	att.arcb_len = h->e[0].size;
	att.meas_addr = att.arcb_addr + h->e[0].size;
	att.meas_len = h->e[1].size;
	att.add_data_addr = att.meas_addr + h->e[1].size;
	att.add_data_len = h->e[2].size;
	if (uv_ioctl(1, &att, sizeof(att), &cb))
		return 1;
	printf("attestation: UV rc 0x%04x rrc 0x%04x\n", cb.uv_rc, cb.uv_rrc);
	if (cb.uv_rc != 1)
		return 1;
	/* §5.2 response: ARCB, measurement, [additional], [user], CUID */
	h = (struct xhdr *)resp;
	entry(h, 0, att.arcb_len, &off);
	entry(h, 1, att.meas_len, &off);
	entry(h, 2, att.add_data_len, &off);
	memcpy(resp + off, att.user_data, att.user_data_len);
	entry(h, 3, att.user_data_len, &off);
	memcpy(resp + off, att.config_uid, 16);
	entry(h, 4, 16, &off);
	h->size = off;
	printf("%s\n", RESP_BEGIN);
	b64_print(resp, off);
	printf("%s\n", RESP_END);
	return 0;
}

static int add(const char *path)
{
	struct uvio_ioctl_cb cb;
	size_t len;
	uint8_t *req = read_file(path, &len);

	if (uv_ioctl(2, req, (uint32_t)len, &cb))
		return 1;
	printf("secrets: add %s: UV rc 0x%04x rrc 0x%04x\n", path, cb.uv_rc,
	       cb.uv_rrc);
	return cb.uv_rc != 1;
}

static int list(void)
{
	static uint8_t page[4096];
	struct uvio_ioctl_cb cb;
	uint16_t n;

	if (uv_ioctl(3, page, sizeof(page), &cb))
		return 1;
	n = (uint16_t)(page[0] << 8 | page[1]);
	printf("secrets: list rc 0x%04x, %u of %u\n", cb.uv_rc, n,
	       page[2] << 8 | page[3]);
	for (unsigned int i = 0; i < n && i < 85; i++) {
		const uint8_t *e = page + 16 + 48 * i;

		printf("  %u: type 0x%04x length %u id ", e[0] << 8 | e[1],
		       e[2] << 8 | e[3],
		       (unsigned int)(e[4] << 24 | e[5] << 16 | e[6] << 8 |
				      e[7]));
		for (int j = 0; j < 32; j++)
			printf("%02x", e[16 + j]);
		putchar('\n');
	}
	return cb.uv_rc != 1 && cb.uv_rc != 0x100;
}

static int lock(void)
{
	struct uvio_ioctl_cb cb;

	if (uv_ioctl(4, NULL, 0, &cb))
		return 1;
	printf("secrets: lock: UV rc 0x%04x rrc 0x%04x\n", cb.uv_rc,
	       cb.uv_rrc);
	return cb.uv_rc != 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && argc <= 4 && !strcmp(argv[1], "attest"))
		return attest(argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 3 && !strcmp(argv[1], "add"))
		return add(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "list"))
		return list();
	if (argc == 2 && !strcmp(argv[1], "lock"))
		return lock();
	fprintf(stderr,
		"usage: uvattest attest REQUEST [USERDATA-HEX] | add REQUEST | list | lock\n");
	return 2;
}
