#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seeds of fuzz_ccw (tests/fuzz/fuzz_ccw.c): channel programs and
virtqueues as the s390-ccw bios and Linux build them.  Guest memory of
the input starts at 0x10000; run from tests/fuzz/corpus."""
import struct

BASE = 0x10000


def ccw(cmd, flags, count, cda):
    return struct.pack(">BBHI", cmd, flags, count, cda)


def seed(name, ctrl0, lpm, cpa, steps, mem):
    with open("ccw/" + name, "wb") as f:
        f.write(bytes([ctrl0, lpm]) + struct.pack(">H", cpa) +
                bytes([steps]) + bytes(mem))


def put(mem, off, data):
    mem[off:off + len(data)] = data


# SENSE ID, format 1
m = bytearray(0x200)
put(m, 0, ccw(0xe4, 0x20, 8, BASE + 0x100))
seed("sense-id", 0x80, 0xff, 0, 0, m)

# NOOP, TIC, SENSE ID through format-2 IDAWs; then CSCH
m = bytearray(0x3000)
put(m, 0, ccw(0x03, 0x60, 0, 0))
put(m, 8, ccw(0x08, 0, 0, BASE + 0x40))
put(m, 0x40, ccw(0xe4, 0x24, 8, BASE + 0x80))
put(m, 0x80, struct.pack(">QQ", BASE + 0xffe, BASE + 0x2000))
seed("chain-ida", 0x82, 0xff, 0, 0x08, m)

# format 0, suspend, resume
m = bytearray(0x200)
put(m, 0, bytes([0x03, 0, 0, 0, 0x60, 0, 0, 1]))
put(m, 8, bytes([0xe4, 0x01, 0x01, 0x00, 0x22, 0, 0, 8]))
seed("fmt0-suspend", 0x08, 0xff, 0, 0x02, m)

# legacy virtio as the bios: reset, status, SET_VQ, DRIVER_OK (chained),
# then a read of sector 1 on queue 0
m = bytearray(0x6000)
put(m, 0, ccw(0x33, 0x40, 0, 0))
put(m, 8, ccw(0x31, 0x40, 1, BASE + 0x100))
put(m, 16, ccw(0x13, 0x40, 16, BASE + 0x110))
put(m, 24, ccw(0x31, 0x00, 1, BASE + 0x101))
put(m, 0x100, bytes([3, 7]))
put(m, 0x110, struct.pack(">QIHH", BASE + 0x1000, 4096, 0, 256))
desc = BASE + 0x1000
put(m, 0x1000, struct.pack(">QIHH", BASE + 0x200, 16, 1, 1))
put(m, 0x1010, struct.pack(">QIHH", BASE + 0x3000, 512, 3, 2))
put(m, 0x1020, struct.pack(">QIHH", BASE + 0x210, 1, 2, 0))
put(m, 0x2000, struct.pack(">HHH", 0, 1, 0))
put(m, 0x200, struct.pack(">IIQ", 0, 0, 1))
seed("virtio-legacy-read", 0x80, 0xff, 0, 0x10, m)

# revision 1 as Linux: SET_VIRTIO_REV, features, FEATURES_OK, SET_VQ,
# SET_IND, DRIVER_OK, then a write of sector 2 (little-endian ring)
m = bytearray(0x6000)
prog = [ccw(0x83, 0x40, 4, BASE + 0x100),
        ccw(0x11, 0x40, 5, BASE + 0x108),
        ccw(0x11, 0x40, 5, BASE + 0x110),
        ccw(0x31, 0x40, 1, BASE + 0x118),
        ccw(0x13, 0x40, 32, BASE + 0x120),
        ccw(0x43, 0x40, 8, BASE + 0x140),
        ccw(0x31, 0x00, 1, BASE + 0x119)]
put(m, 0, b"".join(prog))
put(m, 0x100, struct.pack(">HH", 1, 0))
put(m, 0x108, struct.pack("<IB", 0x240, 0))
put(m, 0x110, struct.pack("<IB", 3, 1))
put(m, 0x118, bytes([0x0b, 0x0f]))
put(m, 0x120, struct.pack(">QIHHQQ", BASE + 0x1000, 0, 0, 128,
                          BASE + 0x2000, BASE + 0x3000))
put(m, 0x140, struct.pack(">Q", BASE + 0x180))
put(m, 0x1000, struct.pack("<QIHH", BASE + 0x200, 16, 1, 1))
put(m, 0x1010, struct.pack("<QIHH", BASE + 0x4000, 512, 1, 2))
put(m, 0x1020, struct.pack("<QIHH", BASE + 0x210, 1, 2, 0))
put(m, 0x2000, struct.pack("<HHH", 0, 1, 0))
put(m, 0x200, struct.pack("<IIQ", 1, 0, 2))
seed("virtio-rev1-write", 0x80, 0xff, 0, 0x10, m)
