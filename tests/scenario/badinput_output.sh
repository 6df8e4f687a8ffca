#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad-input catalogue, output (tests/README.md, rows O01-O10): a full disk
# (file-size limit with `ulimit -f`, and a small tmpfs when mounting is
# allowed), writes killed in the middle (SIGTERM, SIGINT, SIGKILL), an
# unwritable destination and an existing output.  Nothing partial may be
# left under the output name.
. "$(dirname "$0")/badinput_common.bash"
FEEDER=
trap '[ -n "$FEEDER" ] && kill "$FEEDER" 2>/dev/null
      umount "$W/full" 2>/dev/null; rm -rf "$W"' EXIT

"$PVBOOT" hostkey --out-dir pki -q || exit 1
chain=(-C pki/ibm-signing.crt -C pki/inter-ca.crt --crl pki/root-ca.crl
       --crl pki/inter-ca.crl --crl pki/ibm-signing.crl
       --root-ca pki/root-ca.crt --offline)
head -c 300000 /dev/urandom >initrd
create=("$PVBOOT" create -i "$TK" -k pki/host.crt "${chain[@]}" -q)

# result ID DESCRIPTION RC WANT PATTERN: judge the last command (its
# stderr in $W/.se)
result() {
	local id=$1 d=$2 rc=$3 want=$4 pat=$5

	if [ "$rc" -eq "$want" ] && once "$W/.se" "$pat"; then
		ok "$id $d: exit $want, clear message"
	else
		not_ok "$id $d (exit $rc, want $want; message must match '$pat', once)"
		sed 's/^/# stderr: /' "$W/.se" | head -5
	fi
}

# O01: the output grows past the file-size limit (EFBIG; SIGXFSZ must not
# kill the process)
rm -f out.img
(ulimit -f 100; exec "${create[@]}" -r initrd -o out.img) 2>"$W/.se"
result O01 "create: output larger than ulimit -f" $? 1 \
	"out.img.*(File too large|file size)"
check "O01 no output or temporary file" no_leftovers . out.img
rm -f out.img out.img.??????

# O02: hostkey on the same limit
(ulimit -f 1; exec "$PVBOOT" hostkey --out-dir hk -q) 2>"$W/.se"
result O02 "hostkey: a file larger than ulimit -f" $? 1 \
	"hk/.*(File too large|file size)"
check "O02 no temporary files in the output directory" \
	not bash -c 'ls -A hk 2>/dev/null | grep -q "^\."'

# O03: a full file system (a 256 KiB tmpfs; needs mount privileges)
mkdir full
if mount -t tmpfs -o size=256k tmpfs full 2>/dev/null; then
	"${create[@]}" -r initrd -o full/out.img 2>"$W/.se"
	result O03 "create: file system full" $? 1 \
		"No space left on device"
	check "O03 no output or temporary file" no_leftovers full out.img
	umount full
else
	ok "O03 create: file system full # SKIP cannot mount a tmpfs here"
	ok "O03 no output or temporary file # SKIP cannot mount a tmpfs here"
fi

# O04-O06: the build is killed while it writes: stdin delivers half of the
# initrd, then stalls, and the signal arrives
killed() {
	local id=$1 sig=$2 pid rc
	rm -f out.img fifo
	mkfifo fifo
	{ head -c 200000 initrd; exec sleep 60; } >fifo &
	FEEDER=$!
	"${create[@]}" -r - -o out.img <fifo 2>"$W/.se" &
	pid=$!
	# the output is open: an unnamed file (O_TMPFILE) or out.img.XXXXXX
	for _ in $(seq 50); do
		ls -l /proc/"$pid"/fd 2>/dev/null | grep -qF -- "-> $W/#" &&
			break
		ls | grep -q '^out\.img\.' && break
		sleep 0.1
	done
	sleep 0.3
	kill -s "$sig" "$pid"
	wait "$pid"
	rc=$?
	kill "$FEEDER" 2>/dev/null
	wait "$FEEDER" 2>/dev/null
	FEEDER=
	return $rc
}
killed O04 TERM
result O04 "create killed by SIGTERM while writing" $? 1 \
	"interrupted; no image was written"
check "O04 no output or temporary file" no_leftovers . out.img
rm -f out.img out.img.??????
killed O05 INT
result O05 "create killed by SIGINT while writing" $? 1 \
	"interrupted; no image was written"
check "O05 no output or temporary file" no_leftovers . out.img
rm -f out.img out.img.??????
killed O06 KILL
rc=$?
if [ "$rc" -eq 137 ] && [ ! -e out.img ]; then
	ok "O06 create killed by SIGKILL while writing: out.img never appears"
else
	not_ok "O06 create killed by SIGKILL (exit $rc; out.img exists: $([ -e out.img ] && echo yes || echo no))"
fi
# the unnamed temporary file dies with the process (create_atomic.sh)
check "O06 no temporary file either" no_leftovers . out.img
rm -f out.img out.img.??????

# O07: the console transcript cannot be written
"$PVBOOT" create -i "$TK" -k pki/host.crt "${chain[@]}" -o se.img -q
"$PVBOOT" run se.img --host-key pki/host.key --transcript /dev/full \
	>/dev/null 2>"$W/.se"
result O07 "run: transcript on a full device" $? 1 \
	"transcript.*/dev/full.*No space left on device"

# O08: standard output is full
"$PVBOOT" info --format json se.img >/dev/full 2>"$W/.se"
result O08 "info: standard output on a full device" $? 1 \
	"writing the output failed"

# O09: the output directory does not exist
"${create[@]}" -r initrd -o nodir/out.img 2>"$W/.se"
result O09 "create: output directory missing" $? 1 "nodir/out.img"
check "O09 nothing created" test ! -e nodir

# O10: the output exists and --overwrite is not given
echo old >exists.img
"${create[@]}" -r initrd -o exists.img 2>"$W/.se"
result O10 "create: output exists" $? 1 "exists; use --overwrite"
check "O10 the existing file is unchanged" grep -qx old exists.img

done_testing
