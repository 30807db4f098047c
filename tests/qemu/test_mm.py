"""QEMU tests of the physical memory core: page counts per node, the walker, boot_mem=.

Expected page counts are derived here from the QEMU configuration and
SeaBIOS's e820 map, which QEMU's pc machine gives as:
  - RAM 0 .. 0x9fc00 (639 KiB: 159 whole pages), then a hole up to 1 MiB;
  - RAM 1 MiB .. top of low memory minus 128 KiB (SeaBIOS keeps the last
    128 KiB of low RAM reserved in e820);
  - with 4 GiB or more, low memory is 3 GiB and the rest starts at 4 GiB.
Managed pages are present pages minus Reserved ones (kernel, memmap, page
tables, firmware); the memmap alone is 512 pages per present 128 MiB section,
so Reserved has a floor computed here, and a ceiling that allows 8 MiB for
the kernel image, boot data and page tables.
"""
import re

from qemu import boot, Machine, parse_pagetypes, parse_zoneinfo

PAGE = 4096
MIB = 1 << 20
SECTION = 128 * MIB
LOW_RAM_PAGES = 0x9fc00 // PAGE          # 159 pages below 640 KiB
SEABIOS_TOP_RESERVED = 128 * 1024        # end of low RAM kept by SeaBIOS
SLACK_PAGES = 8 * MIB // PAGE


def pc_ram_ranges(ram_mib):
    """[(start, end)) RAM ranges of QEMU's pc machine with SeaBIOS, in bytes."""
    ram = ram_mib * MIB
    low = ram if ram < 0xe0000000 else 0xc0000000
    ranges = [(0, 0x9fc00), (MIB, low - SEABIOS_TOP_RESERVED)]
    if ram > low:
        ranges.append((1 << 32, (1 << 32) + ram - low))
    return ranges


def pages(ranges):
    return sum(e // PAGE - (s + PAGE - 1) // PAGE for s, e in ranges)


def sections(ranges):
    secs = set()
    for s, e in ranges:
        secs.update(range(s // SECTION, (e - 1) // SECTION + 1))
    return len(secs)


def inspect(qemu_args, cmdline=""):
    """Boot to the shell, run the mm commands, return their parsed output."""
    with Machine(qemu_args, cmdline, timeout=240) as m:
        m.wait_ready()
        zi = m.command("zoneinfo")
        pt = m.command("pagetypes --check")
        mi = m.command("meminfo")
        bi = m.command("buddyinfo")
        events = m.events()
    return {"zoneinfo": parse_zoneinfo(zi), "pagetypes_text": pt, "pagetypes": parse_pagetypes(pt),
            "meminfo": mi, "buddyinfo": bi, "events": events}


def check_node(st, node, ranges):
    want_present = pages(ranges)
    z = st["zoneinfo"][(node, "Normal")]
    types = st["pagetypes"][(node, "Normal")]
    assert z["present"] == want_present, f"node {node}: present {z['present']}, want {want_present}"
    reserved = types["Reserved"]
    floor = sections(ranges) * 512
    assert floor <= reserved <= floor + LOW_RAM_PAGES + SLACK_PAGES, \
        f"node {node}: {reserved} Reserved pages, want {floor}..{floor + LOW_RAM_PAGES + SLACK_PAGES}"
    assert z["managed"] == want_present - reserved, \
        f"node {node}: managed {z['managed']} != present {want_present} - Reserved {reserved}"
    assert types["Buddy"] + types["Allocated"] + types["PageTable"] + types["Slab"] == z["managed"]
    assert types["Offline"] == 0
    movable = st["zoneinfo"][(node, "Movable")]
    assert movable["present"] == 0 and movable["managed"] == 0
    return z["managed"]


def check_clean(st):
    assert "all invariants hold" in st["pagetypes_text"], st["pagetypes_text"]
    assert "0 sections not initialized yet" in st["pagetypes_text"], st["pagetypes_text"]


def check_events(st, total_present, total_managed):
    ev = [e for e in st["events"] if e["event"] == "all_ram_allocatable"]
    assert len(ev) == 1, ev
    assert ev[0]["present_pages"] == total_present, ev[0]
    assert ev[0]["managed_pages"] == total_managed, ev[0]
    phases = [e for e in st["events"] if e["event"] == "memmap_init"]
    assert any(e["phase"] == "early" for e in phases) and any(e["phase"] == "deferred" for e in phases)
    # Every struct page of every present section is initialized exactly once.
    return sum(e["pages"] for e in phases)


def check_single_node(ram_mib, cmdline=""):
    ranges = pc_ram_ranges(ram_mib)
    st = inspect(f"-m {ram_mib}M", cmdline)
    check_clean(st)
    managed = check_node(st, 0, ranges)
    initialized = check_events(st, pages(ranges), managed)
    assert initialized == sections(ranges) * SECTION // PAGE, initialized
    memtotal = int(re.search(r"MemTotal:\s+(\d+) kB", st["meminfo"]).group(1))
    assert memtotal == managed * 4, (memtotal, managed)
    return st


def test_512m():
    st = check_single_node(512)
    # 130943 = 159 + (0x1ffe0 - 0x100): the numbers the host test also asserts.
    assert st["zoneinfo"][(0, "Normal")]["present"] == 130943


def test_1000m():
    st = check_single_node(1000)
    assert st["zoneinfo"][(0, "Normal")]["present"] == 159 + (1000 * 256 - 32 - 256)


def test_4g():
    st = check_single_node(4096)
    # 3 GiB low (minus the 640K-1M hole and SeaBIOS's 128 KiB), 1 GiB at 4 GiB.
    assert st["zoneinfo"][(0, "Normal")]["present"] == 159 + (0xbffe0 - 0x100) + 0x40000
    # 3 GiB..4 GiB has no RAM: 32 sections present, not 40.
    assert sum(e["pages"] for e in st["events"] if e["event"] == "memmap_init") == 32 * 32768


TWO_NODES = ("-m 512M -object memory-backend-ram,id=r0,size=256M -object memory-backend-ram,id=r1,size=256M "
             "-numa node,nodeid=0,cpus=0,memdev=r0 -numa node,nodeid=1,cpus=1,memdev=r1 -smp 2")


def test_two_nodes():
    st = inspect(TWO_NODES)
    check_clean(st)
    node0 = [(0, 0x9fc00), (MIB, 256 * MIB)]
    node1 = [(256 * MIB, 512 * MIB - SEABIOS_TOP_RESERVED)]
    m0 = check_node(st, 0, node0)
    m1 = check_node(st, 1, node1)
    assert st["zoneinfo"][(0, "Normal")]["present"] == 65439
    assert st["zoneinfo"][(1, "Normal")]["present"] == 65504
    check_events(st, pages(node0) + pages(node1), m0 + m1)
    deferred1 = [e for e in st["events"] if e["event"] == "memmap_init" and e["node"] == 1]
    assert deferred1 and deferred1[0]["pages"] == 2 * 32768, deferred1
    assert "Node 1, zone   Normal" in st["buddyinfo"], st["buddyinfo"]


def test_boot_mem_variants_same_state():
    base = inspect("-m 512M")
    for bm in ("128M", "256M", "384M", "512M", "2G"):
        st = inspect("-m 512M", f"boot_mem={bm}")
        check_clean(st)
        assert st["zoneinfo"][(0, "Normal")]["managed"] == base["zoneinfo"][(0, "Normal")]["managed"], bm
        assert st["zoneinfo"][(0, "Normal")]["present"] == base["zoneinfo"][(0, "Normal")]["present"], bm
        # Same pages per type; the pages free vs allocated may differ by what boot allocated.
        a, b = st["pagetypes"][(0, "Normal")], base["pagetypes"][(0, "Normal")]
        for t in ("NoMemory", "Reserved", "Offline"):
            assert a[t] == b[t], (bm, t, a, b)
    early = [e for e in st["events"] if e["event"] == "memmap_init" and e["phase"] == "early"]
    assert early[0]["pages"] == 4 * 32768, early   # 2G > the node: all of it is early


def test_selftest_512m():
    r = boot("-m 512M", cmdline="selftest", timeout=240)
    r.expect_status(33)
    names = {e["name"]: e["ok"] for e in r.events_named("selftest_case")}
    for t in ("buddy_exhaust", "meminfo_matches_memmap", "alloc_orders"):
        assert names.get(t) is True, names


def test_selftest_two_nodes():
    r = boot(TWO_NODES, cmdline="selftest=buddy_exhaust,meminfo_matches_memmap,alloc_orders", timeout=240)
    r.expect_status(33)


def test_bench_alloc():
    r = boot("-m 512M", cmdline="bench=alloc bench_exit", timeout=240)
    r.expect_status(33)
    e = r.event("bench_alloc")
    for k in ("order0_pcp_ns", "order0_pcp_cycles", "order0_miss_ns", "order0_miss_cycles",
              "order9_ns", "order9_cycles"):
        assert e[k] > 0, (k, e)
    # A miss refills a batch under the zone lock: it must cost more than a hit.
    assert e["order0_miss_cycles"] > e["order0_pcp_cycles"], e
