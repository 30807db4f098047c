"""Slab allocator scenarios: the in-kernel slab self-tests, slabinfo's layout, and newlib's own
malloc staying out of the image.

Objects per slab are what a 4 KiB slab holds once the in-use bitmap has its room: classes with
more than 64 objects per slab keep one bit per object (rounded to 8-byte words) at the slab's
end, so kmalloc-8 holds 504 (504 * 8 + 64 = 4096), kmalloc-16 254 (4064 + 32) and kmalloc-32
127 (4064 + 16). The other classes tile a page exactly or nearly (96: 42 in 4032 bytes, 192: 21).
A CONFIG_DEBUG_VM build adds an 8-byte red zone and rounds the stride up to the class's
alignment; it is recognized by kmalloc-8's stride of 16 and checked against its own table.
"""
import os
import re
import subprocess

from qemu import boot, Machine, PROMPT, ROOT

# name: (objsize, objperslab, pagesperslab)
RELEASE = {
    "kmalloc-8": (8, 504, 1), "kmalloc-16": (16, 254, 1), "kmalloc-32": (32, 127, 1),
    "kmalloc-64": (64, 64, 1), "kmalloc-96": (96, 42, 1), "kmalloc-128": (128, 32, 1),
    "kmalloc-192": (192, 21, 1), "kmalloc-256": (256, 16, 1), "kmalloc-512": (512, 8, 1),
    "kmalloc-1k": (1024, 4, 1), "kmalloc-2k": (2048, 2, 1), "kmalloc-4k": (4096, 1, 1),
}
DEBUG = {
    "kmalloc-8": (16, 254, 1), "kmalloc-16": (32, 127, 1), "kmalloc-32": (64, 64, 1),
    "kmalloc-64": (128, 32, 1), "kmalloc-96": (128, 32, 1), "kmalloc-128": (256, 16, 1),
    "kmalloc-192": (256, 16, 1), "kmalloc-256": (512, 8, 1), "kmalloc-512": (1024, 4, 1),
    "kmalloc-1k": (2048, 2, 1), "kmalloc-2k": (4096, 1, 1), "kmalloc-4k": (8192, 1, 2),
}
LINE_RE = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+) : tunables\s+0\s+0\s+0"
                     r" : slabdata\s+(\d+)\s+(\d+)\s+0\s*$", re.M)


def parse_slabinfo(out):
    assert "slabinfo - version: 2.1" in out, out
    assert "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>" in out, out
    caches = {}
    for m in LINE_RE.finditer(out):
        name, active, num, objsize, per, pages, aslabs, nslabs = m.groups()
        caches[name] = dict(active=int(active), num=int(num), objsize=int(objsize), per=int(per),
                            pages=int(pages), active_slabs=int(aslabs), num_slabs=int(nslabs))
    return caches


def test_slab_selftests():
    names = ["slab_mixed", "slab_newlib", "slab_walker", "slab_misuse"]
    r = boot("-m 512M", cmdline="selftest=" + ",".join(names), timeout=180)
    r.expect_status(33)
    cases = {e["name"]: e["ok"] for e in r.events_named("selftest_case")}
    assert cases == {n: True for n in names}, cases


def test_slabinfo_layout_and_meminfo():
    with Machine("-m 512M") as m:
        m.wait_for(PROMPT)
        m.command("slabinfo")  # its own buffer may take a slab: count from the second call
        meminfo = m.command("meminfo")
        out = m.command("slabinfo")
        ev = [e for e in m.events() if e.get("event") == "slabinfo"][-1]
        m.send("poweroff\n")
        m.wait_exit().expect_status(33)
    caches = parse_slabinfo(out)
    want = DEBUG if caches["kmalloc-8"]["objsize"] == 16 else RELEASE
    for name, (objsize, per, pages) in want.items():
        c = caches[name]
        assert (c["objsize"], c["per"], c["pages"]) == (objsize, per, pages), (name, c)
        assert c["num"] == c["num_slabs"] * per, (name, c)
        assert c["active"] <= c["num"], (name, c)
    assert "kmem_cache" in caches, out
    pages = sum(c["num_slabs"] * c["pages"] for c in caches.values())
    assert ev["slab_pages"] == pages and ev["caches"] == len(caches), (ev, pages)
    assert ev["errors"] == 0, ev
    slab_kb = int(re.search(r"^Slab:\s+(\d+) kB", meminfo, re.M).group(1))
    assert slab_kb == pages * 4, (slab_kb, pages, meminfo)


def test_newlib_malloc_not_linked():
    elf = os.path.join(ROOT, "build", "hotmm.elf")
    syms = subprocess.run(["nm", elf], capture_output=True, text=True, check=True).stdout
    defined = {line.split()[-1] for line in syms.splitlines() if len(line.split()) == 3}
    for sym in ("_malloc_r", "_free_r", "_realloc_r", "_calloc_r", "_memalign_r",
                "__malloc_lock", "__malloc_unlock", "kmalloc"):
        assert sym in defined, sym
    # dlmalloc's state (mallocr.o) and its heap growth must not be in the image.
    for sym in ("__malloc_av_", "__malloc_sbrk_base", "_sbrk_r"):
        assert sym not in defined, sym
