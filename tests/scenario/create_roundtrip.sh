#!/bin/bash
# SPDX-License-Identifier: MIT
# create -> info -> verify -> decrypt the components back to the inputs,
# for both layouts, with 1, 2 and 95 host keys; a 96th is refused.
. "$(dirname "$0")/image_common.bash"

fake_kernel kernel 0x31234
head -c 300001 /dev/urandom >initrd
printf 'root=/dev/ram0 console=ttysclp0' >parmfile
head -c 32 /dev/urandom >hdr.key
for i in 1 2 3; do make_hkd "h$i" || exit 1; done
# many host keys: the test PKI of `pvboot hostkey` (host.crt, host2.crt, ...)
"$PVBOOT" hostkey --out-dir pki --hosts 96 -q || exit 1

for layout in r c; do
	img=se-$layout.img
	check "create layout $layout" "$PVBOOT" create -i kernel -r initrd \
		-p parmfile -k h1.crt --no-verify --hdr-key hdr.key \
		--layout $layout -o $img -q
	check "verify layout $layout with the header key and the inputs" \
		"$PVBOOT" verify --hdr-key hdr.key -i kernel -r initrd \
		-p parmfile $img
	check "verify layout $layout with the host private key" \
		"$PVBOOT" verify --host-key h1.key $img
	"$PVBOOT" info --format json --hdr-key hdr.key --show-secrets $img \
		>info-$layout.json 2>/dev/null
	check "info json of layout $layout names the layout" \
		test "$(json_get info-$layout.json 'd["image"]["layout"]')" = $layout
	check "info json of layout $layout: 4 components, 1 key slot" \
		test "$(json_get info-$layout.json \
			'len(d["image"]["components"]), d["data"]["nks"]')" = "4 1"
	rm -rf dec
	check "decrypt layout $layout components with libcrypto" \
		decrypt_comps info-$layout.json $img dec
	check "layout $layout kernel decrypts to the input" \
		same_padded kernel dec/kernel
	check "layout $layout initrd decrypts to the input" \
		same_padded initrd dec/initrd
	check "layout $layout cmdline decrypts to the input plus NUL" \
		same_padded parmfile dec/cmdline 00
done
expect_rc "info text shows layout R" 0 "layout R \(pvimg\)" \
	"$PVBOOT" info --format text se-r.img
expect_rc "info text shows layout C" 0 "layout C \(genprotimg\)" \
	"$PVBOOT" info --format text se-c.img
check "Layout-R file ends after the IPIB (not page aligned)" \
	test $(($(stat -c %s se-r.img) % 4096)) -ne 0
check "Layout-C file ends with stage3b (page aligned)" \
	test $(($(stat -c %s se-c.img) % 4096)) -eq 0

# two host keys: both can open the image, a third cannot
check "create with two host-key documents (a,b list)" \
	"$PVBOOT" create -i kernel -k h1.crt,h2.crt --no-verify -o two.img -q
check "host key 1 opens the two-key image" \
	"$PVBOOT" verify --host-key h1.key two.img
check "host key 2 opens the two-key image" \
	"$PVBOOT" verify --host-key h2.key two.img
expect_rc "host key 3 does not open it" 2 "no key slot" \
	"$PVBOOT" verify --host-key h3.key two.img

# 95 host keys fit (two header pages), the 96th is refused
args=()
args=(-k pki/host.crt)
for i in $(seq 2 95); do args+=(-k "pki/host$i.crt"); done
check "create with 95 host-key documents" \
	"$PVBOOT" create -i kernel "${args[@]}" --no-verify -o k95.img -q
check "95-key header is 8160 bytes" \
	test "$("$PVBOOT" info --format json k95.img 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["sehs"])')" = 8160
check "host key 95 opens the 95-key image" \
	"$PVBOOT" verify --host-key pki/host95.key k95.img
expect_rc "the 96th host-key document is refused" 2 "at most 95" \
	"$PVBOOT" create -i kernel "${args[@]}" -k pki/host96.crt --no-verify \
	-o k96.img -q
check "no image after the refused 96th key" no_leftovers . k96.img

# genprotimg argv[0]
ln -s "$PVBOOT" genprotimg
check "genprotimg (argv[0]) creates an image" \
	./genprotimg -i kernel -k h1.crt --no-verify -o gen.img -q
check "genprotimg image verifies" \
	"$PVBOOT" verify --host-key h1.key gen.img
expect_rc "genprotimg --version must stand alone" 2 "only argument" \
	./genprotimg --version -i kernel

done_testing
