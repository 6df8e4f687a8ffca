// SPDX-License-Identifier: MIT
/*
 * a_sigp.c with every check (A_SIGP_STRICT): also the behaviour that
 * pvboot's machine gets wrong today (see a_sigp.c and test_arch.c).
 */
#define A_SIGP_STRICT 1
const char gt_name[] = "A-SIGP-STRICT";
#include "a_sigp.c"
