/* SPDX-License-Identifier: MIT */
/*
 * `pvboot run --save-response FILE`: the attestation response the guest
 * printed on its console (Base64 between PV_TK_RESP_BEGIN and
 * PV_TK_RESP_END lines, boot/README.md), decoded into FILE.
 */
#ifndef PVBOOT_CLI_RUN_RESPONSE_H
#define PVBOOT_CLI_RUN_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "pvboot/err.h"

struct run_response {
	const char *save;	/* the FILE of --save-response */
	const char *transcript;	/* where the console is copied */
	char *tmp;		/* our own temporary transcript, or NULL */
};

/*
 * Before the run: remember @save and make sure the console is copied to
 * a file: *@transcript (--transcript) if set, else a new temporary file,
 * which *@transcript then names.
 */
int run_response_setup(struct run_response *rr, const char *save,
		       const char **transcript, struct pv_err **err);
/*
 * After the run: the last complete response in the transcript, decoded
 * and written atomically to the --save-response file.  PV_ERR_FORMAT when
 * the console holds none or its Base64 is broken.
 */
int run_response_finish(struct run_response *rr, struct pv_err **err);
/* Remove the temporary transcript (NULL-safe fields). */
void run_response_cleanup(struct run_response *rr);

/*
 * The last complete response in console text @text (@len bytes), decoded
 * into a malloc'd *@out.  Lines may end in CR LF.
 */
int run_response_extract(const char *text, size_t len, uint8_t **out,
			 size_t *out_len, struct pv_err **err);

#endif
