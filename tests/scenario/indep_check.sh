#!/bin/bash
# SPDX-License-Identifier: MIT
# pvboot against a second implementation (tests/indep/seref.py, Python
# with python3-cryptography, written from se-image-format.md alone):
# - the reference passes the known answers of §9 itself;
# - `pvboot create --reproducible` writes the very bytes the reference
#   builds (both layouts; the built loaders and random ones, which also
#   give the addresses of the worked example §2.4);
# - `pvboot measure` prints the PLD/ALD/TLD/nep and tag the reference
#   computed; the reference opens pvboot's images with a host key (key
#   slot, ECDH, KEK, GCM), recomputes the digests and finds the inputs;
# - `pvboot verify` accepts the reference's image and names each wrong
#   field of images the reference sealed with one field wrong;
# - `pvboot run` boots the reference's image of the test kernel.
. "$(dirname "$0")/image_common.bash"

find_pycrypto || {
	echo "not ok 1 - no python3 with the cryptography module (scripts/setup.sh installs python3-cryptography)"
	exit 1
}
REF=$ROOT/tests/indep/seref.py
BOOT=$ROOT/$BUILD/boot
ref() {
	"$PY" "$REF" "$@"
}

# same FILE FILE: identical, else say where they first differ
same() {
	if [ -s "$1" ] && cmp -s "$1" "$2"; then
		return 0
	fi
	cmp "$1" "$2" 2>&1 | head -1
	return 1
}

# js FILE KEY: a top-level value of a JSON object (or of its "data")
js() {
	json_get "$1" "d.get('data', d)['$2']"
}

check "the reference passes the known answers of se-image-format.md §9" \
	ref selftest

fake_kernel kernel 0x28000
head -c 77777 /dev/urandom >initrd
printf 'root=/dev/ram0 quiet' >parmfile
for h in h1 h2 h3; do make_hkd $h || exit 1; done
head -c 32 /dev/urandom >seed
head -c 32 /dev/urandom >hdr.key
head -c 64 /dev/urandom >image.key
head -c 32 /dev/urandom >cck
mkdir loaders
"$PY" -c "
import os
open('loaders/stage3a.bin', 'wb').write(os.urandom(0x2468))
open('loaders/stage3b_reloc.bin', 'wb').write(os.urandom(0x1e40))"
in=(-i kernel -r initrd -p parmfile)
keys=(-k h1.crt -k h2.crt)

# pv_and_ref NAME LOADERDIR|- [options...]: the same image from both
pv_and_ref() {
	local name=$1 dir=$2 s3a=$BOOT/stage3a.bin s3b=$BOOT/stage3b_reloc.bin
	local ld=()
	shift 2
	if [ "$dir" != - ]; then
		s3a=$dir/stage3a.bin
		s3b=$dir/stage3b_reloc.bin
		ld=(--x-bootloader-directory "$dir")
	fi
	rm -f pv-$name.img ref-$name.img
	"$PVBOOT" create --no-verify --reproducible seed "${ld[@]}" "$@" \
		-o pv-$name.img -q
	local rc=$?
	ref build --seed seed --stage3a "$s3a" --stage3b "$s3b" "$@" \
		-o ref-$name.img >ref-$name.json || return 1
	return $rc
}

for layout in r c; do
	check "layout $layout: create exits 0" pv_and_ref $layout - \
		--layout $layout "${in[@]}" "${keys[@]}"
	check "layout $layout: create writes the reference's bytes" \
		same pv-$layout.img ref-$layout.img
	check "layout $layout: the same with random loaders" \
		pv_and_ref $layout-ld loaders --layout $layout "${in[@]}" \
		"${keys[@]}"
	check "layout $layout: random loaders, the reference's bytes" \
		same pv-$layout-ld.img ref-$layout-ld.img
	check "layout $layout: given header key, image key and CCK" \
		pv_and_ref $layout-keys - --layout $layout "${in[@]}" \
		"${keys[@]}" --hdr-key hdr.key --image-key image.key --cck cck
	check "layout $layout: given keys, the reference's bytes" \
		same pv-$layout-keys.img ref-$layout-keys.img

	# measure: the digests the reference computed
	"$PVBOOT" measure "${in[@]}" --reproducible seed --layout $layout \
		--format json >m-$layout.json
	check "layout $layout: measure exits 0" test $? -eq 0
	for f in pld_hex ald_hex tld_hex nep; do
		check "layout $layout: measure's $f is the reference's" test \
			"$(js m-$layout.json $f 2>&1)" = \
			"$(js ref-$layout.json $f 2>&1)"
	done
	"$PVBOOT" measure "${in[@]}" --reproducible seed --layout $layout \
		"${keys[@]}" --hdr-key hdr.key --image-key image.key \
		--cck cck --format json >mt-$layout.json
	check "layout $layout: measure with host keys exits 0" test $? -eq 0
	check "layout $layout: measure's tag is the reference's" test \
		"$(js mt-$layout.json tag_hex 2>&1)" = \
		"$(js ref-$layout-keys.json tag_hex 2>&1)"

	# the reference opens pvboot's images, pvboot verifies the reference's
	rm -f rnd-$layout.img
	"$PVBOOT" create "${in[@]}" "${keys[@]}" --no-verify \
		--layout $layout -o rnd-$layout.img -q
	check "layout $layout: a random-key image (create exits 0)" \
		test $? -eq 0 -a -s rnd-$layout.img
	check "layout $layout: the reference opens it with h2.key, digests and inputs agree" \
		ref open rnd-$layout.img --host-key h2.key "${in[@]}"
	expect_rc "layout $layout: ... but not with a third host's key" 1 \
		"no key slot" ref open rnd-$layout.img --host-key h3.key
	expect_rc "layout $layout: verify accepts the reference's image" 0 \
		"verified: " "$PVBOOT" verify --host-key h1.key "${in[@]}" \
		ref-$layout.img
done

# no initrd, no parmfile; other flags; a parmfile that ends in NUL
rm -f pv-ko.img
"$PVBOOT" create --no-verify --reproducible seed -i kernel "${keys[@]}" \
	--enable-pckmo-hmac -o pv-ko.img -q
check "kernel only, --enable-pckmo-hmac: create exits 0" test $? -eq 0
# PCF 0xE0 (the default) | 0x10 (PCKMO HMAC), se-image-format.md §5.3
ref build --seed seed --stage3a "$BOOT/stage3a.bin" \
	--stage3b "$BOOT/stage3b_reloc.bin" -i kernel "${keys[@]}" --pcf f0 \
	-o ref-ko.img >/dev/null
check "kernel only: the reference's bytes" same pv-ko.img ref-ko.img
printf 'console=sclp\0' >parm-nul
check "parmfile with its own NUL" pv_and_ref nul - -i kernel -p parm-nul \
	-k h1.crt --layout c
check "parmfile with its own NUL: the reference's bytes" \
	same pv-nul.img ref-nul.img

# images the reference sealed correctly with one field wrong
ref_bad() {
	ref build --seed seed --stage3a "$BOOT/stage3a.bin" \
		--stage3b "$BOOT/stage3b_reloc.bin" "${in[@]}" -k h1.crt \
		--bad "$1" -o bad-$1.img >/dev/null
}
for bad in "pld:page list digest" "ald:address list digest" \
	"tld:tweak list digest" "nep:the header counts" \
	"psw-mask:PSW mask 0x0000000080000000" "padding:padding byte at"; do
	f=${bad%%:*}
	ref_bad $f || { not_ok "reference image with a wrong $f"; continue; }
	expect_rc "verify names a wrong $f" 2 "NOT verified: .*${bad#*:}" \
		"$PVBOOT" verify --host-key h1.key bad-$f.img
	expect_rc "the reference refuses a wrong $f too" 1 "seref: " \
		ref open bad-$f.img --host-key h1.key
done

# the worked example of se-image-format.md §2.4 (loaders of 0x2468 and
# 0x1E40 bytes, one host key, kernel 0x500000, initrd 0xA00000, 30-byte
# parmfile): pvboot's addresses are the specification's
fake_kernel bigk 0x500000
head -c $((0xA00000)) /dev/zero | tr '\0' 'i' >bigr
printf '%030d' 0 >parm30
# LAYOUT IPIB HDR KERNEL CMDLINE INITRD STAGE3B SIZE
for row in "c 0x13000 0x14000 0x15000 0x515000 0x516000 0xf16000 0xf18000" \
	"r 0xf18000 0x14000 0x15000 0xf15000 0x515000 0xf16000 0xf180e8"; do
	set -- $row
	check "§2.4 layout $1: create" pv_and_ref ex-$1 loaders --layout $1 \
		-i bigk -r bigr -p parm30 -k h1.crt
	"$PVBOOT" info --format json pv-ex-$1.img >ex-$1.json 2>/dev/null
	got=$(json_get ex-$1.json "' '.join(['0x%x' % int(d['image'][k], 16) for k in ('ipib_addr_hex', 'hdr_addr_hex')] + ['0x%x' % int(c['addr_hex'], 16) for k in ('kernel', 'cmdline', 'initrd', 'stage3b') for c in d['image']['components'] if c['kind'] == k])" 2>&1)
	check "§2.4 layout $1: addresses as in the table ($got)" \
		test "$got" = "$2 $3 $4 $5 $6 $7"
	check "§2.4 layout $1: file size $8" \
		test "$(stat -c %s pv-ex-$1.img 2>&1)" = "$(($8))"
	check "§2.4 layout $1: the reference's bytes" \
		same pv-ex-$1.img ref-ex-$1.img
done

# the UV of `pvboot run` boots what the reference built
printf 'console=sclp indep=1' >tk.parm
ref build --seed seed --stage3a "$BOOT/stage3a.bin" \
	--stage3b "$BOOT/stage3b_reloc.bin" -i "$BOOT/testkernel.bin" \
	-p tk.parm -k h1.crt -o tk.img >/dev/null
expect_rc "run boots the reference's image of the test kernel" 0 \
	"all checks passed" "$PVBOOT" run tk.img --host-key h1.key

done_testing
