// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the software Ultravisor.  Each input drives a fresh
 * UV with one fixed host key, guest RAM at host address 0 and a host area
 * at 4 GiB:
 *
 *   u16 hlen, hlen bytes   SE-header blob, copied to UV_FUZZ_HDR (<= 8192);
 *                          hlen bit 15 set: skip the UV INIT
 *   then operations until the input ends, each one opcode byte:
 *     op & 7 == 0  host UVC:  u16 n, n bytes of UVCB (<= 0x200)
 *            == 1  guest UVC on the last secure CPU (same encoding)
 *            == 2  host read: u64 haddr, u16 len (<= 4096)
 *            == 3  host write: u64 haddr, u16 len, len bytes
 *            == 4  guest DIAG 308 reset request (op bit 3: clear)
 *            == 5  SIE entry and guest access check: u32 address
 *            == 6  start PSW query
 *            == 7  host reset
 *   UVC fix-ups (op bits): 3 put the last configuration handle at 0x18,
 *   4 the last CPU handle at 0x18, 5 the configuration handle at 0x20,
 *   6 set len to the command's UVCB size, 7 (guest UVC) problem state.
 *
 * The seed corpus (tests/fuzz/corpus/uv) holds complete boots of a small
 * guest sealed for this host key.  The UV must never crash, hang or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "pvboot/uv.h"

#define RAM_SIZE 0x40000ULL
#define AREA 0x100000000ULL
#define AREA_SIZE 0x160000ULL
#define UV_FUZZ_HDR (AREA + 0x100000)

/* The fixed host key of the corpus: scalar 01 || 65 x 5a. */
static uint8_t *host_der;
static size_t host_der_len;
static uint8_t *ram, *area;

static int init_once(void)
{
	uint8_t d[66];
	struct pv_eckey *key = NULL;
	unsigned char *p = NULL;
	int n;

	if (host_der)
		return 0;
	d[0] = 0x01;
	memset(d + 1, 0x5a, sizeof(d) - 1);
	if (pv_eckey_from_scalar(d, sizeof(d), &key, NULL))
		return -1;
	n = i2d_PrivateKey(pv_eckey_evp(key), &p);
	pv_eckey_free(key);
	if (n <= 0)
		return -1;
	host_der = malloc((size_t)n);
	if (!host_der)
		abort();
	memcpy(host_der, p, (size_t)n);
	host_der_len = (size_t)n;
	OPENSSL_free(p);
	ram = aligned_alloc(4096, RAM_SIZE);
	area = aligned_alloc(4096, AREA_SIZE);
	if (!ram || !area)
		abort();
	return 0;
}

struct input {
	const uint8_t *p;
	size_t left;
};

static bool take(struct input *in, void *out, size_t n)
{
	if (in->left < n)
		return false;
	memcpy(out, in->p, n);
	in->p += n;
	in->left -= n;
	return true;
}

static bool take16(struct input *in, uint16_t *v)
{
	uint8_t b[2];

	if (!take(in, b, 2))
		return false;
	*v = pv_get_be16(b);
	return true;
}

static bool take64(struct input *in, uint64_t *v)
{
	uint8_t b[8];

	if (!take(in, b, 8))
		return false;
	*v = pv_get_be64(b);
	return true;
}

struct ctx {
	struct pv_uv *uv;
	uint64_t conf, cpu;
};

static void uvc(struct ctx *c, struct input *in, uint8_t op, bool guest)
{
	uint8_t cb[0x200];
	uint16_t n, pgm = 0, cmd;
	int cc;

	if (!take16(in, &n))
		return;
	if (n > sizeof(cb))
		n = sizeof(cb);
	memset(cb, 0, sizeof(cb));
	if (!take(in, cb, n))
		return;
	cmd = pv_get_be16(cb + 2);
	if ((op & 0x40) && pv_uvcb_size(cmd) <= sizeof(cb)) {
		pv_put_be16(cb, pv_uvcb_size(cmd));
		if (n < pv_uvcb_size(cmd))
			n = pv_uvcb_size(cmd);
	}
	if (op & 0x08)
		pv_put_be64(cb + 0x18, c->conf);
	if (op & 0x10)
		pv_put_be64(cb + 0x18, c->cpu);
	if (op & 0x20)
		pv_put_be64(cb + 0x20, c->conf);
	if (guest)
		cc = pv_uv_guest_call(c->uv, c->cpu, cb, n, op & 0x80, &pgm);
	else
		cc = pv_uv_call(c->uv, cb, n, &pgm);
	if (cc == 0 && !guest && cmd == PV_UVC_CREATE_CONF)
		c->conf = pv_get_be64(cb + 0x18);
	if (cc == 0 && !guest && cmd == PV_UVC_CREATE_CPU)
		c->cpu = pv_get_be64(cb + 0x18);
}

static void run(struct ctx *c, struct input *in)
{
	uint8_t op, buf[4096];
	uint64_t a, mask, addr;
	uint16_t len, why;
	uint8_t p4[4];

	while (take(in, &op, 1)) {
		switch (op & 7) {
		case 0:
		case 1:
			uvc(c, in, op, op & 1);
			break;
		case 2:
		case 3:
			if (!take64(in, &a) || !take16(in, &len))
				return;
			if (len > sizeof(buf))
				len = sizeof(buf);
			if ((op & 7) == 2) {
				pv_uv_host_read(c->uv, a, buf, len);
				break;
			}
			if (!take(in, buf, len))
				return;
			pv_uv_host_write(c->uv, a, buf, len);
			break;
		case 4:
			pv_uv_guest_reset_request(c->uv, c->cpu, op & 8);
			break;
		case 5:
			if (!take(in, p4, 4))
				return;
			pv_uv_sie_entry(c->uv, c->cpu, pv_get_be32(p4), &why);
			pv_uv_guest_access(c->uv, c->cpu, pv_get_be32(p4));
			break;
		case 6:
			pv_uv_cpu_start_psw(c->uv, c->cpu, &mask, &addr);
			pv_uv_cpu_load_from_abs0(c->uv, c->cpu);
			pv_uv_cpu_state(c->uv, c->cpu);
			break;
		default:
			pv_uv_host_reset(c->uv);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct ctx c = { 0 };
	uint8_t cb[0x48];
	uint16_t hlen, pgm;
	struct pv_uv_stats st;

	if (init_once())
		return 0;
	if (!take16(&in, &hlen))
		return 0;
	memset(ram, 0, RAM_SIZE);
	memset(area, 0, AREA_SIZE);
	if ((hlen & 0x7fff) > 8192 ||
	    !take(&in, area + (UV_FUZZ_HDR - AREA), hlen & 0x7fff))
		return 0;
	if (pv_uv_new(&c.uv, NULL))
		abort();
	if (pv_uv_add_host_key(c.uv, host_der, host_der_len, NULL) ||
	    pv_uv_map_host_flags(c.uv, 0, ram, RAM_SIZE, PV_UV_MAP_ANON,
				 NULL) ||
	    pv_uv_map_host(c.uv, AREA, area, AREA_SIZE, NULL))
		abort();
	if (!(hlen & 0x8000)) {
		memset(cb, 0, sizeof(cb));
		pv_put_be16(cb, 0x48);
		pv_put_be16(cb + 2, PV_UVC_INIT);
		pv_put_be64(cb + 0x18, AREA);
		pv_put_be64(cb + 0x20, 0x10000);
		if (pv_uv_call(c.uv, cb, sizeof(cb), &pgm) != 0)
			abort();
	}
	run(&c, &in);
	pv_uv_get_stats(c.uv, &st);
	pv_uv_free(c.uv);
	return 0;
}
