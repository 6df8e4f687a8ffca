#!/bin/bash
# SPDX-License-Identifier: MIT
# The proof initramfs against the reference machine: both Debian kernels
# booted unprotected by QEMU TCG (qemu-system-s390x from qemu-system-misc,
# installed for the benchmarks; pvboot never uses QEMU).  TAP output; not
# part of `make check` (it needs QEMU and about a minute).
#
# usage: tests/linux/qemu_check.sh
#
# Checks, for the bookworm-backports and the bookworm kernel: /init runs as
# pid 1, /proc/cmdline is the -append text, the checksum of an 8 MiB
# payload, the modules load, poweroff -f ends QEMU with exit 0; with
# pvboot.test=reboot the init arms a CCW re-IPL block with loadparm
# PVBOOT2 (QEMU's -no-reboot then ends the run: with -kernel QEMU would
# re-IPL into its firmware, not into the kernel, so the second boot is
# only checked on pvboot's machine).  Then the interactive initramfs:
# lines written to QEMU's standard input reach the busybox shell.
#
# Console input and timing: the kernel drops SCLP console input that
# arrives before its VT220 driver has registered (about 4 s into a TCG
# boot here); input that arrives later waits in the tty until the shell
# reads it.  So `printf ... | qemu-system-s390x ...` loses lines that QEMU
# reads at once; this script writes them into a FIFO only after the init
# has announced the shell (PVBOOT-PROOF action=shell).
set -u
. "$(dirname "$0")/common.bash"
T=$(mktemp -d /tmp/pvboot-qemu-check.XXXXXX)
QPID=
trap '[ -n "$QPID" ] && kill "$QPID" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 1
TIMEOUT=${QEMU_CHECK_TIMEOUT:-120}
N=0
FAILED=0

ok() {
	N=$((N + 1))
	echo "ok $N - $1"
}
not_ok() {
	N=$((N + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $N - $1"
	shift
	for l in "$@"; do
		echo "# $l"
	done
}
# is DESCRIPTION GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2'" "want '$3'"
	fi
}
finish() {
	echo "1..$N"
	[ "$FAILED" -eq 0 ]
	exit $?
}

command -v qemu-system-s390x >/dev/null || {
	echo "not ok 1 - qemu-system-s390x is not installed (apt-get install qemu-system-misc)"
	exit 1
}
guest_cache_ok || {
	echo "not ok 1 - the guest cache $GUEST_CACHE is incomplete (scripts/fetch-guests.sh)"
	exit 1
}

# boot OUT KERNEL INITRD APPEND: QEMU to its end; sets RC and SECS
boot() {
	local t0

	qemu_cmd "$2" "$3" "$4"
	t0=$(date +%s.%N)
	timeout "$TIMEOUT" "${QEMU_CMD[@]}" </dev/null >"$1" 2>&1
	RC=$?
	SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
}

for k in bpo bookworm; do
	rel=$(guest_info $k release)
	sum=$("$MKINITRAMFS" -o "$k.gz" --modules "$GUEST_CACHE/$k/modules" -p 8 |
		sed -n 's/^payload-sha256=//p')
	parm="$LINUX_PARM pvboot.note=qemu-$k"
	boot "$k.out" "$GUEST_CACHE/$k/vmlinuz" "$k.gz" "$parm"
	is "$k ($rel): poweroff -f ends QEMU (exit 0, ${SECS} s)" "$RC" 0
	is "$k: one proof block" "$(proof_blocks "$k.out")" 1
	is "$k: init is pid 1" "$(proof_value "$k.out" pid)" 1
	is "$k: the kernel is $rel" "$(proof_value "$k.out" kernel)" "$rel"
	is "$k: /proc/cmdline is the -append text" \
		"$(proof_value "$k.out" cmdline)" "$parm"
	is "$k: the 8 MiB payload's sha256" \
		"$(proof_value "$k.out" payload-sha256)" "$sum"
	grep -q "^PVBOOT-PROOF module=uvdevice failed: .*No such device" "$k.out" &&
		ok "$k: uvdevice.ko refuses to load without an Ultravisor" ||
		not_ok "$k: uvdevice.ko refuses to load without an Ultravisor" \
			"$(grep 'module=' "$k.out")"
	is "$k: prot_virt_guest is absent (TCG has no Ultravisor, facility 158)" \
		"$(proof_value "$k.out" prot_virt_guest)" absent
	grep -q '^PVBOOT-PROOF module=virtio_blk loaded' "$k.out" &&
		ok "$k: virtio_blk.ko loads" ||
		not_ok "$k: virtio_blk.ko loads" "$(grep 'module=' "$k.out")"
	boot "$k-reboot.out" "$GUEST_CACHE/$k/vmlinuz" "$k.gz" \
		"$LINUX_PARM pvboot.test=reboot"
	is "$k: reboot -f ends QEMU under -no-reboot (exit 0, ${SECS} s)" "$RC" 0
	is "$k: first boot" "$(proof_value "$k-reboot.out" boot)" 1
	is "$k: the re-IPL block (ccw, loadparm PVBOOT2) is armed" \
		"$(proof_value "$k-reboot.out" reipl)" armed
	is "$k: the init reboots" "$(proof_value "$k-reboot.out" action)" reboot
done

# ---- the interactive initramfs: standard input reaches the shell ---------
"$MKINITRAMFS" -o sh.gz --interactive >/dev/null
qemu_cmd "$GUEST_CACHE/bpo/vmlinuz" sh.gz "$LINUX_PARM"
mkfifo in
timeout "$TIMEOUT" "${QEMU_CMD[@]}" <in >sh.out 2>&1 &
QPID=$!
exec 3>in
for ((i = 0; i < TIMEOUT * 10; i++)); do
	grep -q '^PVBOOT-PROOF action=shell' sh.out 2>/dev/null && break
	kill -0 "$QPID" 2>/dev/null || break
	sleep 0.1
done
printf 'echo hi-$((6 * 7))\npoweroff -f\n' >&3
wait "$QPID"
RC=$?
QPID=
exec 3>&-
is "interactive: the shell powers off, QEMU exit 0" "$RC" 0
if tr -d '\r' <sh.out | grep -q '^hi-42$'; then
	ok "interactive: a line from standard input ran in the shell (hi-42)"
else
	not_ok "interactive: a line from standard input ran in the shell" \
		"$(tail -n 5 sh.out | tr '\r\n' '  ')"
fi

finish
