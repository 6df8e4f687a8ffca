#!/bin/bash
# SPDX-License-Identifier: MIT
# Benchmark `pvboot run`: a protected boot of the test kernel with 64 MiB
# (and 256 MiB) initrds, the same kernel booted plain, and a guest CPU loop
# (guest MIPS with the default interception and with --trace).  Columns:
# wall time, guest MIPS, UV unpack rate (initrd bytes / boot time, MB/s =
# 10^6 bytes per second) and peak RSS, next to OpenSSL's single-core
# SHA-512 rate (the UV hashes every unpacked page once more than it
# decrypts it, so the unpack rate cannot beat SHA-512).
#
# usage: bench/run-boot.sh [BUILD-DIR] [quick]   (quick: 64 MiB only)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
MODE=${2:-full}
PVBOOT=$ROOT/$BUILD/pvboot
KERNEL=$ROOT/$BUILD/boot/testkernel.bin
[ -x "$PVBOOT" ] || { echo "bench: $PVBOOT not built" >&2; exit 1; }
[ -f "$KERNEL" ] || { echo "bench: $KERNEL not built" >&2; exit 1; }
W=$(mktemp -d /tmp/pvboot-bench-run.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W"

# json FILE KEY: a number from `pvboot run --json`
json() {
	grep -o "\"$2\":[0-9]*" "$1" | head -n 1 | cut -d: -f2
}

# boot NAME BYTES ARGS...: run once, print one table row
boot() {
	local name=$1 bytes=$2 t rss us mips rate
	shift 2
	read -r t rss < <(python3 - "$PVBOOT" run --json "$@" <<'EOF'
import resource, subprocess, sys, time
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=open("out.json", "w"),
                   stderr=subprocess.DEVNULL)
t = time.monotonic() - t
if r.returncode:
    sys.exit("bench: pvboot run failed (%d)" % r.returncode)
print("%.3f %d" % (t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
EOF
)
	us=$(json out.json microseconds)
	mips=$(json out.json mips)
	rate=-
	if [ "$bytes" -gt 0 ]; then
		rate=$(awk -v b="$bytes" -v u="$us" 'BEGIN { printf "%.0f", b / u }')
	fi
	printf '%-34s %8s %8s %9s %8s MiB\n' "$name" "$t" "$mips" "$rate" \
		$((rss / 1024))
}

"$PVBOOT" hostkey --out-dir pki -q
printf 'console=sclp bench' >parmfile
sha=$(openssl speed -mr -seconds 2 -bytes 16384 -evp sha512 2>/dev/null |
	awk -F: '/^\+F:/ { printf "%.0f\n", $4 / 1e6 }')

# Guest loop: 3 instructions per iteration, then a disabled wait (code 0).
python3 - <<'EOF'
import struct
n = 100_000_000
b = bytearray(0x11000)
b[0:8] = struct.pack(">Q", 0x0008000180010000)
b[0x100:0x110] = struct.pack(">QQ", 0x0002000180000000, 0)
code = bytes.fromhex("c029") + struct.pack(">I", n)      # iilf %r2,n
code += bytes.fromhex("b9080032")                         # agr %r3,%r2
code += bytes.fromhex("b9820043")                         # xgr %r4,%r3
code += bytes.fromhex("a727fffc")                         # brctg %r2,-8
code += bytes.fromhex("b2b20100")                         # lpswe 0x100
b[0x10000:0x10000 + len(code)] = code
open("loop.img", "wb").write(b)
EOF

sizes=(64 256)
[ "$MODE" = quick ] && sizes=(64)
printf '%-34s %8s %8s %9s %12s\n' "measurement" "seconds" "MIPS" "MB/s" \
	"peak RSS"
printf '%-34s %8s %8s %9s %12s\n' "openssl sha512, 16 KiB, 1 core" - - \
	"$sha" -
boot "test kernel, plain" 0 "$KERNEL"
for mib in "${sizes[@]}"; do
	head -c $((mib * 1024 * 1024)) /dev/urandom >initrd
	"$PVBOOT" create -i "$KERNEL" -r initrd -p parmfile -o se.img \
		-k pki/host.crt --no-verify -q 2>/dev/null
	mem=256M
	[ "$mib" -ge 256 ] && mem=512M
	boot "SE boot, ${mib} MiB initrd" $((mib * 1024 * 1024)) se.img \
		--host-key pki/host.key --memory "$mem"
done
boot "guest loop 300M insns" 0 loop.img
if [ "$MODE" != quick ]; then
	python3 - <<'EOF'
import struct
b = bytearray(open("loop.img", "rb").read())
b[0x10002:0x10006] = struct.pack(">I", 10_000_000)
open("loop-short.img", "wb").write(b)
EOF
	boot "guest loop 30M insns, --trace" 0 loop-short.img --trace
fi
