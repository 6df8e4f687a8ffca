#!/bin/bash
# SPDX-License-Identifier: MIT
# Attestation and secrets from inside a protected Debian kernel
# (attestation-and-secrets.md §2, §6; issue 15): the bookworm-backports
# kernel loads uvdevice.ko, and uvattest (tests/linux/uvattest.c, static
# s390x) talks to /dev/uv.  The attestation request is in the initramfs;
# `pvboot run --save-response` keeps the response the guest printed and
# `pvboot attest verify` checks it against the image.  Add-secret requests
# are bound to the image, so they reach the guest on its console: two are
# added, LOCK locks the store, a third is refused, and the list shows the
# association secret.  TAP; environment PVBOOT and BUILD as for
# tests/scenario.  Skips when the guest cache or the s390x C library is
# missing, unless CI=true.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/linux/common.bash"
skip_all() {
	if [ "${CI:-}" = true ]; then
		echo "not ok 1 - $1 (CI must have it)"
		echo "1..1"
		exit 1
	fi
	echo "ok 1 - # SKIP $1"
	echo "1..1"
	exit 0
}
guest_cache_ok || skip_all "the guest cache $GUEST_CACHE is incomplete (run scripts/fetch-guests.sh)"
command -v s390x-linux-gnu-gcc >/dev/null ||
	skip_all "s390x-linux-gnu-gcc is missing (scripts/setup.sh installs it)"
. "$ROOT/tests/scenario/run_common.bash"

TIMEOUT=${LINUX_TIMEOUT:-120}

check "uvattest builds static for s390x" s390x-linux-gnu-gcc -static -O2 \
	-o uvattest "$ROOT/tests/linux/uvattest.c"
check "attest create -k host.crt -o attest.req -a arpk" \
	"$PVBOOT" attest create -k pki/host.crt --no-verify -o attest.req \
	-a arpk -q --add-data secret-store-hash
printf '%s pvboot.test=attest' "$LINUX_PARM" >parm
"$MKINITRAMFS" -o att.gz --modules "$GUEST_CACHE/bpo/modules" \
	-a uvattest:/bin/uvattest -a attest.req:/attest.req >/dev/null
check "the initramfs with uvdevice, uvattest and the request" test -s att.gz
check "create att.img (bookworm-backports)" "$PVBOOT" create \
	-i "$GUEST_CACHE/bpo/vmlinuz" -r att.gz -p parm -o att.img \
	-k pki/host.crt --no-verify -q

# secret OUT KIND...: an add-secret request bound to att.img
secret() {
	local out=$1
	shift
	"$PVBOOT" secret create -k pki/host.crt --no-verify --hdr att.img \
		-o "$out" -q "$@" 2>/dev/null
}
check "association secret X for att.img" secret s1 association X
check "a meta secret" secret s2 meta
check "association secret Y" secret s3 association Y

if coproc G { "$PVBOOT" run att.img --host-key pki/host.key --memory 512M \
		--timeout "$TIMEOUT" --save-response resp 2>&1; }; then
	exec {TO_G}>&"${G[1]}" {FROM_G}<&"${G[0]}"
	GPID=$G_PID
	: >console
	while IFS= read -r -t "$TIMEOUT" line <&"$FROM_G"; do
		printf '%s\n' "$line" >>console
		case $line in *PVBOOT-PROOF\ ready-for-secrets*) break ;; esac
	done
	{
		base64 -w 0 s1; echo
		base64 -w 0 s2; echo
		echo LOCK
		base64 -w 0 s3; echo
		echo END
	} >&"$TO_G"
	exec {TO_G}>&-
	while IFS= read -r -t "$TIMEOUT" line <&"$FROM_G"; do
		printf '%s\n' "$line" >>console
	done
	wait "$GPID"
	RC=$?
	tr -d '\r' <console >out
	is_rc() {
		if [ "$RC" -eq 0 ]; then ok "$1"; else
			not_ok "$1 (exit $RC)" "$(tail -n 12 out | tr '\n' '|')"
		fi
	}
	is_rc "pvboot run exits 0 after the guest's poweroff"
	check "the guest is protected" has out "PVBOOT-PROOF prot_virt_guest=1"
	check "uvdevice.ko gave it /dev/uv" has out "PVBOOT-PROOF uvdevice=present"
	check "the UV answered the attestation: rc 0x0001" \
		has out "attestation: UV rc 0x0001"
	check "uvattest attest exits 0" has out "PVBOOT-PROOF attest-exit=0"
	check "--save-response kept the response" test -s resp
	expect_verify() {
		"$PVBOOT" attest verify -i resp --hdr att.img -a arpk -o res.yaml \
			>verify.out 2>&1
		if [ $? -eq 0 ]; then ok "$1"; else
			not_ok "$1" "$(head -n 3 verify.out | tr '\n' '|')"
		fi
	}
	expect_verify "attest verify: the response is for att.img"
	check "secret 1 added" has out "PVBOOT-PROOF add1-exit=0"
	check "secret 2 (meta) added" has out "PVBOOT-PROOF add2-exit=0"
	check "LOCK locked the store" has out "PVBOOT-PROOF lock-exit=0"
	check "after LOCK the third add is refused (rc 0x0102)" sh -c \
		"grep -q 'PVBOOT-PROOF add3-exit=1' out &&
		 grep -q 'UV rc 0x0102' out"
	check "the list holds X, by the SHA-256 of its value" has out \
		"id $(printf X | sha256sum | cut -c1-64)"
	check "and not Y" sh -c "! grep -q 'id $(printf Y | sha256sum |
		cut -c1-64)' out"
fi
finish
