#!/bin/bash
# SPDX-License-Identifier: MIT
# Bash completion (completion/pvboot.bash): commands, options, option
# values, files; the options it offers are those of --help and the man
# pages; and it completes for real in an interactive bash on a terminal.
. "$(dirname "$0")/image_common.bash"

COMP=$ROOT/completion/pvboot.bash
MAN=$ROOT/man
mapfile -t CMDS < <("$PVBOOT" --help |
	sed -n '/^Commands:/,/^$/{ s/^  \([a-z]\+\) .*/\1/p }')

check "completion script parses" bash -n "$COMP"
check "it registers pvboot and genprotimg" bash -c ". '$COMP' &&
	complete -p pvboot | grep -q _pvboot &&
	complete -p genprotimg | grep -q _pvboot"
check "it needs nothing from the bash-completion package" \
	not grep -qE '_init_completion|_filedir|__ltrim' "$COMP"

# comp LINE: what completing at the end of LINE offers, words split the
# way readline does ("=" and ":" are words of their own)
. "$COMP"
comp() {
	local line=$1 w c word k out=()

	read -ra COMP_WORDS <<<"$line"
	for w in "${COMP_WORDS[@]}"; do
		word=
		for ((k = 0; k < ${#w}; k++)); do
			c=${w:k:1}
			if [ "$c" = = ] || [ "$c" = : ]; then
				[ -n "$word" ] && out+=("$word")
				out+=("$c")
				word=
			else
				word+=$c
			fi
		done
		[ -n "$word" ] && out+=("$word")
	done
	COMP_WORDS=("${out[@]}")
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_pvboot "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# offers LINE WANT: completing LINE offers exactly WANT (sorted words)
offers() {
	local got

	got=$(comp "$1")
	if [ "$got" = "$2" ]; then
		ok "'$1<TAB>' offers '$2'"
	else
		not_ok "'$1<TAB>' offers '$2'"
		echo "# got: '$got'"
	fi
}

mkdir -p pki dir
touch se.img seed.bin pki/host.crt pki/host.key
offers "pvboot " "$(printf '%s\n' "${CMDS[@]}" --help --version | sort | tr '\n' ' ' | sed 's/ $//')"
offers "pvboot ve" "verify"
offers "pvboot info --for" "--format"
offers "pvboot info --format " "json json:minify json:pretty text text:full"
offers "pvboot info --format json:m" "minify"
offers "pvboot info --format=json:p" "pretty"
offers "pvboot measure --format " "hex json text"
offers "pvboot verify --format=" "json text"
offers "pvboot run --print-schema=" "json text"
offers "pvboot create --layout " "c r"
offers "pvboot create --enable-d" "--enable-dump"
offers "genprotimg --no-" "--no-component-check --no-verify"
offers "genprotimg -o s" "se.img seed.bin"
offers "pvboot run s" "se.img seed.bin"
offers "pvboot run --host-key pki/host.k" "pki/host.key"
offers "pvboot verify se.img --host-key=pki/h" "pki/host.crt pki/host.key"
offers "pvboot hostkey --out-dir " "dir pki"
offers "pvboot hostkey -o d" "dir"
offers "pvboot create --loader-dir p" "pki"
offers "pvboot run --memory 2" "256M 2G"
offers "pvboot run --timeout " ""
offers "pvboot test --key-hashes=s" "se.img seed.bin"
offers "pvboot measure --out" ""

# The options it offers agree with --help and the man pages.
copts() {
	_pvboot_options "$1" | tr ' \t' '\n\n' | grep . | sort -u
}
opts_in() {	# opts_in FILE: the options in a help text or troff file
	sed 's/\\-/-/g; s/\\f[BIRP]//g' "$1" |
		grep -oE '(^|[^A-Za-z0-9-])--?[A-Za-z][A-Za-z0-9-]*' |
		sed 's/^[^-]*//' | sort -u
}
tags_in() {	# tags_in PAGE: the options of the .TP/.TQ tags in OPTIONS
	sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$1" |
		sed -n '/^\.T[PQ]$/{n;p}' >tags.tmp
	opts_in tags.tmp
}
for c in "${CMDS[@]}"; do
	copts "$c" >"comp.$c"
	"$PVBOOT" "$c" --help >"help.$c"
	opts_in "help.$c" >"help.$c.opts"
	tags_in "$MAN/pvboot-$c.1" >"tags.$c.opts"
	check "$c: every option of --help is completed" \
		test -z "$(comm -23 "help.$c.opts" "comp.$c")"
	check "$c: every option of pvboot-$c.1 is completed" \
		test -z "$(comm -23 "tags.$c.opts" "comp.$c")"
	if [ "$c" = measure ]; then
		# measure takes create's options too
		tags_in "$MAN/pvboot-create.1" >>"tags.$c.opts"
		sort -u -o "tags.$c.opts" "tags.$c.opts"
	fi
	check "$c: every option completed is documented in a man page" \
		test -z "$(comm -13 "tags.$c.opts" "comp.$c")"
done

# For real: an interactive bash on a pseudo terminal, TAB by TAB.
mkdir -p bin
ln -s "$PVBOOT" bin/pvboot
cat >term.py <<'EOF'
import os, pty, select, sys, time
comp, bindir = sys.argv[1:3]
try:
	pid, fd = pty.fork()
except OSError as e:
	print('SKIP no pseudo terminal: %s' % e)
	sys.exit(0)
if pid == 0:
	os.environ.update(PATH=bindir + ':' + os.environ['PATH'],
			  PS1='PROMPT> ', INPUTRC='/dev/null')
	os.execvp('bash', ['bash', '--norc', '--noprofile', '-i'])
def until(want, secs=10):
	buf, end = b'', time.time() + secs
	while time.time() < end and want not in buf:
		if select.select([fd], [], [], 0.1)[0]:
			try:
				buf += os.read(fd, 4096)
			except OSError:
				break
	return want in buf
until(b'PROMPT> ')
os.write(fd, b'cd ' + os.getcwd().encode() + b'; . ' + comp.encode() + b'\n')
until(b'PROMPT> ')
for case in sys.argv[3:]:
	typed, want = case.split('=>')
	os.write(fd, typed.encode() + b'\t')
	print(('PASS' if until(want.encode()) else 'FAIL') +
	      " %s<TAB> becomes '%s'" % (typed, want))
	os.write(fd, b'\x15')	# ^U: empty the line
os.write(fd, b'exit\n')
EOF
python3 term.py "$COMP" "$W/bin" \
	"pvboot verif=>pvboot verify " \
	"pvboot info --format json:m=>json:minify " \
	"pvboot run --host-k=>--host-key " \
	"pvboot run --host-key pki/host.k=>pki/host.key " >pty.out 2>&1
if grep -q '^SKIP' pty.out; then
	ok "terminal: # SKIP $(sed 's/^SKIP //' pty.out)"
else
	while IFS= read -r line; do
		case $line in
		PASS*) ok "terminal: ${line#PASS }" ;;
		*) not_ok "terminal: ${line#FAIL }" ;;
		esac
	done <pty.out
	check "terminal: four completions tried" \
		test "$(grep -c . pty.out)" -eq 4
fi

done_testing
