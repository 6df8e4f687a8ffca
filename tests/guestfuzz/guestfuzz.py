#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Guest fuzzer for `pvboot run` (tests/guestfuzz/README.md).

  guestfuzz.py run   --pvboot P [--count N | --seconds S] [--jobs 2]
                     [--timeout T] [--base SEED] [--out DIR] [--avoid ...]
                     [--leak-every N]   (touch OUT/pause to hold it)
  guestfuzz.py check --pvboot P --guests DIR [--seconds 60]   (TAP, make check)
  guestfuzz.py gen   SEED --out DIR [--avoid ...]   write one guest
  guestfuzz.py repro SEED --pvboot P [--avoid ...]  run one guest again
  guestfuzz.py selftest                             the fuzzer's own checks
  guestfuzz.py analyze --out DIR                    findings of a run by cause

Each guest comes from one 64-bit seed (gen.py); guest I of a campaign
with base B has the seed guest_seed(B, I), and `repro` rebuilds it byte
for byte (SE images too: the host key and every key of the image derive
from fixed seeds).  `run` executes the guests under the given pvboot
(the ASan+UBSan build), at most --jobs at a time, classifies every
outcome (runner.py) and keeps each finding with its seed, image and
output under OUT/findings/CLASS/SEED/.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402
import runner  # noqa: E402
import checks  # noqa: E402

PKI_SEED = b'pvboot guestfuzz host key seed (fixed, not secret)\n'
KNOWN = ('sck', 'sck-ex', 'sqxbr', 'lder')
KEEP_PER_SIGNATURE = 20     # findings kept on disk per signature


def parse_seed(text):
    return int(text, 0) & ((1 << 64) - 1)


def parse_avoid(text):
    if text in ('', 'none'):
        return ()
    out = tuple(x for x in text.split(',') if x)
    for x in out:
        if x not in KNOWN:
            raise SystemExit('guestfuzz: unknown --avoid %r (known: %s)' %
                             (x, ', '.join(KNOWN)))
    return out


class Fuzz:
    """Shared state of a campaign: work directory, host key, counters."""

    def __init__(self, pvboot, out, timeout, avoid, create_pvboot=None):
        self.pvboot = os.path.abspath(pvboot)
        self.create = os.path.abspath(create_pvboot or pvboot)
        self.out = out
        self.timeout = timeout
        self.avoid = tuple(avoid)
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.kinds = collections.defaultdict(collections.Counter)
        self.items = collections.defaultdict(collections.Counter)
        self.details = collections.defaultdict(collections.Counter)
        self.findings = []
        self.signatures = collections.Counter()
        self.done = 0
        self.leak_checked = 0
        self.local = threading.local()
        os.makedirs(out, exist_ok=True)
        # one line per guest: seed, kind, se/plain, cpus, seconds, class,
        # items, detail
        self.log = open(os.path.join(out, 'results.tsv'), 'a', buffering=1)
        self.pki = os.path.join(out, 'pki')
        if not os.path.exists(os.path.join(self.pki, 'host.key')):
            seed = os.path.join(out, 'pki.seed')
            with open(seed, 'wb') as f:
                f.write(PKI_SEED)
            subprocess.run([self.create, 'hostkey', '--out-dir', self.pki,
                            '--seed', seed, '-q'], check=True,
                           env=runner.san_env(os.path.join(out, 'pki-san')))

    def workdir(self):
        d = getattr(self.local, 'dir', None)
        if d is None:
            d = tempfile.mkdtemp(prefix='w', dir=self.out)
            self.local.dir = d
        return d

    # ---- one guest ------------------------------------------------------

    def prepare(self, seed, d, leaks=True):
        """Write guest @seed into @d; returns (argv, guest)."""
        g = gen.Guest(seed, self.avoid).build()
        c = g.config
        img = os.path.join(d, 'guest.bin')
        with open(img, 'wb') as f:
            f.write(g.image)
        if c['se']:
            rs = os.path.join(d, 'repro.seed')
            with open(rs, 'wb') as f:
                f.write(b'guestfuzz %016x ................' % seed)
            se = os.path.join(d, 'se.img')
            p = subprocess.run([self.create, 'create', '-i', img, '-k',
                                os.path.join(self.pki, 'host.crt'),
                                '--no-verify', '--no-component-check',
                                '--reproducible', rs, '-o', se, '-q',
                                '--overwrite'], capture_output=True,
                               env=runner.san_env(os.path.join(d, 'csan'),
                                                  leaks))
            if p.returncode:
                # e.g. an empty kernel: run the plain image instead
                c['se'] = False
                c['create_error'] = p.stderr.decode('utf-8', 'replace')
            else:
                img = se
        argv = [self.pvboot, 'run', img, '--timeout', '%g' % self.timeout,
                '--no-input', '--json', '--memory', c['memory'],
                '--transcript', os.path.join(d, 'console.txt')]
        if c['se']:
            argv += ['-k', os.path.join(self.pki, 'host.key')]
        if c['smp'] > 1:
            argv += ['--smp', str(c['smp'])]
        if not c['sandbox']:
            argv.append('--no-sandbox')
        return argv, g

    def one(self, seed, leaks=True):
        d = self.workdir()
        for name in os.listdir(d):
            p = os.path.join(d, name)
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
        argv, g = self.prepare(seed, d, leaks)
        res = runner.run_cmd(argv, self.timeout, os.path.join(d, 'san'),
                             leaks=leaks)
        if leaks:
            with self.lock:
                self.leak_checked += 1
        console = b''
        cpath = os.path.join(d, 'console.txt')
        if os.path.exists(cpath):
            with open(cpath, 'rb') as f:
                console = f.read()
        cls, detail = runner.classify(res, self.timeout, console)
        if cls == 'overshoot' and not self.confirm_late(argv, res, d):
            cls = 'slow-host'
            detail += ' (the run itself was on time: the host was busy)'
        self.record(seed, g, argv, res, cls, detail, d)
        return cls

    def confirm_late(self, argv, res, d):
        """A late end is pvboot's when its own run time (the summary's
        microseconds) passed the timeout by more than a second too, or
        when the guest is late again on a second run; on a busy shared
        host a process can wait that long to be scheduled."""
        try:
            us = json.loads(res['stdout']).get('microseconds', 0)
        except ValueError:
            us = None
        if us is not None and us > (self.timeout + 1.0) * 1e6:
            return True
        again = runner.run_cmd(argv, self.timeout, os.path.join(d, 'san2'))
        return again['wall'] > self.timeout + 1.0

    def record(self, seed, g, argv, res, cls, detail, d):
        c = g.config
        key = cls
        with self.lock:
            self.done += 1
            self.counts[key] += 1
            self.kinds[c['kind'] + ('+se' if c['se'] else '') +
                       ('+smp' if c['smp'] > 1 else '')][key] += 1
            for name in g.items_used:
                self.items[name][key] += 1
            self.details[key][_shape(detail)] += 1
            self.log.write('%016x\t%s\t%s\t%d\t%.3f\t%s\t%s\t%s\n' % (
                seed, c['kind'], 'se' if c['se'] else 'plain', c['smp'],
                res['wall'], cls, ','.join(sorted(g.items_used)),
                detail.replace('\t', ' ').replace('\n', ' ')))
        if cls in runner.FINDINGS:
            self.save(seed, g, argv, res, cls, detail, d)

    def save(self, seed, g, argv, res, cls, detail, d):
        sig = _shape(detail)
        if cls == 'emulator':
            sig = 'emulator died at ' + at_crash(g.image, detail)
        elif cls == 'signal':
            bt = runner.backtrace(argv, self.timeout,
                                  os.path.join(d, 'gdb-san'))
            if bt:
                sig = '%s in %s' % (detail, bt)
        with self.lock:
            self.signatures[(cls, sig)] += 1
            if self.signatures[(cls, sig)] > KEEP_PER_SIGNATURE:
                return
        dest = os.path.join(self.out, 'findings', cls, '%016x' % seed)
        os.makedirs(dest, exist_ok=True)
        for name in ('guest.bin', 'se.img', 'console.txt', 'repro.seed'):
            src = os.path.join(d, name)
            if os.path.exists(src):
                shutil.copy(src, dest)
        with open(os.path.join(dest, 'stdout'), 'wb') as f:
            f.write(res['stdout'])
        with open(os.path.join(dest, 'stderr'), 'wb') as f:
            f.write(res['stderr'])
        for name, data in res['san']:
            with open(os.path.join(dest, name), 'wb') as f:
                f.write(data)
        info = {'seed': '0x%016x' % seed, 'class': cls, 'detail': detail,
                'signature': sig, 'config': g.config,
                'items': sorted(g.items_used), 'argv': argv,
                'rc': res['rc'], 'wall': round(res['wall'], 3),
                'repro': 'python3 tests/guestfuzz/guestfuzz.py repro '
                         '0x%016x --pvboot PVBOOT --timeout %g%s' %
                         (seed, self.timeout, ' --avoid ' +
                          ','.join(self.avoid) if self.avoid else '')}
        with open(os.path.join(dest, 'info.json'), 'w') as f:
            json.dump(info, f, indent=1, default=str)
        with self.lock:
            self.findings.append(info)

    # ---- a campaign -----------------------------------------------------

    def campaign(self, base, count, seconds, jobs, progress=None,
                 leak_every=1):
        """Guests base+0, base+1, ...; guest i gets LeakSanitizer when i is
        a multiple of @leak_every.  While OUT/pause exists no new guest
        starts (a long campaign steps aside for a benchmark; the guests
        running finish on their own clock)."""
        t0 = time.monotonic()
        stop = threading.Event()
        pause = os.path.join(self.out, 'pause')

        def work(i):
            while os.path.exists(pause) and not stop.is_set():
                time.sleep(0.5)
            if stop.is_set():
                return None
            if seconds and time.monotonic() - t0 > seconds:
                stop.set()
                return None
            return self.one(gen.guest_seed(base, i), i % leak_every == 0)

        last = t0
        with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
            pending = set()
            i = 0
            while True:
                while len(pending) < 2 * jobs and not stop.is_set() and \
                        (not count or i < count):
                    pending.add(ex.submit(work, i))
                    i += 1
                if not pending:
                    break
                done, pending = concurrent.futures.wait(
                    pending, return_when=concurrent.futures.FIRST_COMPLETED)
                for f in done:
                    f.result()
                if progress and time.monotonic() - last > progress:
                    last = time.monotonic()
                    self.status(t0)
        self.elapsed = time.monotonic() - t0
        return self.done

    def status(self, t0):
        with self.lock:
            nf = len(self.findings)
            print('# %d guests in %.0f s, %d findings; %s' % (
                self.done, time.monotonic() - t0, nf,
                ', '.join('%s %d' % kv for kv in
                          sorted(self.counts.items()))), flush=True)

    def summary(self):
        return {'guests': self.done, 'leak_checked': self.leak_checked,
                'seconds': round(self.elapsed, 1),
                'timeout': self.timeout, 'avoid': list(self.avoid),
                'classes': dict(self.counts),
                'kinds': {k: dict(v) for k, v in self.kinds.items()},
                'items': {k: dict(v) for k, v in self.items.items()},
                'details': {k: dict(v.most_common(40))
                            for k, v in self.details.items()},
                'findings': sum(self.signatures.values()),
                'signatures': [{'class': c, 'signature': s, 'count': n}
                               for (c, s), n in
                               self.signatures.most_common()]}


KNOWN_OPS = {b'\xb2\x04': 'SET CLOCK', b'\xb3\x16': 'SQXBR',
             b'\xb3\x24': 'LDER'}


def ex_target(image, a):
    """The target of the EX at @a when the generator loaded its base
    register just before it (LLIHF, IILF: items.Items.run), else None."""
    x2 = image[a + 1] & 0x0f
    b2, d2 = image[a + 2] >> 4, (image[a + 2] & 0x0f) << 8 | image[a + 3]
    p = a - 12
    if x2 or not b2 or p < 0 or image[p] != 0xc0 or \
            image[p + 1] != (b2 << 4 | 0x0e) or image[p + 6] != 0xc0 or \
            image[p + 7] != (b2 << 4 | 0x09):
        return None
    base = int.from_bytes(image[p + 2:p + 6], 'big') << 32 | \
        int.from_bytes(image[p + 8:p + 12], 'big')
    t = base + d2
    return t if t + 2 <= len(image) else None


def at_crash(image, detail):
    """Which instruction of the guest image killed the emulator: the crash
    PSW ("... failed at PSW MASK ADDR ...") is where the block that was
    being translated starts, so the instructions from there on are read
    (up to 64, until one that ends a block) for a known pattern: SET CLOCK,
    SQXBR or LDER, also as the target of EX or EXRL.  EX takes its target from a
    register, which the image does not tell."""
    words = detail.split()
    try:
        addr = int(words[words.index('PSW') + 2], 16)
    except (ValueError, IndexError):
        return 'an unknown PSW'
    if addr + 2 > len(image):
        return 'an address outside the image'
    a = addr
    for _ in range(64):
        if a + 2 > len(image):
            break
        op = image[a:a + 2]
        if op in KNOWN_OPS:
            return KNOWN_OPS[op]
        if op[0] == 0xc6 and op[1] & 0x0f == 0 and a + 6 <= len(image):
            rel = int.from_bytes(image[a + 2:a + 6], 'big', signed=True)
            t = a + 2 * rel
            top = image[t:t + 2] if 0 <= t < len(image) else b''
            return 'EXRL of ' + KNOWN_OPS.get(top, 'opcode ' + top.hex())
        if op[0] == 0x44:
            t = ex_target(image, a)
            top = image[t:t + 2] if t is not None else b''
            if top:
                return 'EX of ' + KNOWN_OPS.get(top, 'opcode ' + top.hex())
            return 'EX (target in a register)'
        # branches, LPSW(E), SVC end a block
        if op[0] in (0x05, 0x07, 0x0a, 0x0d, 0x45, 0x46, 0x47, 0x82,
                     0x86, 0x87) or op in (b'\xb2\xb2',) or \
                (op[0] in (0xa7, 0xc0) and op[1] & 0x0f in (4, 5, 6, 7)):
            break
        a += 2 if op[0] < 0x40 else 4 if op[0] < 0xc0 else 6
    return 'no known pattern (opcode %s at the PSW)' % image[addr:addr +
                                                             2].hex()


def _shape(detail):
    """A detail with its numbers taken out, for counting kinds of ends."""
    out = []
    for word in detail.split():
        if any(ch.isdigit() for ch in word):
            word = '#'
        if out and out[-1] == word == '#':
            continue
        out.append(word)
    return ' '.join(out)[:160]


def print_summary(s, f=sys.stdout, prefix=''):
    p = prefix
    f.write('%s%d guests in %.0f s (%.1f/s), timeout %g s, avoided: %s\n' %
            (p, s['guests'], s['seconds'], s['guests'] / max(s['seconds'],
                                                             1e-9),
             s['timeout'], ', '.join(s['avoid']) or 'nothing'))
    if 'leak_checked' in s and s['leak_checked'] != s['guests']:
        f.write('%s  LeakSanitizer on %d of them\n' % (p, s['leak_checked']))
    for cls, n in sorted(s['classes'].items(), key=lambda kv: -kv[1]):
        f.write('%s  %-16s %7d\n' % (p, cls, n))
    for sig in s['signatures']:
        f.write('%s  finding: %s x%d: %s\n' % (p, sig['class'], sig['count'],
                                              sig['signature']))


# ---- commands ---------------------------------------------------------------

def cmd_run(a):
    out = a.out or tempfile.mkdtemp(prefix='pvboot-guestfuzz.')
    fz = Fuzz(a.pvboot, out, a.timeout, parse_avoid(a.avoid),
              a.create_pvboot)
    base = parse_seed(a.base) if a.base else int(time.time())
    print('# guestfuzz: base seed %d, output in %s' % (base, out),
          flush=True)
    fz.campaign(base, a.count, a.seconds, a.jobs, progress=a.progress,
                leak_every=a.leak_every)
    s = fz.summary()
    s['base'] = base
    with open(os.path.join(out, 'summary.json'), 'w') as f:
        json.dump(s, f, indent=1)
    print_summary(s)
    return 1 if fz.findings else 0


def cmd_gen(a):
    d = a.out
    os.makedirs(d, exist_ok=True)
    fz = Fuzz(a.pvboot or shutil.which('pvboot') or 'pvboot', d, a.timeout,
              parse_avoid(a.avoid))
    argv, g = fz.prepare(parse_seed(a.seed), d)
    with open(os.path.join(d, 'run.sh'), 'w') as f:
        f.write('#!/bin/sh\nexec %s\n' % ' '.join(argv))
    print(json.dumps(g.config))
    print(' '.join(argv))
    return 0


def cmd_repro(a):
    d = a.out or tempfile.mkdtemp(prefix='pvboot-guestfuzz-repro.')
    fz = Fuzz(a.pvboot, d, a.timeout, parse_avoid(a.avoid))
    seed = parse_seed(a.seed)
    argv, g = fz.prepare(seed, fz.workdir())
    res = runner.run_cmd(argv, a.timeout, os.path.join(fz.workdir(), 'san'))
    cpath = os.path.join(fz.workdir(), 'console.txt')
    console = open(cpath, 'rb').read() if os.path.exists(cpath) else b''
    cls, detail = runner.classify(res, a.timeout, console)
    print(json.dumps(g.config))
    print(' '.join(argv))
    print('rc %d, %.2f s: %s: %s' % (res['rc'], res['wall'], cls, detail))
    sys.stdout.flush()
    sys.stderr.buffer.write(res['stderr'])
    return 1 if cls in runner.FINDINGS else 0


def crash_cause(out, cls, seed, detail, avoid):
    """A crash in pvboot's own process (--no-sandbox) has no guest PSW:
    its stack (from the kept finding when the run's detail has none) and
    which known patterns the guest holds on a halfword."""
    err = os.path.join(out, 'findings', cls, seed, 'stderr')
    if ' in ' not in detail and os.path.exists(err):
        with open(err, 'rb') as f:
            detail = runner.san_summary(f.read())
    if 'tcg_optimize' not in detail and 'SIG' not in detail:
        return _shape(detail)
    img = gen.Guest(int(seed, 16), avoid).build().image
    has = sorted({name for op, name in KNOWN_OPS.items()
                  for i in range(gen.CODE, len(img) - 1, 2)
                  if img[i:i + 2] == op})
    where = 'in tcg_optimize' if 'tcg_optimize' in detail else detail
    return 'translator crash %s (--no-sandbox); the guest holds %s' % (
        where, ', '.join(has) or 'no known pattern')


def cmd_analyze(a):
    """Group the findings of a finished run (OUT/results.tsv) by
    signature, rebuilding each guest from its seed."""
    out = a.out
    avoid = parse_avoid(a.avoid)
    path = os.path.join(out, 'summary.json')
    if not a.avoid and os.path.exists(path):
        with open(path) as f:
            avoid = tuple(json.load(f).get('avoid', ()))
    groups = collections.defaultdict(list)
    total = 0
    with open(os.path.join(out, 'results.tsv')) as f:
        for line in f:
            total += 1
            seed, kind, se, cpus, wall, cls, its, detail = \
                line.rstrip('\n').split('\t')
            if cls not in runner.FINDINGS:
                continue
            sig = _shape(detail)
            if cls == 'emulator':
                g = gen.Guest(int(seed, 16), avoid).build()
                sig = at_crash(g.image, detail)
            elif cls in ('sanitizer', 'signal'):
                sig = crash_cause(out, cls, seed, detail, avoid)
            groups[(cls, sig)].append((seed, kind, se, cpus))
    print('%d guests, %d findings' % (total, sum(map(len,
                                                      groups.values()))))
    for (cls, sig), rows in sorted(groups.items(), key=lambda kv:
                                   -len(kv[1])):
        se = sum(1 for r in rows if r[2] == 'se')
        smp = sum(1 for r in rows if r[3] != '1')
        print('%6d  %-9s %s (SE %d, SMP %d; e.g. 0x%s)' % (
            len(rows), cls, sig, se, smp, rows[0][0]))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(prog='guestfuzz.py')
    sub = ap.add_subparsers(dest='cmd', required=True)
    for name in ('run', 'check', 'gen', 'repro', 'selftest', 'analyze'):
        p = sub.add_parser(name)
        if name in ('gen', 'repro'):
            p.add_argument('seed')
        p.add_argument('--pvboot', required=name in ('run', 'check',
                                                      'repro'))
        p.add_argument('--create-pvboot')
        p.add_argument('--out')
        p.add_argument('--timeout', type=float, default=1.0)
        p.add_argument('--avoid', default='')
        p.add_argument('--count', type=int, default=0)
        p.add_argument('--seconds', type=float,
                       default=60 if name == 'check' else 0)
        p.add_argument('--jobs', type=int, default=2)
        p.add_argument('--leak-every', type=int, default=1,
                       help='LeakSanitizer on every Nth guest (run)')
        p.add_argument('--base')
        p.add_argument('--progress', type=float, default=60)
        p.add_argument('--guests', help='directory of the built tests/guest '
                       'programs ($(BUILD)/guest)')
    a = ap.parse_args(argv)
    if a.leak_every < 1:
        ap.error('--leak-every: 1 or more')
    if a.jobs < 1 or a.jobs > 2:
        ap.error('--jobs: 1 or 2 (the machine is shared)')
    if a.cmd == 'run':
        return cmd_run(a)
    if a.cmd == 'gen':
        return cmd_gen(a)
    if a.cmd == 'repro':
        return cmd_repro(a)
    if a.cmd == 'check':
        return checks.cmd_check(a, Fuzz)
    if a.cmd == 'analyze':
        if not a.out:
            ap.error('analyze: --out DIR (the directory of a run)')
        return cmd_analyze(a)
    return checks.cmd_selftest(a)


if __name__ == '__main__':
    sys.exit(main())
