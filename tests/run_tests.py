#!/usr/bin/env python3
"""Run every check and end with one line: "N passed, N failed[, N skipped]".

  --host BIN...   cmocka host test binaries (the kernel's sources on the host)
  --fuzz BIN...   libFuzzer targets: a short regression run over tests/fuzz/corpus/NAME
  --qemu          QEMU scenario tests: every test_* function in tests/qemu/test_*.py
  --labs          the labs' meta-test (no QEMU): every test_* function in tests/lab/test_*.py

Each cmocka case, fuzz target and QEMU test counts as one test. Set
TESTS=substring to run only the QEMU tests whose name contains it.
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
counts = {"passed": 0, "failed": 0, "skipped": 0}
failures = []


def record(name, outcome, detail=""):
    counts[outcome] += 1
    mark = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}[outcome]
    print(f"{mark}: {name}{(' - ' + detail) if detail else ''}", flush=True)
    if outcome == "failed":
        failures.append(name)


def run_host(bins):
    for b in bins:
        name = os.path.basename(b)
        p = subprocess.run([b], cwd=ROOT, capture_output=True, text=True, timeout=600)
        out = p.stdout + p.stderr
        seen = 0
        for m in re.finditer(r"^\[\s+(OK|FAILED|SKIPPED)\s+\] (\S+)", out, re.M):
            status, case = m.groups()
            seen += 1
            record(f"{name}/{case}", {"OK": "passed", "FAILED": "failed", "SKIPPED": "skipped"}[status])
        if p.returncode != 0 or seen == 0:
            record(f"{name} (exit {p.returncode})", "failed", "crashed or reported no case")
            sys.stdout.write(out[-4000:])
        elif "FAILED" in out:
            sys.stdout.write(out[-4000:])


def run_fuzz(bins):
    for b in bins:
        name = os.path.basename(b)
        corpus = os.path.join(ROOT, "tests/fuzz/corpus", re.sub(r"^fuzz_", "", name))
        files = [os.path.join(corpus, f) for f in sorted(os.listdir(corpus))] if os.path.isdir(corpus) else []
        if not files:
            record(f"{name} regression", "failed", f"empty corpus {corpus}")
            continue
        p = subprocess.run([b, "-runs=0"] + files, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if p.returncode == 0:
            record(f"{name} regression ({len(files)} inputs)", "passed")
        else:
            record(f"{name} regression", "failed", f"exit {p.returncode}")
            sys.stdout.write((p.stdout + p.stderr)[-4000:])


def run_qemu(subdir="tests/qemu"):
    sys.path.insert(0, os.path.join(ROOT, subdir))
    only = os.environ.get("TESTS", "")
    qdir = os.path.join(ROOT, subdir)
    for fn in sorted(os.listdir(qdir)):
        if not (fn.startswith("test_") and fn.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(fn[:-3], os.path.join(qdir, fn))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for attr in sorted(dir(mod)):
            f = getattr(mod, attr)
            if not (attr.startswith("test_") and callable(f)):
                continue
            name = f"{fn[:-3]}/{attr}"
            if only and only not in name:
                continue
            t0 = time.time()
            try:
                f()
                record(name, "passed", f"{time.time() - t0:.1f}s")
            except Exception as e:  # noqa: BLE001 - a test failure of any kind
                if type(e).__name__ == "Skip":
                    record(name, "skipped", str(e))
                    continue
                record(name, "failed", f"{type(e).__name__}: {e}")
                traceback.print_exc(limit=3, file=sys.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", nargs="*", default=[])
    ap.add_argument("--fuzz", nargs="*", default=[])
    ap.add_argument("--qemu", action="store_true")
    ap.add_argument("--labs", action="store_true")
    a = ap.parse_args()
    run_host(a.host)
    run_fuzz(a.fuzz)
    if a.labs:
        run_qemu("tests/lab")
    if a.qemu:
        run_qemu()
    if failures:
        print("failed: " + ", ".join(failures))
    line = f"{counts['passed']} passed, {counts['failed']} failed"
    if counts["skipped"]:
        line += f", {counts['skipped']} skipped"
    print(line)
    sys.exit(1 if counts["failed"] or not sum(counts.values()) else 0)


if __name__ == "__main__":
    main()
