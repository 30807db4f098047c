"""virtio-mem (drivers/virtio/virtio_mem*.c) driven through QMP, as a host would.

Each resize is `qom-set <dev> requested-size N`; done is QEMU's own `size` property reaching
N. After each: MemTotal is the boot MemTotal plus what is plugged minus the self-hosted memmap
of every added 128 MiB block (2 MiB each), `pagetypes --check` holds, and memhog's patterns
survive the shrinks (its pages migrate out of the blocks that go).

- resize: 1 GiB, 3 GiB, 258 MiB (a third block holding only its memmap), 0, on pc (with a
  48 MiB memhog in virtio-mem memory across the shrinks) and q35.
- busy: a pinned memhog in virtio-mem memory refuses part of an unplug to 0: QEMU's size
  stays above 0 and below what it was, nothing is lost; unpinned, the driver's retry finishes.
- two devices on two NUMA nodes (ACPI_PXM): each node's zones grow by its device's memory.
- a 4 MiB block size.
- the in-kernel self-test against the device model (virtio_mem_fake, on withheld RAM).
"""
import json
import re
import time

from qemu import Machine, boot

MiB = 1 << 20
GiB = 1 << 30
BLOCK = 128 * MiB
MEMMAP = 2 * MiB  # self-hosted memmap of one 128 MiB block

ONE_DEV = ("-smp 2 -m 1G,maxmem=16G -object memory-backend-ram,id=vm0,size=8G "
           "-device virtio-mem-pci,id=vm0,memdev=vm0,requested-size=0")


def meminfo_kb(m, key="MemTotal"):
    return int(re.search(rf"^{key}:\s+(\d+) kB", m.command("meminfo"), re.M).group(1))


def check_clean(m):
    out = m.command("pagetypes --check", timeout=120)
    assert "all invariants hold" in out, out


def resize(m, dev, size, timeout=120):
    """qom-set, then wait until QEMU's size equals it; returns the seconds it took."""
    t0 = time.time()
    m.qmp("qom-set", path=f"/machine/peripheral/{dev}", property="requested-size", value=size)
    while True:
        got = m.qmp("qom-get", path=f"/machine/peripheral/{dev}", property="size")
        if got == size:
            return time.time() - t0
        assert time.time() - t0 < timeout, f"{dev}: size {got} after {timeout}s, requested {size}\n" + \
            m.buf[-3000:]
        time.sleep(0.02)


def qemu_size(m, dev):
    return m.qmp("qom-get", path=f"/machine/peripheral/{dev}", property="size")


def vm_events(m):
    """The virtio_mem report lines (found by their fields: one may share a console line with the
    shell's output, written by another CPU)."""
    return [json.loads(t) for t in re.findall(r'(\{"event":"virtio_mem",[^{}]*\})', m.buf)]


def added_blocks(m):
    """128 MiB blocks of virtio-mem memory added now (`iomem`'s driver-managed ranges)."""
    out = m.command("iomem")
    n = 0
    for a, b in re.findall(r"^([0-9a-f]+)-([0-9a-f]+) : System RAM \(virtio_mem\)", out, re.M):
        n += (int(b, 16) + 1 - int(a, 16)) // BLOCK
    return n


def expect_memtotal(m, base_kb, size, blocks=None):
    """MemTotal = boot + plugged - the memmap of every added block (the fewest when given)."""
    for _ in range(100):
        nblk = added_blocks(m)
        want = base_kb + (size - nblk * MEMMAP) // 1024
        got = meminfo_kb(m)
        if got == want:
            break
        time.sleep(0.05)
    else:
        raise AssertionError(f"MemTotal {got} kB, want {want} kB for {size >> 20} MiB plugged in {nblk} blocks")
    if blocks is not None:
        assert nblk == blocks, f"{size >> 20} MiB plugged in {nblk} blocks, want {blocks}\n" + m.command("virtio-mem map")
    return nblk


def blocks_for(size):
    return -(-size // BLOCK)


def memhog(m, size, *words):
    out = m.command(f"memhog {size // 1024}K " + " ".join(words), timeout=300)
    ev = [e for e in __import__("qemu").parse_events(out) if e["event"] == "memhog_alloc"]
    assert ev, out
    return ev[-1]


def memhog_free(m):
    out = m.command("memhog free", timeout=300)
    frees = [e for e in __import__("qemu").parse_events(out) if e["event"] == "memhog_free"]
    assert frees and all(f["bad_words"] == 0 for f in frees), out
    return frees


def run_resizes(machine_args, hog_mib):
    with Machine(machine_args, timeout=600, qmp=True) as m:
        m.wait_ready()
        out = m.command("virtio-mem")
        assert "region [0x100000000-0x300000000)" in out and "block 2048 KiB" in out, out
        base = meminfo_kb(m)
        resize(m, "vm0", 1 * GiB)
        expect_memtotal(m, base, 1 * GiB, blocks=8)
        check_clean(m)
        # A hog with a pattern; movable requests prefer ZONE_MOVABLE: virtio-mem memory.
        if hog_mib:
            hog = memhog(m, hog_mib * MiB)
            assert hog["hotadded_pages"] == hog["pages"], hog
        resize(m, "vm0", 3 * GiB)
        expect_memtotal(m, base, 3 * GiB, blocks=24)
        check_clean(m)
        resize(m, "vm0", 258 * MiB)
        # Two full blocks and one holding only its memmap: whole blocks left, one was cut down.
        expect_memtotal(m, base, 258 * MiB, blocks=3)
        out = m.command("virtio-mem map")
        assert len(re.findall(r"online\s+#{64}\s*$", out, re.M)) == 2, out
        assert len(re.findall(r"online\s+#\.{63}\s*$", out, re.M)) == 1, out
        check_clean(m)
        resize(m, "vm0", 0)
        expect_memtotal(m, base, 0, blocks=0)
        check_clean(m)
        if hog_mib:
            memhog_free(m)
        assert m.command("iomem").strip() == "", m.command("iomem")
        evs = vm_events(m)
        assert evs[-1]["plugged"] == 0 and evs[-1]["device_plugged"] == 0, evs[-1]
        assert all(e["result"] == 0 for e in evs), evs
        return m.buf


# Migration under TCG costs tens of us a page (more on a loaded host): the hog stays small.
def test_resize_pc():
    run_resizes(ONE_DEV, hog_mib=48)


def test_resize_q35():
    run_resizes("-M q35 " + ONE_DEV, hog_mib=0)


def test_busy_unplug_then_retry():
    with Machine(ONE_DEV, timeout=600, qmp=True) as m:
        m.wait_ready()
        base = meminfo_kb(m)
        resize(m, "vm0", 512 * MiB)
        hog = memhog(m, 64 * MiB)
        assert hog["hotadded_pages"] == hog["pages"], hog  # all of it in virtio-mem memory
        out = m.command(f"memhog pin {hog['id']}")
        assert "pinned" in out, out
        m.qmp("qom-set", path="/machine/peripheral/vm0", property="requested-size", value=0)
        m.wait_for('"requested":0,"device_plugged":', timeout=120)
        m.wait_for('"result":-16,', timeout=30)
        m.wait_for("}", timeout=30)  # the rest of that line
        left = qemu_size(m, "vm0")
        # Whatever holds a pinned page stays; the rest went (the free blocks first).
        assert 64 * MiB <= left < 512 * MiB, left
        ev = [e for e in vm_events(m) if e["result"] == -16][-1]
        assert ev["requested"] == 0 and ev["plugged"] == left == ev["device_plugged"], ev
        expect_memtotal(m, base, left)
        check_clean(m)
        out = m.command("virtio-mem")
        assert "retries" in out, out
        # Unpinned: the retry (backing off, at most 5 s apart) takes the rest, migrating the hog.
        m.command(f"memhog unpin {hog['id']}")
        t0 = time.time()
        while qemu_size(m, "vm0") != 0:
            assert time.time() - t0 < 60, m.buf[-3000:]
            time.sleep(0.1)
        expect_memtotal(m, base, 0)
        memhog_free(m)
        check_clean(m)


def test_two_nodes():
    args = ("-smp 2 -m 2G,maxmem=16G "
            "-object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=1G "
            "-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1 "
            "-object memory-backend-ram,id=vb0,size=2G -object memory-backend-ram,id=vb1,size=2G "
            "-device virtio-mem-pci,id=vm0,memdev=vb0,node=0,requested-size=0 "
            "-device virtio-mem-pci,id=vm1,memdev=vb1,node=1,requested-size=0")
    with Machine(args, timeout=600, qmp=True) as m:
        m.wait_ready()
        out = m.command("virtio-mem")
        assert re.search(r"virtio-mem0: .*node 0,", out) and re.search(r"virtio-mem1: .*node 1,", out), out
        base = meminfo_kb(m)
        resize(m, "vm0", 256 * MiB)
        resize(m, "vm1", 512 * MiB)
        expect_memtotal(m, base, 768 * MiB, blocks=6)
        zi = __import__("qemu").parse_zoneinfo(m.command("zoneinfo"))
        assert zi[(0, "Movable")]["managed"] == (256 * MiB - 2 * MEMMAP) // 4096, zi
        assert zi[(1, "Movable")]["managed"] == (512 * MiB - 4 * MEMMAP) // 4096, zi
        check_clean(m)
        resize(m, "vm1", 0)
        resize(m, "vm0", 0)
        expect_memtotal(m, base, 0)
        check_clean(m)


def test_block_size_4m():
    args = ONE_DEV.replace("requested-size=0", "requested-size=0,block-size=4M")
    with Machine(args, timeout=600, qmp=True) as m:
        m.wait_ready()
        out = m.command("virtio-mem")
        assert "block 4096 KiB, sub-block 4096 KiB" in out, out
        base = meminfo_kb(m)
        resize(m, "vm0", 1 * GiB)
        expect_memtotal(m, base, 1 * GiB)
        resize(m, "vm0", 260 * MiB)  # 2 blocks and the first sub-block (memmap + 2 MiB) of a third
        expect_memtotal(m, base, 260 * MiB, blocks=3)
        check_clean(m)
        resize(m, "vm0", 0)
        expect_memtotal(m, base, 0)
        check_clean(m)


def test_selftest_fake_device():
    r = boot("-smp 2 -m 1G", cmdline="memhp_withhold=512M selftest=virtio_mem_fake", timeout=300)
    r.expect_status(33)
    ev = r.event("virtio_mem_fake")
    assert ev["ok"] and ev["steps"] == 5, ev
