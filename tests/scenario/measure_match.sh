#!/bin/bash
# SPDX-License-Identifier: MIT
# `pvboot measure` predicts what `pvboot create` puts into the SE header:
# PLD, ALD, TLD, nep and, with the host keys, the header tag.
. "$(dirname "$0")/image_common.bash"

fake_kernel kernel 0x28000
head -c 77777 /dev/urandom >initrd
printf 'a=b c=d' >parmfile
make_hkd h1 || exit 1
make_hkd h2 || exit 1
head -c 32 /dev/urandom >seed
head -c 64 /dev/urandom >image.key
head -c 32 /dev/urandom >hdr.key
in=(-i kernel -r initrd -p parmfile)

# (measure runs the builder's code: that the two agree shows the options
# are handled alike; indep_check.sh checks the values independently)
for layout in r c; do
	rm -f se-$layout.img info.json m.json m.hex
	"$PVBOOT" create "${in[@]}" -k h1.crt -k h2.crt --no-verify \
		--reproducible seed --image-key image.key --hdr-key hdr.key \
		--layout $layout --enable-pckmo-hmac -o se-$layout.img -q
	ran "layout $layout: create exits 0"
	"$PVBOOT" info --format json se-$layout.img >info.json 2>/dev/null
	ran "layout $layout: info exits 0"
	"$PVBOOT" measure "${in[@]}" --reproducible seed --image-key image.key \
		--layout $layout --enable-pckmo-hmac --format json >m.json
	ran "layout $layout: measure exits 0"
	for f in pld ald tld; do
		check "layout $layout: measured ${f^^} equals the header's" \
			eq "$(json_get m.json "d['data']['${f}_hex']")" \
			"$(json_get info.json "d['data']['${f}_hex']")"
	done
	check "layout $layout: measured nep equals the header's" \
		eq "$(json_get m.json "d['data']['nep']")" \
		"$(json_get info.json "d['data']['nep']")"
	check "layout $layout: no tag without host keys" \
		eval "grep -q pld_hex m.json && ! grep -q tag_hex m.json"
	"$PVBOOT" measure "${in[@]}" --reproducible seed --image-key image.key \
		--layout $layout --enable-pckmo-hmac -k h1.crt,h2.crt \
		--hdr-key hdr.key --format hex >m.hex
	ran "layout $layout: measure with host keys exits 0"
	check "layout $layout: hex PLD||ALD||TLD||tag equals the header's" \
		eq "$(cat m.hex)" "$(json_get info.json \
			"d['data']['pld_hex'] + d['data']['ald_hex'] + d['data']['tld_hex'] + d['data']['tag_hex']")"
done

"$PVBOOT" measure "${in[@]}" --reproducible seed --image-key image.key \
	>m.txt
ran "text output: measure exits 0"
check "text output has PLD, ALD, TLD and nep" \
	test "$(cut -d' ' -f1 m.txt | tr '\n' ' ')" = "PLD ALD TLD nep "
"$PVBOOT" info --format json se-r.img >info-r.json 2>/dev/null
check "other flags do not change the digests (only the header)" \
	eq "$(sed -n 1p m.txt | cut -d' ' -f2)" \
	"$(json_get info-r.json "d['data']['pld_hex']")"
"$PVBOOT" measure "${in[@]}" --reproducible seed >m2.txt
ran "measure with a derived image key exits 0"
check "another image key gives another PLD, same ALD" sh -c \
	"test -n \"\$(sed -n 1p m.txt)\" && test -n \"\$(sed -n 1p m2.txt)\" &&
	 test \"\$(sed -n 1p m.txt)\" != \"\$(sed -n 1p m2.txt)\" &&
	 test \"\$(sed -n 2p m.txt)\" = \"\$(sed -n 2p m2.txt)\""
expect_rc "measure needs the seed" 2 "--reproducible" \
	"$PVBOOT" measure "${in[@]}"
expect_rc "measure has no --output" 2 "no image" \
	"$PVBOOT" measure "${in[@]}" --reproducible seed -o x.img
expect_rc "measure checks the kernel like create" 1 "S390EP" \
	"$PVBOOT" measure -i initrd --reproducible seed
expect_rc "bad --format" 2 "text, hex or json" \
	"$PVBOOT" measure "${in[@]}" --reproducible seed --format xml

done_testing
