// SPDX-License-Identifier: MIT
/*
 * stage3b: runs protected, entered through the relocator (se-image-format.md
 * §3.4).  Moves the kernel to 0x10000, installs command line and initrd
 * pointers in the Linux parameter area and starts the kernel with the PSW
 * from its parameter block.
 */
#include "libboot.h"
#include "pvboot/boot_abi.h"

struct mem_blob {
	uint64_t src;
	uint64_t size;
};

/* §3.3: the last 64 bytes of stage3b_reloc.bin, filled by the builder. */
struct stage3b_parms {
	struct mem_blob kernel;
	struct mem_blob cmdline;	/* size includes the NUL */
	struct mem_blob initrd;
	uint64_t psw_mask;
	uint64_t psw_addr;
};
_Static_assert(sizeof(struct stage3b_parms) == STAGE3B_PARMS_SIZE,
	       "stage3b parameter block");

static volatile struct stage3b_parms loader_parms __section(".loader_parms");
static uint64_t shared_sccb;

void stage3b_main(void) __noreturn;

static void console_up(void)
{
	struct uv_cb_query q;

	/*
	 * A protected guest's SCCB must be in a page shared with the host.
	 * The console is optional here: without it stage3b stays quiet.
	 */
	sclp_set_sccb((void *)STAGE3B_SCCB);
	if (uv_protected_guest(&q)) {
		if (uv_set_shared(STAGE3B_SCCB) != UVC_RC_EXECUTED)
			return;
		shared_sccb = STAGE3B_SCCB;
	}
	sclp_console_setup(SCLP_CONS_ASCII | SCLP_CONS_LINEMODE);
}

static void console_down(void)
{
	sclp_console_disable();
	if (shared_sccb)
		uv_remove_shared(shared_sccb);
	shared_sccb = 0;
}

static uint64_t max_cmdline_size(void)
{
	uint64_t size = *(volatile uint64_t *)MAX_COMMAND_LINE_SIZE;

	return size ? size : LEGACY_COMMAND_LINE_SIZE;
}

void stage3b_main(void)
{
	struct psw psw = {
		.mask = loader_parms.psw_mask,
		.addr = loader_parms.psw_addr,
	};
	uint64_t ksrc = loader_parms.kernel.src;
	uint64_t ksize = loader_parms.kernel.size;
	uint64_t csrc = loader_parms.cmdline.src;
	uint64_t csize = loader_parms.cmdline.size;
	uint64_t isrc = loader_parms.initrd.src;
	uint64_t isize = loader_parms.initrd.size;
	uint64_t max;

	console_up();
	if (ksize < IMAGE_ENTRY)
		boot_panic(PV_WAIT_EINTERNAL,
			   "Invalid kernel: size 0x%lx is below 0x%x", ksize,
			   IMAGE_ENTRY);

	/* Drop the first 64 KiB of the kernel file, like zipl's stage3. */
	memmove((void *)IMAGE_ENTRY, (void *)(ksrc + IMAGE_ENTRY),
		ksize - IMAGE_ENTRY);

	max = max_cmdline_size();
	if (csize > max)
		boot_panic(PV_WAIT_EINTERNAL,
			   "Command line is too large: %lu bytes, at most %lu",
			   csize, max);
	if (csize) {
		if (((volatile char *)csrc)[csize - 1] != '\0')
			boot_panic(PV_WAIT_EINTERNAL,
				   "Command line needs to be null-terminated");
		memmove((void *)COMMAND_LINE, (void *)csrc, csize);
	}
	/* The initrd stays where it was unpacked. */
	if (isize) {
		*(volatile uint64_t *)INITRD_START = isrc;
		*(volatile uint64_t *)INITRD_SIZE = isize;
	}

	boot_printf("stage3b: starting kernel at 0x%lx (kernel 0x%lx bytes, cmdline %lu bytes, initrd 0x%lx bytes)\n",
		    psw.addr, ksize, csize, isize);
	console_down();
	/* No DIAG 308 reset: subcode 10 already reset the I/O subsystem. */
	asm volatile("lpswe %0" : : "Q"(psw) : "memory");
	boot_disabled_wait(PV_WAIT_EINTERNAL);
}
