#!/bin/bash
# SPDX-License-Identifier: MIT
# `make demo`: a real protected Linux on pvboot.  Makes a test PKI and a
# host-key document, takes Debian's PV-aware s390x kernel (bookworm-
# backports) and busybox from the guest cache (scripts/fetch-guests.sh
# fills it from Debian's registry on the first run), builds an initramfs
# whose init proves where it runs, makes a Secure Execution image with the
# whole certificate chain checked, boots it protected and shows the
# console and the time; then boots a copy with one kernel byte flipped and
# shows the Ultravisor refusing it.  Without the guest cache (no network
# on the first run) it falls back to pvboot's own test kernel.
set -euo pipefail

BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
PVBOOT=${PVBOOT:-$BUILD/pvboot}
DEMO=${DEMO_DIR:-$BUILD/demo}
CACHE=${PVBOOT_GUEST_CACHE:-/var/cache/pvboot/guests}

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
[ -t 1 ] || say() { printf '\n== %s\n' "$*"; }

rm -rf "$DEMO"
mkdir -p "$DEMO"
cd "$DEMO"
T0=$(date +%s.%N)

say "1. test PKI, host key and host-key document (pvboot hostkey)"
"$PVBOOT" hostkey --out-dir pki

LINUX=1
say "2. the guest: Debian's PV-aware s390x kernel and busybox (from Debian's registry, cached)"
if ! bash "$ROOT/scripts/fetch-guests.sh" -q; then
	echo "demo: the Debian guests are unavailable (no network on a first run?); using pvboot's test kernel" >&2
	LINUX=0
fi
if [ "$LINUX" = 1 ]; then
	cp "$CACHE/bpo/vmlinuz" kernel
	printf 'console=ttysclp0 quiet' >parmfile
	"$ROOT/tests/linux/mkinitramfs.sh" -o initrd.gz -p 4 \
		--modules "$CACHE/bpo/modules" >/dev/null
	echo "kernel $(cat "$CACHE/bpo/info" 2>/dev/null | sed -n 's/^release=//p' | head -n 1)"
else
	cp "$BUILD/boot/testkernel.bin" kernel
	printf 'console=sclp pvboot.demo=1 hello from the parmfile' >parmfile
	head -c $((4 * 1024 * 1024)) /dev/urandom >initrd.gz
fi
ls -l kernel initrd.gz parmfile

say "3. create the Secure Execution image (pvboot create, certificate chain and CRLs checked)"
"$PVBOOT" create -i kernel -r initrd.gz -p parmfile -o demo.img \
	-k pki/host.crt -C pki/ibm-signing.crt -C pki/inter-ca.crt \
	--root-ca pki/root-ca.crt --crl pki/root-ca.crl \
	--crl pki/inter-ca.crl --crl pki/ibm-signing.crl --offline
ls -l demo.img

say "4. inspect it (pvboot info)"
"$PVBOOT" info --format text demo.img 2>/dev/null | head -n 30

say "5. boot it protected (pvboot run): stage3a -> DIAG 308 -> UV unpack/verify -> stage3b -> kernel -> init"
"$PVBOOT" run demo.img --host-key pki/host.key --memory 512M --no-input \
	--timeout 120

say "6. boot a tampered copy: one byte of the encrypted kernel flipped"
cp demo.img tampered.img
off=$("$PVBOOT" info --format json demo.img 2>/dev/null | python3 -c '
import json, sys
c = json.load(sys.stdin)["image"]["components"][0]
print(int(c["addr_hex"], 16) + 100)')
printf '\xff' | dd of=tampered.img bs=1 seek="$off" conv=notrunc status=none
if "$PVBOOT" run tampered.img --host-key pki/host.key --no-input \
	--timeout 60; then
	echo "demo: the tampered image booted - this must not happen" >&2
	exit 1
fi
echo "(refused as expected: exit status 1)"

T1=$(date +%s.%N)
say "done in $(python3 -c "print('%.1f' % ($T1 - $T0))") s"
if [ "$LINUX" = 1 ]; then
	echo "Talk to the protected Linux's shell yourself (Ctrl-a x quits):"
	echo "  $ROOT/tests/linux/mkinitramfs.sh -o $DEMO/shell.gz --interactive"
	echo "  $PVBOOT create -i $DEMO/kernel -r $DEMO/shell.gz -p $DEMO/parmfile -o $DEMO/shell.img -k $DEMO/pki/host.crt --no-verify"
	echo "  $PVBOOT run $DEMO/shell.img --host-key $DEMO/pki/host.key --memory 512M"
fi
