// SPDX-License-Identifier: MIT
/*
 * SCLP service calls and READ SCP INFO (guest-boot-probe.md §A).
 *
 * Every request is one SERVC followed by an enabled wait for the
 * service-signal external interruption (code 0x2401).  The interruption is
 * only enabled inside that wait: CR0 bit 54 is set for the duration of the
 * call and the PSW external mask only in the wait PSW.
 */
#include "libboot.h"

static void *sccb_page;

/* READ SCP INFO response, the fields used here. */
struct sccb_read_info {
	struct sccb_header h;
	uint16_t rnmax;			/* 0x08 storage increments */
	uint8_t rnsize;			/* 0x0a increment size in MiB */
	uint8_t reserved0b[100 - 11];
	uint32_t rnsize2;		/* 0x64 */
	uint64_t rnmax2;		/* 0x68 */
} __packed;
_Static_assert(sizeof(struct sccb_read_info) == 112, "READ SCP INFO");

void sclp_set_sccb(void *page)
{
	sccb_page = page;
}

void *sclp_sccb(void)
{
	return sccb_page;
}

static int servc(uint32_t cmd, void *sccb)
{
	int cc;

	asm volatile("	.insn	rre,0xb2200000,%[cmd],%[sccb]\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=&d"(cc)
		     : [cmd] "d"((uint64_t)cmd), [sccb] "a"(sccb)
		     : "cc", "memory");
	return cc;
}

static void wait_service_signal(void)
{
	do {
		LC_U16(LC_EXT_CODE) = 0;
		boot_ext_wait();
	} while (LC_U16(LC_EXT_CODE) != EXT_CODE_SERVICE_SIGNAL);
}

int sclp_service_call(uint32_t cmd, void *sccb)
{
	uint64_t cr0 = ctl0_get();
	int tries = 0;
	int cc;

	ctl0_set(cr0 | CR0_SERVICE_SIGNAL);
	for (;;) {
		cc = servc(cmd, sccb);
		if (cc != 2 || ++tries > 16)
			break;
		/* Busy with an earlier request: its signal comes first. */
		wait_service_signal();
	}
	if (cc == 0)
		wait_service_signal();
	ctl0_set(cr0);
	return cc == 0 ? 0 : -1;
}

int sclp_read_ram_size(uint64_t *size)
{
	static const uint32_t cmds[] = {
		SCLP_CMD_READ_SCP_INFO_FORCED,
		SCLP_CMD_READ_SCP_INFO,
	};
	struct sccb_read_info *ri = sccb_page;
	uint64_t incr, num;
	unsigned int i;

	if (!ri)
		return -1;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		memset(ri, 0, PAGE_SIZE);
		ri->h.length = PAGE_SIZE;
		if (sclp_service_call(cmds[i], ri))
			return -1;
		if (ri->h.response_code != SCLP_RC_INVALID_COMMAND)
			break;
	}
	if (ri->h.response_code != SCLP_RC_NORMAL_READ)
		return -1;
	incr = ri->rnsize ? ri->rnsize : ri->rnsize2;
	num = ri->rnmax ? ri->rnmax : ri->rnmax2;
	if (!incr || !num)
		return -1;
	*size = (num * incr) << 20;
	return 0;
}
