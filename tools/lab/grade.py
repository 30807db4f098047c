#!/usr/bin/env python3
"""DOC: grade.py - `make lab-check LAB=n`: score one lab on the tree it runs in

Runs the checks tools/lab/labs.py lists for lab n against the tree this file
sits in: the full tree (the reference: everything passes) or a lab tree
written by `make lab` (build/lab-n/, where the student fills the cut
regions). Like xv6's `make grade`: one line per test with its points, then
the total; exit status 0 only when every test passed.

  host tests   each chosen cmocka case of the kernel's host test suites
               (tests/host/), in a process of its own (HOTMM_TEST_FILTER), so
               a case that panics or crashes costs only its own points;
  QEMU tests   (--qemu-only: these alone) boots of the lab tree's kernel running in-kernel selftests
               (kernel/selftest.h; from the command line, or typed into the
               shell with other commands) and checking report lines. LAB_QEMU=0 (or
               --no-qemu) leaves them out; they are then not counted.

Exit status: 0 all passed, 1 some test failed, 2 the tree does not build
(the output says which file; a lab's stubs always build, so that is the
student's code).
"""
import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import labs as labdefs  # noqa: E402

CASE_RE = re.compile(r"^\[\s+(OK|FAILED|SKIPPED)\s+\] (\S+)", re.M)


def build(targets, jobs):
    p = subprocess.run(["make", "-s", f"-j{jobs}"] + targets, cwd=ROOT, capture_output=True, text=True)
    if p.returncode:
        sys.stdout.write(p.stdout[-6000:] + p.stderr[-6000:])
        print(f"lab-check: building {' '.join(targets)} failed (make exit {p.returncode})")
    return p.returncode == 0


def run_case(binary, case, verbose):
    env = dict(os.environ, HOTMM_TEST_FILTER=case)
    try:
        p = subprocess.run([os.path.join(ROOT, "build", "host", "test_" + binary)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "timed out after 120 s"
    out = p.stdout + p.stderr
    status = {name: st for st, name in CASE_RE.findall(out)}
    ok = status.get(case) == "OK" and p.returncode == 0
    why = ""
    if not ok:
        m = re.search(r"(panic: .*|Kernel panic - not syncing: .*|ERROR: AddressSanitizer: .*|"
                      r"runtime error: .*|error: .*)", out)
        why = m.group(1)[:160] if m else (f"exit {p.returncode}" if case in status else "case not run")
        if verbose:
            sys.stdout.write(out[-3000:])
    return ok, why


def run_qemu_check(chk, verbose):
    sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
    import qemu  # noqa: E402 - the lab tree's own helpers, booting the lab tree's ISO

    try:
        r = qemu.boot(chk["qemu"], cmdline=chk["cmdline"], timeout=chk.get("timeout", 180),
                      commands=chk.get("commands"))
    except AssertionError as e:  # the shell never came up, or a command timed out
        m = re.search(r"Kernel panic - not syncing: [^\r\n]*", str(e))
        if verbose:
            sys.stdout.write(str(e)[-4000:] + "\n")
        return False, m.group(0)[:160] if m else str(e).split("\n")[0][:160]
    if verbose:
        sys.stdout.write(r.tail(4000))
    problems = []
    cases = {e["name"]: e for e in r.events_named("selftest_case")}
    for name in chk.get("selftests", []):
        e = cases.get(name)
        if not e:
            problems.append(f"selftest {name} did not run")
        elif not e.get("ok") or e.get("skipped"):
            problems.append(f"selftest {name} {'skipped' if e.get('skipped') else 'failed'}")
    for ev, fields in chk.get("events", []):
        found = [e for e in r.events_named(ev) if all(e.get(k) == v for k, v in fields.items())]
        if not found:
            problems.append(f"no @hotmm {ev} line with {fields}")
    if r.timed_out or r.status != qemu.EXIT_PASS:
        m = re.search(r"Kernel panic - not syncing: [^\r\n]*", r.output)
        problems.insert(0, m.group(0)[:160] if m else "timed out" if r.timed_out else
                        {qemu.EXIT_FAIL: "a selftest failed"}.get(r.status, f"QEMU exit status {r.status}"))
    return not problems, "; ".join(problems)


def main():
    ap = argparse.ArgumentParser(description="score a lab on this tree")
    ap.add_argument("lab", type=int)
    ap.add_argument("--no-qemu", action="store_true", help="host tests only")
    ap.add_argument("--qemu-only", action="store_true", help="QEMU tests only")
    ap.add_argument("-v", "--verbose", action="store_true", help="show the output of failing tests")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    a = ap.parse_args()
    if a.lab not in labdefs.LABS:
        print(f"lab-check: LAB={a.lab}: no such lab (labs are {', '.join(map(str, sorted(labdefs.LABS)))})")
        return 2
    lab = labdefs.LABS[a.lab]
    qemu_on = not a.no_qemu and os.environ.get("LAB_QEMU", "1") != "0"
    print(f"lab {a.lab}: {lab['title']}, in {ROOT}")

    hosts = {} if a.qemu_only else lab["host"]
    targets = [f"build/host/test_{b}" for b in hosts]
    if qemu_on and lab.get("qemu"):
        targets.append("build/hotmm.iso")
    if not build(targets, a.jobs):
        return 2

    score = total = failed = 0
    t0 = time.time()
    for binary, cases in hosts.items():
        for case in cases:
            pts = labdefs.HOST_POINTS
            ok, why = run_case(binary, case, a.verbose)
            total += pts
            score += pts if ok else 0
            failed += not ok
            print(f"  {binary}/{case}: {'OK' if ok else 'FAIL'} ({pts if ok else 0}/{pts})"
                  + (f" - {why}" if why else ""), flush=True)
    for chk in lab.get("qemu", []) if qemu_on else []:
        pts = chk["points"]
        t = time.time()
        ok, why = run_qemu_check(chk, a.verbose)
        total += pts
        score += pts if ok else 0
        failed += not ok
        print(f"  qemu/{chk['name']}: {'OK' if ok else 'FAIL'} ({pts if ok else 0}/{pts}, "
              f"{time.time() - t:.0f}s)" + (f" - {why}" if why else ""), flush=True)
    note = "" if qemu_on or not lab.get("qemu") else " (host tests only: LAB_QEMU=0)"
    print(f"Score: {score}/{total}{note} in {time.time() - t0:.0f}s")
    return 0 if failed == 0 and total else 1


if __name__ == "__main__":
    sys.exit(main())
