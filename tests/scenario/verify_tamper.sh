#!/bin/bash
# SPDX-License-Identifier: MIT
# `pvboot verify`: good images verify (exit 0); one flipped byte in every
# region - SE header, metadata, IPIB, stage3a, each component, stage3b
# arguments - is found and named (exit 2); errors are exit 1.
. "$(dirname "$0")/image_common.bash"

S3B=$ROOT/$BUILD/boot/stage3b_reloc.bin
fake_kernel kernel 0x30000
head -c 200000 /dev/urandom >initrd
printf 'quiet' >parmfile
make_hkd h1 || exit 1
head -c 32 /dev/urandom >hdr.key
head -c 32 /dev/urandom >other.key
head -c 64 /dev/urandom >image.key
find_pycrypto || {
	echo "not ok 1 - no python3 with the cryptography module"
	exit 1
}
inputs=(-i kernel -r initrd -p parmfile)

for layout in r c; do
	img=good-$layout.img
	"$PVBOOT" create "${inputs[@]}" -k h1.crt --no-verify --hdr-key hdr.key \
		--image-key image.key --layout $layout -o $img -q || {
		echo "not ok 1 - create failed"
		exit 1
	}
	"$PVBOOT" info --format json $img >$layout.json 2>/dev/null
	expect_rc "layout $layout: the good image verifies" 0 "verified" \
		"$PVBOOT" verify --hdr-key hdr.key $img
	hdr=$(json_get $layout.json 'int(d["image"]["hdr_addr_hex"], 16)')
	ipib=$(json_get $layout.json 'int(d["image"]["ipib_addr_hex"], 16)')
	addr() {
		json_get $layout.json "[int(c['addr_hex'], 16) for c in d['image']['components'] if c['kind'] == '$1'][0]"
	}

	# tamper NAME OFFSET REGEX [verify args]: flip, verify, expect exit 2
	tamper() {
		local name=$1 off=$2 pat=$3
		shift 3
		cp $img t.img
		flip t.img $off ${FLIPBIT:-0}
		expect_rc "layout $layout, $name: not verified, names it" 2 \
			"NOT verified: $pat" "$PVBOOT" verify --hdr-key hdr.key \
			"$@" t.img
	}
	tamper "header magic" $((hdr + 2)) "SE header"
	tamper "header nep" $((hdr + 0x37)) "SE header"
	tamper "header key slot" $((hdr + 0x1A0 + 40)) "SE header"
	tamper "header encrypted part" $((hdr + 0x1F0 + 3)) "SE header"
	tamper "header tag" $((hdr + 0x27F)) "SE header"
	tamper "IPIB tweak prefix" $((ipib + 0x88 + 7)) "IPIB"
	tamper "IPIB component address" $((ipib + 0x88 + 24 + 14)) "IPIB"
	tamper "IPIB header size" $((ipib + 0x87)) "IPIB"
	tamper "short PSW" 6 "stage3a"
	tamper "stage3a code" $((0x10010)) "stage3a"
	k=$(addr kernel)
	r=$(addr initrd)
	c=$(addr cmdline)
	s=$(addr stage3b)
	tamper "kernel page, no inputs" $((k + 0x3005)) "components: page list digest"
	tamper "kernel page 3, with inputs" $((k + 0x3005)) \
		"component kernel page 3 at 0x$(printf %x $((k + 0x3000)))" \
		"${inputs[@]}"
	tamper "initrd page 40, with inputs" $((r + 40 * 4096 + 9)) \
		"component initrd page 40" "${inputs[@]}"
	tamper "cmdline page, with inputs" $((c + 1)) \
		"component cmdline page 0 .*differs from the input" "${inputs[@]}"
	# Flipping a bit of the ciphertext turns its 16-byte XTS block into
	# noise: the NUL after "quiet" stays zero for one flip in 256, and
	# then only the PLD tells.  With the image key known, take a bit
	# whose flip really changes the NUL.
	pref=$(json_get $layout.json "[c['tweak_pref_hex'] for c in d['image']['components'] if c['kind'] == 'cmdline'][0]")
	cbit=$("$PY" - "$ROOT/tests/indep" $img $c "$pref" 5 <<'PYEOF'
import sys
sys.path.insert(0, sys.argv[1])
import seref
img, addr, pref, nul = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
page = open(img, "rb").read()[addr:addr + 4096]
xk = open("image.key", "rb").read()
for bit in range(8):
    p = bytearray(page)
    p[1] ^= 1 << bit
    if seref.xts_page(xk, bytes.fromhex(pref) + bytes(8), bytes(p), False)[nul]:
        print(bit)
        break
PYEOF
)
	FLIPBIT=${cbit:-none} tamper "cmdline page, no inputs (bit ${cbit:-none})" \
		$((c + 1)) "component cmdline page 0 .*NUL"
	tamper "stage3b code" $((s + 0x40)) "component stage3b page 0"
	tamper "stage3b arguments" $(($s + $(stat -c %s "$S3B") - 64 + 12)) \
		"stage3b arguments"
done

# the Layout-R metadata block
tamper_r() {
	cp good-r.img t.img
	flip t.img $2
	expect_rc "metadata $1: not verified, names it" 2 \
		"NOT verified: image metadata" \
		"$PVBOOT" verify --hdr-key hdr.key t.img
}
tamper_r "magic" $((0xC001))
tamper_r "header offset" $((0xC00D))
tamper_r "IPIB offset" $((0xC01A))

expect_rc "a wrong header key: not verified (SE header)" 2 "SE header" \
	"$PVBOOT" verify --hdr-key other.key good-r.img
check "quiet prints nothing but keeps the status 2" sh -c \
	"out=\$('$PVBOOT' verify -q --hdr-key other.key good-r.img 2>&1);
	 test \$? -eq 2 && test -z \"\$out\""
expect_rc "an input that is not in the image" 2 "differs from the input" \
	"$PVBOOT" verify --hdr-key hdr.key -r kernel good-r.img
expect_rc "a header key of the wrong size is an error" 1 "exactly 32 bytes" \
	"$PVBOOT" verify --hdr-key parmfile good-r.img
expect_rc "a missing image is an error" 1 "cannot open image" \
	"$PVBOOT" verify --hdr-key hdr.key none.img
expect_rc "a missing input is an error" 1 "cannot open kernel" \
	"$PVBOOT" verify --hdr-key hdr.key -i nokernel good-r.img
expect_rc "a key is required" 2 "either --hdr-key or --host-key" \
	"$PVBOOT" verify good-r.img

done_testing
