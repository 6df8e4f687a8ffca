#!/bin/bash
# SPDX-License-Identifier: MIT
# A protected Linux uses the disk it was IPLed from (issue 16, stories 4
# and 5): the bookworm-backports kernel and an initramfs with virtio_blk
# and ext4 go into an SE image, `pvboot disk` puts the image and an ext4
# file system made with mke2fs -d (partition 1) on one disk, and
# `pvboot run --disk` IPLs it through the bios.  In protected mode the
# kernel loads the modules, mounts the partition, checks a file the host
# put there, writes one back, syncs, unmounts and powers off; the host
# then finds the written file intact and the file system clean.  A second
# boot writes and syncs files until --timeout stops it: every file the
# guest reported as synced is in the disk image.
#
# One or two boots of about 5 s each.  DISK_LINUX_FULL=1 adds a boot with
# the disk read-only (the guest's write fails, the image is unchanged)
# and one that crashes the kernel after a synced write.  Skips when the
# guest cache is incomplete, unless CI=true.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/linux/common.bash"
. "$ROOT/tests/linux/disk-guest.bash"
if ! guest_cache_ok; then
	if [ "${CI:-}" = true ]; then
		echo "not ok 1 - the guest cache $GUEST_CACHE is complete (CI must fetch it: make guests)"
		echo "1..1"
		exit 1
	fi
	echo "ok 1 - # SKIP the guest cache $GUEST_CACHE is incomplete (run scripts/fetch-guests.sh)"
	echo "1..1"
	exit 0
fi
. "$ROOT/tests/scenario/run_common.bash"

TIMEOUT=${LINUX_TIMEOUT:-120}

# is DESCRIPTION GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2'" "want '$3'"
	fi
}

# json FILE KEY[.KEY]: a value of the JSON summary
json() {
	python3 - "$1" "$2" <<'EOF' 2>/dev/null
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(str(v).lower() if isinstance(v, bool) else v)
EOF
}

check "modules from the cached kernel package" disk_modules mods
mkdir -p root
head -c 65536 /dev/urandom >root/hello.txt
HELLO=$(sha256sum <root/hello.txt | cut -d' ' -f1)
head -c 4000 /dev/urandom >written.txt
WRITTEN=$(sha256sum <written.txt | cut -d' ' -f1)
mkfs() {
	mke2fs -q -t ext4 -d root fs.img 32M >/dev/null 2>&1
}
check "an ext4 file system from mke2fs -d" mkfs
check "the disk initramfs" disk_initramfs disk.gz mods written.txt

# linux_disk NAME PARM: an SE image with PARM and a disk with it and fs.img
linux_disk() {
	printf '%s' "$2" >"$1.parm"
	"$PVBOOT" create -i "$GUEST_CACHE/bpo/vmlinuz" -r disk.gz \
		-p "$1.parm" -k pki/host.crt --no-verify -o "$1.se" -q \
		2>/dev/null &&
		"$PVBOOT" disk "$1.se" -o "$1.disk" --data fs.img -q
}

# sum FILE: its SHA-256 ("" when it does not exist)
sum() {
	[ -f "$1" ] && sha256sum <"$1" | cut -d' ' -f1
}

check "an SE image and its disk" linux_disk main "$LINUX_PARM"
run_pvboot out.json console --disk main.disk --host-key pki/host.key \
	--memory 512M --timeout "$TIMEOUT" --no-input --json
expect_exit "pvboot run --disk main.disk" 0
cp out.json main.json
is "the guest powered off" "$(json out.json end)" sigp-stop
is "IPLed from the disk through the bios" "$(json out.json ipl.from)" disk
is "still protected at the end" "$(json out.json protected)" true
is "verified by the UV" "$(json out.json verify.rc)" 1
is "the kernel runs protected" "$(disk_value console prot_virt_guest)" 1
for m in $DISK_MODULES; do
	check "module $m loaded" grep -q "^PVBOOT-DISK module=$m loaded" console
done
is "the disk on 0.0.0000 is a block device" "$(disk_value console disk0)" vda
is "mounted partition 1 as ext4" "$(disk_value console mount)" ok
is "read the host's file (SHA-256)" "$(disk_value console read_sha256)" "$HELLO"
is "wrote and synced a file" "$(disk_value console write)" ok
is "the file it wrote reads back" "$(disk_value console written_sha256)" "$WRITTEN"
is "unmounted" "$(disk_value console umount)" ok
check "the device saw writes and flushes, no failed request" python3 -c '
import json
d = json.load(open("out.json"))["disks"][0]
assert d["writes"] > 0 and d["flushes"] > 0 and d["errors"] == 0, d'
check "partition 1 of the disk" disk_part main.disk main.fs
check "the host finds the file system clean (e2fsck -fn)" \
	sh -c "e2fsck -fn main.fs >e2fsck.out 2>&1"
fs_dump main.fs main.got /written.txt /hello.txt
is "the host finds the written file intact" "$(sum main.got/written.txt)" "$WRITTEN"
is "the host's file is unchanged" "$(sum main.got/hello.txt)" "$HELLO"

# writes until --timeout: what was synced survives the stop
check "an SE image that writes until stopped" linux_disk loop \
	"$LINUX_PARM pvboot.disk=loop"
# long enough to boot (as long as the first boot took) and write a while
BOOT_S=$(( $(json main.json microseconds) / 1000000 ))
run_pvboot out.json console --disk loop.disk --host-key pki/host.key \
	--memory 512M --timeout $((BOOT_S + 6)) --no-input --json
expect_exit "stopped by --timeout while writing" 1
is "the run ended by the timeout" "$(json out.json end)" timeout
LAST=$(tr -d '\r' <console | sed -n 's/^PVBOOT-DISK synced=//p' | tail -n 1)
check "the guest synced files before the stop (last: ${LAST:-none})" \
	test "${LAST:-0}" -ge 1
check "partition 1 of the stopped disk" disk_part loop.disk loop.fs
check "its journal replays" fs_replay loop.fs
FILES=(/written.txt)
for i in $(seq 1 "${LAST:-0}"); do
	FILES+=("/loop.$i")
done
fs_dump loop.fs loop.got "${FILES[@]}"
missing=
for i in $(seq 1 "${LAST:-0}"); do
	[ "$(cat "loop.got/loop.$i" 2>/dev/null)" = "file $i" ] ||
		missing="$missing $i"
done
check "every synced file is in the disk image, intact" test -z "$missing"
is "the first synced write is there too" "$(sum loop.got/written.txt)" "$WRITTEN"

if [ "${DISK_LINUX_FULL:-0}" = 1 ]; then
	# read-only: Linux sees the disk write-protected
	check "a disk for the read-only boot" linux_disk ro "$LINUX_PARM"
	cp ro.disk ro.orig
	run_pvboot out.json console --disk ro.disk,readonly \
		--host-key pki/host.key --memory 512M --timeout "$TIMEOUT" \
		--no-input --json
	expect_exit "pvboot run --disk ro.disk,readonly" 0
	is "the guest sees a read-only disk" "$(disk_value console disk0_ro)" 1
	is "its read works" "$(disk_value console read_sha256)" "$HELLO"
	check "its write fails" grep -q "^PVBOOT-DISK write=failed" console
	check "the disk image is unchanged" cmp ro.disk ro.orig
	# a kernel crash after a synced write
	check "an SE image that crashes" linux_disk crash \
		"$LINUX_PARM pvboot.disk=crash"
	run_pvboot out.json console --disk crash.disk --host-key pki/host.key \
		--memory 512M --timeout 30 --no-input --json
	check "the guest crashed after its synced write" \
		grep -q "PVBOOT-DISK crashing" console
	check "partition 1 of the crashed disk" disk_part crash.disk crash.fs
	check "its journal replays" fs_replay crash.fs
	fs_dump crash.fs crash.got /written.txt
	is "the synced file survived the crash, intact" \
		"$(sum crash.got/written.txt)" "$WRITTEN"
fi

finish
