"""`make bench` itself: the harness runs once, QUICK, on the smallest configuration.

These check that both kernels produced results the harness could parse and
that the denominators are the ones the configuration must give, not how fast
anything was: numbers belong to the benchmark (bench/results.md).
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "bench"))
import bench  # noqa: E402  tools/bench/bench.py

GIB = 1 << 30
SECTION_PAGES = 32768


def _pc_e820(mem_gib):
    """System RAM of QEMU's `pc` machine with -m mem_gib (SeaBIOS e820, as Linux 6.1 reads it)."""
    low = min(mem_gib * GIB, 3 * GIB if mem_gib * GIB >= 0xE0000000 else mem_gib * GIB)
    ram = [(0, 0x9FC00), (0x100000, low - 0x20000)]
    if mem_gib * GIB > low:
        ram.append((4 * GIB, 4 * GIB + mem_gib * GIB - low))
    return ram


def test_linux_deferred_range_matches_defer_init():
    zones = [("DMA", 0x1000, 0x1000000), ("DMA32", 0x1000000, 4 * GIB)]
    normal = ("Normal", 4 * GIB, 1 << 40)
    # 4 GiB on pc: 3 GiB below the PCI hole, 1 GiB above 4 GiB; Linux defers
    # the Normal zone after its first 128 MiB section.
    got = bench.linux_deferred_pages(_pc_e820(4), zones + [normal], {0: (0x1000, 5 * GIB)})
    assert got == {0: (1 * GIB) // 4096 - SECTION_PAGES}, got
    # 16 GiB: 13 GiB above 4 GiB.
    got = bench.linux_deferred_pages(_pc_e820(16), zones + [normal], {0: (0x1000, 17 * GIB)})
    assert got == {0: (13 * GIB) // 4096 - SECTION_PAGES}, got
    # 2 GiB: no Normal zone, so DMA32 is deferred; 128 MiB of it from 16 MiB
    # ends at 144 MiB, not a section boundary, so deferral starts at 256 MiB.
    ram = _pc_e820(2)
    got = bench.linux_deferred_pages(ram, zones, {0: (0x1000, ram[-1][1])})
    assert got == {0: (ram[-1][1] - 256 * 2**20) // 4096}, got


def test_bench_quick_smallest():
    """QUICK harness run on the smallest scenario: both sides parse, denominators right."""
    sc = bench.SCENARIOS[0]
    assert sc["machine"] == ["-m", "4G", "-smp", "1"], sc["machine"]
    p = subprocess.run(["make", "-s", "bench-linux"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, f"make bench-linux failed:\n{p.stdout}{p.stderr}"
    with tempfile.TemporaryDirectory(prefix="hotmm-bench-") as out:
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools/bench/bench.py"), "--quick",
                            "--only", sc["name"], "--out", out],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
        log = p.stdout + p.stderr
        assert os.path.exists(os.path.join(out, "results.json")), f"bench.py wrote no results.json:\n{log[-4000:]}"
        with open(os.path.join(out, "results.json")) as f:
            res = json.load(f)
        assert p.returncode == 0, f"bench.py exit {p.returncode}:\n{log[-4000:]}"
        assert res["meta"]["runs"] == 1 and res["meta"]["quick"] is True, res["meta"]
        assert [s["name"] for s in res["scenarios"]] == [sc["name"]], res["scenarios"]
        rec = res["scenarios"][0]
        assert len(rec["runs"]) == 1 and rec["errors"] == [], rec["errors"]
        run = rec["runs"][0]
        h, lx = run["hotmm"], run["linux"]
        # Linux defers 1 GiB above 4 GiB minus its first section: 0.875 GiB exactly.
        assert lx["deferred_pages"] == GIB // 4096 - SECTION_PAGES, lx
        assert abs(lx["memmap_gib"] - 0.875) < 1e-9, lx
        # hotmm initializes, between its phases, every present page of a 4 GiB guest
        # (less the firmware's holes: at most 4 GiB, and more than 3.5).
        pages = h["early_pages"] + h["deferred_pages"]
        assert 3.5 * GIB // 4096 < pages <= 4 * GIB // 4096, h
        assert 0 < h["deferred_pages"] < pages, h
        assert h["present_pages"] >= h["managed_pages"] > 0, h
        for side in (h, lx):
            for key in ("memmap_ms_per_gib", "ram_allocatable_ms", "wall_marker_ms"):
                assert isinstance(side[key], (int, float)) and side[key] > 0, (key, side)
            # the kernel clock ends before the host sees the marker line
            assert side["ram_allocatable_ms"] < side["wall_marker_ms"], side
        assert h["store_rep_stosq_mb_s"] > 0 and h["store_plain_mb_s"] > 0, h
        # -smp 1: the all-CPU store floor ran on the one CPU there is
        assert h["store_all_threads"] == 1 and h["store_all_rep_stosq_ms_per_gib"] > 0, h
        assert set(run["ratio"]) >= {"memmap_ms_per_gib", "ram_allocatable_ms", "wall_marker_ms"}, run["ratio"]
        with open(os.path.join(out, "results.md")) as f:
            md = f.read()
        for want in (f"## {sc['name']}", "-m 4G -smp 1 -cdrom ", "-m 4G -smp 1 -kernel build/bench/vmlinuz"):
            assert want in md, f"results.md lacks {want!r}"
        if bench.chart_python():
            with open(os.path.join(out, "chart.png"), "rb") as f:
                assert f.read(8) == b"\x89PNG\r\n\x1a\n", "chart.png is not a PNG"


def test_bench_unknown_name_fails_loudly():
    """A typo in bench= is an error that names it, and bench_exit reports it (35), not a quiet pass."""
    from qemu import boot, EXIT_FAIL
    r = boot("-m 512M", cmdline="bench=store,nosuch bench_exit", timeout=120)
    r.expect_status(EXIT_FAIL)
    assert "no benchmark named 'nosuch'" in r.output, r.tail()
    done = r.event("bench_done")
    assert (done["ran"], done["failed"]) == (1, 1), done
    # the known one still ran, before the unknown one was reached
    st = r.event("bench_store")
    assert st["bytes"] >= 256 << 20 and st["plain_ns"] > 0 and st["rep_stosq_ns"] > 0, st


def test_bench_shell_lists_and_runs():
    from qemu import Machine, PROMPT
    with Machine("-m 512M", timeout=120) as m:
        m.wait_for(PROMPT)
        out = m.command("bench")
        assert "store" in out.split("benchmarks:", 1)[-1], out
        m.command("bench store", timeout=60)
        ev = [e for e in m.events() if e.get("event") in ("bench_store", "bench_done")]
        assert [e["event"] for e in ev] == ["bench_store", "bench_done"], ev
        assert ev[1]["failed"] == 0, ev


def test_dimm_metrics_from_both_reports():
    """The DIMM kind's arithmetic on made-up reports of an 8 GiB DIMM (no QEMU)."""
    assert bench.memmap_boot_mib_per_gib(8 * GIB, 0) == 16.0
    assert bench.memmap_boot_mib_per_gib(8 * GIB, 8 * GIB // 4096 * 64) == 0.0
    sc = next(s for s in bench.SCENARIOS if s["name"] == "dimm-8G")
    assert sc["dimms"] == [8 * GIB] and "memhp_default_state=offline" in sc["linux_append"], sc
    lines = ['@linux {"event":"dimm_online","how":"online_movable","blocks":64,"block_bytes":134217728,'
             '"memtotal_before_kB":917192,"memtotal_after_kB":9305800,"failed":""}',
             '@linux {"event":"dimm_offline","blocks":64,"memtotal_kB":917192,"failed":""}']
    for t, what in ((6.4, "online start"), (6.6, "online end"), (7.0, "offline start"), (7.4, "offline end")):
        lines.append(json.dumps({"event": "dmesg", "t": t, "msg": "hotmm_bench: " + what}).join(["@linux ", ""]))
    m = bench.linux_dimm_metrics(bench.Run([], [(0.0, x) for x in lines], 0, False), sc)
    assert abs(m["online_ms_per_gib"] - 25.0) < 1e-6 and abs(m["offline_ms_per_gib"] - 50.0) < 1e-6, m
    assert m["memmap_boot_mib_per_gib"] == 16.0 and m["blocks"] == 64, m
    base = 0x140000000
    hot = [{"event": "memhp_add", "slot": 0, "base": base, "size": 8 * GIB, "added": 8 * GIB, "took_ns": 80_000_000},
           {"event": "memory_added", "base": base, "size": 8 * GIB, "memmap_on_memory": True},
           {"event": "memhp_remove", "slot": 0, "ret": 0, "ejected": True, "took_ns": 160_000_000}]
    m = bench.hotmm_dimm_metrics(bench.Run([], [(0.0, "@hotmm " + json.dumps(e)) for e in hot], 33, False), sc)
    assert (m["online_ms_per_gib"], m["offline_ms_per_gib"], m["memmap_boot_mib_per_gib"]) == (10.0, 20.0, 0.0), m
    # a DIMM Linux did not find offline is an error, not a smaller denominator
    lines[0] = lines[0].replace('"blocks":64', '"blocks":63')
    try:
        bench.linux_dimm_metrics(bench.Run([], [(0.0, x) for x in lines], 0, False), sc)
    except bench.BenchError as e:
        assert "63 offline blocks" in str(e), e
    else:
        raise AssertionError("63 of 64 blocks accepted")


def test_plug_metrics_from_marks_and_events():
    """The runtime-plug kind times from the harness' own marks to the kernel's line and QEMU's event."""
    sc = next(s for s in bench.SCENARIOS if s["name"] == "dimm-2G-rt")
    assert sc["dimms"] == [2 * GIB] and "hotmm_bench_mib=2048" in sc["linux_append"], sc
    add = {"event": "memhp_add", "slot": 0, "base": 0x140000000, "size": 2 * GIB, "added": 2 * GIB,
           "runtime": True, "took_ns": 30_000_000}
    rm = {"event": "memhp_remove", "slot": 0, "ret": 0, "ejected": True, "took_ns": 40_000_000}
    def line(e):   # as the kernel prints it: no spaces
        return "@hotmm " + json.dumps(e, separators=(",", ":"))
    lines = [(1000.0, "hotmm> "), (1100.0, line(add)), (1300.0, line(rm))]
    marks = {"device_add": 1020.0, "device_del": 1150.0}
    qmp = [(1290.0, {"event": "DEVICE_DELETED", "data": {"device": "plugd"}})]
    m = bench.hotmm_plug_metrics(bench.Run([], lines, 33, False, marks, qmp), sc)
    assert (m["plug_ms"], m["unplug_ms"], m["plug_kernel_ms"], m["unplug_kernel_ms"]) == (80.0, 140.0, 30.0, 40.0), m
    # no DEVICE_DELETED: an error, not a figure
    try:
        bench.hotmm_plug_metrics(bench.Run([], lines, 33, False, marks, []), sc)
    except bench.BenchError as e:
        assert "DEVICE_DELETED" in str(e), e
    else:
        raise AssertionError("a plug run without DEVICE_DELETED was accepted")


def test_bench_store_all_two_cpus():
    """store_all stores on both CPUs of -smp 2, 256 MiB per CPU over a 64 MiB-per-CPU buffer."""
    from qemu import boot, EXIT_PASS
    r = boot("-m 512M -smp 2", cmdline="bench=store_all bench_exit", timeout=120)
    r.expect_status(EXIT_PASS)
    st = r.event("bench_store_all")
    assert (st["cpus"], st["threads"]) == (2, 2), st
    assert (st["buffer_bytes"], st["bytes"]) == (128 << 20, 512 << 20), st
    assert st["plain_ns"] > 0 and st["rep_stosq_ns"] > 0, st
