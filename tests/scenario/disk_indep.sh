#!/bin/bash
# SPDX-License-Identifier: MIT
# Disks pvboot did not write boot too (issue 16, story 3):
# - tests/indep/zipldisk.py, a second builder of the zipl SCSI format
#   written from the format description alone and laid out differently
#   (4 KiB alignment, segment tables before their data and continued
#   through their last slot, two LOAD components, two program entries):
#   `pvboot disk --list` reads it, `pvboot run` IPLs it through the bios
#   into the protected test kernel, and QEMU's bios under QEMU TCG reaches
#   stage3a with it;
# - zipl's own program layout with zipl's own stage3 loader (stage3.bin of
#   Debian 12's s390-tools 2.16.0-2 s390x package, pinned): the bios loads
#   stage3, stage3 moves the SE image into place and starts it.  The
#   package comes from the Debian registry through the guest cache's
#   private apt; without it (no cache, no network) that part skips.
. "$(dirname "$0")/run_common.bash"

STAGE3_DEB=s390-tools=2.16.0-2
STAGE3_SHA=a93390bb438acf140af3cdf0093ad49078733c8f97fcfbb764be0a2f235b5274
CACHE=${PVBOOT_GUEST_CACHE:-/var/cache/pvboot/guests}

check "an SE image of the test kernel" se_image se.img "pvboot.test"
check "the independent builder writes a disk" \
	python3 "$ROOT/tests/indep/zipldisk.py" se.img indep.img
"$PVBOOT" disk --list indep.img >list.out 2>&1
RC=$?
expect_exit "pvboot disk --list reads it" 0
check "two program entries" test "$(grep -c '^program' list.out)" -eq 2
check "its first LOAD needs continued segment tables (32 segments)" \
	grep -q "load  0x00010000  65536 bytes in 32 segments" list.out
run_pvboot out err --disk indep.img --host-key pki/host.key --no-input
expect_exit "pvboot run --disk indep.img" 0
check "the bios loaded it, the test kernel passed protected" \
	sh -c "grep -q 'Using SCSI scheme' out && grep -q 'all checks passed' out && grep -q '(1 switch into protected mode)' out"
if command -v qemu-system-s390x >/dev/null; then
	timeout 60 qemu-system-s390x -machine s390-ccw-virtio,accel=tcg \
		-nographic -nodefaults -serial stdio -no-reboot -m 512 \
		-drive file=indep.img,if=none,id=d0,format=raw,readonly=on \
		-device virtio-blk-ccw,drive=d0,bootindex=1 \
		</dev/null >qemu.out 2>&1
	check "QEMU's bios reaches stage3a with it too" \
		grep -q "Secure unpack facility is not available" qemu.out
fi

# zipl's stage3 from Debian's s390-tools (s390x), through the private apt
# of the guest cache; kept in $CACHE/zipl
stage3() {
	local a=$CACHE/apt d=$CACHE/zipl
	local opts=(-o "Dir::State=$a/state" -o "Dir::State::status=$a/state/status"
		-o "Dir::Cache=$a/cache" -o "Dir::Etc::SourceList=$a/etc/sources.list"
		-o "Dir::Etc::SourceParts=$a/etc/parts"
		-o "Dir::Etc::Preferences=$a/etc/preferences"
		-o "Dir::Etc::PreferencesParts=$a/etc/parts"
		-o APT::Architecture=s390x -o APT::Architectures=s390x
		-o APT::Get::AllowUnauthenticated=false
		-o Acquire::AllowInsecureRepositories=false -o Acquire::Retries=1
		-o Acquire::http::Timeout=20)

	[ "$(id -u)" -eq 0 ] && opts+=(-o APT::Sandbox::User=root)
	if [ -f "$d/stage3.bin" ] &&
	   [ "$(sha256sum <"$d/stage3.bin" | cut -d' ' -f1)" = "$STAGE3_SHA" ]; then
		cp "$d/stage3.bin" stage3.bin
		return 0
	fi
	[ -f "$a/etc/sources.list" ] || return 1
	mkdir -p dl "$d" && (cd dl && apt-get "${opts[@]}" -q download \
		"$STAGE3_DEB" >apt.log 2>&1) || return 1
	dpkg-deb --fsys-tarfile dl/*.deb | tar -x -O ./lib/s390-tools/stage3.bin \
		>stage3.bin 2>/dev/null || return 1
	[ "$(sha256sum <stage3.bin | cut -d' ' -f1)" = "$STAGE3_SHA" ] || return 1
	cp stage3.bin "$d/stage3.bin.new" && mv -f "$d/stage3.bin.new" "$d/stage3.bin"
}

if stage3; then
	ok "zipl's stage3.bin of $STAGE3_DEB (SHA-256 pinned)"
	"$PVBOOT" disk se.img -o zipl.img --stage3 stage3.bin >mk.out 2>&1
	RC=$?
	expect_exit "pvboot disk --stage3: zipl's layout" 0
	"$PVBOOT" disk --list zipl.img >list.out 2>&1
	check "heap, stack, stage3, parameters, image, EXEC 0xA000" sh -c "
		grep -q 'load  0x00002000  16384' list.out &&
		grep -q 'load  0x0000f000  4096' list.out &&
		grep -q 'load  0x0000a000  16384' list.out &&
		grep -q 'load  0x00009000  512' list.out &&
		grep -q 'load  0x00010000' list.out &&
		grep -q 'exec  PSW 000800008000a000' list.out"
	run_pvboot out err --disk zipl.img --host-key pki/host.key --no-input
	expect_exit "pvboot run --disk zipl.img (stage3 loads the SE image)" 0
	check "stage3 asked for the IPL block and started the image" \
		sh -c "grep -q 'all checks passed' out && grep -q '6 calls' out"
else
	ok "# SKIP zipl's stage3.bin: no guest cache or no registry ($STAGE3_DEB)"
fi

finish
