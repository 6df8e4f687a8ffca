#!/bin/bash
# SPDX-License-Identifier: MIT
# Fetch IBM's Secure Execution boot loaders from Debian: the newest s390x
# `s390-tools` package of the suites searched (default forky and sid)
# ships pvimg's stage3a.bin and stage3b_reloc.bin, built from IBM's
# sources by Debian, in /usr/share/s390-tools/pvimg/.  The scenario
# tests/scenario/ibm_tools.sh boots images that carry them.
#
# usage: scripts/fetch-ibm-tools.sh [--cache DIR] [--mirror URL] [--offline]
#                                   [--refresh] [--check] [--quiet]
#
# No Debian release ships IBM's image tools themselves: bookworm's
# s390-tools 2.16, trixie's 2.35 and forky's 2.40 are built without
# genprotimg and pvimg (2.40 keeps pvimg's loaders).  The package's
# binaries are listed in DIR/s390-tools/info (tools=...), so a later
# Debian version that ships them shows up there.
#
# apt runs with its own state, cache, lists and sources under DIR/apt and
# the s390x architecture only; the machine's apt configuration is neither
# read for sources nor changed.  The index is verified through its signed
# InRelease (debian-archive-keyring) and the .deb against the SHA256 of
# that index.  Results, at stable paths below DIR (default
# /var/cache/pvboot/ibm-tools, or $PVBOOT_IBM_CACHE):
#   s390-tools/loaders/stage3a.bin  s390-tools/loaders/stage3b_reloc.bin
#   s390-tools/info  s390-tools/SHA256SUMS  manifest
# s390-tools is a symlink to a versioned directory under store/, switched
# atomically.
#
# A second run with a complete cache reads only local files: the index is
# refreshed at most once a day (PVBOOT_IBM_MAX_AGE seconds, default
# 86400), or when the cache is incomplete; when the registry cannot be
# reached then, a complete cache is used as it is.
#
# --offline  never touch the network; fail when the cache is incomplete
# --refresh  update the index now, whatever its age
# --check    only say whether the cache is complete (exit 0 / 1), no network
# --quiet    print only what changes (updates, downloads) and errors
#
# Environment: PVBOOT_IBM_CACHE, PVBOOT_DEBIAN_MIRROR (default
# http://deb.debian.org/debian), PVBOOT_IBM_SUITES (default "forky sid"),
# PVBOOT_IBM_MAX_AGE.
# Exit status: 0 the cache is complete; 1 something is missing or broken
# (the message names it); 2 usage error.
set -euo pipefail

CACHE=${PVBOOT_IBM_CACHE:-/var/cache/pvboot/ibm-tools}
MIRROR=${PVBOOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
read -r -a SUITES <<<"${PVBOOT_IBM_SUITES:-forky sid}"
MAX_AGE=${PVBOOT_IBM_MAX_AGE:-86400}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
PKG=s390-tools
OFFLINE=0
REFRESH=0
CHECK=0
QUIET=0

usage() {
	sed -n '/^# usage:/,/^#$/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--cache) [ $# -ge 2 ] || usage; CACHE=$2; shift 2 ;;
	--mirror) [ $# -ge 2 ] || usage; MIRROR=$2; shift 2 ;;
	--offline) OFFLINE=1; shift ;;
	--refresh) REFRESH=1; shift ;;
	--check) CHECK=1; shift ;;
	-q|--quiet) QUIET=1; shift ;;
	-h|--help) usage ;;
	*) echo "fetch-ibm-tools: unknown argument '$1'" >&2; usage ;;
	esac
done
[ ${#SUITES[@]} -gt 0 ] || { echo "fetch-ibm-tools: PVBOOT_IBM_SUITES is empty" >&2; exit 2; }

say() { [ "$QUIET" = 1 ] || echo "fetch-ibm-tools: $*" >&2; }
info() { echo "fetch-ibm-tools: $*" >&2; }
die() { echo "fetch-ibm-tools: $*" >&2; exit 1; }

WHAT="IBM's loaders (stage3a.bin, stage3b_reloc.bin of $PKG, s390x)"

# cache_complete: the slot exists, matches its SHA256SUMS, has both loaders
cache_complete() {
	local d=$CACHE/$PKG

	[ -f "$d/info" ] && [ -f "$d/SHA256SUMS" ] && [ -f "$CACHE/manifest" ] &&
		[ -s "$d/loaders/stage3a.bin" ] &&
		[ -s "$d/loaders/stage3b_reloc.bin" ] &&
		(cd "$d" && sha256sum --quiet --status -c SHA256SUMS) 2>/dev/null
}

if [ "$CHECK" = 1 ]; then
	cache_complete || die "the cache $CACHE lacks: $WHAT"
	say "cache $CACHE is complete"
	exit 0
fi

mkdir -p "$CACHE" 2>/dev/null ||
	die "cannot create the cache directory '$CACHE' (set PVBOOT_IBM_CACHE to a writable directory)"
[ -w "$CACHE" ] ||
	die "the cache directory '$CACHE' is not writable (set PVBOOT_IBM_CACHE to a writable directory)"
exec 9>>"$CACHE/.lock"
flock 9

APTD=$CACHE/apt
STAMP=$APTD/update-stamp

stamp_fresh() {
	[ -f "$STAMP" ] || return 1
	[ $(($(date +%s) - $(stat -c %Y "$STAMP"))) -lt "$MAX_AGE" ]
}

if cache_complete && [ "$REFRESH" = 0 ] && { [ "$OFFLINE" = 1 ] || stamp_fresh; }; then
	say "up to date in $CACHE ($PKG $(sed -n 's/^version=//p' "$CACHE/$PKG/info"))"
	exit 0
fi
[ "$OFFLINE" = 0 ] || die "offline, and the cache $CACHE lacks: $WHAT"

command -v apt-get >/dev/null || die "apt-get not found (a Debian system is needed)"
[ -r "$KEYRING" ] ||
	die "$KEYRING is missing (install debian-archive-keyring: scripts/setup.sh)"

# ---- the private apt -------------------------------------------------------
mkdir -p "$APTD/etc/parts" "$APTD/state/lists/partial" \
	"$APTD/cache/archives/partial" "$CACHE/debs" "$CACHE/store"
[ -f "$APTD/state/status" ] || : >"$APTD/state/status"
for s in "${SUITES[@]}"; do
	printf 'deb [arch=s390x signed-by=%s] %s %s main\n' "$KEYRING" "$MIRROR" "$s"
done >"$APTD/etc/sources.list.new"
if cmp -s "$APTD/etc/sources.list.new" "$APTD/etc/sources.list"; then
	rm -f "$APTD/etc/sources.list.new"
else
	mv -f "$APTD/etc/sources.list.new" "$APTD/etc/sources.list"
	rm -f "$STAMP"	# another mirror or suite: its index is needed
fi
. "$(dirname "${BASH_SOURCE[0]}")/private-apt.bash"
private_apt_opts "$APTD"
LOG=$APTD/log

UPDATED=0
apt_update() {
	info "updating the s390x index of ${SUITES[*]} from $MIRROR"
	apt-get "${APT_OPTS[@]}" --error-on=any -q update >"$LOG" 2>&1 || return 1
	touch "$STAMP"
	UPDATED=1
}

# list_file SUITE: the Packages list apt keeps for SUITE (may be compressed)
list_file() {
	apt-get "${APT_OPTS[@]}" indextargets --format '$(FILENAME)' \
		'Created-By: Packages' "Codename: $1" 2>/dev/null | head -n 1
}

have_lists() {
	local s f

	for s in "${SUITES[@]}"; do
		f=$(list_file "$s")
		[ -n "$f" ] && [ -s "$f" ] || return 1
	done
}

if [ "$REFRESH" = 1 ] || ! stamp_fresh || ! have_lists; then
	if ! apt_update; then
		if cache_complete; then
			info "warning: the registry at $MIRROR cannot be reached; using the cached loaders"
			exit 0
		fi
		tail -n 5 "$LOG" | sed 's/^/  apt: /' >&2
		die "cannot reach the Debian package registry at $MIRROR (apt-get update failed, log $LOG), and the cache $CACHE lacks: $WHAT"
	fi
fi

# newest: "suite version" of the newest $PKG over the suites' signed indexes
newest() {
	local s f v best_s= best_v=

	for s in "${SUITES[@]}"; do
		f=$(list_file "$s")
		[ -n "$f" ] || continue
		while read -r v; do
			if [ -z "$best_v" ] || dpkg --compare-versions "$v" gt "$best_v"; then
				best_s=$s
				best_v=$v
			fi
		done < <(/usr/lib/apt/apt-helper cat-file "$f" | awk -v p="$PKG" '
			/^Package: / { n = $2 }
			/^Version: / { if (n == p) print $2 }')
	done
	[ -n "$best_v" ] || return 1
	echo "$best_s $best_v"
}

# fetch_deb: the verified .deb of $PKG $VER in $CACHE/debs (printed)
fetch_deb() {
	local want f got

	want=$(apt-cache "${APT_OPTS[@]}" show "$PKG=$VER" 2>/dev/null |
		awk '/^SHA256: / { print $2; exit }')
	[ -n "$want" ] || die "$PKG $VER is not in the index of $MIRROR"
	f=$CACHE/debs/${PKG}_${SAFE}_s390x.deb
	if [ -f "$f" ] && [ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$want" ]; then
		echo "$f"
		return
	fi
	info "downloading $PKG $VER ($SUITE)"
	rm -rf "$CACHE/debs/.dl"
	mkdir -p "$CACHE/debs/.dl"
	if ! (cd "$CACHE/debs/.dl" &&
		apt-get "${APT_OPTS[@]}" -q download "$PKG=$VER" >"$LOG" 2>&1); then
		tail -n 5 "$LOG" | sed 's/^/  apt: /' >&2
		return 1
	fi
	got=$(find "$CACHE/debs/.dl" -name '*.deb' | head -n 1)
	[ -n "$got" ] || die "apt-get download $PKG left no .deb"
	[ "$(sha256sum <"$got" | cut -d' ' -f1)" = "$want" ] ||
		die "$PKG $VER: the download does not match the SHA256 of the signed index"
	mv -f "$got" "$f"
	rmdir "$CACHE/debs/.dl"
	echo "$f"
}

# resolve: SUITE, VER, SAFE and DIR of the newest package in the index
resolve() {
	read -r SUITE VER < <(newest) ||
		die "no $PKG package in the $MIRROR index of ${SUITES[*]}"
	SAFE=$(printf '%s' "$VER" | tr ':~' '%_')
	DIR=store/${PKG}_$SAFE
}

resolve
if [ "$(readlink "$CACHE/$PKG" 2>/dev/null)" = "$DIR" ] && cache_complete; then
	say "up to date in $CACHE ($PKG $VER)"
	exit 0
fi
if ! DEB=$(fetch_deb); then
	# the lists may be older than the archive: refresh once
	[ "$UPDATED" = 1 ] && die "cannot download $PKG $VER from $MIRROR"
	apt_update || die "cannot reach the Debian package registry at $MIRROR (downloading $PKG)"
	resolve
	DEB=$(fetch_deb) || die "cannot download $PKG $VER from $MIRROR"
fi

TMP=$(mktemp -d "$CACHE/store/.new.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
X=$TMP/x
mkdir -p "$X" "$TMP/loaders"
dpkg-deb -x "$DEB" "$X"
# pvimg's loaders (s390-tools >= 2.36); C genprotimg's before that
LDIR=
for d in pvimg genprotimg; do
	if [ -f "$X/usr/share/s390-tools/$d/stage3a.bin" ] &&
		[ -f "$X/usr/share/s390-tools/$d/stage3b_reloc.bin" ]; then
		LDIR=$d
		break
	fi
done
[ -n "$LDIR" ] ||
	die "$PKG $VER ($SUITE) holds no stage3a.bin/stage3b_reloc.bin under /usr/share/s390-tools (set PVBOOT_IBM_SUITES to a suite whose $PKG has them)"
cp "$X/usr/share/s390-tools/$LDIR/stage3a.bin" \
	"$X/usr/share/s390-tools/$LDIR/stage3b_reloc.bin" "$TMP/loaders/"
TOOLS=
for t in genprotimg pvimg pvattest pvsecret; do
	for b in usr/bin usr/sbin bin sbin; do
		[ -e "$X/$b/$t" ] && TOOLS="$TOOLS $t"
	done
done
rm -rf "$X"
chmod 0755 "$TMP"
{
	echo "package=$PKG"
	echo "version=$VER"
	echo "suite=$SUITE"
	echo "deb_sha256=$(sha256sum <"$DEB" | cut -d' ' -f1)"
	echo "loaders=/usr/share/s390-tools/$LDIR"
	echo "tools=${TOOLS# }"
} >"$TMP/info"
(cd "$TMP" && sha256sum info loaders/stage3a.bin loaders/stage3b_reloc.bin \
	>SHA256SUMS)
rm -rf "${CACHE:?}/$DIR"
mv "$TMP" "$CACHE/$DIR"
trap - EXIT
ln -sfn "$DIR" "$CACHE/.$PKG.link"
mv -T "$CACHE/.$PKG.link" "$CACHE/$PKG"
info "$PKG $VER ($SUITE): loaders from /usr/share/s390-tools/$LDIR, IBM image tools: ${TOOLS:-none in this package}"
{
	echo "# pvboot IBM loader cache: scripts/fetch-ibm-tools.sh, $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
	echo "mirror=$MIRROR"
	sed 's/^/s390-tools./' "$CACHE/$PKG/info"
	sed 's|  |  s390-tools/|; s/^/s390-tools.sha256=/' "$CACHE/$PKG/SHA256SUMS"
} >"$CACHE/.manifest.new"
mv -f "$CACHE/.manifest.new" "$CACHE/manifest"
# drop what the link no longer points to
for d in "$CACHE"/store/*; do
	[ -e "$d" ] || continue
	[ "store/${d##*/}" = "$DIR" ] || rm -rf "$d"
done
for f in "$CACHE"/debs/*.deb; do
	[ -e "$f" ] || continue
	[ "$f" = "$DEB" ] || rm -f "$f"
done
cache_complete || die "the cache $CACHE is still incomplete: $WHAT"
say "ready in $CACHE"
