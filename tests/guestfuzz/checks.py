# SPDX-License-Identifier: MIT
"""`guestfuzz.py check` (make check, TAP) and `guestfuzz.py selftest`.

check runs, against the given pvboot (the ASan+UBSan build):
  1. the fuzzer's own tests (selftest below);
  2. the guest programs of tests/guest that pin one behaviour each
     (PROGRAMS): f_sck, f_sqxbr and f_lder (translator crashes: issue 14
     and the fuzzer),
     f_b204, f_exsck (SET CLOCK where its hiding once failed), f_cksm
     (CHECKSUM with an odd R2), f_tod
     (every TOD and timer instruction), f_hostile (hostile
     guests with one exact end each), f_uvwalk (an SE guest whose UV calls
     must not outlast the timeout);
  3. a fuzz run of --seconds with a fixed base seed, so that every
     `make check` runs the same guests.

A program that fails in the way KNOWN describes is reported as a TAP
skip naming the machine bug; any other failure is "not ok".  When a known
bug no longer shows, the line says so and the entry can go.  The fuzz
run leaves out what crashes the emulator today (--avoid, from the results
of f_sck and f_sqxbr), so that it finds what is new.
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import asm
import gen
import runner

GT_WAIT_OK = 0x600d0
CHECK_BASE = 20261206

# (program, variant, extra arguments, expected end, wait code or a text
# the detail must hold)
PROGRAMS = [
    ('f_sck', 0, [], 'disabled-wait', GT_WAIT_OK),
    ('f_sck', 1, [], 'disabled-wait', GT_WAIT_OK),
    ('f_sck', 2, [], 'disabled-wait', GT_WAIT_OK),
    ('f_sck', 3, [], 'disabled-wait', GT_WAIT_OK),
    ('f_sck', 4, [], 'disabled-wait', GT_WAIT_OK),
    ('f_sqxbr', 0, [], 'disabled-wait', GT_WAIT_OK),
    ('f_sqxbr', 1, [], 'disabled-wait', GT_WAIT_OK),
    ('f_sqxbr', 2, [], 'disabled-wait', GT_WAIT_OK),
    ('f_sqxbr', 3, [], 'disabled-wait', GT_WAIT_OK),
    ('f_lder', 0, [], 'disabled-wait', GT_WAIT_OK),
    ('f_lder', 1, [], 'disabled-wait', GT_WAIT_OK),
    ('f_lder', 2, [], 'disabled-wait', GT_WAIT_OK),
    ('f_b204', 0, [], 'disabled-wait', GT_WAIT_OK),
    ('f_exsck', 0, [], 'disabled-wait', GT_WAIT_OK),
    ('f_cksm', 0, [], 'disabled-wait', GT_WAIT_OK),
    ('f_tod', 0, [], 'disabled-wait', GT_WAIT_OK),
    ('f_hostile', 1, [], 'error', 'no interruption that could end it'),
    ('f_hostile', 2, [], 'error', 'repeats without progress'),
    ('f_hostile', 3, [], 'error', 'program new PSW at 0x1d0 is invalid'),
    ('f_hostile', 4, [], 'timeout', 'timeout after'),
    ('f_hostile', 5, [], 'sigp-stop', 'SIGP stop'),
    ('f_hostile', 6, [], 'disabled-wait', 0x4511),
    ('f_hostile', 7, [], 'timeout', 'timeout after', {'ipls': 2}),
    ('f_hostile', 8, [], 'timeout', 'timeout after'),
    ('f_hostile', 9, [], 'error', 'SVC new PSW at 0x1c0 is zero'),
    ('f_hostile', 10, [], 'disabled-wait', GT_WAIT_OK),
    ('f_hostile', 11, ['--smp', '2'], 'timeout', 'timeout after'),
    ('f_hostile', 12, [], 'disabled-wait', 0),
    ('f_uvwalk', 0, ['--se', '--memory', '512M'], 'timeout', 'timeout after'),
]

# Machine bugs seen today: (program, variant) -> (class of the outcome,
# text in its detail, what is wrong).  Reported in tests/FUZZING.md.
KNOWN = {
}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, good, text, directive=''):
        self.n += 1
        if not good:
            self.failed += 1
        print('%s %d - %s%s' % ('ok' if good else 'not ok', self.n, text,
                                ' # ' + directive if directive else ''),
              flush=True)

    def note(self, text):
        for line in text.splitlines():
            print('# ' + line, flush=True)


def with_variant(src, dst, variant):
    """Copy guest program @src to @dst with gt_parms (tests/guest/lib/gt.h:
    magic "GTPARAMS" and the variant at 0x4000)."""
    with open(src, 'rb') as f:
        b = bytearray(f.read())
    b[0x4000:0x4010] = struct.pack('>QQ', 0x4754504152414d53, variant)
    with open(dst, 'wb') as f:
        f.write(b)


def se_image(pvboot, kernel, work):
    """@kernel as the kernel of an SE image for a test host key."""
    pki = os.path.join(work, 'pki')
    if not os.path.exists(os.path.join(pki, 'host.key')):
        subprocess.run([pvboot, 'hostkey', '--out-dir', pki, '-q'],
                       check=True, env=runner.san_env(work))
    out = kernel + '.se'
    subprocess.run([pvboot, 'create', '-i', kernel, '-k',
                    os.path.join(pki, 'host.crt'), '--no-verify',
                    '--no-component-check', '-o', out, '-q', '--overwrite'],
                   check=True, env=runner.san_env(work))
    return out, ['-k', os.path.join(pki, 'host.key')]


def run_program(pvboot, path, extra, timeout, work):
    if '--se' in extra:
        extra = [x for x in extra if x != '--se']
        path, keys = se_image(pvboot, path, work)
        extra = extra + keys
    argv = [pvboot, 'run', path, '--timeout', '%g' % timeout, '--no-input',
            '--json', '--transcript', os.path.join(work, 'console.txt')]
    res = runner.run_cmd(argv + extra, timeout, os.path.join(work, 'san'))
    console = b''
    if os.path.exists(os.path.join(work, 'console.txt')):
        with open(os.path.join(work, 'console.txt'), 'rb') as f:
            console = f.read()
    cls, detail = runner.classify(res, timeout, console)
    wait = None
    if cls == 'end:disabled-wait':
        try:
            wait = int(detail.split()[-1], 16)
        except (ValueError, IndexError):
            pass
    try:
        summary = json.loads(res['stdout'])
    except ValueError:
        summary = {}
    return cls, detail, wait, console, summary


def check_programs(tap, pvboot, guests, work):
    """Returns the set of patterns the fuzz run must leave out."""
    failed = set()
    for prog, var, extra, end, want, *least in PROGRAMS:
        src = os.path.join(guests, prog + '.bin')
        name = '%s variant %d' % (prog, var)
        if not os.path.exists(src):
            tap.ok(False, '%s: %s is missing (make all builds it)' %
                   (name, src))
            continue
        img = os.path.join(work, '%s-%d.bin' % (prog, var))
        with_variant(src, img, var)
        timeout = 1.0 if end == 'timeout' else 20.0
        cls, detail, wait, console, summary = run_program(
            pvboot, img, extra, timeout, work)
        if isinstance(want, int):
            good = cls == 'end:' + end and wait == want
        else:
            good = cls == 'end:' + end and want in detail
        if end == 'disabled-wait' and want == GT_WAIT_OK:
            good = good and b', 0 failed' in console
        for key, low in (least[0] if least else {}).items():
            good = good and summary.get(key, 0) >= low
            detail += ' (%s %s)' % (key, summary.get(key))
        known = KNOWN.get((prog, var))
        if good:
            tap.ok(True, '%s: %s %s' % (name, end, _short(detail)),
                   '' if not known else
                   'TODO known bug no longer seen: drop it from KNOWN')
            continue
        failed.add((prog, var))
        if known and cls == known[0] and known[1] in detail:
            tap.ok(True, '%s: %s' % (name, _short(detail)),
                   'SKIP known machine bug: ' + known[2])
            continue
        tap.ok(False, '%s: want %s %s, got %s: %s' % (
            name, end, want if isinstance(want, str) else hex(want), cls,
            _short(detail)))
        for line in console.decode('utf-8', 'replace').splitlines():
            if 'FAIL' in line:
                tap.note(line)
    avoid = []
    if {('f_sck', 0), ('f_sck', 3)} & failed:
        avoid.append('sck')
    elif {('f_sck', 1), ('f_sck', 2)} & failed:
        avoid.append('sck-ex')
    if {('f_sqxbr', 0), ('f_sqxbr', 1), ('f_sqxbr', 2)} & failed:
        avoid.append('sqxbr')
    if {('f_lder', 0), ('f_lder', 1), ('f_lder', 2)} & failed:
        avoid.append('lder')
    # f_tod with SET CLOCK in supervisor state (bit 0) and under EXECUTE
    # (bit 1) once f_sck shows that they no longer crash
    direct = not {('f_sck', 0), ('f_sck', 3)} & failed
    under_ex = direct and not {('f_sck', 1), ('f_sck', 2)} & failed
    bits = (1 if direct else 0) | (2 if under_ex else 0)
    if bits & 1:
        src = os.path.join(guests, 'f_tod.bin')
        img = os.path.join(work, 'f_tod-%d.bin' % bits)
        with_variant(src, img, bits)
        cls, detail, wait, console, _ = run_program(pvboot, img, [], 20.0,
                                                    work)
        tap.ok(cls == 'end:disabled-wait' and wait == GT_WAIT_OK and
               b', 0 failed' in console,
               'f_tod variant %d (SET CLOCK included): %s %s' %
               (bits, cls, _short(detail)))
    return avoid


def _short(s, n=160):
    return s if len(s) <= n else s[:n] + '...'


# ---- the fuzzer's own tests --------------------------------------------------

FAKE = r'''#!/bin/sh
# a stand-in for pvboot run: behaves as $GF_FAKE says
console=
prev=
for a in "$@"; do
	[ "$prev" = --transcript ] && console=$a
	prev=$a
done
json='{"end":"disabled-wait","exit_status":0,"wait_code":"0000000000000000","detail":"disabled wait at PSW 0002000180000000 0000000000000000"}'
case $GF_FAKE in
ok)	printf 'Sanitizer runtime error: in the console\n' >"$console"
	printf 'pvboot: warning: w\n' >&2; cat "$console" >&2
	echo "$json"; exit 0 ;;
segv)	kill -SEGV $$ ;;
exit3)	exit 3 ;;
slow)	sleep 2.3; echo "$json"; exit 0 ;;
hang)	exec sleep 30 ;;
stderr)	echo "stray output" >&2; echo "$json"; exit 0 ;;
asan)	echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow" >&2; exit 86 ;;
ubsan)	echo "x.c:1:2: runtime error: shift exponent" >&2; echo "$json"; exit 0 ;;
badjson) echo '{"end":'; exit 0 ;;
mismatch) echo "$json"; exit 1 ;;
emulator) echo "pvboot: error: the CPU emulator failed at PSW 0 0 on CPU 0: Segmentation fault (signal 11); the run is lost" >&2; exit 1 ;;
refused) echo "pvboot: error: image 'x' is empty" >&2; exit 1 ;;
silent)	exit 1 ;;
esac
'''

FAKE_WANT = [('ok', 'end:disabled-wait'), ('segv', 'signal'),
             ('exit3', 'exit'), ('slow', 'overshoot'), ('hang', 'hang'),
             ('stderr', 'stderr'), ('asan', 'sanitizer'),
             ('ubsan', 'sanitizer'), ('badjson', 'summary'),
             ('mismatch', 'summary'), ('emulator', 'emulator'),
             ('refused', 'refused'), ('silent', 'summary')]


def selftest(tap):
    bad = asm.selftest()
    if bad is None:
        tap.ok(True, 'instruction encodings', 'SKIP no s390x objdump')
    else:
        tap.ok(not bad, 'instruction encodings agree with binutils%s' % (
            ': ' + '; '.join(bad[:3]) if bad else ''))
    same = True
    differ = 0
    for i in range(40):
        s = gen.guest_seed(CHECK_BASE, i)
        a = gen.Guest(s).build()
        b = gen.Guest(s).build()
        same &= a.image == b.image and a.config == b.config
        differ += a.image != gen.Guest(s + 1).build().image
    tap.ok(same, 'a seed gives the same guest twice (40 seeds)')
    tap.ok(differ == 40, 'neighbouring seeds give other guests (%d/40)' %
           differ)
    avoided = gen.Guest(gen.guest_seed(CHECK_BASE, 3),
                        ('sck', 'sqxbr', 'lder'))
    img = avoided.build().image
    tap.ok(all(img[i:i + 2] not in (b'\xb2\x04', b'\xb3\x16', b'\xb3\x24')
               for i in range(0x200, len(img) - 1, 2)),
           '--avoid sck,sqxbr,lder leaves no such opcode on a halfword')
    with tempfile.TemporaryDirectory() as d:
        fake = os.path.join(d, 'fake-pvboot')
        with open(fake, 'w') as f:
            f.write(FAKE)
        os.chmod(fake, 0o755)
        for mode, want in FAKE_WANT:
            os.environ['GF_FAKE'] = mode
            con = os.path.join(d, 'console.txt')
            if os.path.exists(con):
                os.remove(con)
            res = runner.run_cmd([fake, 'run', 'x', '--transcript', con],
                                 1.0, os.path.join(d, 'san'), grace=2.0)
            console = open(con, 'rb').read() if os.path.exists(con) else b''
            got, detail = runner.classify(res, 1.0, console)
            tap.ok(got == want, 'the classifier calls a fake pvboot that '
                   'does "%s" %s (got %s: %s)' % (mode, want, got,
                                                  _short(detail, 60)))
        os.environ.pop('GF_FAKE', None)


def cmd_selftest(a):
    tap = Tap()
    selftest(tap)
    print('1..%d' % tap.n)
    return 1 if tap.failed else 0


def cmd_check(a, fuzz_class):
    if not a.guests:
        raise SystemExit('guestfuzz check: --guests DIR is required')
    tap = Tap()
    selftest(tap)
    work = tempfile.mkdtemp(prefix='pvboot-guestfuzz-check.')
    keep = False
    try:
        avoid = check_programs(tap, os.path.abspath(a.pvboot), a.guests,
                               work)
        if a.avoid:
            avoid = [x for x in a.avoid.split(',') if x]
        fz = fuzz_class(a.pvboot, os.path.join(work, 'fuzz'), a.timeout,
                        avoid)
        base = int(a.base, 0) if a.base else CHECK_BASE
        fz.campaign(base, a.count, a.seconds, a.jobs)
        s = fz.summary()
        tap.note('fuzz run: base %d, %d guests in %.0f s, avoided: %s' % (
            base, s['guests'], s['seconds'], ', '.join(avoid) or 'nothing'))
        for cls, n in sorted(s['classes'].items()):
            tap.note('  %-18s %d' % (cls, n))
        tap.ok(s['guests'] > 0, 'the fuzz run ran %d guests' % s['guests'])
        for sig in s['signatures']:
            tap.note('finding: %s x%d: %s' % (sig['class'], sig['count'],
                                              sig['signature']))
        keep = bool(fz.findings)
        tap.ok(not fz.findings, '%d guests, %d findings%s' % (
            s['guests'], len(fz.findings),
            ' (kept in %s)' % os.path.join(work, 'fuzz', 'findings')
            if keep else ''))
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    print('1..%d' % tap.n)
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit('run guestfuzz.py')
