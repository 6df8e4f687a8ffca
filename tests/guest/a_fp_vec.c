// SPDX-License-Identifier: MIT
/*
 * Vector instructions and their exceptions, in every mode of at.h.
 *
 * Without the vector facility (STFLE bit 129 zero, POP chapter 4,
 * "Facility Indications"), a vector instruction is an unassigned opcode:
 * an operation exception (0x01), ILC 3 (6 bytes), old PSW after it,
 * whatever CR0 bit 46 says (chapter 6, "Operation Exception").
 *
 * With the facility (chapter 21, "Vector Overview and Support
 * Instructions"; chapter 24, "Vector Floating-Point Instructions"):
 *   CR0 bit 46 (vector enablement) zero: a data exception with DXC 0xfe,
 *     suppressed;
 *   VECTOR FP DIVIDE (long) with an element divided by zero while the
 *     FPC division-by-zero mask is one: a vector-processing exception
 *     (0x1b) with the VXC (element index << 4 | vector interruption code
 *     2) at 0x93 and in FPC byte 2, suppressed (the target register
 *     unchanged); with the mask zero, infinity and the FPC flag.
 *
 * pvboot's machine leaves bit 129 out (machine/facility.c), QEMU TCG's
 * "qemu" CPU model has it, so the two run different halves.  The old
 * PSW of the vector-processing exception is checked only by
 * a_fp_vec_strict.c (A_FP_VEC_STRICT): QEMU 7.2 leaves it at the VFD.
 */
#include "a_fp.h"

#ifndef A_FP_VEC_STRICT
#define A_FP_VEC_STRICT 0
const char gt_name[] = "A-FP-VEC";
#endif

#define ONE	0x3ff0000000000000ULL
#define INF	0x7ff0000000000000ULL

/* Raw encodings (the programs build for z10). */
#define VGBM_V0_0	".short 0xe700,0x0000,0x0044"	/* VGBM %v0,0 */
#define VL_V0_R2	".short 0xe700,0x2000,0x0006"	/* VL %v0,0(%r2) */
#define VL_V1_R3	".short 0xe710,0x3000,0x0006"	/* VL %v1,0(%r3) */
#define VL_V2_R4	".short 0xe720,0x4000,0x0006"	/* VL %v2,0(%r4) */
#define VST_V0_R2	".short 0xe700,0x2000,0x000e"	/* VST %v0,0(%r2) */
#define VFDDB_V0_V1_V2	".short 0xe701,0x2000,0x30e5"	/* VFD %v0,%v1,%v2,3,0 */

static uint64_t v0[2] __aligned(16), v1[2] __aligned(16),
	v2[2] __aligned(16);

static void vector_enable(bool on)
{
	uint64_t cr0 = AT_STCTG(0);

	AT_LCTLG(0, on ? cr0 | CR0_VECTOR : cr0 & ~CR0_VECTOR);
}

/* No vector facility: VGBM is an operation exception, CR0 bit 46 on or off. */
static void not_installed(void)
{
	for (int on = 0; on < 2; on++) {
		vector_enable(on);
		LC_U8(LC_DXC) = 0xaa;
		go();
		asm volatile(AT_PRE VGBM_V0_0 AT_POST : : : "r1", "memory");
		at_supervisor();
		gt_check(gt_pgm.code != PGM_DATA,
			 "%s: data exception, DXC 0x%02x",
			 w("VGBM without the facility"), lc_dxc());
		expect_pgm(w(on ? "VGBM without the facility, CR0 bit 46 one"
				: "VGBM without the facility, CR0 bit 46 zero"),
			   PGM_OPERATION, 6, at_spot.next, 0);
	}
	vector_enable(false);
}

/*
 * VFD of (1, 1) by (1, 0) with FPC @fpc; V0 starts as (0x5a.., 0x5a..).
 * An interruption resumes after the VFD even if the old PSW points at
 * it (a CPU that wrongly nullified would otherwise loop).
 */
static void vfd(uint32_t fpc)
{
	v0[0] = v0[1] = 0x5a5a5a5a5a5a5a5aULL;
	v1[0] = v1[1] = ONE;
	v2[0] = ONE;
	v2[1] = 0;
	sfpc(fpc);
	go();
	asm volatile("lgr %%r2,%[a0]\n\tlgr %%r3,%[a1]\n\tlgr %%r4,%[a2]\n\t"
		     VL_V0_R2 "\n\t" VL_V1_R3 "\n\t" VL_V2_R4 "\n\t"
		     AT_PRE_RESUME VFDDB_V0_V1_V2 AT_POST VST_V0_R2
		     : : [a0] "a"(v0), [a1] "a"(v1), [a2] "a"(v2)
		     : "r1", "r2", "r3", "r4", "memory");
	at_supervisor();
	gt_pgm.resume = 0;
	if (dat())	/* the resume PSW has DAT off */
		at_dat_on();
}

static void installed(void)
{
	uint32_t fpc;

	afp(true);
	vector_enable(false);
	LC_U8(LC_DXC) = 0xaa;
	go();
	asm volatile(AT_PRE VGBM_V0_0 AT_POST : : : "r1", "memory");
	at_supervisor();
	expect_pgm(w("VGBM with CR0 bit 46 zero"), PGM_DATA, 6, at_spot.next,
		   0);
	GT_EQ(lc_dxc(), 0xfe, w("VGBM with CR0 bit 46 zero: DXC"));

	vector_enable(true);
	vfd(0);
	fpc = efpc();
	at_expect_none(w("VFD 1 / 0, masked"));
	gt_check(v0[0] == ONE && v0[1] == INF,
		 "%s: result 0x%llx 0x%llx, want 0x%llx 0x%llx",
		 w("VFD 1 / 0, masked"), (unsigned long long)v0[0],
		 (unsigned long long)v0[1], (unsigned long long)ONE,
		 (unsigned long long)INF);
	GT_EQ(fpc, FPC_FLAG_Z, w("VFD 1 / 0, masked: FPC"));

	LC_U8(LC_DXC) = 0xaa;
	vfd(FPC_MASK_Z);
	fpc = efpc();
	if (A_FP_VEC_STRICT) {
		expect_pgm(w("VFD 1 / 0, trap"), PGM_VECTOR_PROCESSING, 6,
			   at_spot.next, 0);
	} else {
		gt_check(gt_pgm.count == 1 &&
			 gt_pgm.code == PGM_VECTOR_PROCESSING &&
			 gt_pgm.ilc == 6,
			 "%s: %llu interruptions, code 0x%llx, ILC %llu, want 1, 0x1b, 6",
			 w("VFD 1 / 0, trap"),
			 (unsigned long long)gt_pgm.count,
			 (unsigned long long)gt_pgm.code,
			 (unsigned long long)gt_pgm.ilc);
		at_reset_pgm();
	}
	GT_EQ(lc_dxc(), 0x12, w("VFD 1 / 0, trap: VXC at 0x93"));
	GT_EQ(fpc, FPC_MASK_Z | 0x1200, w("VFD 1 / 0, trap: FPC"));
	gt_check(v0[0] == 0x5a5a5a5a5a5a5a5aULL &&
		 v0[1] == 0x5a5a5a5a5a5a5a5aULL,
		 "%s: V0 0x%llx 0x%llx changed", w("VFD 1 / 0, trap"),
		 (unsigned long long)v0[0], (unsigned long long)v0[1]);
	sfpc(0);
	vector_enable(false);
}

static bool has_vector;

static void all(void)
{
	if (has_vector)
		installed();
	else
		not_installed();
}

void gt_main(void)
{
	has_vector = at_facility(129);
	boot_printf("%s: vector facility %s\n", gt_name,
		    has_vector ? "installed" : "not installed");
	for_each_mode(all);
}
