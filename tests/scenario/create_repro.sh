#!/bin/bash
# SPDX-License-Identifier: MIT
# --reproducible: same inputs + seed give identical bytes (both layouts),
# another seed or no seed gives other bytes; the loaders of
# --x-bootloader-directory are used.
. "$(dirname "$0")/image_common.bash"

fake_kernel kernel 0x24000
head -c 123457 /dev/urandom >initrd
printf 'console=ttysclp0\n' >parmfile
make_hkd h1 || exit 1
make_hkd h2 || exit 1
head -c 48 /dev/urandom >seed
head -c 48 /dev/urandom >seed2
args=(-i kernel -r initrd -p parmfile -k h1.crt,h2.crt --no-verify -q)

for layout in r c; do
	rc=0
	for x in a:seed b:seed c:seed2 d: e:; do
		seedopt=()
		[ -n "${x#*:}" ] && seedopt=(--reproducible "${x#*:}")
		"$PVBOOT" create "${args[@]}" --layout $layout "${seedopt[@]}" \
			-o "${x%%:*}-$layout.img" || rc=1
	done
	check "layout $layout: every create exits 0" test $rc -eq 0
	check "layout $layout: same seed, identical bytes" \
		eval "test -s a-$layout.img && cmp -s a-$layout.img b-$layout.img"
	check "layout $layout: other seed, other bytes" \
		differ a-$layout.img c-$layout.img
	check "layout $layout: no seed, fresh randomness each time" \
		differ d-$layout.img e-$layout.img
	check "layout $layout: same size either way" \
		eq "$(stat -c %s a-$layout.img)" "$(stat -c %s d-$layout.img)"
	check "layout $layout: the reproducible image verifies" \
		"$PVBOOT" verify --host-key h2.key -i kernel -r initrd \
		-p parmfile a-$layout.img
done
check "the two layouts differ" differ a-r.img a-c.img

# loaders from a directory (pvimg's --x-bootloader-directory)
mkdir loaders
python3 -c "
import os
open('loaders/stage3a.bin','wb').write(os.urandom(0x2468))
open('loaders/stage3b_reloc.bin','wb').write(os.urandom(0x1e40))"
check "create with --x-bootloader-directory" "$PVBOOT" create "${args[@]}" \
	--x-bootloader-directory loaders -o dir.img
check "the directory's stage3a is in the image at 0x10000" python3 -c "
img = open('dir.img','rb').read()
s3a = open('loaders/stage3a.bin','rb').read()
assert img[0x10000:0x10000 + len(s3a) - 24] == s3a[:-24]"
check "--loader-dir is the same option" "$PVBOOT" create "${args[@]}" \
	--loader-dir loaders -o dir2.img
check "verify with the same loader directory" "$PVBOOT" verify \
	--host-key h1.key --loader-dir loaders dir.img
mkdir other
python3 -c "
import os
open('other/stage3a.bin','wb').write(os.urandom(0x1468))
open('other/stage3b_reloc.bin','wb').write(os.urandom(0x1e40))"
expect_rc "verify with other loaders named: not verified" 2 \
	"stage3a is not the loader given" \
	"$PVBOOT" verify --host-key h1.key --loader-dir other dir.img
check "verify without --loader-dir: built-in loaders not required" \
	"$PVBOOT" verify --host-key h1.key dir.img
expect_rc "a missing loader directory is an error" 1 "stage3a.bin" \
	"$PVBOOT" create "${args[@]}" --loader-dir noloaders -o nodir.img
check "no image for the missing loader directory" \
	no_leftovers . nodir.img

done_testing
