#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad disks and bad options (issue 16, story 5): a disk without a
# bootmap, a truncated disk, a bootmap pointing outside the disk, data
# pointers outside it: the bios says what is wrong and the run exits 1; a
# read-only file, a missing one, one another program holds, too many
# disks, options that do not fit together: pvboot's clear error, exit 1
# (2 for usage).  `pvboot disk` refuses bad inputs and leaves nothing.
. "$(dirname "$0")/run_common.bash"

# bios_error NAME DISK TEXT: the run ends in the bios with TEXT, exit 1
bios_error() {
	run_pvboot out err --disk "$2" --host-key pki/host.key --no-input \
		--timeout 30
	expect_exit "$1: exit 1" 1
	check "$1: the bios says '$3'" has out "$3"
	check "$1: pvboot says the IPL failed in the bios" \
		has out "IPL failed:  the run ended in the bios"
	check "$1: nothing protected" has out "protected:   no"
}

# patch FILE OFFSET U64: a big-endian 64-bit value at OFFSET
patch() {
	python3 -c 'import struct, sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2]))
f.write(struct.pack(">Q", int(sys.argv[3]))); f.close()' "$@"
}

# be64 FILE OFFSET: the big-endian 64-bit value at OFFSET
be64() {
	python3 -c 'import struct, sys
f = open(sys.argv[1], "rb"); f.seek(int(sys.argv[2]))
print(struct.unpack(">Q", f.read(8))[0])' "$@"
}

check "an SE image of the test kernel" se_image se.img "pvboot.test"
"$PVBOOT" disk se.img -o disk.img -q || exit 1
PT=$(be64 disk.img 16)			# the program table's block
CT=$(be64 disk.img $((PT * 512 + 16)))	# component table
SEG=$(be64 disk.img $((CT * 512 + 32)))	# segment table of the image

head -c 4194304 /dev/zero >zero.img
bios_error "a disk without a bootmap" zero.img "zIPL load failed."
head -c 4194304 /dev/urandom >noise.img
bios_error "a disk of random bytes" noise.img "zIPL load failed."

cp disk.img trunc.img
truncate -s $((PT * 512)) trunc.img
bios_error "a truncated disk (no program table)" trunc.img \
	"Error reading Program Table"
cp disk.img far.img
patch far.img 16 1000000000
bios_error "the boot record points outside the disk" far.img \
	"Error reading Program Table"
cp disk.img fardata.img
patch fardata.img $((SEG * 512)) 1000000
bios_error "a segment points outside the disk" fardata.img "I/O Error"
check "pvboot disk --list names the pointer beyond the end" sh -c \
	"! '$PVBOOT' disk --list fardata.img >list.out 2>&1 && grep -q 'beyond the end of the disk' list.out"
check "pvboot disk --list of a blank disk: no boot record" sh -c \
	"! '$PVBOOT' disk --list zero.img >list.out 2>&1 && grep -q 'no zipl boot record' list.out"

# host-side errors: pvboot's message, exit 1
cp disk.img ro.img
chmod 0444 ro.img
run_pvboot out err --disk ro.img --host-key pki/host.key --no-input
expect_exit "a read-only disk file without ,readonly" 1
check "the error says how to attach it" \
	grep -q "disk 'ro.img' is a read-only file; attach it with --disk ro.img,readonly" err
run_pvboot out err --disk ro.img,readonly --host-key pki/host.key --no-input
expect_exit "the same file with ,readonly boots" 0
run_pvboot out err --disk gone.img --host-key pki/host.key --no-input
expect_exit "a disk file that does not exist" 1
check "the error names the missing disk" \
	grep -q "cannot open disk 'gone.img': No such file or directory" err
head -c 100 /dev/zero >tiny.img
run_pvboot out err --disk tiny.img --host-key pki/host.key --no-input
expect_exit "a disk file smaller than a sector" 1
check "the error says a disk needs a sector" grep -q "at least one 512-byte sector" err
mkdir -p adir
run_pvboot out err --disk adir --host-key pki/host.key --no-input
expect_exit "a directory as disk" 1
check "the error says it is a directory" grep -q "cannot open disk .adir.: Is a directory" err
if command -v flock >/dev/null; then
	flock -x disk.img sleep 10 &
	LOCKER=$!
	sleep 0.3
	run_pvboot out err --disk disk.img --host-key pki/host.key --no-input
	expect_exit "a disk another program holds" 1
	check "the error says it is in use" grep -q "disk 'disk.img' is in use by another program" err
	kill $LOCKER 2>/dev/null
	wait $LOCKER 2>/dev/null
fi

# usage errors: exit 2
expect_usage() {
	run_pvboot out err "$@" --host-key pki/host.key --no-input
	expect_exit "usage: $*" 2
}
expect_usage --disk disk.img --boot 1
check "--boot beyond the disks says how many there are" \
	grep -q "there is only 1 disk" err
expect_usage se.img --disk disk.img --boot 0
expect_usage se.img --disk disk.img --bios /usr/share/qemu/s390-ccw.img
expect_usage --disk disk.img --append "console=ttysclp0"
expect_usage --disk ,readonly
expect_usage --disk disk.img --boot x
ARGS=()
for i in 1 2 3 4 5 6 7 8 9; do ARGS+=(--disk disk.img,readonly); done
expect_usage "${ARGS[@]}"
check "nine disks: at most 8" grep -q "at most 8 disks" err

# pvboot disk: bad inputs, nothing written
expect_disk() {	# expect_disk DESCRIPTION RC TEXT ARGS...
	local d=$1 want=$2 text=$3
	shift 3
	"$PVBOOT" disk "$@" >out 2>err
	RC=$?
	expect_exit "pvboot disk: $d" "$want"
	check "pvboot disk: $d: '$text'" grep -q -- "$text" err
}
expect_disk "a missing image" 1 "cannot open image 'nosuch.img'" \
	nosuch.img -o new.img
head -c 70000 /dev/zero >nopsw.img
expect_disk "an image without an IPL PSW" 1 "has no IPL PSW" nopsw.img -o new.img
expect_disk "an image too short" 1 "ends before 0x10000" tiny.img -o new.img
expect_disk "an existing output" 1 "exists" se.img -o disk.img
expect_disk "no output" 2 "the output disk (-o DISK) is missing" se.img
expect_disk "--json without --list" 2 "--json goes with --list" \
	se.img -o new.img --json
expect_disk "a data file that is not a file" 1 "is not a regular file" se.img -o new.img --data /dev/null
check "nothing was written for the failures" test ! -e new.img

finish
