#!/bin/bash
# SPDX-License-Identifier: MIT
# `--help` of pvboot, genprotimg and every command: on stdout, at most 80
# columns, with usage, examples and exit status; the examples of the help
# texts and man pages use valid options (the top-level ones are run for
# real); errors name the file or option and suggest the option that fixes
# them.
. "$(dirname "$0")/image_common.bash"

mapfile -t CMDS < <("$PVBOOT" --help |
	sed -n '/^Commands:/,/^$/{ s/^  \([a-z]\+\) .*/\1/p }')
mkdir bin
ln -s "$PVBOOT" bin/pvboot
ln -s "$PVBOOT" bin/genprotimg
export PATH="$W/bin:$PATH"

# help_ok NAME ARGS...: help on stdout, exit 0, nothing on stderr
help_ok() {
	local name=$1 wide
	shift
	"$@" >"help.$name" 2>"help.$name.err"
	check "$name: --help exits 0, stdout only" \
		sh -c "test $? -eq 0 && test -s 'help.$name' && ! test -s 'help.$name.err'"
	wide=$(awk 'length($0) > 80 { print FNR ": " length($0) }' "help.$name")
	check "$name: --help fits 80 columns" test -z "$wide"
	check "$name: --help has Usage, Examples and Exit status" sh -c "
		grep -q '^Usage: ' 'help.$name' && grep -q '^Examples*' 'help.$name' &&
		grep -qi '^Exit status' 'help.$name'"
}

help_ok pvboot pvboot --help
help_ok genprotimg genprotimg --help
for c in "${CMDS[@]}"; do
	help_ok "$c" pvboot "$c" --help
	check "$c: --help names the man page pvboot-$c(1)" \
		grep -q "pvboot-$c(1)" "help.$c"
done
check "genprotimg --help speaks of genprotimg, not pvboot create" sh -c \
	"grep -q '^Usage: genprotimg -i' help.genprotimg &&
	 ! grep -q 'pvboot create' help.genprotimg"
expect_rc "pvboot without a command: usage on stderr, exit 2" 2 "^Usage: pvboot" \
	pvboot
check "pvboot --version prints the version" \
	sh -c "pvboot --version | grep -qE '^pvboot [0-9]+\.[0-9]+\.[0-9]+$'"

# examples FILE: the command lines of the Examples block of a help text
# or of EXAMPLES in a man page, continuation lines joined, one per line
examples() {
	case $1 in
	*.1) sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$1" |
		sed -n '/^\.nf/,/^\.fi/p' | grep -v '^\.' |
		sed 's/\\-/-/g; s/\\e/\\/g' ;;
	*) sed -n '/^Examples/,/^[^ ]/{ /^  /p }' "$1" ;;
	esac | sed -e ':a' -e '/\\$/{N; s/\\\n *//; ba}' -e 's/^ *//' |
		grep -E '^(pvboot|genprotimg) '
}

# Every example parses: run without its files it may fail (exit 1), but
# never with a usage error (exit 2).
mkdir ex
n=0
bad=
for f in help.pvboot help.genprotimg "${CMDS[@]/#/help.}" \
	"$ROOT"/man/*.1; do
	while IFS= read -r line; do
		n=$((n + 1))
		out=$(cd ex && timeout 30 bash -c "${line%%&&*}" 2>&1 </dev/null)
		if [ $? -eq 2 ] || echo "$out" | grep -q "Try '"; then
			bad="$bad
$f: $line: $out"
		fi
	done < <(examples "$f")
done
check "examples of help texts and man pages use valid options ($n)" \
	sh -c "test $n -gt 30 && test -z '$bad' || { echo '$bad'; exit 1; }"

# The top-level examples, for real, with the test kernel as "kernel".
mkdir top
cp "$ROOT/$BUILD/boot/testkernel.bin" top/kernel 2>/dev/null ||
	cp "$BUILD/boot/testkernel.bin" top/kernel
examples help.pvboot >top.sh
check "pvboot --help has three examples" test "$(wc -l <top.sh)" -eq 3
check "the examples of pvboot --help work: a protected boot" sh -c "
	cd top && bash -e ../top.sh >../top.out 2>&1 &&
	grep -q 'all checks passed' ../top.out && grep -q 'protected:   yes' ../top.out"

# Errors name the file or option and suggest a fix.
expect_rc "a mistyped command: did you mean" 2 "unknown command 'verfy'; did you mean 'verify'" \
	pvboot verfy x
expect_rc "a mistyped option: did you mean" 2 "'--formt'; did you mean '--format'" \
	pvboot info --formt json x
expect_rc "genprotimg: a mistyped option: did you mean" 2 "did you mean '--no-verify'" \
	genprotimg --no-verfy
expect_rc "an unknown option points to --help" 2 "Try 'pvboot run --help'" \
	pvboot run --bogus x
expect_rc "a missing value names the option" 2 "option '--host-key' needs a value" \
	pvboot verify x --host-key
expect_rc "a missing image is named" 1 "'nothere.img'" pvboot info nothere.img
cd top || exit 1
expect_rc "an existing output: use --overwrite" 1 "'se.img' exists; use --overwrite" \
	pvboot create -i kernel -o se.img -k pki/host.crt --no-verify -q
expect_rc "no certificates: use --cert or --no-verify" 2 "--cert FILE, or --no-verify" \
	pvboot create -i kernel -o new.img -k pki/host.crt
expect_rc "a missing CRL: give it with --crl" 1 "give it with --crl" \
	pvboot create -i kernel -o new.img -k pki/host.crt -C pki/ibm-signing.crt \
	-C pki/inter-ca.crt --root-ca pki/root-ca.crt
expect_rc "a certificate as host key: the file is named" 1 \
	"host key 'pki/host.crt': .*private key" pvboot run se.img -k pki/host.crt
expect_rc "no host key for an SE image: a warning names --host-key" 1 \
	"no --host-key given" pvboot run se.img
expect_rc "--show-secrets without a key names the key options" 2 \
	"needs --hdr-key or --host-key" pvboot info --show-secrets se.img
head -c $((3 * 1024 * 1024)) /dev/zero >big.img
expect_rc "an image larger than memory: use --memory" 1 "use --memory" \
	pvboot run big.img --memory 2M
cd "$W" || exit 1

done_testing
