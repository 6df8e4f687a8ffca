#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad-input catalogue, keys (tests/README.md, rows K01-K14): wrong key
# type or curve, a certificate or public key where a private key is needed,
# encrypted keys, and PEM and DER forms of every accepted key (both work).
. "$(dirname "$0")/badinput_common.bash"

# good ID DESCRIPTION COMMAND...: exit 0
good() {
	local id=$1 d=$2 rc
	shift 2
	"$@" >"$W/.so" 2>"$W/.se" </dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$id $d: accepted"
	else
		not_ok "$id $d (exit $rc)"
		sed 's/^/# /' "$W/.se" | head -5
	fi
}

"$PVBOOT" hostkey --out-dir pki --variants -q || exit 1
chain=(-C pki/ibm-signing.crt -C pki/inter-ca.crt --crl pki/root-ca.crl
       --crl pki/inter-ca.crl --crl pki/ibm-signing.crl
       --root-ca pki/root-ca.crt --offline)
printf 'console' >parm
"$PVBOOT" create -i "$TK" -p parm -k pki/host.crt "${chain[@]}" -o se.img \
	-q || exit 1
openssl ecparam -name prime256v1 -genkey -noout -out p256.key 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out p384.key 2>/dev/null
openssl genrsa -out rsa.key 2048 2>/dev/null
openssl genpkey -algorithm ed25519 -out ed.key 2>/dev/null
openssl pkey -in pki/host.key -pubout -out host.pub 2>/dev/null
openssl pkey -in pki/host.key -aes256 -passout pass:secret \
	-out enc.key 2>/dev/null
openssl pkey -in pki/host.key -outform DER -out host.der 2>/dev/null
openssl ec -in pki/host.key -out host-sec1.pem 2>/dev/null
openssl ec -in pki/host.key -outform DER -out host-sec1.der 2>/dev/null
openssl x509 -in pki/host.crt -outform DER -out host.crt.der 2>/dev/null
openssl ecparam -name secp521r1 -genkey -noout -out other.key 2>/dev/null

# wrong type or curve
bad K01 "P-256 host key (run)" 1 "p256.key.*prime256v1, need P-521" \
	"$PVBOOT" run se.img --host-key p256.key
bad K02 "P-384 host key (verify)" 1 "p384.key.*secp384r1, need P-521" \
	"$PVBOOT" verify --host-key p384.key se.img
bad K03 "RSA host key (info)" 1 "rsa.key.*RSA.*need an EC P-521" \
	"$PVBOOT" info --host-key rsa.key se.img
bad K04 "Ed25519 host key (verify)" 1 "ed.key.*ED25519.*need an EC P-521" \
	"$PVBOOT" verify --host-key ed.key se.img
bad K05 "certificate as host private key (verify)" 1 \
	"host.crt.*certificate without private key" \
	"$PVBOOT" verify --host-key pki/host.crt se.img
bad K06 "public key as host private key (run)" 1 "host.pub.*private key" \
	"$PVBOOT" run se.img --host-key host.pub
bad K07 "encrypted PEM host key (run)" 1 \
	"enc.key.*encrypted private keys are not supported" \
	"$PVBOOT" run se.img --host-key enc.key
rm -f out.img
bad K08 "P-256 host-key document (create)" 1 \
	"host-p256.crt.*prime256v1, need P-521" \
	"$PVBOOT" create -i "$TK" -k pki/host-p256.crt "${chain[@]}" \
	-o out.img -q
check "K08 no output or temporary file" no_leftovers . out.img
expect_rc "K09 host key of another host (verify): exit 2, not verified" 2 \
	"NOT verified: .*no key slot for this host key" \
	"$PVBOOT" verify --host-key other.key se.img

# PEM and DER forms are all accepted
good K10 "PKCS#8 PEM host key (verify)" \
	"$PVBOOT" verify -q --host-key pki/host.key se.img
good K11 "PKCS#8 DER host key (verify)" \
	"$PVBOOT" verify -q --host-key host.der se.img
good K12 "SEC1 PEM and DER host keys (run)" \
	"$PVBOOT" run se.img --host-key host-sec1.pem --host-key host-sec1.der
good K13 "DER host-key document (test)" \
	"$PVBOOT" test -q -k host.crt.der se.img
rm -f der.img
good K14 "DER host-key document (create)" \
	"$PVBOOT" create -i "$TK" -k host.crt.der "${chain[@]}" -o der.img -q

done_testing
