#!/bin/bash
# SPDX-License-Identifier: MIT
# Build a gzip-compressed newc cpio initramfs for an s390x Linux guest from
# busybox-static: /init is the proof init (tests/linux/init-proof.sh) or a
# file of your own.
#
# usage: tests/linux/mkinitramfs.sh -o OUT [options]
#   -o, --output FILE        the initramfs to write (replaced atomically)
#   -b, --busybox FILE       static s390x busybox (default: the guest
#                            cache's, $PVBOOT_GUEST_CACHE/busybox)
#   -i, --init FILE          /init (default: the proof init)
#       --interactive        the proof init, then a shell on the console
#   -a, --add SRC:DST        add the file SRC as DST (repeatable)
#   -m, --module KO          add a kernel module; the init insmods them in
#                            the order given (repeatable)
#       --modules DIR        add DIR/NAME.ko for every NAME in DIR/order
#                            (the guest cache's KERNEL/modules)
#   -p, --payload-mib N      add /payload: N MiB of pseudo-random bytes,
#                            the same for the same seed
#       --payload-seed TEXT  seed of the payload (default "pvboot")
#
# On success prints "payload-sha256=<hex>" (or "payload-sha256=none") on
# standard output: the value the proof init must print.  The payload is
# the AES-256-CTR keystream (key SHA-256(seed), IV 0) of N MiB.
# Exit status: 0 written; 1 error (nothing written); 2 usage error.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${PVBOOT_GUEST_CACHE:-/var/cache/pvboot/guests}
OUT=
BUSYBOX=$CACHE/busybox
INIT=$HERE/init-proof.sh
MODE=
ADDS=()
MODS=()
PAYLOAD_MIB=0
SEED=pvboot

usage() {
	sed -n '/^# usage:/,/^#$/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}
die() {
	echo "mkinitramfs: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	-o|--output|-b|--busybox|-i|--init|-a|--add|-m|--module|--modules|\
	-p|--payload-mib|--payload-seed)
		[ $# -ge 2 ] || { echo "mkinitramfs: $1 needs a value" >&2; usage; } ;;
	esac
	case "$1" in
	-o|--output) OUT=$2; shift 2 ;;
	-b|--busybox) BUSYBOX=$2; shift 2 ;;
	-i|--init) INIT=$2; shift 2 ;;
	--interactive) MODE=shell; shift ;;
	-a|--add) ADDS+=("$2"); shift 2 ;;
	-m|--module) MODS+=("$2"); shift 2 ;;
	--modules)
		[ -f "$2/order" ] || die "'$2/order' does not exist"
		while read -r m; do
			[ -n "$m" ] && MODS+=("$2/$m.ko")
		done <"$2/order"
		shift 2 ;;
	-p|--payload-mib) PAYLOAD_MIB=$2; shift 2 ;;
	--payload-seed) SEED=$2; shift 2 ;;
	-h|--help) usage ;;
	*) echo "mkinitramfs: unknown argument '$1'" >&2; usage ;;
	esac
done
[ -n "$OUT" ] || { echo "mkinitramfs: -o OUT is required" >&2; usage; }
case "$PAYLOAD_MIB" in
''|*[!0-9]*) die "--payload-mib wants a whole number of MiB, got '$PAYLOAD_MIB'" ;;
esac
[ "$PAYLOAD_MIB" -le 1024 ] || die "--payload-mib $PAYLOAD_MIB is larger than 1024"
[ -f "$BUSYBOX" ] || die "busybox '$BUSYBOX' does not exist (run scripts/fetch-guests.sh, or give -b)"
[ -f "$INIT" ] || die "init '$INIT' does not exist"
for t in cpio gzip openssl sha256sum; do
	command -v "$t" >/dev/null || die "$t not found (scripts/setup.sh installs it)"
done
# the busybox must be a static s390x ELF (big-endian, machine 22)
[ "$(od -An -tx1 -j0 -N6 "$BUSYBOX" | tr -d ' ')" = 7f454c460202 ] &&
	[ "$(od -An -tx1 -j18 -N2 "$BUSYBOX" | tr -d ' ')" = 0016 ] ||
	die "'$BUSYBOX' is not a 64-bit s390x ELF executable"

OUTDIR=$(dirname -- "$OUT")
[ -d "$OUTDIR" ] || die "the output directory '$OUTDIR' does not exist"
ST=$(mktemp -d "${TMPDIR:-/tmp}/pvboot-initramfs.XXXXXX")
TMP_OUT=
cleanup() {
	rm -rf "$ST"
	[ -z "$TMP_OUT" ] || rm -f "$TMP_OUT"
}
trap cleanup EXIT
R=$ST/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,etc/pvboot,lib/modules}
cp "$BUSYBOX" "$R/bin/busybox"
chmod 0755 "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
cp "$INIT" "$R/init"
chmod 0755 "$R/init"
[ -z "$MODE" ] || echo "$MODE" >"$R/etc/pvboot/mode"
# /dev/console for the kernel to open before /init runs (only root can
# make the node; otherwise the kernel's built-in initramfs has one)
[ "$(id -u)" -eq 0 ] && mknod -m 0600 "$R/dev/console" c 5 1

for m in ${MODS[@]+"${MODS[@]}"}; do
	[ -f "$m" ] || die "module '$m' does not exist"
	n=$(basename "$m")
	n=${n%.ko}
	case "$n" in
	*.ko.*|*/*) die "module '$m': give an uncompressed .ko" ;;
	esac
	cp "$m" "$R/lib/modules/$n.ko"
	echo "$n" >>"$R/etc/pvboot/modules"
done

for a in ${ADDS[@]+"${ADDS[@]}"}; do
	src=${a%%:*}
	dst=${a#*:}
	[ "$src" != "$a" ] && [ -n "$dst" ] || die "--add wants SRC:DST, got '$a'"
	[ -f "$src" ] || die "--add: '$src' does not exist"
	dst=/${dst#/}
	case "/$dst/" in
	*/../*) die "--add: '$dst' leaves the initramfs" ;;
	esac
	mkdir -p "$R$(dirname "$dst")"
	cp "$src" "$R$dst"
done

SUM=none
if [ "$PAYLOAD_MIB" -gt 0 ]; then
	key=$(printf '%s' "$SEED" | sha256sum | cut -d' ' -f1)
	head -c $((PAYLOAD_MIB << 20)) /dev/zero |
		openssl enc -aes-256-ctr -nosalt -K "$key" \
			-iv 00000000000000000000000000000000 >"$R/payload"
	[ "$(stat -c %s "$R/payload")" -eq $((PAYLOAD_MIB << 20)) ] ||
		die "could not generate the payload"
	SUM=$(sha256sum <"$R/payload" | cut -d' ' -f1)
fi

# newc, owner root, fixed mtimes: the same inputs give the same archive
find "$R" -exec touch -h -d @0 {} +
TMP_OUT=$(mktemp "$OUTDIR/.initramfs.XXXXXX")
(cd "$R" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -6 >"$TMP_OUT"
chmod 0644 "$TMP_OUT"
mv -f "$TMP_OUT" "$OUT"
TMP_OUT=
echo "payload-sha256=$SUM"
