# SPDX-License-Identifier: MIT
# Helpers for the image scenario scripts (create_*, info_*, verify_*,
# measure_*, test_*).  Sourced, not run: TAP counters, a work directory,
# fake kernels, host-key documents made with openssl, byte flips.

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
PVBOOT=${PVBOOT:-$ROOT/$BUILD/pvboot}
case "$PVBOOT" in /*) ;; *) PVBOOT=$ROOT/$PVBOOT ;; esac
N=0
FAILED=0
W=$(mktemp -d /tmp/pvboot-scn.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1

ok() {
	N=$((N + 1))
	echo "ok $N - $*"
}

not_ok() {
	N=$((N + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $N - $*"
}

# slow T0: note a step that took more than two seconds
slow() {
	local ms=$((($(date +%s%N) - $1) / 1000000))

	[ "$ms" -le 2000 ] || echo "# slow: ${ms} ms"
}

# check DESCRIPTION COMMAND...: ok when the command succeeds
check() {
	local d=$1 t0=$(date +%s%N)
	shift
	if "$@" >"$W/.out" 2>&1; then
		ok "$d"
		slow "$t0"
	else
		not_ok "$d"
		sed 's/^/# /' "$W/.out" | head -20
	fi
}

# expect_rc DESCRIPTION RC PATTERN COMMAND...: exit code RC ("any": not
# 0) and PATTERN (grep -E) in stdout+stderr
expect_rc() {
	local d=$1 want=$2 pat=$3 rc good
	shift 3
	"$@" >"$W/.out" 2>&1
	rc=$?
	if [ "$want" = any ]; then
		good=$((rc != 0))
	else
		good=$((rc == want))
	fi
	if [ $good -eq 1 ] && grep -qE -- "$pat" "$W/.out"; then
		ok "$d"
	else
		not_ok "$d (exit $rc, want $want, pattern '$pat')"
		sed 's/^/# /' "$W/.out" | head -20
	fi
}

done_testing() {
	echo "1..$N"
	[ "$FAILED" -eq 0 ]
}

# fake_kernel FILE SIZE [MAXCMD]: pattern bytes, "S390EP" at 0x10008,
# the maximum command line size at 0x10430 (a raw s390x kernel's marks)
fake_kernel() {
	python3 - "$1" "$2" "${3:-4096}" <<'EOF'
import sys
path, size, maxcmd = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0)
b = bytearray((i * 7 + 3) & 0xff for i in range(size))
if size >= 0x1000e:
    b[0x10008:0x1000e] = b"S390EP"
if size >= 0x10438:
    b[0x10430:0x10438] = maxcmd.to_bytes(8, "big")
open(path, "wb").write(b)
EOF
}

# make_hkd NAME: self-signed P-521 certificate NAME.crt and key NAME.key
# (good enough as a host-key document with --no-verify)
make_hkd() {
	openssl ecparam -name secp521r1 -genkey -noout -out "$1.key" 2>/dev/null &&
		openssl req -new -x509 -key "$1.key" -out "$1.crt" \
			-subj "/CN=pvboot test host $1" -days 30 2>/dev/null
}

# flip FILE OFFSET [BIT]: invert one bit (default the lowest) of one byte
flip() {
	python3 - "$1" "$2" "${3:-0}" <<'EOF'
import sys
path, off, bit = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3])
b = bytearray(open(path, "rb").read())
b[off] ^= 1 << bit
open(path, "wb").write(b)
EOF
}

# json_get FILE EXPR: evaluate a Python expression on the JSON in d
json_get() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# no_leftovers DIR NAME: neither NAME nor a NAME.XXXXXX temporary exists
no_leftovers() {
	! ls "$1" | grep -qE "^$2(\..{6})?\$"
}

# decrypt_comps INFO_JSON IMAGE OUTDIR: decrypt every component of IMAGE
# with the image key and tweak prefixes from `info --show-secrets --format
# json`, independently of pvboot (libcrypto's AES-256-XTS through ctypes),
# into OUTDIR/<kind> (page padded)
decrypt_comps() {
	mkdir -p "$3"
	python3 - "$1" "$2" "$3" <<'PYEOF'
import ctypes, ctypes.util, json, sys
info, image, out = sys.argv[1:4]
d = json.load(open(info))
key = bytes.fromhex(d["data"]["xts_hex"])
lib = ctypes.CDLL(ctypes.util.find_library("crypto") or "libcrypto.so.3")
vp, cp, ci = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
lib.EVP_CIPHER_CTX_new.restype = vp
lib.EVP_aes_256_xts.restype = vp
lib.EVP_CipherInit_ex.argtypes = [vp, vp, vp, cp, cp, ci]
lib.EVP_CipherUpdate.argtypes = [vp, cp, ctypes.POINTER(ci), cp, ci]
lib.EVP_CIPHER_CTX_free.argtypes = [vp]
img = open(image, "rb").read()
for c in d["image"]["components"]:
    addr, length = int(c["addr_hex"], 16), c["len"]
    pref = bytes.fromhex(c["tweak_pref_hex"])
    plain = bytearray()
    for off in range(0, length, 4096):
        ctx = lib.EVP_CIPHER_CTX_new()
        iv = pref + off.to_bytes(8, "big")
        assert lib.EVP_CipherInit_ex(ctx, lib.EVP_aes_256_xts(), None, key, iv, 0)
        buf = ctypes.create_string_buffer(4096)
        n = ci(0)
        assert lib.EVP_CipherUpdate(ctx, buf, ctypes.byref(n), img[addr + off:addr + off + 4096], 4096)
        assert n.value == 4096
        lib.EVP_CIPHER_CTX_free(ctx)
        plain += buf.raw
    open(out + "/" + c["kind"], "wb").write(plain)
PYEOF
}

# same_padded FILE PADDED [EXTRA]: PADDED starts with FILE (plus the bytes
# EXTRA, e.g. a NUL) and the rest is zero
same_padded() {
	python3 - "$1" "$2" "${3:-}" <<'PYEOF'
import sys
a = open(sys.argv[1], "rb").read() + bytes.fromhex(sys.argv[3])
b = open(sys.argv[2], "rb").read()
sys.exit(0 if b[:len(a)] == a and not any(b[len(a):]) and len(b) % 4096 == 0 else 1)
PYEOF
}

# not COMMAND...: succeed when the command fails (for check)
not() {
	! "$@"
}

# find_pycrypto: set PY to a python3 that has the cryptography module
# (Debian's python3-cryptography first), or fail
find_pycrypto() {
	PY=
	for p in /usr/bin/python3 python3; do
		if "$p" -c 'import cryptography' 2>/dev/null; then
			PY=$p
			return 0
		fi
	done
	return 1
}

# eq A B: two values that are equal and not empty (two failed commands
# print two empty strings: that is no match)
eq() {
	[ -n "$1" ] && [ "$1" = "$2" ]
}

# differ FILE FILE: both files exist, are not empty, and differ
differ() {
	[ -s "$1" ] && [ -s "$2" ] && ! cmp -s "$1" "$2"
}

# ran DESCRIPTION: ok when the command just before exited 0
# ("cmd; ran 'cmd exits 0'"), so that its output is not trusted blindly
ran() {
	local rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$1"
	else
		not_ok "$1 (exit $rc)"
	fi
}
