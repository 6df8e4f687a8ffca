#!/bin/bash
# SPDX-License-Identifier: MIT
# The add-secret, list and lock loop (attestation-and-secrets.md §6):
# `pvboot secret create` makes requests bound to an image of the test
# kernel with "pvboot.secrets"; `pvboot run` feeds them to the guest on its
# console input; the guest adds them (UVC 0x1031), locks the store on
# "LOCK" (0x1034), prints List Secrets (0x1033) after each step, and an
# attestation request given the same way shows the secret-store hash.
#
# The requests reach the guest through SCLP console input (ASCII console
# events), from a file and, for the live part, from a pipe the script
# keeps writing to while the guest runs.
. "$(dirname "$0")/run_common.bash"

# block KIND FILE: FILE in Base64 between the test kernel's framing lines
block() {
	echo "-----BEGIN PV$1 REQUEST-----"
	base64 -w 64 "$2"
	echo "-----END PV$1 REQUEST-----"
}

# secret NAME OUT [OPTIONS...] KIND...: a request for sec.img
secret() {
	local out=$1
	shift
	"$PVBOOT" secret create -k pki/host.crt --no-verify --hdr sec.img \
		-o "$out" -q "$@" 2>/dev/null
}

check "an image of the test kernel with pvboot.secrets" \
	se_image sec.img "pvboot.secrets"

# The guest reads console input: "END" ends the loop on an empty store.
printf 'END\n' | "$PVBOOT" run sec.img --host-key pki/host.key \
	--timeout 20 >probe.out 2>&1
check "the guest enabled console input and listed the empty store" \
	grep -q "secrets: list rc 0x0001, 0 of 0" probe.out
check "the guest read END from its console input" \
	grep -q "secrets: end of input" probe.out

# --- add, list, lock, add again, attest --------------------------------------
check "association secret X" secret s1 association X --output-secret x.secret
check "a meta secret with disable-dump" secret s2 --flags disable-dump meta
check "association secret Y" secret s3 association Y
check "an attestation request for the secret-store hash" \
	"$PVBOOT" attest create -k pki/host.crt --no-verify -o areq -a arpk -q \
	--add-data secret-store-hash
{
	block SECRET s1
	block SECRET s2
	echo LOCK
	block SECRET s3
	block ATTEST areq
	echo END
} >input.txt
run_pvboot out err sec.img --host-key pki/host.key --save-response resp \
	<input.txt
expect_exit "the guest reads the requests and ends" 0
check "request 1 (X) is added" has out "secrets: request 1: UV rc 0x0001"
check "the list shows index 0, an association, ID SHA-256(X)" \
	has out "  0: type 0x0002 length 32 id $(printf X | sha256sum | cut -c1-64)"
check "request 2 (meta) is added" has out "secrets: request 2: UV rc 0x0001"
check "meta secrets are not listed" has out "secrets: list rc 0x0001, 1 of 1"
check "LOCK locks the store" has out "secrets: lock: UV rc 0x0001"
check "after LOCK an add is refused: rc 0x0102" \
	has out "secrets: request 3: UV rc 0x0102"
check "the store still holds X only" \
	test "$(grep -c '  1: type' out)" -eq 0
want=$( (tail -c 16 s1; tail -c 16 s2; printf '\1') | sha512sum | cut -c1-128)
check "the attestation shows SHA-512(tag1 || tag2 || 01)" \
	has out "secret-store hash: $want"
expect_rc() {
	local d=$1 w=$2
	shift 2
	"$@" >rc.out 2>&1
	if [ $? -eq "$w" ]; then ok "$d"; else not_ok "$d" "$(head -3 rc.out)"; fi
}
expect_rc "and that response verifies" 0 \
	"$PVBOOT" attest verify -i resp --hdr sec.img -a arpk -o res.yaml
check "with the same hash in the YAML" grep -qx "  secret_store_hash: 0x$want" \
	res.yaml

# --- requests the UV refuses -------------------------------------------------
check "an image with another initrd" se_image other.img "pvboot.secrets" \
	probe.out
check "a request bound to the other image" \
	"$PVBOOT" secret create -k pki/host.crt --no-verify --hdr other.img \
	-o bad1 -q association Z
check "a request for another host key" \
	"$PVBOOT" secret create -k pki/host2.crt --no-verify --hdr sec.img \
	-o bad2 -q association Z
check "a request bound to another instance" \
	secret bad3 --cuid-hex 0x00112233445566778899aabbccddeeff association Z
{ block SECRET bad1; block SECRET bad2; block SECRET bad3; echo END; } \
	>input2.txt
run_pvboot out err sec.img --host-key pki/host.key <input2.txt
expect_exit "the guest ends normally" 0
check "another image: rc 0x010c" has out "secrets: request 1: UV rc 0x010c"
check "another host key: rc 0x0108" has out "secrets: request 2: UV rc 0x0108"
check "another instance: rc 0x010c" has out "secrets: request 3: UV rc 0x010c"
check "nothing was added" test "$(grep -c '  0: type' out)" -eq 0

# --- a secret bound to this very instance (attest first, then add) ----------
if coproc RUN { "$PVBOOT" run sec.img --host-key pki/host.key --timeout 60 \
		2>&1; }; then
	# Bash drops RUN and RUN_PID when the coprocess ends: keep copies.
	exec {TO_GUEST}>&"${RUN[1]}" {FROM_GUEST}<&"${RUN[0]}"
	RPID=$RUN_PID
	block ATTEST areq >&"$TO_GUEST"
	: >live.out
	while IFS= read -r -t 30 line <&"$FROM_GUEST"; do
		echo "$line" >>live.out
		case $line in -----END\ PVATTEST\ RESPONSE-----) break ;; esac
	done
	sed -n '/BEGIN PVATTEST RESPONSE/,/END PVATTEST RESPONSE/p' live.out |
		grep -v -- ----- | base64 -d >live.resp
	"$PVBOOT" attest verify -i live.resp --hdr sec.img -a arpk \
		-o live.yaml -q
	check "the live guest's response verifies" test -s live.yaml
	secret bound --cuid live.yaml association bound
	{ block SECRET bound; echo END; } >&"$TO_GUEST"
	exec {TO_GUEST}>&-
	while IFS= read -r -t 30 line <&"$FROM_GUEST"; do
		echo "$line" >>live.out
	done
	wait "$RPID"
	check "the live guest ends in the test kernel's success wait" \
		has live.out "wait code:   0xc0de0000"
	check "a request bound to its CUID is added: rc 0x0001" \
		has live.out "secrets: request 1: UV rc 0x0001"
fi
finish
