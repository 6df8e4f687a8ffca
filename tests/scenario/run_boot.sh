#!/bin/bash
# SPDX-License-Identifier: MIT
# `pvboot run` of a good SE image: the test kernel runs protected and
# passes its checks; --json, --transcript, --trace, --memory and a plain
# (non-SE) kernel with --append.
. "$(dirname "$0")/run_common.bash"

head -c $((2 * 1024 * 1024)) /dev/urandom >initrd
check "create an SE image of the test kernel" \
	se_image good.img "console=sclp scenario=1" initrd

run_pvboot out err good.img --host-key pki/host.key
expect_exit "good image boots" 0
check "stage3b started the kernel" has out "stage3b: starting kernel"
check "kernel runs protected" has out "protected: yes"
check "kernel sees its command line" has out "cmdline: console=sclp scenario=1"
check "kernel sees the initrd" has out "initrd: addr 0x"
check "all checks passed" has out "pvboot test kernel: all checks passed"
check "summary: wait code" has out "wait code:   0xc0de0000"
check "summary: verify rc" has out "verify:      rc 0x0001 rrc 0x0000 (ok)"
check "summary: unpacked pages" grep -qE 'pages unpacked [1-9][0-9]+' out

run_pvboot out err good.img --host-key pki/host2.key \
	--host-key pki/host.key --json --transcript console.txt
expect_exit "--json with two host keys" 0
check "JSON is one line" test "$(wc -l <out)" -eq 1
check "JSON: exit status 0" has out '"exit_status":0'
check "JSON: protected" has out '"protected":true'
check "JSON: verify rc 1" has out '"verify":{"done":true,"rc":1,"rrc":0}'
check "JSON: DIAG 308 events" has out '"subcode":10'
if command -v python3 >/dev/null; then
	check "JSON parses" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' out
fi
check "console on stderr with --json" has err "all checks passed"
check "transcript written" has console.txt "pvboot test kernel: all checks passed"

run_pvboot out err good.img -k pki/host.key --trace --memory 128M
expect_exit "--trace --memory 128M" 0
check "trace shows DIAG 308" has err "DIAG 308 subcode 0xa"
check "trace shows the unpack calls" has err "UVC unpack"
check "memory size seen by the kernel" has out "memory: 128 MiB"

run_pvboot out err "$KERNEL" --append "hello from the host"
expect_exit "plain test kernel with --append" 0
check "plain kernel is not protected" has out "protected: no"
check "plain kernel got --append" has out "cmdline: hello from the host"

finish
