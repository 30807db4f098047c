"""A matrix of machine layouts: every self-test and invariant must hold on each of them.

Each test boots one QEMU configuration (pc or q35; 1 to 4 NUMA nodes, some without memory,
some without CPUs; DIMMs of 128 MiB to 3 GiB on every kind of node, coldplugged and plugged over
QMP at run time; movable and kernel zones; boot RAM withheld and hot-added) and checks, in that
one boot: every DIMM added on its node, the memory blocks, present/managed pages per node and
zone, MemTotal, `pagetypes --check`, and the in-kernel `selftest` (every test, from the shell,
after the runtime plugs); one layout then unplugs every DIMM of a node and checks again. What each layout must give is computed here from the configuration,
never read back from the kernel:

- Boot RAM: QEMU lays the -numa memdev backends out from address 0 in node order (all below
  2 GiB here, so below both machines' PCI holes). SeaBIOS's e820 map makes usable
  [0, 0x9fc00) and [1 MiB, top - R), where SeaBIOS keeps R = 128 KiB at the top of low RAM on
  pc and 132 KiB on q35. A node's boot RAM is its span cut with those ranges.
- Node ids: the kernel numbers proximity domains densely in order of first appearance in the
  SRAT (Linux's acpi_map_pxm_to_node). QEMU 7.2 writes one processor entry per CPU in CPU
  order, then one memory entry per node that has boot memory, in node order, then one
  hot-pluggable window for the whole DIMM area on the last node. A node with neither CPUs nor
  boot memory, other than the last, is not in the SRAT at all: a DIMM there must create a new
  node, as Linux does for an unknown domain.
- DIMMs: QEMU places them from 4 GiB up (no RAM above 4 GiB here), each at the end of the
  previous one, coldplugged ones in order, then runtime ones in plug order. The kernel adds
  the whole 128 MiB blocks inside a DIMM (an unaligned base after an odd-sized neighbour
  loses the partial blocks at both ends; a DIMM without one whole block is refused). Each
  block gives its first 512 pages to its own memmap: VmemmapSelfHosted pages, present in
  ZONE_NORMAL, never managed; the other 32256 pages are present and managed in the zone the
  block went online to (ZONE_MOVABLE by default, ZONE_NORMAL with
  memhp_default_state=online_kernel).
- memhp_withhold=SIZE takes whole blocks of boot RAM from the top down, inside one RAM range,
  before anything is reserved above the kernel (which sits below 16 MiB), and hot-adds them as
  blocks of the node they were on.
- What the kernel reserves of boot RAM (its image, page tables, the memmap of the boot
  sections, firmware leftovers below 1 MiB) is derived only as a bound: at least the memmap,
  512 pages per boot section of the node, at most that plus the low pages and 8 MiB; a node
  without boot RAM reserves nothing. Everything else - DIMM blocks, their memmap pages,
  movable pages, boot RAM present pages - is checked exactly.
"""
import re
import time

from qemu import Machine, PROMPT, parse_events, parse_pagetypes, parse_zoneinfo

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
PAGE = 4096
BLOCK = 128 * MiB
BLOCK_PAGES = BLOCK // PAGE
VMEMMAP_PAGES = BLOCK_PAGES * 64 // PAGE       # 64-byte struct page per 4 KiB page: 512
LOW_RAM_PAGES = 0x9fc00 // PAGE                # 159 pages below 640 KiB
SLACK_PAGES = 8 * MiB // PAGE
DIMM_BASE = 4 * GiB
SEABIOS_TOP = {"pc": 128 * KiB, "q35": 132 * KiB}


class Layout:
    """nodes: [(boot MiB, [cpus])] by QEMU node id; cold/hot: [(bytes, QEMU node)]."""

    def __init__(self, machine, nodes, cold=(), hot=(), cmdline=""):
        self.machine, self.nodes, self.cold, self.hot, self.cmdline = machine, nodes, list(cold), list(hot), cmdline
        self.online_kernel = "memhp_default_state=online_kernel" in cmdline
        self.withhold = 0
        m = re.search(r"memhp_withhold=(\d+)M", cmdline)
        if m:
            self.withhold = int(m.group(1)) * MiB

    # ---- the QEMU command line ----
    def qemu_args(self):
        total = sum(mib for mib, _ in self.nodes)
        assert total * MiB < 2 * GiB, "boot RAM must stay below both machines' PCI holes"
        ncpus = sum(len(c) for _, c in self.nodes)
        args = ["-machine", self.machine, "-m", f"{total}M,slots=8,maxmem=32G", "-smp", str(ncpus)]
        for n, (mib, cpus) in enumerate(self.nodes):
            opt = f"node,nodeid={n}"
            if cpus:
                opt += f",cpus={cpus[0]}-{cpus[-1]}"
            if mib:
                args += ["-object", f"memory-backend-ram,id=ram{n},size={mib}M"]
                opt += f",memdev=ram{n}"
            args += ["-numa", opt]
        for i, (size, node) in enumerate(self.cold):
            args += ["-object", f"memory-backend-ram,id=cm{i},size={size}",
                     "-device", f"pc-dimm,id=cd{i},memdev=cm{i},node={node}"]
        return args

    # ---- what the configuration gives ----
    def e820(self):
        total = sum(mib for mib, _ in self.nodes) * MiB
        return [(0, 0x9fc00), (MiB, total - SEABIOS_TOP[self.machine])]

    def node_ids(self):
        """QEMU node -> kernel node id, in SRAT order of first appearance."""
        order = []
        for n, (_, cpus) in enumerate(self.nodes):
            order += [(c, n) for c in cpus]
        pxms = [n for _, n in sorted(order)]
        pxms += [n for n, (mib, _) in enumerate(self.nodes) if mib]
        pxms.append(len(self.nodes) - 1)           # the hot-pluggable window
        ids = {}
        for p in pxms:
            ids.setdefault(p, len(ids))
        return ids

    def boot_ranges(self):
        """Kernel node id -> boot RAM ranges [(start, end)) in bytes."""
        ids, out, at = self.node_ids(), {}, 0
        for n, (mib, _) in enumerate(self.nodes):
            lo, hi = at, at + mib * MiB
            at = hi
            rs = [(max(s, lo), min(e, hi)) for s, e in self.e820() if max(s, lo) < min(e, hi)]
            if rs:
                out.setdefault(ids[n], []).extend(rs)
        return out

    def withheld(self):
        """[(start, end, kernel nid)] of the boot RAM memhp_withhold= hot-adds."""
        out, want = [], self.withhold
        ranges = sorted(((s, e, nid) for nid, rs in self.boot_ranges().items() for s, e in rs), reverse=True)
        for s, e, nid in ranges:
            b, lo = e // BLOCK * BLOCK, -(-s // BLOCK) * BLOCK
            while want and b - BLOCK >= lo:
                out.append((b - BLOCK, b, nid))
                b -= BLOCK
                want -= BLOCK
        return out

    def dimms(self):
        """Every DIMM: dict(slot, base, size, qnode, nid, runtime, blocks, start)."""
        ids = dict(self.node_ids())
        out, base = [], DIMM_BASE
        for slot, (size, qnode) in enumerate(self.cold + self.hot):
            # A domain the SRAT never named takes the node of the hot-pluggable window
            # holding the DIMM (the last QEMU node), as Linux's ACPI memory driver does
            # (acpi_get_node() finds no node; memory_add_physaddr_to_nid() the window's).
            nid = ids.get(qnode, ids[len(self.nodes) - 1])
            start, end = -(-base // BLOCK) * BLOCK, (base + size) // BLOCK * BLOCK
            out.append(dict(slot=slot, base=base, size=size, qnode=qnode, nid=nid,
                            runtime=slot >= len(self.cold), start=start,
                            blocks=max(0, (end - start) // BLOCK)))
            base += size
        return out

    def expected(self, removed=()):
        """Kernel nid -> dict(boot, normal, movable, vmemmap, blocks, sections) in pages,
        with the DIMMs of the slots in `removed` unplugged."""
        exp = {}

        def node(nid):
            return exp.setdefault(nid, dict(boot=0, normal=0, movable=0, vmemmap=0, blocks=set(), sections=set()))

        held = self.withheld()
        for nid, rs in self.boot_ranges().items():
            e = node(nid)
            for ws, we, _ in held:                # withheld blocks leave boot RAM
                rs = [p for s, t in rs for p in ((s, min(t, ws)), (max(s, we), t)) if p[0] < p[1]]
            for s, t in rs:
                e["boot"] += t // PAGE - -(-s // PAGE)
                e["sections"].update(range(s // BLOCK, (t - 1) // BLOCK + 1))
        blocks = [(ws // BLOCK, (we - ws) // BLOCK, nid) for ws, we, nid in held]
        blocks += [(d["start"] // BLOCK, d["blocks"], d["nid"]) for d in self.dimms()
                   if d["blocks"] and d["slot"] not in removed]
        for first, n, nid in blocks:
            e = node(nid)
            e["blocks"].update(range(first, first + n))
            e["vmemmap"] += n * VMEMMAP_PAGES
            e["normal"] += n * VMEMMAP_PAGES
            e["movable" if not self.online_kernel else "normal"] += n * (BLOCK_PAGES - VMEMMAP_PAGES)
        for e in exp.values():
            e["normal"] += e["boot"]
        return exp


# ---- reading the kernel's answers ----

def parse_memory(text):
    """Hot-added block id -> (state, zone, node, vmemmap pages)."""
    out = {}
    for m in re.finditer(r"^memory(\d+)\s+\S+\s+\[\S+\)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+\d\s+hotplug\s*$", text, re.M):
        out[int(m.group(1))] = (m.group(2), m.group(3), int(m.group(4)), int(m.group(5)))
    return out


def wait_slot(m, slot, since, events=("memhp_add", "memhp_refused"), timeout=60):
    """The kernel's answer about a slot: by default its memhp_add or memhp_refused report line."""
    until = time.time() + timeout
    while True:
        for e in parse_events(m.buf[since:]):
            if e.get("event") in events and e.get("slot") == slot:
                return e
        if time.time() > until:
            raise AssertionError(f"no {'/'.join(events)} for slot {slot} within {timeout}s\n"
                                 f"--- serial tail ---\n{m.buf[-3000:]}")
        m._read(min(until, time.time() + 0.5))


def plug(m, name, size, node):
    m.qmp("object-add", **{"qom-type": "memory-backend-ram", "id": f"mem-{name}", "size": size})
    m.qmp("device_add", driver="pc-dimm", id=name, memdev=f"mem-{name}", node=node)


# ---- one boot per layout ----

def check_pages(lay, exp, memory, zi, pt_text, meminfo, gone=()):
    """Memory blocks, nodes and their pages per zone against exp; `gone`: nodes that lost all memory."""
    zone = "Normal" if lay.online_kernel else "Movable"
    want_blocks = {b: nid for nid, e in exp.items() for b in e["blocks"]}
    assert set(memory) == set(want_blocks), (sorted(memory), sorted(want_blocks))
    for b, (state, z, nid, vm) in memory.items():
        assert (state, z, nid, vm) == ("online", zone, want_blocks[b], VMEMMAP_PAGES), (b, memory[b])

    assert "all invariants hold" in pt_text and "0 sections not initialized yet" in pt_text, pt_text
    pt = parse_pagetypes(pt_text)
    nodes = {n for n, _ in zi}
    assert nodes == set(exp) | set(gone), f"nodes {sorted(nodes)}, configuration gives {sorted(exp)} + {gone}"
    for nid in gone:        # its pg_data_t stays (as in Linux), with nothing in it
        for z in ("Normal", "Movable", "Device"):
            assert zi[(nid, z)]["present"] == 0 and zi[(nid, z)]["managed"] == 0, (nid, z, zi[(nid, z)])
    managed_total = 0
    for nid, e in exp.items():
        normal, movable = zi[(nid, "Normal")], zi[(nid, "Movable")]
        assert normal["present"] == e["normal"], f"node {nid} Normal present {normal['present']}, want {e}"
        assert movable["present"] == e["movable"], f"node {nid} Movable present {movable['present']}, want {e}"
        assert movable["managed"] == e["movable"], f"node {nid} Movable managed {movable['managed']}, want {e}"
        types = pt[(nid, "Normal")]
        assert types["VmemmapSel"] == e["vmemmap"], f"node {nid}: {types}, want {e}"
        reserved = types["Reserved"]
        floor = len(e["sections"]) * VMEMMAP_PAGES
        ceiling = floor + (LOW_RAM_PAGES + SLACK_PAGES if e["boot"] else 0)
        assert floor <= reserved <= ceiling, f"node {nid}: {reserved} Reserved, want {floor}..{ceiling}"
        assert normal["managed"] == e["normal"] - reserved - e["vmemmap"], (nid, normal, types, e)
        managed_total += normal["managed"] + movable["managed"]
    memtotal = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo).group(1))
    assert memtotal == managed_total * 4, (memtotal, managed_total)
    vmemmap_kb = int(re.search(r"VmemmapSelfHosted:\s+(\d+) kB", meminfo).group(1))
    assert vmemmap_kb == sum(e["vmemmap"] for e in exp.values()) * 4, meminfo
    return want_blocks


def check_selftests(st_text, must_run):
    """Every self-test that ran passed; those in must_run ran (were not skipped)."""
    st = [e for e in parse_events(st_text) if e["event"] == "selftest"]
    cases = {e["name"]: e for e in parse_events(st_text) if e["event"] == "selftest_case"}
    failed = sorted(n for n, c in cases.items() if not c["ok"])
    assert st and st[-1]["failed"] == 0 and not failed, \
        f"self-tests failed: {failed}\n" + "\n".join(l for l in st_text.splitlines() if re.search(r"FAIL|error|!=", l))
    for name in must_run:
        assert name in cases and not cases[name].get("skipped"), (name, cases.get(name))


def read_state(m):
    return dict(memory=parse_memory(m.command("memory")), zi=parse_zoneinfo(m.command("zoneinfo")),
                pt_text=m.command("pagetypes --check", timeout=120), meminfo=m.command("meminfo"))


def check_layout(lay, unplug=()):
    """Boot lay, plug its runtime DIMMs, check everything; then unplug the DIMMs of the slots in
    `unplug` (coldplugged or not) and check again."""
    dimms, exp = lay.dimms(), lay.expected()
    with Machine(lay.qemu_args(), cmdline=lay.cmdline, timeout=240, qmp=True) as m:
        m.wait_ready()
        for d in dimms:
            if d["runtime"]:
                since = len(m.buf)
                plug(m, f"hp{d['slot']}", d["size"], d["qnode"])
                wait_slot(m, d["slot"], since)     # checked below with the coldplugged ones
        events = parse_events(m.buf)
        state = read_state(m)
        st_text = m.command("selftest", timeout=200)
        after = m.command("pagetypes --check", timeout=120)
        removes = []
        for slot in unplug:
            since = len(m.buf)
            m.qmp("device_del", id=f"cd{slot}" if slot < len(lay.cold) else f"hp{slot}")
            m.qmp_wait_event("DEVICE_DELETED", timeout=60)
            removes.append(wait_slot(m, slot, since, events=("memhp_remove",)))
        if unplug:
            state2 = read_state(m)
            st2_text = m.command("selftest buddy_exhaust,meminfo_matches_memmap,alloc_orders", timeout=200)
        m.send("poweroff\n")
        m.wait_exit().expect_status(33)
        serial = m.buf

    # Every DIMM added whole-block-wise on its node, or refused when it holds no whole block.
    adds = {e["slot"]: e for e in events if e["event"] == "memhp_add"}
    refused = {e["slot"]: e for e in events if e["event"] == "memhp_refused"}
    for d in dimms:
        if not d["blocks"]:
            assert d["slot"] in refused and d["slot"] not in adds, (d, refused.get(d["slot"]))
            continue
        a = adds.get(d["slot"])
        assert a, f"DIMM {d} was not added: {refused.get(d['slot'])}"
        got = (a["base"], a["size"], a["added"], a["nid"], a["runtime"])
        want = (d["base"], d["size"], d["blocks"] * BLOCK, d["nid"], d["runtime"])
        assert got == want, f"slot {d['slot']}: (base, size, added, nid, runtime) {got}, want {want}"

    want_blocks = check_pages(lay, exp, **state)
    # Every self-test passes; those without what they need skip, and say so.
    must_run = ["buddy_exhaust", "meminfo_matches_memmap", "alloc_orders"]
    if any(e["movable"] for e in exp.values()):
        must_run.append("hotplug_pattern")
    if want_blocks:
        must_run += ["hotplug_cycles", "hotplug_balloon"]
    check_selftests(st_text, must_run)
    assert "all invariants hold" in after, after

    if unplug:
        assert sorted(e["slot"] for e in removes) == sorted(unplug), removes
        assert all(e["ret"] == 0 and e["ejected"] for e in removes), removes
        exp2 = lay.expected(removed=set(unplug))
        gone = set(exp) - set(exp2)
        check_pages(lay, exp2, gone=gone, **state2)
        check_selftests(st2_text, ["buddy_exhaust", "meminfo_matches_memmap", "alloc_orders"])
    return serial


def test_pc_one_node():
    check_layout(Layout("pc", [(512, [0, 1])], cold=[(128 * MiB, 0), (1 * GiB, 0)], hot=[(384 * MiB, 0)]))


def test_q35_one_node_3g_dimm():
    check_layout(Layout("q35", [(256, [0, 1])], cold=[(3 * GiB, 0)], hot=[(128 * MiB, 0)]))


def test_pc_two_nodes_dimm_on_each():
    # The window is on node 1: the node-0 DIMMs need any window to take any node.
    check_layout(Layout("pc", [(256, [0]), (256, [1])], cold=[(128 * MiB, 0), (1 * GiB, 1)],
                        hot=[(256 * MiB, 0)]))


def test_pc_cpu_node_without_memory():
    # Node 1 has a CPU and no boot memory: its only memory is DIMMs, its only zone with
    # managed pages ZONE_MOVABLE.
    check_layout(Layout("pc", [(512, [0]), (0, [1])], cold=[(512 * MiB, 1)],
                        hot=[(128 * MiB, 1), (256 * MiB, 0)]))


def test_q35_three_nodes_odd_dimms():
    # 192 MiB then 384 MiB: the second starts mid-block and holds 2 whole blocks; the runtime
    # 128 MiB one starts mid-block too and holds none (refused); 320 MiB after it holds 2.
    # Node 2 has memory and no CPUs.
    check_layout(Layout("q35", [(256, [0]), (0, [1]), (512, [])],
                        cold=[(192 * MiB, 0), (384 * MiB, 1)],
                        hot=[(128 * MiB, 2), (320 * MiB, 2)]))


def test_pc_four_nodes_node_created_by_hotplug():
    # Node 3 has neither CPUs nor boot memory: it exists in the SRAT only through the
    # hot-pluggable window, and gets its pg_data_t from the first DIMM on it. Both its DIMMs
    # are unplugged at the end: it must be left empty, and everything must still hold.
    check_layout(Layout("pc", [(256, [0]), (256, [1]), (256, []), (0, [])], cold=[(256 * MiB, 3)],
                        hot=[(128 * MiB, 2), (512 * MiB, 1), (128 * MiB, 3)]), unplug=[0, 3])


def test_pc_two_nodes_online_kernel():
    check_layout(Layout("pc", [(256, [0]), (384, [1])], cold=[(256 * MiB, 0), (128 * MiB, 1)],
                        hot=[(128 * MiB, 1)], cmdline="memhp_default_state=online_kernel"))


def test_q35_two_nodes_withheld_boot_ram():
    # 256M of node 1's boot RAM (the two whole blocks below 640M) comes back through hotplug as two movable blocks of node 1.
    # Node 2 has a CPU and no memory at all: it must stay without a pg_data_t.
    check_layout(Layout("q35", [(256, [0]), (512, [1]), (0, [2])], cold=[(128 * MiB, 0)],
                        cmdline="memhp_withhold=256M"))


def test_q35_dimm_on_node_missing_from_srat():
    # QEMU node 1 has neither CPUs nor boot memory and is not the last node: the SRAT does not
    # name it, so its DIMM goes to the node of the window (QEMU node 2, kernel node 1), with a
    # warning naming the domain.
    out = check_layout(Layout("q35", [(256, [0]), (0, []), (256, [1])], cold=[(256 * MiB, 1)]))
    assert re.search(r"memhp: slot 0 \[0x100000000-0x110000000\): proximity domain 1 is not in the SRAT; "
                     r"using node 1 of the hot-pluggable window", out), out[-3000:]
