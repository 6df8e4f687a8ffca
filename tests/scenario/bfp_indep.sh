#!/bin/bash
# SPDX-License-Identifier: MIT
# The BFP trap table of tests/guest/a_fp.c against a second computation
# (tests/indep/bfp_scaled.py: exact fractions, the PoP's rules for scaled
# results, tininess, DXC exact/truncated/incremented), and the machine
# against the table: pvboot runs a_fp_strict, whose checks compare every
# row with what the CPU delivered, and it must end with 0 failed.  TAP.
# Environment: PVBOOT (the CLI), BUILD (its build directory).
set -u
PVBOOT=${PVBOOT:?PVBOOT must name the pvboot binary}
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=0
FAILED=0
T=$(mktemp -d /tmp/pvboot-bfp.XXXXXX)
trap 'rm -rf "$T"' EXIT

# check DESCRIPTION CMD...: one TAP line for CMD's exit status
check() {
	local d=$1
	shift
	N=$((N + 1))
	if "$@" >"$T/out" 2>&1; then
		echo "ok $N - $d"
	else
		FAILED=$((FAILED + 1))
		echo "not ok $N - $d"
		sed 's/^/#   /' "$T/out" | tail -20
	fi
}

check "bfp_scaled.py computes every modelled row of a_fp.c's tables alike" \
	python3 "$ROOT/tests/indep/bfp_scaled.py" "$ROOT/tests/guest/a_fp.c"

GUEST=$ROOT/$BUILD/guest/a_fp_strict.bin
[ -f "$GUEST" ] || GUEST=$BUILD/guest/a_fp_strict.bin
run_strict() {
	"$PVBOOT" run "$GUEST" --no-input >"$T/run.log" 2>&1
	cat "$T/run.log"
	grep -q "A-FP-STRICT: [0-9][0-9]* checks, 0 failed" "$T/run.log"
}
check "pvboot runs a_fp_strict (the table's traps) with 0 failed checks" \
	run_strict

echo "1..$N"
[ "$FAILED" -eq 0 ]
