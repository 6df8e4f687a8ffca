#!/bin/bash
# SPDX-License-Identifier: MIT
# san_scenario.sh SAN_BUILD NAME: run tests/scenario/NAME.sh against the
# ASan+UBSan build of pvboot (SAN_BUILD/pvboot).  Its TAP lines pass
# through; one more line says whether any pvboot process left a sanitizer
# report.  Reports go to files (log_path), so a finding is seen even where
# the script expects pvboot to fail.  Every pvboot command line goes
# through a small wrapper that appends the command's name to $SAN_CMDLOG
# (when set) for san_coverage.sh.  Environment: BUILD (the normal build:
# test kernel, loaders), SAN_CMDLOG.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SAN=$1
NAME=$2
case $SAN in /*) ;; *) SAN=$ROOT/$SAN ;; esac
[ -x "$SAN/pvboot" ] || {
	echo "not ok - $SAN/pvboot is missing (make BUILD=... SAN=1)"
	exit 1
}
D=$(mktemp -d /tmp/pvboot-san.XXXXXX)
trap 'rm -rf "$D"' EXIT
cat >"$D/pvboot" <<WRAP
#!/bin/bash
case "\$(basename "\$0")" in genprotimg) c=create ;; *) c=\${1-} ;; esac
echo "\$c" >>"$D/commands"
[ -n "${SAN_CMDLOG:-}" ] && echo "\$c" >>"${SAN_CMDLOG:-/dev/null}"
exec -a "\$0" "$SAN/pvboot" "\$@"
WRAP
chmod +x "$D/pvboot"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:log_path=$D/report
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$D/report
cd "$ROOT" || exit 1
BUILD=${BUILD:-build} PVBOOT=$D/pvboot bash "tests/scenario/$NAME.sh" </dev/null
rc=$?
runs=$(wc -l <"$D/commands" 2>/dev/null || echo 0)
if ls "$D"/report.* >/dev/null 2>&1; then
	echo "not ok - $NAME: sanitizer report(s) from pvboot ($runs runs)"
	cat "$D"/report.* | head -40 | sed 's/^/# /'
	exit 1
fi
if [ "$runs" -eq 0 ]; then
	echo "not ok - $NAME: pvboot never ran"
	exit 1
fi
echo "ok - $NAME: no sanitizer report ($runs pvboot runs under ASan+UBSan)"
exit $rc
