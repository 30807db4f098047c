"""The labs' in-QEMU checks (tools/lab/labs.py, run by tools/lab/grade.py):
each fails on its lab's cut tree and passes on this tree.

The host side of the labs is checked by tests/lab/test_labs.py; this is the
QEMU side, one test per lab: cut the tree (mklab.py: the kernel objects
already built here are reused, so only the cut files compile), run
`grade.py N --qemu-only` there (every QEMU check must FAIL: the stubs panic or
the selftests fail) and here (every check passes). About 10-20 s per lab.
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "lab"))
import labs as labdefs  # noqa: E402
import mklab  # noqa: E402

LINE_RE = re.compile(r"^  qemu/(\S+): (OK|FAIL) ", re.M)


def _grade(tree, n):
    p = subprocess.run([sys.executable, os.path.join(tree, "tools", "lab", "grade.py"), str(n), "--qemu-only"],
                       cwd=tree, capture_output=True, text=True, timeout=900)
    return p.returncode, p.stdout + p.stderr


def _check(n):
    names = [c["name"] for c in labdefs.LABS[n]["qemu"]]
    tree = os.path.join(ROOT, "build", "labtest", f"qemu-lab-{n}")
    mklab.make(n, tree, quiet=True)
    rc, out = _grade(tree, n)
    got = dict(LINE_RE.findall(out))
    assert rc == 1 and got == {k: "FAIL" for k in names}, f"lab {n} cut tree (exit {rc}):\n{out[-3000:]}"
    shutil.rmtree(tree)
    rc, out = _grade(ROOT, n)
    got = dict(LINE_RE.findall(out))
    assert rc == 0 and got == {k: "OK" for k in names}, f"lab {n} full tree (exit {rc}):\n{out[-3000:]}"


def _bind(n):
    return lambda: _check(n)


for _n in sorted(labdefs.LABS):
    globals()[f"test_lab{_n}_qemu_checks_fail_cut_pass_full"] = _bind(_n)
