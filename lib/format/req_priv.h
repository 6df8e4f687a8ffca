/* SPDX-License-Identifier: MIT */
/* Request sealing shared by the ARCB and ASRCB builders (req.c). */
#ifndef PVBOOT_REQ_PRIV_H
#define PVBOOT_REQ_PRIV_H

#include "pvboot/attest.h"

/*
 * Finish a request of @rql bytes whose request-type fields are already in
 * @req (the magic included): write version, rql, IV, nks and sea, the
 * customer public key (160 bytes before @slots_off) and one key slot per
 * host key from @slots_off on, then encrypt @plain (@sea bytes) into
 * [rql - sea - 16, rql - 16) with AAD [0, rql - sea - 16) and write the
 * tag.  @key_out receives the protection key.  On failure @req is zeroed.
 */
int req_seal(uint8_t *req, uint32_t rql, size_t slots_off,
	     const uint8_t *plain, uint32_t sea, const struct pv_req_keys *k,
	     uint8_t key_out[PV_REQ_KEY_LEN], struct pv_err **err);

#endif
