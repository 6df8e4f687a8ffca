#!/bin/bash
# SPDX-License-Identifier: MIT
# Man pages: one per sub-command plus pvboot.1, all sections present and in
# order, no groff warnings, version and cross references right; every
# option `--help` shows is documented in the page's OPTIONS, and every
# option the page documents is one the command accepts.
. "$(dirname "$0")/image_common.bash"

MAN=$ROOT/man
SECTIONS="NAME SYNOPSIS DESCRIPTION OPTIONS EXIT_STATUS EXAMPLES NOTES SEE_ALSO"
VERSION=$("$PVBOOT" --version | awk '{ print $2 }')

# The sub-commands as `pvboot --help` lists them.
mapfile -t CMDS < <("$PVBOOT" --help |
	sed -n '/^Commands:/,/^$/{ s/^  \([a-z]\+\) .*/\1/p }')
check "pvboot --help lists the ten commands" test "${#CMDS[@]}" -eq 10

# opts.py MODE:FILE:OUT...: write to OUT the options in a --help text
# (help), in the OPTIONS section of a man page (section) or in its .TP/.TQ
# tags only (tags), one per line.  Man pages write "-" as "\-".
cat >opts.py <<'EOF'
import re, sys
OPT = re.compile(r'(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)')
for job in sys.argv[1:]:
	mode, path, out = job.split(':')
	text = open(path).read()
	if mode == 'help':
		found = OPT.findall(text)
	else:
		text = text.replace('\\-', '-').replace('\\e', '\\')
		text = re.sub(r'\\f[BIRP]|\\c|\\&', '', text)
		sec = re.search(r'^\.SH OPTIONS\n(.*?)^\.SH ', text, re.M | re.S)
		body = sec.group(1) if sec else ''
		if mode == 'tags':
			lines = body.split('\n')
			body = '\n'.join(lines[i + 1] for i, l in
					 enumerate(lines[:-1]) if l in ('.TP', '.TQ'))
		found = OPT.findall(body)
	with open(out, 'w') as f:
		f.writelines(o + '\n' for o in sorted(set(found)))
EOF

# sections PAGE: the .SH headings, in order, blanks as "_"
sections() {
	sed -n 's/^\.SH "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1" | tr ' ' _ |
		tr '\n' ' ' | sed 's/ $//'
}

# subset A B: every line of file A is in file B (the rest is printed)
subset() {
	local missing

	missing=$(comm -23 <(sort -u "$1") <(sort -u "$2"))
	[ -z "$missing" ] || { echo "missing: $missing"; return 1; }
}

# accepted CMD OPT: the command knows OPT (no "unrecognized option"), and
# a long option's name ends a string in the binary (getopt would also take
# an abbreviation of a longer name)
strings -n 2 "$PVBOOT" >binary.strings
accepted() {
	local out

	out=$(cd "$W" && timeout 20 "$PVBOOT" "$1" "$2" </dev/null 2>&1)
	case $out in
	*"unrecognized option"* | *"unknown option"* | *ambiguous*)
		echo "$1 $2: $out"
		return 1 ;;
	esac
	# the linker may store "json" as the tail of "--json": look at ends
	case $2 in
	--*) grep -qE -- "${2#--}\$" binary.strings ||
		{ echo "no string in the binary ends in '${2#--}'"; return 1; } ;;
	esac
}

for page in pvboot "${CMDS[@]/#/pvboot-}"; do
	f=$MAN/$page.1
	if [ ! -f "$f" ]; then
		not_ok "$page.1 exists"
		continue
	fi
	check "$page.1: sections $SECTIONS" test "$(sections "$f")" = "$SECTIONS"
	check "$page.1: groff renders it without a warning" \
		sh -c "groff -man -Tutf8 -ww -z '$f' 2>&1 | { ! grep .; }"
	upper=$(echo "$page" | tr a-z A-Z)
	check "$page.1: .TH $upper 1 ... pvboot $VERSION" \
		grep -q "^\.TH $upper 1 .*\"pvboot $VERSION\"" "$f"
	check "$page.1: NAME is '$page \\- ...'" \
		sh -c "sed -n '/^\.SH NAME/{n;p}' '$f' | grep -q '^$page\(, [a-z]*\)\{0,1\} \\\\- '"
	check "$page.1: MIT SPDX line" grep -q "SPDX-License-Identifier: MIT" "$f"
	# every page it refers to in SEE ALSO exists, ours or a system one
	refs=$(sed -n '/^\.SH SEE ALSO/,$p' "$f" |
		sed -n 's/^\.BR \([a-z0-9\\-]*\) (1).*/\1/p' | tr -d '\\')
	bad=
	for r in $refs; do
		case $r in
		pvboot | pvboot-*) [ -f "$MAN/$r.1" ] || bad="$bad $r" ;;
		genprotimg) ;;	# installed as a link to pvboot-create.1
		esac
	done
	check "$page.1: SEE ALSO names only existing pvboot pages" test -z "$bad"
done

check "pvboot.1 describes every command" sh -c "
	for c in ${CMDS[*]}; do
		grep -q \"^\\.B \$c\$\" '$MAN/pvboot.1' || { echo \$c; exit 1; }
	done"
check "pvboot.1 refers to every command's page" sh -c "
	for c in ${CMDS[*]}; do
		grep -q \"^\\.BR pvboot\\\\\\\\-\$c (1)\" '$MAN/pvboot.1' || { echo \$c; exit 1; }
	done"
check "genprotimg is named in pvboot-create.1" \
	grep -q '^pvboot-create, genprotimg \\-' "$MAN/pvboot-create.1"

# --help and the man page agree (the option lists in one python run)
"$PVBOOT" --help | sed '/^Examples/,$d' >help.top
jobs=(help:help.top:help.opts section:"$MAN/pvboot.1":man.opts)
for c in "${CMDS[@]}"; do
	"$PVBOOT" "$c" --help >"help.$c"
	jobs+=(help:"help.$c":"help.$c.opts"
	       section:"$MAN/pvboot-$c.1":"man.$c.opts"
	       tags:"$MAN/pvboot-$c.1":"tags.$c.opts")
done
# a page that lost an option, for the check that must fail
sed '/^\.B.* \\-\\-show\\-secrets/d' "$MAN/pvboot-info.1" >broken.1
jobs+=(section:broken.1:broken.opts)
check "option lists taken from the help texts and pages" \
	python3 opts.py "${jobs[@]}"
check "pvboot --help: its options are in pvboot.1" subset help.opts man.opts
for c in "${CMDS[@]}"; do
	check "$c --help shows options" test -s "help.$c.opts"
	check "$c: every option of --help is in OPTIONS of pvboot-$c.1" \
		subset "help.$c.opts" "man.$c.opts"
	bad=
	while read -r o; do
		accepted "$c" "$o" >>"accept.$c.log" || bad="$bad $o"
	done <"tags.$c.opts"
	check "$c: every option pvboot-$c.1 documents is accepted ($(wc -l <"tags.$c.opts"))" \
		sh -c "test -z '$bad' || { echo 'not accepted:$bad'; cat accept.$c.log; exit 1; }"
done

# The checks above can fail: a lost option, an unknown one.
check "a page without --show-secrets fails the help check" \
	not subset help.info.opts broken.opts
check "an option the binary lacks is found" not accepted info --no-such-option

done_testing
