#!/bin/bash
# SPDX-License-Identifier: MIT
# Disk benchmark (issue 16), next to QEMU TCG from the same run (Debian's
# qemu-system-s390x, a reference only; pvboot never uses QEMU):
#   - IPL from a disk: `pvboot disk` puts an SE image of the
#     bookworm-backports kernel with the disk initramfs
#     (tests/linux/disk-guest.bash) on a raw disk with an ext4 data
#     partition, and `pvboot run --disk` IPLs it through Debian's
#     s390-ccw bios; QEMU's own bios IPLs the same disk
#     (virtio-blk-ccw, bootindex 1).  Time from process start to the
#     first line after the bios's: under QEMU stage3a's "Secure unpack
#     facility is not available" (TCG cannot enter protected mode, the
#     run ends there), under pvboot stage3b's "stage3b: starting kernel"
#     (stage3a prints nothing when it succeeds), so pvboot's figure also
#     holds the switch into protected mode and the UV's unpack and verify
#     of the image, which QEMU never does;
#   - dd from the protected Linux: the same boot goes on with
#     pvboot.disk=dd (tests/linux/disk-init.sh) and times dd of 64 MiB
#     to a second raw disk (0.0.0001) with fsync, then from it after
#     dropping the page cache; QEMU boots the same kernel and initramfs
#     unprotected (-kernel/-initrd/-append) with the same two disks.
# Best of BENCH_REPEAT (3) runs each, interleaved; the best write and the
# best read are taken from any run.
#
# usage: bench/disk.sh [--rows] [BUILD-DIR]
#   --rows  print only the benchmark table rows (bench/run.sh uses it)
#
# Without the Debian guests in the cache (scripts/fetch-guests.sh, no
# network is used here) or without QEMU, the rows say why they were
# skipped; a run that fails is a failed row with the reason.  The script
# exits 0 whenever it could print its rows.  Environment: BENCH_REPEAT,
# BENCH_LINUX_TIMEOUT (seconds per boot, default 120), PVBOOT_GUEST_CACHE.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/args.bash"
bench_args "$@"
. "$ROOT/tests/linux/common.bash"
. "$ROOT/tests/linux/disk-guest.bash"
TIMEOUT=${BENCH_LINUX_TIMEOUT:-120}
# the console of a failed pvboot run is kept here
LOG=$BUILD/bench/disk-failed.console
OP_IPL="IPL from a disk to stage3a, pvboot (protected) vs QEMU TCG"
OP_DD="dd of a disk from Linux, protected vs QEMU TCG unprotected"
DD_BYTES=$((64 << 20))
PV_LINE="stage3b: starting kernel"
QM_LINE="Secure unpack facility is not available"

say() { [ "$ROWS_ONLY" = 1 ] || echo "$*"; }
# row OP SIZE RESULT LIMIT RATIO RSS STATUS
row() {
	echo "| $1 | $2 | $3 | $4 | $5 | $6 | - | $7 |"
}
# give_up STATUS REASON: both rows, nothing measured
give_up() {
	echo "disk: $2" >&2
	row "$OP_IPL" "-" "$1: $2" "-" "-" "-" "$1"
	row "$OP_DD" "-" "$1: $2" "-" "-" "-" "$1"
	exit 0
}
secs() { awk -v s="$1" 'BEGIN { printf "%.3f s", s }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
# rate MS: MB/s (10^6 bytes) of DD_BYTES in MS milliseconds
rate() { awk -v b="$DD_BYTES" -v m="$1" 'BEGIN { printf "%.0f", b / 1e6 / (m / 1000) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

for f in "$PVBOOT" "$MEASURE"; do
	[ -x "$f" ] || give_up failed "$f is not built (make BUILD=${BUILD#$ROOT/} all)"
done
guest_cache_ok ||
	give_up skipped "the Debian guests are not in $GUEST_CACHE (scripts/fetch-guests.sh)"
command -v qemu-system-s390x >/dev/null ||
	give_up skipped "qemu-system-s390x is not installed (apt-get install qemu-system-misc)"
command -v mke2fs >/dev/null ||
	give_up skipped "mke2fs is not installed (e2fsprogs)"

W=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-disk-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
KERNEL=$GUEST_CACHE/bpo/vmlinuz
PKG="$(guest_info bpo package) $(guest_info bpo version)"
PARM="$LINUX_PARM pvboot.disk=dd"

disk_modules mods ||
	give_up skipped "the kernel package is not in $GUEST_CACHE/debs (scripts/fetch-guests.sh)"
mkdir -p root
head -c 65536 /dev/urandom >root/hello.txt
head -c 4000 /dev/urandom >written.txt
mke2fs -q -t ext4 -d root fs.img 32M >/dev/null 2>&1 ||
	give_up failed "mke2fs -d failed"
disk_initramfs disk.gz mods written.txt || give_up failed "mkinitramfs failed"
printf '%s' "$PARM" >parmfile
"$PVBOOT" hostkey --out-dir pki -q || give_up failed "pvboot hostkey failed"
"$PVBOOT" create -i "$KERNEL" -r disk.gz -p parmfile -k pki/host.crt \
	-o se.img --no-verify -q || give_up failed "pvboot create failed"
"$PVBOOT" disk se.img -o boot.disk --data fs.img -q ||
	give_up failed "pvboot disk failed"
SE_MIB=$(awk -v b="$(stat -c %s se.img)" 'BEGIN { printf "%.1f", b / 1048576 }')
SIZE_IPL="SE image $SE_MIB MiB on a $(($(stat -c %s boot.disk) >> 20)) MiB disk"
SIZE_DD="64 MiB, 1 MiB blocks, raw disk"

# fresh DISK0 DISK1: the boot disk as it was made, a blank second disk
fresh() {
	rm -f "$1" "$2"
	cp --sparse=always boot.disk "$1" && truncate -s "$DD_BYTES" "$2"
}

# ms_of OUT KEY: the milliseconds of "PVBOOT-DISK KEY=N ..." (empty: none)
ms_of() {
	disk_value "$1" "$2" | sed -n 's/^\([0-9][0-9]*\)\( .*\)*$/\1/p'
}

# why_pvboot OUT: the end of a pvboot run in one line
why_pvboot() {
	local s

	s=$(sed -n 's/^--- pvboot run [^:]*: //p' "$1" | tail -n 1)
	s="$s $(sed -n 's/^  \(reason\|wait code\|IPL failed\): *//p' "$1" | head -n 1)"
	echo "${s:-no summary}"
}

# QEMU's bios IPL of the same disk (stops in stage3a), and QEMU's
# unprotected Linux with both disks as virtio-blk-ccw 0.0.0000, 0.0.0001
QM_IPL=(qemu-system-s390x -machine s390-ccw-virtio,accel=tcg -nographic
	-nodefaults -serial stdio -no-reboot -m 512
	-drive file=q0.disk,if=none,id=d0,format=raw
	-device virtio-blk-ccw,drive=d0,bootindex=1)
qemu_cmd "$KERNEL" disk.gz "$PARM" -nic none \
	-drive file=q0.disk,if=none,id=d0,format=raw \
	-device virtio-blk-ccw,drive=d0,devno=fe.0.0000 \
	-drive file=q1.disk,if=none,id=d1,format=raw \
	-device virtio-blk-ccw,drive=d1,devno=fe.0.0001

pv_ipl= pv_uv= pv_bios= pv_w= pv_r= pv_rss=0 pv_fail= pv_all=
qi_best= qi_fail= qi_all=
qm_w= qm_r= qm_fail= qm_all=
for ((r = 1; r <= REPEAT; r++)); do
	if [ -z "$pv_fail" ]; then
		fresh p0.disk p1.disk
		read -r s rss st ls < <("$MEASURE" -o pv.out -l "$PV_LINE" -- \
			"$PVBOOT" run --disk p0.disk --disk p1.disk \
			--host-key pki/host.key --memory 512M --no-input \
			--timeout "$TIMEOUT" </dev/null)
		w=$(ms_of pv.out dd_write_ms)
		rd=$(ms_of pv.out dd_read_ms)
		[ "$rss" -le "$pv_rss" ] || pv_rss=$rss
		# the IPL counts whenever stage3b started the kernel
		if [ "$ls" != - ] && { [ -z "$pv_ipl" ] || lt "$ls" "$pv_ipl"; }; then
			pv_ipl=$ls
			# the summary's UV time and the bios's share
			pv_uv=$(sed -n 's/^  time: .* UV \([0-9.]*\) s .*/\1/p' pv.out)
			pv_bios=$(sed -n 's/^  IPL: .* handed over after \([0-9.]*\) s.*/\1/p' pv.out)
		fi
		if [ "$st" = 0 ] && [ "$ls" != - ] && [ -n "$w" ] &&
			[ -n "$rd" ] && [ "$w" -gt 0 ] && [ "$rd" -gt 0 ] &&
			[ "$(disk_value pv.out prot_virt_guest)" = 1 ]; then
			pv_all="$pv_all $(secs "$ls") ${w}/${rd} ms;"
			{ [ -n "$pv_w" ] && [ "$pv_w" -le "$w" ]; } || pv_w=$w
			{ [ -n "$pv_r" ] && [ "$pv_r" -le "$rd" ]; } || pv_r=$rd
		else
			pv_fail="exit $st after $(secs "$s"): $(why_pvboot pv.out); prot_virt_guest=$(disk_value pv.out prot_virt_guest), dd_write_ms=${w:-none}, dd_read_ms=${rd:-none}"
			cp pv.out "$LOG" 2>/dev/null
		fi
	fi
	if [ -z "$qi_fail" ]; then
		fresh q0.disk q1.disk
		read -r s _ st ls < <("$MEASURE" -o qi.out -l "$QM_LINE" -- \
			timeout "$TIMEOUT" "${QM_IPL[@]}" </dev/null)
		if [ "$ls" != - ]; then
			qi_all="$qi_all $(secs "$ls")"
			if [ -z "$qi_best" ] || lt "$ls" "$qi_best"; then
				qi_best=$ls
			fi
		else
			qi_fail="exit $st after $(secs "$s"), no stage3a line"
		fi
	fi
	if [ -z "$qm_fail" ]; then
		fresh q0.disk q1.disk
		read -r s _ st _ < <("$MEASURE" -o qm.out -- \
			timeout "$TIMEOUT" "${QEMU_CMD[@]}" </dev/null)
		w=$(ms_of qm.out dd_write_ms)
		rd=$(ms_of qm.out dd_read_ms)
		if [ "$st" = 0 ] && [ -n "$w" ] && [ -n "$rd" ] &&
			[ "$w" -gt 0 ] && [ "$rd" -gt 0 ]; then
			qm_all="$qm_all ${w}/${rd} ms;"
			{ [ -n "$qm_w" ] && [ "$qm_w" -le "$w" ]; } || qm_w=$w
			{ [ -n "$qm_r" ] && [ "$qm_r" -le "$rd" ]; } || qm_r=$rd
		else
			qm_fail="exit $st after $(secs "$s"), dd_write_ms=${w:-none}, dd_read_ms=${rd:-none}"
		fi
	fi
	[ -n "$pv_fail" ] && [ -n "$qi_fail" ] && [ -n "$qm_fail" ] && break
done

say "Disk: $PKG with the disk initramfs (pvboot.disk=dd), 512 MiB, work directory on $(df -PT "$W" | awk 'NR == 2 { print $2 }')"
say "  pvboot run --disk (protected), best of $REPEAT:${pv_ipl:+ $PV_LINE at $(secs "$pv_ipl") (bios handed over at ${pv_bios:-?} s, UV unpack+verify ${pv_uv:-?} s)}${pv_w:+; dd write/read best $pv_w/$pv_r ms (runs:$pv_all)}${pv_fail:+ FAILED: $pv_fail}"
say "  QEMU TCG bios IPL, best of $REPEAT:${qi_best:+ the stage3a line at $(secs "$qi_best") (runs:$qi_all)}${qi_fail:+ FAILED: $qi_fail}"
say "  QEMU TCG -kernel (unprotected), best of $REPEAT:${qm_w:+ dd write/read best $qm_w/$qm_r ms (runs:$qm_all)}${qm_fail:+ FAILED: $qm_fail}"
[ -n "$pv_fail" ] && say "  the pvboot console of the failed run: $LOG"
rss=$(awk -v k="$pv_rss" 'BEGIN { printf "%.1f MiB", k / 1024 }')

# row a: IPL; ratio = QEMU's time / pvboot's
if [ -z "$pv_ipl" ]; then
	row "$OP_IPL" "$SIZE_IPL" "failed: $pv_fail" \
		"QEMU TCG ${qi_best:+$(secs "$qi_best")}${qi_fail:+failed: $qi_fail}" \
		"-" "-" failed
elif [ -n "$qi_fail" ]; then
	row "$OP_IPL" "$SIZE_IPL" "$(secs "$pv_ipl") (UV ${pv_uv:-?} s)" \
		"QEMU TCG failed: $qi_fail" "-" "$rss" "-"
elif [ -z "$pv_uv" ]; then
	row "$OP_IPL" "$SIZE_IPL" "$(secs "$pv_ipl")" \
		"QEMU TCG $(secs "$qi_best")" "$(ratio "$qi_best" "$pv_ipl")" \
		"$rss" "-"
else
	# what stage3a's switch costs is the UV's work; without it, the
	# two runs do the same: load the bios, read the disk, start stage3a
	nouv=$(awk -v a="$pv_ipl" -v u="$pv_uv" 'BEGIN { print a - u }')
	row "$OP_IPL" "$SIZE_IPL" \
		"$(secs "$pv_ipl"); $(secs "$nouv") without the UV's unpack+verify" \
		"QEMU TCG $(secs "$qi_best")" \
		"$(ratio "$qi_best" "$pv_ipl"); $(ratio "$qi_best" "$nouv") without" \
		"$rss" "-"
fi

# row b: dd; ratio = pvboot's rate / QEMU's
if [ -n "$pv_fail" ]; then
	row "$OP_DD" "$SIZE_DD" "failed: $pv_fail" \
		"QEMU TCG ${qm_w:+write $(rate "$qm_w") MB/s, read $(rate "$qm_r") MB/s}${qm_fail:+failed: $qm_fail}" \
		"-" "-" failed
elif [ -n "$qm_fail" ]; then
	row "$OP_DD" "$SIZE_DD" \
		"write $(rate "$pv_w") MB/s, read $(rate "$pv_r") MB/s" \
		"QEMU TCG failed: $qm_fail" "-" "$rss" "-"
else
	row "$OP_DD" "$SIZE_DD" \
		"write $(rate "$pv_w") MB/s, read $(rate "$pv_r") MB/s" \
		"QEMU TCG write $(rate "$qm_w") MB/s, read $(rate "$qm_r") MB/s" \
		"write $(ratio "$qm_w" "$pv_w"), read $(ratio "$qm_r" "$pv_r")" \
		"$rss" "-"
fi
exit 0
