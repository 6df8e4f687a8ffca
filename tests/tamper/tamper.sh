#!/bin/bash
# SPDX-License-Identifier: MIT
# Tamper campaign over an SE image: flip every bit of the SE header, the
# IPIB and the loader parameter blocks and a sample of component bits, boot
# every result on pvboot's machine and report per region and per rc/rrc.
# Afterwards a few flips are booted again through `pvboot run` to show that
# the CLI comes to the same verdict.
#
#   tests/tamper/tamper.sh IMAGE HOST.key [pvboot-tamper options]
#
# Environment: BUILD (build directory, default "build"), TAMPER_LOG (keep
# the per-flip log there), TAMPER_CLI_CHECKS (flips re-run through
# `pvboot run`, default 6).  Exit status: that of pvboot-tamper (0 pass,
# 1 unexpected outcomes, 2 usage), or 1 when `pvboot run` disagrees.
set -uo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 IMAGE HOST.key [pvboot-tamper options]" >&2
	exit 2
fi
IMAGE=$1
KEY=$2
shift 2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) B=$BUILD ;; *) B=$ROOT/$BUILD ;; esac
CHECKS=${TAMPER_CLI_CHECKS:-6}
WORK=$(mktemp -d /tmp/pvboot-tamper.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
LOG=${TAMPER_LOG:-$WORK/flips.tsv}

make -s -C "$ROOT" -f tests/tamper/tamper.mk BUILD="$BUILD" tamper \
	"$BUILD/pvboot" >&2 || exit 2

"$B/pvboot-tamper" "$IMAGE" --host-key "$KEY" --log "$LOG" "$@"
status=$?
[ "$status" -le 1 ] && [ -s "$LOG" ] || exit "$status"
[ "$CHECKS" -gt 0 ] || exit "$status"

# Pick flips of different regions and outcomes: the first refusal of each
# region and some unchanged boots, then boot each through `pvboot run`.
python3 - "$LOG" "$CHECKS" >"$WORK/pick" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
want, seen, pick = int(sys.argv[2]), set(), []
for r in rows:
    key = (r["region"], r["class"])
    if r["class"] in ("booted-same", "refused-uv", "refused-hv") and key not in seen:
        seen.add(key)
        pick.append(r)
for r in pick[:want]:
    print(r["flip"], r["offset"], r["bit"], r["class"], r["region"], r["field"])
EOF
disagree=0
while read -r flip off bit class region field; do
	python3 - "$IMAGE" "$WORK/t.img" "$off" "$bit" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[int(sys.argv[3], 0)] ^= 0x80 >> int(sys.argv[4])
open(sys.argv[2], "wb").write(b)
EOF
	"$B/pvboot" run "$WORK/t.img" --host-key "$KEY" --json \
		>"$WORK/run.json" 2>/dev/null
	rc=$?
	prot=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["protects"])' \
		"$WORK/run.json" 2>/dev/null || echo "?")
	if { [ "$class" = booted-same ] && [ "$rc" -eq 0 ] && [ "$prot" = 1 ]; } ||
	   { [ "$class" != booted-same ] && [ "$rc" -eq 1 ] && [ "$prot" = 0 ]; }; then
		verdict=agrees
	else
		verdict=DISAGREES
		disagree=1
	fi
	echo "pvboot run: flip $flip ($region $field, byte $off bit $bit): $class, exit $rc, protected switches $prot: $verdict"
done <"$WORK/pick"
[ "$disagree" -eq 0 ] || exit 1
exit "$status"
