#!/bin/bash
# SPDX-License-Identifier: MIT
# Attestation, the whole loop on one machine (attestation-and-secrets.md
# §1): `pvboot attest create` -> `pvboot create` with the request as the
# test kernel's initrd and "pvboot.attest" -> `pvboot run --save-response`
# (the software UV answers UVC 0x1020) -> `pvboot attest verify` (exit 0).
# Then the additional data, user data, the output formats and what must
# not verify: another image, a changed response, a wrong protection key,
# a request for another host.
. "$(dirname "$0")/run_common.bash"

SCHEMA=$ROOT/schema/attest.schema.json

# attest_image OUT REQUEST PARMFILE-TEXT: the test kernel with REQUEST
attest_image() {
	printf '%s' "$3" >"$1.parm"
	"$PVBOOT" create -i "$KERNEL" -r "$2" -p "$1.parm" -o "$1" \
		-k pki/host.crt --no-verify -q 2>/dev/null
}

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

# --- the loop of the issue ---------------------------------------------
check "attest create -k host.crt -o req -a arpk" \
	"$PVBOOT" attest create -k pki/host.crt --no-verify -o req -a arpk -q
check "the request is a pvattest exchange file" \
	sh -c "head -c 8 req | grep -q pvattest"
check "the protection key has 32 bytes, mode 0600" \
	test "$(stat -c '%s %a' arpk)" = "32 600"
check "create -i testkernel -r req -p parm -k host.crt -o att.img" \
	attest_image att.img req "pvboot.attest"
run_pvboot out err att.img --host-key pki/host.key --save-response resp
expect_exit "run att.img --host-key host.key --save-response resp" 0
check "the guest got UV rc 0x0001" has out "attestation: UV rc 0x0001"
check "the response was saved" test -s resp
check "the saved response is what the console shows" \
	sh -c "sed -n '/BEGIN PVATTEST RESPONSE/,/END PVATTEST RESPONSE/p' out |
		grep -v -- ----- | base64 -d | cmp - resp"
expect_rc "attest verify -i resp --hdr att.img -a arpk" 0 \
	"Attestation measurement verified" \
	"$PVBOOT" attest verify -i resp --hdr att.img -a arpk

# --- additional and user data, output formats ----------------------------
check "attest create with all four additional-data items" \
	"$PVBOOT" attest create -k pki/host2.crt,pki/host.crt --no-verify \
	-o req2 -a arpk2 -q \
	--add-data phkh-img,phkh-att --add-data secret-store-hash,firmware-state
check "an image with the request and user data" \
	attest_image att2.img req2 "pvboot.attest pvboot.userdata=0badcafe"
run_pvboot out err att2.img --host-key pki/host.key --save-response resp2
expect_exit "the guest attests with two key slots" 0
expect_rc "verify: YAML as pvattest writes it" 0 "verified" \
	"$PVBOOT" attest verify -i resp2 --hdr att2.img -a arpk2 -o res.yaml \
	-u ud
check "YAML: cuid single-quoted, 32 hex digits" \
	grep -qE "^cuid: '0x[0-9a-f]{32}'$" res.yaml
check "YAML: add_fields in flag order" test \
	"$(sed -n 's/^  \([a-z_]*\):.*/\1/p' res.yaml | tr '\n' ' ')" = \
	"image_phkh attestation_phkh secret_store_hash firmware_state "
check "YAML: the user data" grep -qx "user_data: '0x0badcafe'" res.yaml
check "--user-data wrote the 4 bytes" test "$(xxd -p ud)" = 0badcafe
"$PVBOOT" info --format json att2.img >info.json 2>/dev/null
phkh=$(python3 -c "import json,sys
print(json.load(open(sys.argv[1]))['data']['keyslots'][0]['phkh_hex'])" \
	info.json 2>/dev/null)
check "image PHKH is the host key's hash ($phkh)" \
	grep -qx "  image_phkh: 0x$phkh" res.yaml
check "attestation PHKH: the same host key opened the request" \
	grep -qx "  attestation_phkh: 0x$phkh" res.yaml
check "secret-store hash of an empty, unlocked store: SHA-512(00)" \
	grep -qx "  secret_store_hash: 0x$(printf '\0' | sha512sum | cut -c1-128)" \
	res.yaml
check "firmware state: the software UV's" \
	grep -q "^  firmware_state: 0x$(printf 'SWUV-FWS' | xxd -p)" res.yaml
"$PVBOOT" attest verify -i resp2 --hdr att2.img -a arpk2 --format json \
	>res.json 2>/dev/null
check "JSON: verified, flags of all items" python3 -c "
import json, sys
d = json.load(open('res.json'))['data']
assert d['verified'] and d['flags_hex'] == '7c00000000000000'
assert d['user_data_hex'] == '0badcafe'"
if python3 -c 'import jsonschema' 2>/dev/null; then
	check "JSON validates against schema/attest.schema.json" python3 -c "
import json, jsonschema
jsonschema.validate(json.load(open('res.json')), json.load(open('$SCHEMA')))"
fi
check "text output names the items" \
	sh -c "'$PVBOOT' attest verify -i resp2 --hdr att2.img -a arpk2 |
		grep -qx 'Secret store hash:'"

# --- what must not verify --------------------------------------------------
expect_rc "another image's header: not verified" 2 "NOT verified" \
	"$PVBOOT" attest verify -i resp --hdr att2.img -a arpk
cp resp bad.resp
flip bad.resp $((0x40 + 400 + 7))	# a measurement byte
expect_rc "a changed measurement: not verified" 2 "NOT verified" \
	"$PVBOOT" attest verify -i bad.resp --hdr att.img -a arpk
cp resp bad.resp
flip bad.resp $(($(stat -c %s resp) - 1))	# the CUID's last byte
expect_rc "a changed CUID: not verified" 2 "NOT verified" \
	"$PVBOOT" attest verify -i bad.resp --hdr att.img -a arpk
cp resp2 bad.resp
flip bad.resp $(($(stat -c %s resp2) - 17))	# the user data's last byte
expect_rc "changed user data: not verified" 2 "NOT verified" \
	"$PVBOOT" attest verify -i bad.resp --hdr att2.img -a arpk2
head -c 32 /dev/urandom >other.arpk
expect_rc "a wrong protection key: error" 1 "protection key" \
	"$PVBOOT" attest verify -i resp --hdr att.img -a other.arpk
expect_rc "a request instead of a response: error" 1 "not an attestation response" \
	"$PVBOOT" attest verify -i req --hdr att.img -a arpk
head -c 300 resp >cut.resp
expect_rc "a cut response: error" 1 "exchange file" \
	"$PVBOOT" attest verify -i cut.resp --hdr att.img -a arpk
expect_rc "an ARPK of 31 bytes: error" 1 "exactly 32 bytes" \
	"$PVBOOT" attest verify -i resp --hdr att.img -a <(head -c 31 arpk)

# the guest cannot attest with a request for another host key only
check "a request for host2 only" \
	"$PVBOOT" attest create -k pki/host2.crt --no-verify -o req3 -a arpk3 -q
check "an image of it" attest_image att3.img req3 "pvboot.attest"
run_pvboot out err att3.img --host-key pki/host.key --save-response resp3
expect_exit "the UV refuses it: the run fails" 1
check "the guest reports rc 0x010c (cannot decrypt)" \
	has out "attestation: UV rc 0x010c"
check "and no response was saved" test ! -e resp3
check "--save-response names what is missing" \
	has err "no attestation response"

# --- usage --------------------------------------------------------------------
expect_rc "attest create without --arpk: usage" 2 "arpk" \
	"$PVBOOT" attest create -k pki/host.crt --no-verify -o r
expect_rc "attest create without verification choice: usage" 2 "no-verify" \
	"$PVBOOT" attest create -k pki/host.crt -o r -a k
expect_rc "--add-data with an unknown item: usage" 2 "add-data 'all'" \
	"$PVBOOT" attest create -k pki/host.crt --no-verify -o r -a k \
	--add-data all
expect_rc "attest perform is the guest's" 2 "runs inside the guest" \
	"$PVBOOT" attest perform req resp
expect_rc "attest --print-schema prints the schema" 0 "attest.schema.json" \
	"$PVBOOT" attest --print-schema

# --- the same inside a protected Linux guest: /dev/uv ------------------------
# tests/linux/uvattest.c still cross-builds static (libc6-dev-s390x-cross);
# booting it in a Linux guest is the Linux tests' job.
if command -v s390x-linux-gnu-gcc >/dev/null &&
   [ -f /usr/s390x-linux-gnu/lib/libc.a ]; then
	check "uvattest builds static for s390x with -Werror" \
		s390x-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror \
		-o uvattest "$ROOT/tests/linux/uvattest.c"
	check "uvattest: a static big-endian IBM S/390 executable" sh -c "
		readelf -h uvattest | grep -q 'IBM S/390' &&
		! readelf -l uvattest | grep -q INTERP"
	check "uvattest frames its response as pvboot run --save-response reads it" \
		grep -q -- "-----BEGIN PVATTEST RESPONSE-----" uvattest
fi
finish
