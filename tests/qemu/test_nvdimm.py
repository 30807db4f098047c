"""NVDIMMs (QEMU's nvdimm device, found through the NFIT): persistent memory as device
memory (ZONE_DEVICE) with its memmap on the device, turned into System RAM (dax/kmem) and
back, the page walker clean after every step; malformed NFIT entries refused with table,
offset and field (the NFIT replaced through a GRUB module)."""
import os
import re
import tempfile

from acpi_tables import checksum
from qemu import boot, make_iso, parse_pagetypes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NFIT = os.path.join(ROOT, "tests/fixtures/acpi/qemu-nvdimm/nfit.dat")
BASE = "-M pc,nvdimm=on -m 512M,slots=4,maxmem=8G -smp 2"
NVDIMM = " -object memory-backend-ram,id=nv0,size=1G -device nvdimm,id=nvdimm0,memdev=nv0"
GiB, MiB = 1 << 30, 1 << 20
DEV_PAGES, MEMMAP_PAGES = GiB >> 12, (GiB >> 12) * 64 >> 12   # 262144 pages, 4096 of memmap


def meminfo(out, key):
    """The last `meminfo` value of key, in kB."""
    vals = re.findall(rf"^{key}:\s+(\d+) kB", out, re.M)
    assert vals, f"no {key} in meminfo\n{out[-2000:]}"
    return int(vals[-1])


def zone(out, node, name):
    """Counts of the last zoneinfo block for (node, zone)."""
    blocks = re.findall(rf"Node {node}, zone +{name}\n((?:  .*\n)+)", out.replace("\r", ""))
    assert blocks, f"no zoneinfo for node {node} {name}"
    return {k: int(v) for k, v in re.findall(r"^\s+(?:pages )?(\w+):?\s+(\d+)$", blocks[-1], re.M)}


def assert_walks_clean(out, times):
    assert out.count("pagetypes: all invariants hold") == times, out[-3000:]
    assert "violations" not in out, out[-3000:]


def test_nvdimm_device_memory_costs_no_ram():
    # The same machine with and without the NVDIMM: the device's 16 MiB memmap is on the
    # device, so RAM totals are equal and free RAM differs by page tables only.
    cmds = ["meminfo", "zoneinfo", "pagetypes --check", "daxctl"]
    # deferred_init=sync: the pmem probe waits for deferred init, so without it the plain
    # boot's meminfo could run while boot RAM is still being handed to the buddy.
    plain = boot(BASE, cmdline="deferred_init=sync", commands=cmds, timeout=120)
    plain.expect_status(33)
    nv = boot(BASE + NVDIMM, cmdline="deferred_init=sync",
              commands=cmds + ["nfit", "selftest meminfo_matches_memmap"], timeout=120)
    nv.expect_status(33)
    assert_walks_clean(plain.output, 1)
    assert_walks_clean(nv.output, 1)
    assert meminfo(nv.output, "MemTotal") == meminfo(plain.output, "MemTotal")
    assert meminfo(nv.output, "MemPresent") == meminfo(plain.output, "MemPresent")
    spent_kb = meminfo(plain.output, "MemFree") - meminfo(nv.output, "MemFree")
    # Page tables for the vmemmap and the direct map of 1 GiB: a few pages, not 16 MiB.
    assert 0 <= spent_kb <= 256, spent_kb
    assert meminfo(nv.output, "DeviceMem") == GiB >> 10
    assert meminfo(plain.output, "DeviceMem") == 0
    dev = zone(nv.output, 0, "Device")
    assert dev["spanned"] == DEV_PAGES and dev["present"] == 0 and dev["managed"] == 0, dev
    assert dev["device"] == DEV_PAGES and dev["start_pfn"] == (4 * GiB) >> 12, dev
    types = parse_pagetypes(nv.output.split("hotmm> pagetypes --check")[1].replace("\r", ""))
    assert types[(0, "Device")]["Device"] == DEV_PAGES - MEMMAP_PAGES, types
    assert types[(0, "Device")]["VmemmapSel"] == MEMMAP_PAGES, types
    assert "pmem0  [0x000100000000-0x000140000000)   1024 MiB node 0  devdax" in nv.output
    assert f"memmap on device: {MEMMAP_PAGES} pages" in nv.output
    ev = [e for e in nv.events_named("memory_added") if e.get("zone") == "Device"]
    assert len(ev) == 1 and ev[0]["base"] == 4 * GiB and ev[0]["size"] == GiB, ev
    assert ev[0]["memmap_on_memory"] is True and ev[0]["memmap_pages"] == MEMMAP_PAGES, ev
    assert "spa 2 [0x000100000000-0x000140000000)   1024 MiB pmem, domain 0" in nv.output
    assert "no NVDIMM persistent memory" in plain.output
    # The accounting self-test knows device memory: not RAM, and all of it in ZONE_DEVICE.
    case = [e for e in nv.events_named("selftest_case") if e["name"] == "meminfo_matches_memmap"]
    assert case and case[0]["ok"] and not case[0].get("skipped"), case


def test_nvdimm_kmem_round_trip():
    # One vCPU: page migration with two is IPI-bound under TCG on a loaded host (~40x slower
    # here), and offlining the range block by block moves a page up to once per block.
    r = boot(BASE.replace("-smp 2", "-smp 1") + NVDIMM, timeout=240, commands=[
        "daxctl reconfigure pmem0 system-ram", "meminfo", "memory", "pagetypes --check",
        "memhog 32M", "memhog pin 1",           # movable: lands in the pmem's ZONE_MOVABLE
        "daxctl reconfigure pmem0 devdax",      # refused (a pinned page): stays System RAM
        "daxctl", "pagetypes --check", "memhog unpin 1",
        "daxctl reconfigure pmem0 devdax",      # the hog migrates into boot RAM
        "daxctl", "meminfo", "pagetypes --check", "memhog free", "vmstat",
        "daxctl reconfigure pmem0 system-ram", "pagetypes --check",
        "daxctl reconfigure pmem0 devdax", "pagetypes --check", "meminfo"])
    r.expect_status(33)
    out = r.output
    assert_walks_clean(out, 5)
    kmem = r.events_named("dax_kmem")
    assert [e["mode"] for e in kmem] == ["system-ram", "devdax", "system-ram", "devdax"], kmem
    assert kmem[0]["online"] == "online_movable", kmem
    totals = [int(v) for v in re.findall(r"^MemTotal:\s+(\d+) kB", out, re.M)]
    # System RAM: the pmem's 1 GiB less its 16 MiB memmap (on the memory itself again).
    assert totals[0] - totals[1] == (DEV_PAGES - MEMMAP_PAGES) * 4, totals
    assert totals[1] == totals[2], totals
    assert out.count("online         Movable             0      512") == 8, out[-4000:]
    # The refused switch: named, and the device still System RAM.
    assert re.search(r"pfn 0x[0-9a-f]+ is busy \(.*pinned", out), out[-4000:]
    assert "could not be offlined and removed (-16); it stays System RAM" in out, out[-4000:]
    assert re.search(r"pmem0 .* system-ram", out), out[-4000:]
    # The hog was in the pmem, was migrated out of it, and comes back intact.
    hog = re.findall(r"memhog 1: 33554432 bytes, (\d+) movable pages, (\d+) in hot-added blocks", out)
    assert hog and hog[0][0] == hog[0][1] == "8192", hog
    assert "memhog 1: freed 33554432 bytes, 0 bad words" in out, out[-3000:]
    migrated = re.findall(r"^pgmigrate_success\s+(\d+)", out, re.M)
    assert migrated and int(migrated[-1]) >= 8192, migrated
    assert meminfo(out, "DeviceMem") == GiB >> 10


def test_nvdimm_on_second_node():
    numa = ("-M pc,nvdimm=on -m 1G,slots=4,maxmem=8G -smp 2 "
            "-object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M "
            "-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1 "
            "-object memory-backend-ram,id=nv0,size=512M -device nvdimm,id=nvdimm0,memdev=nv0,node=1")
    r = boot(numa, timeout=180, commands=["daxctl", "zoneinfo", "pagetypes --check",
                                          "daxctl reconfigure pmem0 system-ram", "memory",
                                          "pagetypes --check", "daxctl reconfigure pmem0 devdax"])
    r.expect_status(33)
    assert_walks_clean(r.output, 2)
    assert re.search(r"pmem0 .* 512 MiB node 1  devdax", r.output), r.tail()
    dev = zone(r.output, 1, "Device")
    assert dev["spanned"] == (512 * MiB) >> 12 and dev["present"] == 0, dev
    assert zone(r.output, 0, "Device")["spanned"] == 0
    assert r.output.count("online         Movable             1      512") == 4, r.tail()
    assert [e["node"] for e in r.events_named("dax_kmem")] == [1, 1]


def nfit_with(bend):
    t = bytearray(open(NFIT, "rb").read())
    bend(t)
    return checksum(bytes(t))


def put(t, off, fmt, val):
    import struct
    struct.pack_into(fmt, t, off, val)


def test_nvdimm_malformed_nfit_refused():
    # QEMU's own NFIT, bent and handed over as an override (the firmware's is then ignored).
    cases = [
        (lambda t: put(t, 0x50, "<Q", GiB + 16),
         "NFIT+0x50: SPA range 2: [0x100000000-0x140000010) is not page-aligned; structure left out",
         None),
        (lambda t: put(t, 0x62, "<H", 0),
         "NFIT+0x62: structure type 1: length 0; cannot step past it, rest of the table ignored",
         "devdax"),
        (lambda t: put(t, 0x34, "<I", 7),
         "nvdimm: NFIT+0x28: SPA range 2: proximity domain 7 has no node (not in the SRAT); node 0",
         "devdax"),
    ]
    for bend, want, mode in cases:
        with tempfile.TemporaryDirectory(prefix="hotmm-nfit-") as tmp:
            path = os.path.join(tmp, "nfit.dat")
            with open(path, "wb") as f:
                f.write(nfit_with(bend))
            r = boot(BASE + NVDIMM, iso=make_iso([path], tmp), timeout=120,
                     commands=["acpi", "daxctl", "meminfo", "pagetypes --check"])
        r.expect_status(33)
        assert want in r.output, f"{want!r} missing\n{r.tail()}"
        assert "NFIT" in r.output and "replaced from module 0 (nfit.dat)" in r.output, r.tail()
        assert_walks_clean(r.output, 1)
        if mode is None:
            assert "no NVDIMM persistent memory" in r.output, r.tail()
            assert meminfo(r.output, "DeviceMem") == 0
        else:
            assert re.search(rf"pmem0 .* node 0  {mode}", r.output), r.tail()
            assert meminfo(r.output, "DeviceMem") == GiB >> 10


def test_nvdimm_q35_memoryless_node_next_to_a_dimm():
    # q35; the NVDIMM on node 1, which has a CPU and no RAM (its pg_data_t comes from the
    # device); a coldplugged DIMM on node 0 right after the NVDIMM in the hotplug window.
    args = ("-M q35,nvdimm=on -m 512M,slots=4,maxmem=8G -smp 2 "
            "-object memory-backend-ram,id=m0,size=512M -numa node,nodeid=0,cpus=0,memdev=m0 "
            "-numa node,nodeid=1,cpus=1 "
            "-object memory-backend-ram,id=nv0,size=512M -device nvdimm,id=nvdimm0,memdev=nv0,node=1 "
            "-object memory-backend-ram,id=d0,size=256M -device pc-dimm,id=dimm0,memdev=d0,node=0")
    r = boot(args, timeout=240, commands=["daxctl", "numa", "zoneinfo", "memory", "pagetypes --check",
                                          "daxctl reconfigure pmem0 system-ram", "memory",
                                          "pagetypes --check", "daxctl reconfigure pmem0 devdax",
                                          "pagetypes --check"])
    r.expect_status(33)
    out = r.output.replace("\r", "")
    assert_walks_clean(out, 3)
    assert "node 1: pxm 1, online, 1 cpus [apic 1], 0 MiB present (memoryless)" in out, out[-3000:]
    assert re.search(r"pmem0 .* 512 MiB node 1  devdax", out), out[-3000:]
    dev = zone(out, 1, "Device")
    assert dev["spanned"] == (512 * MiB) >> 12 and dev["present"] == 0 and dev["device"] == dev["spanned"]
    assert zone(out, 1, "Normal")["present"] == 0
    # The DIMM (node 0) stays where it is through both switches; the pmem's blocks are node 1.
    assert out.count("online         Movable             0      512") == 4, out[-3000:]
    assert out.count("online         Movable             1      512") == 4, out[-3000:]
    added = [e for e in r.events_named("memory_added") if e.get("zone") == "Device"]
    assert [e["node"] for e in added] == [1, 1], added
