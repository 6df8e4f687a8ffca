#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# /init of the disk initramfs (tests/scenario/disk_linux.sh, bench/disk.sh;
# built with tests/linux/mkinitramfs.sh -i).  A protected Linux uses the
# virtio-blk disk the machine attached: it loads the modules listed in
# /etc/pvboot/modules (virtio_blk, ext4 and what they need), mounts the
# first partition of the disk on device 0.0.0000, prints the SHA-256 of /mnt/hello.txt,
# writes /mnt/written.txt (the text of /etc/pvboot/written), syncs,
# unmounts and powers off.  Every result is one "PVBOOT-DISK key=value"
# line on the console.
#
# Kernel command line words:
#   pvboot.disk=loop    after the synced write, write /mnt/loop.N ("file
#                       N") and sync, N = 1, 2, ... until the run is
#                       stopped, saying synced=N after each sync: what
#                       was synced must survive the stop (--timeout)
#   pvboot.disk=crash   after the synced write, write /mnt/unsynced.txt
#                       without sync and crash the kernel (sysrq c): what
#                       was synced must survive, the run ends in the crash
#   pvboot.disk=dd      also time dd of 64 MiB to and from the second
#                       disk (0.0.0001, raw): write with fsync, then read
#                       after dropping the page cache

/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
[ -c /dev/console ] && exec </dev/console >/dev/console 2>&1

say() {
	echo "PVBOOT-DISK $*"
}

# centiseconds since boot
centis() {
	local u
	read -r u _ </proc/uptime
	echo $(( ${u%.*} * 100 + 1${u#*.} - 100 ))
}

finish() {
	say end
	sync
	poweroff -f
}

mode=
for w in $(cat /proc/cmdline); do
	case "$w" in
	pvboot.disk=*) mode=${w#pvboot.disk=} ;;
	esac
done

say begin
say prot_virt_guest=$(cat /sys/firmware/uv/prot_virt_guest 2>/dev/null || echo absent)
while read -r m; do
	[ -n "$m" ] || continue
	if insmod "/lib/modules/$m.ko" 2>/tmp/insmod.err; then
		say module=$m loaded
	else
		say module=$m failed: $(cat /tmp/insmod.err)
	fi
done </etc/pvboot/modules

# vdX on device 0.0.000N: the names follow the order the devices were
# probed in, which is not the order of their numbers
disk_of() {
	for b in /sys/block/vd*; do
		# .../css0/0.0.000N(subchannel)/0.0.000N(device)/virtioK
		case "$(readlink -f "$b/device")" in
		*/"$1"/virtio*) echo "${b##*/}"; return ;;
		esac
	done
}
i=0
while [ -z "$(disk_of 0.0.0000)" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
d0=$(disk_of 0.0.0000)
d1=$(disk_of 0.0.0001)
say devices=$(cd /sys/block && echo vd*)
say disk0=${d0:-none}
say disk0_sectors=$(cat /sys/block/$d0/size 2>/dev/null || echo none)
say disk0_ro=$(cat /sys/block/$d0/ro 2>/dev/null || echo none)
# the partition appears once the driver has read the partition table
i=0
while [ ! -b "/dev/${d0}1" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if ! mount -t ext4 "/dev/${d0}1" /mnt 2>/tmp/mount.err; then
	say mount=failed: $(cat /tmp/mount.err)
	finish
fi
say mount=ok
say read_sha256=$(sha256sum /mnt/hello.txt 2>/dev/null | cut -d' ' -f1)
if cp /etc/pvboot/written /mnt/written.txt 2>/tmp/cp.err && sync; then
	say write=ok
else
	say write=failed: $(cat /tmp/cp.err)
fi
say written_sha256=$(sha256sum /mnt/written.txt 2>/dev/null | cut -d' ' -f1)

if [ "$mode" = loop ]; then
	i=1
	while :; do
		echo "file $i" >/mnt/loop.$i && sync && say synced=$i
		i=$((i + 1))
	done
fi

if [ "$mode" = crash ]; then
	# synced above; this one stays in the page cache when the kernel dies
	echo "never synced" >/mnt/unsynced.txt
	say crashing
	echo 1 >/proc/sys/kernel/sysrq
	echo c >/proc/sysrq-trigger
fi

if [ "$mode" = dd ] && [ -n "$d1" ]; then
	# 1 MiB blocks; /proc/uptime has 10 ms steps (busybox date has no %N)
	t0=$(centis)
	dd if=/dev/zero of=/dev/$d1 bs=1M count=64 conv=fsync 2>/tmp/dd.err
	t1=$(centis)
	say dd_write_ms=$(((t1 - t0) * 10)) $(tail -n 1 /tmp/dd.err)
	sync
	echo 3 >/proc/sys/vm/drop_caches
	t0=$(centis)
	dd if=/dev/$d1 of=/dev/null bs=1M count=64 2>/tmp/dd.err
	t1=$(centis)
	say dd_read_ms=$(((t1 - t0) * 10)) $(tail -n 1 /tmp/dd.err)
fi

umount /mnt && say umount=ok
finish
