#!/bin/bash
# SPDX-License-Identifier: MIT
# `pvboot secret create`: the ASRCB bytes of every secret kind
# (attestation-and-secrets.md §6.1, §6.4) checked field by field against
# the image (PLD, ALD, TLD, tag from `pvboot info`), the CUID sources,
# flags, user data, NAME.yaml, and the errors.  The Ultravisor side of
# these requests is in test_uv_secret and secret_loop.sh.
. "$(dirname "$0")/run_common.bash"

# expect_rc DESCRIPTION WANT PATTERN COMMAND...: exit status and message
expect_rc() {
	local d=$1 want=$2 pat=$3 rc
	shift 3
	"$@" >rc.out 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -qE -- "$pat" rc.out; then
		ok "$d (exit $rc)"
	else
		not_ok "$d (exit $rc, want $want, pattern '$pat')" \
			"$(head -n 5 rc.out | tr '\n' '|')"
	fi
}

# hexat FILE OFFSET LENGTH: those bytes as lowercase hex
hexat() {
	od -An -v -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

# mk OUT ARGS...: a request for se.img with the first host key
mk() {
	local out=$1
	shift
	"$PVBOOT" secret create -k pki/host.crt --no-verify --hdr se.img \
		-o "$out" -q "$@"
}

check "an SE image of the test kernel" se_image se.img "pvboot.secrets"
"$PVBOOT" info --format json se.img >info.json 2>/dev/null
tags=$(python3 -c "import json; d=json.load(open('info.json'))['data']
print(d['pld_hex'] + d['ald_hex'] + d['tld_hex'] + d['tag_hex'])")
check "pvboot info gives the header tags (208 bytes)" test ${#tags} -eq 416

check "meta" mk meta.bin meta
check "meta: 1352 bytes with one key slot" test "$(stat -c %s meta.bin)" -eq 1352
check "magic asrcbM, user-data type 0, version 0x100, rql 0x548" test \
	"$(hexat meta.bin 0 16)" = 61737263624d00000000010000000548
check "one key slot, 32 encrypted bytes" \
	test "$(hexat meta.bin 0x27 1)$(hexat meta.bin 0x2c 4)" = 0100000020
check "the image's PLD, ALD, TLD and tag at 0x38" \
	test "$(hexat meta.bin 0x38 208)" = "$tags"
check "no CUID: 16 zero bytes at 0x108" \
	test "$(hexat meta.bin 0x108 16)" = "00000000000000000000000000000000"
check "meta secret header: type 1, length 0" \
	test "$(hexat meta.bin 0x508 8)" = 0000000100000000
check "no flags" test "$(hexat meta.bin 0x30 8)" = 0000000000000000

check "meta with --flags disable-dump" mk dump.bin --flags disable-dump meta
check "flag bit 0 set" test "$(hexat dump.bin 0x30 8)" = 8000000000000000

check "association NAME" mk a.bin association "my secret" \
	--output-secret a.secret
check "association: 1416 bytes" test "$(stat -c %s a.bin)" -eq 1416
check "secret header: type 2, length 32" \
	test "$(hexat a.bin 0x508 8)" = 0000000200000020
check "ID = SHA-256(NAME)" test "$(hexat a.bin 0x518 32)" = \
	"$(printf 'my secret' | sha256sum | cut -c1-64)"
check "the random secret went to --output-secret (mode 0600)" \
	test "$(stat -c '%s %a' a.secret)" = "32 600"
check "my_secret.yaml names it" test "$(cat my_secret.yaml)" = \
	"$(printf '!Association\nname: my secret\nid: 0x%s' \
	"$(printf 'my secret' | sha256sum | cut -c1-64)")"
check "--use-name: the name is the ID" \
	mk u.bin --use-name association short-name --stdout
check "ID bytes 'short-name' and zeros" test "$(hexat u.bin 0x518 32)" = \
	"$(printf 'short-name' | xxd -p)$(printf '%044d' 0)"
head -c 32 /dev/urandom >in.secret
check "--input-secret" mk i.bin association given --input-secret in.secret

# CUID from a YAML result, from hex, from 16 bytes
printf "cuid: '0x00112233445566778899aabbccddeeff'\nadd: 0x00\n" >res.yaml
check "--cuid from the YAML of attest verify" mk c1.bin --cuid res.yaml meta
check "CUID at 0x108" \
	test "$(hexat c1.bin 0x108 16)" = 00112233445566778899aabbccddeeff
check "--cuid-hex" mk c2.bin --cuid-hex 0x00112233445566778899aabbccddeeff meta
check "the same CUID" test "$(hexat c2.bin 0x108 16)" = \
	00112233445566778899aabbccddeeff
printf '\xff%.0s' $(seq 16) >cuid.bin
check "--cuid from 16 bytes" mk c3.bin --cuid cuid.bin meta
check "CUID ff..ff" test "$(hexat c3.bin 0x108 16)" = \
	ffffffffffffffffffffffffffffffff

printf 'hello, user data' >ud
check "--user-data" mk ud.bin --user-data ud meta
check "user-data type 1, data at 0x218" test \
	"$(hexat ud.bin 6 2)$(hexat ud.bin 0x218 16)" = "0001$(xxd -p ud)"

check "two host keys: two slots" "$PVBOOT" secret create \
	-k pki/host.crt,pki/host2.crt --no-verify --hdr se.img -o two.bin -q meta
check "two slots: 1432 bytes" test "$(stat -c %s two.bin)" -eq 1432

# retrievable secrets: type and length per input (§6.4)
retr() {	# retr DESCRIPTION TYPE BYTES-OR-FILE WANT-TYPE WANT-LEN
	local f=$3
	[ -f "$f" ] || { head -c "$3" /dev/urandom >key.in; f=key.in; }
	if mk r.bin retrievable "r $2" --secret "$f" --type "$2" &&
	   [ "$(hexat r.bin 0x508 8)" = "0000$4$5" ]; then
		ok "retrievable $1: type 0x$4, length 0x$5"
	else
		not_ok "retrievable $1: type 0x$4, length 0x$5" \
			"got $(hexat r.bin 0x508 8)"
	fi
}
retr "plain, 5 bytes" plain 5 0003 00000010
retr "plain, 100 bytes" plain 100 0003 00000070
retr "AES-128" aes 16 0004 00000010
retr "AES-192" aes 24 0005 00000018
retr "AES-256" aes 32 0006 00000020
retr "AES-XTS-128" aes-xts 32 0007 00000020
retr "AES-XTS-256" aes-xts 64 0008 00000040
retr "HMAC-SHA-256" hmac-sha 64 0009 00000040
retr "HMAC-SHA-512" hmac-sha 128 000a 00000080
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.pem \
	2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out p521.pem \
	2>/dev/null
openssl genpkey -algorithm ED25519 -out ed.pem 2>/dev/null
openssl genpkey -algorithm ED448 -out ed448.pem 2>/dev/null
retr "EC P-256 (PEM)" ec p256.pem 0011 00000020
retr "EC P-521 (PEM)" ec p521.pem 0013 00000050
retr "Ed25519" ec ed.pem 0014 00000020
retr "Ed448" ec ed448.pem 0015 00000040
check "r_plain.yaml: kind, name, ID" grep -qx "kind: 3 (PLAINTEXT)" r_plain.yaml
head -c 32 /dev/urandom >new.cck
check "update-cck" mk cck.bin update-cck --secret new.cck
check "update-cck: type 0x16, length 32, 48-byte header" \
	test "$(hexat cck.bin 0x508 8)$(stat -c %s cck.bin)" = 00000016000000201416

# errors
expect_rc "no --hdr: usage" 2 "--hdr" \
	"$PVBOOT" secret create -k pki/host.crt --no-verify -o x meta
expect_rc "--hdr without an SE header" 1 "no SE header" \
	mk x --hdr ud meta
expect_rc "--extension-secret of 31 bytes" 1 "exactly 32 bytes, got 31" \
	mk x --extension-secret <(head -c 31 /dev/zero) meta
expect_rc "--cck and --extension-secret together: usage" 2 "exclude" \
	mk x --cck new.cck --extension-secret new.cck meta
printf 'add: 0x00\nuser_data: 0x01\n' >nocuid.yaml
expect_rc "a YAML without a CUID" 1 "CUID file" mk x --cuid nocuid.yaml meta
expect_rc "--cuid-hex of 31 digits: usage" 2 "32 hex digits" \
	mk x --cuid-hex 0x0123456789abcdef0123456789abcde meta
expect_rc "retrievable without --type: usage" 2 "--type" \
	mk x retrievable n --secret new.cck
expect_rc "an AES key of 20 bytes" 1 "16, 24 or 32" \
	mk x retrievable n --secret <(head -c 20 /dev/zero) --type aes
expect_rc "a plaintext of 8191 bytes" 1 "at most 8190" \
	mk x retrievable n --secret <(head -c 8191 /dev/zero) --type plain
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa.pem \
	2>/dev/null
expect_rc "an RSA key as EC secret" 1 "RSA" \
	mk x retrievable n --secret rsa.pem --type ec
expect_rc "user data of 513 bytes" 1 "larger than 512" \
	mk x --user-data <(head -c 513 /dev/zero) meta
expect_rc "an unknown kind: usage" 2 "unknown secret kind" mk x secret
expect_rc "a create option after the kind: usage" 2 "come before the kind" \
	mk x meta --flags disable-dump
expect_rc "an option of another kind: usage" 2 "does not belong" \
	mk x meta --secret new.cck
expect_rc "--user-sign-key is not supported: usage" 2 "not supported" \
	mk x --user-sign-key ed.pem meta
expect_rc "without host keys: usage" 2 "host-key document" \
	"$PVBOOT" secret create --no-verify --hdr se.img -o x meta
check "no output file was left by the errors" test ! -e x
finish
