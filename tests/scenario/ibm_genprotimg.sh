#!/bin/bash
# SPDX-License-Identifier: MIT
# Images made by IBM's own genprotimg boot on pvboot (issue 12 §4).
# Debian packages neither genprotimg nor pvimg, so the two images of
# tests/vectors/ibm-genprotimg/ were made once by genprotimg 2.35.0 built
# from IBM's s390-tools source (README.md there: how, and their SHA-256),
# with host keys of pvboot's test PKI from a fixed seed.  They carry IBM's
# loaders, IBM's SE header and IBM's layout around pvboot's test kernel:
# a: one host key, parmfile, 24 KiB initrd, known component and header keys
# b: two host keys, no parmfile, no initrd, keys of genprotimg's choosing
# Checked: the images are the ones IBM's tool wrote; `info` reads their
# header; `verify` opens them with the header key and with each host key
# and recomputes IBM's PLD/ALD/TLD; `run` boots each protected with each of
# its host keys (cmdline and initrd as given), refuses a host key the image
# was not made for, and a changed kernel page ends in the UV's verify
# failure, reported by IBM's stage3a.
#
# TAP; environment PVBOOT and BUILD as for tests/scenario.
. "$(dirname "$0")/run_common.bash"
V=$ROOT/tests/vectors/ibm-genprotimg

# the test PKI of the vectors: same seed, same host keys
check "the vectors' host keys come back from their seed" \
	"$PVBOOT" hostkey --out-dir vpki -n 2 --seed "$V/pki.seed" -q
for n in a b; do
	xz -dc "$V/$n.img.xz" >"$n.img"
	is_sum=$(sha256sum <"$n.img" | cut -d' ' -f1)
	want=$(sed -n "s/^\([0-9a-f]\{64\}\)  $n.img\$/\1/p" "$V/SHA256SUMS")
	if [ -n "$want" ] && [ "$is_sum" = "$want" ]; then
		ok "$n.img is the image genprotimg wrote (SHA-256 $want)"
	else
		not_ok "$n.img is the image genprotimg wrote" "got '$is_sum'" "want '$want'"
	fi
done

# ---- info: IBM's header ----------------------------------------------------------
# info_value IMG KEY: a top-level value of `pvboot info` (JSON)
info_value() {
	"$PVBOOT" info "$1" 2>/dev/null | python3 -c '
import json, sys
print(json.load(sys.stdin)["data"][sys.argv[1]])' "$2"
}
for spec in a:1:29 b:2:22; do
	IFS=: read -r n nks nep <<<"$spec"
	check "info $n.img: the SE header magic" \
		test "$(info_value "$n.img" magic_hex)" = 49424d5365634578
	check "info $n.img: $nks key slot(s), $nep encrypted pages" \
		test "$(info_value "$n.img" nks):$(info_value "$n.img" nep)" = "$nks:$nep"
	check "info $n.img: genprotimg's default plaintext flags 0xe0" \
		test "$(info_value "$n.img" pcf_hex)" = 00000000000000e0
done

# ---- verify: IBM's digests recomputed -------------------------------------------------
# vfy DESCRIPTION WANT ARGS...: `pvboot verify`, its exit status is WANT
vfy() {
	local d=$1 want=$2
	shift 2
	"$PVBOOT" verify "$@" >vout 2>verr
	RC=$?
	if [ "$RC" -eq "$want" ]; then
		ok "$d (exit $RC)"
	else
		not_ok "$d (exit $RC, want $want)" "$(cat vout verr | tr '\n' '|')"
	fi
}
vfy "verify a.img with its header key, initrd and parmfile" 0 \
	--hdr-key "$V/hdr.key" -r "$V/initrd.bin" -p "$V/parm" a.img
check "... every page and IBM's PLD/ALD/TLD" has vout "29 pages, PLD/ALD/TLD match"
vfy "verify a.img with the host key" 0 --host-key vpki/host.key a.img
vfy "verify b.img with the first host key" 0 --host-key vpki/host.key b.img
vfy "verify b.img with the second host key" 0 --host-key vpki/host2.key b.img
check "... 22 pages" has vout "22 pages, PLD/ALD/TLD match"
vfy "verify a.img with a host key it was not made for" 2 \
	--host-key vpki/host2.key a.img
check "... says no key slot fits" grep -q "no key slot for this host key" vout
head -c 63 "$V/initrd.bin" >short.initrd
vfy "verify a.img against another initrd" 2 --hdr-key "$V/hdr.key" \
	-r short.initrd a.img
check "... names the initrd" grep -qi "initrd\|ramdisk" vout

# ---- run: protected boot ----------------------------------------------------------------
# boot NAME IMG KEY CMDLINE INITRD_SHA256: boot IMG with KEY, check the test
# kernel's report
boot() {
	local n=$1 img=$2 key=$3 cmd=$4 isum=$5
	run_pvboot "$n.out" "$n.err" "$img" --host-key "$key" --no-input \
		--timeout 60
	expect_exit "run $n: the test kernel passes" 0
	check "run $n: all checks passed" has "$n.out" "pvboot test kernel: all checks passed"
	check "run $n: protected, one switch" has "$n.out" "protected:   yes (1 switch"
	check "run $n: the UV verified IBM's header" has "$n.out" "verify:      rc 0x0001 rrc 0x0000 (ok)"
	check "run $n: the kernel's command line" \
		test "$(sed -n 's/^cmdline: //p' "$n.out")" = "$cmd"
	if [ "$isum" = none ]; then
		check "run $n: no initrd" has "$n.out" "initrd: none"
	else
		check "run $n: the initrd's SHA-256 in the guest" \
			has "$n.out" "initrd sha256: $isum"
	fi
}
boot a a.img vpki/host.key "$(cat "$V/parm")" \
	"$(sha256sum <"$V/initrd.bin" | cut -d' ' -f1)"
boot b1 b.img vpki/host.key "" none
boot b2 b.img vpki/host2.key "" none

# a host key without a slot in the image: the UV refuses (no key slot),
# DIAG 308 subcode 10 fails and IBM's stage3a stops in its wait
run_pvboot w.out w.err a.img --host-key vpki/host2.key --no-input --timeout 60
expect_exit "run a.img with a host key it was not made for" 1
check "... DIAG 308 subcode 10 failed" has w.out "DIAG 308 subcode 10 returned"
check "... nothing was unpacked" has w.out "verify:      not reached"

# one byte of an encrypted kernel page changed: the UV's verify fails and
# the image was never entered
cp a.img t.img
flip t.img $((0x18000))
vfy "verify a.img with a changed kernel page" 2 --hdr-key "$V/hdr.key" t.img
check "... PLD mismatch" grep -q "page list digest (PLD) mismatch" vout
run_pvboot t.out t.err t.img --host-key vpki/host.key --no-input --timeout 60
expect_exit "run a.img with a changed kernel page" 1
check "... the UV's verify failed" has t.out "(failed)"
check "... and the guest never ran protected" has t.out "protected:   no (0 switches"
finish
