#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad-input catalogue, certificates (tests/README.md, rows C01-C12): host-key
# documents and IBM signing keys that are expired, not yet valid, revoked,
# from the wrong issuer or signer, with outdated or missing CRLs or an
# untrusted root.  `pvboot create` refuses each with a message that names
# the certificate, exit 1 and no output; `pvboot hostkey --variants` makes
# the bad certificates.
. "$(dirname "$0")/badinput_common.bash"

"$PVBOOT" hostkey --out-dir pki --variants -q || exit 1

# refuse ID DESCRIPTION PATTERN HKD SIGNING-KEY SIGNING-CRL ROOT [more]:
# create with that chain fails: exit $WANT (default 1), message, no output
# and no temporary file
refuse() {
	local id=$1 d=$2 pat=$3 hkd=$4 sign=$5 crl=$6 root=$7 rc
	local want=${WANT:-1}
	shift 7
	rm -f out.img
	"$PVBOOT" create -i "$TK" -o out.img -q -k "$hkd" -C "$sign" \
		-C pki/inter-ca.crt --crl pki/root-ca.crl --crl pki/inter-ca.crl \
		${crl:+--crl "$crl"} --root-ca "$root" --offline "$@" \
		>"$W/.so" 2>"$W/.se" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ] && once "$W/.se" "$pat" &&
	   [ ! -s "$W/.so" ] && no_leftovers . out.img; then
		ok "$id $d: exit $want, message names it, no output"
	else
		not_ok "$id $d (exit $rc; message must match '$pat', once)"
		sed 's/^/# stderr: /' "$W/.se" | head -5
	fi
}

S=pki/ibm-signing.crt
CRL=pki/ibm-signing.crl
R=pki/root-ca.crt

rm -f ok.img
check "C00 the good chain is accepted" "$PVBOOT" create -i "$TK" -o ok.img \
	-q -k pki/host.crt -C $S -C pki/inter-ca.crt --crl pki/root-ca.crl \
	--crl pki/inter-ca.crl --crl $CRL --root-ca $R --offline
refuse C01 "expired host-key document" \
	"host-key document 'pki/host-expired.crt' has expired" \
	pki/host-expired.crt $S $CRL $R
refuse C02 "host-key document not yet valid" \
	"'pki/host-not-yet-valid.crt' is not yet valid" \
	pki/host-not-yet-valid.crt $S $CRL $R
refuse C03 "revoked host-key document" \
	"'pki/host-revoked.crt' is revoked: its serial number .* is listed in the CRL" \
	pki/host-revoked.crt $S $CRL $R
refuse C04 "revoked IBM signing key" \
	"IBM Z signing key 'pki/ibm-signing-revoked.crt' is revoked" \
	pki/host.crt pki/ibm-signing-revoked.crt $CRL $R
refuse C05 "outdated CRL of the signing key" \
	"outdated" pki/host.crt $S pki/ibm-signing-outdated.crl $R
refuse C06 "missing CRL of the signing key" \
	"missing CRL" pki/host.crt $S "" $R
refuse C07 "host-key document from the wrong issuer" \
	"'pki/host-wrong-issuer.crt' is not signed by the IBM Z signing key" \
	pki/host-wrong-issuer.crt $S $CRL $R
refuse C08 "host-key document signed by another key" \
	"'pki/host-other-signer.crt' was not issued by the IBM Z signing key" \
	pki/host-other-signer.crt $S $CRL $R
refuse C09 "untrusted root CA" \
	"'pki/ibm-signing.crt' does not chain to a trusted root CA" \
	pki/host.crt $S $CRL pki/other-root-ca.crt
# no certificate of the signing service given at all: a usage error
WANT=2 refuse C10 "signing key with the wrong subject" \
	"none of the 2 certificate file\\(s\\) holds a certificate of the \"IBM Z Host Key Signing Service\"" \
	pki/host.crt pki/ibm-signing-wrong-subject.crt $CRL $R
refuse C11 "garbage host-key document" \
	"host-key document 'pki/garbage.crt' is garbage" \
	pki/garbage.crt $S $CRL $R
refuse C12 "weak curve in the host-key document" \
	"'pki/host-weak.crt' has an EC key on curve prime192v1, need P-521" \
	pki/host-weak.crt $S $CRL $R

done_testing
