# SPDX-License-Identifier: MIT
# The protected Linux that uses a disk (tests/scenario/disk_linux.sh,
# bench/disk.sh; sourced after common.bash): the bookworm-backports
# kernel with an initramfs of busybox, /init = tests/linux/disk-init.sh and
# the modules virtio_blk, crc32c_generic, crc16, mbcache, jbd2 and ext4 in
# load order.  virtio_blk comes from the guest cache; the others are
# taken from the kernel package the cache keeps (debs/, checked against
# the SHA-256 in bpo/info), since scripts/fetch-guests.sh extracts only
# the modules it was asked for.

DISK_MODULES="virtio_blk crc32c_generic crc16 mbcache jbd2 ext4"

# disk_modules DIR: the modules as DIR/NAME.ko and DIR/order; 1 if the
# kernel package is not in the cache
disk_modules() {
	local dir=$1 sum deb x m f

	sum=$(guest_info bpo deb_sha256)
	deb=
	for f in "$GUEST_CACHE"/debs/*.deb; do
		[ -f "$f" ] || continue
		case "$f" in *linux-image-*) ;; *) continue ;; esac
		[ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$sum" ] && deb=$f
	done
	[ -n "$deb" ] || return 1
	mkdir -p "$dir"
	x=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-kmods.XXXXXX")
	dpkg-deb -x "$deb" "$x" || { rm -rf "$x"; return 1; }
	: >"$dir/order"
	for m in $DISK_MODULES; do
		if [ "$m" = virtio_blk ]; then
			cp "$GUEST_CACHE/bpo/modules/virtio_blk.ko" "$dir/" ||
				{ rm -rf "$x"; return 1; }
		else
			f=$(find "$x" -name "$m.ko*" | head -n 1)
			[ -n "$f" ] || { rm -rf "$x"; return 1; }
			case "$f" in
			*.xz) xz -dc "$f" >"$dir/$m.ko" ;;
			*.zst) zstd -qdc "$f" >"$dir/$m.ko" ;;
			*) cp "$f" "$dir/$m.ko" ;;
			esac
		fi
		echo "$m" >>"$dir/order"
	done
	rm -rf "$x"
}

# disk_initramfs OUT MODDIR WRITTEN: the initramfs; WRITTEN is the file
# the guest writes to the disk
disk_initramfs() {
	"$MKINITRAMFS" -o "$1" -i "$LINUX_ROOT/tests/linux/disk-init.sh" \
		--modules "$2" -a "$3:/etc/pvboot/written" >/dev/null
}

# disk_value FILE KEY: the value of "PVBOOT-DISK KEY=..." ("(no KEY)")
disk_value() {
	tr -d '\r' <"$1" | awk -v k="PVBOOT-DISK $2=" -v key="$2" '
		index($0, k) == 1 { print substr($0, length(k) + 1); f = 1; exit }
		END { if (!f) print "(no " key ")" }'
}

# disk_part DISK OUT: partition 1 of a disk made by pvboot disk (its DOS
# entry) copied to OUT
disk_part() {
	local off

	off=$(od -An -tu4 -j 454 -N4 --endian=little "$1" | tr -d ' ')
	[ -n "$off" ] && [ "$off" -gt 0 ] &&
		dd if="$1" of="$2" bs=512 skip="$off" status=none
}

# fs_replay FS: replay the journal of the ext4 image FS and repair it, as
# a kernel mounting it again would find it (e2fsck -fy; exit status 0-2)
fs_replay() {
	e2fsck -fy "$1" >/dev/null 2>&1
	[ $? -le 2 ]
}

# fs_dump FS DIR PATH...: copy the files PATHs of FS into DIR (one
# debugfs run; missing files are missing in DIR)
fs_dump() {
	local fs=$1 dir=$2 p

	shift 2
	mkdir -p "$dir"
	for p in "$@"; do
		echo "dump $p $dir/${p##*/}"
	done >"$dir.cmds"
	debugfs -f "$dir.cmds" "$fs" >/dev/null 2>&1
	return 0
}
