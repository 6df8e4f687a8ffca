#!/bin/bash
# SPDX-License-Identifier: MIT
# IPL from a disk through QEMU's s390-ccw bios (issue 16, stories 1-3):
# `pvboot disk` puts an SE image of the test kernel on a raw disk with a
# zipl SCSI bootmap; `pvboot run --disk` loads Debian's bios as QEMU does
# and the bios loads the image, which switches into protected mode.  The
# bios is the pinned Debian build; another bios file is taken with
# --bios, one that does not load is a clear error.  --boot picks the disk,
# ,readonly attaches it read-only, a re-IPL goes through the bios again,
# and QEMU's own bios under QEMU TCG reads the same disk (stage3a stops
# there only because TCG has no secure-execution facility).
. "$(dirname "$0")/run_common.bash"

BIOS=/usr/share/qemu/s390-ccw.img
PINNED=f7eb969377a89842e01dcecc5c81af46308fafb32d0dba95c2da2b4ad8f9e2b0

check "the Debian bios is installed ($BIOS, qemu-system-data)" test -r "$BIOS"
check "the bios is the pinned build (SHA-256 $PINNED)" \
	test "$(sha256sum <"$BIOS" | cut -d' ' -f1)" = "$PINNED"

check "an SE image of the test kernel" se_image se.img "pvboot.test"
"$PVBOOT" disk se.img -o disk.img >mk.out 2>&1
RC=$?
expect_exit "pvboot disk se.img -o disk.img" 0
check "it reports the direct program and the image's PSW" \
	grep -q "direct program, image .* EXEC PSW 0008000180011000" mk.out
check "the disk is whole 512-byte blocks" \
	test $(( $(stat -c %s disk.img) % 512 )) -eq 0
"$PVBOOT" disk --list disk.img >list.out 2>&1
RC=$?
expect_exit "pvboot disk --list" 0
check "--list: a LOAD component at 0x10000" grep -q "load  0x00010000" list.out
check "--list: the EXEC PSW of the image" \
	grep -q "exec  PSW 0008000180011000" list.out
"$PVBOOT" disk --list disk.img --json >list.json 2>&1
check "--list --json: the components" python3 -c '
import json, sys
d = json.load(open("list.json"))
c = d["programs"][0]["components"]
assert [x["type"] for x in c] == ["load", "exec"], c
assert c[0]["address"] == "0000000000010000" and c[1]["psw"] == "0008000180011000"
'

# IPL from the disk
run_pvboot out err --disk disk.img --host-key pki/host.key --no-input
expect_exit "pvboot run --disk disk.img (no IMAGE)" 0
check "the bios ran: its LOADPARM line" has out "LOADPARM=[        ]"
check "the bios found the virtio-blk disk" has out "Using virtio-blk."
check "the bios read the zipl SCSI bootmap" has out "Using SCSI scheme."
check "the test kernel ran protected and passed" \
	has out "pvboot test kernel: all checks passed"
check "the summary: IPL from disk 0 through the bios" \
	has out "IPL:         from disk 0 through the bios"
check "protected once" has out "(1 switch into protected mode)"
check "verified by the UV" has out "verify:      rc 0x0001"
check "the bios read five requests (boot record, tables, image)" \
	has out "disk 0.0.0000 disk.img: 5 reads"

run_pvboot out.json err --disk disk.img --host-key pki/host.key --no-input --json
expect_exit "--json" 0
check "JSON: ipl.from disk, the bios handed over, 5 reads, no writes" \
	python3 -c '
import json
d = json.load(open("out.json"))
assert d["ipl"]["from"] == "disk" and not d["ipl"]["bios_stopped"], d["ipl"]
assert d["ipl"]["bios_microseconds"] > 0
assert d["disks"][0]["reads"] == 5 and d["disks"][0]["writes"] == 0, d["disks"]
assert d["protected"] and d["verify"]["rc"] == 1
'
check "JSON: valid against run.schema.json" python3 -c '
import json, jsonschema, sys
jsonschema.validate(json.load(open("out.json")),
                    json.load(open(sys.argv[1])))' "$ROOT/schema/run.schema.json"

# read-only, and the second of two disks
run_pvboot out err --disk disk.img,readonly --host-key pki/host.key --no-input
expect_exit "--disk disk.img,readonly boots too" 0
check "the summary says read-only" has out "disk.img (read-only)"
head -c 1048576 /dev/zero >blank.img
run_pvboot out err --disk blank.img --disk disk.img --boot 1 \
	--host-key pki/host.key --no-input
expect_exit "--boot 1: the second disk" 0
check "--boot 1: IPL from disk 1" has out "IPL:         from disk 1"
check "--boot 1: the first disk was not read by the bios" \
	has out "disk 0.0.0000 blank.img: 0 reads"
run_pvboot out err --disk blank.img --disk disk.img --host-key pki/host.key \
	--no-input --timeout 20
expect_exit "--boot 0 (default): a blank disk stops the bios" 1
check "the run ended in the bios" has out "IPL failed:  the run ended in the bios"

# re-IPL from the disk: the test kernel's DIAG 308 subcode 3
check "an SE image that re-IPLs" se_image reipl.img "reipl"
"$PVBOOT" disk reipl.img -o reipl.disk -q
run_pvboot out err --disk reipl.disk --host-key pki/host.key --no-input
expect_exit "re-IPL from the disk" 0
check "re-IPL: the second boot found its IPL block" has out "re-IPL: second boot"
check "re-IPL: the bios ran twice" test "$(grep -c 'Using SCSI scheme' out)" -eq 2
check "re-IPL: two IPLs, protected twice" \
	sh -c "grep -q '2 IPLs' out && grep -q '(2 switches into protected mode)' out"

# another bios file; files that are not one
cp "$BIOS" mybios.img
run_pvboot out err --disk disk.img --bios mybios.img --host-key pki/host.key --no-input
expect_exit "--bios FILE (a copy of the Debian build)" 0
head -c 1000 /dev/urandom >junk.img
run_pvboot out err --disk disk.img --bios junk.img --host-key pki/host.key --no-input
expect_exit "--bios of a file that is not an ELF" 1
check "the error names the bios and says why" \
	grep -q "junk.img': bios: not an ELF file" err
run_pvboot out err --disk disk.img --bios nosuch.img --host-key pki/host.key --no-input
expect_exit "--bios of a missing file" 1
check "the error names the missing bios" grep -q "cannot open the bios 'nosuch.img'" err
run_pvboot out err --disk disk.img --memory 2M --host-key pki/host.key --no-input
expect_exit "memory too small for the bios" 1
check "the error asks for more memory" grep -q "give the guest more memory" err

# the same disk under QEMU's own bios (QEMU TCG has no facility 161)
if command -v qemu-system-s390x >/dev/null; then
	timeout 60 qemu-system-s390x -machine s390-ccw-virtio,accel=tcg \
		-nographic -nodefaults -serial stdio -no-reboot -m 512 \
		-drive file=disk.img,if=none,id=d0,format=raw,readonly=on \
		-device virtio-blk-ccw,drive=d0,bootindex=1 \
		</dev/null >qemu.out 2>&1
	check "QEMU's bios boots the disk into stage3a" \
		grep -q "Secure unpack facility is not available" qemu.out
else
	ok "# SKIP qemu-system-s390x is not installed"
fi

finish
