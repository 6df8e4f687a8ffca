#!/bin/bash
# SPDX-License-Identifier: MIT
# `pvboot test` (pvimg test): exit 0 when the image has a key slot for one
# of the host-key documents or key hashes, 1 otherwise.
. "$(dirname "$0")/image_common.bash"

fake_kernel kernel 0x20000
for h in h1 h2 h3; do make_hkd $h || exit 1; done
"$PVBOOT" create -i kernel -k h1.crt,h2.crt --no-verify -o se.img -q || {
	echo "not ok 1 - pvboot create failed"
	exit 1
}

# phkh = SHA-256 of the 80-byte padded X and Y (se-image-format.md §6.3)
phkh() {
	openssl ec -in "$1.key" -pubout -outform DER 2>/dev/null | python3 -c "
import hashlib, sys
der = sys.stdin.buffer.read()
pt = der[-133:]
assert pt[0] == 4
x, y = pt[1:67], pt[67:]
print(hashlib.sha256(bytes(14) + x + bytes(14) + y).hexdigest())"
}
zero=$(printf '0%.0s' $(seq 64))
h1=$(phkh h1)
check "phkh() gives 64 hex digits (else grep would match anything)" \
	grep -qxE '[0-9a-f]{64}' <<<"$h1"

expect_rc "a matching host-key document" 0 "has key slot 0" \
	"$PVBOOT" test -k h1.crt se.img
expect_rc "the second document matches slot 1" 0 "has key slot 1" \
	"$PVBOOT" test -k h3.crt -k h2.crt se.img
expect_rc "a foreign document does not match" 1 "no key slot" \
	"$PVBOOT" test -k h3.crt se.img
check "info shows the same phkh as computed independently" \
	grep -qF "${h1:-no hash}" <("$PVBOOT" info --format text se.img 2>/dev/null)

{ phkh h3; phkh h2; for i in $(seq 13); do echo $zero; done; } >hashes
expect_rc "--key-hashes: the backup host key matches" 0 "backup host key" \
	"$PVBOOT" test --key-hashes=hashes se.img
{ phkh h3; echo $zero; for i in $(seq 13); do echo $zero; done; } >nohashes
expect_rc "--key-hashes: no hash matches" 1 "none of the keys" \
	"$PVBOOT" test --key-hashes=nohashes se.img
head -n 14 hashes >short
expect_rc "--key-hashes: 14 lines are refused" 1 "need 15" \
	"$PVBOOT" test --key-hashes=short se.img
sed '1s/^./x/' hashes >bad
expect_rc "--key-hashes: a bad line is refused" 1 "line 1" \
	"$PVBOOT" test --key-hashes=bad se.img
expect_rc "--key-hashes without =FILE reads the UV's file" 1 \
	"/sys/firmware/uv/keys/all" "$PVBOOT" test --key-hashes se.img
expect_rc "-k and --key-hashes exclude each other" 2 "either" \
	"$PVBOOT" test -k h1.crt --key-hashes=hashes se.img
expect_rc "a missing document is an error" 1 "nohkd" \
	"$PVBOOT" test -k nohkd se.img
expect_rc "a file that is no image" 1 "not an SE image" \
	"$PVBOOT" test -k h1.crt kernel
check "-q prints nothing (and exits 0)" \
	bash -c "out=\$('$PVBOOT' test -q -k h1.crt se.img) && [ -z \"\$out\" ]"

done_testing
