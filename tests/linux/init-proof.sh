#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# /init of pvboot's proof initramfs (tests/linux/mkinitramfs.sh).  Prints
# one block of "PVBOOT-PROOF key=value" lines on the console, then acts:
#
#   default                 poweroff -f
#   pvboot.test=reboot      (kernel command line) first boot: arm a re-IPL
#                           with loadparm PVBOOT2 and reboot -f; second
#                           boot (the IPL block carries PVBOOT2): poweroff -f
#   pvboot.test=shell, or   a shell on the console; poweroff -f when it ends
#   an image built with --interactive
#   pvboot.test=attest      /dev/uv from inside the guest (uvattest, added
#                           as /bin/uvattest): attest /attest.req, then
#                           add-secret requests read from the console (one
#                           Base64 line each, LOCK, END), list; poweroff -f
#
# How a re-IPLed guest knows it is the second boot: nothing in memory
# survives a load-clear re-IPL, and the image and command line are the same.
# What survives is the IPL parameter block in the machine's normal slot
# (DIAG 308 subcode 5 sets it, subcode 3 re-IPLs and keeps it; subcode 6
# reads it back, also in a protected guest: pv-machine-and-uv.md §1.5.5,
# §1.5.6 and the IPLB-slot table).  Linux sets it from /sys/firmware/reipl
# and shows the block it booted with in /sys/firmware/ipl.  So the first
# boot writes a CCW block with loadparm PVBOOT2 and reboots; the second
# boot finds ipl_type "ccw" and loadparm "PVBOOT2".  When the block cannot
# be armed the init says so (reipl=unarmed) and reboots anyway: the
# harness then counts the proof blocks and ends the run with --timeout.

/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
[ -c /dev/console ] && exec </dev/console >/dev/console 2>&1

say() {
	echo "PVBOOT-PROOF $*"
}

read_or() {
	if [ -r "$1" ]; then
		cat "$1"
	else
		echo "$2"
	fi
}

cmdline=$(cat /proc/cmdline)
mode=$(read_or /etc/pvboot/mode poweroff)
for w in $cmdline; do
	case "$w" in
	pvboot.test=*) mode=${w#pvboot.test=} ;;
	esac
done

boot=1
ipl_type=$(read_or /sys/firmware/ipl/ipl_type unknown)
loadparm=$(read_or /sys/firmware/ipl/loadparm "")
[ "$ipl_type" = ccw ] && [ "$loadparm" = PVBOOT2 ] && boot=2

say begin
say pid=$$
say prot_virt_guest=$(read_or /sys/firmware/uv/prot_virt_guest absent)
say "cmdline=$cmdline"
say kernel=$(uname -r)
say boot=$boot
say ipl_type=$ipl_type
say cpus=$(read_or /sys/devices/system/cpu/online unknown)
if [ -r /etc/pvboot/modules ]; then
	while read -r m; do
		[ -n "$m" ] || continue
		if insmod "/lib/modules/$m.ko" 2>/tmp/insmod.err; then
			say module=$m loaded
		else
			say module=$m failed: $(cat /tmp/insmod.err)
		fi
	done </etc/pvboot/modules
	[ -c /dev/uv ] && say uvdevice=present
fi
# read() into a 4 MiB buffer: the kernel clears 1024 fresh pages with one
# instruction, faulting on each (a machine once took that for a loop)
say bigread=$(dd if=/dev/zero bs=4M count=2 2>/dev/null | wc -c)
if [ -f /payload ]; then
	set -- $(sha256sum /payload)
	say payload-sha256=$1
else
	say payload-sha256=none
fi

case "$mode" in
reboot)
	if [ "$boot" = 2 ]; then
		say action=poweroff
		say end
		poweroff -f
	fi
	armed=unarmed
	r=/sys/firmware/reipl
	if echo ccw >$r/reipl_type && echo 0.0.0000 >$r/ccw/device &&
		echo PVBOOT2 >$r/ccw/loadparm; then
		armed=armed
		[ -w $r/ccw/clear ] && echo 1 >$r/ccw/clear
	fi
	say reipl=$armed
	say action=reboot
	say end
	reboot -f
	;;
attest)
	say action=attest
	uvattest attest /attest.req
	say attest-exit=$?
	# Add-secret requests come on the console, one Base64 line each
	# (they are bound to this image, so they cannot be inside it);
	# LOCK locks the store, END ends.
	say ready-for-secrets
	n=0
	while IFS= read -r line; do
		case "$line" in
		END) break ;;
		LOCK)
			uvattest lock
			say lock-exit=$?
			;;
		*)
			n=$((n + 1))
			echo "$line" | base64 -d >/tmp/s$n.req
			uvattest add /tmp/s$n.req
			say add$n-exit=$?
			;;
		esac
	done
	uvattest list
	say end
	poweroff -f
	;;
shell)
	say action=shell
	say end
	setsid cttyhack sh -l
	poweroff -f
	;;
*)
	say action=poweroff
	say end
	poweroff -f
	;;
esac
# not reached: the kernel would panic if init ended
sleep 1
poweroff -f
