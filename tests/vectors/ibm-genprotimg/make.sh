#!/bin/bash
# SPDX-License-Identifier: MIT
# Regenerate the images of this directory with IBM's genprotimg (README.md
# says which build made the committed ones).  Not run by the tests: the
# tool is not packaged by Debian.
#
# usage: GENPROTIMG=/path/to/genprotimg PVBOOT=build/pvboot \
#        tests/vectors/ibm-genprotimg/make.sh TESTKERNEL
set -euo pipefail
D=$(cd "$(dirname "$0")" && pwd)
K=${1:?usage: make.sh TESTKERNEL (build/boot/testkernel.bin)}
G=${GENPROTIMG:?GENPROTIMG: the path of genprotimg}
P=${PVBOOT:-pvboot}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# the host keys: pvboot's test PKI from the fixed seed of this directory
"$P" hostkey --out-dir "$T/pki" -n 2 --seed "$D/pki.seed" -q
# a: one host key, parmfile, initrd, the component and header keys given
"$G" -i "$K" -r "$D/initrd.bin" -p "$D/parm" -k "$T/pki/host.crt" \
	--x-comp-key "$D/comp.key" --x-header-key "$D/hdr.key" \
	--no-verify -o "$T/a.img" 2>/dev/null
# b: two host keys, no parmfile, no initrd, keys of genprotimg's choosing
"$G" -i "$K" -k "$T/pki/host.crt" -k "$T/pki/host2.crt" --no-verify \
	-o "$T/b.img" 2>/dev/null
for n in a b; do
	xz -9 -c "$T/$n.img" >"$D/$n.img.xz.new"
	mv -f "$D/$n.img.xz.new" "$D/$n.img.xz"
	sha256sum "$T/$n.img" | sed "s|$T/||"
done
