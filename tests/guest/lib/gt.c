// SPDX-License-Identifier: MIT
/*
 * Guest test harness: console, check counting, IPL-block builders.
 */
#include "gt.h"

static unsigned int checks, failures;

const struct gt_parms *gt_parms(void)
{
	const struct gt_parms *p = (const struct gt_parms *)GT_PARMS;

	return p->magic == GT_PARMS_MAGIC ? p : NULL;
}

bool gt_protected(void)
{
	struct uv_cb_query q;

	return uv_protected_guest(&q);
}

int gt_uv_query_cc(void)
{
	static struct uv_cb_query q __aligned(8);

	memset(&q, 0, sizeof(q));
	q.h.len = sizeof(q);
	q.h.cmd = UVC_CMD_QUERY;
	return boot_uvc_try(&q);
}

bool gt_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok)
		return true;
	failures++;
	boot_printf("%s: FAIL: ", gt_name);
	va_start(ap, fmt);
	boot_vprintf(fmt, ap);
	va_end(ap);
	boot_printf("\n");
	return false;
}

unsigned int gt_failures(void)
{
	return failures;
}

void gt_done(void)
{
	boot_printf("%s: %u checks, %u failed\n", gt_name, checks, failures);
	boot_disabled_wait(failures || !checks ? GT_WAIT_FAIL : GT_WAIT_OK);
}

uint16_t gt_pgm_take(void)
{
	uint16_t code = gt_pgm.count ? (uint16_t)gt_pgm.code : 0;

	gt_pgm.count = 0;
	gt_pgm.code = 0;
	return code;
}

void gt_iplb_ccw(void *page, uint32_t len, const char *loadparm)
{
	uint8_t *b = page;

	memset(b, 0, PAGE_SIZE);
	*(uint32_t *)b = len;
	b[7] = 1;				/* version */
	*(uint32_t *)(b + 8) = len - 8;		/* blk0_len */
	b[0x0c] = 2;				/* CCW */
	if (loadparm) {
		b[0x0d] = 0x80;			/* loadparm valid */
		memcpy(b + 0x10, loadparm, 8);
	}
	*(uint16_t *)(b + 0x6e) = 0x1234;	/* devno */
}

void gt_iplb_pv(void *page, uint32_t n, uint64_t hdr, uint64_t hdr_len,
		uint64_t comp_addr)
{
	uint8_t *b = page;

	memset(b, 0, PAGE_SIZE);
	*(uint32_t *)b = 136 + 24 * n;
	b[7] = 1;
	*(uint32_t *)(b + 8) = 128 + 24 * n;
	b[0x0c] = 5;
	b[0x6f] = 1;
	*(uint32_t *)(b + 0x74) = n;
	*(uint64_t *)(b + 0x78) = hdr;
	*(uint64_t *)(b + 0x80) = hdr_len;
	for (uint32_t i = 0; i < n; i++)
		gt_iplb_pv_comp(page, i, i + 1, comp_addr + i * PAGE_SIZE,
				PAGE_SIZE);
}

void gt_iplb_pv_comp(void *page, uint32_t i, uint64_t tweak, uint64_t addr,
		     uint64_t size)
{
	uint8_t *c = (uint8_t *)page + 0x88 + 24 * i;

	*(uint64_t *)c = tweak;
	*(uint64_t *)(c + 8) = addr;
	*(uint64_t *)(c + 16) = size;
}

/* Entry from gt_asm.S: console, program-check recorder, the test. */
void gt_entry(void)
{
	sclp_set_sccb((void *)GT_SCCB);
	gt_pgm_install();
	if (gt_protected())
		uv_set_shared(GT_SCCB);
	sclp_console_setup(SCLP_CONS_ASCII);
	boot_printf("%s: start%s\n", gt_name,
		    gt_protected() ? " (protected)" : "");
	gt_main();
	gt_done();
}
