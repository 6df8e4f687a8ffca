# SPDX-License-Identifier: MIT
"""The items of a generated guest: one system or general instruction with
the code that loads its operands, sometimes run through EXECUTE or
EXECUTE RELATIVE LONG.  Biased to what a hostile guest would try on
pvboot's machine: SERVC, DIAGNOSE (0x308, 0x44, 0x9c, 0x500, ...), SIGP,
UVC, LPSW/LPSWE, SSM, LCTLG, SPX, the TOD-clock and timer instructions,
the I/O instructions, storage keys and DAT, and the floating-point
instructions whose translation was wrong in the library (SQXBR).

Registers 12 and 14 belong to EXECUTE (the OR byte and the target
address); operands use the others.
"""

import asm
import blocks

OPREGS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15]
EXR, EXB = 12, 14

TOD = {'stck': 0xb205, 'stcke': 0xb278, 'stckf': 0xb27c, 'sck': 0xb204,
       'sckc': 0xb206, 'stckc': 0xb207, 'spt': 0xb208, 'stpt': 0xb209}
TOD_ALIGNED = ('sck', 'sckc', 'stckc', 'spt', 'stpt')
IO_S = {'csch': 0xb230, 'hsch': 0xb231, 'msch': 0xb232, 'ssch': 0xb233,
        'stsch': 0xb234, 'tsch': 0xb235, 'tpi': 0xb236, 'sal': 0xb237,
        'rsch': 0xb238, 'stcrw': 0xb239, 'stcps': 0xb23a, 'rchp': 0xb23b,
        'schm': 0xb23c, 'xsch': 0xb276}
DIAG_CODES = [0x308] * 6 + [0x44, 0x9c, 0x500, 0x500, 0x318, 0x10, 0x258,
                            0x288, 0x204, 0x260, 0x2c4, 0x8, 0x24, 0x64,
                            0x9c, 0x4]
SIGP_ORDERS = [1, 2, 3, 4, 5, 6, 9, 0x0b, 0x0c, 0x0d, 0x0e, 0x11, 0x12,
               0x15, 0x16, 0x17, 0x07, 0x08, 0x0a, 0x13]
FP_RRE = [0xb316, 0xb315, 0xb314, 0xb34a, 0xb34b, 0xb34c, 0xb34d, 0xb349,
          0xb365, 0xb342, 0xb3ab, 0xb396, 0xb3a6, 0xb344, 0xb345, 0xb346,
          0xb31e]


class Items:
    def __init__(self, g, r):
        self.g = g
        self.r = r
        self.table = [
            (10, self.servc), (12, self.diag), (9, self.sigp),
            (6, self.uvc), (6, self.lpsw), (4, self.ssm), (6, self.lctl),
            (2, self.stctl), (4, self.prefix), (9, self.tod),
            (7, self.io), (4, self.stsi), (5, self.keys_dat),
            (3, self.svc_mc), (4, self.fp), (4, self.wait),
            (8, self.general), (4, self.random_bytes), (3, self.smash),
            (3, self.loop),
        ]
        self.depth = 0

    # ---- helpers ----------------------------------------------------------

    def regs(self, n):
        """@n different operand registers (rarely the same one twice)."""
        if self.r.chance(3):
            return [self.r.pick(OPREGS)] * n
        pool = list(OPREGS)
        out = []
        for _ in range(n):
            out.append(pool.pop(self.r.below(len(pool))))
        return out

    def addr(self, base, align=1):
        """An operand address: mostly @base, else misaligned, in the
        lowcore, at or beyond the end of memory, or anything."""
        r, ram = self.r, self.g.ram
        how = r.weighted([(70, 'base'), (7, 'odd'), (5, 'low'),
                          (4, 'end'), (6, 'beyond'), (3, 'huge'),
                          (5, 'any')])
        if how == 'base':
            return base
        if how == 'odd':
            return base + r.range(1, max(align, 2) - 1 if align > 2 else 1)
        if how == 'low':
            return r.below(0x200)
        if how == 'end':
            return ram - r.pick([8, 16, 4096, 1, 2])
        if how == 'beyond':
            return ram + r.below(1 << 20)
        if how == 'huge':
            return r.pick([1 << 63, (1 << 64) - 8, 1 << 31, 0x7ffffff8,
                           1 << 32])
        return r.u64() >> r.pick([0, 20, 32, 40])

    def operand(self, addr, avoid=()):
        """Setup code and (base, displacement) for a storage operand."""
        r = self.r
        if addr < 4096 and r.chance(40):
            return b'', 0, addr
        rb = r.pick([x for x in OPREGS if x not in avoid] or OPREGS)
        d = 0 if r.chance(50) else r.below(min(addr, 4095) + 1)
        return asm.load64(rb, addr - d), rb, d

    def val(self, reg, v):
        return asm.load64(reg, v)

    def run(self, setup, insn, ex_ok=True):
        """Emit @setup, then @insn directly or as the target of EX/EXRL."""
        g, r = self.g, self.r
        g.emit(setup)
        how = r.weighted([(80, 'direct'), (10, 'ex'), (10, 'exrl')]) \
            if ex_ok else 'direct'
        if 'sck-ex' in g.avoid and insn[:2] == b'\xb2\x04':
            how = 'direct'
        if how != 'direct':
            g.items_used.add('ex')
        if how == 'direct':
            g.emit(insn)
            return
        target = g.ex_target(insn, odd=r.chance(3))
        orb = 0 if r.chance(70) else r.below(256)
        if g.avoid and insn[0] in (0xb2, 0xb3):
            orb = 0
        r1 = 0 if r.chance(30) else EXR
        code = asm.load64(EXR, orb) if r1 else b''
        if how == 'ex':
            code += asm.load64(EXB, target) + asm.ex(r1, 0, EXB, 0)
            g.emit(code)
        else:
            g.emit(code)
            g.emit(asm.exrl(r1, (target - g.here()) >> 1))

    def item(self):
        f = self.r.weighted([(w, f) for w, f in self.table])
        self.g.items_used.add(f.__name__)
        f()

    # ---- the start of the program -------------------------------------------

    def prologue(self):
        """Install the new PSWs and handler constants from the copy at
        0x20000 (an SE guest's lowcore is not what its image held), then
        random registers and CR0."""
        r, g = self.r, self.g
        g.emit(asm.load64(1, LOWCORE2) +
               asm.ss(0xd2, 0x60 - 1, 0, 0x1a0, 1, 0x1a0) +
               asm.ss(0xd2, 0x80 - 1, 0, 0x380, 1, 0x380))
        for reg in self.regs(r.range(0, 6)):
            g.emit(self.val(reg, r.pick([0, 0x22000, 0x2b000, g.ram,
                                         r.u64(), r.below(0x10000)])))
        if g.config['se'] and r.chance(60):
            self.share(PAGES_SHARED[:r.range(1, 3)])
        if r.chance(50):
            cr0 = r.pick([0x200, 0xe00, 0x40000, 0x40e00, 0x10000000,
                          0x6e00, r.u64() & 0xffffffff])
            a = g.alloc(blocks.be(cr0, 8))
            g.emit(asm.load64(1, a) + asm.rsy(0xeb2f, 0, 0, 1, 0))

    def share(self, pages):
        """A secure guest opens pages to the hypervisor (UVC set shared
        access), so that its SCCBs reach the SCLP."""
        g = self.g
        for p in pages:
            cb = g.alloc(blocks.be(0x30, 2) + blocks.be(0x1000, 2) +
                         bytes(0x1c) + blocks.be(p, 8) + bytes(8))
            g.emit(asm.load64(2, cb) + asm.rrf(0xb9a4, 0, 2))

    def loop(self):
        """A counted loop (BRCT) around one item: storms of SERVC, SIGP,
        DIAG, ...  An item that changes the counter makes it long; the
        timeout ends that."""
        r, g = self.r, self.g
        if self.depth:
            return
        rc = r.pick(OPREGS)
        g.emit(asm.ri(0xa79, rc, r.pick([2, 16, 100, 1000, 30000])))
        start = g.here()
        self.depth += 1
        self.item()
        self.depth -= 1
        g.emit(asm.ri(0xa76, rc, (start - g.here()) >> 1))

    # ---- system instructions ------------------------------------------------

    def servc(self):
        r, g = self.r, self.g
        cmd = r.pick(blocks.SCLP_CMDS) if r.chance(85) else r.u64() >> 32
        sccb = g.page(blocks.sccb(r, cmd))
        r1, r2 = self.regs(2)
        setup = self.val(r1, cmd) + self.val(r2, self.addr(sccb, 8))
        self.run(setup, asm.rre(0xb220, r1, r2))

    def diag(self):
        r, g = self.r, self.g
        code = r.pick(DIAG_CODES) if r.chance(90) else r.below(0x10000)
        r1, r3 = self.regs(2)
        setup = b''
        if code == 0x308:
            if r1 & 1 and r.chance(85):
                r1 -= 1
            hdr = g.page(blocks.fake_sehdr(r)) if r.chance(30) else 0x10000
            page = g.page(blocks.iplb(r, hdr, g.ram))
            sub = r.pick([0, 1, 3, 4, 5, 6, 7, 8, 8, 9, 10, 10, 2, 11,
                          r.u64()])
            setup = self.val(r1, self.addr(page, 4096)) + self.val(r3, sub)
        elif code == 0x500:
            setup = self.val(1, r.pick([3, 3, 0, 4, r.u64()])) + \
                self.val(2, r.pick([0x10000, 0x10001, 0, r.u64()])) + \
                self.val(3, r.pick([0, 1, 2, r.u64()])) + \
                self.val(4, r.u64())
        elif code == 0x9c:
            setup = self.val(r1, r.pick([0, 1, 2, 3, 0xffff, r.u64()]))
        else:
            setup = self.val(r1, r.u64()) + self.val(r3, r.u64())
        if code < 4096 and r.chance(80):
            b2, d2 = 0, code
        else:
            b2 = r.pick([x for x in OPREGS if x not in (r1, r3)])
            d2 = r.below(4096)
            setup += self.val(b2, (code - d2) & 0xffff)
        self.run(setup, asm.rs(0x83, r1, r3, b2, d2))

    def sigp(self):
        r, g = self.r, self.g
        order = r.pick(SIGP_ORDERS) if r.chance(90) else r.below(256)
        r1, r3 = self.regs(2)
        parm_reg = r1 if r1 & 1 else r1 + 1
        smp = g.config['smp']
        cpu = r.pick([0, 1, 1, 2, 3, smp - 1, smp, 0xffff, r.below(0x10000)])
        if order == 0x0d:
            parm = r.pick([LOWCORE2, LOWCORE2, 0, 0x2000, g.ram - 0x2000,
                           g.ram, r.u64()])
        elif order in (0x0e, 0x17):
            parm = r.pick([0x2e000, g.ram - 0x100, 0x1001, 0x11200,
                           r.u64()])
        elif order == 0x12:
            parm = r.pick([0, 0x1234, r.u64()])
        elif order == 0x11:
            parm = r.pick([0, 1, 2, 3])
        else:
            parm = r.u64()
        setup = self.val(parm_reg, parm) + self.val(r3, cpu)
        if r.chance(85):
            b2, d2 = 0, order
        else:
            b2 = r.pick([x for x in OPREGS if x not in (r1, r3, parm_reg)])
            d2 = r.below(4096)
            setup += self.val(b2, r.u64() & ~0xff | ((order - d2) & 0xff))
        self.run(setup, asm.rs(0xae, r1, r3, b2, d2))

    def uvc(self):
        r, g = self.r, self.g
        req = g.page(blocks.request(r))
        data = g.page(r.bytes(4096))
        cb = g.page(blocks.uvcb(r, g.ram, [req, data, 0x22000, 0x10000]))
        r1, r2 = self.regs(2)
        m3 = 0 if r.chance(95) else r.below(16)
        self.run(self.val(r2, self.addr(cb, 8)),
                 asm.rrf(0xb9a4, r1, r2, m3, 0))

    def lpsw(self):
        r, g = self.r, self.g
        short = r.chance(25)
        rb = r.pick(OPREGS)
        insn_len = 4
        after = g.here() + 12 + insn_len
        addrs = [after, after, after, CODE_START, 0, after + 1, g.ram]
        if short:
            psw = blocks.short_psw(r, after)
        else:
            psw = blocks.psw(r, addrs)
        a = g.alloc(psw)
        if r.chance(5):
            a += r.pick([1, 4])
        setup = asm.load64(rb, a)
        g.emit(setup)
        g.emit(asm.si(0x82, 0, rb, 0) if short else asm.lpswe(rb, 0))

    def ssm(self):
        r, g = self.r, self.g
        mask = r.pick([0x00, 0x03, 0x04, 0x07, 0x01, 0x02, 0x40, 0xff,
                       r.below(256)])
        setup, b, d = self.operand(self.addr(g.alloc(bytes([mask]), 1)))
        self.run(setup, asm.si(0x80, 0, b, d))

    def cr_values(self):
        r, g = self.r, self.g
        vals = []
        for i in range(16):
            if i == 0:
                v = r.pick([0x200, 0xe00, 0x40e00, 0x10000000, 0x40000,
                            0x6e00, 0, r.u64()])
            elif i in (1, 7, 13):
                table = g.page(r.bytes(4096))
                v = r.pick([0, table | r.pick([0, 3, 7, 0xb]), r.u64()])
            elif i == 14:
                v = r.pick([0xc2000000, 0, r.u64()])
            else:
                v = r.pick([0, r.u64()])
            vals.append(blocks.be(v, 8))
        return b''.join(vals)

    def lctl(self):
        r, g = self.r, self.g
        a = g.alloc(self.cr_values())
        r1 = r.pick([0, 0, 1, 13, 14, r.below(16)])
        r3 = r.pick([r1, r1, 15, r.below(16)])
        setup, b, d = self.operand(self.addr(a, 8))
        if r.chance(70):
            insn = asm.rsy(0xeb2f, r1, r3, b, d)
        else:
            insn = asm.rs(0xb7, r1, r3, b, d)
        self.run(setup, insn)

    def stctl(self):
        r, g = self.r, self.g
        setup, b, d = self.operand(self.addr(g.page(), 8))
        r1, r3 = r.below(16), r.below(16)
        insn = asm.rsy(0xeb25, r1, r3, b, d) if r.chance(60) else \
            asm.rs(0xb6, r1, r3, b, d)
        self.run(setup, insn)

    def prefix(self):
        r, g = self.r, self.g
        which = r.pick(['spx', 'spx', 'stpx', 'stap', 'stidp'])
        if which == 'spx':
            v = r.pick([LOWCORE2, LOWCORE2, 0, 0x2000, g.ram - 0x2000,
                        g.ram, r.below(1 << 32)])
            a = g.alloc(blocks.be(v, 4), 4)
            op = 0xb210
        else:
            a = g.alloc(bytes(8), 8)
            op = {'stpx': 0xb211, 'stap': 0xb212, 'stidp': 0xb202}[which]
        setup, b, d = self.operand(self.addr(a, 4))
        self.run(setup, asm.s(op, b, d))

    def tod(self):
        """Every TOD-clock and timer instruction, every operand form."""
        r, g = self.r, self.g
        names = list(TOD) + ['sckpf', 'ptff']
        if 'sck' in g.avoid:
            names.remove('sck')
        name = r.pick(names)
        setup = b''
        if name == 'sckpf':
            setup = self.val(0, r.pick([0, 0x1234, 0xffff, 0x10000,
                                        r.u64()]))
            self.run(setup, asm.e(0x0107))
            return
        if name == 'ptff':
            blk = g.alloc(r.bytes(32))
            setup = self.val(0, r.pick([0, 1, 2, 3, 0x40, 0x41, 0x42, 0x43,
                                        0x80, r.below(256)]))
            setup += self.val(1, self.addr(blk, 8))
            self.run(setup, asm.e(0x0104))
            return
        v = r.pick([0, 1, (1 << 64) - 1, 1 << 63, 0x7fffffffffffffff,
                    0x1000, 0xd000000000000000, r.u64()])
        a = g.alloc(blocks.be(v, 8) + bytes(8), 8)
        setup, b, d = self.operand(self.addr(a, 8 if name in TOD_ALIGNED
                                             else 1))
        self.run(setup, asm.s(TOD[name], b, d))

    def io(self):
        r, g = self.r, self.g
        if r.chance(15):
            cb = g.page(blocks.chsc(r))
            r1, r2 = self.regs(2)
            self.run(self.val(r1, self.addr(cb, 4096)),
                     asm.rre(0xb25f, r1, r2))
            return
        name = r.pick(list(IO_S))
        sid = r.pick([0x00010000, 0x00010001, 0x00010002, 0x00010003,
                      0x00000000, 0x0001ffff, 0x00090000, 0x00010000 |
                      r.below(0x10000), r.below(1 << 32)])
        setup = self.val(1, sid)
        if name in ('ssch', 'rsch'):
            data = g.page(r.bytes(4096))
            ccw = g.alloc(blocks.ccws(r, data), 8)
            blk = g.alloc(blocks.orb(r, ccw), 4)
        elif name == 'msch':
            blk = g.alloc(blocks.schib(r), 4)
        elif name == 'tpi':
            blk = 0 if r.chance(30) else g.alloc(bytes(16), 4)
        elif name in ('sal', 'rchp', 'schm', 'xsch', 'csch', 'hsch'):
            setup += self.val(2, r.pick([0, 0x1000, r.u64()]))
            blk = g.alloc(bytes(8), 4)
        else:
            blk = g.alloc(bytes(96), 4)
        setup2, b, d = self.operand(self.addr(blk, 4), avoid=(1, 2))
        self.run(setup + setup2, asm.s(IO_S[name], b, d))

    def stsi(self):
        r, g = self.r, self.g
        which = r.pick(['stsi', 'stsi', 'stfle', 'stfl'])
        if which == 'stfl':
            self.run(b'', asm.s(0xb2b1, 0, 0))
            return
        page = g.page(bytes(4096))
        if which == 'stsi':
            fc = r.pick([0, 1, 2, 3, 15, r.below(16)])
            setup = self.val(0, fc << 28 | r.pick([0, 1, 2, 3, r.below(256)]))
            setup += self.val(1, r.pick([0, 1, 2, 3, 4, r.below(1 << 16)]))
            op = 0xb27d
            align = 4096
        else:
            setup = self.val(0, r.pick([0, 1, 2, 255, r.u64()]))
            op = 0xb2b0
            align = 8
        setup2, b, d = self.operand(self.addr(page, align), avoid=(0, 1))
        self.run(setup + setup2, asm.s(op, b, d))

    def keys_dat(self):
        r, g = self.r, self.g
        r1, r2, r3 = self.regs(3)
        a = self.addr(g.page(r.bytes(4096)), 4096)
        setup = self.val(r1, r.pick([0x10, 0x08, 0xf8, r.below(256)])) + \
            self.val(r2, a) + self.val(r3, r.pick([0, a, r.u64()]))
        insn = r.pick([
            asm.rre(0xb229, r1, r2), asm.rrf(0xb22b, r1, r2, r.below(16)),
            asm.rre(0xb22a, r1, r2), asm.rrf(0xb221, r1, r2, 0, 0),
            asm.rrf(0xb221, r1, r2, r3, r.below(2)),
            asm.rrf(0xb98e, r1, r2, r3, r.below(2)),
            asm.s(0xb20d, 0, 0), asm.rx(0xb1, r1, 0, r2, 0),
            asm.sse(0xe501, r2, 0, r1, 0), asm.rre(0xb22c, 0, r2),
            asm.s(0xb279, r1, r.pick([0, 0x100, 0x200, 0x300])),
            asm.s(0xb219, r1, r.pick([0, 0x100, 0x200, 0x300])),
            asm.s(0xb20a, r1, r.below(256)), asm.rre(0xb98d, r1, r2),
            asm.rre(0xb224, r1, 0), asm.rre(0xb223, r1, r2),
            asm.rre(0xb248, 0, 0), asm.rre(0xb250, r1 & ~1, r2),
            asm.rre(0xb98a, r1 & ~1, r2), asm.rre(0xb9af, r1, r2),
            asm.s(0xb280, r2, 0), asm.s(0xb2ff, 0, 0),
        ])
        self.run(setup, insn)

    def svc_mc(self):
        r, g = self.r, self.g
        if r.chance(60):
            self.run(b'', asm.rr(0x0a, r.below(16), r.below(16)))
        else:
            setup = b''
            if r.chance(50):
                a = g.alloc(blocks.be(r.pick([0xffff, r.u64()]), 8), 8)
                setup = asm.load64(1, a) + asm.rsy(0xeb2f, 8, 8, 1, 0)
            self.run(setup, asm.si(0xaf, r.below(16), 0, r.below(4096)))

    def fp(self):
        r, g = self.r, self.g
        ops = [op for op in FP_RRE
               if not (op == 0xb316 and 'sqxbr' in g.avoid)]
        if r.chance(60):
            a = g.alloc(blocks.be(r.pick([0x40000, 0x40e00]), 8))
            g.emit(asm.load64(1, a) + asm.rsy(0xeb2f, 0, 0, 1, 0))
        for _ in range(r.range(1, 4)):
            pair = r.pick([0, 1, 4, 5, 8, 9, 12, 13, r.below(16)])
            self.run(b'', asm.rre(r.pick(ops), pair,
                                  r.pick([0, 1, 4, 5, 13, r.below(16)])))

    def wait(self):
        """Arm the clock comparator or the CPU timer (or not), then an
        enabled wait: ended by the interruption, or, when nothing can end
        it, by pvboot ("enabled wait ... no interruption")."""
        r, g = self.r, self.g
        arm = r.pick(['ckc', 'cpt', 'none', 'none'])
        if arm == 'ckc':
            a = g.alloc(blocks.be(r.pick([0, 1, 0x1000]), 8))
            g.emit(asm.load64(1, a) + asm.s(0xb206, 1, 0))
        elif arm == 'cpt':
            a = g.alloc(blocks.be(r.pick([0, 0x1000, 0x100000]), 8))
            g.emit(asm.load64(1, a) + asm.s(0xb208, 1, 0))
        cr0 = g.alloc(blocks.be(r.pick([0xe00, 0x800, 0x400, 0x200, 0]), 8))
        g.emit(asm.load64(1, cr0) + asm.rsy(0xeb2f, 0, 0, 1, 0))
        mask = r.pick([0x0302000180000000, 0x0102000180000000,
                       0x0202000180000000, 0x0006000180000000,
                       0x0002000180000000])
        after = g.here() + 12 + 4
        a = g.alloc(blocks.be(mask, 8) + blocks.be(after, 8))
        g.emit(asm.load64(1, a) + asm.lpswe(1, 0))

    # ---- general instructions and raw bytes ---------------------------------

    def general(self):
        r, g = self.r, self.g
        r1, r2 = self.regs(2)
        a = self.addr(r.pick([0x2b800, 0x2e000, 0x200, 0x1000]), 8)
        choice = r.below(7)
        if choice == 0:
            g.emit(asm.ri(0xa79, r1, r.below(0x10000)))          # LGHI
        elif choice == 1:
            g.emit(asm.load64(r2, a) + asm.rxy(0xe324, r1, 0, r2, 0))
        elif choice == 2:
            g.emit(asm.load64(r2, a) + asm.rxy(0xe304, r1, 0, r2, 0))
        elif choice == 3:
            src = self.addr(r.pick([0x2b000, 0x10000, 0]), 1)
            g.emit(asm.load64(r1, a) + asm.load64(r2, src) +
                   asm.ss(0xd2, r.below(256), r1, 0, r2, 0))    # MVC
        elif choice == 4:
            g.emit(asm.brc(r.below(16), 2 + r.below(3)))
            g.emit(r.bytes(2 * r.below(3)))
        elif choice == 5:
            g.emit(asm.rre(0xb904, r1, r2))                       # LGR
        else:
            g.emit(asm.ril(0xc00, r1, r.below(1 << 32)))          # LARL

    def random_bytes(self):
        self.g.emit(self.r.bytes(2 * self.r.range(1, 6)))

    def smash(self):
        """Overwrite a new PSW or other lowcore field at run time."""
        r, g = self.r, self.g
        off = r.pick([0x1a0, 0x1b0, 0x1c0, 0x1d0, 0x1e0, 0x1f0, 0x3f0,
                      0x380, 0x0, r.below(0x200)])
        src = g.alloc(blocks.psw(r, [CODE_START, 0, g.ram]))
        r1, r2 = self.regs(2)
        g.emit(asm.load64(r2, src) + asm.load64(r1, off) +
               asm.ss(0xd2, 15, r1, 0, r2, 0))


CODE_START = 0x10000
LOWCORE2 = 0x20000
PAGES_SHARED = [0x22000, 0x23000, 0x24000]
