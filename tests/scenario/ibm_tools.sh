#!/bin/bash
# SPDX-License-Identifier: MIT
# Images with IBM's own Secure Execution loaders boot the Debian kernel
# (issue 12 §4).  IBM's stage3a.bin and stage3b_reloc.bin come from
# Debian's s390x s390-tools (scripts/fetch-ibm-tools.sh); `pvboot create
# --loader-dir` puts them into SE images of the bookworm-backports kernel
# and the proof initramfs, as pvimg would with the same loaders.  Checked:
# - the loaders have the shape se-image-format.md §2.1/§3 gives them;
# - the image places them where pvimg's layout puts them (§2.3, §3.1),
#   carries IBM's code byte for byte, and is byte for byte the image the
#   independent implementation (tests/indep/seref.py) builds from the same
#   loaders, seed and inputs;
# - `pvboot info`, `verify --loader-dir` (which compares the loaders' code)
#   and `measure` accept it;
# - `pvboot run` boots it protected to the proof init and `poweroff -f`,
#   one and two host keys, with and without a parmfile;
# - IBM's stage3a reports the machine's DIAG 308 failures the way it
#   decodes them (§3.2): no key slot, and a tampered page.
# Debian ships neither genprotimg nor pvimg (no release builds them);
# images made by IBM's genprotimg itself are tests/vectors/ibm-genprotimg,
# booted by ibm_genprotimg.sh.
#
# TAP; environment PVBOOT and BUILD as for tests/scenario.  Skips when
# the guest cache or IBM's loaders are missing, unless CI=true.
# IBM_TOOLS_FULL=1 adds bookworm's kernel (not PV-aware), the other two
# key/parmfile combinations, the C layout, and `reboot -f` back through
# IBM's stage3a.  LINUX_TIMEOUT: seconds per boot (default 120).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/linux/common.bash"
# the prelude makes the test PKI with pvboot itself (host and host2), so
# this script fails against a pvboot that does nothing, even when it skips
. "$ROOT/tests/scenario/run_common.bash"

IBM_CACHE=${PVBOOT_IBM_CACHE:-/var/cache/pvboot/ibm-tools}
FETCH_IBM=$ROOT/scripts/fetch-ibm-tools.sh
L=$IBM_CACHE/s390-tools/loaders
TIMEOUT=${LINUX_TIMEOUT:-120}
POWEROFF_END=${POWEROFF_END:-'^(sigp-stop|poweroff)$'}

# skip_all REASON: nothing to test without the inputs (an error under CI)
skip_all() {
	if [ "${CI:-}" = true ]; then
		not_ok "$1 (CI must fetch it: make guests)"
	else
		ok "# SKIP $1"
	fi
	finish
}
guest_cache_ok ||
	skip_all "the guest cache $GUEST_CACHE is incomplete (run scripts/fetch-guests.sh)"
PVBOOT_IBM_CACHE=$IBM_CACHE bash "$FETCH_IBM" --check -q 2>/dev/null ||
	skip_all "IBM's loaders are not in $IBM_CACHE (run scripts/fetch-ibm-tools.sh)"

# ibm_info KEY: a value of the IBM cache's s390-tools/info
ibm_info() {
	sed -n "s/^$1=//p" "$IBM_CACHE/s390-tools/info" | head -n 1
}

# json FILE PATH: a value of a JSON document (PATH: keys and list indexes
# joined by dots); "" when absent
json() {
	python3 - "$1" "$2" <<'EOF' 2>/dev/null
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(str(v).lower() if isinstance(v, bool) else v)
EOF
}

# is DESCRIPTION GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2'" "want '$3'"
	fi
}

# be64 FILE OFFSET: the big-endian u64 at OFFSET, in decimal
be64() {
	printf '%d' "0x$(od -An -tx1 -j "$2" -N8 "$1" | tr -d ' \n')"
}

# zero_tail FILE N: the last N bytes of FILE are zero
zero_tail() {
	[ "$(tail -c "$2" "$1" | tr -d '\0' | wc -c)" -eq 0 ]
}

up() { echo $((($1 + 0xfff) & ~0xfff)); }
hex() { printf '%016x' "$1"; }

# ---- IBM's loaders -----------------------------------------------------------
VER=$(ibm_info version)
S=$(stat -c %s "$L/stage3a.bin")
S3B=$(stat -c %s "$L/stage3b_reloc.bin")
ok "IBM's loaders: s390-tools $VER ($(ibm_info suite)), $(ibm_info loaders): stage3a $S bytes, stage3b_reloc $S3B bytes"
check "stage3a.bin ends below 0x13000 and needs more than 0x2000 bytes (§2.1)" \
	test "$S" -gt $((0x2000)) -a "$S" -le $((0x3000))
check "its parameter block, the last 24 bytes, is zero before create fills it (§3.1)" \
	zero_tail "$L/stage3a.bin" 24
check "stage3b_reloc.bin's parameter block, the last 64 bytes, is zero (§3.3)" \
	zero_tail "$L/stage3b_reloc.bin" 64
# Images made by IBM's genprotimg itself: ibm_genprotimg.sh (vectors).

# ---- the fetch script: a second run downloads nothing ------------------------
# fetch CACHE [ARGS...]: run fetch-ibm-tools.sh on CACHE without network
# (a network namespace of its own where possible), stderr to fetch.err
NONET=()
unshare -n true 2>/dev/null && NONET=(unshare -n)
fetch() {
	local c=$1

	shift
	PVBOOT_IBM_CACHE=$c ${NONET[@]+"${NONET[@]}"} bash "$FETCH_IBM" "$@" \
		>fetch.out 2>fetch.err
	RC=$?
}
mkdir -p copy/apt
cp -a "$IBM_CACHE"/{store,s390-tools,manifest,.lock} copy/
touch copy/apt/update-stamp
find copy -printf '%p %T@ %s\n' | sort >before
fetch "$T/copy"
find copy -printf '%p %T@ %s\n' | sort >after
is "fetch-ibm-tools: a second run with a fresh index succeeds offline (exit)" "$RC" 0
check "... without an index update or a download" \
	bash -c "! grep -qE 'updating|downloading|cannot reach' fetch.err"
check "... and changes no file" cmp -s before after
fetch "$T/empty" --offline
is "--offline on an empty cache: exit 1" "$RC" 1
check "... naming what is missing" grep -q "lacks: IBM's loaders" fetch.err
fetch "$T/copy" --frobnicate
is "an unknown option: exit 2" "$RC" 2
flip copy/s390-tools/loaders/stage3a.bin 100
fetch "$T/copy" --check
is "a damaged stage3a.bin makes the cache incomplete (exit)" "$RC" 1

# ---- images with IBM's loaders ---------------------------------------------------
printf '%s' "$LINUX_PARM" >parm
head -c 32 /dev/urandom >seed
SUM=$("$MKINITRAMFS" -o bpo.gz --modules "$GUEST_CACHE/bpo/modules" -p 8 |
	sed -n 's/^payload-sha256=//p')
check "proof initramfs with an 8 MiB payload" test -n "$SUM"

# The command line a kernel image carries at 0x10480 (its parmarea): what
# the kernel runs with when the SE image has no parmfile.
builtin_cmdline() {
	dd if="$GUEST_CACHE/$1/vmlinuz" bs=1 skip=$((0x10480)) count=896 \
		2>/dev/null | tr '\0' '\n' | head -n 1
}

# inputs NAME KERNEL KEYS PARM: sets IN to create's input options
inputs() {
	IN=(-i "$GUEST_CACHE/$2/vmlinuz" -r "$2.gz" -k pki/host.crt)
	[ "$3" = 2 ] && IN+=(-k pki/host2.crt)
	[ "$4" = - ] || IN+=(-p "$4")
}

# image NAME KERNEL KEYS PARM [create options]: NAME.img with IBM's loaders
image() {
	local n=$1

	inputs "$@"
	shift 4
	"$PVBOOT" create "${IN[@]}" --loader-dir "$L" --reproducible seed \
		--no-verify -q -o "$n.img" "$@" 2>"$n.create.err"
	is "create $n with --loader-dir IBM's loaders (exit)" "$?" 0
}

# ---- the image as pvimg lays it out, IBM's code in it -----------------------
image bpo-2keys-parm bpo 2 parm
A=bpo-2keys-parm
"$PVBOOT" info --format json --host-key pki/host2.key --show-secrets $A.img >$A.info 2>/dev/null
is "info: layout r (pvimg)" "$(json $A.info image.layout)" r
is "info: the header opens with the second host key" "$(json $A.info data.verified)" true
H=$(up $((0x10000 + S)))
[ "$H" -ge $((0x14000)) ] || H=$((0x14000))
is "the SE header is at max(round_up(0x10000 + S), 0x14000) (§2.3)" \
	"$(json $A.info image.hdr_addr_hex)" "$(hex "$H")"
P=$((0x10000 + S - 24))
is "stage3a's parameter block is its last 24 bytes, at 0x10000 + S - 24 (§3.1)" \
	"$(json $A.info image.stage3a_parms_addr_hex)" "$(hex "$P")"
kinds=$(python3 -c "
import json, sys
print(' '.join(c['kind'] for c in json.load(open('$A.info'))['image']['components']))")
is "components in pvimg's order" "$kinds" "kernel initrd cmdline stage3b"
I=$((16#$(json $A.info image.ipib_addr_hex)))
s3b_end=$((16#$(json $A.info image.components.3.addr_hex) + $(json $A.info image.components.3.len)))
is "the IPIB is the page after stage3b" "$I" "$(up "$s3b_end")"
is "the file ends with the IPIB of 136 + 24 * 4 bytes" \
	"$(stat -c %s $A.img)" $((I + 136 + 24 * 4))
is "metadata at 0xC000 names the header and the IPIB" \
	"$(json $A.info image.metadata.hdr_off_hex) $(json $A.info image.metadata.ipib_off_hex)" \
	"$(hex "$H") $(hex "$I")"
is "stage3a parameters: hdr_offs, hdr_size (560 + 80 * 2), ipib_offs" \
	"$(be64 $A.img $P) $(be64 $A.img $((P + 8))) $(be64 $A.img $((P + 16)))" \
	"$((H - P)) 720 $((I - P))"
check "the image carries IBM's stage3a byte for byte up to its parameter block" \
	cmp -s -n $((S - 24)) "$L/stage3a.bin" $A.img 0 $((0x10000))
is "the header PSW starts IBM's stage3b_reloc (the last component)" \
	"$(json $A.info data.psw.addr_hex)" "$(json $A.info image.components.3.addr_hex)"

"$PVBOOT" verify --host-key pki/host2.key --loader-dir "$L" -i "$GUEST_CACHE/bpo/vmlinuz" \
	-r bpo.gz -p parm --format json $A.img >$A.verify 2>$A.verify.err
is "verify --loader-dir IBM's loaders: verified (exit)" "$?" 0
is "... with both loaders compared (no notes)" \
	"$(python3 -c "import json; print(len(json.load(open('$A.verify'))['data']['notes']))")" 0
is "... stage3b's arguments name the kernel at 0x15000 and entry 0x10000" \
	"$(json $A.verify data.stage3b.kernel_src_hex) $(json $A.verify data.stage3b.psw.addr_hex)" \
	"0000000000015000 0000000000010000"
# without --loader-dir verify expects pvboot's own loaders: it says that
# these are others; with a copy of IBM's where one byte of stage3b's code
# differs, the comparison fails
"$PVBOOT" verify --host-key pki/host2.key --format json $A.img >ours.json 2>/dev/null
is "verify with pvboot's loaders expected: verified, and notes that both are others" \
	"$(json ours.json data.verified) $(grep -c 'is not the expected loader' ours.json)" "true 2"
mkdir ibm-bad
cp "$L"/stage3a.bin "$L"/stage3b_reloc.bin ibm-bad/
flip ibm-bad/stage3b_reloc.bin 256
"$PVBOOT" verify --host-key pki/host2.key --loader-dir ibm-bad $A.img >bad.out 2>&1
RC=$?
if [ "$RC" -eq 2 ] && grep -q 'stage3b page 0 .*byte 0x100 differs from the stage3b loader' bad.out; then
	ok "verify --loader-dir compares the code: one byte of stage3b off gives exit 2"
else
	not_ok "verify --loader-dir compares the code: one byte of stage3b off gives exit 2" \
		"exit $RC" "$(head -n 2 bad.out)"
fi
want=$(json $A.info data.pld_hex)$(json $A.info data.ald_hex)$(json $A.info data.tld_hex)$(json $A.info data.tag_hex)
inputs $A bpo 2 parm
is "measure --loader-dir: PLD, ALD, TLD and tag of the image" \
	"$("$PVBOOT" measure "${IN[@]}" --loader-dir "$L" --reproducible seed --format hex 2>/dev/null)" \
	"$want"

# the independent implementation builds the same bytes from IBM's loaders
PY=/usr/bin/python3
REF=$ROOT/tests/indep/seref.py
"$PY" "$REF" build --seed seed --stage3a "$L/stage3a.bin" \
	--stage3b "$L/stage3b_reloc.bin" "${IN[@]}" -o ref-$A.img >/dev/null 2>ref.err
is "seref.py builds an image from IBM's loaders (exit)" "$?" 0
check "pvboot create's image is byte for byte seref.py's" cmp -s $A.img ref-$A.img

image bpo-1key-noparm bpo 1 -
B=bpo-1key-noparm
inputs $B bpo 1 -
"$PY" "$REF" build --seed seed --stage3a "$L/stage3a.bin" \
	--stage3b "$L/stage3b_reloc.bin" "${IN[@]}" -o ref-$B.img >/dev/null 2>ref.err
check "$B: byte for byte seref.py's too" cmp -s $B.img ref-$B.img
"$PY" "$REF" open --host-key pki/host.key -i "$GUEST_CACHE/bpo/vmlinuz" \
	-r bpo.gz $B.img >open.json 2>open.err
is "$B: seref.py opens it with the host key and finds kernel and initrd (exit)" "$?" 0

# ---- boots ---------------------------------------------------------------------
# boot NAME KERNEL KEY CMDLINE: boot NAME.img, check the run and the proof
boot() {
	local n=$1 k=$2 key=$3 want_cmd=$4 pv=0 rel

	[ "$k" = bpo ] && pv=1
	rel=$(guest_info "$k" release)
	"$PVBOOT" run "$n.img" --host-key "$key" --memory 512M --json \
		--timeout "$TIMEOUT" >"$n.json" 2>"$n.console" </dev/null
	RC=$?
	is "$n: pvboot run exits 0 ($(json "$n.json" end), $(json "$n.json" microseconds) us)" "$RC" 0
	if [[ "$(json "$n.json" end)" =~ $POWEROFF_END ]]; then
		ok "$n: the guest powered off ($(json "$n.json" end))"
	else
		not_ok "$n: the guest powered off" \
			"end '$(json "$n.json" end)': $(json "$n.json" detail)" \
			"console: $(tr -d '\r' <"$n.console" | tail -n 4 | tr '\n' '|')"
	fi
	is "$n: protected at the end" "$(json "$n.json" protected)" true
	is "$n: the UV verified the image" "$(json "$n.json" verify.rc)" 1
	is "$n: IBM's stage3a set the PV IPL block (DIAG 308 subcode 8 from 0x11000..0x$(printf %x $((0x10000 + S))))" \
		"$(python3 -c "
import json
e = json.load(open('$n.json'))['diag308']['events'][0]
a = int(e['psw_addr'], 16)
print(e['subcode'], 0x11000 <= a < 0x10000 + $S)")" "8 True"
	is "$n: one proof block" "$(proof_blocks "$n.console")" 1
	is "$n: init runs as pid 1" "$(proof_value "$n.console" pid)" 1
	is "$n: the kernel is $rel" "$(proof_value "$n.console" kernel)" "$rel"
	is "$n: prot_virt_guest" "$(proof_value "$n.console" prot_virt_guest)" "$pv"
	is "$n: /proc/cmdline" "$(proof_value "$n.console" cmdline)" "$want_cmd"
	is "$n: sha256 of the 8 MiB payload" \
		"$(proof_value "$n.console" payload-sha256)" "$SUM"
	is "$n: poweroff -f" "$(proof_value "$n.console" action)" poweroff
	if [ "$pv" = 1 ]; then
		check "$n: uvdevice.ko loads (/dev/uv)" \
			grep -q '^PVBOOT-PROOF uvdevice=present' "$n.console"
	fi
}

BUILTIN=$(builtin_cmdline bpo)
check "the backports kernel carries a command line of its own" test -n "$BUILTIN"
boot $A bpo pki/host2.key "$LINUX_PARM"
boot $B bpo pki/host.key "$BUILTIN"

# ---- IBM's stage3a on the machine's failures (the test kernel, fast) ----------
"$PVBOOT" create -i "$KERNEL" -k pki/host.crt --loader-dir "$L" --no-verify \
	-q -o tk.img 2>/dev/null
is "create the test kernel with IBM's loaders (exit)" "$?" 0
run_pvboot out err tk.img --host-key pki/host.key --timeout 30 </dev/null
expect_exit "the test kernel boots through IBM's loaders" 0
check "... and passes its checks" has out 'all checks passed'

# fails NAME KEY WHY RC-LINE: IBM's stage3a prints WHY and RC-LINE once each,
# ends in its disabled wait 0x4608 (EPV), pvboot exits 1
fails() {
	run_pvboot "$1.out" "$1.err" "$1.img" --host-key "$2" --timeout 30 </dev/null
	cat "$1.out" "$1.err" | tr -d '\r' >"$1.txt"
	is "$1: pvboot run exits 1" "$RC" 1
	is "$1: IBM's stage3a says: $3" "$(grep -cxF -- "$3" "$1.txt")" 1
	is "$1: ... and: $4" "$(grep -cxF -- "$4" "$1.txt")" 1
	check "$1: ... and stops in its wait 0x4608 (EPV)" has "$1.txt" 'wait code:   0x4608'
}
cp tk.img noslot.img
fails noslot pki/host2.key \
	'The host key hash of the IBM Secure Execution image does not match the host key of the installed key bundle.' \
	'Protected boot failed: 0xa02, KVM_PV_SET_SEC_PARMS - RC: 0x108, RRC:0x5'
cp tk.img tampered.img
flip tampered.img $((0x15800))
fails tampered pki/host.key 'Page digest list (PLD) mismatch.' \
	'Protected boot failed: 0xa02, KVM_PV_VERIFY - RC: 0x102, RRC:0x1b'

# ---- the long variant ------------------------------------------------------------
if [ "${IBM_TOOLS_FULL:-0}" = 1 ]; then
	"$MKINITRAMFS" -o bookworm.gz --modules "$GUEST_CACHE/bookworm/modules" \
		-p 8 >/dev/null
	image bookworm-1key-parm bookworm 1 parm
	boot bookworm-1key-parm bookworm pki/host.key "$LINUX_PARM"
	image bpo-1key-parm bpo 1 parm
	boot bpo-1key-parm bpo pki/host.key "$LINUX_PARM"
	image bpo-2keys-noparm bpo 2 -
	boot bpo-2keys-noparm bpo pki/host2.key "$BUILTIN"
	image bpo-layout-c bpo 2 parm --layout c
	boot bpo-layout-c bpo pki/host.key "$LINUX_PARM"
	printf '%s pvboot.test=reboot' "$LINUX_PARM" >parm-reboot
	image reboot bpo 1 parm-reboot
	"$PVBOOT" run reboot.img --host-key pki/host.key --memory 512M --json \
		--timeout $((2 * TIMEOUT)) >reboot.json 2>reboot.console </dev/null
	is "reboot: pvboot run exits 0 ($(json reboot.json end))" "$?" 0
	is "reboot: two IPLs through IBM's stage3a" "$(json reboot.json ipls)" 2
	is "reboot: two switches into protected mode" "$(json reboot.json protects)" 2
	is "reboot: the second boot is protected again" \
		"$(proof_value reboot.console prot_virt_guest 2)" 1
	is "reboot: and knows it is the second" "$(proof_value reboot.console boot 2)" 2
fi

finish
