#!/bin/bash
# SPDX-License-Identifier: MIT
# The pvboot benchmark suite: `make bench` (full) and `make bench-quick`.
#
# usage: bench/run.sh BUILD-DIR full|quick|create
#
# Prints one Markdown table.  Every row is measured next to the limit that
# bounds it, measured in the same run on the same machine:
#   - SHA-512 and AES-256-XTS on one core (`openssl speed -evp`): every
#     image byte goes through one sequential SHA-512 (the PLD), so create,
#     verify and the UV's unpack cannot beat that rate;
#   - the start and exit of the pvboot process itself (`pvboot --version`),
#     the floor of `info`.
# Inputs are generated under /dev/shm (or /tmp) and removed at the end.
#
# create writes its image twice per size, side by side: into the work
# directory (tmpfs when it has room) and onto a disk-backed file system
# (BENCH_DISK_DIR, default /var/tmp; the row is skipped when that is in
# memory or full), where users keep their images.  Both fsync the image
# before it gets its name.
#
# full:  create with 64 MiB, 256 MiB and 1 GiB initrds; info and verify of
#        the 1 GiB image; UV unpack+verify of the 256 MiB image; `run` of
#        the 64 MiB image; the Debian kernel's protected boot and guest
#        MIPS, the IPL from a disk and dd from the protected Linux next to
#        QEMU TCG (bench/linux-boot.sh, bench/mips.sh, bench/disk.sh).  Each
#        row is the best of BENCH_REPEAT (3) runs, a create row the best of
#        BENCH_CREATE_REPEAT (5: on the benchmark machine the same create
#        takes 1.12 s or 1.47 s a minute apart, in phases of seconds), each
#        run framed by measurements of its limit just before and after.
# create: the create rows of full only (about a minute).
# quick: the 64 MiB image only, two runs each, well under a minute.  Exits
#        1 when something is badly off (create below 0.3x SHA-512, a peak
#        RSS of create, info or verify above 32 MiB, ...); timings on
#        shared machines are noisy, so only large misses fail.
#
# Environment: BENCH_DIR (work directory), BENCH_DISK_DIR (create's disk
# output, default /var/tmp), BENCH_REPEAT (runs per row),
# BENCH_CREATE_REPEAT (runs per create row),
# BENCH_NICE (run every measured command, the limits included, at this
# niceness, e.g. -5 on a busy machine; needs the privilege).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
MODE=${2:-full}
case "$MODE" in
full | create)
	REPEAT=${BENCH_REPEAT:-3}
	CREATE_REPEAT=${BENCH_CREATE_REPEAT:-5}
	;;
quick) REPEAT=${BENCH_REPEAT:-2} CREATE_REPEAT=$REPEAT ;;
*) echo "usage: bench/run.sh BUILD-DIR full|quick|create" >&2; exit 2 ;;
esac
cd "$ROOT"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
PVBOOT=$ROOT/$BUILD/pvboot
MEASURE=$ROOT/$BUILD/bench/measure
UVUNPACK=$ROOT/$BUILD/bench/uv-unpack
KERNEL=$ROOT/$BUILD/boot/testkernel.bin
for f in "$PVBOOT" "$MEASURE" "$UVUNPACK" "$KERNEL"; do
	[ -e "$f" ] || { echo "bench: $f is not built (make BUILD=$BUILD all)" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "bench: openssl not found" >&2; exit 1; }
PRIO=()
[ -n "${BENCH_NICE:-}" ] && PRIO=(nice -n "$BENCH_NICE")
# the first two CPUs this script may run on (limits are measured on both)
CPUS=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	mapfile -t CPUS < <(taskset -pc $$ | sed 's/.*: //' | tr ',' '\n' |
		awk -F- '{ e = $2 == "" ? $1 : $2
			   for (c = $1; c <= e; c++) print c }' | head -n 2)
fi

# ---- work directory: tmpfs when it has room (measure pvboot, not a disk) --
need_mib=3000
[ "$MODE" = quick ] && need_mib=400
avail_mib() {
	df -Pm "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'
}
if [ -n "${BENCH_DIR:-}" ]; then
	base=$BENCH_DIR
elif [ -d /dev/shm ] && [ "$(avail_mib /dev/shm)" -ge "$need_mib" ] 2>/dev/null; then
	base=/dev/shm
else
	base=${TMPDIR:-/tmp}
fi
[ "$(avail_mib "$base")" -ge "$need_mib" ] 2>/dev/null ||
	{ echo "bench: $base has less than $need_mib MiB free" >&2; exit 1; }
W=$(mktemp -d "$base/pvboot-bench.XXXXXX")
# create's second output location: a disk-backed file system
fstype() { df -PT "$1" 2>/dev/null | awk 'NR == 2 { print $2 }'; }
DISK=
ddir=${BENCH_DISK_DIR:-/var/tmp}
dtype=$(fstype "$ddir")
case "$dtype" in
tmpfs | ramfs | "") ;;
*)	[ "$(avail_mib "$ddir")" -ge $((need_mib / 2)) ] 2>/dev/null &&
		DISK=$(mktemp -d "$ddir/pvboot-bench.XXXXXX") ;;
esac
trap 'rm -rf "$W" ${DISK:+"$DISK"}' EXIT
cd "$W"

# ---- helpers -----------------------------------------------------------
# mbs BYTES SECONDS: 10^6 bytes per second
mbs() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
# ratio A B: A / B with two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# ge A B: is A >= B (floating point)
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }

# speed N ALG BYTES SECONDS: OpenSSL one-core rate in bytes/s (wall
# clock), on the Nth allowed CPU (0 or 1; "-": wherever it runs)
speed() {
	local pin=()

	[ "$1" != - ] && [ "${#CPUS[@]}" -ge 2 ] && pin=(taskset -c "${CPUS[$1]}")
	"${PRIO[@]}" "${pin[@]}" openssl speed -elapsed -mr -seconds "$4" \
		-bytes "$3" -evp "$2" 2>/dev/null |
		awk -F: '/^\+F:/ { print $4; exit }'
}

FAILS=0
ROWS=()
# row OP SIZE RESULT LIMIT RATIO RSS TARGET STATUS
row() {
	ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 |")
}
# verdict OK: "met" or "missed" for the table
verdict() {
	if [ "$1" = 1 ]; then
		echo met
	else
		echo missed
	fi
}
# badly OK WHAT: the sanity check that fails `make bench-quick`
badly() {
	if [ "$1" != 1 ]; then
		echo "bench: BADLY OFF: $2" >&2
		FAILS=$((FAILS + 1))
	fi
}
die_run() {
	echo "bench: $1 failed (exit status $2)" >&2
	exit 1
}

# ---- setup ---------------------------------------------------------------
"$PVBOOT" hostkey --out-dir pki -q
printf 'console=sclp bench' >parmfile
cp "$KERNEL" kernel
head -c $((64 << 20)) /dev/urandom >rd64
sizes=(64)
if [ "$MODE" != quick ]; then
	cat rd64 rd64 rd64 rd64 >rd256
	cat rd256 rd256 rd256 rd256 >rd1024
	sizes=(64 256 1024)
fi
BIG=${sizes[-1]}

# ---- limits -------------------------------------------------------------
# Every run of a row is framed by two fresh measurements of its limit, one
# just before it on the first CPU and one just after it on the second, and
# is compared with the higher of the two; the row keeps the run with the
# best ratio.  On a shared machine the speed of a core changes from second
# to second, and the cores of a virtual machine differ (by a quarter on the
# one of bench/RESULTS.md): a run is compared with the faster core then.
xts=$(speed - aes-256-xts 4096 1)
sha_best=0
# sha_before, sha_after: the two SHA-512 measurements around one run; they
# set SHA (bytes/s, the higher one) and keep sha_best
SHA=0
sha_before() { SHA=$(speed 0 sha512 16384 1); }
sha_after() {
	local v

	v=$(speed 1 sha512 16384 1)
	ge "$SHA" "$v" || SHA=$v
	ge "$sha_best" "$SHA" || sha_best=$SHA
}

# pair_sha WHAT BYTES OUT CMD...: RUNS (default REPEAT) runs of CMD, each between two
# SHA-512 measurements and each after removing OUT ("-": none; freeing the
# last run's output is not part of the next run); sets Q (ratio), RATE and
# LIM (MB/s) of the run with the best ratio and RSS (KiB, the highest of
# all runs); exits on a failure
pair_sha() {
	local what=$1 bytes=$2 out=$3 r s rss st q rate
	shift 3
	Q=
	RSS=0
	for ((r = 0; r < ${RUNS:-$REPEAT}; r++)); do
		[ "$out" = - ] || rm -f "$out"
		sha_before
		read -r s rss st _ < <("${PRIO[@]}" "$MEASURE" -- "$@")
		[ "$st" = 0 ] || die_run "$what" "$st"
		sha_after
		[ "$rss" -le "$RSS" ] || RSS=$rss
		rate=$(mbs "$bytes" "$s")
		q=$(ratio "$rate" "$(mbs "$SHA" 1)")
		if [ -z "$Q" ] || ge "$q" "$Q"; then
			Q=$q
			RATE=$rate
			LIM=$(mbs "$SHA" 1)
		fi
	done
}

# ---- report --------------------------------------------------------------
report() {
	cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	git -C "$ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit (modified)"
	echo "pvboot benchmark ($MODE, best of $REPEAT), $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "commit $commit; CPU: ${cpu:-unknown}, $(nproc) online; load average at the start $LOAD0"
	echo "limits, one core: openssl speed -evp sha512 (16 KiB blocks) $(mbs "$sha_best" 1) MB/s at best"
	echo "in this run, aes-256-xts (4 KiB blocks) $(mbs "$xts" 1) MB/s.  A row's SHA-512 figure is"
	echo "the higher of two measurements on two CPUs just before and after the run shown"
	echo "(the best ratio of $REPEAT runs, of $CREATE_REPEAT for create)."
	echo
	echo "| operation | size | result | limit | ratio | peak RSS | target | status |"
	echo "|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${ROWS[@]}"
	echo
	echo "MB = 10^6 bytes.  create: kernel + initrd + parmfile bytes per second"
	echo "of wall time (--no-verify, inputs on $base, the image fsync'd before it"
	echo "is named); verify: image bytes; UV: component bytes, the unpack calls"
	echo "and verify timed inside the process."
	echo "ratio = result / limit; for info and run = limit / result."
}

# ---- create -------------------------------------------------------------
# per size, one row per output location (the work directory's image stays
# for the rows below, the one on disk is removed)
label() { [ "$1" = 1024 ] && echo "1 GiB" || echo "$1 MiB"; }
for m in "${sizes[@]}"; do
	bytes=$(($(stat -c %s kernel) + $(stat -c %s "rd$m") + $(stat -c %s parmfile)))
	for out in "se$m.img" ${DISK:+"$DISK/se$m.img"}; do
		dir=$(dirname "$out")
		[ "$dir" = . ] && dir=$W
		where="output on $(fstype "$dir") ($(dirname "$dir"))"
		RUNS=$CREATE_REPEAT pair_sha \
			"pvboot create ($m MiB initrd, $where)" "$bytes" \
			"$out" "$PVBOOT" create -i kernel -r "rd$m" \
			-p parmfile -k pki/host.crt --no-verify -o "$out" -q
		q=$Q rate=$RATE sha=$LIM rss=$RSS
		lim="SHA-512 $sha MB/s"
		# on a disk, create can go no faster than the device takes
		# durable writes: dd of as many bytes with an fsync at its
		# end, best of REPEAT, is the second limit (ratio to the
		# lower one in brackets)
		if [ "$dir" != "$W" ]; then
			dw=
			for ((r = 0; r < REPEAT; r++)); do
				rm -f "$dir/dd.limit"
				read -r t _ st _ < <("${PRIO[@]}" "$MEASURE" -- \
					dd if="rd$m" of="$dir/dd.limit" bs=1M \
					conv=fsync status=none)
				[ "$st" = 0 ] || die_run "dd to $dir" "$st"
				[ -n "$dw" ] && ge "$t" "$dw" || dw=$t
			done
			rm -f "$dir/dd.limit"
			dwr=$(mbs "$(stat -c %s "rd$m")" "$dw")
			low=$sha
			ge "$dwr" "$sha" || low=$dwr
			lim="$lim; durable write (dd conv=fsync) $dwr MB/s"
			q="$q ($(ratio "$rate" "$low") of the lower)"
		fi
		ok=0
		ge "${q%% *}" 0.9 && [ "$rss" -le $((12 * 1024)) ] && ok=1
		row "create, $where" "$(label "$m") initrd" "$rate MB/s" \
			"$lim" "$q" "$(mib "$rss")" \
			">= 0.90, <= 12 MiB" "$(verdict $ok)"
		good=0
		ge "${q%% *}" 0.3 && [ "$rss" -le $((32 * 1024)) ] && good=1
		badly "$good" "create $m MiB, $where: $rate MB/s = ${q}x SHA-512, peak RSS $(mib "$rss")"
		[ "$dir" = "$W" ] || rm -f "$out"
	done
	[ -n "$DISK" ] ||
		row "create, output on a disk file system" "$(label "$m") initrd" \
			"skipped: $ddir is ${dtype:-missing} or full" "-" "-" "-" \
			">= 0.90, <= 12 MiB" "-"
	rm -f "rd$m"
done
if [ "$MODE" = create ]; then
	report
	exit 0
fi

# ---- info and verify of the biggest image -------------------------------
img=se$BIG.img
img_bytes=$(stat -c %s "$img")
# info, next to `pvboot --version`: the cost of the process alone (best
# of each; both take milliseconds, pairing does not help there)
s=
b=
maxrss=0
for ((r = 0; r < REPEAT + 2; r++)); do
	read -r v _ st _ < <("${PRIO[@]}" "$MEASURE" -- "$PVBOOT" --version)
	[ "$st" = 0 ] || die_run "pvboot --version" "$st"
	read -r t rss st _ < <("${PRIO[@]}" "$MEASURE" -- "$PVBOOT" info "$img")
	[ "$st" = 0 ] || die_run "pvboot info" "$st"
	[ "$rss" -le "$maxrss" ] || maxrss=$rss
	{ [ -n "$s" ] && ge "$t" "$s"; } || s=$t
	{ [ -n "$b" ] && ge "$v" "$b"; } || b=$v
done
ok=0
ge 0.020 "$s" && ok=1
row "info" "$(label "$BIG") image" "$(ms "$s")" \
	"process start and exit $(ms "$b")" "$(ratio "$b" "$s")" \
	"$(mib "$maxrss")" "<= 20 ms" "$(verdict $ok)"
good=0
ge 0.100 "$s" && [ "$maxrss" -le $((32 * 1024)) ] && good=1
badly "$good" "info: $(ms "$s"), peak RSS $(mib "$maxrss")"

pair_sha "pvboot verify" "$img_bytes" - "$PVBOOT" verify \
	--host-key pki/host.key "$img"
q=$Q rate=$RATE sha=$LIM rss=$RSS
row "verify (every page decrypted and hashed)" "$(label "$BIG") image" \
	"$rate MB/s" "SHA-512 $sha MB/s" "$q" "$(mib "$rss")" "-" "-"
good=0
ge "$q" 0.3 && [ "$rss" -le $((32 * 1024)) ] && good=1
badly "$good" "verify: $rate MB/s = ${q}x SHA-512, peak RSS $(mib "$rss")"

# ---- the software UV: unpack + verify of the 256 MiB (quick: 64) image ---
# uv-unpack times the UV calls itself; its "bench:" line has the numbers
uvm=64
[ "$MODE" = full ] && uvm=256
best=
maxrss=0
for ((r = 0; r < REPEAT; r++)); do
	sha_before
	read -r _ rss st _ < <("${PRIO[@]}" "$MEASURE" -o uv.out -- \
		"$UVUNPACK" -q --image "se$uvm.img" --host-key pki/host.key)
	[ "$st" = 0 ] || die_run "uv-unpack" "$st"
	sha_after
	sha=$SHA
	[ "$rss" -le "$maxrss" ] || maxrss=$rss
	# bench: bytes N seconds S sha512 R xts R
	read -r _ _ ub _ us _ < <(grep '^bench:' uv.out)
	rate=$(mbs "$ub" "$us")
	q=$(ratio "$rate" "$(mbs "$sha" 1)")
	if [ -z "$best" ] || ge "$q" "${best%% *}"; then
		best="$q $rate $(mbs "$sha" 1)"
	fi
done
read -r q rate sha <<<"$best"
ok=0
ge "$q" 0.8 && ok=1
row "UV unpack+verify (in process)" "$(label "$uvm") image" "$rate MB/s" \
	"SHA-512 $sha MB/s" "$q" "$(mib "$maxrss") (with guest RAM)" \
	">= 0.80" "$(verdict $ok)"
good=0
ge "$q" 0.3 && good=1
badly "$good" "UV unpack: $rate MB/s = ${q}x SHA-512"

# ---- run: boot the 64 MiB image to the test kernel's last line -----------
best=
maxrss=0
for ((r = 0; r < REPEAT; r++)); do
	sha_before
	read -r s rss st ls < <("${PRIO[@]}" "$MEASURE" -o run.out \
		-l "pvboot test kernel: " -- \
		"$PVBOOT" run se64.img --host-key pki/host.key)
	[ "$st" = 0 ] || die_run "pvboot run" "$st"
	sha_after
	sha=$SHA
	grep -q "pvboot test kernel: all checks passed" run.out ||
		{ echo "bench: the test kernel did not pass" >&2; exit 1; }
	[ "$rss" -le "$maxrss" ] || maxrss=$rss
	# the UV must hash every initrd byte: SHA-512 time is the floor
	floor=$(awk -v b=$((64 << 20)) -v r="$sha" 'BEGIN { print b / r }')
	q=$(ratio "$floor" "$ls")
	if [ -z "$best" ] || ge "$q" "${best%% *}"; then
		best="$q $ls $s $floor"
	fi
done
read -r q ls s floor <<<"$best"
ok=0
ge 1.5 "$ls" && ok=1
row "run, start to the test kernel's last line" "64 MiB initrd" \
	"$(ms "$ls") (exit $(ms "$s"))" "SHA-512 of 64 MiB: $(ms "$floor")" \
	"$q" "$(mib "$maxrss")" "<= 1500 ms" "$(verdict $ok)"
good=0
ge 7.5 "$ls" && good=1
badly "$good" "run: $(ms "$ls") to the last line"

# ---- next to QEMU TCG: the Debian kernel's boot, guest MIPS, disk (full) --
# Each script prints its own rows; a boot that fails is a failed row there.
if [ "$MODE" = full ]; then
	for sub in linux-boot mips disk; do
		while IFS= read -r l; do
			ROWS+=("$l")
		done < <(bash "$ROOT/bench/$sub.sh" --rows "$BUILD")
	done
fi

report
if [ "$MODE" = quick ] && [ "$FAILS" -gt 0 ]; then
	echo "bench-quick: $FAILS check(s) badly off" >&2
	exit 1
fi
exit 0
