#!/bin/bash
# SPDX-License-Identifier: MIT
# Scenario: `pvboot hostkey` writes a test PKI; check it with the openssl
# tool (chain, CRLs, revocations, names, keys, signatures) and check that
# --seed makes it reproducible.  TAP output.
set -uo pipefail

PVBOOT=${PVBOOT:-build/pvboot}
T=$(mktemp -d /tmp/pvboot-hostkey.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
fails=0

check() {	# check "what" command...
	local what=$1
	shift
	n=$((n + 1))
	if "$@" >"$T/last.log" 2>&1; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		sed 's/^/# /' "$T/last.log" | head -20
		fails=$((fails + 1))
	fi
}

# nonempty_eq A B: equal and not empty (two failed commands print two
# empty strings: that must not count as a match)
nonempty_eq() {
	[ -n "$1" ] && [ "$1" = "$2" ]
}

# is_cert FILE: FILE holds a certificate openssl can read
is_cert() {
	openssl x509 -in "$1" -noout 2>/dev/null
}

# chain verification like se-image-format.md §7 step 5
ossl_chain() {	# ossl_chain CERT CRLFILE... ; prints openssl's verdict
	local cert=$1
	shift
	cat "$@" >"$T/crls.pem"
	openssl verify -x509_strict -crl_check_all -policy_check \
		-auth_level 2 -CAfile "$D/root-ca.crt" \
		-untrusted "$D/inter-ca.crt" -CRLfile "$T/crls.pem" "$cert" 2>&1
}

# Verify an HKD's signature with the signing key, outside OpenSSL's chain
# logic (the signing key is not a CA): tbsCertificate + signature value.
hkd_sig_ok() {	# hkd_sig_ok HKD SIGNER
	local hkd=$1 signer=$2 off
	openssl x509 -in "$hkd" -outform DER -out "$T/h.der" || return 1
	openssl asn1parse -inform DER -in "$T/h.der" -strparse 4 \
		-out "$T/tbs.der" -noout || return 1
	off=$(openssl asn1parse -inform DER -in "$T/h.der" |
		awk -F: '/BIT STRING/ { o = $1 } END { print o + 0 }')
	openssl asn1parse -inform DER -in "$T/h.der" -strparse "$off" \
		-out "$T/sig.der" -noout || return 1
	openssl x509 -in "$signer" -pubkey -noout >"$T/signer.pub" || return 1
	openssl dgst -sha512 -verify "$T/signer.pub" -signature "$T/sig.der" \
		"$T/tbs.der" | grep -q '^Verified OK'
}

D=$T/pki
start=$(date +%s%N)
"$PVBOOT" hostkey --out-dir "$D" --hosts 2 --variants >"$T/out.txt" 2>&1
rc=$?
end=$(date +%s%N)
check "pvboot hostkey --variants exits 0" test "$rc" -eq 0
check "output names the files" grep -q 'ibm-signing.crl' "$T/out.txt"
check "output shows the pvboot create line" \
	grep -q "pvboot create .*-o IMAGE" "$T/out.txt"
check "output passes both host-key documents to create" \
	bash -c "grep -q -- '-k $D/host.crt' '$T/out.txt' &&
		 grep -q -- '-k $D/host2.crt' '$T/out.txt'"
check "output shows the pvboot run line" \
	grep -q -- "pvboot run IMAGE --host-key $D/host.key" "$T/out.txt"
for f in root-ca.crt inter-ca.crt ibm-signing.crt root-ca.crl inter-ca.crl \
	ibm-signing.crl host.key host.crt host2.key host2.crt \
	host-revoked.crt host-expired.crt host-not-yet-valid.crt \
	host-wrong-issuer.crt ibm-signing2.crt host-p256.crt \
	ibm-signing-revoked.crt other-root-ca.crt empty.crt garbage.crt; do
	[ -f "$D/$f" ] || { check "file $f exists" false; continue; }
done
check "all files written" test "$(ls "$D" | wc -l)" -ge 29
check "host keys are mode 0600" \
	bash -c "[ \$(stat -c %a '$D/host.key') = 600 ] &&
		 [ \$(stat -c %a '$D/host2.key') = 600 ]"
check "certificates are mode 0644" \
	test "$(stat -c %a "$D/host.crt")" = 644

# ---- the chain, checked by openssl verify --------------------------------
check "openssl: signing key verifies with CRL checks of the whole chain" \
	bash -c "$(declare -f ossl_chain); D='$D' T='$T' ossl_chain \
		'$D/ibm-signing.crt' '$D/root-ca.crl' '$D/inter-ca.crl' |
		grep -q ': OK\$'"
check "openssl: revoked signing key fails with error 23" \
	bash -c "$(declare -f ossl_chain); D='$D' T='$T' ossl_chain \
		'$D/ibm-signing-revoked.crt' '$D/root-ca.crl' '$D/inter-ca.crl' |
		grep -q 'error 23 '"
check "openssl: missing intermediate CRL fails with error 3" \
	bash -c "$(declare -f ossl_chain); D='$D' T='$T' ossl_chain \
		'$D/ibm-signing.crt' '$D/root-ca.crl' | grep -q 'error 3 '"
check "openssl: the other root does not anchor the chain (error 20)" \
	bash -c "openssl verify -CAfile '$D/other-root-ca.crt' \
		-untrusted '$D/inter-ca.crt' '$D/ibm-signing.crt' 2>&1 |
		grep -q 'error 20 '"
check "openssl: CRL of the signing key is signed by it" \
	bash -c "openssl crl -in '$D/ibm-signing.crl' \
		-CAfile '$D/ibm-signing.crt' -noout 2>&1 | grep -q 'verify OK'"
rev=$(openssl x509 -in "$D/host-revoked.crt" -serial -noout | cut -d= -f2)
check "openssl: ibm-signing.crl lists host-revoked.crt ($rev)" \
	bash -c "openssl crl -in '$D/ibm-signing.crl' -text -noout |
		grep -qi 'Serial Number: $rev'"
srev=$(openssl x509 -in "$D/ibm-signing-revoked.crt" -serial -noout |
	cut -d= -f2)
check "openssl: inter-ca.crl lists ibm-signing-revoked.crt" \
	bash -c "openssl crl -in '$D/inter-ca.crl' -text -noout |
		grep -qi 'Serial Number: $srev'"

# ---- names, keys, dates and signatures, checked by openssl x509 ----------
IBM="International Business Machines Corporation"
check "signing key subject is the six-entry IBM Z one (L=Poughkeepsie)" \
	bash -c "openssl x509 -in '$D/ibm-signing.crt' -noout -subject \
		-nameopt compat | grep -qx 'subject=/C=US/O=$IBM/CN=$IBM/ST=New York/L=Poughkeepsie/OU=IBM Z Host Key Signing Service'"
check "host-key document subject as IBM's test HKD" \
	bash -c "openssl x509 -in '$D/host.crt' -noout -subject \
		-nameopt compat | grep -qx 'subject=/C=US/O=$IBM/CN=$IBM/ST=New York/L=Armonk/OU=IBM Z Host Key'"
check "host-key document issuer is the signing key" \
	nonempty_eq "$(openssl x509 -in "$D/host.crt" -noout -issuer |
		sed 's/^issuer=//')" "$(openssl x509 -in "$D/ibm-signing.crt" \
		-noout -subject | sed 's/^subject=//')"
check "host key is P-521" \
	bash -c "openssl x509 -in '$D/host.crt' -noout -text |
		grep -q 'ASN1 OID: secp521r1'"
check "host-p256.crt has a P-256 key" \
	bash -c "openssl x509 -in '$D/host-p256.crt' -noout -text |
		grep -q 'ASN1 OID: prime256v1'"
check "host.key is the private key of host.crt" \
	nonempty_eq "$(openssl pkey -in "$D/host.key" -pubout)" \
	"$(openssl x509 -in "$D/host.crt" -pubkey -noout)"
check "host2.key differs from host.key" \
	bash -c "openssl pkey -in '$D/host2.key' -noout &&
		 openssl pkey -in '$D/host.key' -noout &&
		 ! cmp -s '$D/host.key' '$D/host2.key'"
check "host.crt is valid now and for a year" \
	openssl x509 -in "$D/host.crt" -noout -checkend 31536000
check "host-expired.crt has expired" \
	bash -c "$(declare -f is_cert); is_cert '$D/host-expired.crt' &&
		 ! openssl x509 -in '$D/host-expired.crt' -noout -checkend 0"
nyv_start=$(openssl x509 -in "$D/host-not-yet-valid.crt" -noout -startdate \
	2>/dev/null | cut -d= -f2)
host_end=$(openssl x509 -in "$D/host.crt" -noout -enddate 2>/dev/null |
	cut -d= -f2)
check "host-not-yet-valid.crt starts after host.crt ends" \
	bash -c "[ -n '$nyv_start' ] && [ -n '$host_end' ] &&
		 [ \$(date -d '$nyv_start' +%s) -ge \$(date -d '$host_end' +%s) ]"
check "host.crt is signed by the signing key" \
	bash -c "$(declare -f hkd_sig_ok); T='$T' hkd_sig_ok \
		'$D/host.crt' '$D/ibm-signing.crt'"
check "host-wrong-issuer.crt is not signed by the signing key" \
	bash -c "$(declare -f hkd_sig_ok is_cert); T='$T';
		 is_cert '$D/host-wrong-issuer.crt' && ! hkd_sig_ok \
		'$D/host-wrong-issuer.crt' '$D/ibm-signing.crt'"
check "garbage.crt is no certificate" \
	bash -c "[ -s '$D/garbage.crt' ] &&
		 ! openssl x509 -in '$D/garbage.crt' -noout 2>/dev/null &&
		 ! openssl x509 -inform DER -in '$D/garbage.crt' -noout 2>/dev/null"
check "empty.crt is empty" bash -c "[ -f '$D/empty.crt' ] && [ ! -s '$D/empty.crt' ]"

# ---- speed and reproducibility ------------------------------------------
ms=$(( (end - start) / 1000000 ))
start=$(date +%s%N)
"$PVBOOT" hostkey -q --out-dir "$T/one" >/dev/null 2>&1
rc=$?
end=$(date +%s%N)
ms1=$(( (end - start) / 1000000 ))
check "one host in well under a second (${ms1} ms; variants ${ms} ms)" \
	bash -c "[ $rc -eq 0 ] && [ -s '$T/one/host.crt' ] && [ $ms1 -lt 1000 ]"
check "-q prints nothing" \
	bash -c "out=\$('$PVBOOT' hostkey -q --out-dir '$T/quiet' 2>&1) &&
		 [ -z \"\$out\" ] && [ -s '$T/quiet/host.crt' ]"
head -c 48 /dev/urandom >"$T/seed"
head -c 48 /dev/urandom >"$T/seed2"
"$PVBOOT" hostkey -q --variants --seed "$T/seed" --out-dir "$T/s1"
"$PVBOOT" hostkey -q --variants --seed "$T/seed" --out-dir "$T/s2"
"$PVBOOT" hostkey -q --variants --seed "$T/seed2" --out-dir "$T/s3"
check "same seed: byte-identical files" diff -r "$T/s1" "$T/s2"
check "other seed: other host key" \
	bash -c "[ -s '$T/s1/host.key' ] && [ -s '$T/s3/host.key' ] &&
		 ! cmp -s '$T/s1/host.key' '$T/s3/host.key'"
check "no seed: fresh keys each run" \
	bash -c "[ -s '$D/host.key' ] && [ -s '$T/one/host.key' ] &&
		 ! cmp -s '$D/host.key' '$T/one/host.key'"
check "seeded PKI starts at 2024-01-01" \
	bash -c "openssl x509 -in '$T/s1/host.crt' -noout -startdate |
		grep -q 'Jan  1 00:00:00 2024 GMT'"
check "seeded chain verifies with openssl" \
	bash -c "D='$T/s1'; $(declare -f ossl_chain); T='$T' ossl_chain \
		\"\$D/ibm-signing.crt\" \"\$D/root-ca.crl\" \"\$D/inter-ca.crl\" |
		grep -q ': OK\$'"

# ---- usage errors ---------------------------------------------------------
"$PVBOOT" hostkey >/dev/null 2>&1
check "missing --out-dir is a usage error (exit 2)" test $? -eq 2
"$PVBOOT" hostkey --out-dir "$T/x" --hosts 0 >/dev/null 2>&1
check "--hosts 0 is a usage error (exit 2)" test $? -eq 2
"$PVBOOT" hostkey --out-dir "$T/x" --days abc >/dev/null 2>&1
check "--days abc is a usage error (exit 2)" test $? -eq 2
head -c 16 /dev/urandom >"$T/short"
"$PVBOOT" hostkey --out-dir "$T/x" --seed "$T/short" >"$T/err.txt" 2>&1
rc=$?
check "a 16-byte seed is refused" \
	bash -c "[ $rc -ne 0 ] && grep -q 'seed' '$T/err.txt'"
touch "$T/file"
"$PVBOOT" hostkey -q --out-dir "$T/file" >/dev/null 2>"$T/err.txt"
rc=$?
check "an output path that is a file fails (exit 1, names it)" \
	bash -c "[ $rc -eq 1 ] && grep -q '$T/file' '$T/err.txt'"
check "--help exits 0" "$PVBOOT" hostkey --help

echo "1..$n"
[ "$fails" -eq 0 ]
