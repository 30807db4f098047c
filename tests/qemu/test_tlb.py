"""TLB shootdown for kernel mappings (arch/x86_64/tlb.c), in QEMU (TCG, thread=multi).

What each scenario must give, stated here and not read back from the kernel:

- `-m 4G` on QEMU's `pc` machine: RAM [1M, 3G) and [4G, 5G); `memhp_withhold=1G` keeps
  [4G, 5G) back (memory blocks 32..39) and hot-adds it after boot. It is the only memory in
  its GiB of the direct map, so removing it empties a page-directory page, which must be freed
  only after the flush (`tables_freed`).
- tlb_shootdown: 200 rounds of remove/re-add of [4G, 4G + 512M) in four layouts; every CPU
  but the boot CPU checks the round's stamps in the memmap and direct map of the range. QEMU
  keeps a software TLB per vCPU, so a CPU that was not flushed reads the last round's memmap
  place: any stale read fails the test. Each remove shoots down 4 vmemmap sections and the
  direct map, each add-undo nothing: 5 full flushes per removed range piece at least.
- tlb_flush_storm: all CPUs flush at once with interrupts off, partly under a lock the others
  spin on, while the boot CPU waits for the job with interrupts off: a deadlock hangs QEMU
  until the time limit; every flush must come back within seconds.
- tlb_iounmap: an ioremap of two pages is gone after iounmap, through a flush.
- With one CPU the SMP tests skip with a reason; QEMU still exits 33.
- From the shell: offline, `remove` and `add` of the same base in two layouts still work and
  leave the allocator's invariants intact; `tlb` shows the shootdowns and freed tables.
"""
import re

from qemu import boot

GIB = 1 << 30
TLB_TESTS = "selftest=tlb_shootdown,tlb_flush_storm,tlb_iounmap"


def _blocks(text):
    """Rows of `memory` for hot-added blocks: id -> (state, zones, vmemmap pages)."""
    rows = {}
    for m in re.finditer(r"^memory(\d+)\s+0x[0-9a-f]+\s+\[(0x[0-9a-f]+)-(0x[0-9a-f]+)\)\s+(\S+)\s+(.+?)\s+(\d+)\s+(\d+)\s+\d\s+hotplug\s*$",
                         text, re.M):
        rows[int(m.group(1))] = (m.group(4), m.group(5).strip(), int(m.group(7)))
    return rows


def check_tlb_selftests(ncpus, timeout):
    r = boot(f"-m 4G -smp {ncpus}", cmdline=f"memhp_withhold=1G {TLB_TESTS}", timeout=timeout)
    r.expect_status(33)
    assert r.event("smp_ready")["online"] == ncpus
    sd = r.event("tlb_shootdown")
    assert sd["ok"] is True, sd
    assert sd["rounds"] == 200 and sd["layouts"] == 4 and sd["readers"] == ncpus - 1, sd
    assert sd["bad_memmap"] == 0 and sd["bad_data"] == 0 and sd["bad_reader_rounds"] == 0, sd
    assert sd["checks"] > 0, sd
    # 200 removes of 4 sections' vmemmap plus the direct map, each a shootdown of > 33 pages.
    assert sd["shootdowns"] >= 200 * 5 and sd["full"] >= 200 * 5, sd
    # Each removal empties the page directory of [4G, 5G) in the direct map.
    assert sd["tables_freed"] >= 200, sd
    storm = r.event("tlb_flush_storm")
    assert storm["cpus"] == ncpus and storm["flushes"] == 200 * ncpus, storm
    assert storm["shootdowns"] == storm["flushes"], storm
    assert storm["max_flush_us"] < 5000000, storm
    io = r.event("tlb_iounmap")
    assert io["mapped_before"] == 8192 and io["mapped_after"] == 0 and io["flushes"] >= 1, io
    # The withheld range came back as it was: one add of 1 GiB, memmap on the memory itself.
    added = r.events_named("memory_added")[-1]
    assert added["base"] == 4 * GIB and added["size"] == GIB and added["memmap_on_memory"] is True, added
    return r


def test_shootdown_smp2():
    check_tlb_selftests(2, timeout=300)


def test_shootdown_smp4():
    check_tlb_selftests(4, timeout=420)


def test_one_cpu_skips():
    r = boot("-m 4G -smp 1", cmdline=f"memhp_withhold=1G {TLB_TESTS}", timeout=120)
    r.expect_status(33)
    cases = {e["name"]: e for e in r.events_named("selftest_case")}
    assert cases["tlb_shootdown"].get("skipped") is True, cases
    assert cases["tlb_flush_storm"].get("skipped") is True, cases
    assert cases["tlb_iounmap"]["ok"] is True and not cases["tlb_iounmap"].get("skipped"), cases
    assert "one CPU online" in r.output
    io = r.event("tlb_iounmap")
    assert io["mapped_after"] == 0, io


def test_shell_remove_add():
    offline = [f"offline {b}" for b in range(32, 40)]
    cmds = (["memory", "tlb"] + offline +
            ["remove 0x100000000 0x40000000", "tlb", "add 0x100000000 0x40000000 force", "memory"] + offline +
            ["remove 0x100000000 0x40000000",
             "add 0x100000000 0x20000000 force nomemmap", "add 0x120000000 0x20000000 force",
             "memory", "pagetypes --check", "selftest hotplug_pattern", "tlb"])
    r = boot("-m 4G -smp 2", cmdline="memhp_withhold=1G", commands=cmds, timeout=240)
    out = r.output
    parts = out.split("hotmm> ")
    first = _blocks(parts[1])
    assert sorted(first) == list(range(32, 40)), first
    assert all(v[0] == "online" and v[2] == 512 for v in first.values()), first

    def counts(text):
        m = re.search(r"flushes (\d+) \(full (\d+)\), shootdowns (\d+), page-table pages freed after a flush (\d+)",
                      text)
        assert m, text
        return [int(x) for x in m.groups()]

    before = counts(parts[2])
    after = counts(parts[12])
    assert after[2] >= before[2] + 9, (before, after)   # 8 vmemmap sections + the direct map
    assert after[3] >= before[3] + 1, (before, after)   # the direct map's page directory of [4G, 5G)
    again = _blocks(parts[14])
    assert sorted(again) == list(range(32, 40)) and all(v[0] == "online" and v[2] == 512
                                                        for v in again.values()), again
    last = _blocks(parts[26])
    assert sorted(last) == list(range(32, 40)), last
    assert all(last[b][0] == "online" and last[b][2] == 0 for b in range(32, 36)), last
    assert all(last[b][0] == "online" and last[b][2] == 512 for b in range(36, 40)), last
    assert "pagetypes: all invariants hold" in parts[27], parts[27]
    pat = r.event("hotplug_pattern")
    assert pat["ok"] is True and pat["pages"] == pat["expected"] == 4 * 32768 + 4 * (32768 - 512), pat
    removed = r.events_named("memory_removed")
    assert [(e["base"], e["size"]) for e in removed] == [(4 * GIB, GIB)] * 2, removed
