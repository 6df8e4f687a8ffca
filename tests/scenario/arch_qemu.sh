#!/bin/bash
# SPDX-License-Identifier: MIT
# The architecture programs (tests/guest/a_*.c) on pvboot's machine and on
# QEMU TCG, the reference: each program must end with "N checks, 0
# failed" (and pvboot's summary with the success wait 0x600d0) under both.
# QEMU (qemu-system-s390x from qemu-system-misc) is only a reference for
# the tests; without it the QEMU half is skipped.  TAP output.
#
# Environment: PVBOOT (the CLI), BUILD (the guest programs in $BUILD/guest).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PVBOOT=${PVBOOT:-$BUILD/pvboot}
G=$BUILD/guest
T=$(mktemp -d /tmp/pvboot-arch-qemu.XXXXXX)
trap 'rm -rf "$T"' EXIT
N=0
FAILED=0

ok() { N=$((N + 1)); echo "ok $N - $1"; }
skip() { N=$((N + 1)); echo "ok $N - $1 # SKIP $2"; }
not_ok() {
	N=$((N + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $N - $1"
	sed 's/^/# /' "$2" | grep -E 'FAIL|checks|pvboot|error|reason|wait code' | head -12
}

# NAME CPUS QEMU_ARGS... : one program, both machines.
# PVBOOT_SKIP / QEMU_SKIP (set per call) name why a half is skipped.
both() {
	local p=$1 cpus=$2 out
	shift 2
	out=$T/$p.pv
	if [ -n "${PVBOOT_SKIP:-}" ]; then
		skip "$p on pvboot" "$PVBOOT_SKIP"
	else
		timeout 60 "$PVBOOT" run "$G/$p.bin" --no-input -m 64M \
			--smp "$cpus" >"$out" 2>&1
		if grep -q ' checks, 0 failed$' "$out" &&
			grep -q 'wait code: *0x600d0 ' "$out"; then
			ok "$p on pvboot"
		else
			not_ok "$p on pvboot" "$out"
		fi
	fi
	out=$T/$p.qemu
	if [ -n "${QEMU_SKIP:-}" ]; then
		skip "$p on QEMU TCG" "$QEMU_SKIP"
	elif ! command -v qemu-system-s390x >/dev/null; then
		skip "$p on QEMU TCG" "qemu-system-s390x is not installed"
	else
		timeout 60 qemu-system-s390x -machine s390-ccw-virtio,accel=tcg \
			-nographic -no-reboot -m 64 -smp "$cpus" \
			-kernel "$G/$p.bin" "$@" </dev/null >"$out" 2>&1
		if grep -q ' checks, 0 failed' "$out"; then
			ok "$p on QEMU TCG"
		else
			not_ok "$p on QEMU TCG" "$out"
		fi
	fi
}

if [ ! -f "$G/a_pgm.bin" ]; then
	echo "not ok 1 - no guest programs in $G (make BUILD=... all)"
	exit 1
fi

both a_pgm 1
both a_dat 1
both a_pgwalk 1
both a_stsi 3
both a_css 1 -nodefaults -serial stdio
both a_sclp 3
both a_wait1s 1
both a_mc 1
both a_prefix 1
both a_special 1
both a_sck 1
# QEMU 7.2 TCG: a clock-comparator condition that persists is presented
# once only, and a negative CPU timer never interrupts.
QEMU_SKIP="QEMU deviates: persistent clock comparator, negative CPU timer" \
	both a_timer 1
# QEMU 7.2 TCG: stop-and-store-status stores at absolute 0x1200, not in
# the CPU's prefix area.
QEMU_SKIP="QEMU deviates: store status not in the prefix area" both a_sigp 3
# QEMU 7.2 TCG: no fixed-point-overflow interruption (pvboot runs the
# instructions itself while the mask is on; Hercules agrees).
QEMU_SKIP="QEMU deviates: no fixed-point-overflow interruption" \
	both a_mask 1
# QEMU 7.2 TCG: runs on with an EA-without-BA PSW (and aborts), decodes
# from an odd instruction address.
QEMU_SKIP="QEMU deviates: invalid PSWs, odd instruction addresses" \
	both a_psw 1
# KVM behaviour, not architecture: QEMU TCG is not KVM.
QEMU_SKIP="KVM's DIAGNOSE answers, not TCG's" both a_diag 1
QEMU_SKIP="KVM's DIAGNOSE answers, not TCG's" both a_diag258 1
QEMU_SKIP="QEMU deviates: store status not in the prefix area" \
	both a_sigp_strict 2
# QEMU 7.2's CSST helper asserts on a one-byte store (extract32 with
# length 0), as Unicorn's did; tests/indep/hercules.sh runs a_csst on
# Hercules instead.
QEMU_SKIP="QEMU deviates: CSST with store characteristic 0 aborts QEMU" \
	both a_csst 1
# QEMU 7.2 gives cc 1 for an RXSBG test form whose selection wraps around
# and whose selected bits are zero (Hercules and pvboot: cc 0).
QEMU_SKIP="QEMU deviates: RXSBG test form with a wrapping selection, cc" \
	both a_rsbg 1
# Floating point, decimal and vector (tests/unit/test_arch_fp.c says why).
both a_fp 1
# TCG (Unicorn's QEMU 5.0 and QEMU 7.2): BFP overflow, underflow and
# inexact traps suppress instead of completing with the scaled result.
PVBOOT_SKIP="TCG limitation: BFP traps do not complete" \
QEMU_SKIP="QEMU deviates: BFP traps do not complete" both a_fp_strict 1
# Neither TCG has HFP or decimal arithmetic: operation exceptions.  The
# machine runs those instructions itself (machine/cpu/hfpemu.c, decemu.c).
QEMU_SKIP="QEMU deviates: no HFP arithmetic" both a_fp_hfp 1
QEMU_SKIP="QEMU deviates: no decimal arithmetic" both a_dec 1
# pvboot leaves the vector facility out (an operation exception); QEMU
# offers the facility and runs the other half of the program.
both a_fp_vec 1
# QEMU 7.2 leaves the old PSW of a vector-processing exception at the
# instruction (0x1b is missing from do_program_interrupt's advance list).
QEMU_SKIP="QEMU deviates: vector-processing exception old PSW not advanced" \
	both a_fp_vec_strict 1

echo "1..$N"
[ "$FAILED" -eq 0 ]
