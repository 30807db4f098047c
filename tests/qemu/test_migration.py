"""Page migration seen from outside: offline and eject of memory that is in use (mm/migrate.h).

What each configuration must give, stated here and not read back from the kernel:

- With memhp_withhold=1G and 128 MiB blocks, the top 1 GiB of boot RAM comes back as 8
  hot-added blocks, online movable, each with 32768 - 512 allocatable pages (its memmap is on
  the block). A movable memhog of 3/4 of those pages is placed there (movable requests try
  ZONE_MOVABLE first) and leaves the rest of boot RAM free as a place to move to, so every one
  of the 1000 offline/online cycles of a random block must succeed, whatever the hog or the
  allocating CPU hold in it at that moment: their pages migrate. Every word of the hog and of
  the allocating CPU's memory must read back as written (zero bad words), and pgmigrate_success
  must have grown.
- A page pinned (pin_page) never moves: offline of its block is refused (-EBUSY), the block
  stays online in its zone, and the hog still verifies.
- A runtime DIMM (online_movable by default) 90% full of a movable memhog is ejected on
  device_del (QEMU's DEVICE_DELETED); pgmigrate_success grows by at least the hog pages that
  were on it, and the hog verifies.
- A DIMM onlined to the kernel zone (memhp_default_state=online_kernel) is ejected too when it
  holds only movable pages. Those are `dimmtest hold` pages (drivers/acpi/dimmtest.c), kept
  inside the DIMM: a memhog would not do, because the movable heap's page tables are kernel
  pages and with -m 2G the DIMM is the node's only ZONE_NORMAL, where they would land.
- With one pinned page on the DIMM the eject is refused with _OST status 0x82 (QEMU's
  ACPI_DEVICE_OST, source 3), the DIMM stays, and nothing is lost; unpinned, it goes.
"""
import os
import re

from qemu import Machine
from test_dimm import (GiB, MiB, PAGES_PER_BLOCK_ONLINE, check_walker, events_in, expected_pages, listed,
                       mark, plug, ready, wait_event)

# MIGTEST_CYCLES=N runs fewer cycles while developing; the test's statement is about 1000.
# Each cycle moves about 3/4 of a block (~24000 pages): at ~15 us a page under TCG with the
# other CPU churning, the 1000 take about 6 minutes (the test's timeouts allow 9).
CYCLES = int(os.environ.get("MIGTEST_CYCLES") or 1000)
WITHHOLD = 1 * GiB
BLOCK = 128 * MiB


def vmstat(m):
    out = m.command("vmstat")
    counters = dict((k, int(v)) for k, v in re.findall(r"^(\w+) (\d+)\s*$", out, re.M))
    assert "pgmigrate_success" in counters and "pgmigrate_fail" in counters, out
    return counters


def memhog(m, size_bytes, *words):
    out = m.command(f"memhog {size_bytes // 1024}K " + " ".join(words), timeout=300)
    ev = events_in(out, "memhog_alloc")
    assert ev, out
    ev = ev[-1]
    assert ev["bytes"] == size_bytes and ev["pages"] == size_bytes // 4096, ev
    assert sum(ev["nodes"].values()) == ev["pages"], ev
    return ev


def memhog_free_all(m, expect_ids):
    out = m.command("memhog free", timeout=300)
    frees = events_in(out, "memhog_free")
    assert sorted(f["id"] for f in frees) == sorted(expect_ids), out
    for f in frees:
        assert f["bad_words"] == 0, f
    return frees


def block_line(m, block):
    return re.search(rf"^memory{block}\s.*$", m.command("memory"), re.M)


def test_offline_cycles_with_migration():
    nblocks = WITHHOLD // BLOCK
    hot_pages = nblocks * PAGES_PER_BLOCK_ONLINE
    hog_pages = hot_pages * 3 // 4
    # Generous limits: they are there to catch a hang, and TCG on a shared host is slow.
    with Machine(["-m", "2G", "-smp", "2"], cmdline=f"memhp_withhold={WITHHOLD >> 20}M", timeout=1800) as m:
        ready(m)
        added = events_in(m.buf, "memhp_withheld_added")[-1]
        assert added["blocks"] == nblocks and added["block_size"] == BLOCK, added
        hot = re.findall(r"^memory(\d+)\s.*online\s+Movable", m.command("memory"), re.M)
        assert len(hot) == nblocks, hot
        before = vmstat(m)
        hog = memhog(m, hog_pages * 4096)
        # most of the hot-added blocks really are full of it (this is what the cycles must move)
        assert hog["hotadded_pages"] >= hog_pages * 9 // 10, hog

        out = m.command(f"migtest cycles {CYCLES}", timeout=1500)
        cyc = events_in(out, "migtest_cycles")[-1]
        assert cyc["cycles"] == CYCLES and cyc["ok"] == CYCLES and cyc["failed"] == 0, cyc
        assert cyc["blocks"] == nblocks and cyc["cpus"] == 2, cyc
        assert cyc["churn_rounds"] > 0 and cyc["churn_bad_words"] == 0, cyc
        assert cyc["migrated"] > 0, cyc
        after = vmstat(m)
        assert after["pgmigrate_success"] - before["pgmigrate_success"] >= cyc["migrated"], (before, after)
        check_walker(m)

        # a pinned page keeps its block: the small hog lands in a hot-added block (movable first)
        small = memhog(m, 64 * 1024)
        assert small["hotadded_pages"] == 16, small
        pin = events_in(m.command(f"memhog pin {small['id']}"), "memhog_pin")[-1]
        assert pin["pages"] == 16, pin
        block = pin["first_block"]
        assert str(block) in hot, (block, hot)
        line = block_line(m, block)
        assert line and re.search(r"online\s+Movable", line.group(0)), line
        fails0 = vmstat(m)
        out = m.command(f"offline {block}", timeout=120)
        assert "pinned" in out, out
        line = block_line(m, block)
        assert line and re.search(r"online\s+Movable", line.group(0)), (block, line)
        assert vmstat(m)["pgmigrate_pinned"] > fails0["pgmigrate_pinned"]
        memhog_free_all(m, [hog["id"], small["id"]])
        # with the pin gone the same block goes
        m.command(f"offline {block}", timeout=120)
        line = block_line(m, block)
        assert line and re.search(r"offline", line.group(0)), (block, line)
        check_walker(m)


def eject(m, name, slot):
    mark(m)
    m.qmp("device_del", id=name)
    ev = m.qmp_wait_event("DEVICE_DELETED", timeout=300)
    assert ev["data"]["device"] == name, ev
    rm = wait_event(m, "memhp_remove", slot=slot)
    assert rm["ret"] == 0 and rm["ejected"] is True, rm
    assert name not in listed(m)


def test_eject_full_movable_dimm():
    dimm_pages = expected_pages(1 * GiB)
    hog_pages = dimm_pages * 9 // 10
    with Machine(["-m", "2G,slots=4,maxmem=8G", "-smp", "2"], timeout=600, qmp=True) as m:
        ready(m)
        mark(m)
        plug(m, "full", 1 * GiB)
        add = wait_event(m, "memhp_add", runtime=True)
        assert add["added"] == 1 * GiB, add
        out = m.command("memory")
        assert len(re.findall(r"^memory(3[2-9])\s.*online\s+Movable", out, re.M)) == 8, out
        before = vmstat(m)
        hog = memhog(m, hog_pages * 4096)
        # the DIMM is the node's ZONE_MOVABLE, where a movable hog goes first: 90% full
        on_dimm = hog["hotadded_pages"]
        assert on_dimm >= dimm_pages * 85 // 100, (hog, dimm_pages)
        eject(m, "full", add["slot"])
        after = vmstat(m)
        assert after["pgmigrate_success"] - before["pgmigrate_success"] >= on_dimm, (before, after, on_dimm)
        memhog_free_all(m, [hog["id"]])
        check_walker(m)


def test_eject_kernel_zone_dimm_movable_pages():
    held = 8192
    with Machine(["-m", "2G,slots=4,maxmem=8G", "-smp", "2"], cmdline="memhp_default_state=online_kernel",
                 timeout=600, qmp=True) as m:
        ready(m)
        mark(m)
        plug(m, "kz", 1 * GiB)
        add = wait_event(m, "memhp_add", runtime=True)
        out = m.command("memory")
        assert len(re.findall(r"^memory(3[2-9])\s.*online\s+Normal", out, re.M)) == 8, out
        before = vmstat(m)
        hold = events_in(m.command(f"dimmtest hold {add['slot']} {held}", timeout=120), "dimm_hold")[-1]
        assert hold["held"] == held and hold["kind"] == "movable", hold
        eject(m, "kz", add["slot"])
        after = vmstat(m)
        assert after["pgmigrate_success"] - before["pgmigrate_success"] >= held, (before, after)
        rel = events_in(m.command("dimmtest release"), "dimm_release")[-1]
        # every page moved out of the DIMM (it is gone) and still holds its pattern
        assert rel["released"] == held and rel["in_dimms"] == 0 and rel["bad_words"] == 0, rel
        check_walker(m)


def test_eject_refused_with_pinned_page():
    dimm_pages = expected_pages(1 * GiB)
    with Machine(["-m", "2G,slots=4,maxmem=8G", "-smp", "2"], timeout=600, qmp=True) as m:
        ready(m)
        mark(m)
        plug(m, "pinned", 1 * GiB)
        add = wait_event(m, "memhp_add", runtime=True)
        small = memhog(m, 4096)
        assert small["hotadded_pages"] == 1, small      # in the DIMM: the only ZONE_MOVABLE
        hog = memhog(m, dimm_pages // 2 * 4096)
        pin = events_in(m.command(f"memhog pin {small['id']}"), "memhog_pin")[-1]
        assert pin["pages"] == 1 and 32 <= pin["first_block"] < 40, pin
        total = re.search(r"MemTotal:\s+(\d+) kB", m.command("meminfo")).group(1)

        mark(m)
        m.qmp("device_del", id="pinned")
        ost = m.qmp_wait_event("ACPI_DEVICE_OST", timeout=300)["data"]["info"]
        while ost["source"] != 3:    # an insert's _OST(1, 0) may come first
            ost = m.qmp_wait_event("ACPI_DEVICE_OST", timeout=300)["data"]["info"]
        assert ost["status"] == 0x82 and ost["device"] == "pinned" and ost["slot"] == str(add["slot"]), ost
        rm = wait_event(m, "memhp_remove", slot=add["slot"])
        assert rm["ret"] == -16 and rm["ejected"] is False, rm
        assert "pinned" in listed(m)
        out = m.command("memory")
        assert len(re.findall(r"^memory(3[2-9])\s.*online\s+Movable", out, re.M)) == 8, out
        assert re.search(r"MemTotal:\s+(\d+) kB", m.command("meminfo")).group(1) == total
        # nothing lost: the pinned page and the hog (some of it may have moved and come back) verify
        memhog_free_all(m, [small["id"], hog["id"]])
        check_walker(m)
        eject(m, "pinned", add["slot"])


def test_bench_migrate_metrics_from_both_reports():
    """The benchmark's migrate kind (tools/bench/bench.py) on made-up reports of its 2 GiB DIMM (no QEMU)."""
    import json
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "bench"))
    import bench
    sc = next(s for s in bench.SCENARIOS if s["name"] == "migrate-2G")
    assert sc["dimms"] == [2 * GiB] and "hotmm_bench=migrate" in sc["linux_append"], sc
    # hotmm fills 90% of the DIMM's allocatable pages (memmap on the DIMM), in KiB
    assert f"memhog {16 * PAGES_PER_BLOCK_ONLINE * 90 // 100 * 4}K\n" == sc["hotmm_script"][0][1], sc
    assert sc["hotmm_script"][1][1] == "migtest offline 32 16\n", sc
    hot = [{"event": "memhog_alloc", "id": 1, "pages": 464486, "hotadded_pages": 464000},
           {"event": "migtest_offline", "blocks": 16, "failed": 0, "migrated": 464000, "took_ns": 4_000_000_000},
           {"event": "memhog_free", "id": 1, "bad_words": 0},
           {"event": "migtest_throughput", "pages": 131072, "moved": 131072, "failed": 0, "cpus": 1,
            "took_ns": 1_000_000_000},
           {"event": "migtest_throughput", "pages": 131072, "moved": 131072, "failed": 0, "cpus": 2,
            "took_ns": 500_000_000},
           {"event": "memhog_free", "id": 2, "bad_words": 0}]

    def run(events, status=33):
        return bench.Run([], [(0.0, "@hotmm " + json.dumps(e)) for e in events], status, False, anon_huge_kb=2048)
    m = bench.hotmm_migrate_metrics(run(hot), sc)
    assert m["offline_ms_per_gib"] == 2000.0 and m["migrated_pages"] == 464000, m
    assert abs(m["tp1_gib_s"] - 0.5) < 1e-9 and abs(m["tpall_gib_s"] - 1.0) < 1e-9, m
    assert abs(m["tp1_ns_per_page"] - 1e9 / 131072) < 1e-6, m
    # a block that stayed online or a bad word is an error, not a number
    for i, field, value in ((1, "failed", 1), (2, "bad_words", 3)):
        bad = [dict(e) for e in hot]
        bad[i][field] = value
        try:
            bench.hotmm_migrate_metrics(run(bad), sc)
        except bench.BenchError:
            pass
        else:
            raise AssertionError(f"{field}={value} accepted")
    lx = {"event": "migrate_offline", "ns": 8_000_000_000, "blocks": 16, "block_bytes": 128 * MiB,
          "fill_bytes": 1 << 30, "movable_managed_pages": 524288, "movable_filled_pages": 471859,
          "migrated": 471859, "bad_words": 0, "online_failed": 0, "failed": ""}
    m = bench.linux_migrate_metrics(bench.Run([], [(0.0, "@linux " + json.dumps(lx))], 0, False), sc)
    assert m["offline_ms_per_gib"] == 4000.0 and m["filled_on_dimm_pages"] == 471859, m
    lx["failed"] = "memory40"
    try:
        bench.linux_migrate_metrics(bench.Run([], [(0.0, "@linux " + json.dumps(lx))], 0, False), sc)
    except bench.BenchError as e:
        assert "memory40" in str(e), e
    else:
        raise AssertionError("a block that stayed online accepted")
