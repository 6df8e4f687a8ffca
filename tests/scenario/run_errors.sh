#!/bin/bash
# SPDX-License-Identifier: MIT
# `pvboot run` usage errors (exit 2), images that do not fit, unreadable
# keys, a guest that never ends (--timeout) and one that faults without a
# handler (exit 1 with a clear reason).
. "$(dirname "$0")/run_common.bash"

run_pvboot out err
expect_exit "no image" 2
run_pvboot out err a.img b.img
expect_exit "two images" 2
run_pvboot out err "$KERNEL" --memory 12Q
expect_exit "bad --memory" 2
check "bad --memory explained" has err "invalid memory size"
run_pvboot out err "$KERNEL" --timeout -1
expect_exit "bad --timeout" 2
run_pvboot out err "$KERNEL" --bogus
expect_exit "unknown option" 2
run_pvboot out err --help
expect_exit "--help" 0
check "--help shows the synopsis" has out "Usage: pvboot run IMAGE"

head -c $((3 * 1024 * 1024)) /dev/zero >big.img
run_pvboot out err big.img --memory 2M
expect_exit "image larger than memory" 1
check "size error explained" has err "does not fit"
run_pvboot out err "$KERNEL" --memory 1500K
expect_exit "memory not a MiB multiple" 2
check "memory rule explained" has err "multiple of 1 MiB"
run_pvboot out err nothere.img
expect_exit "missing image" 1
run_pvboot out err "$KERNEL" --host-key nothere.key
expect_exit "missing host key" 1
printf 'not a key' >bad.key
run_pvboot out err "$KERNEL" --host-key bad.key
expect_exit "unusable host key" 1
check "host key error explained" grep -qi "host key" err
se_image se.img "x"
run_pvboot out err se.img --host-key pki/host.key --append "x"
expect_exit "--append with an SE image" 2
check "--append refusal explained" has err "not at 0x10000"

# A raw image: short PSW at 0 -> 0x10000, "j ." there.
{
	printf '\000\010\000\001\200\001\000\000'
	head -c $((0x10000 - 8)) /dev/zero
	printf '\247\364\000\000'
} >loop.img
run_pvboot out err loop.img --timeout 0.3
expect_exit "guest that never stops" 1
check "timeout reported" has out "timeout after 0.3 s"

# Opcode 0x0000 at 0x10000 and no program new PSW.
{
	printf '\000\010\000\001\200\001\000\000'
	head -c $((0x10000 - 8)) /dev/zero
	printf '\000\000'
} >fault.img
run_pvboot out err fault.img --json
expect_exit "guest without a program-check handler" 1
check "JSON end is error" has out '"end":"error"'
check "reason names the new PSW" has out "0x1d0 is zero"

finish
