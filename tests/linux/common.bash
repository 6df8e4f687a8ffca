# SPDX-License-Identifier: MIT
# Shared by the Linux guest scripts (tests/linux/*.sh, bench/linux-boot.sh;
# sourced): where the Debian guests are, how the reference QEMU boots them.

LINUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GUEST_CACHE=${PVBOOT_GUEST_CACHE:-/var/cache/pvboot/guests}
MKINITRAMFS=$LINUX_ROOT/tests/linux/mkinitramfs.sh
FETCH_GUESTS=$LINUX_ROOT/scripts/fetch-guests.sh
# the parmfile of every Linux image (the SCLP VT220 console, as on z/VM)
LINUX_PARM='console=ttysclp0 quiet'

# guest_cache_ok: the cache holds both kernels and busybox (no network)
guest_cache_ok() {
	PVBOOT_GUEST_CACHE=$GUEST_CACHE bash "$FETCH_GUESTS" --check -q \
		2>/dev/null
}

# guest_info SLOT KEY: a value of $GUEST_CACHE/SLOT/info
guest_info() {
	sed -n "s/^$2=//p" "$GUEST_CACHE/$1/info" 2>/dev/null | head -n 1
}

# qemu_cmd KERNEL INITRD APPEND [EXTRA...]: sets QEMU_CMD to the reference
# boot: QEMU TCG, unprotected (QEMU refuses PV under TCG), 512 MiB, the
# SCLP console on standard input and output, ends on poweroff
qemu_cmd() {
	local k=$1 i=$2 a=$3

	shift 3
	QEMU_CMD=(qemu-system-s390x -machine s390-ccw-virtio,accel=tcg
		-nographic -no-reboot -m 512 -kernel "$k")
	[ -n "$i" ] && QEMU_CMD+=(-initrd "$i")
	QEMU_CMD+=(-append "$a" "$@")
}

# proof_value FILE KEY [N]: the value of "PVBOOT-PROOF KEY=..." in the
# Nth proof block (default the first); "(no KEY line)" when there is none,
# so that an absent line never equals an empty value
proof_value() {
	tr -d '\r' <"$1" | awk -v k="PVBOOT-PROOF $2=" -v n="${3:-1}" -v key="$2" '
		$0 == "PVBOOT-PROOF begin" { b++ }
		b == n && index($0, k) == 1 {
			print substr($0, length(k) + 1); found = 1; exit
		}
		END { if (!found) print "(no " key " line)" }'
}

# proof_blocks FILE: how many complete proof blocks the console holds
proof_blocks() {
	tr -d '\r' <"$1" | grep -c '^PVBOOT-PROOF end$'
}
