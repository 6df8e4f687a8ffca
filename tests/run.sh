#!/bin/bash
# SPDX-License-Identifier: MIT
# Test runner for `make check`.  Every test speaks TAP ("ok ..." /
# "not ok ..."); this script counts them over all suites and ends with the
# line "N passed, N failed".  Exit status is non-zero on any failure.
set -uo pipefail

BUILD=build
SAN_BUILD=
FUZZ_BUILD=
FUZZ_SECONDS=4
while [ $# -gt 0 ]; do
	case "$1" in
	--build) BUILD=$2; shift 2 ;;
	--san-build) SAN_BUILD=$2; shift 2 ;;
	--fuzz-build) FUZZ_BUILD=$2; shift 2 ;;
	--fuzz-seconds) FUZZ_SECONDS=$2; shift 2 ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

# Scenario scripts that run again against the ASan+UBSan pvboot: together
# they use every command (tests/meta/san_coverage.sh checks that), the
# error paths of the bad-input catalogue and, with demo, a Debian kernel
# booted protected and a tampered copy refused, in about two minutes;
# names without a script are skipped.  (verify_tamper and indep_check
# would add another minute and a half.)
SAN_SCENARIOS="badinput_files badinput_keys badinput_certs hostkey_create
	measure_match run_boot run_refuse attest_loop secret_create disk_errors
	demo"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PASS=0
FAIL=0
FAILED_NAMES=()
LOGDIR=$(mktemp -d /tmp/pvboot-check.XXXXXX)
trap 'rm -rf "$LOGDIR"' EXIT

# Suites run JOBS at a time (CHECK_JOBS, default: the number of CPUs);
# their results are counted and printed in the order they were started.
JOBS=${CHECK_JOBS:-$(nproc 2>/dev/null || echo 2)}
QUEUE=()

logname() {
	echo "$LOGDIR/$(echo "$1" | tr '/ ' '__').log"
}

# start NAME CMD...: run a TAP-speaking command in the background.
start() {
	local name=$1 log
	shift
	log=$(logname "$name")
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n 2>/dev/null || true
	done
	(
		t0=$SECONDS
		"$@" >"$log" 2>&1 </dev/null
		echo "$? $((SECONDS - t0))" >"$log.rc"
	) &
	QUEUE+=("$name")
}

# tally NAME: count the results of a finished suite.
tally() {
	local name=$1 log rc t ok nok
	log=$(logname "$name")
	read -r rc t <"$log.rc" || { rc=1; t=0; }
	ok=$(grep -cE '^ok ' "$log")
	# cmocka prints a skipped test as "not ok N # SKIP": not a failure
	nok=$(grep -E '^not ok ' "$log" | grep -cv '# SKIP')
	if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
		nok=1	# crashed or failed outside a test case
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	if [ "$ok" -eq 0 ] && [ "$nok" -eq 0 ]; then
		nok=1
		echo "not ok - $name ran no test" >>"$log"
	fi
	PASS=$((PASS + ok))
	FAIL=$((FAIL + nok))
	if [ "$nok" -ne 0 ]; then
		FAILED_NAMES+=("$name")
		printf '%-44s %4d passed, %d FAILED (%d s)\n' "$name" "$ok" \
			"$nok" "$t"
		grep -E '^not ok |^# |ERROR|error:|Sanitizer|runtime error' "$log" | head -40 | sed 's/^/    /'
	else
		printf '%-44s %4d passed (%d s)\n' "$name" "$ok" "$t"
	fi
}

# drain: wait for every started suite, then count them in order.
drain() {
	wait
	for name in "${QUEUE[@]}"; do
		tally "$name"
	done
	QUEUE=()
}

# run_tap NAME CMD...: run one suite alone and count it.
run_tap() {
	drain
	start "$@"
	drain
}

export CMOCKA_MESSAGE_OUTPUT=TAP
export PVBOOT_ROOT="$ROOT"

echo "== unit tests ($BUILD)"
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	start "unit/$(basename "$t")" "$t"
done
drain

echo "== scenario tests"
for s in tests/scenario/*.sh; do
	[ -f "$s" ] || continue
	start "scenario/$(basename "$s" .sh)" env BUILD="$BUILD" \
		PVBOOT="$ROOT/$BUILD/pvboot" bash "$s"
done
drain

echo "== tests of the build and of the tests"
run_tap "meta/make_goal" bash tests/meta/make_goal.sh
run_tap "meta/fail_on_false" env BUILD="$BUILD" bash tests/meta/fail_on_false.sh

if [ -n "$SAN_BUILD" ]; then
	echo "== unit tests under ASan+UBSan ($SAN_BUILD)"
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	for t in "$SAN_BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		start "san/$(basename "$t")" "$t"
	done
	drain
	unset ASAN_OPTIONS UBSAN_OPTIONS

	echo "== scenario tests under ASan+UBSan ($SAN_BUILD/pvboot)"
	export SAN_CMDLOG=$LOGDIR/san-commands
	: >"$SAN_CMDLOG"
	for s in $SAN_SCENARIOS; do
		[ -f "tests/scenario/$s.sh" ] || continue
		start "san/scenario/$s" env BUILD="$BUILD" \
			bash tests/meta/san_scenario.sh "$SAN_BUILD" "$s"
	done
	drain
	run_tap "san/every command" bash tests/meta/san_coverage.sh "$SAN_BUILD"
	unset SAN_CMDLOG

	echo "== hostile guests under ASan+UBSan ($SAN_BUILD/pvboot)"
	run_tap "san/guestfuzz" python3 tests/guestfuzz/guestfuzz.py check \
		--pvboot "$SAN_BUILD/pvboot" --guests "$BUILD/guest" --seconds 30
fi

if [ -n "$FUZZ_BUILD" ]; then
	echo "== fuzz targets, ${FUZZ_SECONDS}s each ($FUZZ_BUILD)"
	for f in "$FUZZ_BUILD"/fuzz_*; do
		[ -x "$f" ] || continue
		start "fuzz/$(basename "$f")" bash tests/fuzz/run-one.sh "$f" "$FUZZ_SECONDS"
	done
	drain
fi

echo
if [ ${#FAILED_NAMES[@]} -ne 0 ]; then
	echo "failed suites: ${FAILED_NAMES[*]}"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
