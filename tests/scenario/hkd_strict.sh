#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad-input catalogue, trust rules (tests/README.md, rows T01-T12): which
# file may give what to host-key document verification, exactly as strict
# as IBM genprotimg and pvimg together.  A --root-ca file holds exactly one
# certificate; CRLs count only from --crl files; only the first
# certificate of a --cert file is read, but a second signing key anywhere
# counts.  Each refusal names its rule; `pvboot create` exits 1 and writes
# nothing.  (CRLs inside --cert files that revoke something need keys of
# the test PKI: tests/unit/test_hkd_strict.c.)
. "$(dirname "$0")/badinput_common.bash"

"$PVBOOT" hostkey --out-dir pki --variants -q || exit 1
cat pki/root-ca.crt pki/inter-ca.crt >root-inter.crt
cat pki/root-ca.crt pki/root-ca.crl >root-crl.crt
cat pki/root-ca.crt pki/root-ca.crt >root-twice.crt
cat pki/inter-ca.crt pki/ibm-signing.crt >inter-sign.crt
cat pki/ibm-signing.crt pki/inter-ca.crt >sign-inter.crt
cat pki/ibm-signing.crt pki/ibm-signing2.crt >sign-sign2.crt
cat pki/inter-ca.crt pki/inter-ca.crl >inter-crl.crt
openssl x509 -in pki/root-ca.crt -outform DER -out root.der || exit 1
openssl x509 -in pki/root-ca.crt -trustout -out root-trusted.crt || exit 1
openssl x509 -in pki/ibm-signing.crt -trustout -out sign-trusted.crt ||
	exit 1

# create_with ID DESCRIPTION RC PATTERN ARGS...: `pvboot create` with the
# host-key document, the given chain ARGS and --offline: exit RC, PATTERN
# on stderr, nothing on stdout, no output file; RC 0: silence and the image
create_with() {
	local id=$1 d=$2 want=$3 pat=$4 rc
	shift 4
	rm -f out.img
	if [ "$want" -ne 0 ]; then
		bad "$id" "$d" "$want" "$pat" "$PVBOOT" create -i "$TK" \
			-o out.img -q -k pki/host.crt --offline "$@"
		check "$id no output, no temporary file" no_leftovers . out.img
		return
	fi
	"$PVBOOT" create -i "$TK" -o out.img -q -k pki/host.crt --offline \
		"$@" >"$W/.so" 2>"$W/.se" </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$W/.se" ] && [ ! -s "$W/.so" ] &&
	   [ -s out.img ]; then
		ok "$id $d: accepted, the image is there"
	else
		not_ok "$id $d (exit $rc, want 0)"
		sed 's/^/# stderr: /' "$W/.se" | head -5
	fi
}

SIGN=(-C pki/ibm-signing.crt)
INTER=(-C pki/inter-ca.crt)
CRLS=(--crl pki/root-ca.crl --crl pki/inter-ca.crl --crl pki/ibm-signing.crl)
NOROOTCRL=(--crl pki/inter-ca.crl --crl pki/ibm-signing.crl)
ROOT=(--root-ca pki/root-ca.crt)

create_with T00 "the good chain" 0 "" "${SIGN[@]}" "${INTER[@]}" \
	"${CRLS[@]}" "${ROOT[@]}"
create_with T01 "--root-ca holds root and intermediate" 1 \
	"root CA file 'root-inter.crt' holds 2 certificates; --root-ca takes exactly one" \
	"${SIGN[@]}" "${INTER[@]}" "${CRLS[@]}" --root-ca root-inter.crt
create_with T02 "--root-ca holds the same root twice" 1 \
	"'root-twice.crt' holds 2 certificates" \
	"${SIGN[@]}" "${INTER[@]}" "${CRLS[@]}" --root-ca root-twice.crt
create_with T03 "--root-ca carries the root's CRL, --crl does not" 1 \
	"missing CRL: no CRL of .*Root CA.*the CRL inside 'root-crl.crt' does not count: CRLs are read only from --crl files" \
	"${SIGN[@]}" "${INTER[@]}" "${NOROOTCRL[@]}" --root-ca root-crl.crt
create_with T04 "--root-ca carries the root's CRL, --crl too" 0 "" \
	"${SIGN[@]}" "${INTER[@]}" "${CRLS[@]}" --root-ca root-crl.crt
create_with T05 "--root-ca as DER" 0 "" \
	"${SIGN[@]}" "${INTER[@]}" "${CRLS[@]}" --root-ca root.der
create_with T06 "--root-ca as TRUSTED CERTIFICATE" 0 "" \
	"${SIGN[@]}" "${INTER[@]}" "${CRLS[@]}" --root-ca root-trusted.crt
create_with T07 "the signing key only as the second certificate of a --cert file" 1 \
	"'inter-sign.crt' holds the IBM Z signing key as certificate 2 of 2, but only the first certificate of each --cert file is read" \
	-C inter-sign.crt "${CRLS[@]}" "${ROOT[@]}"
create_with T08 "the intermediate only as the second certificate of a --cert file" 1 \
	"does not chain to a trusted root CA.*only the first certificate of each --cert file is read .*'sign-inter.crt' holds 2" \
	-C sign-inter.crt "${CRLS[@]}" "${ROOT[@]}"
create_with T09 "a bundle whose extra certificate is also given on its own" 0 "" \
	-C sign-inter.crt "${INTER[@]}" "${CRLS[@]}" "${ROOT[@]}"
create_with T10 "a second signing key inside a --cert file" 1 \
	"more than one IBM Z signing key: .*'sign-sign2.crt' \\(certificate 2\\)" \
	-C sign-sign2.crt "${INTER[@]}" "${CRLS[@]}" "${ROOT[@]}"
create_with T11 "the intermediate's CRL only inside its --cert file" 1 \
	"missing CRL: .*the CRL inside 'inter-crl.crt' does not count" \
	"${SIGN[@]}" -C inter-crl.crt --crl pki/root-ca.crl \
	--crl pki/ibm-signing.crl "${ROOT[@]}"
create_with T12 "the signing key as TRUSTED CERTIFICATE" 1 \
	"'sign-trusted.crt' holds no certificate .*a TRUSTED CERTIFICATE block counts only in a --root-ca file" \
	-C sign-trusted.crt "${INTER[@]}" "${CRLS[@]}" "${ROOT[@]}"

done_testing
