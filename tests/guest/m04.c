// SPDX-License-Identifier: MIT
/*
 * M-04 (kernel of an SE image): after a subcode 1 in protected mode the
 * UV lets the CPU run again only once the host has done the whole PV-reset
 * sequence (stop, unshare all, prepare reset, CPU reset, operating-load);
 * reaching the resume point proves it.  The host test also checks the
 * order of the UV calls in the trace.
 */
#include "gt.h"

const char gt_name[] = "M-04";

static void resumed(void)
{
	uv_set_shared(GT_SCCB);
	gt_check(gt_protected(), "not protected after the PV reset");
	gt_done();
}

void gt_main(void)
{
	gt_check(gt_protected(), "not protected at the start");
	gt_set_resume(resumed);
	gt_d308(1, 0);
	gt_check(false, "subcode 1 returned");
}
