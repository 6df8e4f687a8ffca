// SPDX-License-Identifier: MIT
/*
 * a_fp_vec.c with every check (A_FP_VEC_STRICT): also the old PSW of the
 * vector-processing exception, which QEMU 7.2 TCG gets wrong.
 */
#define A_FP_VEC_STRICT 1
const char gt_name[] = "A-FP-VEC-STRICT";
#include "a_fp_vec.c"
