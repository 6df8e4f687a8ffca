# SPDX-License-Identifier: MIT
# Shared by the bad-input catalogue scripts (tests/README.md): the image
# helpers, the test kernel, and bad(), the check every catalogue row makes.
. "$(dirname "${BASH_SOURCE[0]}")/image_common.bash"

TK=$ROOT/$BUILD/boot/testkernel.bin
[ -f "$TK" ] || { echo "not ok - no test kernel at $TK (make all)"; exit 1; }

# once FILE PATTERN: the message (PATTERN, grep -E) is printed once: it is
# on exactly one line of FILE, and no line of FILE is there twice
once() {
	[ "$(grep -cE -- "$2" "$1")" -eq 1 ] &&
		[ -z "$(grep -v '^$' "$1" | sort | uniq -d)" ]
}

# bad ID DESCRIPTION RC PATTERN COMMAND...: exit RC, PATTERN (grep -E)
# printed once on stderr, nothing on stdout
bad() {
	local id=$1 d=$2 want=$3 pat=$4 rc
	shift 4
	"$@" >"$W/.so" 2>"$W/.se" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ] && once "$W/.se" "$pat" &&
	   [ ! -s "$W/.so" ]; then
		ok "$id $d: exit $want, message names it once, no output"
	else
		not_ok "$id $d (exit $rc, want $want; message must match '$pat' on exactly one line, no line twice; stdout $(wc -c <"$W/.so") bytes)"
		sed 's/^/# stderr: /' "$W/.se" | head -5
		sed 's/^/# stdout: /' "$W/.so" | head -5
	fi
}
