// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for DIAG 308 as the machine handles it (the
 * hypervisor's checks and slots, and the resets it asks for, including
 * the protect sequence against the software UV).  One
 * machine (1 MiB of RAM, a small loaded image) serves every input; its
 * IPL-block slots, registers and the memory written are reset first.
 *
 * Input:
 *   [0]        flags: 1 problem state, 2 TCG-like, 4 no facility 161,
 *              8 make GR(R1) a page-aligned address inside RAM,
 *              0x10 issue a second DIAG afterwards
 *   [1]        R1 << 4 | R3 of the first DIAG
 *   [2..129]   GR0..GR15, big-endian
 *   [130]      R1 << 4 | R3 of the second DIAG
 *   [131..138] its subcode register value
 *   [139..]    bytes written to guest memory at 0x20000 (<= 256 KiB)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvboot/be.h"
#include "pvboot/machine.h"

#include "../../machine/machine_priv.h"

#define RAM (1ULL << 20)
#define MEM_AT 0x20000ULL
#define MEM_MAX (256ULL << 10)
#define HDR_LEN 139

static struct pv_machine *m;

static int init_once(void)
{
	struct pv_machine_opts o = { .mem_size = RAM };
	static uint8_t image[0x11000];

	if (m)
		return 0;
	/* Short PSW to 0x10000, where a disabled-wait LPSWE sits. */
	pv_put_be64(image, 0x0008000180010000ULL);
	image[0x10000] = 0xb2;
	image[0x10001] = 0xb2;
	image[0x10003] = 0x80;
	pv_put_be64(image + 0x80, 0x0002000180000000ULL);
	if (pv_machine_new(&m, &o, NULL) ||
	    pv_machine_load_buffer(m, image, sizeof(image), NULL))
		abort();
	return 0;
}

/* One DIAG 308 with R1/R3 from @regs on the registers in @gr. */
static void one_diag(uint8_t regs, uint64_t gr[16], uint64_t mask)
{
	struct pv_err *err = NULL;
	struct d308_out out;

	memset(&m->exit, 0, sizeof(m->exit));
	d308_execute(m, regs >> 4, regs & 0xf, gr, mask, &out);
	d308_log(m, gr[regs & 0xf], 0x10000, &out, gr[((regs >> 4) + 1) & 15]);
	if (out.reset) {
		m->reset.type = out.type;
		m->reset.cpu = m->cpus[0];
		m->reset.r1 = regs >> 4;
		if (machine_reset(m, out.type, &err))
			pv_err_free(err);
	}
	/* No reset may leave the guest protected: there is no valid key. */
	if (m->protected_mode)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t gr[16], mask = PSW_MASK_64;
	size_t n;

	init_once();
	if (size < HDR_LEN)
		return 0;
	m->iplb_valid = false;
	m->iplb_pv_valid = false;
	m->flags = 0;
	if (data[0] & 2)
		m->flags |= PV_MACHINE_F_TCG_DIAG;
	if (data[0] & 4)
		m->flags |= PV_MACHINE_F_NO_UNPACK;
	if (data[0] & 1)
		mask |= PSW_PSTATE;
	for (int i = 0; i < 16; i++)
		gr[i] = pv_get_be64(data + 2 + 8 * i);
	if (data[0] & 8)
		gr[data[1] >> 4] = (gr[data[1] >> 4] % RAM) & ~0xfffULL;
	memset(m->ram + MEM_AT, 0, MEM_MAX);
	n = size - HDR_LEN;
	memcpy(m->ram + MEM_AT, data + HDR_LEN, n < MEM_MAX ? n : MEM_MAX);
	codemap_written(m, MEM_AT, MEM_MAX);
	one_diag(data[1], gr, mask);
	if (data[0] & 0x10) {
		uint8_t r = data[130];

		gr[r & 0xf] = pv_get_be64(data + 131);
		one_diag(r, gr, mask);
	}
	return 0;
}
