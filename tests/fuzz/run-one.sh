#!/bin/bash
# SPDX-License-Identifier: MIT
# Run one libFuzzer target for N seconds over its seed corpus (TAP output).
set -uo pipefail
bin=$1
secs=${2:-4}
name=$(basename "$bin")
root=$(cd "$(dirname "$0")/../.." && pwd)
seeds="$root/tests/fuzz/corpus/${name#fuzz_}"
work=$(mktemp -d /tmp/pvboot-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
dirs=("$work")
[ -d "$seeds" ] && dirs+=("$seeds")
if "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -artifact_prefix="$work/" \
	"${dirs[@]}" >"$work/log" 2>&1; then
	runs=$(grep -oE 'Done [0-9]+ runs' "$work/log" | tail -1)
	echo "ok - $name (${runs:-run finished})"
else
	tail -30 "$work/log"
	echo "not ok - $name found a crash"
	exit 1
fi
