// SPDX-License-Identifier: MIT
/*
 * Benchmark: unpack + verify throughput of the software Ultravisor.
 *
 * How to run: `make BUILD=build build/bench/uv-unpack` (or `make bench`),
 * then `build/bench/uv-unpack [MiB]` (default 256).  The program builds a
 * synthetic Secure Execution guest of that size in memory (fresh host and
 * customer keys, random image key, every page encrypted with AES-256-XTS
 * and hashed into PLD/ALD/TLD, a sealed SE header), boots it through the
 * UV exactly like the hypervisor does (init, create configuration and CPU,
 * set secure parameters, one unpack per page, verify) and prints the
 * unpack+verify rate in MB/s (10^6 bytes per second) next to the SHA-512
 * and AES-256-XTS rates of the same process, measured with EVP.
 * `uv-unpack --image SE.IMG --host-key HOST.KEY` does the same with a real
 * image: the file is loaded at guest address 0 (as `pvboot run` does) and
 * every page of every component in its IPIB is unpacked.  The line
 * starting with "bench:" is for bench/run.sh; -q leaves out the
 * "openssl-speed" table (a few seconds of measuring).  The
 * "openssl-speed" lines use the format of `openssl speed -evp sha512`
 * (thousands of bytes per second per block size), so they can be put side
 * by side with that command's output on the same machine.  The UV's work
 * per page is one XTS decryption plus three SHA-512 updates, so unpack can
 * at best run at about the SHA-512 rate.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pvboot/be.h"
#include "pvboot/crypto.h"
#include "pvboot/image.h"
#include "pvboot/sehdr.h"
#include "pvboot/uv.h"

#define AREA 0x100000000ULL
#define AREA_SIZE 0x400000ULL
#define COMP_ADDR 0x10000ULL
#define TWEAK_PREF 0x0028a1b2c3d4e5f6ULL

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, struct pv_err *err)
{
	fprintf(stderr, "uv-unpack: %s: %s\n", what,
		err ? err->msg : "failed");
	exit(1);
}

static void fill(uint8_t *p, size_t len)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i + 8 <= len; i += 8) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		memcpy(p + i, &s, 8);
	}
}

/* What gets unpacked: one page run per component. */
struct guest_comp {
	uint64_t addr, len, tweak_pref;
};

struct guest {
	uint8_t *ram;
	uint64_t ram_size, comp_len;
	uint8_t *hdr;
	uint32_t hdr_len;
	uint8_t *host_der;	/* host private key, DER or PEM */
	int host_der_len;
	size_t ncomps;
	struct guest_comp comps[PV_IMAGE_MAX_COMPS];
};

static void build(struct guest *g)
{
	struct pv_eckey *host = NULL, *cust = NULL;
	struct pv_sehdr_secret sec = { 0 };
	struct pv_digests *d = NULL;
	struct pv_sehdr *hdr = NULL;
	struct pv_rng *rng = NULL;
	struct pv_xts *x = NULL;
	struct pv_err *err = NULL;
	uint8_t hpk[32], slot[PV_KEYSLOT_LEN], tweak[16];
	unsigned char *der = NULL;

	if (pv_rng_new_system(&rng, &err) ||
	    pv_eckey_generate(rng, "host", &host, &err) ||
	    pv_eckey_generate(rng, "customer", &cust, &err) ||
	    pv_rng_bytes(rng, "hpk", hpk, sizeof(hpk), &err) ||
	    pv_rng_bytes(rng, "xk", sec.xts, sizeof(sec.xts), &err) ||
	    pv_rng_bytes(rng, "cck", sec.cck, sizeof(sec.cck), &err) ||
	    pv_sehdr_new(1, &hdr, &err) ||
	    pv_rng_bytes(rng, "iv", hdr->iv, sizeof(hdr->iv), &err))
		die("key generation", err);
	g->host_der_len = i2d_PrivateKey(pv_eckey_evp(host), &der);
	if (g->host_der_len <= 0)
		die("host key export", NULL);
	g->host_der = der;
	fill(g->ram + COMP_ADDR, g->comp_len);
	if (pv_xts_new(sec.xts, true, &x, &err) ||
	    pv_digests_new(&d, &err))
		die("crypto setup", err);
	for (uint64_t off = 0; off < g->comp_len; off += PV_PAGE_SIZE) {
		uint8_t *p = g->ram + COMP_ADDR + off;

		pv_tweak_make(TWEAK_PREF, off, tweak);
		if (pv_xts_page(x, tweak, p, p, &err) ||
		    pv_digests_add_page(d, p, COMP_ADDR + off, tweak, &err))
			die("encrypting the guest", err);
	}
	g->ncomps = 1;
	g->comps[0].addr = COMP_ADDR;
	g->comps[0].len = g->comp_len;
	g->comps[0].tweak_pref = TWEAK_PREF;
	hdr->nep = pv_digests_pages(d);
	hdr->pcf = PV_PCF_DEFAULT;
	if (pv_digests_final(d, hdr->pld, hdr->ald, hdr->tld, &err) ||
	    pv_eckey_coords(cust, hdr->cust_pub, &err) ||
	    pv_keyslot_wrap(cust, host, hpk, slot, &err))
		die("header", err);
	memcpy(hdr->slots[0].phkh, slot, 32);
	memcpy(hdr->slots[0].wrpk, slot + 32, 32);
	memcpy(hdr->slots[0].kst, slot + 64, 16);
	sec.psw_mask = PV_PSW_MASK_64;
	sec.psw_addr = COMP_ADDR;
	if (pv_sehdr_size(1, &g->hdr_len, &err))
		die("header size", err);
	g->hdr = malloc(g->hdr_len);
	if (!g->hdr || pv_sehdr_seal(hdr, hpk, &sec, &err) ||
	    pv_sehdr_serialize(hdr, g->hdr, g->hdr_len, &err))
		die("sealing the header", err);
	pv_cleanse(hpk, sizeof(hpk));
	pv_cleanse(&sec, sizeof(sec));
	pv_xts_free(x);
	pv_digests_free(d);
	pv_sehdr_free(hdr);
	pv_eckey_free(host);
	pv_eckey_free(cust);
	pv_rng_free(rng);
}

static void call(struct pv_uv *uv, uint8_t *cb, const char *what)
{
	uint16_t pgm = 0;

	if (pv_uv_call(uv, cb, pv_get_be16(cb), &pgm) != 0) {
		fprintf(stderr, "uv-unpack: %s: rc 0x%04x rrc 0x%04x\n", what,
			pv_get_be16(cb + 4), pv_get_be16(cb + 6));
		exit(1);
	}
}

static void cb_init(uint8_t *cb, uint16_t cmd)
{
	memset(cb, 0, 0x80);
	pv_put_be16(cb, pv_uvcb_size(cmd));
	pv_put_be16(cb + 2, cmd);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0) {
		fprintf(stderr, "uv-unpack: %s: %s\n", path,
			fd < 0 ? strerror(errno) : "empty or unreadable");
		exit(1);
	}
	buf = malloc((size_t)st.st_size);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size) {
		fprintf(stderr, "uv-unpack: cannot read %s\n", path);
		exit(1);
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/*
 * Load an SE image at guest address 0 (like `pvboot run`), take the header
 * and the component list from it, and the host key from @key_path.
 */
static void load_image(struct guest *g, const char *img_path,
		       const char *key_path)
{
	const struct pv_image_info *info;
	struct pv_image *img = NULL;
	struct pv_err *err = NULL;
	size_t klen;
	int fd;

	if (pv_image_open(img_path, &img, &err))
		die("opening the image", err);
	info = pv_image_get_info(img);
	if (!info->hdr_raw || !info->ncomps)
		die("the image has no readable SE header or IPIB", NULL);
	/* RAM: the file, rounded up to 1 MiB, plus 1 MiB */
	g->ram_size = ((info->file_size + 0xfffff) & ~0xfffffULL) + 0x100000;
	g->ram = mmap(NULL, g->ram_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	fd = open(img_path, O_RDONLY | O_CLOEXEC);
	if (g->ram == MAP_FAILED || fd < 0)
		die("memory for the guest", NULL);
	for (uint64_t off = 0; off < info->file_size;) {
		ssize_t n = pread(fd, g->ram + off, info->file_size - off,
				  (off_t)off);

		if (n <= 0)
			die("reading the image", NULL);
		off += (uint64_t)n;
	}
	close(fd);
	g->hdr_len = (uint32_t)info->hdr_raw_len;
	g->hdr = malloc(g->hdr_len);
	if (!g->hdr)
		die("memory", NULL);
	memcpy(g->hdr, info->hdr_raw, g->hdr_len);
	for (size_t i = 0; i < info->ncomps && i < PV_IMAGE_MAX_COMPS; i++) {
		g->comps[i].addr = info->comps[i].addr;
		g->comps[i].len = info->comps[i].len;
		g->comps[i].tweak_pref = info->comps[i].tweak_pref;
		g->comp_len += info->comps[i].len;
		g->ncomps++;
	}
	pv_image_close(img);
	g->host_der = slurp(key_path, &klen);
	g->host_der_len = (int)klen;
}

/* Boot through the UV; returns the seconds spent in unpack + verify. */
static double boot(struct guest *g, uint8_t *area)
{
	struct pv_err *err = NULL;
	struct pv_uv *uv;
	uint8_t cb[0x80];
	uint64_t conf, var_len;
	double t0, t1;

	if (pv_uv_new(&uv, &err) ||
	    pv_uv_add_host_key(uv, g->host_der, (size_t)g->host_der_len,
			       &err) ||
	    pv_uv_map_host_flags(uv, 0, g->ram, g->ram_size, PV_UV_MAP_ANON,
				 &err) ||
	    pv_uv_map_host(uv, AREA, area, AREA_SIZE, &err))
		die("UV setup", err);
	cb_init(cb, PV_UVC_INIT);
	pv_put_be64(cb + PV_UVCB_INIT_ORIGIN, AREA);
	pv_put_be64(cb + PV_UVCB_INIT_LEN, 0x10000);
	call(uv, cb, "init");
	var_len = 0x2000 + pv_page_align(0x20 * (g->ram_size >> 20));
	cb_init(cb, PV_UVC_CREATE_CONF);
	pv_put_be64(cb + PV_UVCB_CGC_BASE, AREA + 0x100000);
	pv_put_be64(cb + PV_UVCB_CGC_VAR, AREA + 0x200000);
	pv_put_be64(cb + PV_UVCB_CGC_MSL, g->ram_size);
	pv_put_be64(cb + PV_UVCB_CGC_SCA, AREA + 0x300000);
	pv_put_be64(cb + PV_UVCB_CGC_ASCE, 0x1000000000ULL | 0x100);
	if (var_len > 0x100000)
		die("guest too large for the host area", NULL);
	call(uv, cb, "create configuration");
	conf = pv_get_be64(cb + PV_UVCB_HANDLE);
	memcpy(area + 0x310000, g->hdr, g->hdr_len);
	cb_init(cb, PV_UVC_SET_SEC_PARMS);
	pv_put_be64(cb + PV_UVCB_HANDLE, conf);
	pv_put_be64(cb + PV_UVCB_SSC_ORIGIN, AREA + 0x310000);
	pv_put_be32(cb + PV_UVCB_SSC_LEN, g->hdr_len);
	call(uv, cb, "set secure parameters");

	t0 = now();
	for (size_t i = 0; i < g->ncomps; i++) {
		const struct guest_comp *c = &g->comps[i];

		cb_init(cb, PV_UVC_UNPACK);
		pv_put_be64(cb + PV_UVCB_HANDLE, conf);
		pv_put_be64(cb + PV_UVCB_UNP_TWEAK0, c->tweak_pref);
		for (uint64_t off = 0; off < c->len; off += PV_PAGE_SIZE) {
			pv_put_be64(cb + PV_UVCB_GADDR, c->addr + off);
			pv_put_be64(cb + PV_UVCB_UNP_TWEAK1, off);
			call(uv, cb, "unpack");
		}
	}
	cb_init(cb, PV_UVC_VERIFY);
	pv_put_be64(cb + PV_UVCB_HANDLE, conf);
	call(uv, cb, "verify");
	t1 = now();
	pv_uv_free(uv);
	return t1 - t0;
}

/* Bytes per second of @md or @cipher over @blk-byte blocks, ~0.3 s. */
static double rate(const EVP_MD *md, const EVP_CIPHER *cipher, size_t blk)
{
	static uint8_t in[16384], out[16384 + 64];
	uint8_t key[64], iv[16] = { 0 }, dig[64];
	EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	double t0 = now(), t;
	uint64_t n = 0;
	int outl;

	fill(in, sizeof(in));
	fill(key, sizeof(key));
	key[40] ^= 1;	/* XTS: the halves must differ */
	if (!cctx || !mctx)
		die("EVP context", NULL);
	if (cipher && !EVP_EncryptInit_ex2(cctx, cipher, key, iv, NULL))
		die("EVP cipher init", NULL);
	do {
		for (int i = 0; i < 64; i++, n++) {
			if (md) {
				EVP_DigestInit_ex2(mctx, md, NULL);
				EVP_DigestUpdate(mctx, in, blk);
				EVP_DigestFinal_ex(mctx, dig, NULL);
			} else {
				EVP_EncryptInit_ex2(cctx, NULL, NULL, iv,
						    NULL);
				EVP_EncryptUpdate(cctx, out, &outl, in,
						  (int)blk);
			}
		}
		t = now() - t0;
	} while (t < 0.3);
	EVP_CIPHER_CTX_free(cctx);
	EVP_MD_CTX_free(mctx);
	return (double)n * (double)blk / t;
}

static void speed_line(const char *name, const EVP_MD *md,
		       const EVP_CIPHER *cipher)
{
	static const size_t blks[] = { 16, 64, 256, 1024, 8192, 16384 };

	printf("openssl-speed %-12s", name);
	for (size_t i = 0; i < sizeof(blks) / sizeof(blks[0]); i++)
		printf(" %11.2fk", rate(md, cipher, blks[i]) / 1000.0);
	printf("\n");
}

static void usage(void)
{
	fprintf(stderr, "usage: uv-unpack [-q] [MiB 1..4096]\n"
			"       uv-unpack [-q] --image SE.IMG --host-key HOST.KEY\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct guest g = { 0 };
	bool table = true;
	uint8_t *area;
	double t, sha, xts;

	if (argc > 1 && !strcmp(argv[1], "-q")) {
		table = false;
		argc--;
		argv++;
	}
	if (argc == 5 && !strcmp(argv[1], "--image") &&
	    !strcmp(argv[3], "--host-key")) {
		load_image(&g, argv[2], argv[4]);
	} else if (argc <= 2) {
		long mib = argc > 1 ? strtol(argv[1], NULL, 0) : 256;

		if (mib < 1 || mib > 4096)
			usage();
		g.ram_size = (uint64_t)mib << 20;
		g.comp_len = g.ram_size - COMP_ADDR - 0x10000;
		g.ram = mmap(NULL, g.ram_size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			     0);
		if (g.ram == MAP_FAILED)
			die("memory", NULL);
		build(&g);
	} else {
		usage();
	}
	area = aligned_alloc(4096, AREA_SIZE);
	if (!area)
		die("memory", NULL);
	memset(area, 0, AREA_SIZE);
	t = boot(&g, area);
	sha = rate(EVP_sha512(), NULL, 4096);
	xts = rate(NULL, EVP_aes_256_xts(), 4096);
	printf("uv unpack+verify: %llu pages (%.1f MiB) in %.3f s = "
	       "%.1f MB/s\n",
	       (unsigned long long)(g.comp_len / PV_PAGE_SIZE),
	       (double)g.comp_len / (1 << 20), t,
	       (double)g.comp_len / t / 1e6);
	printf("same process, 4096-byte blocks: sha512 %.1f MB/s, "
	       "aes-256-xts %.1f MB/s; unpack/sha512 = %.2f\n",
	       sha / 1e6, xts / 1e6, (double)g.comp_len / t / sha);
	printf("bench: bytes %llu seconds %.6f sha512 %.0f xts %.0f\n",
	       (unsigned long long)g.comp_len, t, sha, xts);
	if (table) {
		printf("openssl-speed %-12s %12s %12s %12s %12s %12s %12s\n",
		       "type", "16 bytes", "64 bytes", "256 bytes",
		       "1024 bytes", "8192 bytes", "16384 bytes");
		speed_line("sha512", EVP_sha512(), NULL);
		speed_line("aes-256-xts", NULL, EVP_aes_256_xts());
	}
	munmap(g.ram, g.ram_size);
	free(area);
	free(g.hdr);
	OPENSSL_clear_free(g.host_der, (size_t)g.host_der_len);
	return 0;
}
