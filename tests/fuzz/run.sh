#!/bin/bash
# SPDX-License-Identifier: MIT
# `make fuzz FUZZ_SECONDS=N`: run every fuzz target for N seconds.
set -uo pipefail
dir=$1
secs=${2:-60}
rc=0
for f in "$dir"/fuzz_*; do
	[ -x "$f" ] || continue
	bash "$(dirname "$0")/run-one.sh" "$f" "$secs" || rc=1
done
exit $rc
