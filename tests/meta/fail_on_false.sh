#!/bin/bash
# SPDX-License-Identifier: MIT
# A scenario test that passes when pvboot does nothing proves nothing: run
# every tests/scenario/*.sh with PVBOOT=/bin/false (a "pvboot" that prints
# nothing and always exits 1) and require each script to fail.  The
# number of its checks that still pass is shown for information (checks
# that something did not happen pass then, rightly).  Two scripts run at a
# time.  TAP output.  Environment: BUILD (the scripts' test kernel and
# loaders), FALSE_JOBS (default 2), FALSE_TIMEOUT (seconds per script).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
export BUILD=${BUILD:-build}
export LIMIT=${FALSE_TIMEOUT:-180}
export OUT
OUT=$(mktemp -d /tmp/pvboot-false.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

# one SCRIPT: run it against /bin/false, leave "rc good" in $OUT/NAME
one() {
	local name
	name=$(basename "$1" .sh)
	timeout "$LIMIT" env PVBOOT=/bin/false bash "$1" \
		>"$OUT/$name.log" 2>&1 </dev/null
	echo "$? $(grep -cE '^ok ' "$OUT/$name.log")" >"$OUT/$name.rc"
}
export -f one
ls tests/scenario/*.sh | xargs -P "${FALSE_JOBS:-2}" -I{} bash -c 'one {}'

n=0
fails=0
for s in tests/scenario/*.sh; do
	name=$(basename "$s" .sh)
	n=$((n + 1))
	read -r rc good <"$OUT/$name.rc" || rc=missing
	if [ "$rc" = 124 ]; then
		echo "not ok $n - $name hangs with PVBOOT=/bin/false (killed after ${LIMIT} s)"
		fails=$((fails + 1))
	elif [ "$rc" != 0 ] && [ "$rc" != missing ]; then
		echo "ok $n - $name fails with PVBOOT=/bin/false (exit $rc; $good checks still pass)"
	else
		echo "not ok $n - $name PASSES with PVBOOT=/bin/false: its checks do not look at what pvboot did"
		grep -E '^ok ' "$OUT/$name.log" | head -20 | sed 's/^/#   /'
		fails=$((fails + 1))
	fi
done
echo "1..$n"
[ "$fails" -eq 0 ]
