#!/bin/bash
# SPDX-License-Identifier: MIT
# No partial output, ever (tests/README.md, rows O11-O13): `pvboot create`
# writes through an unnamed temporary file (O_TMPFILE) that gets its name
# only when complete, so even SIGKILL in the middle of a write leaves
# nothing in the output directory, on a disk file system and on tmpfs; an
# existing output that --overwrite would replace stays as it was.
. "$(dirname "$0")/badinput_common.bash"
PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$W" "${SHM:-}"' EXIT

"$PVBOOT" hostkey --out-dir pki -q || exit 1
# a big initrd that costs no disk: sparse, read back as zeros
truncate -s 768M "$W/big.rd"

# write_offset PID DIR: size of the file PID writes in DIR, or nothing
write_offset() {
	local fd t

	for fd in /proc/"$1"/fd/*; do
		t=$(readlink "$fd" 2>/dev/null) || continue
		case "$t" in "$2"/*) [ "$t" != "$W/big.rd" ] &&
			stat -L -c %s "$fd" 2>/dev/null && return ;;
		esac
	done
}

# kill_mid ID DIR [ARGS]: start create into DIR/out.img, SIGKILL it once
# 64 MiB are written; the directory must list exactly what it did before
kill_mid() {
	local id=$1 d=$2 before after rc size=0
	shift 2
	before=$(ls -A "$d")
	"$PVBOOT" create -i "$TK" -r "$W/big.rd" -k pki/host.crt --no-verify \
		-q -o "$d/out.img" "$@" 2>/dev/null &
	PID=$!
	for _ in $(seq 1000); do
		size=$(write_offset "$PID" "$d")
		[ -n "$size" ] && [ "$size" -ge $((64 << 20)) ] && break
		sleep 0.01
	done
	kill -KILL "$PID" 2>/dev/null
	{ wait "$PID"; } 2>/dev/null
	rc=$?
	PID=
	after=$(ls -A "$d")
	if [ "$rc" -eq 137 ] && [ "${size:-0}" -ge $((64 << 20)) ] &&
	   [ "$before" = "$after" ]; then
		ok "$id SIGKILL after ${size} bytes written in $d: nothing new there"
	else
		not_ok "$id SIGKILL in $d (exit $rc, written ${size:-?} bytes)"
		diff <(echo "$before") <(echo "$after") | sed 's/^/# /'
	fi
}

# a disk file system (the work directory) and tmpfs, when there is one
kill_mid O11 "$W"
SHM=
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	SHM=$(mktemp -d /dev/shm/pvboot-scn.XXXXXX)
	kill_mid O12 "$SHM"
else
	ok "O12 SIGKILL on tmpfs # SKIP no /dev/shm"
fi
echo "# work directory on $(df -PT "$W" | awk 'NR == 2 { print $2 }')"

# the output that --overwrite would replace keeps its bytes
echo old >"$W/out.img"
kill_mid O13 "$W" --overwrite
check "O13 the existing output is unchanged" grep -qx old "$W/out.img"

# and a create that is not killed gives exactly the one new file
rm -f "$W/out.img"
before=$(ls -A "$W" | wc -l)
check "create without a kill" "$PVBOOT" create -i "$TK" -k pki/host.crt \
	--no-verify -q -o "$W/out.img"
check "it adds one file, the image" test "$(ls -A "$W" | wc -l)" -eq \
	$((before + 1)) -a -s "$W/out.img"

done_testing
