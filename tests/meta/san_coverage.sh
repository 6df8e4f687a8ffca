#!/bin/bash
# SPDX-License-Identifier: MIT
# san_coverage.sh SAN_BUILD: every command that `pvboot --help` lists ran
# at least once under ASan+UBSan in the scenarios before (their names are
# in $SAN_CMDLOG, written by san_scenario.sh).  TAP output.
set -uo pipefail
SAN=$1
log=${SAN_CMDLOG:?SAN_CMDLOG names the log of san_scenario.sh}
cmds=$(ASAN_OPTIONS=detect_leaks=0 "$SAN/pvboot" --help |
	sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
n=0
fails=0
if [ -z "$cmds" ]; then
	echo "not ok 1 - '$SAN/pvboot --help' lists no command"
	exit 1
fi
for c in $cmds; do
	n=$((n + 1))
	k=$(grep -cx -- "$c" "$log" 2>/dev/null)
	if [ "${k:-0}" -gt 0 ]; then
		echo "ok $n - pvboot $c ran under ASan+UBSan ($k times)"
	else
		echo "not ok $n - pvboot $c never ran under ASan+UBSan: add a scenario that uses it to SAN_SCENARIOS in tests/run.sh"
		fails=$((fails + 1))
	fi
done
echo "1..$n"
[ "$fails" -eq 0 ]
