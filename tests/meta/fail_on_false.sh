#!/bin/bash
# SPDX-License-Identifier: MIT
# A scenario test that passes when pvboot does nothing proves nothing: run
# every tests/scenario/*.sh with PVBOOT=/bin/false (a "pvboot" that prints
# nothing and always exits 1) and require each script to fail.  A script
# fails as soon as it prints a "not ok" line (it then exits non-zero, and
# tests/run.sh counts the line as a failure anyway), so it is stopped
# there (SIGTERM; its EXIT trap cleans up).  Two scripts
# run at a time.  TAP output.  Environment: BUILD (the scripts' test
# kernel and loaders), FALSE_JOBS (default 2), FALSE_TIMEOUT (seconds per
# script, default 180; a script still running then "hangs").
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
export BUILD=${BUILD:-build}
export LIMIT=${FALSE_TIMEOUT:-180}
export OUT
OUT=$(mktemp -d /tmp/pvboot-false.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

# one SCRIPT: run it against /bin/false; "$OUT/NAME.rc" gets
# "failed <first failing check>", "passed" or "hangs"
one() {
	local name log pid waited=0
	name=$(basename "$1" .sh)
	log=$OUT/$name.log
	PVBOOT=/bin/false setsid bash "$1" >"$log" 2>&1 </dev/null &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if grep -qs '^not ok' "$log"; then
			# the script only: its EXIT trap runs after the
			# command it waits for, and is not cut short
			kill -TERM "$pid" 2>/dev/null
			wait "$pid"
			echo "failed $(grep -m1 '^not ok' "$log")" >"$OUT/$name.rc"
			return
		fi
		if [ "$waited" -ge $((LIMIT * 5)) ]; then
			kill -KILL -- -"$pid" 2>/dev/null
			wait "$pid"
			echo hangs >"$OUT/$name.rc"
			return
		fi
		sleep 0.2
		waited=$((waited + 1))
	done
	if wait "$pid"; then
		echo passed >"$OUT/$name.rc"
	else
		echo "failed (exit status $?)" >"$OUT/$name.rc"
	fi
}
export -f one
ls tests/scenario/*.sh | xargs -P "${FALSE_JOBS:-2}" -I{} bash -c 'one {}'

n=0
fails=0
for s in tests/scenario/*.sh; do
	name=$(basename "$s" .sh)
	n=$((n + 1))
	read -r verdict rest <"$OUT/$name.rc" || verdict=missing
	case $verdict in
	failed)
		echo "ok $n - $name fails with PVBOOT=/bin/false: ${rest:0:100}" ;;
	hangs)
		echo "not ok $n - $name hangs with PVBOOT=/bin/false (stopped after ${LIMIT} s)"
		fails=$((fails + 1)) ;;
	*)
		echo "not ok $n - $name PASSES with PVBOOT=/bin/false: its checks do not look at what pvboot did"
		grep -E '^ok ' "$OUT/$name.log" | head -20 | sed 's/^/#   /'
		fails=$((fails + 1)) ;;
	esac
done
echo "1..$n"
[ "$fails" -eq 0 ]
