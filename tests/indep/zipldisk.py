#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A second builder of zipl-format SCSI disks, for the tests only.

Written from the format description of ipl-from-devices.md §3 (zipl's
include/boot/boot_defs.h as QEMU's s390-ccw bios reads it), none of
pvboot's code, and on purpose laid out differently from `pvboot disk`,
so that the machine and its bios are checked against a disk pvboot did
not write (tests/scenario/disk_indep.sh):

  - every structure and data run starts on a 4 KiB boundary (8 blocks);
  - the segment tables come before the data they describe;
  - a program's data is split into runs of at most RUN blocks, so that a
    segment table fills up and continues in another block through the
    pointer in its last slot;
  - the program loads in two LOAD components (the image from 0x10000 to
    0x20000, and the rest at 0x20000);
  - the program table has two entries, 0 and 1, naming the same program.

    zipldisk.py IMAGE OUT [--run N]

IMAGE is an SE image (or any image with a short IPL PSW at offset 0); its
bytes from 0x10000 on are loaded at 0x10000 and the EXEC PSW is the one
at offset 0, as the s390-ccw bios starts an SE image.
"""
import argparse
import struct
import sys

BLOCK = 512
ALIGN = 8          # blocks: 4 KiB
SLOTS = BLOCK // 16  # block pointers per segment-table block


def ptr(block, count):
    """A linear block pointer: u64 block, u16 block size, u16 count-1."""
    return struct.pack(">QHH4x", block, BLOCK, count - 1)


class Disk:
    def __init__(self):
        self.blocks = {}
        self.next = ALIGN    # block 0 is the boot record

    def alloc(self, n):
        start = self.next
        self.next = (start + n + ALIGN - 1) // ALIGN * ALIGN
        return start

    def put(self, start, data):
        for i in range(0, len(data), BLOCK):
            self.blocks[start + i // BLOCK] = data[i:i + BLOCK].ljust(
                BLOCK, b"\0")

    def image(self):
        end = max(self.blocks) + 1
        return b"".join(self.blocks.get(i, bytes(BLOCK))
                        for i in range(end))


def load_component(disk, data, run):
    """Segment tables, then the data in runs of at most RUN blocks."""
    nblocks = (len(data) + BLOCK - 1) // BLOCK
    runs = [(i, min(run, nblocks - i)) for i in range(0, nblocks, run)]
    # a table holds SLOTS - 1 data pointers and a link in the last slot
    ntables = max(1, (len(runs) + SLOTS - 2) // (SLOTS - 1))
    tables = [disk.alloc(1) for _ in range(ntables)]
    data_start = disk.alloc(nblocks)
    disk.put(data_start, data)
    for t in range(ntables):
        body = b""
        for first, count in runs[t * (SLOTS - 1):(t + 1) * (SLOTS - 1)]:
            body += ptr(data_start + first, count)
        body = body.ljust((SLOTS - 1) * 16, b"\0")
        link = ptr(tables[t + 1], 1) if t + 1 < ntables else bytes(16)
        disk.put(tables[t], body + link)
    return tables[0]


def comp_entry(ctype, block, value):
    """32 bytes: pointer (16) and 7 pad bytes, type, u64 value."""
    head = ptr(block, 1) if block else bytes(16)
    return head + bytes(7) + bytes([ctype]) + struct.pack(">Q", value)


def build(image, run):
    psw = struct.unpack(">Q", image[:8])[0]
    if not psw & 0x0008000000000000:
        sys.exit("zipldisk.py: the image has no short IPL PSW at 0")
    if len(image) <= 0x20000:
        sys.exit("zipldisk.py: the image is too short (under 128 KiB)")
    disk = Disk()
    seg1 = load_component(disk, image[0x10000:0x20000], run)
    seg2 = load_component(disk, image[0x20000:], run)
    table = b"zIPL" + bytes(28)              # component header, IPL
    table += comp_entry(2, seg1, 0x10000)    # LOAD
    table += comp_entry(2, seg2, 0x20000)    # LOAD
    table += comp_entry(1, 0, psw)           # EXEC
    ct = disk.alloc(1)
    disk.put(ct, table.ljust(BLOCK, b"\0"))
    prog = b"zIPL" + bytes(12) + ptr(ct, 1) + ptr(ct, 1)
    pt = disk.alloc(1)
    disk.put(pt, prog.ljust(BLOCK, b"\0"))
    mbr = b"zIPL" + struct.pack(">I", 1) + bytes(8) + ptr(pt, 1)
    disk.put(0, mbr.ljust(BLOCK, b"\0"))
    return disk.image()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("image")
    ap.add_argument("out")
    ap.add_argument("--run", type=int, default=4,
                    help="blocks per data pointer (default 4)")
    a = ap.parse_args()
    with open(a.image, "rb") as f:
        image = f.read()
    with open(a.out, "wb") as f:
        f.write(build(image, a.run))


if __name__ == "__main__":
    main()
