#!/bin/bash
# SPDX-License-Identifier: MIT
# `make demo`: make a test host key + host-key document, build an SE image of
# pvboot's test kernel with a parmfile and a random initrd, boot it protected
# and show the console; then boot a tampered copy and show the refusal.
set -euo pipefail

BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PVBOOT="$ROOT/$BUILD/pvboot"
DEMO="$ROOT/$BUILD/demo"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
[ -t 1 ] || say() { printf '\n== %s\n' "$*"; }

rm -rf "$DEMO"
mkdir -p "$DEMO"
cd "$DEMO"

say "1. test PKI, host key and host-key document (pvboot hostkey)"
"$PVBOOT" hostkey --out-dir pki

say "2. inputs: test kernel, parmfile, 4 MiB random initrd"
cp "$ROOT/$BUILD/boot/testkernel.bin" kernel.bin
printf 'console=sclp pvboot.demo=1 hello from the parmfile' >parmfile
head -c $((4 * 1024 * 1024)) /dev/urandom >initrd.img
ls -l kernel.bin parmfile initrd.img

say "3. create the Secure Execution image (pvboot create)"
"$PVBOOT" create -i kernel.bin -r initrd.img -p parmfile -o demo.img \
	-k pki/host.crt -C pki/ibm-signing.crt -C pki/inter-ca.crt \
	--root-ca pki/root-ca.crt --crl pki/root-ca.crl \
	--crl pki/inter-ca.crl --crl pki/ibm-signing.crl --offline
ls -l demo.img

say "4. inspect it (pvboot info)"
"$PVBOOT" info --format text demo.img

say "5. boot it protected (pvboot run): stage3a -> DIAG 308 -> UV unpack/verify -> stage3b -> kernel"
"$PVBOOT" run demo.img --host-key pki/host.key

say "6. boot a tampered copy: one byte of the encrypted kernel flipped"
cp demo.img tampered.img
# first component (the kernel) starts at 0x15000 with one host key
printf '\xff' | dd of=tampered.img bs=1 seek=$((0x15000 + 100)) conv=notrunc status=none
if "$PVBOOT" run tampered.img --host-key pki/host.key; then
	echo "demo: the tampered image booted - this must not happen" >&2
	exit 1
fi
echo "(refused as expected: exit status 1)"
