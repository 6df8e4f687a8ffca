#!/bin/bash
# SPDX-License-Identifier: MIT
# Scenario: the test PKI of `pvboot hostkey` drives host-key document
# verification in `pvboot create` (se-image-format.md §7): the printed
# command line works, and each bad variant is refused with its own reason.
# TAP output.
set -uo pipefail

PVBOOT=${PVBOOT:-build/pvboot}
T=$(mktemp -d /tmp/pvboot-hostkey-create.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
fails=0

result() {	# result OK? "what"
	n=$((n + 1))
	if [ "$1" = yes ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$T/log" | head -10
		fails=$((fails + 1))
	fi
}

if ! "$PVBOOT" create --help >/dev/null 2>&1; then
	echo "not ok 1 - $PVBOOT create --help fails"
	exit 1
fi

D=$T/pki
"$PVBOOT" hostkey --out-dir "$D" --variants >"$T/out.txt" 2>&1 ||
	{ echo "not ok 1 - pvboot hostkey failed"; cat "$T/out.txt"; exit 1; }
head -c 65536 /dev/urandom >"$T/kernel"
echo "console=ttyS0" >"$T/parm"

# create HKD [extra options...]: pvboot create with the standard chain
create() {
	local hkd=$1
	shift
	"$PVBOOT" create --no-component-check -i "$T/kernel" -p "$T/parm" \
		-o "$T/img" --overwrite -k "$D/$hkd" "$@" >"$T/log" 2>&1
}

STD=(-C "$D/ibm-signing.crt" -C "$D/inter-ca.crt" --crl "$D/root-ca.crl"
     --crl "$D/inter-ca.crl" --crl "$D/ibm-signing.crl"
     --root-ca "$D/root-ca.crt" --offline)

# The line that `pvboot hostkey` printed, with real inputs filled in.
line=$(sed -n '/^  pvboot create /,/--root-ca/p' "$T/out.txt" |
	sed 's/\\$//' | tr -d '\n' | sed 's/^ *//')
line=${line/KERNEL/$T/kernel}
line=${line/INITRD/$T/parm}
line=${line/PARMFILE/$T/parm}
line=${line/IMAGE/$T/img0}
line=${line/pvboot create/create --no-component-check}
eval "\"$PVBOOT\" $line" >"$T/log" 2>&1
rc=$?
ok=no; [ $rc -eq 0 ] && [ -s "$T/img0" ] && ok=yes
result $ok "the printed pvboot create line builds an image"

expect_fail() {	# expect_fail "what" "message part" HKD [options...]
	local what=$1 msg=$2
	shift 2
	create "$@"
	local rc=$?
	local ok=no
	[ $rc -ne 0 ] && grep -q -- "$msg" "$T/log" && ok=yes
	result $ok "$what"
}

create host.crt "${STD[@]}"
rc=$?
ok=no; [ $rc -eq 0 ] && [ -s "$T/img" ] && ok=yes
result $ok "host.crt verifies"
expect_fail "revoked host key is refused" "is revoked" \
	host-revoked.crt "${STD[@]}"
expect_fail "expired host key is refused" "has expired" \
	host-expired.crt "${STD[@]}"
expect_fail "not yet valid host key is refused" "is not yet valid" \
	host-not-yet-valid.crt "${STD[@]}"
expect_fail "wrong issuer is refused" "wrong issuer" \
	host-wrong-issuer.crt "${STD[@]}"
expect_fail "P-256 host key is refused" "P-521" host-p256.crt "${STD[@]}"
expect_fail "empty host-key document is refused" "is empty" \
	empty.crt "${STD[@]}"
expect_fail "garbage host-key document is refused" "is garbage" \
	garbage.crt "${STD[@]}"
expect_fail "two signing keys are refused" "more than one IBM Z signing key" \
	host.crt "${STD[@]}" -C "$D/ibm-signing2.crt"
expect_fail "missing CRL of the signing key is refused" "missing CRL" \
	host.crt -C "$D/ibm-signing.crt" -C "$D/inter-ca.crt" \
	--crl "$D/root-ca.crl" --crl "$D/inter-ca.crl" \
	--root-ca "$D/root-ca.crt"
expect_fail "revoked signing key is refused" "is revoked by its issuer" \
	host.crt -C "$D/ibm-signing-revoked.crt" -C "$D/inter-ca.crt" \
	--crl "$D/root-ca.crl" --crl "$D/inter-ca.crl" \
	--crl "$D/ibm-signing.crl" --root-ca "$D/root-ca.crt"
expect_fail "missing intermediate is refused" "does not chain" \
	host.crt -C "$D/ibm-signing.crt" --crl "$D/root-ca.crl" \
	--crl "$D/inter-ca.crl" --crl "$D/ibm-signing.crl" \
	--root-ca "$D/root-ca.crt"
expect_fail "the system trust store does not trust the test root" \
	"does not chain" host.crt -C "$D/ibm-signing.crt" \
	-C "$D/inter-ca.crt" --crl "$D/root-ca.crl" \
	--crl "$D/inter-ca.crl" --crl "$D/ibm-signing.crl"

echo "1..$n"
[ "$fails" -eq 0 ]
