// SPDX-License-Identifier: MIT
/*
 * stage3a: the plaintext loader of an SE image (se-image-format.md §3.2).
 * Points the PV IPL block at the SE header, registers it with DIAG 308
 * subcode 8 and asks for protected mode with subcode 10.  Subcode 10 only
 * returns on failure; the response is decoded for the user.
 */
#include "libboot.h"
#include "pvboot/boot_abi.h"

/* §3.1: offsets relative to the parameter block itself. */
struct stage3a_parms {
	uint64_t hdr_offs;
	uint64_t hdr_size;
	uint64_t ipib_offs;
};
_Static_assert(sizeof(struct stage3a_parms) == STAGE3A_PARMS_SIZE,
	       "stage3a parameter block");

/* PV IPL block fields (se-image-format.md §4, pv-machine-and-uv.md §2.4). */
#define IPIB_PV_HDR_ADDR 0x78
#define IPIB_PV_HDR_SIZE 0x80

/* Written by the image builder: the last 24 bytes of stage3a.bin. */
static volatile struct stage3a_parms loader_parms __section(".loader_parms");

void stage3a_main(void) __noreturn;

struct uv_hint {
	uint16_t rc;
	uint16_t rrc;		/* 0xffff: any */
	const char *text;
};

/* UV rc/rrc pairs the user can act on (se-image-format.md §3.2 step 7). */
static const struct uv_hint uv_hints[] = {
	{ 0x0102, 0x001a, "address list digest mismatch" },
	{ 0x0102, 0x001b, "page list digest mismatch" },
	{ 0x0102, 0x001c, "tweak list digest mismatch" },
	{ 0x0102, 0x001d, "number of encrypted pages mismatch" },
	{ 0x0104, 0x0001, "SE header version not supported" },
	{ 0x0106, 0x0030, "unsupported plaintext control flag set" },
	{ 0x0108, 0x0005,
	  "host-key hash mismatch: the image is not encrypted for this host" },
	{ 0x0108, 0x000b, "invalid customer ECDH public key in the SE header" },
	{ 0x0108, 0x0034, "backup host-key hash mismatch" },
	{ 0x0108, 0xffff, "check that the image is encrypted for this host" },
	{ 0x0109, 0x0000, "unsupported secret control flag set" },
	{ 0x010a, 0x0031, "SE header size mismatch" },
	{ 0x010a, 0x0039, "invalid size of the encrypted SE header area" },
	{ 0x010a, 0x0040, "no key slot in the SE header" },
};

static const char *uv_hint(uint16_t rc, uint16_t rrc)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(uv_hints); i++) {
		if (uv_hints[i].rc == rc &&
		    (uv_hints[i].rrc == rrc || uv_hints[i].rrc == 0xffff))
			return uv_hints[i].text;
	}
	return NULL;
}

static const char *diag_hint(uint16_t diag_rc)
{
	switch (diag_rc) {
	case DIAG308_RC_NO_CONF:
		return "no IPL parameter block";
	case DIAG308_RC_INVALID:
		return "invalid IPL parameter block";
	case DIAG308_RC_NO_PV_CONF:
		return "no PV IPL parameter block";
	case DIAG308_RC_INVAL_FOR_PV:
		return "the configuration cannot enter protected mode";
	default:
		return "unexpected response";
	}
}

/* The failing KVM_PV command of pv-machine-and-uv.md §1.5.10. */
static const char *uv_cmd_name(uint16_t cmd)
{
	switch (cmd) {
	case 2:
		return "set secure parameters";
	case 3:
		return "unpack";
	case 4:
		return "verify";
	default:
		return "unknown";
	}
}

static void __noreturn report_unpack_failure(uint64_t resp)
{
	uint16_t cmd = DIAG308_PV_CMD(resp), rrc = DIAG308_PV_RRC(resp);
	uint16_t rc = DIAG308_PV_RC(resp), drc = DIAG308_PV_DIAG_RC(resp);
	const char *hint = uv_hint(rc, rrc);

	if (!cmd && !rc && !rrc)
		boot_panic(PV_WAIT_EPV,
			   "Protected boot has failed: diag rc 0x%04x (%s)",
			   drc, diag_hint(drc));
	boot_panic(PV_WAIT_EPV,
		   "Protected boot has failed: diag rc 0x%04x, UV command %u (%s) rc 0x%04x rrc 0x%04x%s%s",
		   drc, cmd, uv_cmd_name(cmd), rc, rrc, hint ? ": " : "",
		   hint ? hint : "");
}

static void console_init(void)
{
	/* Without a console the boot still goes on; it just stays quiet. */
	sclp_set_sccb((void *)STAGE3A_SCCB);
	sclp_console_setup(SCLP_CONS_ASCII | SCLP_CONS_LINEMODE);
}

void stage3a_main(void)
{
	uint64_t parms = (uint64_t)&loader_parms;
	uint8_t *ipib = (uint8_t *)(parms + loader_parms.ipib_offs);
	uint64_t resp;

	/* §3.2 step 3: the header may sit anywhere after stage3a. */
	*(volatile uint64_t *)(ipib + IPIB_PV_HDR_ADDR) =
		parms + loader_parms.hdr_offs;
	*(volatile uint64_t *)(ipib + IPIB_PV_HDR_SIZE) =
		loader_parms.hdr_size;

	console_init();
	if (!test_facility(FAC_UNPACK))
		boot_panic(PV_WAIT_ENOPV,
			   "Secure unpack facility is not available");

	resp = diag308(DIAG308_SET_PV, ipib);
	if (resp != DIAG308_RC_OK)
		boot_panic(PV_WAIT_EPV,
			   "Protected boot setup has failed: diag rc 0x%04x (%s)",
			   (uint16_t)resp, diag_hint((uint16_t)resp));

	resp = diag308(DIAG308_UNPACK_PV, NULL);
	/* Still here: the attempt failed after a reset that also reset the
	 * SCLP event masks, so announce the console again. */
	console_init();
	report_unpack_failure(resp);
}
