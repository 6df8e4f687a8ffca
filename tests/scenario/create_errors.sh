#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad inputs and bad option combinations of `pvboot create`: each gets its
# message and exit code (1 error, 2 usage) and leaves no output behind;
# an interrupted build leaves neither the output nor its temporary file.
. "$(dirname "$0")/image_common.bash"

fake_kernel kernel 0x20000
make_hkd h1 || exit 1
head -c 32 /dev/urandom >k32
head -c 31 /dev/urandom >k31
head -c 63 /dev/urandom >k63
head -c 33 /dev/urandom >k33
head -c 64 /dev/urandom >k64
head -c 40 /dev/urandom >seed
head -c 31 /dev/urandom >seed31
base=(-i kernel -k h1.crt --no-verify)

# expect_fail DESCRIPTION RC PATTERN ARGS...: create fails, no output left
expect_fail() {
	local d=$1 rc=$2 pat=$3
	shift 3
	rm -f out.img
	expect_rc "$d" "$rc" "$pat" "$PVBOOT" create "$@" -o out.img -q
	check "$d: no output or temporary file" no_leftovers . out.img
}

# input files
expect_fail "missing kernel" 1 "cannot open kernel 'nokernel'" \
	-i nokernel -k h1.crt --no-verify
: >empty
expect_fail "empty kernel" 1 "kernel 'empty' is empty" \
	-i empty -k h1.crt --no-verify
head -c 65536 kernel >short
expect_fail "truncated kernel (no S390EP)" 1 "S390EP" \
	-i short -k h1.crt --no-verify
head -c 66000 kernel >short2
expect_fail "truncated kernel (no command line size)" 1 "too short" \
	-i short2 -k h1.crt --no-verify
printf '\177ELF' | cat - kernel >elf
expect_fail "ELF kernel" 1 "ELF" -i elf -k h1.crt --no-verify
check "--no-component-check builds the ELF kernel" \
	"$PVBOOT" create -i elf -k h1.crt --no-verify --no-component-check \
	-o elf.img -q
expect_fail "missing initrd" 1 "cannot open initrd 'nord'" "${base[@]}" -r nord
expect_fail "missing parmfile" 1 "cannot open parmfile 'noparm'" \
	"${base[@]}" -p noparm
head -c 4096 /dev/zero | tr '\0' x >longparm
expect_fail "command line longer than the kernel allows" 1 "at most 4096" \
	"${base[@]}" -p longparm
expect_fail "directory as initrd" 1 "is a directory" "${base[@]}" -r .

# keys
expect_fail "header key of 31 bytes" 1 "exactly 32 bytes, got 31" \
	"${base[@]}" --hdr-key k31
expect_fail "image key of 63 bytes" 1 "exactly 64 bytes, got 63" \
	"${base[@]}" --image-key k63
expect_fail "CCK of 33 bytes" 1 "exactly 32 bytes, got 33" \
	"${base[@]}" --cck k33
expect_fail "missing header key file" 1 "cannot open key file 'nokey'" \
	"${base[@]}" --hdr-key nokey
expect_fail "seed shorter than 32 bytes" 2 "at least 32" \
	"${base[@]}" --reproducible seed31
expect_fail "missing host-key document" 1 "nohkd" \
	-i kernel -k nohkd --no-verify
printf 'garbage\n' >garbage.crt
expect_fail "garbage host-key document" 1 "garbage.crt" \
	-i kernel -k garbage.crt --no-verify
expect_fail "empty host-key document" 1 "empty" \
	-i kernel -k empty --no-verify
openssl ecparam -name prime256v1 -genkey -noout -out p256.key 2>/dev/null
openssl req -new -x509 -key p256.key -out p256.crt -subj /CN=p256 2>/dev/null
expect_fail "P-256 host-key document" 1 "P-521|secp521r1|prime256v1" \
	-i kernel -k p256.crt --no-verify
expect_fail "self-signed host key fails verification" any "signing key" \
	-i kernel -k h1.crt -C h1.crt --offline

# output
echo old >exists.img
expect_rc "existing output is refused" 1 "exists; use --overwrite" \
	"$PVBOOT" create "${base[@]}" -o exists.img -q
check "the existing output is unchanged" test "$(cat exists.img)" = old
check "--overwrite replaces it" \
	"$PVBOOT" create "${base[@]}" -o exists.img -q --overwrite
check "the replaced output is an image" \
	"$PVBOOT" verify --host-key h1.key exists.img
expect_rc "output in a missing directory" 1 "cannot create a temporary file" \
	"$PVBOOT" create "${base[@]}" -o nodir/out.img -q

# usage errors (exit 2)
expect_rc "no output" 2 "output is required" \
	"$PVBOOT" create -i kernel -k h1.crt --no-verify
expect_rc "no kernel" 2 "kernel is required" \
	"$PVBOOT" create -k h1.crt --no-verify -o x.img
expect_fail "no host-key document" 2 "host-key document is required" \
	-i kernel --no-verify
expect_fail "neither --cert nor --no-verify" 2 "--no-verify" \
	-i kernel -k h1.crt
expect_fail "--no-verify with --cert" 2 "exclude" "${base[@]}" -C h1.crt
expect_fail "--crl without --cert" 2 "need --cert" "${base[@]}" --crl x.crl
expect_fail "--root-ca without --cert" 2 "need --cert" "${base[@]}" \
	--root-ca h1.crt
expect_fail "kernel given twice" 2 "more than once" "${base[@]}" -i kernel
expect_fail "--enable-dump without a CCK" 2 "needs --cck" "${base[@]}" \
	--enable-dump
check "--enable-dump with --cck" "$PVBOOT" create "${base[@]}" \
	--enable-dump --cck k32 -o dump.img -q
check "--enable-dump with --enable-cck-update" "$PVBOOT" create \
	"${base[@]}" --enable-dump --enable-cck-update -o dump2.img -q
expect_fail "--enable-cck-extension-secret without --cck" 2 "needs --cck" \
	"${base[@]}" --enable-cck-extension-secret
expect_fail "extension secret and CCK update" 2 "exclude" "${base[@]}" \
	--cck k32 --enable-cck-extension-secret --enable-cck-update
expect_fail "--enable-pckmo with --disable-pckmo" 2 "exclude" \
	"${base[@]}" --enable-pckmo --disable-pckmo
expect_fail "--x-pcf with a flag option" 2 "exclude --x-pcf" \
	"${base[@]}" --x-pcf 0xe0 --enable-backup-keys
expect_fail "--x-scf with a flag option" 2 "exclude --x-pcf" \
	"${base[@]}" --x-scf 0 --disable-cck-update
expect_fail "bad --x-pcf value" 2 "hex digits" "${base[@]}" --x-pcf 0xZZ
expect_fail "--image-key with --disable-image-encryption" 2 "exclude" \
	"${base[@]}" --image-key k64 --disable-image-encryption
expect_fail "-v with -q" 2 "exclude" "${base[@]}" -v
expect_fail "unknown option" 2 "unrecognized option" "${base[@]}" --bogus
expect_fail "bad --layout" 2 "--layout 'x'" "${base[@]}" --layout x
expect_fail "stray argument" 2 "unexpected argument 'stray'" \
	"${base[@]}" stray

# flags land in the header
check "create with every flag option" "$PVBOOT" create "${base[@]}" \
	--cck k32 --enable-dump --enable-cck-extension-secret \
	--enable-pckmo-hmac --enable-backup-keys --hdr-key k32 -o flags.img -q
"$PVBOOT" info --format json --hdr-key k32 --show-secrets flags.img \
	>flags.json 2>/dev/null
check "PCF of the flags image is 0x200000f2" \
	test "$(json_get flags.json 'd["data"]["pcf_hex"]')" = 00000000200000f2
check "SCF of the flags image is the extension-secret bit" \
	test "$(json_get flags.json 'd["data"]["scf_hex"]')" = 4000000000000000
check "--x-pcf/--x-scf/--x-psw set whole values" "$PVBOOT" create \
	"${base[@]}" --x-pcf 0x10000000 --x-scf 0x2000000000000000 \
	--x-psw 0x12340 --hdr-key k32 -o xflags.img -q
"$PVBOOT" info --format json --hdr-key k32 --show-secrets xflags.img \
	>xflags.json 2>/dev/null
check "x-flags: PCF, SCF and header PSW address" \
	test "$(json_get xflags.json \
		'd["data"]["pcf_hex"], d["data"]["scf_hex"], d["data"]["psw"]["addr_hex"]')" \
	= "0000000010000000 2000000000000000 0000000000012340"

# interrupted while streaming a slow initrd: no output, no temporary file
for sig in INT TERM; do
	rm -f fifo
	mkfifo fifo
	(head -c 3000000 /dev/urandom; sleep 20) >fifo &
	writer=$!
	"$PVBOOT" create "${base[@]}" -r fifo -o intr.img -q 2>intr.err &
	pid=$!
	sleep 1.5
	kill -$sig $pid
	wait $pid
	rc=$?
	kill $writer 2>/dev/null
	wait $writer 2>/dev/null
	check "SIG$sig: create exits with status 1" test $rc -eq 1
	check "SIG$sig: says interrupted" grep -q interrupted intr.err
	check "SIG$sig: no output or temporary file left" \
		no_leftovers . intr.img
done

done_testing
