#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad-input catalogue, files (tests/README.md, rows F01-F20): missing,
# unreadable, empty, truncated and oversized inputs of every command.  Each
# must end with a message that names the file and the problem, the
# documented exit code, nothing on standard output and no output file.
. "$(dirname "$0")/badinput_common.bash"

# create_bad ID DESCRIPTION PATTERN ARGS...: create fails with exit 1 and
# leaves neither out.img nor its temporary file
create_bad() {
	local id=$1 d=$2 pat=$3
	shift 3
	rm -f out.img
	bad "$id" "$d" 1 "$pat" "$PVBOOT" create -o out.img -q "$@"
	check "$id $d: no output or temporary file" no_leftovers . out.img
}

# the helper itself: once, twice, not at all
printf 'pvboot: error: x\n' >"$W/one"
printf 'pvboot: error: x\npvboot: error: x\n' >"$W/twice"
: >"$W/none"
check "once() takes a message printed once, refuses twice and none" \
	bash -c "$(declare -f once); once '$W/one' error &&
		! once '$W/twice' error && ! once '$W/none' error"
"$PVBOOT" hostkey --out-dir pki -q || exit 1
chain=(-C pki/ibm-signing.crt -C pki/inter-ca.crt --crl pki/root-ca.crl
       --crl pki/inter-ca.crl --crl pki/ibm-signing.crl
       --root-ca pki/root-ca.crt --offline)
head -c 20000 /dev/urandom >initrd
printf 'console' >parm
"$PVBOOT" create -i "$TK" -r initrd -p parm -k pki/host.crt "${chain[@]}" \
	-o se.img -q || exit 1
: >empty
mkdir adir
if [ "$(id -u)" -ne 0 ]; then
	cp pki/host.key locked.key
	cp se.img locked.img
	chmod 000 locked.key locked.img
	unreadable_pat="Permission denied"
else
	# root reads any file: a directory stands in for an unreadable file
	ln -s adir locked.key
	ln -s adir locked.img
	unreadable_pat="directory|not a regular file"
fi

# F: missing files
bad F01 "missing image (info)" 1 "cannot open image 'noimg'.*No such file" \
	"$PVBOOT" info noimg
bad F02 "missing image (run)" 1 "noimg.*No such file" \
	"$PVBOOT" run noimg --host-key pki/host.key
bad F03 "missing host key (run)" 1 "cannot open host key 'nokey'" \
	"$PVBOOT" run se.img --host-key nokey
bad F04 "missing host key (verify)" 1 "nokey.*No such file" \
	"$PVBOOT" verify --host-key nokey se.img
create_bad F05 "missing initrd (create)" "cannot open initrd 'nord'" \
	-i "$TK" -r nord -k pki/host.crt "${chain[@]}"

# unreadable files
bad F06 "unreadable image (info)" 1 "locked.img.*($unreadable_pat)" \
	"$PVBOOT" info locked.img
bad F07 "unreadable host key (run)" 1 "locked.key.*($unreadable_pat)" \
	"$PVBOOT" run se.img --host-key locked.key
bad F08 "unreadable host key (verify)" 1 "locked.key.*($unreadable_pat)" \
	"$PVBOOT" verify --host-key locked.key se.img

# empty files
bad F09 "empty image (info)" 1 "empty is not an SE image" \
	"$PVBOOT" info empty
bad F10 "empty image (run)" 1 "image 'empty' is empty" \
	"$PVBOOT" run empty --host-key pki/host.key
bad F11 "empty host key (run)" 1 "host key 'empty'.*empty" \
	"$PVBOOT" run se.img --host-key empty
create_bad F12 "empty kernel (create)" "kernel 'empty' is empty" \
	-i empty -k pki/host.crt "${chain[@]}"
create_bad F13 "empty host-key document (create)" \
	"host-key document 'empty' is empty" -i "$TK" -k empty "${chain[@]}"

# truncated files
head -c 70000 se.img >cut.img
bad F14 "truncated image (info)" 1 "cut.img: SE header .* past the end of the file" \
	"$PVBOOT" info cut.img
head -c 150 pki/host.key >cut.key
bad F15 "truncated host key (verify)" 1 "cut.key.*no private key" \
	"$PVBOOT" verify --host-key cut.key se.img
head -c 400 pki/host.crt >cut.crt
create_bad F16 "truncated host-key document (create)" "cut.crt" \
	-i "$TK" -k cut.crt "${chain[@]}"

# oversized files
head -c $((1024 * 1024 + 1)) /dev/zero >big.key
bad F17 "oversized host key (run)" 1 "host key 'big.key' is larger than 1048576 bytes" \
	"$PVBOOT" run se.img --host-key big.key
head -c $((4 * 1024 * 1024)) /dev/zero >big.img
bad F18 "image larger than guest memory (run)" 1 "image 'big.img' .* does not fit into 2097152 bytes" \
	"$PVBOOT" run big.img --host-key pki/host.key --memory 2M
head -c 33 /dev/urandom >k33
create_bad F19 "oversized header key (create)" "exactly 32 bytes, got 33" \
	-i "$TK" -k pki/host.crt "${chain[@]}" --hdr-key k33
head -c 5000 /dev/zero | tr '\0' x >longparm
create_bad F20 "oversized parmfile (create)" "longparm|at most" \
	-i "$TK" -p longparm -k pki/host.crt "${chain[@]}"

done_testing
