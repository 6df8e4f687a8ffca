#!/bin/bash
# SPDX-License-Identifier: MIT
# The JSON output of info, measure, verify and run against the published
# schemas (schema/*.schema.json): --print-schema prints them byte for byte,
# they are valid draft-7 schemas, real output of every shape validates,
# and wrong documents do not.
. "$(dirname "$0")/image_common.bash"

S=$ROOT/schema
SCHEMA_CMDS="info measure verify run attest"

check "schema/ holds one schema per command with JSON output" test \
	"$(cd "$S" && ls *.schema.json | tr '\n' ' ')" = \
	"attest.schema.json info.schema.json measure.schema.json run.schema.json verify.schema.json "
for c in $SCHEMA_CMDS; do
	for form in "--print-schema" "--print-schema=json" "--print-schema json"; do
		# shellcheck disable=SC2086
		"$PVBOOT" "$c" $form >"schema.$c.out" 2>&1
		check "$c $form prints schema/$c.schema.json" \
			cmp "schema.$c.out" "$S/$c.schema.json"
	done
	expect_rc "$c --print-schema=text: the text output has none" 0 \
		"No schema for the text output" "$PVBOOT" "$c" --print-schema=text
	expect_rc "$c --print-schema=yaml is a usage error" 2 \
		"--print-schema 'yaml'" "$PVBOOT" "$c" --print-schema=yaml
done
expect_rc "create has no JSON output to describe" 2 "no JSON output" \
	"$PVBOOT" create --print-schema

# Inputs: the test kernel, a test PKI, images.
cp "$ROOT/$BUILD/boot/testkernel.bin" kernel 2>/dev/null ||
	cp "$BUILD/boot/testkernel.bin" kernel
head -c 20000 /dev/urandom >initrd
echo "console=sclp" >parmfile
head -c 32 /dev/urandom >hdr.key
head -c 32 /dev/urandom >seed
"$PVBOOT" hostkey --out-dir pki -q || exit 1
"$PVBOOT" create -i kernel -r initrd -p parmfile -k pki/host.crt --no-verify \
	--hdr-key hdr.key --reproducible seed -o se.img -q || exit 1
cp se.img bad.img
flip bad.img $((0x15000 + 5000))	# a kernel page (Layout-R: kernel at 0x15000)
cp se.img "odd\"name$(printf '\xff').img"

# doc NAME EXPECTED_RC COMMAND...: keep stdout as NAME.json
doc() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$name.json" 2>"$name.err"
	rc=$?
	check "$name: exit status $want" sh -c "test $rc -eq $want || { cat $name.err; exit 1; }"
}
doc info 0 "$PVBOOT" info --format json --hdr-key hdr.key --show-secrets se.img
doc info-plain 0 "$PVBOOT" info --format json:minify se.img
doc measure 0 "$PVBOOT" measure -i kernel -r initrd -p parmfile \
	--reproducible seed --format json
doc measure-tag 0 "$PVBOOT" measure -i kernel -r initrd -p parmfile \
	--reproducible seed -k pki/host.crt --hdr-key hdr.key --format json
doc verify-hpk 0 "$PVBOOT" verify --hdr-key hdr.key --format json se.img
doc verify-host 0 "$PVBOOT" verify --host-key pki/host.key --format json \
	-i kernel -r initrd -p parmfile se.img
doc verify-bad 2 "$PVBOOT" verify --host-key pki/host.key --format json \
	-i kernel bad.img
doc verify-odd 0 "$PVBOOT" verify --hdr-key hdr.key --format json odd*.img
doc run 0 "$PVBOOT" run se.img --host-key pki/host.key --json
doc run-format 0 "$PVBOOT" run se.img --host-key pki/host.key --format json
doc run-plain 0 "$PVBOOT" run kernel --format json --append "x=1"
doc run-refused 1 "$PVBOOT" run se.img --json

# One python run: "SCHEMA DOC valid|invalid [python assertion on d]" lines.
cat >cases <<'EOF'
info info valid d["data"]["kind"] == "decrypted_se_hdr"
info info-plain valid not d["data"]["verified"]
measure measure valid "tag_hex" not in d["data"] and d["data"]["nep"] > 0
measure measure-tag valid len(d["data"]["tag_hex"]) == 32
verify verify-hpk valid d["data"]["verified"] and "slot" not in d["data"] and d["data"]["key"] == "hdr-key"
verify verify-host valid d["data"]["slot"] == 0 and d["data"]["stage3b"]["cmdline_size"] == 14
verify verify-bad valid d["data"]["failure"]["region"] == "component" and d["data"]["failure"]["component"]["kind"] == "kernel" and d["data"]["failure"]["component"]["page"] == 1
verify verify-odd valid d["data"]["image"] == 'odd"name\ufffd.img'
run run valid d["protected"] and d["exit_status"] == 0 and d["verify"]["rc"] == 1
run run-format valid d["wait_code"] == "00000000c0de0000"
run run-plain valid not d["protected"] and d["end"] == "disabled-wait"
run run-refused valid d["exit_status"] == 1 and d["wait_meaning"].startswith("stage3a")
EOF
cat >check.py <<'EOF'
import copy, json, sys, jsonschema
sdir = sys.argv[1]
def schema(name):
	return json.load(open('%s/%s.schema.json' % (sdir, name)))
for name in ('info', 'measure', 'verify', 'run', 'attest'):
	try:
		jsonschema.Draft7Validator.check_schema(schema(name))
		print('PASS %s.schema.json is a valid draft-7 schema' % name)
	except Exception as e:
		print('FAIL %s.schema.json is a valid draft-7 schema: %s' % (name, e))
docs = {}
for line in open('cases'):
	s, name, want, expr = line.rstrip('\n').split(' ', 3)
	what = '%s.json is %s against %s.schema.json, %s' % (name, want, s, expr)
	try:
		d = json.load(open(name + '.json', encoding='utf-8'))
		docs[name] = d
		jsonschema.validate(d, schema(s))
		assert eval(expr), 'assertion false'
		print('PASS ' + what)
	except Exception as e:
		print('FAIL %s: %s' % (what, str(e).split('\n')[0]))
# Wrong documents must fail: each change breaks one rule of a schema.
def broken(s, name, change, why):
	d = copy.deepcopy(docs[name])
	change(d)
	try:
		jsonschema.validate(d, schema(s))
		print('FAIL the %s schema rejects %s' % (s, why))
	except jsonschema.ValidationError:
		print('PASS the %s schema rejects %s' % (s, why))
broken('verify', 'verify-hpk', lambda d: d['data'].pop('pld_hex'),
       'a verified result without digests')
broken('verify', 'verify-bad', lambda d: d['data'].update(nep=3),
       'digests in a failed result')
broken('verify', 'verify-hpk', lambda d: d['data'].update(slot=0),
       'a key slot with the header key')
broken('measure', 'measure', lambda d: d['data'].update(pld_hex='ab'),
       'a short PLD')
broken('run', 'run', lambda d: d.pop('diag308'), 'a summary without DIAG 308')
broken('run', 'run', lambda d: d.update(end='crashed'), 'an unknown end')
broken('info', 'info', lambda d: d['data'].pop('xts_hex'),
       'a decrypted header without the image key')
broken('info', 'info', lambda d: d.update(extra=1), 'an unknown member')
EOF
python3 check.py "$S" >check.out 2>&1
while IFS= read -r line; do
	case $line in
	PASS*) ok "${line#PASS }" ;;
	FAIL*) not_ok "${line#FAIL }" ;;
	*) not_ok "check.py: $line" ;;
	esac
done <check.out
check "every case was checked" test "$(grep -c . check.out)" -eq \
	$((5 + $(wc -l <cases) + 8))

check "run --json is one line" test "$(wc -l <run.json)" -eq 1
check "verify --format json of a bad image says why on no other channel" \
	test ! -s verify-bad.err
check "run --format json equals --json (but for times and counters)" \
	sh -c "grep -o '\"end\":\"[a-z-]*\",\"exit_status\":[0-9]' run.json >a &&
	       grep -o '\"end\":\"[a-z-]*\",\"exit_status\":[0-9]' run-format.json >b &&
	       test -s a && cmp a b"

done_testing
