#!/usr/bin/env python3
"""DOC: mklab.py - cut a lab's functions out of the real sources

The labs' reference solution is the kernel itself. A function (or part of
one) that a lab asks students to write sits between two marker lines in the
real source:

    /* LAB 2 BEGIN __free_one_page */
    ...the kernel's code...
    /* LAB 2 END __free_one_page */

A marker is a comment on a line of its own, so the kernel built from the full
tree behaves the same. `mklab.py make N DIR` copies the tree to DIR with every
LAB N region replaced by a stub that compiles: by default
`panic("lab N: NAME is not written yet");`, or the code written after a
colon in the BEGIN marker (`/* LAB 5 BEGIN online_pages: return -ENOSYS; */`),
or nothing at all for `: -` (a whole helper the student writes too). Regions
of the other labs stay as they are, so lab N builds on finished labs 1..N-1.
The tree becomes a git repository whose first commit is the cut tree. The
kernel objects and host tests already built in this tree are copied along
with their times, so the lab tree rebuilds only what the cut files touch.

A cut file also gets three lines before its first #include: kernel/panic.h
for the stubs, and pragmas that keep -Werror quiet about static helpers and
variables only the cut code used (the student's code will use them again).

`mklab.py check` verifies every marker in the tree: BEGIN and END pair up with
the same lab and name, regions do not nest, names are unique within a lab,
the lab exists in tools/lab/labs.py and every lab there has at least one
region. Errors name the file and line. `make lab` runs the check first.
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import labs as labdefs  # noqa: E402

MARK_RE = re.compile(r"^(\s*)/\* LAB (\d+) (BEGIN|END) ([A-Za-z_][A-Za-z0-9_]*)(?::\s*(.*?))?\s*\*/\s*$")
ANY_MARK_RE = re.compile(r"/\*\s*LAB\s+\d+\s+(BEGIN|END)\b")
SOURCE_DIRS = ("boot", "arch", "mm", "drivers", "lib", "kernel")
SKIP_DIRS = {"build", ".git", "__pycache__"}


class MarkerError(Exception):
    pass


def source_files(root):
    for top in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for fn in sorted(filenames):
                if fn.endswith((".c", ".h", ".S")):
                    yield os.path.join(dirpath, fn)


def parse_regions(path, text):
    """[(lab, name, stub or None, indent, begin_line, end_line)], 0-based line numbers."""
    rel = os.path.relpath(path, ROOT)
    regions, open_ = [], None
    for i, line in enumerate(text.split("\n")):
        m = MARK_RE.match(line)
        if not m:
            if ANY_MARK_RE.search(line):
                raise MarkerError(f"{rel}:{i + 1}: malformed lab marker (want a line "
                                  f"'/* LAB N BEGIN name[: stub] */' or '/* LAB N END name */'): {line.strip()}")
            continue
        indent, lab, kind, name, stub = m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5)
        if kind == "BEGIN":
            if open_:
                raise MarkerError(f"{rel}:{i + 1}: LAB {lab} BEGIN {name} inside LAB {open_[0]} "
                                  f"{open_[1]} opened at line {open_[4] + 1} (regions do not nest)")
            open_ = (lab, name, stub, indent, i)
        else:
            if stub is not None:
                raise MarkerError(f"{rel}:{i + 1}: LAB {lab} END {name}: an END marker takes no stub")
            if not open_:
                raise MarkerError(f"{rel}:{i + 1}: LAB {lab} END {name} with no BEGIN before it")
            if (open_[0], open_[1]) != (lab, name):
                raise MarkerError(f"{rel}:{i + 1}: LAB {lab} END {name} closes LAB {open_[0]} "
                                  f"BEGIN {open_[1]} (line {open_[4] + 1})")
            regions.append(open_ + (i,))
            open_ = None
    if open_:
        raise MarkerError(f"{rel}:{open_[4] + 1}: LAB {open_[0]} BEGIN {open_[1]} is never closed")
    return regions


def check(root=ROOT):
    """All regions of the tree, {path: regions}; raises MarkerError naming what is wrong."""
    found, names = {}, {}
    for path in source_files(root):
        with open(path) as f:
            text = f.read()
        if "LAB " not in text:
            continue
        regions = parse_regions(path, text)
        if not regions:
            continue
        rel = os.path.relpath(path, root)
        for lab, name, stub, _, b, _ in regions:
            if lab not in labdefs.LABS:
                raise MarkerError(f"{rel}:{b + 1}: LAB {lab}: no such lab in tools/lab/labs.py")
            if (lab, name) in names:
                raise MarkerError(f"{rel}:{b + 1}: LAB {lab} region {name} appears twice "
                                  f"(also {names[(lab, name)]})")
            names[(lab, name)] = f"{rel}:{b + 1}"
        found[path] = regions
    for lab in labdefs.LABS:
        if not any(r[0] == lab for regs in found.values() for r in regs):
            raise MarkerError(f"lab {lab} ({labdefs.LABS[lab]['dir']}): no LAB {lab} region in the sources")
    return found


def stub_lines(lab, name, stub, indent):
    if stub == "-":
        return []
    body = stub if stub is not None else f'panic("lab {lab}: {name} is not written yet");'
    inner = indent if indent else "\t"
    return [f"{inner}/* LAB {lab}: write {name} here ({labdefs.LABS[lab]['dir']}/README.md) */",
            f"{inner}{body}"]


def cut(text, regions, lab):
    lines = text.split("\n")
    mine = [r for r in regions if r[0] == lab]
    for rlab, name, stub, indent, b, e in sorted(mine, key=lambda r: -r[4]):
        lines[b:e + 1] = stub_lines(lab, name, stub, indent)
    if mine:
        first = next((i for i, line in enumerate(lines) if line.startswith("#include")), 0)
        lines[first:first] = [
            f'#pragma GCC diagnostic ignored "-Wunused-function"\t/* lab {lab}: helpers of the cut code, */',
            f'#pragma GCC diagnostic ignored "-Wunused-variable"\t/* and its static variables */',
            f'#include "kernel/panic.h"\t/* lab {lab}: the stubs\' panic() */']
    return "\n".join(lines)


def make(lab, out, root=ROOT, quiet=False):
    if lab not in labdefs.LABS:
        raise MarkerError(f"LAB={lab}: no such lab (labs are {', '.join(map(str, sorted(labdefs.LABS)))})")
    regions = check(root)
    out = os.path.abspath(out)
    if os.path.commonpath([out, os.path.abspath(root)]) == os.path.abspath(root) and \
            not os.path.relpath(out, root).startswith("build" + os.sep):
        raise MarkerError(f"{out}: a lab tree goes under build/ or outside the source tree")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        rel = os.path.relpath(dirpath, root)
        os.makedirs(os.path.join(out, rel), exist_ok=True)
        for fn in filenames:
            if fn in SKIP_DIRS:
                continue    # a worktree's .git is a file naming the repository: not the lab's
            src = os.path.join(dirpath, fn)
            dst = os.path.join(out, rel, fn)
            if any(r[0] == lab for r in regions.get(src, ())):
                with open(src) as f:
                    text = f.read()
                with open(dst, "w") as f:
                    f.write(cut(text, regions[src], lab))
                shutil.copymode(src, dst)
            else:
                shutil.copy2(src, dst, follow_symlinks=False)
    # The built newlib and the tool checks are the same for every tree: share them.
    build = os.path.join(root, "build")
    os.makedirs(os.path.join(out, "build"), exist_ok=True)
    if os.path.isdir(os.path.join(build, "newlib")):
        os.symlink(os.path.join(os.path.abspath(build), "newlib"), os.path.join(out, "build", "newlib"))
    for stamp in (".deps-build", ".deps-test"):
        if os.path.exists(os.path.join(build, stamp)):
            open(os.path.join(out, "build", stamp), "w").close()
    # Objects and host tests already built here, with their times: make then
    # rebuilds only what depends on a cut file (written just now, so newer).
    for sub in ("kernel", "host"):
        if os.path.isdir(os.path.join(build, sub)):
            shutil.copytree(os.path.join(build, sub), os.path.join(out, "build", sub), symlinks=True)
    cut_files = sorted(os.path.relpath(p, root) for p, regs in regions.items() if any(r[0] == lab for r in regs))
    n = sum(1 for regs in regions.values() for r in regs if r[0] == lab)
    d = labdefs.LABS[lab]
    if quiet:
        return cut_files
    print(f"lab {lab} ({d['title']}): {n} regions cut in {', '.join(cut_files)}")
    print(f"  tree:  {out}")
    print(f"  text:  {d['dir']}/README.md")
    print(f"  check: make -C {os.path.relpath(out)} lab-check LAB={lab}")
    return cut_files


def git_start(lab, out):
    """The lab tree as a git repository whose first commit is the cut tree:
    `git diff` then shows the student's work. Skipped without git."""
    if not shutil.which("git"):
        return
    out = os.path.abspath(out)
    with open(os.path.join(out, ".gitignore"), "w") as f:
        f.write("build/\n__pycache__/\n")
    # Pinned to the lab tree's own repository, never the one around it.
    env = dict(os.environ, GIT_DIR=os.path.join(out, ".git"), GIT_WORK_TREE=out,
               GIT_AUTHOR_NAME="hotmm lab", GIT_AUTHOR_EMAIL="lab@hotmm",
               GIT_COMMITTER_NAME="hotmm lab", GIT_COMMITTER_EMAIL="lab@hotmm")
    if os.path.lexists(env["GIT_DIR"]):
        print(f"  (git: {env['GIT_DIR']} exists: no history for the lab tree)")
        return
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", f"lab {lab}: the start"]):
        if subprocess.run(["git"] + cmd, cwd=out, env=env, capture_output=True).returncode:
            print(f"  (git {cmd[0]} failed in {out}: no history for the lab tree)")
            return
    print("  git:   `git diff` in the tree shows your changes")


def main(argv):
    try:
        if argv[1:2] == ["check"] and len(argv) == 2:
            regions = check()
            for lab in sorted(labdefs.LABS):
                names = [r[1] for regs in regions.values() for r in regs if r[0] == lab]
                print(f"lab {lab}: {len(names)} regions: {', '.join(names)}")
            return 0
        if argv[1:2] == ["make"] and len(argv) == 4:
            make(int(argv[2]), argv[3])
            git_start(int(argv[2]), argv[3])
            return 0
        if argv[1:2] == ["files"] and len(argv) == 3:
            lab = int(argv[2])
            print(" ".join(sorted(os.path.relpath(p, ROOT) for p, regs in check().items()
                                  if any(r[0] == lab for r in regs))))
            return 0
    except (MarkerError, ValueError) as e:
        print(f"mklab: {e}", file=sys.stderr)
        return 1
    print("usage: mklab.py check | make N DIR | files N", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
