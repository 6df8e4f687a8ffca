// SPDX-License-Identifier: MIT
/*
 * The attestation response on the guest console (see run_response.h):
 * found between the test kernel's framing lines, Base64-decoded and
 * saved.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "attest_common.h"
#include "pvboot/boot_abi.h"
#include "run_response.h"

#define TRANSCRIPT_MAX (64U << 20)

/* The next line of @text from *@pos: start and length without CR/LF. */
static const char *next_line(const char *text, size_t len, size_t *pos,
			     size_t *n)
{
	const char *s = text + *pos, *nl;

	if (*pos >= len)
		return NULL;
	nl = memchr(s, '\n', len - *pos);
	*n = nl ? (size_t)(nl - s) : len - *pos;
	*pos += *n + (nl != NULL);
	while (*n && s[*n - 1] == '\r')
		(*n)--;
	return s;
}

static bool is_line(const char *s, size_t n, const char *want)
{
	return n == strlen(want) && !memcmp(s, want, n);
}

/* Decode the Base64 lines between *@pos and the end marker. */
static int decode_block(const char *text, size_t len, size_t *pos,
			uint8_t **out, size_t *out_len, struct pv_err **err)
{
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	size_t cap = 4096, n;
	uint8_t *buf = malloc(cap);
	const char *s;
	int outl = 0, rc = -1;

	*out_len = 0;
	if (!ctx || !buf) {
		EVP_ENCODE_CTX_free(ctx);
		free(buf);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	EVP_DecodeInit(ctx);
	while ((s = next_line(text, len, pos, &n))) {
		if (is_line(s, n, PV_TK_RESP_END)) {
			rc = EVP_DecodeFinal(ctx, buf + *out_len, &outl) < 0 ?
				     -1 : 0;
			*out_len += (size_t)outl;
			break;
		}
		if (*out_len + n + 64 > cap) {
			uint8_t *nb = realloc(buf, 2 * cap + n);

			if (!nb)
				break;
			buf = nb;
			cap = 2 * cap + n;
		}
		if (n > 0x7fffffff ||
		    EVP_DecodeUpdate(ctx, buf + *out_len, &outl,
				     (const unsigned char *)s, (int)n) < 0)
			break;
		*out_len += (size_t)outl;
	}
	EVP_ENCODE_CTX_free(ctx);
	if (rc) {
		free(buf);
		return pv_err_set(err, PV_ERR_FORMAT,
				  "the attestation response on the console is %s",
				  s ? "not valid Base64" : "cut off (no end line)");
	}
	*out = buf;
	return 0;
}

int run_response_extract(const char *text, size_t len, uint8_t **out,
			 size_t *out_len, struct pv_err **err)
{
	size_t pos = 0, n, blen = 0;
	uint8_t *best = NULL, *buf = NULL;
	const char *s;
	int rc = 0;

	*out = NULL;
	*out_len = 0;
	while ((s = next_line(text, len, &pos, &n))) {
		if (!is_line(s, n, PV_TK_RESP_BEGIN))
			continue;
		rc = decode_block(text, len, &pos, &buf, &blen, err);
		if (rc)
			break;
		free(best);		/* the last response counts */
		best = buf;
		*out_len = blen;
	}
	if (rc) {
		free(best);
		*out_len = 0;
		return rc;
	}
	if (!best)
		return pv_err_set(err, PV_ERR_FORMAT,
				  "the guest printed no attestation response (no \"%s\" line); is 'pvboot.attest' on its command line?",
				  PV_TK_RESP_BEGIN);
	*out = best;
	return 0;
}

int run_response_setup(struct run_response *rr, const char *save,
		       const char **transcript, struct pv_err **err)
{
	char tmpl[] = "/tmp/pvboot-console.XXXXXX";
	int fd;

	memset(rr, 0, sizeof(*rr));
	rr->save = save;
	if (*transcript) {
		rr->transcript = *transcript;
		return 0;
	}
	fd = mkstemp(tmpl);
	if (fd < 0)
		return pv_err_set(err, PV_ERR_IO,
				  "--save-response: cannot make a temporary console file: %s",
				  strerror(errno));
	close(fd);
	rr->tmp = strdup(tmpl);
	if (!rr->tmp) {
		unlink(tmpl);
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	}
	rr->transcript = rr->tmp;
	*transcript = rr->tmp;
	return 0;
}

int run_response_finish(struct run_response *rr, struct pv_err **err)
{
	uint8_t *text = NULL, *resp = NULL;
	size_t len = 0, rlen = 0;
	int rc;

	rc = util_read_file(rr->transcript, "console transcript",
			    TRANSCRIPT_MAX, &text, &len, err);
	if (!rc)
		rc = run_response_extract((const char *)text, len, &resp,
					  &rlen, err);
	if (!rc)
		rc = att_write_file(rr->save, resp, rlen, false,
				    "attestation response", err);
	free(text);
	free(resp);
	return rc;
}

void run_response_cleanup(struct run_response *rr)
{
	if (rr->tmp)
		unlink(rr->tmp);
	free(rr->tmp);
	rr->tmp = NULL;
}
