#!/bin/bash
# SPDX-License-Identifier: MIT
# A protected kernel that re-IPLs: the test kernel with the `reipl`
# parameter stores a CCW IPL block and issues DIAG 308 subcode 3, which
# leaves protected mode; the image is loaded again, stage3a switches into
# protected mode a second time and the kernel finds its block.
. "$(dirname "$0")/run_common.bash"

check "create an SE image with parmfile 'reipl'" se_image reipl.img "reipl"
run_pvboot out err reipl.img --host-key pki/host.key
expect_exit "re-IPLing kernel" 0
check "second boot seen by the kernel" has out "re-IPL: second boot"
check "two IPLs" has out "2 IPLs"
check "protected twice" has out "(2 switches into protected mode)"
check "kernel banner printed twice" test "$(grep -c '^pvboot test kernel$' out)" -eq 2
check "all checks passed" has out "all checks passed"

finish
