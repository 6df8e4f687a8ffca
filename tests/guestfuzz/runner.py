# SPDX-License-Identifier: MIT
"""Run one guest under `pvboot run` and classify the outcome.

The documented ends of `pvboot run` (README "Exit status", pvboot-run(1)):
the guest's disabled wait, SIGP stop, an error with a reason, the timeout;
exit status 0 or 1; with --json the summary on standard output and the
guest console on standard error, nothing else on standard error but
pvboot's own lines ("pvboot: ...").  A refused image (no summary) is an
error with a reason too.  Everything else is a finding:

  signal      pvboot died of a signal (SIGSEGV in the translator, ...)
  emulator    pvboot reports that its CPU emulator process died ("the CPU
              emulator failed at PSW ..."): contained, but the guest broke
              the emulator (a translator bug)
  sanitizer   an AddressSanitizer, UndefinedBehaviorSanitizer or leak report
  exit        an exit status other than 0 and 1
  hang        still running long after its timeout (the runner killed it)
  overshoot   ended, but more than a second after its timeout (confirmed
              by pvboot's own run time or a second run; otherwise the
              outcome is "slow-host", not a finding: the shared host did
              not schedule the process)
  stderr      standard error holds more than the console and pvboot's lines
  summary     the JSON summary is missing, unreadable or contradicts itself
"""

import json
import os
import shutil
import signal
import subprocess
import time

ENDS = ('disabled-wait', 'sigp-stop', 'timeout', 'error')
FINDINGS = ('signal', 'emulator', 'sanitizer', 'exit', 'hang', 'overshoot',
            'stderr', 'summary')
ASAN_EXIT, UBSAN_EXIT, LSAN_EXIT = 86, 87, 88
HANG_GRACE = 10.0       # seconds past the timeout before the runner kills


def san_env(logdir, leaks=True):
    """Sanitizer reports go to standard error: the emulator process runs
    under a seccomp filter that lets it open no file, so a log_path would
    lose them.  @logdir is kept for reports of processes that can open
    files (none today).  @leaks False turns LeakSanitizer's exit scan off
    (about 35 ms of a 110 ms guest); ASan and UBSan stay on."""
    env = dict(os.environ)
    env['ASAN_OPTIONS'] = ('detect_leaks=%d:abort_on_error=0:exitcode=%d' %
                           (1 if leaks else 0, ASAN_EXIT))
    env['UBSAN_OPTIONS'] = ('print_stacktrace=1:halt_on_error=1:'
                            'exitcode=%d' % UBSAN_EXIT)
    env['LSAN_OPTIONS'] = 'exitcode=%d' % LSAN_EXIT
    return env


def run_cmd(argv, timeout, logdir, grace=HANG_GRACE, leaks=True):
    """Run @argv; returns a dict with rc (negative: signal), wall time,
    stdout, stderr, killed (the runner had to kill it) and san (the
    sanitizer reports written to @logdir)."""
    os.makedirs(logdir, exist_ok=True)
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=san_env(logdir, leaks),
                         start_new_session=True)
    killed = False
    try:
        out, err = p.communicate(timeout=timeout + grace)
    except subprocess.TimeoutExpired:
        killed = True
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
    wall = time.monotonic() - t0
    san = []
    for name in sorted(os.listdir(logdir)):
        with open(os.path.join(logdir, name), 'rb') as f:
            san.append((name, f.read()))
    return {'rc': p.returncode, 'wall': wall, 'stdout': out,
            'stderr': err, 'killed': killed, 'san': san}


def _without(stderr, console):
    """@stderr without the guest console (the transcript, printed there as
    one piece)."""
    if console:
        i = stderr.find(console)
        if i >= 0:
            return stderr[:i] + b'\n' + stderr[i + len(console):]
    return stderr


def san_summary(text):
    """The first line of a sanitizer report and the first functions of its
    stack: "...: SEGV on unknown address ... in f <- g"."""
    first = b''
    frames = []
    for line in text.split(b'\n'):
        if not first and (b'ERROR:' in line or b'runtime error:' in line):
            first = line.strip()
        words = line.split()
        if first and len(words) >= 4 and words[0].startswith(b'#') and \
                words[2] == b'in' and len(frames) < 3:
            frames.append(words[3].decode('utf-8', 'replace'))
    out = first.decode('utf-8', 'replace')[:200]
    return out + (' in ' + ' <- '.join(frames) if frames else '')


def foreign_stderr(stderr, console):
    """The lines of @stderr that are neither the guest console nor
    pvboot's own."""
    rest = _without(stderr, console)
    bad = []
    for line in rest.split(b'\n'):
        if line.strip() and not line.startswith(b'pvboot: '):
            bad.append(line)
    return bad


def classify(res, timeout, console=b''):
    """(class, detail): class is 'end:<end>' or 'refused' for documented
    outcomes, else one of FINDINGS."""
    rc = res['rc']
    text = _without(res['stderr'], console) + b'\n'.join(
        d for _, d in res['san'])
    if res['san'] or b'Sanitizer' in text or b'runtime error:' in text:
        return 'sanitizer', san_summary(text)
    if res['killed']:
        return 'hang', 'killed %.1f s after the start (timeout %.1f s)' % (
            res['wall'], timeout)
    if rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = 'signal %d' % -rc
        return 'signal', name
    if rc not in (0, 1):
        return 'exit', 'exit status %d' % rc
    if res['wall'] > timeout + 1.0:
        return 'overshoot', 'ended after %.2f s, timeout %.1f s' % (
            res['wall'], timeout)
    bad = foreign_stderr(res['stderr'], console)
    if bad:
        return 'stderr', bad[0].decode('utf-8', 'replace')[:300]
    out = res['stdout'].strip()
    if not out:
        errs = [ln for ln in res['stderr'].split(b'\n')
                if ln.startswith(b'pvboot: error: ')]
        if rc == 1 and len(errs) == 1:
            msg = errs[0][15:].decode('utf-8', 'replace')[:300]
            if 'the CPU emulator failed' in msg:
                return 'emulator', msg
            return 'refused', msg
        return 'summary', 'no summary and %d error lines, exit %d' % (
            len(errs), rc)
    try:
        j = json.loads(out)
    except ValueError as e:
        return 'summary', 'summary is not JSON: %s' % e
    end = j.get('end')
    if end not in ENDS:
        return 'summary', 'end %r' % end
    if j.get('exit_status') != rc:
        return 'summary', 'exit status %d, summary says %r' % (
            rc, j.get('exit_status'))
    if end == 'error' and not j.get('detail'):
        return 'summary', 'error without a reason'
    if end == 'disabled-wait' and (rc == 0) != (
            int(j.get('wait_code', '1'), 16) in (0, 0xc0de0000)):
        return 'summary', 'wait code %s with exit %d' % (
            j.get('wait_code'), rc)
    return 'end:' + end, j.get('detail', '')[:300]


def backtrace(argv, timeout, logdir):
    """The top frames of a crash, from gdb (when installed)."""
    gdb = shutil.which('gdb')
    if not gdb:
        return ''
    try:
        p = subprocess.run([gdb, '-batch', '-nx', '-ex', 'run', '-ex', 'bt 8',
                            '--args'] + argv, capture_output=True,
                           timeout=timeout + 30, stdin=subprocess.DEVNULL,
                           env=san_env(logdir))
    except subprocess.TimeoutExpired:
        return ''
    frames = []
    for line in p.stdout.decode('utf-8', 'replace').split('\n'):
        if line.startswith('#'):
            parts = line.split(' in ')
            fn = parts[1].split(' (')[0] if len(parts) > 1 else \
                line.split()[1]
            frames.append(fn.strip())
    return ' <- '.join(frames[:6])
