"""ACPI and NUMA as the kernel sees them, in the QEMU configurations of
tests/fixtures/acpi/README.md: the `numa` command and the @hotmm "acpi"
report line must match what each QEMU command line builds."""
import re

from qemu import boot

NODE_RE = re.compile(r"^node (\d+): pxm (\d+), (online|offline), (\d+) cpus \[apic([ \d]*)\], "
                     r"(\d+) MiB present", re.M)
HOTPLUG_RE = re.compile(r"^hotplug \[0x([0-9a-f]+)-0x([0-9a-f]+)\) node (\d+)", re.M)
DIST_RE = re.compile(r"^\s+(\d+):((?:\s+\d+)+)\s*$", re.M)

GiB = 1 << 30
MiB = 1 << 20


def run(args, smp):
    r = boot(f"{args} -smp {smp}", commands=["numa", "acpi"], timeout=180)
    r.expect_status(33)
    nodes = {int(m.group(1)): {"pxm": int(m.group(2)), "online": m.group(3) == "online",
                               "cpus": [int(x) for x in m.group(5).split()], "mib": int(m.group(6))}
             for m in NODE_RE.finditer(r.output)}
    hotplug = [(int(a, 16), int(b, 16), int(n)) for a, b, n in HOTPLUG_RE.findall(r.output)]
    dist_text = r.output.split("distances:", 1)[1] if "distances:" in r.output else ""
    dist = [[int(x) for x in row.split()] for _, row in DIST_RE.findall(dist_text.split("hotmm>")[0])]
    return r, nodes, hotplug, dist


def near(mib, want_mib):
    # Firmware keeps the top 128 KiB (ACPI tables) and the 640K-1M hole out of RAM.
    return want_mib - 2 <= mib <= want_mib


def test_acpi_pc_hotplug_window():
    # The Makefile's default machine: one node, the SRAT's hotplug window from 4 GiB over
    # maxmem - ram (31.5 GiB) plus 1 GiB alignment per slot (8), QEMU's controller at 0xa00.
    r, nodes, hotplug, dist = run("-m 512M,slots=8,maxmem=32G", 2)
    assert list(nodes) == [0], nodes
    assert nodes[0]["cpus"] == [0, 1], nodes
    assert near(nodes[0]["mib"], 512), nodes
    assert hotplug == [(4 * GiB, 4 * GiB + 31 * GiB + 512 * MiB + 8 * GiB, 0)], hotplug
    assert dist == [[10]], dist
    ev = r.event("acpi")
    assert ev["nodes"] == 1 and ev["cpus"] == 2 and ev["numa_dummy"] is False, ev
    assert ev["gpe0"] == 0xafe0 and ev["sci"] == 9, ev          # pc (PIIX4)
    assert ev["memhp_io"] == 0xa00 and ev["memhp_slots"] == 8, ev
    assert ev["errors"] == 0, ev


def test_acpi_two_nodes():
    r, nodes, hotplug, dist = run(
        "-m 1G,slots=4,maxmem=8G "
        "-object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M "
        "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1", 4)
    assert sorted(nodes) == [0, 1], nodes
    assert nodes[0]["cpus"] == [0, 1] and nodes[1]["cpus"] == [2, 3], nodes
    assert near(nodes[0]["mib"], 512) and near(nodes[1]["mib"], 512), nodes
    assert hotplug == [(4 * GiB, 4 * GiB + 7 * GiB + 4 * GiB, 1)], hotplug   # the last node
    assert dist == [[10, 20], [20, 10]], dist
    assert r.event("acpi")["memhp_slots"] == 4


def test_acpi_three_nodes_slit():
    r, nodes, hotplug, dist = run(
        "-m 1536M "
        "-object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M "
        "-object memory-backend-ram,id=m2,size=512M "
        "-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1 "
        "-numa node,nodeid=2,cpus=2,memdev=m2 "
        "-numa dist,src=0,dst=1,val=21 -numa dist,src=0,dst=2,val=31 -numa dist,src=1,dst=2,val=41", 3)
    assert sorted(nodes) == [0, 1, 2], nodes
    for n in range(3):
        assert nodes[n]["cpus"] == [n], nodes
        assert near(nodes[n]["mib"], 512), nodes
    assert hotplug == [], hotplug      # no slots=: no hotplug window
    assert dist == [[10, 21, 31], [21, 10, 41], [31, 41, 10]], dist
    assert r.event("acpi")["memhp_io"] == 0


def test_acpi_memoryless_node():
    r, nodes, hotplug, dist = run(
        "-m 512M -object memory-backend-ram,id=m0,size=512M "
        "-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1", 2)
    assert sorted(nodes) == [0, 1], nodes
    assert nodes[1]["cpus"] == [1] and nodes[1]["mib"] == 0 and nodes[1]["online"], nodes
    assert near(nodes[0]["mib"], 512), nodes
    assert "(memoryless)" in r.output


def test_acpi_q35():
    r, nodes, hotplug, dist = run("-M q35 -m 512M,slots=4,maxmem=8G", 2)
    assert list(nodes) == [0] and nodes[0]["cpus"] == [0, 1], nodes
    assert hotplug == [(4 * GiB, 4 * GiB + 7 * GiB + 512 * MiB + 4 * GiB, 0)], hotplug
    ev = r.event("acpi")
    assert ev["gpe0"] == 0x620, ev                                 # q35 (ICH9)
    assert ev["memhp_io"] == 0xa00 and ev["memhp_slots"] == 4, ev


# ---- tools/acpi-decode (host side; lives here because run_tests.py runs python tests from here) ----

import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "tests/fixtures/acpi")
DECODE = os.path.join(ROOT, "build/tools/acpi-decode")


def test_acpi_decode_agrees_with_iasl():
    reals = sorted(os.path.join(FIX, d) for d in os.listdir(FIX) if d.startswith("real-"))
    assert len(reals) == 5, reals
    p = subprocess.run([os.path.join(ROOT, "tools/acpi-decode/check-iasl.py")] + reals +
                       [os.path.join(FIX, "qemu-numa3-slit")], capture_output=True, text=True)
    assert p.returncode == 0 and "all checks agree" in p.stdout, p.stdout + p.stderr
    assert p.stdout.count("ok   ") == 28, p.stdout   # 23 real + 5 QEMU checks


def test_acpi_decode_exit_status():
    ok = subprocess.run([DECODE, os.path.join(FIX, "qemu-numa2")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "node 1: pxm 1, online, 2 cpus [apic 2 3], 512 MiB in SRAT" in ok.stdout, ok.stdout
    assert "hotplug [0x000100000000-0x0003c0000000) node 1" in ok.stdout, ok.stdout
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "srat.dat")
        with open(os.path.join(FIX, "real-Intel-X-X99", "srat.dat"), "rb") as f:
            data = f.read()
        with open(bad, "wb") as f:
            f.write(data[:100])
        r = subprocess.run([DECODE, bad], capture_output=True, text=True)
        assert r.returncode == 1, r.stdout
        assert "SRAT+0x4: length: 4440 is beyond the 100 bytes there (truncated table)" in r.stdout, r.stdout
    r = subprocess.run([DECODE, "/nonexistent/srat.dat"], capture_output=True, text=True)
    assert r.returncode == 2 and "No such file" in r.stderr, r.stderr


def test_acpi_rsdp_scan_and_address():
    # acpi_rsdp=scan ignores GRUB's copy and finds SeaBIOS's RSDP in 0xE0000-0xFFFFF;
    # acpi_rsdp=ADDR then takes it from that address. Both must give the same machine.
    r = boot("-m 512M,slots=8,maxmem=32G -smp 2", cmdline="acpi_rsdp=scan", commands=["acpi"])
    r.expect_status(33)
    m = re.search(r"RSDP rev 0, OEM BOCHS, at 0x([0-9a-f]+)\r?\n", r.output)
    assert m, r.tail()
    addr = int(m.group(1), 16)
    assert 0xe0000 <= addr < 0x100000 and addr % 16 == 0, hex(addr)
    ev = r.event("acpi")
    assert ev["tables"] == 7 and ev["nodes"] == 1 and ev["hotplug_ranges"] == 1, ev
    r2 = boot("-m 512M,slots=8,maxmem=32G -smp 2", cmdline=f"acpi_rsdp={addr:#x}", commands=["acpi"])
    r2.expect_status(33)
    assert f"at {addr:#x}" in r2.output, r2.tail()
    assert r2.event("acpi")["tables"] == 7
    r3 = boot("-m 512M -smp 2", cmdline="acpi_rsdp=0x1000", commands=[])
    r3.expect_status(33)
    assert "acpi_rsdp=0x1000: no valid RSDP there; scanning the BIOS areas" in r3.output, r3.tail()
    assert r3.event("acpi")["tables"] == 6      # plain pc: no SRAT
