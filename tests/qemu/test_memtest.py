"""The memory test and HWPoison seen from outside (mm/memtest.h, mm/memory_failure.h).

What each configuration must give, stated here and not read back from the kernel:

- memtest=1 memhp_memtest=1 with memtest_inject= naming words in the early region, in the
  deferred part of boot RAM (two words in one page) and in a coldplugged DIMM: exactly those
  pages (3) become HWPoison, one `hwpoison` report each, with the page's physical range,
  node 0, memory block (address / 128 MiB) and DIMM slot (0 for the DIMM, -1 for boot RAM);
  HardwareCorrupted is 12 kB; the walker's invariants hold. A later `memtest` on free memory
  finds nothing more (the poisoned pages are never handed out, so never tested again). The
  DIMM holding a poisoned page is still ejected on device_del, and HardwareCorrupted drops
  to the 8 kB left in boot RAM.
- memhp_memtest=movinv with an injected word in a DIMM plugged at runtime: the page is
  poisoned before the DIMM's memory is reported added (it never reaches the buddy).
- `memtest` on a running machine while the other CPU allocates and frees (dimmtest churn)
  and a movable memhog is held: the injected word, in free memory, is retired; the churn and
  the hog read back every word as written (zero bad words): nothing in use was touched.
- On q35 with a node that has a CPU and no boot memory, a DIMM there: its bad word is named
  node 1, slot 0 (boot RAM's node 0, no slot); `memtest node=1` tests that node alone;
  `hwpoison` of a free page in the DIMM names node 1; the DIMM is still ejected.
- `hwpoison PFN`: a free page is taken out (Recovered); the first page of a movable memhog is
  migrated, then poisoned, and the hog still verifies; the first page of a kernel memhog is
  reported (Ignored) and stays in use (-16).
"""
import re

from qemu import Machine
from test_dimm import GiB, MiB, check_walker, events_in, listed, mark, plug, ready, wait_event

BLOCK = 128 * MiB
MACHINE = ["-m", "512M,slots=4,maxmem=8G", "-smp", "2"]


def hardware_corrupted_kb(m):
    return int(re.search(r"HardwareCorrupted:\s+(\d+) kB", m.command("meminfo")).group(1))


def check_report(ev, phys, source, slot):
    page = phys & ~0xfff
    assert ev["phys_start"] == page and ev["phys_end"] == page + 4096 and ev["pages"] == 1, ev
    assert ev["source"] == source and ev["node"] == 0, ev
    assert ev["block"] == phys // BLOCK and ev["slot"] == slot, ev


def test_boot_memtest_retires_injected_words():
    early = 0x4000000 + 0x10            # 64 MiB: inside boot_mem's first 256 MiB
    deferred = [0x18000008, 0x18000ff8]  # 384 MiB: one page, two words
    dimm = 4 * GiB + 0x200000 + 0x40     # coldplugged DIMM at 4 GiB, past its 2 MiB memmap
    inject = ",".join(hex(a) for a in [early] + deferred + [dimm])
    args = MACHINE + ["-object", "memory-backend-ram,id=mem-d0,size=1G",
                      "-device", "pc-dimm,id=d0,memdev=mem-d0"]
    with Machine(args, cmdline=f"memtest=1 memhp_memtest=1 memtest_inject={inject}", timeout=240,
                 qmp=True) as m:
        ready(m)
        evs = events_in(m.buf, "hwpoison")
        by_page = {e["phys_start"]: e for e in evs}
        assert len(evs) == 3, evs
        check_report(by_page[early & ~0xfff], early, "memtest", -1)
        check_report(by_page[deferred[0] & ~0xfff], deferred[0], "memtest", -1)
        check_report(by_page[dimm & ~0xfff], dimm, "memhp_memtest", 0)
        # the DIMM's page was poisoned before its memory was reported added
        assert m.buf.find('"source":"memhp_memtest"') < m.buf.find('"event":"memory_added"')
        assert hardware_corrupted_kb(m) == 12
        check_walker(m)
        out = m.command("memtest 1", timeout=180)
        live = events_in(out, "memtest")[-1]
        assert live["bad_pages"] == 0 and live["bytes"] > 1 * GiB, live
        assert not events_in(out, "hwpoison"), out
        assert hardware_corrupted_kb(m) == 12
        # a DIMM with a poisoned page is offlined, removed and ejected
        mark(m)
        m.qmp("device_del", id="d0")
        m.qmp_wait_event("DEVICE_DELETED", timeout=120)
        rm = wait_event(m, "memhp_remove", slot=0)
        assert rm["ret"] == 0 and rm["ejected"], rm
        assert "d0" not in listed(m)
        assert hardware_corrupted_kb(m) == 8
        check_walker(m)


def test_memhp_memtest_on_runtime_plug():
    bad = 4 * GiB + 3 * BLOCK + 0x323458    # block 35, past its 2 MiB self-hosted memmap
    with Machine(MACHINE, cmdline=f"memhp_memtest=movinv memtest_inject={bad:#x}", timeout=240,
                 qmp=True) as m:
        ready(m)
        mark(m)
        plug(m, "hp0", 512 * MiB)
        add = wait_event(m, "memhp_add", runtime=True, timeout=180)
        assert add["slot"] == 0 and add["base"] == 4 * GiB, add
        after = m.buf[m.mark:]
        evs = events_in(after, "hwpoison")
        assert len(evs) == 1, evs
        check_report(evs[0], bad, "memhp_memtest", 0)
        assert after.find('"event":"hwpoison"') < after.find('"event":"memory_added"'), after
        assert hardware_corrupted_kb(m) == 4
        check_walker(m)
        mark(m)
        m.qmp("device_del", id="hp0")
        m.qmp_wait_event("DEVICE_DELETED", timeout=120)
        assert wait_event(m, "memhp_remove", slot=0)["ejected"]
        assert hardware_corrupted_kb(m) == 0
        check_walker(m)


def test_live_memtest_with_allocations():
    bad = 0x5000000 + 0x8   # 80 MiB: early boot RAM, free (allocations take the later-freed first)
    with Machine(["-m", "1G", "-smp", "2"], cmdline=f"memtest_inject={bad:#x}", timeout=300) as m:
        ready(m)
        hog = events_in(m.command("memhog 128M", timeout=120), "memhog_alloc")[-1]
        assert hog["pages"] == 32768, hog
        m.command("dimmtest churn start")
        out = m.command("memtest 2,addr", timeout=240)
        churn = events_in(m.command("dimmtest churn stop", timeout=60), "dimm_churn")[-1]
        assert churn["bad_words"] == 0 and churn["ops"] > 0, churn
        live = events_in(out, "memtest")[-1]
        assert live["bad_pages"] == 1 and live["passes"] == 3 and live["sweeps"] == 8 and live["threads"] >= 1, live
        evs = events_in(out, "hwpoison")
        assert len(evs) == 1, out
        check_report(evs[0], bad, "memtest", -1)
        freed = events_in(m.command("memhog free", timeout=120), "memhog_free")[-1]
        assert freed["bad_words"] == 0, freed
        assert hardware_corrupted_kb(m) == 4
        check_walker(m)


def hog_first_pfn(m, hog_id):
    out = m.command(f"memhog pin {hog_id}")
    pfn = int(re.search(r"first pfn (0x[0-9a-f]+)", out).group(1), 16)
    m.command(f"memhog unpin {hog_id}")
    return pfn


def test_hwpoison_free_movable_unmovable():
    with Machine(["-m", "1G", "-smp", "2"], timeout=240) as m:
        ready(m)
        out = m.command("hwpoison 0x4000")      # 64 MiB: free (nothing allocated yet there)
        assert "hwpoison 0x4000: HWPoison (0)" in out, out
        assert "recovery action for free buddy page: Recovered" in out, out
        ev = events_in(out, "hwpoison")[-1]
        assert ev["source"] == "memory_failure" and ev["phys_start"] == 0x4000000, ev

        mov = events_in(m.command("memhog 8M", timeout=60), "memhog_alloc")[-1]
        kern = events_in(m.command("memhog 8M kernel", timeout=60), "memhog_alloc")[-1]
        pfn = hog_first_pfn(m, mov["id"])
        out = m.command(f"hwpoison {pfn:#x}")
        assert "recovery action for movable page: Recovered" in out and "HWPoison (0)" in out, out
        pfn = hog_first_pfn(m, kern["id"])
        out = m.command(f"hwpoison {pfn:#x}")
        assert "recovery action for unmovable kernel page: Ignored" in out, out
        assert "in use, not taken out (-16)" in out, out
        assert hardware_corrupted_kb(m) == 8
        frees = events_in(m.command("memhog free", timeout=120), "memhog_free")
        assert len(frees) == 2 and all(f["bad_words"] == 0 for f in frees), frees
        out = m.command("hwpoison 0x4000")      # already: no change
        assert "HWPoison (0)" in out, out
        assert hardware_corrupted_kb(m) == 8
        check_walker(m)


def test_q35_dimm_on_cpu_only_node():
    """q35, node 1 with a CPU and no boot memory: its only memory is a coldplugged DIMM
    (ZONE_MOVABLE). A bad word there is named node 1, slot 0; one in boot RAM node 0, no slot.
    The shell memtest runs on node 1 alone; hwpoison of a free page there names node 1 too;
    the DIMM with its poisoned pages is ejected."""
    boot_word = 0x10000008                  # 256 MiB: node 0, deferred boot RAM
    dimm_word = 4 * GiB + 0x300040          # the DIMM, past its 2 MiB memmap
    args = ["-machine", "q35", "-m", "512M,slots=4,maxmem=8G", "-smp", "2",
            "-object", "memory-backend-ram,id=ram0,size=512M",
            "-numa", "node,nodeid=0,cpus=0,memdev=ram0", "-numa", "node,nodeid=1,cpus=1",
            "-object", "memory-backend-ram,id=mem-d1,size=512M", "-device", "pc-dimm,id=d1,memdev=mem-d1,node=1"]
    with Machine(args, cmdline=f"memtest=1 memhp_memtest=1 memtest_inject={boot_word:#x},{dimm_word:#x}",
                 timeout=240, qmp=True) as m:
        ready(m)
        add = events_in(m.buf, "memhp_add")[-1]
        assert add["base"] == 4 * GiB and add["nid"] == 1, add
        evs = sorted(events_in(m.buf, "hwpoison"), key=lambda e: e["phys_start"])
        assert len(evs) == 2, evs
        check_report(evs[0], boot_word, "memtest", -1)
        assert evs[1]["node"] == 1 and evs[1]["slot"] == 0 and evs[1]["block"] == 32, evs[1]
        assert evs[1]["phys_start"] == dimm_word & ~0xfff, evs[1]
        assert hardware_corrupted_kb(m) == 8
        live = events_in(m.command("memtest 1 node=1", timeout=180), "memtest")[-1]
        assert live["bad_pages"] == 0 and 0 < live["bytes"] <= 512 * MiB, live
        out = m.command(f"hwpoison {(4 * GiB + 400 * MiB) >> 12:#x}")
        ev = events_in(out, "hwpoison")[-1]
        assert ev["node"] == 1 and ev["slot"] == 0 and ev["block"] == 35, ev
        assert "free buddy page: Recovered" in out, out
        assert hardware_corrupted_kb(m) == 12
        check_walker(m)
        mark(m)
        m.qmp("device_del", id="d1")
        m.qmp_wait_event("DEVICE_DELETED", timeout=120)
        assert wait_event(m, "memhp_remove", slot=0)["ejected"]
        assert hardware_corrupted_kb(m) == 4
        check_walker(m)
