// SPDX-License-Identifier: MIT
/*
 * Image reader for both layouts (se-image-format.md §2.5): Layout-R through
 * the metadata block at 0xC000, Layout-C (or an image without metadata) by
 * scanning page boundaries for the SE header; the IPIB is the page before
 * the header (Layout-C) or the tail of the file (Layout-R).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvboot/be.h"
#include "image_priv.h"

#define SCAN_LIMIT (1024 * 1024)	/* header search range, Layout-C */
#define PARMS_SCAN_LIMIT (1024 * 1024)

struct pv_image {
	int fd;
	bool own_fd;
	const uint8_t *mem;
	char name[256];
	struct pv_image_info info;
	struct pv_sehdr *hdr;
	uint8_t *hdr_raw;
	struct pv_ipib_pv *ipib;
	uint8_t *ipib_raw;
	char hdr_problem[800];
	char ipib_problem[800];
	struct pv_image_comp comps[PV_IPIB_PV_MAX_COMPS];
};

int pv_image_read(struct pv_image *img, uint64_t off, void *buf, size_t len,
		  struct pv_err **err)
{
	uint8_t *p = buf;

	if (off > img->info.file_size || len > img->info.file_size - off)
		return pv_err_set(err, PV_ERR_TRUNC,
				  "%s: %zu bytes at 0x%llx lie past the end of the image (%llu bytes)",
				  img->name, len, (unsigned long long)off,
				  (unsigned long long)img->info.file_size);
	if (img->mem) {
		memcpy(buf, img->mem + off, len);
		return 0;
	}
	while (len) {
		ssize_t n = pread(img->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pv_err_set(err, PV_ERR_IO, "%s: reading at 0x%llx: %s",
					  img->name, (unsigned long long)off,
					  strerror(errno));
		if (n == 0)
			return pv_err_set(err, PV_ERR_TRUNC,
					  "%s: file shrank while reading at 0x%llx",
					  img->name, (unsigned long long)off);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static void problem(char *dst, size_t size, struct pv_err *e)
{
	snprintf(dst, size, "%s", e ? e->msg : "unknown problem");
	pv_err_free(e);
}

/* §2.5: SE header magic on a page boundary; Layout-C is found this way */
static int scan_header(struct pv_image *img, uint64_t *addr,
		       struct pv_err **err)
{
	uint64_t end = img->info.file_size;

	if (end > SCAN_LIMIT)
		end = SCAN_LIMIT;
	for (uint64_t off = 0; off + 8 <= end; off += PV_PAGE_SIZE) {
		uint8_t m[8];
		int rc = pv_image_read(img, off, m, sizeof(m), err);

		if (rc)
			return rc;
		if (pv_get_be64(m) == PV_SEHDR_MAGIC) {
			*addr = off;
			return 1;
		}
	}
	return 0;
}

/* The list header version (0x07) is 1 and the block type (0x0C) is 5. */
static bool looks_like_ipib(struct pv_image *img, uint64_t addr)
{
	uint8_t b[PV_IPIB_PV_FIXED];

	if (pv_image_read(img, addr, b, sizeof(b), NULL))
		return false;
	return b[PV_IPIB_OFF_VERSION] == 1 &&
	       b[PV_IPIB_OFF_PBT] == PV_IPL_PBT_PV;
}

/*
 * A Layout-C image whose header magic is damaged: its one-page IPIB (len
 * 4096) still marks the header as the next page, so verify can name it.
 */
static int scan_ipib_page(struct pv_image *img, uint64_t *hdr_addr,
			  struct pv_err **err)
{
	uint64_t end = img->info.file_size;

	if (end > SCAN_LIMIT)
		end = SCAN_LIMIT;
	for (uint64_t off = 0; off + 2 * PV_PAGE_SIZE <= end;
	     off += PV_PAGE_SIZE) {
		uint8_t b[4];
		int rc = pv_image_read(img, off, b, sizeof(b), err);

		if (rc)
			return rc;
		if (pv_get_be32(b) == PV_IPL_MAX_LEN &&
		    looks_like_ipib(img, off)) {
			*hdr_addr = off + PV_PAGE_SIZE;
			return 1;
		}
	}
	return 0;
}

static int locate(struct pv_image *img, struct pv_err **err)
{
	struct pv_image_info *in = &img->info;
	uint8_t m[PV_META_SIZE];
	int rc;

	if (in->file_size >= 8) {
		rc = pv_image_read(img, 0, m, 8, err);
		if (rc)
			return rc;
		in->short_psw = pv_get_be64(m);
	}
	if (in->file_size >= PV_META_OFF + PV_META_SIZE) {
		rc = pv_image_read(img, PV_META_OFF, m, sizeof(m), err);
		if (rc)
			return rc;
		if (!pv_meta_unpack(m, sizeof(m), &in->meta, NULL)) {
			/* §2.3: Layout-R metadata names header and IPIB */
			in->has_meta = true;
			in->layout = PV_LAYOUT_R;
			in->hdr_addr = in->meta.hdr_off;
			in->has_ipib = true;
			in->ipib_addr = in->meta.ipib_off;
			return 0;
		}
	}
	rc = scan_header(img, &in->hdr_addr, err);
	if (rc < 0)
		return rc;
	if (!rc)
		rc = scan_ipib_page(img, &in->hdr_addr, err);
	if (rc < 0)
		return rc;
	if (!rc)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "%s is not an SE image: no metadata at 0xC000 and no SE header on a page boundary in the first %d KiB",
				  img->name, SCAN_LIMIT / 1024);
	if (in->hdr_addr >= PV_PAGE_SIZE &&
	    looks_like_ipib(img, in->hdr_addr - PV_PAGE_SIZE)) {
		in->layout = PV_LAYOUT_C;
		in->has_ipib = true;
		in->ipib_addr = in->hdr_addr - PV_PAGE_SIZE;
	} else if (in->file_size % PV_PAGE_SIZE &&
		   looks_like_ipib(img, in->file_size & ~PV_PAGE_MASK)) {
		/* Layout-R without metadata (e.g. its head was cut) */
		in->layout = PV_LAYOUT_R;
		in->has_ipib = true;
		in->ipib_addr = in->file_size & ~PV_PAGE_MASK;
	} else {
		in->layout = PV_LAYOUT_C;
		snprintf(img->ipib_problem, sizeof(img->ipib_problem),
			 "no IPIB found: neither the page before the SE header (0x%llx) nor the end of the file holds one",
			 (unsigned long long)(in->hdr_addr - PV_PAGE_SIZE));
	}
	return 0;
}

static int load_header(struct pv_image *img, struct pv_err **err)
{
	struct pv_image_info *in = &img->info;
	struct pv_err *e = NULL;
	uint8_t head[16];
	uint32_t phs;
	int rc;

	if (in->hdr_addr > in->file_size ||
	    in->file_size - in->hdr_addr < sizeof(head)) {
		snprintf(img->hdr_problem, sizeof(img->hdr_problem),
			 "SE header address 0x%llx lies past the end of the file (%llu bytes)",
			 (unsigned long long)in->hdr_addr,
			 (unsigned long long)in->file_size);
		return 0;
	}
	rc = pv_image_read(img, in->hdr_addr, head, sizeof(head), err);
	if (rc)
		return rc;
	phs = pv_get_be32(head + PV_SEHDR_OFF_PHS);
	if (pv_get_be64(head) != PV_SEHDR_MAGIC) {
		snprintf(img->hdr_problem, sizeof(img->hdr_problem),
			 "no SE header magic at 0x%llx (found 0x%016llx)",
			 (unsigned long long)in->hdr_addr,
			 (unsigned long long)pv_get_be64(head));
		return 0;
	}
	if (phs < sizeof(head) || phs > PV_SEHDR_MAX_SIZE) {
		snprintf(img->hdr_problem, sizeof(img->hdr_problem),
			 "SE header size %u at 0x%llx is not in 16..%u", phs,
			 (unsigned long long)in->hdr_addr, PV_SEHDR_MAX_SIZE);
		return 0;
	}
	if (in->file_size - in->hdr_addr < phs) {
		snprintf(img->hdr_problem, sizeof(img->hdr_problem),
			 "SE header at 0x%llx (%u bytes) is cut off by the end of the file",
			 (unsigned long long)in->hdr_addr, phs);
		return 0;
	}
	img->hdr_raw = malloc(phs);
	if (!img->hdr_raw)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	rc = pv_image_read(img, in->hdr_addr, img->hdr_raw, phs, err);
	if (rc)
		return rc;
	in->hdr_raw = img->hdr_raw;
	in->hdr_raw_len = phs;
	if (pv_sehdr_parse(img->hdr_raw, phs, &img->hdr, &e))
		problem(img->hdr_problem, sizeof(img->hdr_problem), e);
	in->hdr = img->hdr;
	return 0;
}

static int load_ipib(struct pv_image *img, struct pv_err **err)
{
	struct pv_image_info *in = &img->info;
	struct pv_err *e = NULL;
	size_t len;
	int rc;

	if (!in->has_ipib)
		return 0;
	if (in->ipib_addr >= in->file_size) {
		snprintf(img->ipib_problem, sizeof(img->ipib_problem),
			 "IPIB address 0x%llx lies past the end of the file (%llu bytes)",
			 (unsigned long long)in->ipib_addr,
			 (unsigned long long)in->file_size);
		return 0;
	}
	len = in->file_size - in->ipib_addr > PV_IPL_MAX_LEN ?
		      PV_IPL_MAX_LEN :
		      (size_t)(in->file_size - in->ipib_addr);
	img->ipib_raw = malloc(len);
	img->ipib = calloc(1, sizeof(*img->ipib));
	if (!img->ipib_raw || !img->ipib)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	rc = pv_image_read(img, in->ipib_addr, img->ipib_raw, len, err);
	if (rc)
		return rc;
	in->ipib_raw = img->ipib_raw;
	in->ipib_raw_len = len;
	if (pv_ipib_pv_parse(img->ipib_raw, len, img->ipib, &e)) {
		problem(img->ipib_problem, sizeof(img->ipib_problem), e);
		free(img->ipib);
		img->ipib = NULL;
		return 0;
	}
	in->ipib = img->ipib;
	for (uint32_t i = 0; i < img->ipib->num_comp; i++) {
		struct pv_image_comp *c = &img->comps[i];

		c->tweak_pref = img->ipib->comps[i].tweak_pref;
		c->addr = img->ipib->comps[i].addr;
		c->len = img->ipib->comps[i].len;
		c->kind = pv_comp_kind_from_id(
			pv_tweak_prefix_id(c->tweak_pref), NULL);
	}
	in->ncomps = img->ipib->num_comp;
	in->comps = img->comps;
	return 0;
}

/*
 * §2.5 heuristic: the stage3a block is the 8-aligned p below the header with
 * p + hdr_offs == H and hdr_size == phs (and, when known, the IPIB offset).
 */
static int find_stage3a_parms(struct pv_image *img, struct pv_err **err)
{
	struct pv_image_info *in = &img->info;
	uint64_t start = PV_IMAGE_ENTRY, end = in->hdr_addr;
	uint8_t *buf;
	size_t len;
	int rc;

	if (!in->hdr || end <= start + PV_STAGE3A_PARMS_SIZE ||
	    end > in->file_size)
		return 0;
	if (end - start > PARMS_SCAN_LIMIT)
		start = end - PARMS_SCAN_LIMIT;
	len = (size_t)(end - start);
	buf = malloc(len);
	if (!buf)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	rc = pv_image_read(img, start, buf, len, err);
	for (size_t o = 0; !rc && o + PV_STAGE3A_PARMS_SIZE <= len; o += 8) {
		struct pv_stage3a_parms p;
		uint64_t pa = start + o;

		pv_stage3a_parms_unpack(buf + o, &p);
		if (pa + p.hdr_offs != in->hdr_addr ||
		    p.hdr_size != in->hdr->phs)
			continue;
		if (in->has_ipib && pa + p.ipib_offs != in->ipib_addr)
			continue;
		in->has_stage3a_parms = true;
		in->stage3a_parms_addr = pa;
		in->stage3a_parms = p;
		/* keep looking: the block is the last match (end of stage3a) */
	}
	free(buf);
	return rc;
}

static int image_new(const char *name, struct pv_image **out,
		     struct pv_err **err)
{
	struct pv_image *img = calloc(1, sizeof(*img));

	*out = NULL;
	if (!img)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	img->fd = -1;
	snprintf(img->name, sizeof(img->name), "%s", name ? name : "image");
	*out = img;
	return 0;
}

static int image_load(struct pv_image *img, struct pv_err **err)
{
	int rc;

	img->info.hdr_problem = img->hdr_problem;
	img->info.ipib_problem = img->ipib_problem;
	rc = locate(img, err);
	if (!rc)
		rc = load_header(img, err);
	if (!rc)
		rc = load_ipib(img, err);
	if (!rc)
		rc = find_stage3a_parms(img, err);
	return rc;
}

int pv_image_open_fd(int fd, const char *name, struct pv_image **out,
		     struct pv_err **err)
{
	struct pv_image *img;
	struct stat st;
	int rc;

	rc = image_new(name, &img, err);
	if (rc)
		return rc;
	img->fd = fd;
	if (fstat(fd, &st)) {
		rc = pv_err_set(err, PV_ERR_IO, "%s: %s", img->name,
				strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		rc = pv_err_set(err, PV_ERR_IO, "%s is a directory", img->name);
	} else if (S_ISREG(st.st_mode)) {
		img->info.file_size = (uint64_t)st.st_size;
	} else {
		off_t end = lseek(fd, 0, SEEK_END);

		if (end < 0)
			rc = pv_err_set(err, PV_ERR_IO,
					"%s: cannot determine the size (not a file or device)",
					img->name);
		else
			img->info.file_size = (uint64_t)end;
	}
	if (!rc)
		rc = image_load(img, err);
	if (rc) {
		pv_image_close(img);
		return rc;
	}
	*out = img;
	return 0;
}

int pv_image_open(const char *path, struct pv_image **out,
		  struct pv_err **err)
{
	int fd, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pv_err_set(err, PV_ERR_IO, "cannot open image '%s': %s",
				  path, strerror(errno));
	rc = pv_image_open_fd(fd, path, out, err);
	if (rc) {
		close(fd);
		return rc;
	}
	(*out)->own_fd = true;
	return 0;
}

int pv_image_open_mem(const uint8_t *buf, size_t len, struct pv_image **out,
		      struct pv_err **err)
{
	struct pv_image *img;
	int rc;

	rc = image_new("image in memory", &img, err);
	if (rc)
		return rc;
	img->mem = buf;
	img->info.file_size = len;
	rc = image_load(img, err);
	if (rc) {
		pv_image_close(img);
		return rc;
	}
	*out = img;
	return 0;
}

void pv_image_close(struct pv_image *img)
{
	if (!img)
		return;
	if (img->own_fd)
		close(img->fd);
	pv_sehdr_free(img->hdr);
	free(img->hdr_raw);
	free(img->ipib);
	free(img->ipib_raw);
	free(img);
}

const struct pv_image_info *pv_image_get_info(const struct pv_image *img)
{
	return &img->info;
}

int pv_image_unwrap_hpk(struct pv_image *img, const struct pv_eckey *host,
			uint8_t hpk[PV_HPK_LEN], int *slot,
			struct pv_err **err)
{
	const struct pv_sehdr *hdr = img->hdr;
	uint8_t phkh[PV_SHA256_LEN], raw[PV_KEYSLOT_LEN];
	struct pv_eckey *cust = NULL;
	int idx, rc;

	if (!hdr)
		return pv_err_set(err, PV_ERR_FORMAT, "%s: %s", img->name,
				  img->hdr_problem);
	rc = pv_eckey_phkh(host, phkh, err);
	if (rc)
		return rc;
	/* §6.10: the UV picks the slot by the hash of its host key */
	idx = pv_sehdr_find_slot(hdr, phkh);
	if (idx < 0)
		return pv_err_set(err, PV_ERR_NOKEYSLOT,
				  "%s: no key slot for this host key (phkh %02x%02x%02x%02x...)",
				  img->name, phkh[0], phkh[1], phkh[2],
				  phkh[3]);
	rc = pv_eckey_from_coords(hdr->cust_pub, &cust, err);
	if (rc)
		return pv_err_prefix(err, "%s: customer public key: ",
				     img->name);
	memcpy(raw, hdr->slots[idx].phkh, PV_SHA256_LEN);
	memcpy(raw + 32, hdr->slots[idx].wrpk, 32);
	memcpy(raw + 64, hdr->slots[idx].kst, PV_GCM_TAG_LEN);
	rc = pv_keyslot_unwrap(host, cust, raw, hpk, err);
	pv_eckey_free(cust);
	if (rc)
		return pv_err_prefix(err, "%s: key slot %d: ", img->name, idx);
	if (slot)
		*slot = idx;
	return 0;
}

int pv_image_open_header(struct pv_image *img, const uint8_t hpk[PV_HPK_LEN],
			 struct pv_sehdr_secret *secret, struct pv_err **err)
{
	int rc;

	if (!img->hdr)
		return pv_err_set(err, PV_ERR_FORMAT, "%s: %s", img->name,
				  img->hdr_problem);
	rc = pv_sehdr_open(img->hdr, hpk, secret, err);
	if (rc)
		return pv_err_prefix(err, "%s: ", img->name);
	return 0;
}
