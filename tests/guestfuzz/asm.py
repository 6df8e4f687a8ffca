# SPDX-License-Identifier: MIT
"""s390x instruction encoders for the guest fuzzer (tests/guestfuzz).

Each function returns the bytes of one instruction in the format the
z/Architecture Principles of Operation gives it (chapter 5, "Instruction
formats").  Registers are 0-15, displacements 12 bits (RX, RS, S, SI) or
20 bits signed (RXY, RSY, SIY).  Nothing here checks that an operand makes
sense: the fuzzer wants the odd cases too.  `selftest()` disassembles a
sample with binutils and compares the mnemonics.
"""


def _u(v, n):
    return (v & ((1 << (8 * n)) - 1)).to_bytes(n, 'big')


def e(op):
    """E format: a 16-bit opcode (SCKPF 0x0107, PTFF 0x0104)."""
    return _u(op, 2)


def rr(op, r1, r2):
    return bytes([op, (r1 & 15) << 4 | (r2 & 15)])


def rre(op, r1, r2):
    return _u(op, 2) + bytes([0, (r1 & 15) << 4 | (r2 & 15)])


def rrf(op, r1, r2, m3=0, m4=0):
    return _u(op, 2) + bytes([(m3 & 15) << 4 | (m4 & 15),
                              (r1 & 15) << 4 | (r2 & 15)])


def rx(op, r1, x2, b2, d2):
    return bytes([op, (r1 & 15) << 4 | (x2 & 15),
                  (b2 & 15) << 4 | (d2 >> 8 & 15), d2 & 0xff])


def rxy(op, r1, x2, b2, d2):
    """RXY: op is the 16-bit opcode, e.g. 0xe304 (LG)."""
    d2 &= 0xfffff
    return bytes([op >> 8, (r1 & 15) << 4 | (x2 & 15),
                  (b2 & 15) << 4 | (d2 >> 8 & 15), d2 & 0xff,
                  d2 >> 12 & 0xff, op & 0xff])


def rs(op, r1, r3, b2, d2):
    return bytes([op, (r1 & 15) << 4 | (r3 & 15),
                  (b2 & 15) << 4 | (d2 >> 8 & 15), d2 & 0xff])


def rsy(op, r1, r3, b2, d2):
    """RSY: op is the 16-bit opcode, e.g. 0xeb2f (LCTLG)."""
    return rxy(op, r1, r3, b2, d2)


def s(op, b2, d2):
    """S format: a 16-bit opcode and one storage operand (SCK, SPX, ...)."""
    return _u(op, 2) + bytes([(b2 & 15) << 4 | (d2 >> 8 & 15), d2 & 0xff])


def si(op, i2, b1, d1):
    return bytes([op, i2 & 0xff, (b1 & 15) << 4 | (d1 >> 8 & 15),
                  d1 & 0xff])


def siy(op, i2, b1, d1):
    d1 &= 0xfffff
    return bytes([op >> 8, i2 & 0xff, (b1 & 15) << 4 | (d1 >> 8 & 15),
                  d1 & 0xff, d1 >> 12 & 0xff, op & 0xff])


def sil(op, b1, d1, i2):
    return _u(op, 2) + bytes([(b1 & 15) << 4 | (d1 >> 8 & 15),
                              d1 & 0xff]) + _u(i2, 2)


def ri(op, r1, i2):
    """RI: op is 12 bits as written in the POP, e.g. 0xa79 (LGHI)."""
    return bytes([op >> 4, (r1 & 15) << 4 | (op & 15)]) + _u(i2, 2)


def ril(op, r1, i2):
    """RIL: op is 12 bits, e.g. 0xc0e (LLIHF); i2 is 32 bits."""
    return bytes([op >> 4, (r1 & 15) << 4 | (op & 15)]) + _u(i2, 4)


def ss(op, ll, b1, d1, b2, d2):
    """SS-a (MVC, ...): ll is the length code (length - 1)."""
    return bytes([op, ll & 0xff, (b1 & 15) << 4 | (d1 >> 8 & 15),
                  d1 & 0xff, (b2 & 15) << 4 | (d2 >> 8 & 15), d2 & 0xff])


def sse(op, b1, d1, b2, d2):
    return _u(op, 2) + bytes([(b1 & 15) << 4 | (d1 >> 8 & 15), d1 & 0xff,
                              (b2 & 15) << 4 | (d2 >> 8 & 15), d2 & 0xff])


# ---- a few instructions the generator uses by name ------------------------

def load64(r, v):
    """LLIHF r,hi; IILF r,lo: any 64-bit value in 12 bytes."""
    return ril(0xc0e, r, v >> 32) + ril(0xc09, r, v)


def lpswe(b2, d2):
    return s(0xb2b2, b2, d2)


def brc(mask, halfwords):
    return ri(0xa74, mask, halfwords)


def brcl(mask, halfwords):
    return ril(0xc04, mask, halfwords)


def ex(r1, x2, b2, d2):
    return rx(0x44, r1, x2, b2, d2)


def exrl(r1, halfwords):
    return ril(0xc60, r1, halfwords)


# binutils mnemonics for the selftest: (bytes, expected mnemonic); binutils
# has none for SERVC, UVC and CHSC (it prints .long)
def _samples():
    return [
        (e(0x0107), 'sckpf'), (e(0x0104), 'ptff'),
        (s(0xb204, 1, 8), 'sck'), (s(0xb205, 0, 0x10), 'stck'),
        (s(0xb278, 2, 0), 'stcke'), (s(0xb27c, 2, 0), 'stckf'),
        (s(0xb206, 2, 0), 'sckc'), (s(0xb207, 2, 0), 'stckc'),
        (s(0xb208, 2, 0), 'spt'), (s(0xb209, 2, 0), 'stpt'),
        (rre(0xb220, 1, 2), '.long'), (rs(0x83, 2, 4, 0, 0x308), 'diag'),
        (rs(0xae, 1, 3, 0, 5), 'sigp'), (rrf(0xb9a4, 1, 2), '.long'),
        (si(0x82, 0, 1, 0), 'lpsw'), (lpswe(1, 0), 'lpswe'),
        (si(0x80, 0, 1, 0), 'ssm'), (rsy(0xeb2f, 0, 15, 1, 0), 'lctlg'),
        (rs(0xb7, 0, 15, 1, 0), 'lctl'), (s(0xb210, 1, 0), 'spx'),
        (s(0xb236, 1, 0), 'tpi'), (rre(0xb25f, 2, 4), '.long'),
        (s(0xb233, 1, 0), 'ssch'), (s(0xb27d, 1, 0), 'stsi'),
        (load64(3, 0x123456789abcdef0)[:6], 'llihf'),
        (load64(3, 0x123456789abcdef0)[6:], 'iilf'),
        (brc(15, 4), 'j'), (ex(1, 0, 2, 0), 'ex'), (exrl(1, 8), 'exrl'),
        (rre(0xb316, 0, 4), 'sqxbr'), (rxy(0xe304, 1, 0, 2, 8), 'lg'),
        (rxy(0xe324, 1, 0, 2, 8), 'stg'), (ss(0xd2, 7, 1, 0, 2, 0), 'mvc'),
        (siy(0xeb6a, 1, 0, 0x3f0), 'asi'), (sil(0xe55d, 0, 0x3f0, 5),
                                            'clfhsi'),
    ]


def selftest(objdump='s390x-linux-gnu-objdump'):
    """Disassemble the samples; returns a list of mismatches (or None when
    binutils is not there)."""
    import os
    import shutil
    import subprocess
    import tempfile
    if not shutil.which(objdump):
        return None
    bad = []
    samples = _samples()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'x.bin')
        with open(path, 'wb') as f:
            for b, _ in samples:
                f.write(b)
        out = subprocess.run([objdump, '-D', '-b', 'binary', '-m',
                              's390:64-bit', path], capture_output=True,
                             text=True, check=True).stdout
    got = []
    for line in out.splitlines():
        parts = line.split('\t')
        if len(parts) >= 3 and parts[0].strip().endswith(':'):
            got.append(parts[2].split()[0] if parts[2].split() else '')
    for (b, want), mn in zip(samples, got):
        if mn != want:
            bad.append('%s: want %s, objdump says %s' % (b.hex(), want, mn))
    if len(got) != len(samples):
        bad.append('objdump decoded %d instructions, want %d' %
                   (len(got), len(samples)))
    return bad
