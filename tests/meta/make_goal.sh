#!/bin/bash
# SPDX-License-Identifier: MIT
# Plain `make` builds what the README's tour starts with: the default goal
# is `all`, and it links $(BUILD)/pvboot (an included makefile's first rule,
# such as boot/boot.mk's `boot:`, must not take over).  Asks make only
# (-p -q and -n); nothing is built.  TAP output.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
n=0
fails=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}

# a build directory that does not exist: make must plan the whole build
fresh=/tmp/pvboot-goal-$$
goal=$(make -pq BUILD="$fresh" 2>/dev/null | sed -n 's/^\.DEFAULT_GOAL :\?= //p')
[ "$goal" = all ]
result $? "the default goal is 'all' (make says '${goal:-nothing}')"
plan=$(make -n BUILD="$fresh" 2>/dev/null)
grep -qE -- "-o $fresh/pvboot( |\$)" <<<"$plan"
result $? "plain make links $fresh/pvboot"
[ ! -e "$fresh" ]
result $? "asking make created nothing"
rm -rf "$fresh"
echo "1..$n"
[ "$fails" -eq 0 ]
