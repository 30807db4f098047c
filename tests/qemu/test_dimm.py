"""QEMU DIMMs through ACPI: coldplug at boot, runtime insert and eject on the SCI.

What each configuration must give, stated here and not read back from the kernel:

- QEMU's `pc` machine with `-m R,slots=S,maxmem=M` places DIMMs one after the other from
  4 GiB up (RAM below 4 GiB only, as here), each at the end of the previous one, in slot order,
  and describes them through the ACPI memory-hotplug controller with S slots.
- With memmap on memory (the default), a 128 MiB memory block gives 512 of its 32768 pages to
  its own memmap (64 bytes per 4 KiB page), so a DIMM of N blocks has N * 32256 allocatable
  pages, and every one of them must be handed out by the allocator and hold a pattern.
- A 192 MiB DIMM is one whole 128 MiB block plus 64 MiB; the 128 MiB DIMM after it starts at
  4 GiB + 192 MiB, not block-aligned, and holds no whole block: it is refused, boot goes on.
- `memhp_default_state=online_kernel` puts a DIMM in ZONE_NORMAL, where GFP_KERNEL pages can
  land; with such a page held (unmovable: `dimmtest hold N COUNT kernel`; the default, movable
  pages, would simply migrate away), an eject must be refused with _OST status 0x82 (QEMU's
  ACPI_DEVICE_OST event, source 3) and the DIMM stays, online, its pages intact.
- A DIMM plugged at run time must come online with no shell command typed (the SCI -> GPE 3 ->
  work queue path); device_del must end in QEMU's DEVICE_DELETED and the DIMM gone from
  query-memory-devices.
"""
import re
import time

from qemu import boot, Machine, PROMPT

GiB = 1 << 30
MiB = 1 << 20
PAGES_PER_BLOCK_ONLINE = 32768 - 512   # memmap on memory: 2 MiB of every 128 MiB block


def dimm_args(sizes, node=None):
    """-object/-device pairs for coldplugged DIMMs of the given sizes (bytes)."""
    out = []
    for i, size in enumerate(sizes):
        out += ["-object", f"memory-backend-ram,id=cm{i},size={size}",
                "-device", f"pc-dimm,id=cd{i},memdev=cm{i}" + (f",node={node}" if node is not None else "")]
    return out


def expected_pages(size):
    return size // (128 * MiB) * PAGES_PER_BLOCK_ONLINE


def check_walker(m):
    out = m.command("pagetypes --check", timeout=120)
    assert "all invariants hold" in out, out


def events_in(text, name):
    return [e for e in __import__("qemu").parse_events(text) if e.get("event") == name]


def wait_event(m, name, timeout=60, **match):
    """Wait for an @hotmm report line `name` (with the given fields) after the current position."""
    until = time.time() + timeout
    while True:
        for e in events_in(m.buf[m.mark:], name):
            if all(e.get(k) == v for k, v in match.items()):
                return e
        if time.time() > until:
            raise AssertionError(f"no @hotmm {name} {match} within {timeout}s\n--- serial tail ---\n"
                                 f"{m.buf[-3000:]}")
        m._read(min(until, time.time() + 0.5))


def ready(m):
    """Prompt up and all boot RAM in the allocator (deferred init may still run behind the shell)."""
    m.wait_for(PROMPT)
    if '"event":"all_ram_allocatable"' not in m.buf:
        m.wait_for('"event":"all_ram_allocatable"')


def mark(m):
    m.mark = len(m.buf)


def coldplug(sizes, node, extra, cmdline=""):
    base = 4 * GiB
    args = ["-m", "1G,slots=4,maxmem=16G", "-smp", "2"] + extra + dimm_args(sizes, node)
    with Machine(args, cmdline=cmdline, timeout=300) as m:
        m.wait_for(PROMPT)
        adds = events_in(m.buf, "memhp_add")
        ready = events_in(m.buf, "memhp_ready")[-1]
        assert ready["present"] == len(sizes) and ready["added"] == len(sizes), ready
        assert ready["refused"] == 0 and ready["bytes"] == sum(sizes), ready
        assert ready["mode"] == "sci", ready
        assert len(adds) == len(sizes), adds
        for slot, (a, size) in enumerate(zip(adds, sizes)):
            assert a["slot"] == slot and a["base"] == base and a["size"] == size, (a, base, size)
            assert a["added"] == size and a["nid"] == (node or 0) and a["runtime"] is False, a
            base += size
        for slot, size in enumerate(sizes):
            out = m.command(f"dimmtest fill {slot}", timeout=240)
            fill = events_in(out, "dimm_fill")[-1]
            assert fill["in_dimm"] == expected_pages(size), fill
            assert fill["bad_words"] == 0 and fill["nid"] == (node or 0), fill
        hp = m.command("hotplug")
        for slot, size in enumerate(sizes):
            assert re.search(rf"^\s+{slot} 0x[0-9a-f]+\s+{size >> 20} MiB\s+{node or 0} yes\s+-\s+{size >> 20} MiB",
                             hp, re.M), hp
        check_walker(m)


def test_coldplug_node0():
    coldplug([128 * MiB, 1 * GiB, 3 * GiB], 0, [])


def test_coldplug_second_node():
    numa = ["-object", "memory-backend-ram,id=r0,size=512M", "-object", "memory-backend-ram,id=r1,size=512M",
            "-numa", "node,nodeid=0,memdev=r0,cpus=0", "-numa", "node,nodeid=1,memdev=r1,cpus=1"]
    coldplug([128 * MiB, 1 * GiB, 3 * GiB], 1, numa)


def test_coldplug_odd_neighbour_refused():
    r = boot(["-m", "1G,slots=4,maxmem=8G", "-smp", "2"] + dimm_args([192 * MiB, 128 * MiB]),
             commands=["hotplug", "pagetypes --check"], timeout=180)
    r.expect_status(33)
    add = r.event("memhp_add")
    assert add["slot"] == 0 and add["base"] == 4 * GiB and add["added"] == 128 * MiB, add
    ref = r.event("memhp_refused")
    assert ref["slot"] == 1 and ref["base"] == 4 * GiB + 192 * MiB and ref["size"] == 128 * MiB, ref
    assert "not aligned to the 128 MiB memory block" in ref["reason"], ref
    ready = r.event("memhp_ready")
    assert ready["present"] == 2 and ready["added"] == 1 and ready["refused"] == 1, ready
    assert ready["bytes"] == 128 * MiB, ready
    assert "last refusal (-22): base is not aligned" in r.output, r.tail()
    assert "all invariants hold" in r.output, r.tail()


def test_block_size_1g():
    r = boot(["-m", "1G,slots=2,maxmem=8G"] + dimm_args([1 * GiB]), cmdline="memory_block_size=1G",
             commands=["memory", "dimmtest fill 0"], timeout=180)
    r.expect_status(33)
    add = r.event("memhp_add")
    assert add["base"] == 4 * GiB and add["added"] == 1 * GiB, add
    assert re.search(r"block size 1024 MiB", r.output), r.tail()
    blocks = re.findall(r"^memory\d+\s+\S+\s+\[0x0*100000000-0x0*140000000\)\s+online", r.output, re.M)
    assert len(blocks) == 1, r.tail()
    fill = r.event("dimm_fill")
    assert fill["in_dimm"] == 8 * PAGES_PER_BLOCK_ONLINE and fill["bad_words"] == 0, fill


def plug(m, name, size, node=None):
    m.qmp("object-add", **{"qom-type": "memory-backend-ram", "id": f"mem-{name}", "size": size})
    args = {"driver": "pc-dimm", "id": name, "memdev": f"mem-{name}"}
    if node is not None:
        args["node"] = node
    m.qmp("device_add", **args)


def listed(m):
    return [d["data"]["id"] for d in m.qmp("query-memory-devices")]


def test_runtime_plug_and_unplug():
    with Machine(["-m", "1G,slots=4,maxmem=8G", "-smp", "2"], timeout=240, qmp=True) as m:
        m.wait_for(PROMPT)
        mark(m)
        plug(m, "hp0", 1 * GiB)
        # nothing typed: the SCI's work queue brings it online
        add = wait_event(m, "memhp_add", runtime=True)
        assert add["slot"] == 0 and add["base"] == 4 * GiB and add["added"] == 1 * GiB, add
        out = m.command("memory")
        assert len(re.findall(r"^memory(3[2-9])\s.*online\s+Movable", out, re.M)) == 8, out
        fill = events_in(m.command("dimmtest fill 0", timeout=120), "dimm_fill")[-1]
        assert fill["in_dimm"] == expected_pages(1 * GiB) and fill["bad_words"] == 0, fill
        check_walker(m)

        mark(m)
        m.qmp("device_del", id="hp0")
        ev = m.qmp_wait_event("DEVICE_DELETED", timeout=60)
        assert ev["data"]["device"] == "hp0", ev
        rm = wait_event(m, "memhp_remove", slot=0)
        assert rm["ret"] == 0 and rm["ejected"] is True, rm
        assert "hp0" not in listed(m)
        out = m.command("memory")
        assert not re.search(r"^memory3[2-9]\s", out, re.M), out
        check_walker(m)
        out = m.command("hotplug -a")
        assert re.search(r"^\s+0 0x[0-9a-f]+\s+\d+ MiB\s+\S+\s+no\s", out, re.M), out


def test_unplug_refused_while_pages_held():
    with Machine(["-m", "1G,slots=4,maxmem=8G", "-smp", "2"], cmdline="memhp_default_state=online_kernel",
                 timeout=240, qmp=True) as m:
        ready(m)
        mark(m)
        plug(m, "busy", 1 * GiB)
        wait_event(m, "memhp_add", runtime=True)
        out = m.command("memory")
        assert len(re.findall(r"^memory(3[2-9])\s.*online\s+Normal", out, re.M)) == 8, out
        total = re.search(r"MemTotal:\s+(\d+) kB", m.command("meminfo")).group(1)
        # kernel pages: unmovable, so no migration can empty the DIMM (test_migration.py covers
        # movable and pinned ones)
        hold = events_in(m.command("dimmtest hold 0 16 kernel", timeout=120), "dimm_hold")[-1]
        assert hold["held"] == 16 and hold["kind"] == "kernel", hold

        m.qmp("device_del", id="busy")
        ost = m.qmp_wait_event("ACPI_DEVICE_OST", timeout=60)["data"]["info"]
        while ost["source"] != 3:    # an insert's _OST(1, 0) may come first
            ost = m.qmp_wait_event("ACPI_DEVICE_OST", timeout=60)["data"]["info"]
        assert ost["status"] == 0x82 and ost["device"] == "busy" and ost["slot"] == "0", ost
        rm = wait_event(m, "memhp_remove", slot=0)
        assert rm["ret"] == -16 and rm["ejected"] is False, rm
        assert "busy" in listed(m)
        out = m.command("memory")
        assert len(re.findall(r"^memory(3[2-9])\s.*online\s+Normal", out, re.M)) == 8, out
        assert re.search(r"MemTotal:\s+(\d+) kB", m.command("meminfo")).group(1) == total
        hp = m.command("hotplug")
        assert "ev 3 st 0x82" in hp and "a page is in use" in hp, hp
        rel = events_in(m.command("dimmtest release"), "dimm_release")[-1]
        assert rel["released"] == 16 and rel["in_dimms"] == 16 and rel["bad_words"] == 0, rel
        check_walker(m)
        # with the pages back, the next request goes through
        mark(m)
        m.qmp("device_del", id="busy")
        m.qmp_wait_event("DEVICE_DELETED", timeout=60)
        assert "busy" not in listed(m)


def churn_stop(m):
    churn = events_in(m.command("dimmtest churn stop", timeout=60), "dimm_churn")[-1]
    assert churn["bad_words"] == 0 and churn["ops"] > 0 and churn["cpus"] == 1, churn


def test_plug_unplug_loop_with_allocations():
    """Allocations run on the other CPU while each DIMM is plugged and unplugged; the walker
    checks between the phases, with the allocations paused (it counts free pages, so it
    needs them still)."""
    rounds = 20
    with Machine(["-m", "1G,slots=4,maxmem=8G", "-smp", "2"], timeout=900, qmp=True) as m:
        ready(m)
        for i in range(rounds):
            name = f"loop{i}"
            m.command("dimmtest churn start")
            mark(m)
            plug(m, name, 512 * MiB)
            add = wait_event(m, "memhp_add", runtime=True)
            assert add["added"] == 512 * MiB and add["base"] == 4 * GiB, (i, add)
            churn_stop(m)
            check_walker(m)
            m.command("dimmtest churn start")
            mark(m)
            m.qmp("device_del", id=name)
            m.qmp_wait_event("DEVICE_DELETED", timeout=60)
            rm = wait_event(m, "memhp_remove", slot=add["slot"])
            assert rm["ret"] == 0 and rm["ejected"], (i, rm)
            churn_stop(m)
            m.qmp("object-del", id=f"mem-{name}")
            assert name not in listed(m)
            check_walker(m)
        out = m.command("hotplug")
        assert "40 GPE events" in out, out      # one insert and one eject request per round
        assert not re.search(r"^\s+\d+ 0x[0-9a-f]+\s+\d+ MiB\s+\S+\s+yes", out, re.M), out
        assert not listed(m)
