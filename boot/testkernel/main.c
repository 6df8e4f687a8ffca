// SPDX-License-Identifier: MIT
/*
 * pvboot test kernel: boots as a plain kernel or, packed into an SE image,
 * as a protected guest; proves what it sees on the SCLP console and ends
 * in a disabled wait that tells the host the result (boot_abi.h).
 */
#include "tk.h"
#include "tk_pv.h"

static struct uv_cb_query uvq;
static char cmdline[TK_CMDLINE_MAX + 1];

void tk_main(void) __noreturn;

void tk_fail(unsigned int check, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	boot_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	boot_printf("pvboot test kernel: FAILED: %s\n", msg);
	boot_disabled_wait(PV_WAIT_TK_FAIL(check));
}

enum prot_state {
	PROT_NO_FACILITY,	/* no UV-call facility (158) */
	PROT_NO_UVC,		/* UVC raised a program interruption */
	PROT_QUERY_FAILED,	/* the UV answered the query with an error */
	PROT_NOT_GUEST,		/* query fine, but no guest share calls */
	PROT_YES,
};

static enum prot_state probe_protection(void)
{
	int rc;

	if (!test_facility(FAC_UV_CALL))
		return PROT_NO_FACILITY;
	rc = uv_query(&uvq);
	if (rc < 0)
		return PROT_NO_UVC;
	if (rc > 0)
		return PROT_QUERY_FAILED;
	if (!uv_query_installed(&uvq, UVC_QBIT_SET_SHARED) ||
	    !uv_query_installed(&uvq, UVC_QBIT_REMOVE_SHARED))
		return PROT_NOT_GUEST;
	return PROT_YES;
}

static void report_protection(enum prot_state st, uint16_t share_rc)
{
	switch (st) {
	case PROT_YES:
		if (share_rc != UVC_RC_EXECUTED) {
			boot_printf("protected: yes (UV query rc 0x%04x, installed calls 0x%016lx)\n",
				    uvq.h.rc, uvq.installed[0]);
			tk_fail(PV_TK_FAIL_SHARE,
				"set shared access of page 0x%x: UV rc 0x%04x",
				TK_SCCB, share_rc);
		}
		boot_printf("protected: yes (UV query rc 0x%04x, installed calls 0x%016lx, SCCB page 0x%x shared)\n",
			    uvq.h.rc, uvq.installed[0], TK_SCCB);
		break;
	case PROT_QUERY_FAILED:
		tk_fail(PV_TK_FAIL_NOT_PROTECTED,
			"UV query did not answer: rc 0x%04x rrc 0x%04x",
			uvq.h.rc, uvq.h.rrc);
	case PROT_NOT_GUEST:
		boot_printf("protected: no (UV query rc 0x%04x, no guest share calls)\n",
			    uvq.h.rc);
		break;
	case PROT_NO_UVC:
		boot_printf("protected: no (UV call facility listed, UVC not available)\n");
		break;
	default:
		boot_printf("protected: no\n");
		break;
	}
}

/* Copy the command line for printing; false if it is not terminated. */
static bool read_cmdline(void)
{
	uint64_t max = *(volatile uint64_t *)MAX_COMMAND_LINE_SIZE;
	const char *src = (const char *)COMMAND_LINE;
	size_t len;

	if (!max)
		max = LEGACY_COMMAND_LINE_SIZE;
	if (max > TK_CMDLINE_MAX)
		max = TK_CMDLINE_MAX;
	len = strnlen(src, max);
	if (len == max)
		return false;
	memcpy(cmdline, src, len + 1);
	return true;
}

static void print_cmdline(void)
{
	size_t len = strlen(cmdline), i;
	char *p = cmdline;

	/* One line on the console: control characters become blanks. */
	for (i = 0; i < len; i++) {
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e)
			p[i] = ' ';
	}
	while (len && p[len - 1] == ' ')
		p[--len] = '\0';
	boot_printf("cmdline: %s\n", p);
}

static bool cmdline_has(const char *word)
{
	size_t wlen = strlen(word);
	const char *p = cmdline;

	while (*p) {
		size_t n = 0;

		while (*p == ' ')
			p++;
		while (p[n] && p[n] != ' ')
			n++;
		if (n == wlen && !strncmp(p, word, n))
			return true;
		p += n;
	}
	return false;
}

static bool page_is_zero(uint64_t addr)
{
	const volatile uint64_t *p = (const volatile uint64_t *)addr;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / 8; i++) {
		if (p[i])
			return false;
	}
	return true;
}

/*
 * In a protected guest every page that was not unpacked reads as zero
 * (pv-machine-and-uv.md §4.8): the SE header page and the end of RAM.
 */
static void zero_page_check(uint64_t ram_size)
{
	uint64_t pages[2] = { 0x14000, ram_size - PAGE_SIZE };
	uint64_t istart = 0, iend = 0;
	unsigned int i;

	tk_initrd_range(&istart, &iend);
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		uint64_t pg = pages[i];

		if (pg < iend && pg + PAGE_SIZE > istart)
			continue;	/* initrd data, not a zero page */
		if (!page_is_zero(pg))
			tk_fail(PV_TK_FAIL_NOT_ZERO,
				"zero page check: page 0x%lx is not zero", pg);
	}
	boot_printf("zero page check: ok (pages 0x%lx 0x%lx)\n", pages[0],
		    pages[1]);
}

/* Wait code when not even the console works. */
static unsigned int console_fail_code(enum prot_state st, uint16_t share_rc)
{
	if (st == PROT_QUERY_FAILED)
		return PV_TK_FAIL_NOT_PROTECTED;
	if (st == PROT_YES && share_rc != UVC_RC_EXECUTED)
		return PV_TK_FAIL_SHARE;
	return PV_TK_FAIL_CONSOLE;
}

void tk_main(void)
{
	enum prot_state st;
	uint16_t share_rc = 0;
	uint64_t ram_size;

	boot_pgm_fatal_install(PV_WAIT_TK_FAIL(PV_TK_FAIL_PGM));
	sclp_set_sccb((void *)TK_SCCB);

	/*
	 * A protected guest shares the SCCB page before any SCLP call; so
	 * does a guest whose UV answered the query with an error, so that it
	 * can still report it.
	 */
	st = probe_protection();
	if (st == PROT_YES || st == PROT_QUERY_FAILED)
		share_rc = uv_set_shared(TK_SCCB);
	if (sclp_console_setup(SCLP_CONS_ASCII | SCLP_CONS_LINEMODE)) {
		unsigned int code = console_fail_code(st, share_rc);

		boot_disabled_wait(PV_WAIT_TK_FAIL(code));
	}

	boot_printf("pvboot test kernel\n");
	report_protection(st, share_rc);

	if (sclp_read_ram_size(&ram_size))
		tk_fail(PV_TK_FAIL_RAMSIZE, "READ SCP INFO failed");
	boot_printf("memory: %lu MiB\n", ram_size >> 20);

	if (!read_cmdline())
		tk_fail(PV_TK_FAIL_CMDLINE,
			"command line at 0x%x is not NUL-terminated",
			COMMAND_LINE);
	print_cmdline();

	tk_initrd_report(ram_size);
	if (st == PROT_YES)
		zero_page_check(ram_size);
	if (cmdline_has(PV_TK_KEYWORD_REIPL))
		tk_reipl_test();
	if (cmdline_has(PV_TK_KEYWORD_ATTEST))
		tk_attest_initrd();
	if (cmdline_has(PV_TK_KEYWORD_SECRETS))
		tk_secrets();

	boot_printf("pvboot test kernel: all checks passed\n");
	boot_disabled_wait(PV_WAIT_TK_OK);
}
