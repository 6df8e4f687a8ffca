# SPDX-License-Identifier: MIT
"""Control blocks for the guest fuzzer: SCCBs, IPL parameter blocks, UVCBs,
attestation and secret requests, ORBs, SCHIBs, CHSC requests, PSWs.

Every builder takes the generator's random source and returns bytes that
are plausible (the fields a parser checks first are right) or broken in
one or more fields; `r.chance(p)` decides.  Layouts: SCCB and events
(pv-machine-and-uv.md §5, QEMU's hw/s390x/event-facility), IPL blocks
(pv-machine-and-uv.md §2), UVCBs and requests (attestation-and-secrets.md
§2, §3), channel I/O blocks (POP chapter 15, QEMU target/s390x/ioinst.c).
"""

# SCLP commands (machine/sclp.c) and event types
SCLP_CMDS = [0x00010001, 0x00020001, 0x00120001, 0x00760005, 0x00770005,
             0x00780005, 0x00030001, 0x00110001, 0x000e0001]
EV_TYPES = [0x01, 0x02, 0x1a, 0x1d, 0x00, 0xff]

UVC_CMDS = {0x0001: 0x120, 0x1000: 0x30, 0x1001: 0x30, 0x1020: 0x188,
            0x1031: 0x48, 0x1033: 0x48, 0x1034: 0x40, 0x1035: 0x48}

CHSC_CODES = [0x0002, 0x0004, 0x0006, 0x000e, 0x0010, 0x0024, 0x0031,
              0x1234]

# Interesting 64-bit PSW masks: supervisor 64-bit, with I/O, external and
# machine-check masks, wait, problem state, DAT, and invalid ones (bit 12,
# EA without BA, bits that must be zero).
PSW_64 = 0x0000000180000000
PSW_MASKS = [
    PSW_64, PSW_64 | 0x0300000000000000, PSW_64 | 0x0002000000000000,
    PSW_64 | 0x0302000000000000, PSW_64 | 0x0001000000000000,
    PSW_64 | 0x0400000000000000, PSW_64 | 0x0404000000000000,
    PSW_64 | 0x0004000000000000, PSW_64 | 0x0000c00000000000,
    0x0000000080000000, 0x0000000000000000, 0x0000000100000000,
    PSW_64 | 0x0008000000000000, PSW_64 | 0x4000000000000000,
    PSW_64 | 0x0000000000000001, 0x0703000180000000,
]


def be(v, n):
    return (v & ((1 << (8 * n)) - 1)).to_bytes(n, 'big')


def put(buf, off, data):
    """Write @data into bytearray @buf at @off, clipped to the buffer."""
    if off < 0 or off >= len(buf):
        return
    data = data[:len(buf) - off]
    buf[off:off + len(data)] = data


def sccb(r, cmd, size=4096):
    """An SCCB for SCLP command @cmd: header, then what the command reads."""
    b = bytearray(size)
    length = r.pick([4096, 4096, 8, 16, 112, 0x200, 0, 7, 0x1000 + 8,
                     r.below(0x10000)])
    put(b, 0, be(length, 2))
    if r.chance(20):
        put(b, 2, bytes([r.below(256)]))         # function code
    if r.chance(10):
        put(b, 3, r.bytes(3))                    # control mask
    if r.chance(10):
        put(b, 6, be(r.pick([0, 0x0020, 0x0300, 0x01f0]), 2))
    if cmd == 0x00760005:
        _write_events(r, b)
    elif cmd == 0x00780005:
        mlen = r.pick([4, 4, 0, 2, 8, 32, r.below(0x10000)])
        put(b, 10, be(mlen, 2))
        put(b, 12, r.bytes(min(4 * max(mlen, 1), 256)))
    elif r.chance(30):
        put(b, 8, r.bytes(r.below(256)))
    return bytes(b)


def _write_events(r, b):
    off = 8
    for _ in range(r.range(1, 4)):
        typ = r.pick(EV_TYPES)
        text = r.pick([b'hello\n', b'\x00' * 8, r.bytes(r.below(64)),
                       b'pvboot: not me\n', b'A' * r.below(600)])
        elen = 6 + len(text)
        if r.chance(15):
            elen = r.pick([0, 1, 6, 0xffff, r.below(0x10000)])
        put(b, off, be(elen, 2) + bytes([typ, r.pick([0, 0, 0x80])]) +
            b'\0\0' + text)
        off += 6 + len(text)
        if off > len(b) - 16:
            break


def iplb(r, sehdr_addr, ram):
    """An IPL parameter block: PV (pbt 5) or CCW (pbt 2), sometimes
    broken, sometimes pointing at a fake SE header."""
    b = bytearray(4096)
    pbt = r.pick([5, 5, 2, 0, 3, r.below(256)])
    if pbt == 5:
        n = r.pick([1, 2, 3, 0, 50, r.below(300)])
        length = 136 + 24 * n
        if r.chance(15):
            length = r.pick([0, 8, 147, 4097, r.below(1 << 32)])
        put(b, 0, be(length, 4))
        put(b, 7, bytes([r.pick([1, 0, 2])]))
        put(b, 8, be(length - 8, 4))
        put(b, 0x0c, bytes([pbt]))
        put(b, 0x6f, bytes([r.pick([1, 0, 2])]))
        put(b, 0x74, be(n, 4))
        put(b, 0x78, be(r.pick([sehdr_addr, sehdr_addr, 0, ram - 0x1000,
                                ram + 0x1000, r.u64()]), 8))
        put(b, 0x80, be(r.pick([0x280, 0x1000, 0x2000, 0, 0xffffffff,
                                r.below(0x10000)]), 8))
        for i in range(min(n, 160)):
            addr = r.pick([0x10000 + i * 0x1000, 0x20000 + i * 0x1000,
                           ram, r.u64() & ~0xfff, r.u64()])
            size = r.pick([0x1000, 0x2000, 0, 0x1001, r.u64()])
            put(b, 0x88 + 24 * i, be(r.pick([i + 1, 0, r.u64()]), 8) +
                be(addr, 8) + be(size, 8))
    else:
        length = r.pick([0x78, 0x1000, 0, 8, r.below(0x2000)])
        put(b, 0, be(length, 4))
        put(b, 7, b'\1')
        put(b, 8, be(length - 8, 4))
        put(b, 0x0c, bytes([pbt]))
        if r.chance(50):
            put(b, 0x0d, b'\x80')
            put(b, 0x10, r.bytes(8))
        put(b, 0x6e, be(r.below(0x10000), 2))
    if r.chance(10):
        for _ in range(r.range(1, 8)):
            put(b, r.below(4096), r.bytes(r.range(1, 8)))
    return bytes(b)


def fake_sehdr(r):
    """A page that starts like an SE header ("IBMSecEx", version, sizes)
    with random contents after that."""
    b = bytearray(r.bytes(4096))
    put(b, 0, b'IBMSecEx')
    put(b, 8, be(r.pick([0x100, 0x200, r.below(1 << 32)]), 4))
    put(b, 12, be(r.pick([0x280, 0x1000, 0x2000, r.below(0x10000)]), 4))
    if r.chance(50):
        put(b, 16, be(r.pick([1, 2, 0, 95, 300]), 4))
    return bytes(b)


def uvcb(r, ram, pages):
    """A guest UV call control block; @pages are addresses of data pages
    (request buffers, share targets)."""
    cmd = r.pick(list(UVC_CMDS) + [r.below(0x10000)])
    length = UVC_CMDS.get(cmd, 0x40)
    if r.chance(20):
        length = r.pick([0, 7, 8, 0x1000, 0xffff, length + 8,
                         r.below(0x10000)])
    b = bytearray(max(min(length, 4096), 0x188))
    put(b, 0, be(length, 2) + be(cmd, 2))
    if r.chance(10):
        put(b, 4, r.bytes(4))
    if cmd in (0x1000, 0x1001):
        put(b, 0x20, be(r.pick(pages + [0, ram, ram + 0x1000, 0x123,
                                         r.u64()]), 8))
    elif cmd == 0x1020:
        put(b, 0x18, be(r.pick(pages + [0, ram, r.u64()]), 8))
        put(b, 0x20, be(r.pick([0, 0, r.u64()]), 8))
        put(b, 0x2c, be(r.pick([0, 16, 256, 257, r.below(1 << 32)]), 4))
        put(b, 0x30, r.bytes(r.below(256)))
        put(b, 0x13c, be(r.pick([0x40, 0x50, 0, r.below(1 << 32)]), 4))
        put(b, 0x140, be(r.pick(pages + [0, ram, r.u64()]), 8))
        put(b, 0x15c, be(r.pick([0, 0, 32, r.below(1 << 32)]), 4))
        put(b, 0x160, be(r.pick(pages + [0, r.u64()]), 8))
    elif cmd in (0x1031, 0x1033, 0x1035):
        put(b, 0x20, be(r.pick(pages + [0, ram, r.u64()]), 8))
        put(b, 0x28, be(r.pick([0x1000, 0x200, 0, 0x10000, r.u64()]), 8))
        if cmd == 0x1035:
            put(b, 0x18, be(r.below(8), 2))
    elif cmd == 0x0001 and r.chance(20):
        put(b, 8, r.bytes(0x118))
    return bytes(b[:max(length, 8)] if length <= 4096 else b)


def request(r):
    """An attestation or add-secret request (ARCB / ASRCB) header with
    random key slots and data."""
    b = bytearray(r.bytes(4096))
    if r.chance(50):
        put(b, 0, bytes(8))
    else:
        put(b, 0, b'asrcbM' + be(r.below(3), 2))
    put(b, 8, be(r.pick([0x100, 0x100, 0, 0x200]), 4))
    size = r.pick([0x1d0, 0x200, 0x260, 0x1000, 0, r.below(0x10000)])
    put(b, 12, be(size, 4))
    put(b, 0x20, bytes(7) + bytes([r.pick([1, 1, 2, 0, 255])]) + bytes(4))
    put(b, 0x30, be(r.pick([0, 1 << 63, 1 << 62, r.u64()]), 8))
    put(b, 0x38, be(r.pick([1, 0, 2]), 4))
    return bytes(b)


def orb(r, ccw_addr):
    b = bytearray(32)
    put(b, 0, r.bytes(4))                          # interruption parameter
    flags = r.pick([0x0080ff00, 0x00800000, 0, r.below(1 << 32)])
    put(b, 4, be(flags, 4))
    put(b, 8, be(r.pick([ccw_addr, ccw_addr, 0, 0x7fffffff,
                         r.below(1 << 32)]), 4))
    if r.chance(20):
        put(b, 12, r.bytes(20))
    return bytes(b)


def ccws(r, data_addr):
    b = bytearray()
    for _ in range(r.range(1, 4)):
        cmd = r.pick([0x02, 0x01, 0x03, 0x04, 0x08, 0xe4, 0x83, 0x13,
                      0xfa, r.below(256)])
        flags = r.pick([0x00, 0x40, 0x20, 0x80, r.below(256)])
        b += bytes([cmd, flags]) + be(r.pick([0x50, 0, 0xffff, 8]), 2) + \
            be(r.pick([data_addr, 0, r.below(1 << 32)]), 4)
    return bytes(b)


def schib(r):
    b = bytearray(r.bytes(52) if r.chance(30) else bytes(52))
    put(b, 4, be(r.pick([0x0080, 0x0081, 0x0180, 0, r.below(0x10000)]), 2))
    put(b, 6, be(r.below(0x10000), 2))
    return bytes(b)


def chsc(r):
    b = bytearray(4096)
    length = r.pick([0x10, 0x20, 0x1000, 0, 8, 0xfff, r.below(0x10000)])
    put(b, 0, be(length, 2) + be(r.pick(CHSC_CODES), 2))
    put(b, 4, r.pick([bytes(12), r.bytes(12), be(0x10000000, 4) + bytes(8)]))
    return bytes(b)


def psw(r, addrs):
    """A 16-byte PSW: an interesting mask and an address from @addrs or a
    random one."""
    mask = r.pick(PSW_MASKS)
    if r.chance(10):
        mask = r.u64()
    elif r.chance(10):
        mask ^= 1 << r.below(64)
    addr = r.pick(addrs) if addrs and r.chance(80) else r.u64() >> \
        r.pick([0, 1, 32, 40, 60])
    if r.chance(5):
        addr |= 1
    return be(mask, 8) + be(addr, 8)


def short_psw(r, addr):
    """An 8-byte ESA/390-format PSW for LPSW (bit 12 set when valid)."""
    mask = r.pick([0x00080000, 0x00080000, 0x02080000, 0x010a0000,
                   0x00000000, 0x00090000, r.below(1 << 32)])
    return be(mask, 4) + be(0x80000000 | (addr & 0x7fffffff)
                            if r.chance(80) else r.below(1 << 32), 4)
