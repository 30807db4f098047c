"""Memory hotplug core on withheld boot RAM: memhp_withhold=SIZE keeps
whole blocks of boot RAM from the boot allocator and hot-adds them after SMP is up
through add_memory(), memmap on memory, online_movable by default.

Needs start_kernel to call memory_hotplug_early_init() (after acpi_boot_init) and
memory_hotplug_init() (after page_alloc_init_late)."""
import re

import qemu

MIB = 1 << 20


def _blocks(text):
    """Rows of `memory` for hot-added blocks: id -> (state, zones, vmemmap pages)."""
    rows = {}
    for m in re.finditer(r"^memory(\d+)\s+0x[0-9a-f]+\s+\[(0x[0-9a-f]+)-(0x[0-9a-f]+)\)\s+(\S+)\s+(.+?)\s+(\d+)\s+(\d+)\s+\d\s+hotplug\s*$",
                         text, re.M):
        rows[int(m.group(1))] = (m.group(4), m.group(5).strip(), int(m.group(7)), int(m.group(2), 16))
    return rows


def test_withheld_ram_added_online_and_allocatable():
    # 1 GiB guest: RAM [1M, 1G-128K); 512M withheld from the top in whole 128M blocks
    # is [384M, 896M) = blocks 3..6, each hosting its own 2 MiB memmap (512 pages).
    r = qemu.boot("-m 1G -smp 2", cmdline="memhp_withhold=512M selftest=hotplug_pattern", timeout=180)
    r.expect_status(33)
    added = r.event("memory_added")
    assert added["base"] == 384 * MIB and added["size"] == 512 * MIB, added
    assert added["memmap_on_memory"] is True and added["online"] == "online_movable", added
    pat = r.event("hotplug_pattern")
    assert pat["ok"] is True
    assert pat["pages"] == pat["expected"] == 4 * (32768 - 512), pat


def test_shell_blocks_offline_online_remove():
    cmds = ["memory", "offline 4", "memory", "pagetypes --check", "online 4 kernel", "memory",
            "remove 0x20000000 0x8000000", "offline 3", "offline 4", "offline 5", "offline 6",
            "remove 0x18000000 0x20000000", "memory", "pagetypes --check",
            "add 0x18000000 0x8000000", "add 0x18000000 0x8000000 force", "add 0x19000000 0x8000000 force",
            "memory", "pagetypes --check"]
    r = qemu.boot("-m 1G -smp 2", cmdline="memhp_withhold=512M", commands=cmds, timeout=180)
    out = r.output
    parts = out.split("hotmm> ")
    first = _blocks(parts[1])
    assert sorted(first) == [3, 4, 5, 6], first
    assert all(v[0] == "online" and v[1] == "Movable" and v[2] == 512 for v in first.values()), first
    after_off = _blocks(parts[3])
    # Its neighbours are movable, so "online" would pick Movable: listed first.
    assert after_off[4][0] == "offline" and after_off[4][1] == "Movable Normal", after_off
    assert "pagetypes: all invariants hold" in parts[4]
    back = _blocks(parts[6])
    assert back[4][0] == "online" and back[4][1] == "Normal", back
    assert "memory there was added as [0x18000000-0x38000000)" in out
    # Only boot RAM's blocks stay: [0, 384M) and the partial block [896M, 1G - 128K).
    assert "block size 128 MiB" in parts[13] and "4 blocks" in parts[13] and not _blocks(parts[13]), parts[13]
    assert "pagetypes: all invariants hold" in parts[14]
    # Re-adding: outside every SRAT window without force (no SRAT here), then forced; unaligned refused.
    assert "outside every SRAT hot-pluggable window" in parts[15]
    assert "base 0x19000000 size 0x8000000: both must be multiples of the memory block size 0x8000000" in out
    again = _blocks(parts[18])
    assert again[3][0] == "online" and again[3][2] == 512, again
    assert "pagetypes: all invariants hold" in parts[19]
    removed = r.events_named("memory_removed")
    assert removed and removed[0]["base"] == 384 * MIB and removed[0]["size"] == 512 * MIB, removed


def test_cycles_with_allocations_on_all_cpus():
    r = qemu.boot("-m 2G -smp 2", cmdline="memhp_withhold=1G selftest=hotplug_cycles", timeout=240)
    r.expect_status(33)
    c = r.event("hotplug_cycles")
    assert c["cpus"] == 2 and c["cycles"] == 40, c
    assert c["ok"] + c["busy"] == 40 and c["errors"] == 0, c
    # Every fourth cycle nobody allocates: then each (movable) block must go offline.
    assert c["quiet_ok"] == c["cycles"] // 4 and c["ok"] >= c["quiet_ok"], c
    assert c["churn_rounds"] > 0 and c["churn_errors"] == 0, c
    assert c["walker_violations"] == 0, c


def test_memory_block_size_1g():
    # -m 4G on pc: RAM [1M, 3G) and [4G, 5G); 1G blocks: [4G, 5G) is withheld as block 4,
    # hosting 16 MiB of memmap (4096 pages).
    cmds = ["memory", "offline 4", "online 4 movable", "pagetypes --check"]
    r = qemu.boot("-m 4G -smp 2", cmdline="memory_block_size=1G memhp_withhold=1G", commands=cmds, timeout=240)
    rows = _blocks(r.output.split("hotmm> ")[1])
    assert list(rows) == [4], rows
    assert rows[4][0] == "online" and rows[4][2] == 4096 and rows[4][3] == 4 << 30, rows
    assert "block size 1024 MiB" in r.output
    assert "pagetypes: all invariants hold" in r.output.split("hotmm> ")[4]
    assert "busy" not in r.output.split("hotmm> ")[2]


def test_hotplug_lock_contended():
    # Another CPU asks to offline a block while the boot CPU onlines the range: it must
    # work on the holder's jobs while it waits and then succeed; asking with interrupts
    # off (an IPI) is refused at once with -EBUSY, asking again from the holder's own
    # notifier with -EDEADLK (newlib's errno values: 16 and 45).
    r = qemu.boot("-m 1G -smp 2", cmdline="memhp_withhold=512M selftest=hotplug_lock_contended", timeout=180)
    r.expect_status(33)
    e = r.event("hotplug_lock_contended")
    assert e["waits"] >= 1 and e["helped_jobs"] >= 1, e
    assert e["waiter_ret"] == 0 and e["waiter_cpu"] != 0, e
    assert e["irqoff_ret"] == -16 and e["reentry_ret"] == -45, e
