#!/bin/bash
# SPDX-License-Identifier: MIT
# Fetch the Debian s390x guests the Linux tests and benchmarks boot:
#   bpo       the newest linux-image-<ver>-s390x of bookworm-backports
#             (6.12, PV-aware: /sys/firmware/uv/prot_virt_guest is real)
#   bookworm  the newest linux-image-<ver>-s390x of bookworm (6.1, built
#             without CONFIG_PROTECTED_VIRTUALIZATION_GUEST)
#   busybox   busybox-static for s390x (the initramfs's userland)
#
# usage: scripts/fetch-guests.sh [--cache DIR] [--mirror URL] [--offline]
#                                [--refresh] [--check] [--quiet]
#
# apt runs with its own state, cache, lists and sources under DIR/apt and
# the s390x architecture only; the machine's apt configuration is neither
# read for sources nor changed.  The index is verified through its signed
# InRelease (debian-archive-keyring) and every .deb against the SHA256 of
# that index.  Results, at stable paths below DIR (default
# /var/cache/pvboot/guests, or $PVBOOT_GUEST_CACHE):
#   bpo/vmlinuz bpo/config bpo/modules/NAME.ko bpo/modules/order bpo/info
#   bookworm/... (the same)   busybox (the static binary)   manifest
# Each slot is a symlink to a versioned directory under store/, switched
# atomically, so a reader never sees half a kernel.
#
# A second run with a complete cache reads only local files: the index is
# refreshed at most once a day (PVBOOT_GUEST_MAX_AGE seconds, default
# 86400), or when the cache lacks a package; when the registry cannot be
# reached then, a complete cache is used as it is.
#
# --offline  never touch the network; fail when the cache is incomplete
# --refresh  update the index now, whatever its age
# --check    only say whether the cache is complete (exit 0 / 1), no network
# --quiet    print only what changes (updates, downloads) and errors
#
# Environment: PVBOOT_GUEST_CACHE, PVBOOT_DEBIAN_MIRROR (default
# http://deb.debian.org/debian), PVBOOT_GUEST_MODULES (default "uvdevice
# virtio_blk"; their dependencies are added), PVBOOT_GUEST_MAX_AGE.
# Exit status: 0 the cache is complete; 1 something is missing or broken
# (the message names it); 2 usage error.
set -euo pipefail

CACHE=${PVBOOT_GUEST_CACHE:-/var/cache/pvboot/guests}
MIRROR=${PVBOOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
MODULES=${PVBOOT_GUEST_MODULES:-uvdevice virtio_blk}
MAX_AGE=${PVBOOT_GUEST_MAX_AGE:-86400}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
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
	*) echo "fetch-guests: unknown argument '$1'" >&2; usage ;;
	esac
done

# say: status (not with --quiet); info: what changes or is slow, always
say() { [ "$QUIET" = 1 ] || echo "fetch-guests: $*" >&2; }
info() { echo "fetch-guests: $*" >&2; }
die() { echo "fetch-guests: $*" >&2; exit 1; }

# slot name, Debian suite, package-name pattern (extended regex, whole name)
SLOTS=(bpo bookworm busybox-static)
declare -A SUITE=([bpo]=bookworm-backports [bookworm]=bookworm
	[busybox-static]=bookworm)
declare -A PATTERN=([bpo]='linux-image-[0-9][^ ]*-s390x'
	[bookworm]='linux-image-[0-9][^ ]*-s390x'
	[busybox-static]='busybox-static')
declare -A WHAT=([bpo]="the bookworm-backports kernel (linux-image-*-s390x)"
	[bookworm]="the bookworm kernel (linux-image-*-s390x)"
	[busybox-static]="busybox-static (s390x)")

# slot_ok SLOT: the slot's directory exists and matches its SHA256SUMS
slot_ok() {
	local d=$CACHE/$1

	[ -f "$d/info" ] && [ -f "$d/SHA256SUMS" ] || return 1
	(cd "$d" && sha256sum --quiet --status -c SHA256SUMS) 2>/dev/null
}

# missing_slots: the descriptions of the slots that are not complete
missing_slots() {
	local s out=()

	for s in "${SLOTS[@]}"; do
		slot_ok "$s" || out+=("${WHAT[$s]}")
	done
	local i

	for ((i = 0; i < ${#out[@]}; i++)); do
		[ "$i" = 0 ] || printf '; '
		printf '%s' "${out[$i]}"
	done
	echo
}

cache_complete() {
	[ -z "$(missing_slots)" ] && [ -x "$CACHE/busybox" ] &&
		[ -f "$CACHE/manifest" ]
}

if [ "$CHECK" = 1 ]; then
	if cache_complete; then
		say "cache $CACHE is complete"
		exit 0
	fi
	m=$(missing_slots)
	die "the cache $CACHE lacks: ${m:-the manifest}"
fi

mkdir -p "$CACHE" 2>/dev/null ||
	die "cannot create the cache directory '$CACHE' (set PVBOOT_GUEST_CACHE to a writable directory)"
[ -w "$CACHE" ] ||
	die "the cache directory '$CACHE' is not writable (set PVBOOT_GUEST_CACHE to a writable directory)"

# One run at a time per cache (several `make check` may run at once).
exec 9>>"$CACHE/.lock"
flock 9

APTD=$CACHE/apt
STAMP=$APTD/update-stamp

stamp_fresh() {
	local now t

	[ -f "$STAMP" ] || return 1
	now=$(date +%s)
	t=$(stat -c %Y "$STAMP")
	[ $((now - t)) -lt "$MAX_AGE" ]
}

if cache_complete && [ "$REFRESH" = 0 ] && { [ "$OFFLINE" = 1 ] || stamp_fresh; }; then
	say "up to date in $CACHE ($(sed -n 's/^bpo.package=//p' "$CACHE/manifest"), $(sed -n 's/^bookworm.package=//p' "$CACHE/manifest"))"
	exit 0
fi
if [ "$OFFLINE" = 1 ]; then
	die "offline, and the cache $CACHE lacks: $(missing_slots)"
fi

command -v apt-get >/dev/null || die "apt-get not found (a Debian system is needed)"
[ -r "$KEYRING" ] ||
	die "$KEYRING is missing (install debian-archive-keyring: scripts/setup.sh)"

# ---- the private apt -------------------------------------------------------
mkdir -p "$APTD/etc/parts" "$APTD/state/lists/partial" \
	"$APTD/cache/archives/partial" "$CACHE/debs" "$CACHE/store"
[ -f "$APTD/state/status" ] || : >"$APTD/state/status"
src="deb [arch=s390x signed-by=$KEYRING]"
printf '%s %s %s main\n' "$src" "$MIRROR" bookworm "$src" "$MIRROR" \
	bookworm-backports >"$APTD/etc/sources.list.new"
if cmp -s "$APTD/etc/sources.list.new" "$APTD/etc/sources.list"; then
	rm -f "$APTD/etc/sources.list.new"
else
	mv -f "$APTD/etc/sources.list.new" "$APTD/etc/sources.list"
	rm -f "$STAMP"	# another mirror: its index is needed
fi
. "$(dirname "${BASH_SOURCE[0]}")/private-apt.bash"
private_apt_opts "$APTD"
LOG=$APTD/log

UPDATED=0
apt_update() {
	info "updating the s390x index of bookworm and bookworm-backports from $MIRROR"
	if apt-get "${APT_OPTS[@]}" --error-on=any -q update >"$LOG" 2>&1; then
		touch "$STAMP"
		UPDATED=1
		return 0
	fi
	return 1
}

# list_file SUITE: the Packages list apt keeps for SUITE (may be compressed)
list_file() {
	apt-get "${APT_OPTS[@]}" indextargets --format '$(FILENAME)' \
		'Created-By: Packages' "Codename: $1" 2>/dev/null | head -n 1
}

have_lists() {
	local s f

	for s in bookworm bookworm-backports; do
		f=$(list_file "$s")
		[ -n "$f" ] && [ -s "$f" ] || return 1
	done
}

if [ "$REFRESH" = 1 ] || ! stamp_fresh || ! have_lists; then
	if ! apt_update; then
		if cache_complete; then
			info "warning: the registry at $MIRROR cannot be reached; using the cached guests"
			exit 0
		fi
		tail -n 5 "$LOG" | sed 's/^/  apt: /' >&2
		die "cannot reach the Debian package registry at $MIRROR (apt-get update failed, log $LOG), and the cache $CACHE lacks: $(missing_slots)"
	fi
fi

# newest SUITE REGEX: "name version" of the newest package whose whole name
# matches REGEX in SUITE's signed index
newest() {
	local f best_n= best_v= n v

	f=$(list_file "$1")
	[ -n "$f" ] || return 1
	while read -r n v; do
		if [ -z "$best_v" ] || dpkg --compare-versions "$v" gt "$best_v"; then
			best_n=$n
			best_v=$v
		fi
	done < <(/usr/lib/apt/apt-helper cat-file "$f" | awk -v re="^($2)\$" '
		/^Package: / { p = $2 }
		/^Version: / { if (p ~ re) print p, $2 }')
	[ -n "$best_n" ] || return 1
	echo "$best_n $best_v"
}

# index_sha256 PKG VERSION: the SHA256 of the .deb in the signed index
index_sha256() {
	apt-cache "${APT_OPTS[@]}" show "$1=$2" 2>/dev/null |
		awk '/^SHA256: / { print $2; exit }'
}

# safe VERSION: a file-name form of a Debian version
safe() { printf '%s' "$1" | tr ':~' '%_'; }

# fetch_deb PKG VERSION: the verified .deb in $CACHE/debs (printed)
fetch_deb() {
	local pkg=$1 ver=$2 want f got

	want=$(index_sha256 "$pkg" "$ver")
	[ -n "$want" ] || die "$pkg $ver is not in the index of $MIRROR"
	f=$CACHE/debs/${pkg}_$(safe "$ver")_s390x.deb
	if [ -f "$f" ] && [ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$want" ]; then
		echo "$f"
		return
	fi
	info "downloading $pkg $ver"
	rm -rf "$CACHE/debs/.dl"
	mkdir -p "$CACHE/debs/.dl"
	if ! (cd "$CACHE/debs/.dl" &&
		apt-get "${APT_OPTS[@]}" -q download "$pkg=$ver" >"$LOG" 2>&1); then
		tail -n 5 "$LOG" | sed 's/^/  apt: /' >&2
		return 1
	fi
	got=$(find "$CACHE/debs/.dl" -name '*.deb' | head -n 1)
	[ -n "$got" ] || die "apt-get download $pkg left no .deb"
	[ "$(sha256sum <"$got" | cut -d' ' -f1)" = "$want" ] ||
		die "$pkg $ver: the download does not match the SHA256 of the signed index"
	mv -f "$got" "$f"
	rmdir "$CACHE/debs/.dl"
	echo "$f"
}

# modinfo_field KO FIELD: a field of the module's .modinfo section
modinfo_field() {
	s390x-linux-gnu-objcopy -O binary --only-section=.modinfo "$1" \
		/dev/stdout 2>/dev/null | tr '\0' '\n' |
		sed -n "s/^$2=//p" | head -n 1
}

# extract_kernel DEB OUT: vmlinuz, config, modules (with dependencies, in
# load order) and info into OUT
extract_kernel() {
	local deb=$1 out=$2 x rel md m f
	local -A state=()
	local order=() builtin=()

	x=$(mktemp -d "$CACHE/.x.XXXXXX")
	dpkg-deb -x "$deb" "$x"
	f=$(find "$x/boot" -maxdepth 1 -name 'vmlinuz-*' | head -n 1)
	[ -n "$f" ] || { rm -rf "$x"; die "$deb holds no boot/vmlinuz-*"; }
	rel=${f##*/vmlinuz-}
	md=$x/lib/modules/$rel
	[ -d "$md" ] || md=$x/usr/lib/modules/$rel
	[ -d "$md" ] || { rm -rf "$x"; die "$deb holds no modules for $rel"; }
	mkdir -p "$out/modules"
	cp "$f" "$out/vmlinuz"
	[ -f "$x/boot/config-$rel" ] && cp "$x/boot/config-$rel" "$out/config"

	# add NAME: depth-first, dependencies before the module
	add() {
		local n=$1 k alt dep

		case "${state[$n]:-}" in
		done) return 0 ;;
		busy) rm -rf "$x"; die "module dependency loop at $n" ;;
		esac
		state[$n]=busy
		alt=$(printf '%s' "$n" | tr '_-' '-_')
		k=$(find "$md/kernel" \( -name "$n.ko" -o -name "$n.ko.*" \
			-o -name "$alt.ko" -o -name "$alt.ko.*" \) | head -n 1)
		if [ -z "$k" ]; then
			if grep -qE "/($n|$alt)\.ko\$" "$md/modules.builtin" 2>/dev/null; then
				builtin+=("$n")
				state[$n]=done
				return 0
			fi
			rm -rf "$x"
			die "module $n is neither in $deb nor built into $rel"
		fi
		case "$k" in
		*.ko.xz) xz -dc "$k" >"$out/modules/$n.ko" ;;
		*.ko.zst) zstd -qdc "$k" >"$out/modules/$n.ko" ;;
		*.ko.gz) gzip -dc "$k" >"$out/modules/$n.ko" ;;
		*.ko) cp "$k" "$out/modules/$n.ko" ;;
		esac
		for dep in $(modinfo_field "$out/modules/$n.ko" depends | tr ',' ' '); do
			add "$dep"
		done
		order+=("$n")
		state[$n]=done
	}
	for m in $MODULES; do
		add "$m"
	done
	rm -rf "$x"
	printf '%s\n' "${order[@]}" >"$out/modules/order"
	{
		echo "release=$rel"
		echo "modules=${order[*]}"
		echo "builtin=${builtin[*]}"
	} >>"$out/info"
}

CHANGED=0
# update_slot SLOT: point SLOT at the newest package of its suite
update_slot() {
	local slot=$1 pkg ver deb dir rel tmp

	read -r pkg ver < <(newest "${SUITE[$slot]}" "${PATTERN[$slot]}") ||
		die "no package matching ${PATTERN[$slot]} in the $MIRROR ${SUITE[$slot]} index"
	dir=store/${pkg}_$(safe "$ver")
	if [ "$(readlink "$CACHE/$slot" 2>/dev/null)" = "$dir" ] && slot_ok "$slot"; then
		return 0
	fi
	if ! deb=$(fetch_deb "$pkg" "$ver"); then
		# the lists may be older than the archive: refresh once
		[ "$UPDATED" = 1 ] && die "cannot download $pkg $ver from $MIRROR"
		apt_update || die "cannot reach the Debian package registry at $MIRROR (downloading $pkg)"
		update_slot "$slot"
		return
	fi
	tmp=$(mktemp -d "$CACHE/store/.new.XXXXXX")
	chmod 0755 "$tmp"
	{
		echo "slot=$slot"
		echo "suite=${SUITE[$slot]}"
		echo "package=$pkg"
		echo "version=$ver"
		echo "deb_sha256=$(sha256sum <"$deb" | cut -d' ' -f1)"
	} >"$tmp/info"
	if [ "$slot" = busybox-static ]; then
		dpkg-deb --fsys-tarfile "$deb" | tar -x -O ./bin/busybox >"$tmp/busybox"
		[ -s "$tmp/busybox" ] || die "$deb holds no bin/busybox"
		chmod 0755 "$tmp/busybox"
	else
		extract_kernel "$deb" "$tmp"
	fi
	(cd "$tmp" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' |
		sort | xargs sha256sum >SHA256SUMS)
	rm -rf "${CACHE:?}/$dir"
	mv "$tmp" "$CACHE/$dir"
	ln -sfn "$dir" "$CACHE/.$slot.link"
	mv -T "$CACHE/.$slot.link" "$CACHE/$slot"
	info "$slot: $pkg $ver"
	CHANGED=1
}

for s in "${SLOTS[@]}"; do
	update_slot "$s"
done
if [ "$(readlink "$CACHE/busybox" 2>/dev/null)" != busybox-static/busybox ]; then
	ln -sfn busybox-static/busybox "$CACHE/.busybox.link"
	mv -T "$CACHE/.busybox.link" "$CACHE/busybox"
	CHANGED=1
fi

if [ "$CHANGED" = 1 ] || [ ! -f "$CACHE/manifest" ]; then
	{
		echo "# pvboot guest cache: scripts/fetch-guests.sh, $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
		echo "mirror=$MIRROR"
		for s in "${SLOTS[@]}"; do
			key=${s%-static}
			sed "/^slot=/d; s/^/$key./" "$CACHE/$s/info"
			sed "s|  |  $s/|; s/^/$key.sha256=/" "$CACHE/$s/SHA256SUMS"
		done
	} >"$CACHE/.manifest.new"
	mv -f "$CACHE/.manifest.new" "$CACHE/manifest"
	# drop what no slot points to any more
	for d in "$CACHE"/store/*; do
		[ -e "$d" ] || continue
		keep=0
		for s in "${SLOTS[@]}"; do
			[ "$(readlink "$CACHE/$s")" = "store/${d##*/}" ] && keep=1
		done
		[ "$keep" = 1 ] || rm -rf "$d"
	done
	for f in "$CACHE"/debs/*.deb; do
		[ -e "$f" ] || continue
		grep -q "^deb_sha256=$(sha256sum <"$f" | cut -d' ' -f1)\$" \
			"$CACHE"/*/info 2>/dev/null || rm -f "$f"
	done
fi
cache_complete || die "the cache $CACHE is still incomplete: $(missing_slots)"
say "ready in $CACHE"
