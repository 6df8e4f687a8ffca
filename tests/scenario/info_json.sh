#!/bin/bash
# SPDX-License-Identifier: MIT
# `pvboot info`: JSON in pvimg's three shapes, valid against
# schema/info.schema.json; --print-schema prints that file; secrets only
# with --show-secrets; text output; broken and foreign files.
. "$(dirname "$0")/image_common.bash"

SCHEMA=$ROOT/schema/info.schema.json
fake_kernel kernel 0x30000
head -c 5000 /dev/urandom >initrd
make_hkd h1 || exit 1
head -c 32 /dev/urandom >hdr.key
head -c 32 /dev/urandom >other.key
head -c 64 /dev/urandom >image.key
head -c 32 /dev/urandom >cck.key
"$PVBOOT" create -i kernel -r initrd -k h1.crt --no-verify --hdr-key hdr.key \
	--image-key image.key --cck cck.key -o se.img -q || exit 1
"$PVBOOT" create -i kernel -k h1.crt --no-verify --layout c -o c.img -q ||
	exit 1

# valid FILE KIND VERIFIED: schema-valid and the given shape
valid() {
	python3 - "$SCHEMA" "$@" <<'EOF'
import json, sys, jsonschema
schema, doc, kind, verified = sys.argv[1:5]
d = json.load(open(doc))
jsonschema.validate(d, json.load(open(schema)))
assert d["data"]["kind"] == kind, d["data"]["kind"]
assert str(d["data"]["verified"]).lower() == verified
assert d["meta"]["api_level"] == 1
EOF
}

"$PVBOOT" info --format json se.img >plain.json 2>plain.err
check "unverified JSON is schema-valid (se_hdr, verified false)" \
	valid plain.json se_hdr false
check "unverified JSON carries cipher_data_b64, no secrets" python3 -c "
import json; d = json.load(open('plain.json'))['data']
assert 'cipher_data_b64' in d and 'xts_hex' not in d and 'cck_hex' not in d"
check "an unverified header gets a warning" grep -q "not verified" plain.err
"$PVBOOT" info --format json --hdr-key hdr.key se.img >ver.json
check "verified JSON is schema-valid (se_hdr, verified true)" \
	valid ver.json se_hdr true
check "verified JSON shows no key material" not grep -qE "xts_hex|cck_hex" ver.json
"$PVBOOT" info --format json --hdr-key hdr.key --show-secrets se.img >sec.json
check "decrypted JSON is schema-valid (decrypted_se_hdr)" \
	valid sec.json decrypted_se_hdr true
check "decrypted JSON shows the given image key and CCK" \
	test "$(json_get sec.json 'd["data"]["xts_hex"], d["data"]["cck_hex"]')" \
	= "$(xxd -p -c 64 image.key) $(xxd -p -c 32 cck.key)"
check "decrypted JSON: PSW mask and pcf_hex are 16 digits" \
	test "$(json_get sec.json 'd["data"]["psw"]["mask_hex"], d["data"]["pcf_hex"]')" \
	= "0000000180000000 00000000000000e0"
check "coord_hex has 320 digits, magic is IBMSecEx" \
	test "$(json_get sec.json 'len(d["data"]["cust_pub_key"]["coord_hex"]), d["data"]["magic_hex"]')" \
	= "320 49424d5365634578"
"$PVBOOT" info --format json --host-key h1.key --show-secrets se.img >host.json
check "the host private key opens the header too" \
	valid host.json decrypted_se_hdr true
"$PVBOOT" info --format json:minify c.img >min.json 2>/dev/null
check "json:minify of a Layout-C image is schema-valid, one line" \
	sh -c "python3 -c 'import json; json.load(open(\"min.json\"))' &&
		test \$(wc -l <min.json) -eq 1"
"$PVBOOT" info c.img >pipe.out 2>/dev/null
check "without --format, JSON when stdout is not a terminal" \
	valid pipe.out se_hdr false
check "components listed in the image member" \
	test "$(json_get sec.json '[c["kind"] for c in d["image"]["components"]]')" \
	= "['kernel', 'initrd', 'stage3b']"

"$PVBOOT" info --print-schema json >schema.out
check "--print-schema json prints schema/info.schema.json" cmp schema.out "$SCHEMA"
check "the schema is valid JSON Schema (draft 7)" python3 -c "
import json, jsonschema
jsonschema.Draft7Validator.check_schema(json.load(open('schema.out')))"
expect_rc "--print-schema text has no schema" 0 "No schema" \
	"$PVBOOT" info --print-schema text

expect_rc "text output names layout, components and flags" 0 \
	"pckmo-dea-tdea" "$PVBOOT" info --format text --hdr-key hdr.key se.img
expect_rc "text output hides secrets without --show-secrets" 0 \
	"not shown" "$PVBOOT" info --format text --hdr-key hdr.key se.img
check "text output with --show-secrets prints the image key" \
	grep -q "$(xxd -p -c 64 image.key)" <("$PVBOOT" info --format text \
		--hdr-key hdr.key --show-secrets se.img)
expect_rc "--show-secrets needs a key" 2 "needs --hdr-key" \
	"$PVBOOT" info --show-secrets se.img
expect_rc "a wrong header key is an error" 1 "authentication|tag" \
	"$PVBOOT" info --hdr-key other.key se.img
expect_rc "a header key of the wrong size" 1 "exactly 32 bytes" \
	"$PVBOOT" info --hdr-key initrd se.img
make_hkd h2 || exit 1
expect_rc "a host key without a slot" 1 "no key slot" \
	"$PVBOOT" info --host-key h2.key se.img
expect_rc "a missing image" 1 "cannot open image" "$PVBOOT" info nothere.img
expect_rc "a file that is no image" 1 "not an SE image" "$PVBOOT" info initrd
head -c $((0x14100)) se.img >cut.img
expect_rc "an image cut inside the header" 1 "cut off|past the end" \
	"$PVBOOT" info cut.img
expect_rc "no image given" 2 "IMAGE is missing" "$PVBOOT" info
expect_rc "bad --format" 2 "--format 'yaml'" "$PVBOOT" info --format yaml se.img

done_testing
