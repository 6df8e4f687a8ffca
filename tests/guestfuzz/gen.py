# SPDX-License-Identifier: MIT
"""Guest generator: one seed, one guest image and how to run it.

A guest is a raw s390x image (file offset == address, as `pvboot run`
loads it) that starts at 0x10000 in 64-bit mode: from the short IPL PSW at
0 when booted plain, from the SE header's PSW when it is the kernel of an
SE image.  An SE image's loader moves only the kernel's bytes from 0x10000
on into place (se-image-format.md §1), so everything the guest needs lies
there, and the code installs the lowcore itself:

  0x0000  lowcore (plain boot only): IPL PSW, new PSWs
  0x10000 code: prologue (copies the lowcore), body, epilogue, the
          interruption handlers, the entry of the other CPUs (restart
          new PSW); at most up to 0x1f000
  0x20000 the lowcore the prologue installs, also a target for SET
          PREFIX (8 KiB): new PSWs, handler scratch 0x380-0x3ff
  0x22000 4 KiB control-block pages (SCCBs, IPL blocks, UVCBs, CHSC,
          STSI, DAT tables), nine of them
  0x2b000 small blocks (PSWs, control-register values, ORBs), 8 KiB
  0x2d000 targets of EXECUTE

Every interruption handler counts in the lowcore (0x3f0) and resumes the
guest at the old PSW, skipping the instruction for program interruptions
when the guest says so, until the count passes a limit: then it loads a
disabled-wait PSW.  So most guests end by themselves, in one of the
documented ways, long before their timeout.

Kinds: "seq" (sequences biased to privileged and system instructions,
items.py), "bytes" (random code), "psw" (random new PSWs and a fault),
"raw" (the whole image random).
"""

from rng import Rng, mix
import asm
import blocks
import items

CODE = 0x10000
CODE_LIMIT = 0x1f000
LOWCORE2 = 0x20000
PAGES = [0x22000 + 0x1000 * i for i in range(9)]
SMALL, SMALL_END = 0x2b000, 0x2d000
EXPOOL, EXPOOL_END = 0x2d000, 0x2e000
IMAGE_END = 0x2e000
COUNTER = 0x3f0
SAVE = 0x3d0
END_PSW = {'pgm': 0x380, 'ext': 0x390, 'svc': 0x3a0, 'other': 0x3b0}
END_CODE = {'pgm': 0xe0010, 'ext': 0xe0020, 'svc': 0xe0030,
            'other': 0xe0040}
NEW_PSW = {'restart': 0x1a0, 'ext': 0x1b0, 'svc': 0x1c0, 'pgm': 0x1d0,
           'mchk': 0x1e0, 'io': 0x1f0}
OLD_PSW = {'ext': 0x130, 'svc': 0x140, 'pgm': 0x150, 'mchk': 0x160,
           'io': 0x170}
IPL_PSW = 0x0008000180000000 | CODE       # short PSW, 64-bit
WAIT = 0x0002000180000000                  # disabled wait, 64-bit

MEMORY = [(40, '256M'), (25, '16M'), (15, '64M'), (10, '4M'), (5, '2M'),
          (5, '128M')]


def guest_seed(base, index):
    """The seed of guest @index of a campaign with @base."""
    return mix((base << 24 ^ index) & ((1 << 64) - 1))


class Guest:
    """Build with Guest(seed, avoid).build(); then .image (bytes) and
    .config (dict: kind, se, smp, memory, ...)."""

    def __init__(self, seed, avoid=()):
        self.seed = seed
        self.avoid = frozenset(avoid)
        self.r = Rng(seed)
        self.img = bytearray(IMAGE_END)
        self.code = bytearray()
        self.small = SMALL
        self.page_i = 0
        self.expool = EXPOOL
        self.config = {}
        self.items_used = set()

    # ---- memory ---------------------------------------------------------

    def here(self):
        return CODE + len(self.code)

    def emit(self, b):
        self.code += b

    def room(self):
        """Room left for the body (handlers and the other CPUs' code come
        after it)."""
        return CODE_LIMIT - 0x1000 - self.here()

    def put(self, addr, data):
        blocks.put(self.img, addr, data)

    def alloc(self, data, align=8):
        """Place @data among the small blocks; returns its address (wraps
        around when the area is full: old blocks get overwritten)."""
        a = (self.small + align - 1) & ~(align - 1)
        if a + len(data) > SMALL_END:
            a = SMALL
        self.put(a, data)
        self.small = a + len(data)
        return a

    def page(self, data=None):
        """The next 4 KiB control-block page (round robin), filled with
        @data."""
        p = PAGES[self.page_i % len(PAGES)]
        self.page_i += 1
        if data is not None:
            self.put(p, data[:4096])
        return p

    def ex_target(self, insn, odd=False):
        a = self.expool + (1 if odd else 0)
        if a + len(insn) > EXPOOL_END:
            a = EXPOOL + (1 if odd else 0)
        self.put(a, insn)
        self.expool = (a + len(insn) + 1) & ~1
        return a

    # ---- configuration --------------------------------------------------

    def choose_config(self):
        r = self.r.fork(1)
        kind = r.weighted([(70, 'seq'), (15, 'bytes'), (10, 'psw'),
                           (5, 'raw')])
        smp = 1
        if r.chance(25):
            smp = r.range(2, 4)
        elif r.chance(4):
            smp = r.range(5, 16)
        mem = r.weighted(MEMORY)
        self.ram = int(mem[:-1]) << 20
        self.config = {'seed': self.seed, 'kind': kind,
                       'se': r.chance(20), 'smp': smp, 'memory': mem,
                       'sandbox': not r.chance(10),
                       'avoid': sorted(self.avoid)}

    # ---- the parts of a guest -------------------------------------------

    def handler(self, kind, limit, skip):
        """Count, then resume at the old PSW (program interruptions: past
        the instruction when @skip) or end in the disabled wait of
        @kind."""
        start = self.here()
        old = OLD_PSW.get(kind, OLD_PSW['io'])
        end = END_PSW.get(kind, END_PSW['other'])
        body = asm.siy(0xeb6a, 1, 0, COUNTER)            # ASI
        body += asm.sil(0xe55d, 0, COUNTER, limit)       # CLFHSI
        resume = b''
        if kind == 'pgm' and skip:
            resume += asm.rsy(0xeb24, 0, 1, 0, SAVE)     # STMG 0,1
            resume += asm.rxy(0xe391, 1, 0, 0, 0x8c)     # LLGH ILC
            resume += asm.rxy(0xe308, 1, 0, 0, old + 8)  # AG
            resume += asm.rxy(0xe324, 1, 0, 0, old + 8)  # STG
            resume += asm.rsy(0xeb04, 0, 1, 0, SAVE)     # LMG 0,1
        resume += asm.lpswe(0, old)
        body += asm.brc(2, (4 + len(resume)) // 2)       # JH to the end
        self.emit(body + resume + asm.lpswe(0, end))
        return start

    def stop_self(self):
        """STAP, then SIGP stop to that address; a disabled wait after it
        in case the stop does not happen."""
        self.emit(asm.s(0xb212, 0, 0x3c8) +               # STAP
                  asm.rxy(0xe391, 3, 0, 0, 0x3c8) +      # LLGH r3
                  asm.rs(0xae, 0, 3, 0, 5))              # SIGP stop

    def epilogue(self):
        r = self.r
        how = r.weighted([(70, 'wait0'), (20, 'stop'), (10, 'waitx')])
        if how == 'stop':
            self.stop_self()
        code = 0 if how != 'waitx' else r.pick([1, 0xc0de0000, 0xfa110,
                                                r.below(1 << 32)])
        a = self.alloc(blocks.be(WAIT, 8) + blocks.be(code, 8))
        self.emit(asm.load64(1, a) + asm.lpswe(1, 0))

    def lowcore(self, entries, rand_pct):
        r = self.r.fork(2)
        addrs = list(entries.values()) + [CODE, 0, CODE + 1, self.ram,
                                          self.ram - 2]
        if not self.config['se'] or r.chance(50):
            self.put(0, blocks.be(IPL_PSW, 8))
        for name, off in NEW_PSW.items():
            target = entries.get(name, entries['other'])
            psw = blocks.be(blocks.PSW_64, 8) + blocks.be(target, 8)
            if r.chance(rand_pct):
                psw = blocks.psw(r, addrs)
            self.put(off, psw)
        for name, off in END_PSW.items():
            self.put(off, blocks.be(WAIT, 8) + blocks.be(END_CODE[name], 8))
        self.put(COUNTER, bytes(4))
        self.img[LOWCORE2:LOWCORE2 + 0x2000] = self.img[0:0x2000]
        if r.chance(3):
            # a few fields of the installed lowcore at random
            for _ in range(r.range(1, 8)):
                self.put(LOWCORE2 + r.below(0x2000), r.bytes(r.range(1, 16)))

    def body(self, n, it):
        for _ in range(n):
            if self.room() < 0x400:
                break
            it.item()

    # ---- whole guests ---------------------------------------------------

    def build(self):
        self.choose_config()
        kind = self.config['kind']
        if kind == 'raw':
            self.items_used.add('raw')
            return self.build_raw()
        r = self.r.fork(3)
        it = items.Items(self, self.r.fork(4))
        it.prologue()
        if kind == 'seq':
            self.body(r.weighted([(30, r.range(1, 5)), (50, r.range(5, 20)),
                                  (20, r.range(20, 60))]), it)
        elif kind == 'bytes':
            self.items_used.add('bytes')
            for _ in range(r.range(1, 4)):
                self.emit(r.bytes(2 * r.range(1, 1024)))
                if r.chance(50):
                    self.body(1, it)
        else:
            self.body(r.range(1, 3), it)
        self.epilogue()
        limit = r.pick([1, 2, 4, 16, 64, 256])
        skip = r.chance(60)
        entries = {}
        for k in ('pgm', 'ext', 'svc', 'other'):
            entries[k] = self.handler(k, limit, skip)
        entries['restart'] = self.here()
        self.body(r.weighted([(50, 0), (40, r.range(1, 4)),
                              (10, r.range(5, 12))]), it)
        self.stop_self()
        self.epilogue()
        self.lowcore(entries, 60 if kind == 'psw' else 3)
        if kind == 'psw':
            self.items_used.add('psw')
        assert self.here() <= CODE_LIMIT, 'code too long'
        self.img[CODE:CODE + len(self.code)] = self.code
        if r.chance(10):
            self.img += r.bytes(r.below(0x4000))
        self.scrub()
        return self

    def build_raw(self):
        r = self.r.fork(5)
        size = r.pick([0, 1, 7, 8, 16, 512, 4096, 0x10000,
                       0x10000 + r.below(0x8000), r.below(0x20000)])
        self.img = bytearray(r.bytes(size))
        if size >= 8 and r.chance(50):
            self.img[0:8] = blocks.be(IPL_PSW if r.chance(70) else
                                      0x0008000180000000 | r.below(size),
                                      8)
        self.scrub()
        return self

    def scrub(self):
        """Known translator crashes the run was told to avoid
        (README.md, "Known crashes"): rewrite every halfword that would
        decode as SET CLOCK into STORE CLOCK, SQXBR into SQDBR, LDER into
        the unassigned 0xB3FF ("sck-ex",
        SET CLOCK as the target of EXECUTE, is only left out of the items:
        code cannot tell an EXECUTE target from other bytes)."""
        if not self.avoid:
            return
        pairs = []
        if 'sck' in self.avoid:
            pairs.append((b'\xb2\x04', b'\xb2\x05'))
        if 'sqxbr' in self.avoid:
            pairs.append((b'\xb3\x16', b'\xb3\x15'))
        if 'lder' in self.avoid:
            pairs.append((b'\xb3\x24', b'\xb3\xff'))
        img = self.img
        for old, new in pairs:
            i = img.find(old)
            while i >= 0:
                if i % 2 == 0 and i >= 0x200:
                    img[i:i + 2] = new
                i = img.find(old, i + 1)

    @property
    def image(self):
        return bytes(self.img)
