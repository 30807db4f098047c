"""Deferred init on all CPUs: every boot page accounted whatever the mode,
the CPU count or the node layout, and the allocator's takeover path really taken.

Reuses test_mm's expectations (pages per node derived from the QEMU configuration)."""
from qemu import boot
from test_mm import (inspect, check_clean, check_node, check_events, pc_ram_ranges, pages,
                     sections, SECTION, PAGE, TWO_NODES)


def deferred_events(st):
    return [e for e in st["events"] if e["event"] == "memmap_init" and e["phase"] == "deferred"]


def check_4g(smp, mode):
    ranges = pc_ram_ranges(4096)
    st = inspect(f"-m 4G -smp {smp}", f"deferred_init={mode}")
    check_clean(st)
    managed = check_node(st, 0, ranges)
    initialized = check_events(st, pages(ranges), managed)
    assert initialized == sections(ranges) * SECTION // PAGE, initialized
    ev = deferred_events(st)
    assert len(ev) == 1, ev
    if mode == "off":
        assert ev[0]["threads"] == 1, ev
    else:
        # Every CPU may join; the boot CPU joins from the shell's idle loop (background).
        assert 1 <= ev[0]["threads"] <= smp + 1, ev
    return st


def same_final_state(a, b, what):
    for key in ("present", "spanned"):
        assert a["zoneinfo"][(0, "Normal")][key] == b["zoneinfo"][(0, "Normal")][key], (what, key)
    pa, pb = a["pagetypes"][(0, "Normal")], b["pagetypes"][(0, "Normal")]
    for t in ("NoMemory", "Reserved", "Offline", "Uninit"):
        if t in pa or t in pb:
            assert pa.get(t) == pb.get(t), (what, t, pa, pb)


def test_modes_same_state_smp2():
    base = check_4g(2, "off")
    for mode in ("sync", "background"):
        same_final_state(check_4g(2, mode), base, mode)


def test_smp1_background():
    check_4g(1, "background")


def test_smp4_background():
    st = check_4g(4, "background")
    assert deferred_events(st)[0]["threads"] >= 2, deferred_events(st)


def test_two_nodes_each_node_deferred():
    st = inspect(TWO_NODES, "deferred_init=sync")
    check_clean(st)
    node0 = [(0, 0x9fc00), (1 << 20, 256 << 20)]
    node1 = [(256 << 20, (512 << 20) - 128 * 1024)]
    m0, m1 = check_node(st, 0, node0), check_node(st, 1, node1)
    check_events(st, pages(node0) + pages(node1), m0 + m1)
    by_node = {e["node"]: e for e in deferred_events(st)}
    # The early region is node 0's first 256 MiB: all of node 0; node 1 is deferred.
    assert set(by_node) == {1}, by_node
    assert by_node[1]["pages"] == 2 * 32768, by_node


def test_allocation_takes_over_deferred_chunks():
    # Helpers are held back: the allocation storm must initialize chunks itself.
    r = boot("-m 2G -smp 2", cmdline="deferred_init=background deferred_init_hold selftest=deferred_takeover",
             timeout=240)
    r.expect_status(33)
    ev = [e for e in r.events_named("memmap_init") if e["phase"] == "deferred"]
    assert ev and ev[0]["takeovers"] >= 1, ev
    assert r.event("selftest")["passed"] == 1, r.event("selftest")
