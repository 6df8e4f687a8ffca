// SPDX-License-Identifier: MIT
/*
 * a_fp.c with every check (A_FP_STRICT): also the IEEE traps that
 * pvboot's machine gets wrong today (see a_fp.c and test_arch_fp.c).
 */
#define A_FP_STRICT 1
const char gt_name[] = "A-FP-STRICT";
#include "a_fp.c"
