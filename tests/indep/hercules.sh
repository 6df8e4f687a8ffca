#!/bin/bash
# SPDX-License-Identifier: MIT
# Run guest architecture programs on a third implementation, Hercules
# (Debian package `hercules`, not installed by setup: apt-get install
# hercules), the way tests/README.md describes the hand runs: each program
# is built with -DA_HERCULES (a line-mode console), gets the ESA/390 IPL
# PSW 0008000080010000 at byte 0, and is IPLed from a .ins file in
# z/Architecture mode.  TAP; a program passes when it prints
# "N checks, 0 failed" and ends in a disabled wait.
#   tests/indep/hercules.sh [PROGRAM...]
#   (default: a_fp a_fp_hfp a_dec a_csst a_mask a_rsbg)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build-herc}
progs=("$@")
[ ${#progs[@]} -gt 0 ] || progs=(a_fp a_fp_hfp a_dec a_csst a_mask a_rsbg)
if ! command -v hercules >/dev/null; then
	echo "1..0 # SKIP hercules is not installed (apt-get install hercules)"
	exit 0
fi
bins=()
for p in "${progs[@]}"; do
	bins+=("$BUILD/guest/$p.bin")
done
make -C "$ROOT" --no-print-directory -j2 BUILD="$BUILD" "${bins[@]}" \
	GUEST_CFLAGS='$(BOOT_CFLAGS) -Itests/guest/lib -DA_HERCULES' \
	>/dev/null || { echo "not ok 1 - build"; exit 1; }
T=$(mktemp -d /tmp/pvboot-herc.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/herc.cnf" <<'CNF'
ARCHMODE  z/Arch
MAINSIZE  64
NUMCPU    1
CPUSERIAL 000001
CPUMODEL  2964
LOGOPT    NOTIMESTAMP
0009 3215-C / noprompt
CNF
n=0
fail=0
for p in "${progs[@]}"; do
	n=$((n + 1))
	cp "$ROOT/$BUILD/guest/$p.bin" "$T/$p.bin"
	printf '\x00\x08\x00\x00\x80\x01\x00\x00' |
		dd of="$T/$p.bin" bs=1 conv=notrunc status=none
	echo "$p.bin 0x00000000" >"$T/$p.ins"
	printf 'ipl %s.ins\npause %s\nquit\n' "$p" "${HERC_SECONDS:-40}" \
		>"$T/$p.rc"
	(cd "$T" && HERCULES_RC=$p.rc timeout 120 hercules -d -f herc.cnf \
		</dev/null >"$p.log" 2>&1)
	if grep -aq ' checks, 0 failed' "$T/$p.log" &&
		grep -aq 'Disabled wait state' "$T/$p.log"; then
		echo "ok $n - $p on Hercules: $(grep -a ' checks, ' "$T/$p.log" | tail -1)"
	else
		grep -a 'FAIL' "$T/$p.log" | head -20 | sed 's/^/# /'
		echo "not ok $n - $p on Hercules"
		fail=1
	fi
done
echo "1..$n"
exit $fail
