#!/bin/bash
# SPDX-License-Identifier: MIT
# Benchmark `pvboot create` on 64 MiB and 256 MiB initrds: throughput and
# peak RSS, next to what one core does with OpenSSL's SHA-512 and
# AES-256-XTS in the same run (the two primitives every image byte goes
# through; the builder runs them on two threads).
#
# usage: bench/create.sh [BUILD-DIR] [quick]   (quick: 64 MiB only)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
MODE=${2:-full}
PVBOOT=$ROOT/$BUILD/pvboot
[ -x "$PVBOOT" ] || { echo "bench: $PVBOOT not built" >&2; exit 1; }
# tmpfs when there is one: measure the tool, not the disk behind fsync
TMP=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && TMP=/dev/shm
W=$(mktemp -d $TMP/pvboot-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W"

# speed ALG BYTES: OpenSSL single-core throughput in MB/s (10^6 bytes),
# by the wall clock like the rows of pvboot
speed() {
	openssl speed -elapsed -mr -seconds 2 -bytes "$2" -evp "$1" 2>/dev/null |
		awk -F: '/^\+F:/ { printf "%.0f\n", $4 / 1e6 }'
}

# run_rss CMD...: "SECONDS MAXRSS_KIB" of the command (wall clock).
# GNU time when installed; Python's getrusage otherwise (its number then
# includes the launcher before exec, so it reads a little high)
run_rss() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$W/.time" "$@" >/dev/null
		cat "$W/.time"
		return
	fi
	python3 - "$@" <<'EOF'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
t = time.monotonic() - t
print("%.3f %d" % (t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
EOF
}

# mib KIB: one decimal
mib() {
	awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'
}

python3 - <<'EOF'
b = bytearray((i * 7 + 3) & 0xff for i in range(0x300000))
b[0x10008:0x1000e] = b"S390EP"
b[0x10430:0x10438] = (4096).to_bytes(8, "big")
open("kernel", "wb").write(b)
EOF
openssl ecparam -name secp521r1 -genkey -noout -out host.key 2>/dev/null
openssl req -new -x509 -key host.key -out host.crt -subj /CN=bench \
	-days 1 2>/dev/null
printf 'console=ttysclp0' >parmfile

sha=$(speed sha512 16384)
xts=$(speed aes-256-xts 4096)
sizes=(64 256)
[ "$MODE" = quick ] && sizes=(64)

printf '%-34s %10s %10s %9s %9s\n' "measurement" "MB/s" "peak RSS" \
	"/SHA-512" "/AES-XTS"
read -r _ base < <(run_rss "$PVBOOT" --version)
printf '%-34s %10s %10s %9s %9s\n' "pvboot --version (baseline)" "-" \
	"$(mib "$base")" "-" "-"
printf '%-34s %10s %10s %9s %9s\n' "openssl sha512, 16 KiB, 1 core" \
	"$sha" "-" "1.00" "-"
printf '%-34s %10s %10s %9s %9s\n' "openssl aes-256-xts, 4 KiB, 1 core" \
	"$xts" "-" "-" "1.00"
for mib in "${sizes[@]}"; do
	head -c $((mib * 1024 * 1024)) /dev/urandom >initrd
	rm -f se.img
	read -r dsecs _ < <(run_rss openssl dgst -sha512 initrd)
	printf '%-34s %10s %10s %9s %9s\n' "openssl dgst -sha512, same initrd" \
		"$(awk -v b=$((mib * 1048576)) -v s="$dsecs" \
			'BEGIN { printf "%.0f", b / s / 1e6 }')" "-" "-" "-"
	read -r secs rss < <(run_rss "$PVBOOT" create -i kernel -r initrd \
		-p parmfile -k host.crt --no-verify -o se.img -q)
	bytes=$(($(stat -c %s kernel) + $(stat -c %s initrd)))
	mbs=$(awk -v b=$bytes -v s="$secs" 'BEGIN { printf "%.0f", b / s / 1e6 }')
	printf '%-34s %10s %10s %9s %9s\n' "pvboot create, ${mib} MiB initrd" \
		"$mbs" "$(mib "$rss")" \
		"$(awk -v a="$mbs" -v b="$sha" 'BEGIN { printf "%.2f", a / b }')" \
		"$(awk -v a="$mbs" -v b="$xts" 'BEGIN { printf "%.2f", a / b }')"
	"$PVBOOT" verify --host-key host.key se.img >/dev/null ||
		{ echo "bench: the image does not verify" >&2; exit 1; }
done
echo "(MB = 10^6 bytes of input; create reads, encrypts, hashes and writes"
echo " every byte, the page list digest on a second thread; work dir $TMP."
echo " The baseline is the process with its shared libraries loaded, libunicorn"
echo " and libcrypto included; create adds a constant amount above it.)"
