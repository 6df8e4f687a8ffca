#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mutation harness: break one check at a time, rebuild, run the tests.

`make mutate` (tests/README.md, "Mutation harness").  Each mutant of the
lists in tests/mutate/*.mut replaces one unique snippet of one source file.
Mutants are applied in a scratch copy of the tree under /tmp, never in the
checkout itself: by default a copy of the committed HEAD (git archive), or
with --worktree a copy of the working tree as it is.  In the copy the
harness builds once, runs every test the selected mutants name (all must
pass, else the run stops), then for each mutant: patch, rebuild what its
tests need, run them until one fails, restore.  A mutant that any test
fails on is "caught"; one all tests pass on has "SURVIVED".  Exit status 0
only when every mutant was caught.

Mutant file format (one block per mutant, '#' starts a comment line):

    [name-of-the-mutant]
    file   lib/crypto/keyslot.c
    tests  unit:test_stack_wipe scenario:verify_tamper
    why    what the mutant breaks (free text, optional)
    - 	original line, exactly as in the file (after "- ")
    + 	replacement line (after "+ "); no "+" line deletes the snippet

"-" and "+" alone stand for an empty line.  The original snippet must occur
exactly once in the file, or the mutant is reported STALE.  Tests are
unit:NAME ($BUILD/tests/NAME), scenario:NAME (tests/scenario/NAME.sh with
PVBOOT=$BUILD/pvboot) or cmd:SHELL-COMMAND (run in the copy; for checks
that are neither).
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MUT_DIR = os.path.join(ROOT, "tests", "mutate")


class Mutant:
    def __init__(self, name, where):
        self.name = name
        self.where = where
        self.file = None
        self.tests = []
        self.why = ""
        self.old = []
        self.new = []


def parse(path):
    """Read one mutant list; exit with a message naming the bad line."""
    muts, cur = [], None
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            where = "%s:%d" % (os.path.relpath(path, ROOT), no)
            if cur is None or not line.startswith(("-", "+")):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
            m = re.match(r"^\[([A-Za-z0-9_.-]+)\]\s*$", line)
            if m:
                cur = Mutant(m.group(1), where)
                muts.append(cur)
                continue
            if cur is None:
                sys.exit("%s: text before the first [mutant]" % where)
            if line == "-" or line.startswith("- "):
                cur.old.append(line[2:])
            elif line == "+" or line.startswith("+ "):
                cur.new.append(line[2:])
            else:
                key, _, val = line.partition(" ")
                val = val.strip()
                if key == "file":
                    cur.file = val
                elif key == "tests":
                    cur.tests = val.split() if not val.startswith("cmd:") \
                        else [val]
                elif key == "why":
                    cur.why = val
                else:
                    sys.exit("%s: unknown key '%s'" % (where, key))
    for m in muts:
        if not m.file or not m.tests or not m.old:
            sys.exit("%s: mutant '%s' needs file, tests and '-' lines"
                     % (m.where, m.name))
    return muts


def snippet_count(path, m):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().count("\n".join(m.old) + "\n")
    except OSError:
        return 0


CHILD = None      # the running command, in a process group of its own
SCRATCH = None    # the copy, removed on SIGINT/SIGTERM unless --keep


def sh(cmd, cwd, log, env=None, timeout=None):
    """Run @cmd (list or shell string), output to @log; return the status.
    On a timeout the whole process group goes."""
    global CHILD
    with open(log, "ab") as out:
        CHILD = subprocess.Popen(cmd, cwd=cwd, stdout=out,
                                 stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, env=env,
                                 shell=isinstance(cmd, str),
                                 start_new_session=True)
        try:
            return CHILD.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(CHILD.pid, signal.SIGKILL)
            CHILD.wait()
            return "timeout"
        finally:
            CHILD = None


def stop(signum, frame):
    """SIGINT/SIGTERM: end the running command's group, drop the copy."""
    if CHILD:
        try:
            os.killpg(CHILD.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if SCRATCH:
        shutil.rmtree(SCRATCH, ignore_errors=True)
    sys.exit("mutate: interrupted")


def make_copy(src, worktree, rev):
    scratch = tempfile.mkdtemp(prefix="pvboot-mutate.", dir="/tmp")
    if worktree:
        tar = subprocess.Popen(
            ["tar", "-C", src, "--exclude=./.git", "--exclude=./build*",
             "-cf", "-", "."], stdout=subprocess.PIPE)
    else:
        tar = subprocess.Popen(["git", "-C", src, "archive", rev],
                               stdout=subprocess.PIPE)
    rc = subprocess.run(["tar", "-C", scratch, "-xf", "-"],
                        stdin=tar.stdout).returncode
    if tar.wait() or rc:
        sys.exit("mutate: cannot copy the tree to %s" % scratch)
    return scratch


def targets(tests, build):
    """make targets the tests need."""
    t = set()
    for name in tests:
        kind, _, what = name.partition(":")
        if kind == "unit":
            t.add("%s/tests/%s" % (build, what))
        else:
            t.update(("%s/pvboot" % build, "boot"))
    return sorted(t)


def run_test(name, tree, build, log, timeout):
    kind, _, what = name.partition(":")
    env = dict(os.environ, BUILD=build, PVBOOT="%s/%s/pvboot" % (tree, build),
               PVBOOT_ROOT=tree, CMOCKA_MESSAGE_OUTPUT="TAP")
    if kind == "unit":
        cmd = ["%s/tests/%s" % (build, what)]
    elif kind == "scenario":
        cmd = ["bash", "tests/scenario/%s.sh" % what]
    elif kind == "cmd":
        cmd = what
    else:
        sys.exit("mutate: unknown test kind in '%s'" % name)
    with open(log, "ab") as out:
        out.write(("\n==== %s\n" % name).encode())
    rc = sh(cmd, tree, log, env=env, timeout=timeout)
    if rc == "timeout":
        return "timeout"
    with open(log, "rb") as f:
        text = f.read().decode(errors="replace")
    tail = text[text.rfind("==== %s" % name):]
    if rc != 0 or re.search(r"^not ok", tail, re.M):
        return "failed"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lists", nargs="*", help="mutant lists "
                    "(default: tests/mutate/*.mut)")
    ap.add_argument("--only", action="append", default=[],
                    help="run only mutants whose name matches this regex")
    ap.add_argument("--worktree", action="store_true",
                    help="copy the working tree, not HEAD")
    ap.add_argument("--rev", default="HEAD",
                    help="commit to copy (default HEAD)")
    ap.add_argument("--with", dest="overlay", action="append", default=[],
                    metavar="PATH", help="copy PATH of the working tree "
                    "over the HEAD copy (e.g. new, uncommitted tests)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the scratch copy")
    ap.add_argument("--jobs", default="2", help="make -j (default 2)")
    ap.add_argument("--timeout", type=int, default=600,
                    help="seconds per test run (a hang counts as caught)")
    ap.add_argument("--list", action="store_true",
                    help="print the mutants and exit")
    ap.add_argument("--check", action="store_true",
                    help="only check that every snippet is still unique "
                    "in the checkout (no copy, no build)")
    a = ap.parse_args()

    lists = a.lists or sorted(
        os.path.join(MUT_DIR, f) for f in os.listdir(MUT_DIR)
        if f.endswith(".mut"))
    muts = []
    for path in lists:
        muts += parse(path)
    names = [m.name for m in muts]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        sys.exit("mutate: duplicate mutant names: %s" % " ".join(dup))
    if a.only:
        muts = [m for m in muts if any(re.search(o, m.name) for o in a.only)]
    if a.list:
        for m in muts:
            print("%-40s %-32s %s" % (m.name, m.file, " ".join(m.tests)))
        return 0
    if not muts:
        sys.exit("mutate: no mutant selected")
    if a.check:
        bad = 0
        for m in muts:
            n = snippet_count(os.path.join(ROOT, m.file), m)
            if n != 1:
                bad += 1
                print("STALE     %-40s snippet found %d times in %s (%s)"
                      % (m.name, n, m.file, m.where))
        print("mutate: %d of %d snippets are unique" % (len(muts) - bad,
                                                        len(muts)))
        return 1 if bad else 0

    build = "build-mut"
    global SCRATCH
    tree = make_copy(ROOT, a.worktree, a.rev)
    if not a.keep:
        SCRATCH = tree
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for p in a.overlay:
        rel = os.path.relpath(os.path.abspath(p), ROOT)
        dst = os.path.join(tree, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.isdir(p):
            shutil.copytree(p, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(p, dst)
    log = os.path.join(tree, "mutate.log")
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short",
                           a.rev], capture_output=True,
                          text=True).stdout.strip()
    print("mutate: %d mutants, %s of %s%s in %s" % (
        len(muts), "working tree" if a.worktree else "commit", head,
        "".join(" + " + p for p in a.overlay), tree), flush=True)
    make = ["make", "--no-print-directory", "-j" + a.jobs,
            "BUILD=" + build, "WERROR=1"]

    # the unmutated tree must build and pass every test used below
    t0 = time.time()
    if sh(make + ["all"], tree, log):
        sys.exit("mutate: the unmutated tree does not build (see %s)" % log)
    every = sorted({t for m in muts for t in m.tests})
    for t in every:
        why = run_test(t, tree, build, log, a.timeout)
        if why:
            sys.exit("mutate: %s %s on the unmutated tree (see %s)"
                     % (t, why, log))
    print("mutate: baseline built and %d test runs passed in %.0f s" % (
        len(every), time.time() - t0), flush=True)

    caught = survived = broken = 0
    for m in muts:
        path = os.path.join(tree, m.file)
        try:
            with open(path, encoding="utf-8") as f:
                orig = f.read()
        except OSError as e:
            print("STALE     %-40s %s" % (m.name, e), flush=True)
            broken += 1
            continue
        old = "\n".join(m.old) + "\n"
        new = "\n".join(m.new) + "\n" if m.new else ""
        if orig.count(old) != 1:
            print("STALE     %-40s snippet found %d times in %s (%s)" % (
                m.name, orig.count(old), m.file, m.where), flush=True)
            broken += 1
            continue
        t0 = time.time()
        with open(path, "w", encoding="utf-8") as f:
            f.write(orig.replace(old, new))
        by = None
        try:
            with open(log, "ab") as out:
                out.write(("\n######## mutant %s\n" % m.name).encode())
            if sh(make + targets(m.tests, build), tree, log):
                print("NO BUILD  %-40s (%s; see %s)" % (m.name, m.where,
                                                        log), flush=True)
                broken += 1
                continue
            for t in m.tests:
                why = run_test(t, tree, build, log, a.timeout)
                if why:
                    by = "%s (%s)" % (t, why)
                    break
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(orig)
        secs = time.time() - t0
        if by:
            caught += 1
            print("caught    %-40s by %s, %.0f s" % (m.name, by, secs),
                  flush=True)
        else:
            survived += 1
            print("SURVIVED  %-40s %s: %s" % (m.name, m.file, m.why),
                  flush=True)
    print("mutate: %d caught, %d survived, %d stale or not building" % (
        caught, survived, broken))
    if a.keep:
        print("mutate: scratch copy kept in %s" % tree)
    else:
        shutil.rmtree(tree, ignore_errors=True)
    return 0 if not survived and not broken else 1


if __name__ == "__main__":
    sys.exit(main())
