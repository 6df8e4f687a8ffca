// SPDX-License-Identifier: MIT
/*
 * Secret types of the UV secret store and their lengths
 * (attestation-and-secrets.md §6.4).
 */
#include "pvboot/attest.h"
#include "pvboot/be.h"

static const struct {
	uint16_t type;
	const char *name;
	uint32_t len[3];	/* valid lengths; 0 ends the list */
} types[] = {
	{ PV_SECRET_NULL, "Meta", { 0 } },
	{ PV_SECRET_ASSOCIATION, "Association", { 32 } },
	{ PV_SECRET_PLAIN, "PLAINTEXT", { 0 } },
	{ PV_SECRET_AES_128, "AES-128-KEY", { 16 } },
	{ PV_SECRET_AES_192, "AES-192-KEY", { 24 } },
	{ PV_SECRET_AES_256, "AES-256-KEY", { 32 } },
	{ PV_SECRET_AES_XTS_128, "AES-XTS-128-KEY", { 32 } },
	{ PV_SECRET_AES_XTS_256, "AES-XTS-256-KEY", { 64 } },
	{ PV_SECRET_HMAC_SHA_256, "HMAC-SHA-256-KEY", { 64 } },
	{ PV_SECRET_HMAC_SHA_512, "HMAC-SHA-512-KEY", { 128 } },
	{ PV_SECRET_EC_P256, "EC-SECP256R1-PRIVATE-KEY", { 32 } },
	{ PV_SECRET_EC_P384, "EC-SECP384R1-PRIVATE-KEY", { 48 } },
	{ PV_SECRET_EC_P521, "EC-SECP521R1-PRIVATE-KEY", { 80 } },
	{ PV_SECRET_ED25519, "EC-ED25519-PRIVATE-KEY", { 32 } },
	{ PV_SECRET_ED448, "EC-ED448-PRIVATE-KEY", { 64 } },
	{ PV_SECRET_UPDATE_CCK, "Update-CCK", { 32 } },
};

static int find(uint16_t type)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return (int)i;
	return -1;
}

const char *pv_secret_type_name(uint16_t type)
{
	int i = find(type);

	return i < 0 ? NULL : types[i].name;
}

bool pv_secret_len_ok(uint16_t type, uint32_t len)
{
	int i = find(type);

	if (i < 0)
		return false;
	if (type == PV_SECRET_NULL)
		return len == 0;
	/* 16..8192 bytes in AES blocks: BE16 length, payload, zero pad */
	if (type == PV_SECRET_PLAIN)
		return len >= 16 && len <= PV_SECRET_PLAIN_MAX && !(len % 16);
	for (int j = 0; j < 3 && types[i].len[j]; j++)
		if (types[i].len[j] == len)
			return true;
	return false;
}

bool pv_secret_listable(uint16_t type)
{
	return find(type) >= 0 && type != PV_SECRET_NULL &&
	       type != PV_SECRET_UPDATE_CCK;
}

bool pv_secret_retrievable(uint16_t type)
{
	return pv_secret_listable(type) && type != PV_SECRET_ASSOCIATION;
}
