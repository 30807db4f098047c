"""DOC: test_labs.py - the labs' meta-test: each lab's cut tree fails its check, the full tree passes

For every lab n in tools/lab/labs.py (host tests only; no QEMU, so it runs
in `make test` in about a minute):
  - test_labN_cut_tree_fails: `make lab LAB=n` into build/labtest/lab-n,
    then in that tree the files with cut regions still compile as kernel
    objects (the stubs build), and `make lab-check LAB=n LAB_QEMU=0` exits 1
    (tests failed, not 2: the tree built) with every listed case FAIL - a
    case that passed without the lab's code would be a free point;
  - test_labN_full_tree_passes: `make lab-check LAB=n LAB_QEMU=0` on this
    tree exits 0 with the full score.
And the marker checker (tools/lab/mklab.py) itself: the tree's markers are
valid, and broken ones are refused naming file, line and what is wrong; a
lab tree gets a git repository of its own; each lab's page names every
function the lab cuts.
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

OUT = os.path.join(ROOT, "build", "labtest")
SCORE_RE = re.compile(r"^Score: (\d+)/(\d+)", re.M)


def _run(argv, cwd, timeout=600):
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def _ncases(n):
    return sum(len(c) for c in labdefs.LABS[n]["host"].values())


def _cut_tree_fails(n):
    tree = os.path.join(OUT, f"lab-{n}")
    files = mklab.make(n, tree, quiet=True)
    objs = [f"build/kernel/{f}.o" for f in files]
    rc, out = _run(["make", "-s", "-j2"] + objs, tree)
    assert rc == 0, f"lab {n}: the cut tree's kernel objects do not build:\n{out[-3000:]}"
    rc, out = _run(["make", "-s", "lab-check", f"LAB={n}", "LAB_QEMU=0"], tree)
    assert rc != 0, f"lab {n}: lab-check passed on the cut tree:\n{out[-3000:]}"
    assert "lab-check: building" not in out, f"lab {n}: the cut tree's host tests do not build:\n{out[-3000:]}"
    m = SCORE_RE.search(out)
    assert m, f"lab {n}: no Score line:\n{out[-3000:]}"
    ok = re.findall(r"^  \S+: OK ", out, re.M)
    assert not ok, f"lab {n}: cases pass without the lab's code (free points): {ok}\n{out[-3000:]}"
    assert int(m.group(2)) == _ncases(n) * labdefs.HOST_POINTS, out[-3000:]
    shutil.rmtree(tree)     # kept only when the test failed, to look at


def _full_tree_passes(n):
    rc, out = _run([sys.executable, os.path.join(ROOT, "tools", "lab", "grade.py"), str(n), "--no-qemu"], ROOT)
    m = SCORE_RE.search(out)
    assert rc == 0 and m and m.group(1) == m.group(2), f"lab {n} on the full tree:\n{out[-3000:]}"
    assert int(m.group(2)) == _ncases(n) * labdefs.HOST_POINTS, out[-3000:]


def _bind(fn, n):
    return lambda: fn(n)


for _n in sorted(labdefs.LABS):
    globals()[f"test_lab{_n}_cut_tree_fails"] = _bind(_cut_tree_fails, _n)
    globals()[f"test_lab{_n}_full_tree_passes"] = _bind(_full_tree_passes, _n)


def test_markers_valid():
    regions = mklab.check()
    for n in labdefs.LABS:
        assert any(r[0] == n for regs in regions.values() for r in regs), n


def test_markers_broken_refused():
    cases = [
        ("/* LAB 1 BEGIN f */\nx;\n", "never closed"),
        ("x;\n/* LAB 1 END f */\n", "with no BEGIN"),
        ("/* LAB 1 BEGIN f */\n/* LAB 1 END g */\n", "closes LAB 1 BEGIN f"),
        ("/* LAB 1 BEGIN f */\n/* LAB 2 BEGIN g */\n/* LAB 2 END g */\n/* LAB 1 END f */\n", "do not nest"),
        ("/* LAB 1 BEGIN f */\n/* LAB 1 END f: x; */\n", "takes no stub"),
        ("int a; /* LAB 1 BEGIN f */\n", "malformed lab marker"),
    ]
    for text, want in cases:
        try:
            mklab.parse_regions(os.path.join(ROOT, "mm", "x.c"), text)
        except mklab.MarkerError as e:
            assert want in str(e) and "mm/x.c:" in str(e), (text, str(e))
        else:
            raise AssertionError(f"accepted broken markers {text!r}")


def test_cut_replaces_only_that_lab():
    text = ("#include <a.h>\nint f(void)\n{\n/* LAB 1 BEGIN f: return -1; */\n\treturn 0;\n/* LAB 1 END f */\n}\n"
            "void g(void)\n{\n/* LAB 2 BEGIN g */\n\tgo();\n/* LAB 2 END g */\n}\n")
    regions = mklab.parse_regions(os.path.join(ROOT, "mm", "x.c"), text)
    out = mklab.cut(text, regions, 1)
    assert "\treturn -1;" in out and "\treturn 0;" not in out, out
    assert "\tgo();" in out and "LAB 2 BEGIN g" in out, out   # lab 2's region stays whole
    assert out.index('#include "kernel/panic.h"') < out.index("#include <a.h>"), out
    assert mklab.cut(text, regions, 3) == text


def test_make_lab_keeps_its_own_git():
    """`make lab` gives the lab tree a repository of its own (its first commit the
    cut tree); the repository around the source tree is left alone."""
    tree = os.path.join(OUT, "git-lab-1")
    outer = _run(["git", "rev-parse", "HEAD"], ROOT)
    rc, out = _run([sys.executable, os.path.join(ROOT, "tools", "lab", "mklab.py"), "make", "1",
                    os.path.relpath(tree, ROOT)], ROOT)
    assert rc == 0, out
    if shutil.which("git"):
        rc, top = _run(["git", "rev-parse", "--show-toplevel"], tree)
        assert rc == 0 and os.path.realpath(top.strip()) == os.path.realpath(tree), top
        rc, log = _run(["git", "log", "--format=%s"], tree)
        assert log.strip() == "lab 1: the start", log
        rc, st = _run(["git", "status", "--porcelain"], tree)
        assert st.strip() == "", st
        assert _run(["git", "rev-parse", "HEAD"], ROOT) == outer
    shutil.rmtree(tree)


def test_lab_texts_name_every_cut_function():
    """Each lab's page exists, names every region the lab cuts, and the labs'
    index links it."""
    regions = mklab.check()
    with open(os.path.join(ROOT, "labs", "README.md")) as f:
        index = f.read()
    for n, lab in labdefs.LABS.items():
        path = os.path.join(ROOT, lab["dir"], "README.md")
        assert os.path.exists(path), f"lab {n}: {lab['dir']}/README.md is missing"
        with open(path) as f:
            text = f.read()
        names = [r[1] for regs in regions.values() for r in regs if r[0] == n]
        missing = [name for name in names if f"`{name}(" not in text]
        assert not missing, f"lab {n}: {lab['dir']}/README.md does not name {missing}"
        assert os.path.relpath(path, os.path.join(ROOT, "labs")) in index, f"labs/README.md does not link lab {n}"
