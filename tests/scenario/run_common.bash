# SPDX-License-Identifier: MIT
# Shared prelude of the `pvboot run` scenario scripts (sourced): TAP
# helpers, a scratch directory, a test PKI with two host keys and the test
# kernel.  Environment: PVBOOT (the CLI), BUILD (its build directory).
set -u

PVBOOT=${PVBOOT:?PVBOOT must name the pvboot binary}
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case $BUILD in
/*) ;;
*) BUILD="$ROOT/$BUILD" ;;
esac
T=$(mktemp -d /tmp/pvboot-run-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
N=0
FAILED=0

ok() {
	N=$((N + 1))
	echo "ok $N - $1"
}

not_ok() {
	N=$((N + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $N - $1"
	shift
	for l in "$@"; do
		echo "# $l"
	done
}

# check DESCRIPTION COMMAND...: ok when the command succeeds
check() {
	local d=$1
	shift
	if "$@"; then
		ok "$d"
	else
		not_ok "$d" "failed: $*"
	fi
}

# has FILE TEXT: FILE contains TEXT (fixed string)
has() {
	grep -qF -- "$2" "$1"
}

# run_pvboot OUT ERR ARGS...: run `pvboot run`, keep stdout/stderr, set RC
run_pvboot() {
	local out=$1 err=$2
	shift 2
	"$PVBOOT" run "$@" >"$out" 2>"$err"
	RC=$?
}

# expect_exit DESCRIPTION WANT: compare RC, show the output on mismatch
expect_exit() {
	if [ "$RC" -eq "$2" ]; then
		ok "$1 (exit $RC)"
	else
		not_ok "$1 (exit $RC, want $2)" \
			"$(tail -n 20 out 2>/dev/null | tr '\n' '|')" \
			"$(tail -n 5 err 2>/dev/null | tr '\n' '|')"
	fi
}

finish() {
	echo "1..$N"
	[ "$FAILED" -eq 0 ]
	exit $?
}

# hex_field FILE KEY: first "KEY": "hex" value of `pvboot info` JSON
hex_field() {
	grep -o "\"$2\": *\"[0-9a-f]*\"" "$1" | head -n 1 |
		sed 's/.*"\([0-9a-f]*\)"$/\1/'
}

# flip FILE OFFSET: invert one byte of FILE
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 0xff)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

KERNEL=$BUILD/boot/testkernel.bin
"$PVBOOT" hostkey --out-dir pki -n 2 -q || {
	echo "not ok 1 - pvboot hostkey"
	exit 1
}
[ -f "$KERNEL" ] || {
	echo "not ok 1 - test kernel $KERNEL missing"
	exit 1
}

# se_image OUT PARMFILE-TEXT [INITRD]: an SE image of the test kernel
se_image() {
	printf '%s' "$2" >"$1.parm"
	"$PVBOOT" create -i "$KERNEL" -p "$1.parm" ${3:+-r "$3"} -o "$1" \
		-k pki/host.crt --no-verify -q 2>/dev/null
}
