"""Page migration: offlining a hot-added block full of movable pages moves them out
(mm/migrate.c, mm/migrate_selftest.c). memhp_withhold=1G hot-adds eight 128 MiB
blocks after boot, online_movable; the self-test fills one with a test owner's
pages, offlines it, checks every word at the new places and pgmigrate_success,
and brings the block online again."""
import re

import qemu


def test_offline_migrates_a_full_block():
    r = qemu.boot("-m 2G -smp 2", cmdline="memhp_withhold=1G selftest=migrate_offline", timeout=240)
    r.expect_status(33)
    m = r.event("migrate_offline")
    # A 128 MiB block minus its 2 MiB self-hosted memmap.
    assert m["pages"] == 32768 - 512, m
    assert m["migrated"] == m["pages"] and m["pgmigrate_success"] == m["pages"], m
    assert m["bad"] == 0 and m["walker_violations"] == 0, m


def test_vmstat_command():
    r = qemu.boot("-m 512M -smp 2", commands=["vmstat"], timeout=120)
    out = r.output.split("hotmm> ")
    rows = re.findall(r"^([a-z_]+) (\d+)\s*$", out[1], re.M)
    assert [name for name, _ in rows] == ["pgmigrate_success", "pgmigrate_fail", "compact_isolated",
                                          "pgmigrate_pinned"], repr(out[1])
