/* SPDX-License-Identifier: MIT */
/*
 * libboot: a small freestanding library for pvboot's s390x boot code
 * (stage3a, stage3b, the test kernel and guest test programs).
 *
 * Everything runs in 64-bit addressing mode with all interruptions disabled
 * except while waiting for the SCLP service signal.  Guest-memory structures
 * are native here (s390x is big-endian), so they are plain packed structs
 * with a size check.  Build flags: BOOT_CFLAGS in boot/boot.mk.
 */
#ifndef BOOT_LIBBOOT_H
#define BOOT_LIBBOOT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

#define __noreturn __attribute__((noreturn))
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __section(s) __attribute__((section(s), used))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE 4096UL

/* ---- lowcore (guest-boot-probe.md §0) ----------------------------------- */

#define LC_EXT_PARAM		0x80	/* u32 external-interruption param */
#define LC_EXT_CODE		0x86	/* u16 external-interruption code */
#define LC_PGM_ILC		0x8c	/* u16 instruction-length code */
#define LC_PGM_CODE		0x8e	/* u16 program-interruption code */
#define LC_EXT_OLD_PSW		0x130
#define LC_PGM_OLD_PSW		0x150
#define LC_EXT_NEW_PSW		0x1b0
#define LC_PGM_NEW_PSW		0x1d0

#define LC_U16(off) (*(volatile uint16_t *)(uintptr_t)(off))
#define LC_U32(off) (*(volatile uint32_t *)(uintptr_t)(off))
#define LC_U64(off) (*(volatile uint64_t *)(uintptr_t)(off))

#define EXT_CODE_SERVICE_SIGNAL	0x2401

/* ---- PSW and control registers ------------------------------------------- */

struct psw {
	uint64_t mask;
	uint64_t addr;
} __aligned(8);
_Static_assert(sizeof(struct psw) == 16, "PSW is 16 bytes");

#define PSW_MASK_EXT		0x0100000000000000ULL	/* bit 7 */
#define PSW_MASK_WAIT		0x0002000000000000ULL	/* bit 14 */
#define PSW_MASK_EA		0x0000000100000000ULL	/* bit 31 */
#define PSW_MASK_BA		0x0000000080000000ULL	/* bit 32 */

#define CR0_SERVICE_SIGNAL	0x200ULL	/* CR0 bit 54 */

/* ctl0_get() / ctl0_set() - read / load control register 0. */
static inline uint64_t ctl0_get(void)
{
	uint64_t v;

	asm volatile("stctg 0,0,%0" : "=Q"(v));
	return v;
}

static inline void ctl0_set(uint64_t v)
{
	asm volatile("lctlg 0,0,%0" : : "Q"(v) : "memory");
}

/*
 * boot_disabled_wait() - load a disabled-wait PSW whose address is @code.
 * This is how every program here ends: the machine reports the code.
 */
void boot_disabled_wait(uint64_t code) __noreturn;

/*
 * boot_ext_wait() - enabled wait for one external interruption.
 * Sets the external new PSW so that the interruption resumes right after
 * the wait; returns with interruptions disabled again.  The caller reads
 * the code at LC_EXT_CODE.
 */
void boot_ext_wait(void);

/*
 * boot_pgm_fatal_install() - make every program interruption fatal: print
 * the interruption code and old PSW on the console, then disabled wait
 * @code.  Uses its own small stack.
 */
void boot_pgm_fatal_install(uint64_t code);

/* ---- string functions (string.c) ----------------------------------------- */

/*
 * The usual C semantics.  memcpy/memmove/memset use MVCLE, so large copies
 * and fills are fast under emulation; memmove also handles overlap.
 */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * boot_ascii_to_ebcdic() - convert @n bytes of ASCII to EBCDIC (code page
 * 1047).  Characters without an equivalent become EBCDIC '?'.  In place is
 * allowed (@dst == @src).
 */
void boot_ascii_to_ebcdic(uint8_t *dst, const char *src, size_t n);

/* ---- formatted output (printf.c) ----------------------------------------- */

/*
 * boot_vformat() - printf-like formatting into a sink.  Supports the flags
 * '-' and '0', a width and precision (also '*'), the length modifiers
 * h, hh, l, ll, z and the conversions d i u x X p s c %.  Returns the
 * number of characters produced.
 */
int boot_vformat(void (*sink)(void *ctx, const char *s, size_t n), void *ctx,
		 const char *fmt, va_list ap);
/* boot_vsnprintf() - like vsnprintf(): always NUL-terminates (size > 0). */
int boot_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int boot_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/*
 * boot_printf() - format and write to the SCLP console (see sclp.c).
 * Output of any length is sent in console-sized pieces; without a console
 * it is dropped.  Returns the number of characters formatted.
 */
int boot_printf(const char *fmt, ...) __printf(1, 2);
int boot_vprintf(const char *fmt, va_list ap);

/*
 * boot_panic() - print "<message>\n" on the console, then disabled wait
 * @code.
 */
void boot_panic(uint64_t code, const char *fmt, ...) __printf(2, 3) __noreturn;

/* ---- SCLP (sclp.c, sclp_cons.c) ------------------------------------------ */

#define SCLP_CMD_READ_SCP_INFO		0x00020001
#define SCLP_CMD_READ_SCP_INFO_FORCED	0x00120001
#define SCLP_CMD_WRITE_EVENT_DATA	0x00760005
#define SCLP_CMD_WRITE_EVENT_MASK	0x00780005

#define SCLP_RC_NORMAL_READ		0x0010
#define SCLP_RC_NORMAL			0x0020
#define SCLP_RC_INVALID_COMMAND		0x01f0

#define SCLP_EVTYP_MSG		0x02		/* line-mode message */
#define SCLP_EVTYP_ASCII	0x1a		/* ASCII console data */
/* Event mask bit of event type t (t >= 1): MSB-0 bit t-1 of 32. */
#define SCLP_EVMASK(t)		(1U << (32 - (t)))

struct sccb_header {
	uint16_t length;
	uint8_t function_code;
	uint8_t control_mask[3];
	uint16_t response_code;
} __packed;
_Static_assert(sizeof(struct sccb_header) == 8, "SCCB header is 8 bytes");

struct evbuf_header {
	uint16_t length;
	uint8_t type;
	uint8_t flags;
	uint16_t reserved;
} __packed;
_Static_assert(sizeof(struct evbuf_header) == 6, "event buffer header");

/* WRITE EVENT MASK with 4-byte masks. */
struct sccb_event_mask {
	struct sccb_header h;
	uint16_t reserved;
	uint16_t mask_length;		/* 4 */
	uint32_t cp_receive_mask;	/* event types we want to receive */
	uint32_t cp_send_mask;		/* event types we want to send */
	uint32_t sclp_receive_mask;	/* out: types the SCLP accepts */
	uint32_t sclp_send_mask;	/* out: types the SCLP can send */
} __packed;
_Static_assert(sizeof(struct sccb_event_mask) == 28, "event mask SCCB");

/*
 * sclp_set_sccb() - use the 4 KiB page at @page (below 2 GiB, page aligned)
 * for every SCLP request.  Must be called before any other sclp_ function.
 * In a protected guest this page must be shared with the host first.
 */
void sclp_set_sccb(void *page);
/* sclp_sccb() - the page set with sclp_set_sccb() (NULL if none). */
void *sclp_sccb(void);

/*
 * sclp_service_call() - issue SERVC @cmd on @sccb and wait (enabled wait,
 * CR0 service-signal subclass on) for the service-signal external
 * interruption 0x2401.  Returns 0 when the request completed (check the
 * response code in the SCCB), -1 if the SCLP is not operational (cc 3)
 * or stays busy.
 */
int sclp_service_call(uint32_t cmd, void *sccb);

#define SCLP_CONS_ASCII		0x1	/* ASCII console events (0x1a) */
#define SCLP_CONS_LINEMODE	0x2	/* line-mode message events (0x02) */

/*
 * sclp_console_setup() - WRITE EVENT MASK announcing the event types of
 * @want (SCLP_CONS_*), check response 0x0020 and the SCLP's receive mask,
 * and pick the console kind: ASCII if accepted, else line mode.
 * Returns 0, or -1 if no requested kind is available.
 */
int sclp_console_setup(unsigned int want);
/* sclp_console_disable() - WRITE EVENT MASK with empty masks. */
void sclp_console_disable(void);
/* sclp_console_ready() - true after a successful sclp_console_setup(). */
bool sclp_console_ready(void);
/*
 * sclp_console_write() - write @n bytes (may contain '\n') with WRITE EVENT
 * DATA, split into SCCB-sized requests.  Returns 0 or -1.
 */
int sclp_console_write(const char *s, size_t n);

/*
 * sclp_read_ram_size() - READ SCP INFO (forced, then plain) and compute
 * the RAM size from rnmax/rnsize (or rnmax2/rnsize2).  Returns 0 and sets
 * *@size in bytes, or -1.
 */
int sclp_read_ram_size(uint64_t *size);

/* ---- facilities (facility.c) --------------------------------------------- */

#define FAC_UV_CALL		158	/* ultravisor-call facility */
#define FAC_UNPACK		161	/* secure-execution unpack facility */

/*
 * stfle() - STORE FACILITY LIST EXTENDED into @list (@ndw doublewords).
 * Returns the condition code (0 complete, 3 list too short).
 */
int stfle(uint64_t *list, unsigned int ndw);
/* test_facility() - facility bit @nr (cached list of 4 doublewords). */
bool test_facility(unsigned int nr);

/* ---- SIGP and DIAGNOSE 308 (cpu.c) --------------------------------------- */

#define SIGP_STOP		0x05
#define SIGP_SET_ARCHITECTURE	0x12

/* sigp() - SIGNAL PROCESSOR @order to @cpu with @param; returns the cc. */
int sigp(uint16_t cpu, uint8_t order, uint64_t param, uint32_t *status);

#define DIAG308_LOAD_CLEAR	3
#define DIAG308_SET		5
#define DIAG308_STORE		6
#define DIAG308_SET_PV		8
#define DIAG308_UNPACK_PV	10

#define DIAG308_RC_OK		0x0001
#define DIAG308_RC_NO_CONF	0x0102
#define DIAG308_RC_INVALID	0x0402
#define DIAG308_RC_NO_PV_CONF	0x0902
#define DIAG308_RC_INVAL_FOR_PV	0x0a02

/*
 * diag308() - DIAGNOSE 0x308 with the subcode in R3, @addr in R1 = GR0 and
 * the response read from GR1 = R1+1 (pv-machine-and-uv.md §1.1).  Returns
 * the whole 64-bit response register; for subcode 10 a failure value is
 * composite (§1.5.10, see DIAG308_PV_* below).
 */
uint64_t diag308(uint64_t subcode, void *addr);

/* Fields of the subcode-10 failure value (pv-machine-and-uv.md §1.5.10). */
#define DIAG308_PV_CMD(v)	((uint16_t)((v) >> 48))
#define DIAG308_PV_RRC(v)	((uint16_t)((v) >> 32))
#define DIAG308_PV_RC(v)	((uint16_t)((v) >> 16))
#define DIAG308_PV_DIAG_RC(v)	((uint16_t)(v))

/* ---- Ultravisor calls (uv.c) --------------------------------------------- */

#define UVC_CMD_QUERY		0x0001
#define UVC_CMD_SET_SHARED	0x1000
#define UVC_CMD_REMOVE_SHARED	0x1001
#define UVC_RC_EXECUTED		0x0001
#define UVC_RC_MORE_DATA	0x0100
/* Query bits (MSB-0 in the installed-calls bitmap, §4.3). */
#define UVC_QBIT_SET_SHARED	8
#define UVC_QBIT_REMOVE_SHARED	9

struct uv_cb_header {
	uint16_t len;
	uint16_t cmd;
	uint16_t rc;
	uint16_t rrc;
} __packed;
_Static_assert(sizeof(struct uv_cb_header) == 8, "UVCB header");

/* Query (pv-machine-and-uv.md §4.5), 0x120 bytes. */
struct uv_cb_query {
	struct uv_cb_header h;
	uint64_t reserved08;
	uint64_t installed[4];			/* 0x10 */
	uint8_t reserved30[0x9e - 0x30];
	uint16_t max_guest_cpu_id;		/* 0x9e */
	uint8_t reserveda0[0x120 - 0xa0];
} __packed __aligned(8);
_Static_assert(sizeof(struct uv_cb_query) == 0x120, "query UVCB");

/* Set / remove shared access (§4.4), 0x30 bytes. */
struct uv_cb_share {
	struct uv_cb_header h;
	uint64_t reserved08[3];
	uint64_t paddr;				/* 0x20 */
	uint64_t reserved28;
} __packed __aligned(8);
_Static_assert(sizeof(struct uv_cb_share) == 0x30, "share UVCB");

/*
 * boot_uvc_try() - one UVC instruction on @uvcb.  Returns its condition
 * code, or -1 if it caused a program interruption (no UV-call facility
 * or not allowed here); the program new PSW is restored afterwards.
 */
int boot_uvc_try(void *uvcb);
/*
 * uv_call() - UVC on @uvcb, repeated while the cc is 2 or 3 (busy /
 * partial).  Returns 0 (cc 0), 1 (cc 1, see rc/rrc in the UVCB) or -1
 * (program interruption).
 */
int uv_call(void *uvcb);
/*
 * uv_query() - UV query into @q.  Returns 0 when it answered with rc
 * 0x0001 or 0x0100, 1 for any other rc (left in @q->h.rc), -1 when the
 * UVC caused a program interruption (no UV here).
 */
int uv_query(struct uv_cb_query *q);
/* uv_query_installed() - query bit @nr (MSB-0) of the installed calls. */
bool uv_query_installed(const struct uv_cb_query *q, unsigned int nr);
/*
 * uv_protected_guest() - true when facility 158 is installed, the query
 * answers and set/remove shared access are installed calls: the program
 * runs as a protected (secure) guest.  @q receives the query result.
 */
bool uv_protected_guest(struct uv_cb_query *q);
/* uv_set_shared() / uv_remove_shared() - returns the UV rc (1 = done) or
 * 0 when the call caused a program interruption. */
uint16_t uv_set_shared(uint64_t page);
uint16_t uv_remove_shared(uint64_t page);

/* ---- SHA-256 (sha256.c) -------------------------------------------------- */

#define SHA256_DIGEST_SIZE 32

struct sha256_ctx {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	uint8_t buf[64];
	unsigned int nbuf;
};

/*
 * sha256_init() / sha256_update() / sha256_final() - streaming SHA-256
 * (FIPS 180-4): start, add @n bytes (any split), write the digest to @out.
 */
void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t n);
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE]);
/* sha256() - one-shot SHA-256 of @n bytes at @data. */
void sha256(const void *data, size_t n, uint8_t out[SHA256_DIGEST_SIZE]);

#endif
