"""QEMU tests of boot RAM in memory blocks, and of kernelcore= / movablecore=.

Every 128 MiB block of the physical space with boot RAM in it must be listed
by `memory` (source "boot"), online in the zone its pages were initialized
in. Blocks that can go (no hole, not the early region, nothing unmovable in
them) go offline, online and away; the others refuse naming a pfn and its
type and stay as they were. After every step the present pages of each
node and zone must be exactly the RAM of the online blocks there, counted
here from the firmware map the kernel prints (`mmap`), and the kernel's own
accounting self-test and the page walker must agree.

kernelcore= / movablecore= are checked against Linux's arithmetic
(find_zone_movable_pfns_for_nodes), written again below, with ZONE_MOVABLE
starting on a block boundary as hotmm places it.
"""
import os
import re
import tempfile

import qemu
from qemu import Machine, parse_zoneinfo

PAGE = 4096
MIB = 1 << 20
BLOCK = 128 * MIB
BLOCK_PAGES = BLOCK // PAGE
MAX_ORDER_PAGES = 1024

TWO_NODES = ("-m 2G -smp 2 -object memory-backend-ram,id=r0,size=1G -object memory-backend-ram,id=r1,size=1G "
             "-numa node,nodeid=0,cpus=0,memdev=r0 -numa node,nodeid=1,cpus=1,memdev=r1")


# ---- reading the kernel's answers ----

def parse_blocks(text):
    """`memory` rows: id -> dict(state, zones, node, vmemmap, removable, source)."""
    out = {}
    for m in re.finditer(r"^memory(\d+)\s+\S+\s+\[(\S+)-(\S+)\)\s+(\S+)\s+(.+?)\s+(\d+)\s+(\d+)\s+([01])\s+(boot|hotplug)\s*$",
                         text, re.M):
        out[int(m.group(1))] = dict(state=m.group(4), zones=m.group(5).strip(), node=int(m.group(6)),
                                    vmemmap=int(m.group(7)), removable=m.group(8) == "1", source=m.group(9))
    return out


def usable_ranges(mmap_text):
    """Page-exact [start_pfn, end_pfn) of the firmware map's usable RAM."""
    out = []
    for m in re.finditer(r"\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] usable", mmap_text):
        s, e = int(m.group(1), 16), int(m.group(2), 16) + 1
        if (s + PAGE - 1) // PAGE < e // PAGE:
            out.append(((s + PAGE - 1) // PAGE, e // PAGE))
    return out


def block_ram(ranges, bid):
    bs, be = bid * BLOCK_PAGES, (bid + 1) * BLOCK_PAGES
    return sum(max(0, min(e, be) - max(s, bs)) for s, e in ranges)


class Boot:
    """One machine: the firmware map, and checks after each step."""

    def __init__(self, m):
        self.m = m
        self.ram = usable_ranges(m.command("mmap"))
        self.steps = 0

    def blocks(self):
        return parse_blocks(self.m.command("memory"))

    def check(self, what):
        """Present pages per (node, zone) == RAM of the online boot blocks (+ hot-added blocks);
        the accounting self-test and the walker agree. Returns the blocks."""
        self.steps += 1
        blocks = self.blocks()
        want = {}
        for bid, b in blocks.items():
            if b["state"] != "online":
                continue
            pages = block_ram(self.ram, bid) if b["source"] == "boot" else BLOCK_PAGES - b["vmemmap"]
            key = (b["node"], b["zones"])
            want[key] = want.get(key, 0) + pages
            if b["source"] == "hotplug":
                want[(b["node"], "Normal")] = want.get((b["node"], "Normal"), 0) + b["vmemmap"]
        zi = parse_zoneinfo(self.m.command("zoneinfo"))
        for (node, zone), z in zi.items():
            if zone == "Device":
                continue
            assert z["present"] == want.get((node, zone), 0), \
                f"{what}: node {node} {zone} present {z['present']}, online blocks give {want.get((node, zone), 0)}\n{blocks}"
        st = self.m.command("selftest meminfo_matches_memmap", timeout=120)
        assert '"name":"meminfo_matches_memmap","ok":true' in st, f"{what}:\n{st}"
        pt = self.m.command("pagetypes --check", timeout=120)
        assert "pagetypes: all invariants hold" in pt, f"{what}:\n{pt}"
        return blocks

    def refuse(self, bid, pattern):
        """offline bid is refused with a message matching pattern; nothing changes."""
        before = self.blocks()
        out = self.m.command(f"offline {bid}")
        assert re.search(pattern, out), f"offline {bid}: {out!r}, want /{pattern}/"
        assert self.blocks() == before, f"offline {bid} was refused but something changed"


def expected_boot_blocks(ram):
    ids = set()
    for s, e in ram:
        ids.update(range(s // BLOCK_PAGES, (e - 1) // BLOCK_PAGES + 1))
    return ids


# ---- Linux's find_zone_movable_pfns_for_nodes, for the expectations ----

def zone_movable_start(node_ranges, total, kernelcore=0, movablecore=0):
    """node_ranges: {nid: [(s, e)]} in pfns. Returns {nid: first movable pfn or 0}."""
    zmp = {n: 0 for n in node_ranges}
    if movablecore:
        movablecore = min(total, -(-movablecore // MAX_ORDER_PAGES) * MAX_ORDER_PAGES)
        kernelcore = max(kernelcore, total - movablecore)
    if not kernelcore or kernelcore >= total:
        return zmp
    usable = len(node_ranges)
    required = kernelcore
    while True:
        per_node = required // usable
        for nid in sorted(node_ranges):
            if required < per_node:
                per_node = required // usable
            remaining = per_node
            for s, e in node_ranges[nid]:
                s = max(s, zmp[nid])
                if s >= e:
                    continue
                size = min(e - s, remaining)
                zmp[nid] = s + size
                required -= min(required, size)
                remaining -= size
                if not remaining:
                    break
        usable -= 1
        if not (usable and required > usable):
            break
    for nid, ranges in node_ranges.items():
        end = max(e for _, e in ranges)
        zmp[nid] = -(-zmp[nid] // BLOCK_PAGES) * BLOCK_PAGES if zmp[nid] else 0
        if zmp[nid] >= end:
            zmp[nid] = 0
    return zmp


def check_zones(b, blocks, zmp):
    """Each boot block is in ZONE_MOVABLE exactly when it starts at or above its node's start."""
    for bid, blk in blocks.items():
        if blk["source"] != "boot" or blk["state"] != "online":
            continue
        z = zmp.get(blk["node"], 0)
        want = "Movable" if z and bid * BLOCK_PAGES >= z else "Normal"
        assert blk["zones"] == want, f"memory{bid} on node {blk['node']}: {blk['zones']}, want {want} (movable from pfn {z:#x})"


# ---- the tests ----

def test_boot_blocks_pc():
    """pc, 2 GiB: every boot block listed; the early region, a block with a hole and a block
    with page tables refuse, named; blocks with a hog's movable pages go offline (the pages
    migrate, intact), online in either zone, and away (memmap freed), then come back hot-added."""
    with Machine("-m 2G -smp 2", timeout=300) as m:
        m.wait_ready()
        b = Boot(m)
        blocks = b.check("boot")
        assert set(blocks) == expected_boot_blocks(b.ram) == set(range(16)), sorted(blocks)
        assert all(x["source"] == "boot" and x["state"] == "online" and x["zones"] == "Normal" and
                   x["node"] == 0 and x["vmemmap"] == 0 for x in blocks.values()), blocks
        # The early region (boot_mem= 256M: blocks 0, 1, with the kernel image in block 0).
        assert not blocks[0]["removable"] and not blocks[1]["removable"]
        b.refuse(0, r"offline memory block 0: pfn 0 \(Reserved\) lies in the early region")
        b.refuse(1, r"offline memory block 1: pfn 0x8000 \(\w+\) lies in the early region")
        # SeaBIOS keeps the last 128 KiB below 2 GiB: block 15 has a hole.
        b.refuse(15, r"offline memory block 15: pfn 0x7ffe0 \(NoMemory\) has no RAM of node 0 behind it")
        # The boot page tables were allocated top-down below 1 GiB: block 7 holds kernel data.
        assert not blocks[7]["removable"]
        b.refuse(7, r"offline memory block 7: pfn 0x[0-9a-f]+ is busy \((Reserved|PageTable|Slab|Allocated, unmovable)")
        b.check("after the refusals")

        # A hog of movable pages; its page tables are kernel data somewhere in ZONE_NORMAL.
        out = m.command("memhog 1G")
        assert '"event":"memhog_alloc"' in out, out
        blocks = b.blocks()
        can = [i for i in range(2, 15) if blocks[i]["removable"]]
        cannot = [i for i in range(2, 15) if not blocks[i]["removable"]]
        assert len(can) >= 6 and 7 in cannot, blocks
        for bid in cannot:
            b.refuse(bid, rf"offline memory block {bid}: pfn 0x[0-9a-f]+ is busy \((Reserved|PageTable|Slab|Allocated, unmovable)")
        gone = can[:4]
        for bid in gone:
            out = m.command(f"offline {bid}", timeout=120)
            assert "offline memory block" not in out, out
        blocks = b.check(f"blocks {gone} offline")
        assert all(blocks[i]["state"] == "offline" and blocks[i]["zones"] == "Normal Movable" for i in gone)
        assert int(re.search(r"pgmigrate_success\s+(\d+)", m.command("vmstat")).group(1)) > 0

        m.command(f"online {gone[0]} kernel")
        m.command(f"online {gone[1]} movable")
        blocks = b.check("one block back in Normal, one in Movable")
        assert blocks[gone[0]]["zones"] == "Normal" and blocks[gone[1]]["zones"] == "Movable", blocks

        # Away: boot RAM at block granularity; then the range is free to be hot-added again.
        online = m.command(f"remove {gone[1] * BLOCK:#x} {BLOCK:#x}")
        assert f"memory block {gone[1]} (boot RAM) is online; offline it first" in online, online
        for bid in gone[2:]:
            out = m.command(f"remove {bid * BLOCK:#x} {BLOCK:#x}")
            assert '"boot":true' in out, out
        blocks = b.check(f"blocks {gone[2:]} removed")
        assert not set(gone[2:]) & set(blocks) and len(blocks) == 14, sorted(blocks)
        for bid in gone[2:]:
            out = m.command(f"add {bid * BLOCK:#x} {BLOCK:#x} force")
            assert '"event":"memory_added"' in out, out
        blocks = b.check("hot-added again")
        assert all(blocks[i]["source"] == "hotplug" for i in gone[2:]), blocks
        out = m.command("memhog free", timeout=120)
        assert '"bad_words":0' in out, out
        st = m.command("selftest buddy_exhaust", timeout=240)
        assert '"name":"buddy_exhaust","ok":true' in st, st


def test_boot_blocks_q35():
    """q35, 3 GiB: RAM below 2 GiB and from 4 GiB; no blocks in the gap; a block above 4 GiB
    goes offline and away, the memmap of its section freed."""
    with Machine("-M q35 -m 3G -smp 2", timeout=240) as m:
        m.wait_ready()
        b = Boot(m)
        blocks = b.check("boot")
        assert set(blocks) == expected_boot_blocks(b.ram) == set(range(16)) | set(range(32, 40)), sorted(blocks)
        managed0 = int(re.search(r"MemTotal:\s+(\d+) kB", m.command("meminfo")).group(1))
        assert "offline memory block" not in m.command("offline 34")
        b.check("34 offline")
        out = m.command("remove 0x110000000 0x8000000")
        assert '"boot":true' in out, out
        blocks = b.check("34 removed")
        assert 34 not in blocks
        managed1 = int(re.search(r"MemTotal:\s+(\d+) kB", m.command("meminfo")).group(1))
        # The block's 128 MiB left; its section's 2 MiB memmap (boot Reserved pages) joined the buddy.
        assert managed1 == managed0 - 128 * 1024 + 2048, (managed0, managed1)


def test_kernelcore_one_node():
    """kernelcore=1G on one node: boot blocks from the block boundary after 1 GiB of kernel memory
    are ZONE_MOVABLE; one with movable pages goes offline and online again; the exhaust test holds."""
    with Machine("-m 2G -smp 2", cmdline="kernelcore=1G", timeout=300) as m:
        m.wait_ready()
        b = Boot(m)
        total = sum(e - s for s, e in b.ram)
        zmp = zone_movable_start({0: b.ram}, total, kernelcore=(1 << 30) // PAGE)
        assert zmp[0] == 0x48000, zmp
        blocks = b.check("boot")
        check_zones(b, blocks, zmp)
        out = m.command("memhog 512M")
        assert '"event":"memhog_alloc"' in out, out
        assert "offline memory block" not in m.command("offline 10", timeout=120)
        blocks = b.check("movable block 10 offline")
        assert blocks[10]["zones"] == "Movable Normal", blocks[10]
        m.command("online 10")
        blocks = b.check("online again")
        assert blocks[10]["zones"] == "Movable", blocks[10]
        m.command("memhog free", timeout=120)
        st = m.command("selftest buddy_exhaust", timeout=240)
        assert '"name":"buddy_exhaust","ok":true' in st, st
        zones = {k: (v["spanned"], v["present"]) for k, v in parse_zoneinfo(m.command("zoneinfo")).items()}
    # Deferred init single-threaded before SMP, and the early region at its smallest: the same zones.
    with Machine("-m 2G -smp 2", cmdline="kernelcore=1G deferred_init=off boot_mem=128M", timeout=300) as m:
        m.wait_ready()
        b = Boot(m)
        check_zones(b, b.check("deferred_init=off"), zmp)
        assert {k: (v["spanned"], v["present"]) for k, v in parse_zoneinfo(m.command("zoneinfo")).items()} == zones


def test_movablecore_two_nodes():
    """movablecore=50% over two 1 GiB nodes: each node's top half movable (Linux's spread); a
    movable block of node 1 goes offline and away; counts per node and zone exact throughout."""
    with Machine(TWO_NODES, cmdline="movablecore=50%", timeout=300) as m:
        m.wait_ready()
        b = Boot(m)
        blocks = b.check("boot")
        nodes = {}          # the firmware map's RAM cut per block, on the block's node
        for s, e in b.ram:
            while s < e:
                cut = min(e, (s // BLOCK_PAGES + 1) * BLOCK_PAGES)
                nodes.setdefault(blocks[s // BLOCK_PAGES]["node"], []).append((s, cut))
                s = cut
        assert set(nodes) == {0, 1}, nodes
        total = sum(e - s for s, e in b.ram)
        zmp = zone_movable_start(nodes, total, movablecore=total * 50 // 100)
        assert zmp[0] and zmp[1], zmp
        check_zones(b, blocks, zmp)
        movable1 = [i for i, x in blocks.items() if x["node"] == 1 and x["zones"] == "Movable" and x["removable"]]
        assert movable1, blocks
        bid = movable1[0]
        assert "offline memory block" not in m.command(f"offline {bid}", timeout=120)
        b.check(f"node 1 block {bid} offline")
        out = m.command(f"remove {bid * BLOCK:#x} {BLOCK:#x}")
        assert '"boot":true' in out, out
        blocks = b.check(f"node 1 block {bid} removed")
        assert bid not in blocks
        st = m.command("selftest buddy_exhaust", timeout=240)
        assert '"name":"buddy_exhaust","ok":true' in st, st


# ---- movable_node with a real server's SRAT (ACPI table override) ----

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "acpi")
SRAT_HOT_PLUGGABLE = 1 << 1


def srat_all_hot_pluggable(path):
    """The server's SRAT with every enabled memory range flagged hot-pluggable (checksum fixed).
    None of the captured servers flag boot RAM so; the kernel's node must lose the flag again."""
    t = bytearray(open(path, "rb").read())
    off = 48                                    # header (36) + reserved (12)
    while off + 2 <= len(t) and t[off + 1]:
        if t[off] == 1 and t[off + 1] >= 40:    # memory affinity
            flags = int.from_bytes(t[off + 28:off + 32], "little")
            if flags & 1:
                t[off + 28:off + 32] = (flags | SRAT_HOT_PLUGGABLE).to_bytes(4, "little")
        off += t[off + 1]
    t[9] = 0
    t[9] = -sum(t) & 0xff
    return bytes(t)


def test_movable_node_server_srat():
    """movable_node with the Dell PowerEdge R820's SRAT (given as an override module) on an 18 GiB
    pc: its first node [0, 17G) holds the kernel and stays Normal although flagged; its second
    node [17G, 33G) meets [17G, 19G) of QEMU's RAM, flagged hot-pluggable: all ZONE_MOVABLE, no
    ZONE_NORMAL, nothing of the kernel's in it (the walker finds no Reserved, PageTable or Slab
    page, every block removable); with a hog on it, every block goes offline (the hog migrates to
    the first node, intact) and the node's RAM is removed; counts exact throughout."""
    if not hasattr(qemu, "make_iso"):
        raise qemu.Skip("needs the ACPI table override (qemu.make_iso)")
    with tempfile.TemporaryDirectory() as tmp:
        srat = os.path.join(tmp, "srat.dat")
        with open(srat, "wb") as f:
            f.write(srat_all_hot_pluggable(os.path.join(FIXTURES, "real-Dell-PowerEdge-PowerEdge_R820", "srat.dat")))
        iso = qemu.make_iso([srat], tmp)
        with Machine("-m 18G -smp 2", cmdline="movable_node", timeout=400, iso=iso) as m:
            m.wait_ready()
            dmesg = m.command("dmesg")
            assert re.search(r"NUMA: node \d+ holds kernel memory: \[0x0-", dmesg), dmesg
            b = Boot(m)
            blocks = b.check("boot")
            kern = blocks[0]["node"]
            hot_first = (17 << 30) // BLOCK
            hot = sorted(i for i in blocks if i >= hot_first)
            assert hot == list(range(hot_first, (19 << 30) // BLOCK)), sorted(blocks)
            node = blocks[hot_first]["node"]
            assert node != kern and all(blocks[i]["node"] == node for i in hot), blocks
            assert all(x["zones"] == ("Movable" if i in hot else "Normal") for i, x in blocks.items()), blocks
            assert all(blocks[i]["removable"] for i in hot), blocks
            zi = parse_zoneinfo(m.command("zoneinfo"))
            assert zi[(node, "Normal")]["present"] == 0, zi
            assert zi[(node, "Movable")]["present"] == len(hot) * BLOCK_PAGES, zi
            pt = qemu.parse_pagetypes(m.command("pagetypes --check", timeout=120))
            for t in ("Reserved", "PageTable", "Slab", "VmemmapSel"):
                assert pt[(node, "Movable")][t] == 0, (t, pt)

            out = m.command(f"memhog 512M node={node}", timeout=120)
            assert f'"nodes":{{"{node}":131072}}' in out, out
            for i in hot:
                out = m.command(f"offline {i}", timeout=120)
                assert "offline memory block" not in out, out
            b.check("the hot-pluggable node offline")
            out = m.command(f"remove {hot_first * BLOCK:#x} {len(hot) * BLOCK:#x}", timeout=120)
            assert '"boot":true' in out, out
            blocks = b.check("the hot-pluggable node removed")
            assert not set(hot) & set(blocks)
            zi = parse_zoneinfo(m.command("zoneinfo"))
            assert zi[(node, "Movable")]["present"] == 0 and zi[(node, "Movable")]["spanned"] == 0, zi
            out = m.command("memhog free", timeout=120)
            assert '"bad_words":0' in out, out
