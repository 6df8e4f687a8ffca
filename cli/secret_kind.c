// SPDX-License-Identifier: MIT
/*
 * The secret an add-secret request carries (attestation-and-secrets.md
 * §6.4), read from the files `pvboot secret create` names, plus the
 * extension secret, the CUID and the user data of the request (§6.1).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "secret_opts.h"

#define PLAIN_MAX (PV_SECRET_PLAIN_MAX - 2)	/* 8190: BE16 prefix */

static const struct {
	const char *name;
	uint16_t types[2];
	uint32_t lens[2];
} retr_types[] = {
	{ "aes", { PV_SECRET_AES_128, PV_SECRET_AES_192 }, { 16, 24 } },
	{ "aes-xts", { PV_SECRET_AES_XTS_128, PV_SECRET_AES_XTS_256 },
	  { 32, 64 } },
	{ "hmac-sha", { PV_SECRET_HMAC_SHA_256, PV_SECRET_HMAC_SHA_512 },
	  { 64, 128 } },
};

static int take_value(struct secret_kind *k, uint8_t *buf, size_t len)
{
	k->value = buf;
	k->len = (uint32_t)len;
	return 0;
}

/* plain: BE16 length, the bytes, zeros up to a multiple of 16 (§6.4). */
static int plain_value(struct secret_kind *k, const uint8_t *in, size_t n,
		       struct pv_err **err)
{
	size_t len = (n + 2 + 15) & ~(size_t)15;
	uint8_t *v;

	if (n > PLAIN_MAX)
		return pv_err_set(err, PV_ERR_RANGE,
				  "a plaintext secret holds at most %d bytes, got %zu",
				  PLAIN_MAX, n);
	v = calloc(1, len);
	if (!v)
		return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
	v[0] = (uint8_t)(n >> 8);
	v[1] = (uint8_t)n;
	memcpy(v + 2, in, n);
	k->type = PV_SECRET_PLAIN;
	return take_value(k, v, len);
}

static int key_value(struct secret_kind *k, const char *type,
		     const uint8_t *in, size_t n, struct pv_err **err)
{
	uint8_t *v;

	for (size_t i = 0; i < sizeof(retr_types) / sizeof(retr_types[0]);
	     i++) {
		if (strcmp(type, retr_types[i].name))
			continue;
		k->type = 0;
		for (int j = 0; j < 2; j++)
			if (n == retr_types[i].lens[j])
				k->type = retr_types[i].types[j];
		if (!strcmp(type, "aes") && n == 32)
			k->type = PV_SECRET_AES_256;
		if (!k->type)
			return pv_err_set(err, PV_ERR_KEY,
					  "an %s key of %zu bytes: use %s bytes",
					  type, n,
					  i == 0 ? "16, 24 or 32" :
					  i == 1 ? "32 or 64" : "64 or 128");
		v = malloc(n);
		if (!v)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		memcpy(v, in, n);
		return take_value(k, v, n);
	}
	if (!strcmp(type, "ec")) {
		uint8_t *ecv = malloc(80);

		if (!ecv)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		if (pv_secret_from_private_key(in, n, &k->type, ecv, &k->len,
					       err)) {
			pv_free_secret(ecv, 80);
			return -PV_ERR_KEY;
		}
		k->value = ecv;
		return 0;
	}
	return pv_err_set(err, PV_ERR_INVAL,
			  "--type '%s': use plain, aes, aes-xts, hmac-sha or ec",
			  type);
}

static int load_value(const struct secret_args *a, struct secret_kind *k,
		      struct pv_err **err)
{
	uint8_t *buf = NULL, *v;
	size_t n = 0;
	int rc;

	switch (a->sub) {
	case SUB_META:
		k->type = PV_SECRET_NULL;
		return 0;
	case SUB_CCK:
		k->type = PV_SECRET_UPDATE_CCK;
		v = malloc(PV_CCK_LEN);
		if (!v)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		take_value(k, v, PV_CCK_LEN);
		return att_read_exact(a->secret_file, "CCK file", v,
				      PV_CCK_LEN, err);
	case SUB_ASSOC:
		k->type = PV_SECRET_ASSOCIATION;
		v = malloc(32);
		if (!v)
			return pv_err_set(err, PV_ERR_NOMEM, "out of memory");
		take_value(k, v, 32);
		if (a->input_secret)
			return att_read_exact(a->input_secret,
					      "association secret", v, 32, err);
		{
			struct pv_rng *rng = NULL;

			rc = pv_rng_new_system(&rng, err);
			if (!rc)
				rc = pv_rng_bytes(rng, "association", v, 32,
						  err);
			pv_rng_free(rng);
			return rc;
		}
	case SUB_RETR:
		break;
	}
	rc = util_read_file(a->secret_file, "secret", 65536, &buf, &n, err);
	if (rc)
		return rc;
	if (!strcmp(a->retr_type, "plain"))
		rc = plain_value(k, buf, n, err);
	else
		rc = key_value(k, a->retr_type, buf, n, err);
	util_free_file(buf, 65536 + 1);
	if (rc)
		return pv_err_prefix(err, "secret '%s': ", a->secret_file);
	return 0;
}

/* The YAML of `attest verify -o` (or pvattest's): its "cuid" entry. */
static int cuid_from_yaml(const uint8_t *buf, size_t n, uint8_t *cuid)
{
	const char *p = (const char *)buf, *end = p + n;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		char hex[33];
		size_t i = 0;

		if (!eol)
			eol = end;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (eol - q > 5 && !memcmp(q, "cuid:", 5)) {
			q += 5;
			while (q < eol && (*q == ' ' || *q == '\'' ||
					   *q == '"'))
				q++;
			if (eol - q < 34 || q[0] != '0' || q[1] != 'x')
				return -1;
			q += 2;
			while (i < 32 && isxdigit((unsigned char)q[i])) {
				hex[i] = q[i];
				i++;
			}
			hex[i] = 0;
			if (i != 32 || isxdigit((unsigned char)q[32]))
				return -1;
			return util_parse_hex(hex, cuid, PV_CUID_LEN) ? 0 : -1;
		}
		p = eol + 1;
	}
	return -1;
}

static int load_cuid(const struct secret_args *a, struct secret_kind *k,
		     struct pv_err **err)
{
	uint8_t *buf = NULL;
	size_t n = 0;
	int rc;

	if (a->cuid_hex) {
		const char *h = a->cuid_hex;

		if (!strncmp(h, "0x", 2) || !strncmp(h, "0X", 2))
			h += 2;
		if (strlen(h) != 32 || !util_parse_hex(h, k->cuid, 16))
			return pv_err_set(err, PV_ERR_INVAL,
					  "--cuid-hex '%s' is not 32 hex digits (128 bits, leading zeros included)",
					  a->cuid_hex);
		k->have_cuid = true;
		return 0;
	}
	if (!a->cuid_file)
		return 0;
	rc = util_read_file(a->cuid_file, "CUID file", 65536, &buf, &n, err);
	if (rc)
		return rc;
	if (n == PV_CUID_LEN)
		memcpy(k->cuid, buf, PV_CUID_LEN);
	else if (cuid_from_yaml(buf, n, k->cuid))
		rc = pv_err_set(err, PV_ERR_FORMAT,
				"CUID file '%s' holds neither 16 bytes nor a YAML 'cuid: 0x<32 hex digits>' entry",
				a->cuid_file);
	util_free_file(buf, 65536 + 1);
	k->have_cuid = !rc;
	return rc;
}

static int load_ext(const struct secret_args *a,
		    const struct pv_hdr_tags *tags, struct secret_kind *k,
		    struct pv_err **err)
{
	uint8_t cck[PV_CCK_LEN];
	int rc;

	if (a->ext_file) {
		k->have_ext = true;
		return att_read_exact(a->ext_file, "extension secret", k->ext,
				      PV_ASRCB_EXT_LEN, err);
	}
	if (!a->cck_file)
		return 0;
	rc = att_read_exact(a->cck_file, "CCK", cck, sizeof(cck), err);
	if (!rc)
		rc = pv_asrcb_derive_ext(cck, tags->tag, k->ext, err);
	pv_cleanse(cck, sizeof(cck));
	k->have_ext = !rc;
	return rc;
}

static int load_id(const struct secret_args *a, struct secret_kind *k,
		   struct pv_err **err)
{
	size_t n;

	k->listable = pv_secret_listable(k->type);
	if (!k->listable)
		return 0;
	n = strlen(a->name);
	if (!a->use_name)
		return pv_sha256(a->name, n, k->id, err);
	/* pvsecret --use-name: the name's first 31 bytes, NUL-padded */
	memcpy(k->id, a->name, n < PV_SECRET_ID_LEN ? n :
						      PV_SECRET_ID_LEN - 1);
	return 0;
}

int secret_kind_load(const struct secret_args *a,
		     const struct pv_hdr_tags *tags, struct secret_kind *k,
		     struct pv_err **err)
{
	int rc = load_value(a, k, err);

	if (!rc)
		rc = load_id(a, k, err);
	if (!rc)
		rc = load_cuid(a, k, err);
	if (!rc)
		rc = load_ext(a, tags, k, err);
	if (!rc && a->user_data) {
		rc = util_read_file(a->user_data, "user data",
				    PV_ASRCB_USER_LEN, &k->user, &k->user_len,
				    err);
		if (!rc && !k->user_len && !a->quiet)
			pv_cli_warn("the user-data file '%s' is empty",
				    a->user_data);
	}
	return rc;
}

/* A YAML plain scalar, or a single-quoted one when it could misread. */
static void yaml_str(FILE *f, const char *s)
{
	bool plain = s[0] && !isdigit((unsigned char)s[0]) &&
		     s[strlen(s) - 1] != ' ';

	for (const char *p = s; plain && *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_-. /", *p))
			plain = false;
	if (plain && (!strcasecmp(s, "true") || !strcasecmp(s, "false") ||
		      !strcasecmp(s, "null") || !strcasecmp(s, "yes") ||
		      !strcasecmp(s, "no") || !strcmp(s, "~") ||
		      s[0] == '-' || s[0] == '.'))
		plain = false;
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			fputc('\'', f);
		fputc(*p, f);
	}
	fputc('\'', f);
}

void secret_kind_yaml(FILE *f, const struct secret_args *a,
		      const struct secret_kind *k)
{
	if (k->type == PV_SECRET_ASSOCIATION) {
		fprintf(f, "!Association\n");
	} else {
		fprintf(f, "!Retrievable\nkind: %u (%s)\n", k->type,
			pv_secret_type_name(k->type));
	}
	fprintf(f, "name: ");
	yaml_str(f, a->name);
	fprintf(f, "\nid: 0x");
	for (int i = 0; i < PV_SECRET_ID_LEN; i++)
		fprintf(f, "%02x", k->id[i]);
	fputc('\n', f);
}

void secret_kind_free(struct secret_kind *k)
{
	pv_free_secret(k->value, k->len);
	pv_cleanse(k->ext, sizeof(k->ext));
	free(k->user);
}
