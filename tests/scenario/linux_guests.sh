#!/bin/bash
# SPDX-License-Identifier: MIT
# The Debian s390x guests and the proof initramfs, without booting them:
# scripts/fetch-guests.sh (complete cache, manifest, PV-aware kernel, a
# second run that uses no network and changes nothing, clear errors when
# the registry is unreachable) and tests/linux/mkinitramfs.sh (contents,
# payload checksum, reproducible, errors).  The cache comes from `make
# check`'s guests step; without it this test skips, except under CI=true.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/linux/common.bash"
T=$(mktemp -d /tmp/pvboot-guests-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
N=0
FAILED=0

ok() {
	N=$((N + 1))
	echo "ok $N - $1"
}
not_ok() {
	N=$((N + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $N - $1"
	shift
	for l in "$@"; do
		echo "# $l"
	done
}
check() {
	local d=$1

	shift
	if "$@"; then
		ok "$d"
	else
		not_ok "$d" "failed: $*"
	fi
}
finish() {
	echo "1..$N"
	[ "$FAILED" -eq 0 ]
	exit $?
}

# the pvboot under test makes the host key for the SE image at the end
PVBOOT=${PVBOOT:-$ROOT/build/pvboot}
"$PVBOOT" hostkey --out-dir pki -q
RC=$?
check "pvboot hostkey for the SE image of a guest (exit $RC)" \
	test "$RC" -eq 0 -a -s pki/host.crt

if ! guest_cache_ok; then
	if [ "${CI:-}" = true ]; then
		not_ok "the guest cache $GUEST_CACHE is complete (CI must fetch it: make guests)" \
			"$(PVBOOT_GUEST_CACHE=$GUEST_CACHE bash "$FETCH_GUESTS" --check 2>&1)"
		finish
	fi
	ok "# SKIP the guest cache $GUEST_CACHE is incomplete (run scripts/fetch-guests.sh)"
	finish
fi
ok "the guest cache $GUEST_CACHE is complete"

# fetch GUEST-CACHE [ARGS...]: run fetch-guests.sh, stderr to fetch.err
fetch() {
	local c=$1

	shift
	PVBOOT_GUEST_CACHE=$c bash "$FETCH_GUESTS" "$@" >fetch.out 2>fetch.err
	RC=$?
}

# ---- the manifest and what it lists --------------------------------------
sed -n 's/^[a-z]*\.sha256=//p' "$GUEST_CACHE/manifest" >sums
check "the manifest lists sha256 sums of the kernels, modules and busybox" \
	test "$(grep -cE ' (bpo|bookworm)/vmlinuz$| busybox-static/busybox$' sums)" -eq 3
check "every file matches its sha256 in the manifest" \
	bash -c "cd '$GUEST_CACHE' && sha256sum --quiet -c '$T/sums'"
for k in bpo bookworm; do
	check "$k: the manifest names package and version" \
		grep -qE "^$k\.package=linux-image-[0-9].*-s390x$" "$GUEST_CACHE/manifest"
done
bv=$(guest_info bpo version)
ov=$(guest_info bookworm version)
check "the backports kernel ($bv) is newer than bookworm's ($ov)" \
	dpkg --compare-versions "$bv" gt "$ov"
check "bookworm's kernel is built without CONFIG_PROTECTED_VIRTUALIZATION_GUEST" \
	grep -qx '# CONFIG_PROTECTED_VIRTUALIZATION_GUEST is not set' \
	"$GUEST_CACHE/bookworm/config"
check "the backports kernel does not disable it (PV-aware)" \
	bash -c "! grep -q 'CONFIG_PROTECTED_VIRTUALIZATION_GUEST is not set' '$GUEST_CACHE/bpo/config'"

# is_s390x_elf FILE: a 64-bit big-endian ELF for machine 22 (S390)
is_s390x_elf() {
	[ "$(od -An -tx1 -N6 "$1" | tr -d ' ')" = 7f454c460202 ] &&
		[ "$(od -An -tx1 -j18 -N2 "$1" | tr -d ' ')" = 0016 ]
}
for k in bpo bookworm; do
	rel=$(guest_info $k release)
	for m in uvdevice virtio_blk; do
		ko=$GUEST_CACHE/$k/modules/$m.ko
		check "$k: $m.ko is in the load order" grep -qx "$m" "$GUEST_CACHE/$k/modules/order"
		check "$k: $m.ko is an uncompressed s390x module for $rel" \
			bash -c "[ \"\$(od -An -tx1 -N6 '$ko' | tr -d ' ')\" = 7f454c460202 ] &&
				s390x-linux-gnu-objcopy -O binary --only-section=.modinfo '$ko' /dev/stdout |
				tr '\\0' '\\n' | grep -q '^vermagic=$rel '"
	done
done
check "busybox is an s390x ELF" is_s390x_elf "$GUEST_CACHE/busybox"
check "busybox is static (no program interpreter)" \
	bash -c "! s390x-linux-gnu-readelf -l '$GUEST_CACHE/busybox' | grep -q INTERP"

# ---- a second run: nothing downloaded, nothing changed -------------------
# A copy of the cache (without the .debs, which a complete cache does not
# need) with a fresh index stamp, run in a network namespace of its own.
mkdir copy copy/apt copy/debs
cp -a "$GUEST_CACHE"/{store,bpo,bookworm,busybox-static,busybox,manifest,.lock} copy/
touch copy/apt/update-stamp
if unshare -n true 2>/dev/null; then
	find copy -printf '%p %T@ %s\n' | sort >before
	PVBOOT_GUEST_CACHE=$T/copy unshare -n bash "$FETCH_GUESTS" \
		>fetch.out 2>fetch.err
	RC=$?
	find copy -printf '%p %T@ %s\n' | sort >after
	check "a second run without network succeeds (exit $RC)" test "$RC" -eq 0
	check "it tries no download and no index update" \
		bash -c "! grep -qE 'updating|downloading|cannot reach' fetch.err"
	check "it changes no file (mtimes and sizes equal)" cmp -s before after
	# an index older than a day: the update fails, the cache is used
	touch -d '2 days ago' copy/apt/update-stamp
	find copy -path copy/apt -prune -o -printf '%p %T@ %s\n' |
		sort >before
	PVBOOT_GUEST_CACHE=$T/copy unshare -n bash "$FETCH_GUESTS" -q \
		>fetch.out 2>fetch.err
	RC=$?
	find copy -path copy/apt -prune -o -printf '%p %T@ %s\n' |
		sort >after
	check "offline with a day-old index: exit 0 on the complete cache (exit $RC)" \
		test "$RC" -eq 0
	check "... and says the registry cannot be reached" \
		grep -q 'cannot be reached; using the cached guests' fetch.err
	check "... and leaves the guests as they were" cmp -s before after
	# an empty cache and no registry
	PVBOOT_GUEST_CACHE=$T/empty unshare -n bash "$FETCH_GUESTS" \
		>fetch.out 2>fetch.err
	RC=$?
	check "empty cache, registry unreachable: exit 1 (exit $RC)" test "$RC" -eq 1
	check "... the message says the registry cannot be reached" \
		grep -q 'cannot reach the Debian package registry' fetch.err
	for w in 'bookworm-backports kernel' 'the bookworm kernel' 'busybox-static'; do
		check "... and names what is missing: $w" grep -q "lacks:.*$w" fetch.err
	done
	check "... no guest appears" test ! -e empty/bpo -a ! -e empty/manifest
else
	echo "ok $((N + 1)) - # SKIP no network namespace (unshare -n needs root)"
	N=$((N + 1))
fi
fetch "$T/copy" --offline
check "--offline on the complete cache: exit 0" test "$RC" -eq 0
fetch "$T/empty2" --offline
check "--offline on an empty cache: exit 1, names what is missing" \
	bash -c "[ $RC -eq 1 ] && grep -q 'offline, and the cache .* lacks: the bookworm-backports kernel' fetch.err"
fetch "$T/empty3" --check
check "--check on an empty cache: exit 1" test "$RC" -eq 1
fetch "$T/copy" --no-such-option
check "an unknown option: exit 2" test "$RC" -eq 2
echo garbage >>copy/bpo/vmlinuz
fetch "$T/copy" --check
check "a damaged vmlinuz makes the cache incomplete (exit $RC)" \
	bash -c "[ $RC -eq 1 ] && grep -q 'lacks: the bookworm-backports kernel' fetch.err"

# ---- the initramfs ---------------------------------------------------------
mk() {
	"$MKINITRAMFS" "$@" >mk.out 2>mk.err
	RC=$?
}
mk -o rd.gz --modules "$GUEST_CACHE/bpo/modules" -p 4
check "mkinitramfs with modules and a 4 MiB payload (exit $RC)" test "$RC" -eq 0
sum=$(sed -n 's/^payload-sha256=//p' mk.out)
check "it prints the payload's sha256" bash -c "[[ '$sum' =~ ^[0-9a-f]{64}$ ]]"
mkdir x
(cd x && gzip -dc ../rd.gz | cpio -id --quiet 2>/dev/null)
for f in init bin/busybox bin/sh lib/modules/uvdevice.ko \
	lib/modules/virtio_blk.ko etc/pvboot/modules payload; do
	check "the archive holds /$f" test -e "x/$f" -o -L "x/$f"
done
check "gzip-compressed newc cpio" \
	bash -c "gzip -dc rd.gz | head -c 6 | grep -q 070701"
check "/init is the proof init" cmp -s x/init "$ROOT/tests/linux/init-proof.sh"
check "/init is executable" test -x x/init
check "/init parses as a POSIX shell script" sh -n x/init
check "the modules load in the order of the cache" \
	cmp -s x/etc/pvboot/modules "$GUEST_CACHE/bpo/modules/order"
check "the payload is 4 MiB" test "$(stat -c %s x/payload)" -eq $((4 << 20))
check "its sha256 is the one printed" \
	test "$(sha256sum <x/payload | cut -d' ' -f1)" = "$sum"
check "no mode file: the init powers off by default" test ! -e x/etc/pvboot/mode
mk -o rd2.gz --modules "$GUEST_CACHE/bpo/modules" -p 4
check "the same inputs give the same archive" cmp -s rd.gz rd2.gz
mk -o rd3.gz -p 4 --payload-seed other
check "another seed gives another payload" \
	bash -c "[ $RC -eq 0 ] && ! grep -q '$sum' mk.out"
echo hello >hello.txt
mk -o rd4.gz --interactive -a hello.txt:/etc/hello
mkdir y
(cd y && gzip -dc ../rd4.gz | cpio -id --quiet 2>/dev/null)
check "--interactive: the init starts a shell" grep -qx shell y/etc/pvboot/mode
check "--add SRC:DST puts the file at DST" cmp -s y/etc/hello hello.txt
check "without a payload it prints payload-sha256=none" grep -qx 'payload-sha256=none' mk.out

# bad_mk DESCRIPTION RC PATTERN ARGS...: exit RC, PATTERN on stderr, no output
bad_mk() {
	local d=$1 want=$2 pat=$3

	shift 3
	rm -f bad.gz
	mk "$@"
	if [ "$RC" -eq "$want" ] && grep -qE -- "$pat" mk.err && [ ! -e bad.gz ] &&
		[ -z "$(ls -A . | grep '^\.initramfs')" ]; then
		ok "mkinitramfs $d: exit $want, says so, writes nothing"
	else
		not_ok "mkinitramfs $d (exit $RC, want $want, stderr must match '$pat')" \
			"$(head -n 3 mk.err | tr '\n' '|')"
	fi
}
bad_mk "payload size not a number" 1 "whole number of MiB, got 'abc'" -o bad.gz -p abc
bad_mk "busybox missing" 1 "busybox 'nobusybox' does not exist" -o bad.gz -b nobusybox
bad_mk "busybox not s390x" 1 "is not a 64-bit s390x ELF" -o bad.gz -b /bin/true
bad_mk "module missing" 1 "module 'no.ko' does not exist" -o bad.gz -m no.ko
bad_mk "--add without DST" 1 "wants SRC:DST" -o bad.gz -a hello.txt
bad_mk "output directory missing" 1 "output directory 'nodir' does not exist" -o nodir/bad.gz
bad_mk "unknown option" 2 "unknown argument" -o bad.gz --frobnicate
bad_mk "no output" 2 "-o OUT is required" -p 1

# ---- the guest as pvboot input ---------------------------------------------
printf 'console=ttysclp0' >parm
"$PVBOOT" create -i "$GUEST_CACHE/bpo/vmlinuz" -r rd.gz -p parm \
	-k pki/host.crt --no-verify -o linux.img -q
RC=$?
check "pvboot create takes the cached kernel and the initramfs (exit $RC)" \
	test "$RC" -eq 0 -a -s linux.img
comps=$("$PVBOOT" info --format json linux.img 2>/dev/null | python3 -c "
import json, sys
d = json.load(sys.stdin)
print(' '.join(c['kind'] for c in d['image']['components']))" 2>/dev/null)
check "its components: kernel, initrd, cmdline, stage3b ($comps)" \
	test "$comps" = "kernel initrd cmdline stage3b"

finish
