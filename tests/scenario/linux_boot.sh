#!/bin/bash
# SPDX-License-Identifier: MIT
# Debian kernels boot protected, end to end (issue 12 §1): the busybox
# proof initramfs with an 8 MiB payload, SE images made by `pvboot create`
# for the bookworm-backports kernel (PV-aware) and bookworm's (not), with
# one and two host keys, with and without a parmfile, each booted by
# `pvboot run --json`; then `reboot -f`, which must re-IPL into protected
# mode again.  TAP; environment PVBOOT and BUILD as for tests/scenario.
# Skips when the guest cache is incomplete, unless CI=true.
#
# Per boot: exit 0 and the JSON end reason of a powered-off guest (see
# POWEROFF_END), still protected, verify rc 1; the proof block: pid 1,
# prot_virt_guest 1 (backports) or 0 (bookworm), /proc/cmdline equal to
# the parmfile (empty without one), the payload's sha256, the kernel
# release, 8 MiB read by dd into a 4 MiB buffer; uvdevice.ko loads on the
# PV-aware kernel.
#
# LINUX_FULL=1 boots all eight combinations instead of four;
# LINUX_TIMEOUT (seconds per boot, default 120).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/linux/common.bash"
if ! guest_cache_ok; then
	if [ "${CI:-}" = true ]; then
		echo "not ok 1 - the guest cache $GUEST_CACHE is complete (CI must fetch it: make guests)"
		echo "1..1"
		exit 1
	fi
	echo "ok 1 - # SKIP the guest cache $GUEST_CACHE is incomplete (run scripts/fetch-guests.sh)"
	echo "1..1"
	exit 0
fi
. "$ROOT/tests/scenario/run_common.bash"

TIMEOUT=${LINUX_TIMEOUT:-120}
# How the JSON summary names the end of a guest that powered off: Linux's
# poweroff stops the CPU with SIGP stop (pv-machine-and-uv.md SIGP); the
# machine reports that as "sigp-stop" today.  A dedicated "poweroff" name
# is accepted as well.
POWEROFF_END=${POWEROFF_END:-'^(sigp-stop|poweroff)$'}

# json FILE KEY[.KEY]: a value of the JSON summary ("" when absent)
json() {
	python3 - "$1" "$2" <<'EOF' 2>/dev/null
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
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

printf '%s' "$LINUX_PARM" >parm
SUM=$("$MKINITRAMFS" -o plain.gz -p 8 | sed -n 's/^payload-sha256=//p')
check "proof initramfs with an 8 MiB payload" test -n "$SUM"

# image NAME KERNEL KEYS PARMFILE: an SE image (KEYS 1 or 2, PARMFILE or -)
image() {
	local args=(-i "$GUEST_CACHE/$2/vmlinuz" -r "$2.gz" -o "$1.img"
		-k pki/host.crt)

	[ "$3" = 2 ] && args+=(-k pki/host2.crt)
	[ "$4" = - ] || args+=(-p "$4")
	check "create $1" "$PVBOOT" create "${args[@]}" --no-verify -q
}

# boot NAME KERNEL KEY CMDLINE: boot NAME.img, check the run and the proof
boot() {
	local n=$1 k=$2 key=$3 want_cmd=$4 pv rel

	pv=0
	[ "$k" = bpo ] && pv=1
	rel=$(guest_info "$k" release)
	"$PVBOOT" run "$n.img" --host-key "$key" --memory 512M --json \
		--timeout "$TIMEOUT" >"$n.json" 2>"$n.console" </dev/null
	RC=$?
	is "$n: pvboot run exits 0 ($(json "$n.json" end), $(json "$n.json" microseconds) us)" "$RC" 0
	if [[ "$(json "$n.json" end)" =~ $POWEROFF_END ]]; then
		ok "$n: the summary says the guest powered off ($(json "$n.json" end))"
	else
		not_ok "$n: the summary says the guest powered off" \
			"end '$(json "$n.json" end)': $(json "$n.json" detail)" \
			"console: $(tr -d '\r' <"$n.console" | tail -n 4 | tr '\n' '|')"
	fi
	is "$n: protected at the end" "$(json "$n.json" protected)" true
	is "$n: the UV verified the image" "$(json "$n.json" verify.rc)" 1
	is "$n: one proof block" "$(proof_blocks "$n.console")" 1
	is "$n: init runs as pid 1" "$(proof_value "$n.console" pid)" 1
	is "$n: the kernel is $rel" "$(proof_value "$n.console" kernel)" "$rel"
	is "$n: prot_virt_guest" "$(proof_value "$n.console" prot_virt_guest)" "$pv"
	is "$n: /proc/cmdline is the parmfile (or the kernel's own)" \
		"$(proof_value "$n.console" cmdline)" "$want_cmd"
	is "$n: sha256 of the 8 MiB payload" \
		"$(proof_value "$n.console" payload-sha256)" "$SUM"
	is "$n: dd into a 4 MiB buffer read 8 MiB" \
		"$(proof_value "$n.console" bigread)" 8388608
	is "$n: poweroff -f" "$(proof_value "$n.console" action)" poweroff
	if [ "$pv" = 1 ]; then
		check "$n: uvdevice.ko loads (/dev/uv)" \
			grep -q '^PVBOOT-PROOF uvdevice=present' "$n.console"
	fi
}

# Without a parmfile nothing overwrites the command line the kernel image
# carries at 0x10480 (its parmarea), so the kernel runs with that one.
builtin_cmdline() {
	dd if="$GUEST_CACHE/$1/vmlinuz" bs=1 skip=$((0x10480)) count=896 \
		2>/dev/null | tr '\0' '\n' | head -n 1
}

for k in bpo bookworm; do
	"$MKINITRAMFS" -o "$k.gz" --modules "$GUEST_CACHE/$k/modules" -p 8 \
		>/dev/null
	BUILTIN=$(builtin_cmdline "$k")
	check "$k: the kernel image carries a command line of its own" \
		test -n "$BUILTIN"
	image "$k-1key-parm" "$k" 1 parm
	boot "$k-1key-parm" "$k" pki/host.key "$LINUX_PARM"
	image "$k-2keys-noparm" "$k" 2 -
	boot "$k-2keys-noparm" "$k" pki/host2.key "$BUILTIN"
	if [ "${LINUX_FULL:-0}" = 1 ]; then
		image "$k-2keys-parm" "$k" 2 parm
		boot "$k-2keys-parm" "$k" pki/host2.key "$LINUX_PARM"
		image "$k-1key-noparm" "$k" 1 -
		boot "$k-1key-noparm" "$k" pki/host.key "$BUILTIN"
	fi
done

# ---- reboot -f: re-IPL, back into protected mode --------------------------
# The first boot arms a CCW re-IPL block with loadparm PVBOOT2 and reboots;
# the machine keeps that block in its normal IPL slot across the re-IPL,
# stage3a enters protected mode again, and the second boot finds the block
# and powers off (tests/linux/init-proof.sh).  If the second boot cannot
# tell, it reboots again and the run ends by --timeout: the checks of the
# second block below still show whether it came back protected.
printf '%s pvboot.test=reboot' "$LINUX_PARM" >parm-reboot
image reboot bpo 1 parm-reboot
"$PVBOOT" run reboot.img --host-key pki/host.key --memory 512M --json \
	--timeout $((2 * TIMEOUT)) >reboot.json 2>reboot.console </dev/null
RC=$?
is "reboot: pvboot run exits 0 ($(json reboot.json end))" "$RC" 0
is "reboot: two IPLs" "$(json reboot.json ipls)" 2
is "reboot: two switches into protected mode" "$(json reboot.json protects)" 2
is "reboot: two proof blocks" "$(proof_blocks reboot.console)" 2
is "reboot: first boot protected" "$(proof_value reboot.console prot_virt_guest 1)" 1
is "reboot: the re-IPL block was armed" "$(proof_value reboot.console reipl 1)" armed
is "reboot: the first boot reboots" "$(proof_value reboot.console action 1)" reboot
is "reboot: the second boot is protected again" \
	"$(proof_value reboot.console prot_virt_guest 2)" 1
is "reboot: init is pid 1 again" "$(proof_value reboot.console pid 2)" 1
is "reboot: the second boot knows it (IPL block loadparm PVBOOT2)" \
	"$(proof_value reboot.console boot 2)" 2
is "reboot: the parmfile again" "$(proof_value reboot.console cmdline 2)" \
	"$LINUX_PARM pvboot.test=reboot"
is "reboot: then poweroff -f" "$(proof_value reboot.console action 2)" poweroff

# ---- --smp and --trace ----------------------------------------------------
# Two CPUs: the secondary stays stopped until Linux starts it (SIGP initial
# reset, set prefix, restart) and the hypervisor sets its UV state.  The
# same run is traced: --trace must log without changing what the guest
# does.
"$PVBOOT" run bpo-1key-parm.img --host-key pki/host.key --memory 512M \
	--smp 2 --json --trace --timeout "$TIMEOUT" >trace.json 2>trace.err \
	</dev/null
is "trace: pvboot run --smp 2 --trace exits 0" "$?" 0
is "smp: the summary counts 2 CPUs" "$(json trace.json cpus)" 2
is "smp: Linux brought both online" "$(proof_value trace.err cpus)" 0-1
is "smp: still protected" "$(proof_value trace.err prot_virt_guest)" 1
is "smp: one CPU without --smp" "$(proof_value bpo-1key-parm.console cpus)" 0
check "smp: CPU 1 ran (its instructions in the trace)" \
	grep -q "^\[trace\] cpu 1 [0-9a-f]\{16\} " trace.err
if [[ "$(json trace.json end)" =~ $POWEROFF_END ]]; then
	ok "trace: the traced guest powers off too"
else
	not_ok "trace: the traced guest powers off too" \
		"end '$(json trace.json end)': $(json trace.json detail)"
fi
is "trace: the same proof block" "$(proof_value trace.err payload-sha256)" "$SUM"
for insn in SERVC SIGP LPSWE LCTLG STCKE; do
	check "trace: names $insn" grep -q "^\[trace\] cpu 0 [0-9a-f]\{16\} $insn " trace.err
done
check "trace: logs the guest's UV calls" grep -q '^\[trace\] cpu 0 UVC cmd' trace.err

# ---- an interactive shell on the console ----------------------------------
# The shell reads what pvboot forwards from its standard input (SCLP VT220
# input events, Linux's ttysclp0): the commands go in once the proof block
# is out (the console is open by then), one at a time.
"$MKINITRAMFS" -o shell.gz --interactive >/dev/null
check "create shell" "$PVBOOT" create -i "$GUEST_CACHE/bpo/vmlinuz" \
	-r shell.gz -p parm -o shell.img -k pki/host.crt --no-verify -q
if coproc SH { "$PVBOOT" run shell.img --host-key pki/host.key \
		--memory 512M --timeout "$TIMEOUT" 2>&1; }; then
	exec {SH_IN}>&"${SH[1]}" {SH_OUT}<&"${SH[0]}"
	SH_PID_COPY=$SH_PID
	: >shell.console
	while IFS= read -r -t "$TIMEOUT" line <&"$SH_OUT"; do
		printf '%s\n' "$line" >>shell.console
		[ "$line" = "PVBOOT-PROOF end" ] && break
	done
	for c in 'echo pv-$((6*7))' 'cat /sys/firmware/uv/prot_virt_guest' \
		'poweroff -f'; do
		sleep 1
		printf '%s\n' "$c" >&"$SH_IN"
	done
	exec {SH_IN}>&-
	while IFS= read -r -t "$TIMEOUT" line <&"$SH_OUT"; do
		printf '%s\n' "$line" >>shell.console
	done
	wait "$SH_PID_COPY"
	RC=$?
	tr -d '\r' <shell.console >shell.txt
	is "shell: pvboot run exits 0 after poweroff -f" "$RC" 0
	check "shell: the shell ran the first command (pv-42)" \
		grep -qx 'pv-42' shell.txt
	check "shell: and read prot_virt_guest 1 from sysfs" grep -qx '1' shell.txt
	check "shell: the run ended in a SIGP stop" \
		grep -q 'pvboot run shell.img: sigp-stop' shell.txt
fi

finish
