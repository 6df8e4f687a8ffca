#!/bin/bash
# SPDX-License-Identifier: MIT
# Guest instructions per second on a compute-bound guest program
# (tests/guest/compute: a register-only loop and SHA-256 over 64 KiB, each
# with an exact instruction count, timed by the guest with STCK), run by
# `pvboot run` (a plain IPL, no PV: the CPU is what is measured) and by
# QEMU TCG (-kernel; the reference, never used by pvboot itself).  Best of
# BENCH_REPEAT (3) runs each, interleaved; both machines must compute the
# same results.
#
# usage: bench/mips.sh [--rows] [BUILD-DIR]
#   --rows  print only the two benchmark table rows (bench/run.sh uses it)
#
# A run that fails is a failed row with the reason; the script exits 0
# whenever it could print its rows.  Environment: BENCH_REPEAT,
# BENCH_MIPS_ARGS (the guest's command line, default "alu=200 sha=128":
# 200 M loop iterations, 128 passes over the buffer), BENCH_MIPS_TIMEOUT
# (seconds per run, default 300).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/args.bash"
bench_args "$@"
GUEST=$BUILD/guest/compute.bin
ARGS=${BENCH_MIPS_ARGS:-alu=200 sha=128}
TIMEOUT=${BENCH_MIPS_TIMEOUT:-300}
TARGET=">= 0.80"
PHASES=(alu sha256)
declare -A NAME=([alu]="guest MIPS, register loop"
	[sha256]="guest MIPS, SHA-256 (loads and stores)")

say() { [ "$ROWS_ONLY" = 1 ] || echo "$*"; }
# row PHASE SIZE RESULT LIMIT RATIO RSS STATUS
row() {
	echo "| ${NAME[$1]} | $2 | $3 | $4 | $5 | $6 | $TARGET | $7 |"
}
give_up() {
	local p

	echo "mips: $1" >&2
	for p in "${PHASES[@]}"; do
		row "$p" "-" "not run: $1" "-" "-" "-" failed
	done
	exit 0
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

for f in "$PVBOOT" "$MEASURE"; do
	[ -x "$f" ] || give_up "$f is not built (make BUILD=${BUILD#$ROOT/} all)"
done
if [ ! -f "$GUEST" ]; then
	make -C "$ROOT" --no-print-directory BUILD="$BUILD" compute-guest \
		>/dev/null 2>&1 || give_up "$GUEST is not built (make compute-guest)"
fi
command -v qemu-system-s390x >/dev/null ||
	give_up "qemu-system-s390x is not installed (apt-get install qemu-system-misc)"

W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-mips.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1

# parse OUT WALL: "PHASE INSNS US MIPS RESULT" per phase of a console;
# without a guest clock (us=0) the phase is timed by the whole run
parse() {
	tr -d '\r' <"$1" | awk -v wall="$2" '
	/^compute: (alu|sha256) / {
		ph = $2; ins = us = res = ""
		for (i = 3; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "insns") ins = kv[2]
			if (kv[1] == "us") us = kv[2]
			if (kv[1] == "result" || kv[1] == "state") res = kv[2]
		}
		clock = "guest STCK"
		if (us == 0) { us = wall * 1e6; clock = "wall" }
		printf "%s %s %.0f %.0f %s %s\n", ph, ins, us, ins / us, res, clock
	}'
}

declare -A PV QM PVRES QMRES PVCLK QMCLK INSNS
pv_fail= qm_fail= pv_rss=0
# run WHO CMD...: one run, keep the best MIPS per phase of WHO (pv / qm)
run() {
	local who=$1 s rss st ph ins us mips res clk
	shift

	read -r s rss st _ < <("$MEASURE" -o "$who.out" -- \
		timeout "$TIMEOUT" "$@")
	if [ "$st" != 0 ] || ! grep -q '^compute: done' "$who.out"; then
		printf -v "${who}_fail" '%s' "exit $st after ${s:-?} s: $(grep -m1 -E 'FAILED|^--- pvboot' "$who.out" || echo "no 'compute: done'")"
		return
	fi
	[ "$who" = qm ] || [ "$rss" -le "$pv_rss" ] || pv_rss=$rss
	while read -r ph ins us mips res clk; do
		INSNS[$ph]=$ins
		if [ "$who" = pv ]; then
			PVRES[$ph]=$res
			PVCLK[$ph]=$clk
			{ [ -n "${PV[$ph]:-}" ] && ge "${PV[$ph]}" "$mips"; } ||
				PV[$ph]=$mips
		else
			QMRES[$ph]=$res
			QMCLK[$ph]=$clk
			{ [ -n "${QM[$ph]:-}" ] && ge "${QM[$ph]}" "$mips"; } ||
				QM[$ph]=$mips
		fi
	done < <(parse "$who.out" "$s")
}

for ((r = 1; r <= REPEAT; r++)); do
	[ -n "$pv_fail" ] || run pv "$PVBOOT" run "$GUEST" --memory 512M \
		--append "$ARGS" --timeout "$TIMEOUT"
	# 0xfff: the disabled wait on which QEMU ends cleanly
	[ -n "$qm_fail" ] || run qm qemu-system-s390x \
		-machine s390-ccw-virtio,accel=tcg -nographic -no-reboot \
		-m 512 -kernel "$GUEST" -append "$ARGS wait=0xfff"
done

say "Compute-bound guest ($GUEST, '$ARGS'), best of $REPEAT:"
for p in "${PHASES[@]}"; do
	size="$(awk -v n="${INSNS[$p]:-0}" 'BEGIN { printf "%.2f G insns", n / 1e9 }')"
	lim="QEMU TCG ${QM[$p]:-?} MIPS"
	[ -n "$qm_fail" ] && [ -z "${QM[$p]:-}" ] && lim="QEMU TCG failed: $qm_fail"
	if [ -z "${PV[$p]:-}" ]; then
		say "  $p: pvboot FAILED: ${pv_fail:-phase missing}; $lim"
		row "$p" "$size" "failed: ${pv_fail:-phase missing}" "$lim" "-" "-" failed
		continue
	fi
	rss=$(awk -v k="$pv_rss" 'BEGIN { printf "%.1f MiB", k / 1024 }')
	res="${PV[$p]} MIPS"
	[ "${PVCLK[$p]}" = wall ] && res="$res (whole run: no guest clock)"
	if [ -z "${QM[$p]:-}" ]; then
		say "  $p: pvboot $res; $lim"
		row "$p" "$size" "$res" "$lim" "-" "$rss" "-"
		continue
	fi
	if [ "${PVRES[$p]}" != "${QMRES[$p]}" ]; then
		say "  $p: results differ: pvboot ${PVRES[$p]}, QEMU ${QMRES[$p]}"
		row "$p" "$size" "$res, WRONG result ${PVRES[$p]}" "$lim" "-" "$rss" failed
		continue
	fi
	q=$(awk -v a="${PV[$p]}" -v b="${QM[$p]}" 'BEGIN { printf "%.2f", a / b }')
	st=missed
	ge "$q" 0.8 && st=met
	say "  $p: pvboot $res, QEMU TCG ${QM[$p]} MIPS: ${q}x (target >= 0.8x); result ${PVRES[$p]} on both"
	row "$p" "$size" "$res" "$lim" "$q" "$rss" "$st"
done
exit 0
