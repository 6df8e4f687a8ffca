#!/bin/bash
# SPDX-License-Identifier: MIT
# Linux boot benchmark: wall time from start to poweroff of the PV-aware
# Debian kernel (bookworm-backports) with the busybox proof initramfs,
# booted protected by `pvboot run` and unprotected by QEMU TCG (the
# reference: same TCG family, Debian's qemu-system-s390x; pvboot itself
# never uses QEMU).  Best of BENCH_REPEAT (3) runs each, interleaved.
#
# usage: bench/linux-boot.sh [--rows] [BUILD-DIR]
#   --rows  print only the benchmark table row (bench/run.sh uses it)
#
# A boot that fails (exit status, no proof block, not protected, timeout)
# is a failed row with the reason, not a failure of this script: it exits
# 0 whenever it could print its row.  Environment: BENCH_REPEAT,
# BENCH_LINUX_TIMEOUT (seconds per boot, default 120), PVBOOT_GUEST_CACHE.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/args.bash"
bench_args "$@"
. "$ROOT/tests/linux/common.bash"
TIMEOUT=${BENCH_LINUX_TIMEOUT:-120}
# the console of a failed pvboot run is kept here
LOG=$BUILD/bench/linux-boot-failed.console
OP="Linux boot to poweroff, protected vs QEMU TCG unprotected"
TARGET="<= 1.5x QEMU (ratio >= 0.67)"

say() { [ "$ROWS_ONLY" = 1 ] || echo "$*"; }
# row SIZE RESULT LIMIT RATIO RSS STATUS
row() {
	echo "| $OP | $1 | $2 | $3 | $4 | $5 | $TARGET | $6 |"
}
# give_up REASON: a failed row, nothing measured
give_up() {
	echo "linux-boot: $1" >&2
	row "-" "not run: $1" "-" "-" "-" failed
	exit 0
}
secs() { awk -v s="$1" 'BEGIN { printf "%.2f s", s }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

for f in "$PVBOOT" "$MEASURE"; do
	[ -x "$f" ] || give_up "$f is not built (make BUILD=${BUILD#$ROOT/} all)"
done
PVBOOT_GUEST_CACHE=$GUEST_CACHE bash "$FETCH_GUESTS" -q ||
	give_up "the Debian guests are not available (scripts/fetch-guests.sh failed)"
command -v qemu-system-s390x >/dev/null ||
	give_up "qemu-system-s390x is not installed (apt-get install qemu-system-misc)"

W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-linux-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
KERNEL=$GUEST_CACHE/bpo/vmlinuz
PKG="$(guest_info bpo package) $(guest_info bpo version)"
SIZE="$(guest_info bpo release) + busybox initramfs, 512 MiB"
"$MKINITRAMFS" -o initrd.gz --modules "$GUEST_CACHE/bpo/modules" \
	>/dev/null || give_up "mkinitramfs failed"
printf '%s' "$LINUX_PARM" >parmfile
"$PVBOOT" hostkey --out-dir pki -q || give_up "pvboot hostkey failed"
"$PVBOOT" create -i "$KERNEL" -r initrd.gz -p parmfile -k pki/host.crt \
	-o se.img --no-verify -q || give_up "pvboot create failed"
qemu_cmd "$KERNEL" initrd.gz "$LINUX_PARM"

# booted OUT PROTECTED: did the run print a whole proof block, power off
# and (PROTECTED=1) see prot_virt_guest=1?
booted() {
	[ "$(proof_blocks "$1")" -ge 1 ] &&
		[ "$(proof_value "$1" action)" = poweroff ] &&
		[ "$(proof_value "$1" pid)" = 1 ] &&
		{ [ "$2" = 0 ] || [ "$(proof_value "$1" prot_virt_guest)" = 1 ]; }
}

# why_pvboot OUT: the end of a pvboot run in one line
why_pvboot() {
	local s

	s=$(sed -n 's/^--- pvboot run [^:]*: //p' "$1" | tail -n 1)
	s="$s $(sed -n 's/^  \(reason\|wait code\): *//p' "$1" | head -n 1)"
	[ "$(proof_blocks "$1")" -ge 1 ] &&
		s="$s; proof printed, prot_virt_guest=$(proof_value "$1" prot_virt_guest)"
	echo "${s:-no summary}"
}

pv_best= pv_line= pv_rss=0 pv_fail= pv_all=
qm_best= qm_fail= qm_all=
# the same boot with the whole machine in one process (--no-sandbox):
# what the contained emulator costs (issue 14)
one_best= one_fail= one_all=
for ((r = 1; r <= REPEAT; r++)); do
	if [ -z "$pv_fail" ]; then
		read -r s rss st ls < <("$MEASURE" -o pv.out \
			-l "PVBOOT-PROOF end" -- "$PVBOOT" run se.img \
			--host-key pki/host.key --memory 512M \
			--timeout "$TIMEOUT")
		if [ "$st" = 0 ] && booted pv.out 1; then
			pv_all="$pv_all $(secs "$s")"
			if [ -z "$pv_best" ] || lt "$s" "$pv_best"; then
				pv_best=$s
				pv_line=$ls
			fi
			[ "$rss" -le "$pv_rss" ] || pv_rss=$rss
		else
			pv_fail="exit $st after $(secs "$s"): $(why_pvboot pv.out)"
			cp pv.out "$LOG" 2>/dev/null
		fi
	fi
	if [ -z "$one_fail" ]; then
		read -r s _ st _ < <("$MEASURE" -o one.out -- "$PVBOOT" run \
			se.img --host-key pki/host.key --memory 512M \
			--timeout "$TIMEOUT" --no-sandbox)
		if [ "$st" = 0 ] && booted one.out 1; then
			one_all="$one_all $(secs "$s")"
			if [ -z "$one_best" ] || lt "$s" "$one_best"; then
				one_best=$s
			fi
		else
			one_fail="exit $st after $(secs "$s"): $(why_pvboot one.out)"
		fi
	fi
	if [ -z "$qm_fail" ]; then
		read -r s _ st _ < <("$MEASURE" -o qm.out -- \
			timeout "$TIMEOUT" "${QEMU_CMD[@]}")
		if [ "$st" = 0 ] && booted qm.out 0; then
			qm_all="$qm_all $(secs "$s")"
			if [ -z "$qm_best" ] || lt "$s" "$qm_best"; then
				qm_best=$s
			fi
		else
			qm_fail="exit $st after $(secs "$s"), $(proof_blocks qm.out) proof blocks"
		fi
	fi
	[ -n "$pv_fail" ] && [ -n "$qm_fail" ] && break
done

limit="QEMU TCG ${qm_best:+$(secs "$qm_best")}"
[ -n "$qm_fail" ] && limit="QEMU TCG failed: $qm_fail"
say "Linux boot to poweroff: $PKG with the busybox proof initramfs, 512 MiB"
say "  pvboot run (protected), best of $REPEAT:${pv_best:+ $(secs "$pv_best") (runs:$pv_all; proof block complete at $(secs "$pv_line"))}${pv_fail:+ FAILED: $pv_fail}"
say "  QEMU TCG (unprotected), best of $REPEAT:${qm_best:+ $(secs "$qm_best") (runs:$qm_all)}${qm_fail:+ FAILED: $qm_fail}"
if [ -n "$pv_fail" ] || [ -z "$pv_best" ]; then
	say "  the pvboot console of the failed run: $LOG"
	row "$SIZE" "failed: ${pv_fail:-no run}" "$limit" "-" "-" failed
	exit 0
fi
rss=$(awk -v k="$pv_rss" 'BEGIN { printf "%.1f MiB", k / 1024 }')
if [ -n "$qm_fail" ]; then
	row "$SIZE" "$(secs "$pv_best")" "$limit" "-" "$rss" "-"
	exit 0
fi
q=$(awk -v a="$qm_best" -v b="$pv_best" 'BEGIN { printf "%.2f", a / b }')
x=$(awk -v a="$qm_best" -v b="$pv_best" 'BEGIN { printf "%.2f", b / a }')
status=missed
lt "$x" 1.5000001 && status=met
say "  pvboot takes ${x}x QEMU's time (target <= 1.5x, aim 1.0x)"
say "  pvboot run --no-sandbox (one process), best of $REPEAT:${one_best:+ $(secs "$one_best") (runs:$one_all)}${one_fail:+ FAILED: $one_fail}"
say
row "$SIZE" "$(secs "$pv_best") (${x}x QEMU)" "$limit" "$q" "$rss" "$status"
# second row: the contained emulator against the one-process machine
OP="Linux boot, contained emulator vs one process (--no-sandbox)"
TARGET="cost shown"
if [ -n "$one_best" ]; then
	c=$(awk -v a="$one_best" -v b="$pv_best" 'BEGIN { printf "%.2f", a / b }')
	say "  the contained emulator costs $(awk -v a="$one_best" -v b="$pv_best" 'BEGIN { printf "%+.2f s (%.0f%%)", b - a, (b - a) * 100 / a }')"
	row "$SIZE" "$(secs "$pv_best") contained" "one process $(secs "$one_best")" "$c" "$rss" "-"
else
	row "$SIZE" "$(secs "$pv_best") contained" "one process failed: $one_fail" "-" "$rss" "-"
fi
exit 0
