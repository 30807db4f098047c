"""PCI enumeration, BAR sizing, MSI-X and the virtio core, in QEMU (pc and q35).

What each machine must give, stated here and not read back from the kernel:

- `lspci -v` lists exactly the functions QEMU reports over QMP (`query-pci`, bridges followed),
  with the same vendor:device and class, and for every BAR (ROM included) the size QEMU gives.
- `pc` has no MCFG: config space goes through the 0xCF8/0xCFC ports. `q35` has one (ECAM at
  0xb0000000 in QEMU 7.2): config space is memory-mapped.
- A virtio-rng-pci behind a `pci-bridge` sits on the bridge's secondary bus and is found there;
  a modern-only one (`disable-legacy=on`, id 0x1044) behind a `pcie-root-port` on q35 too.
- `rng N` reads N bytes from virtio-rng through its queue; each request completes through the
  queue's MSI-X vector (so the interrupt count is at least the request count), and 256 random
  bytes are not all equal. `rng N DEV poll` waits by polling the used ring (how work-queue
  code must wait); the device still interrupts for each buffer.
- `virtio unbind N` runs the driver's remove (device reset, vectors freed), `virtio bind N` probes
  again; both work with MSI-X and with INTx.
- A virtio function without MSI-X (`vectors=0`) interrupts through its INTx line instead (the
  IRQ SeaBIOS wrote to its Interrupt Line register, through the IOAPIC) and reads the same way.
"""
import re

from qemu import Machine

BRIDGE = ("-device virtio-rng-pci -device pci-bridge,chassis_nr=1,id=br1 "
          "-device virtio-rng-pci,bus=br1,addr=3")
LINE_RE = re.compile(r"^([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) .*\[([0-9a-f]{4})\]: "
                     r"([0-9a-f]{4}):([0-9a-f]{4}) \(rev", re.M)
BAR_RE = re.compile(r"^\t(?:Region (\d): .*|Expansion ROM at .*) \[size=(\d+)([KMG]?)\]", re.M)
UNIT = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def parse_lspci(text):
    """{(bus, slot, fn): (vendor, device, class16, {bar: size})} from `lspci -v`."""
    devs = {}
    blocks = re.split(r"\n(?=[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] )", text)
    for block in blocks:
        m = LINE_RE.search(block)
        if not m:
            continue
        bars = {}
        for b in BAR_RE.finditer(block):
            bars[int(b.group(1)) if b.group(1) else 6] = int(b.group(2)) * UNIT[b.group(3)]
        key = (int(m.group(1), 16), int(m.group(2), 16), int(m.group(3)))
        devs[key] = (int(m.group(5), 16), int(m.group(6), 16), int(m.group(4), 16), bars)
    return devs


def flatten_qmp(buses):
    devs = {}

    def walk(devices):
        for d in devices:
            bars = {r["bar"]: r["size"] for r in d["regions"]}
            devs[(d["bus"], d["slot"], d["function"])] = (
                d["id"]["vendor"], d["id"]["device"], d["class_info"]["class"], bars)
            if "pci_bridge" in d:
                walk(d["pci_bridge"].get("devices", []))

    for bus in buses:
        walk(bus["devices"])
    return devs


def compare_with_qmp(m):
    """lspci -v against query-pci; returns both views."""
    out = m.command("lspci -v")
    ours = parse_lspci(out)
    qemu = flatten_qmp(m.qmp("query-pci"))
    assert set(ours) == set(qemu), f"lspci: {sorted(ours)}\nQMP: {sorted(qemu)}\n{out}"
    for key, (vendor, device, cls, bars) in qemu.items():
        assert ours[key][:3] == (vendor, device, cls), (key, ours[key], qemu[key])
        assert ours[key][3] == bars, f"{key}: BARs {ours[key][3]} vs QMP {bars}"
    ev = [e for e in m.events() if e["event"] == "pci"][0]
    assert ev["devices"] == len(qemu), ev
    return out, ours, qemu


def read_rng(m, dev, mode=""):
    out = m.command(f"rng 256 {dev}{mode}")
    r = re.search(r"rng: (\d+) bytes from virtio\d \(\S+\) in (\d+) request\(s\)"
                  + (" polled" if mode else "") +
                  r"; queue interrupts (\d+), (?:MSI-X entry 1|INTx IRQ \d+) count (\d+)", out)
    assert r, out
    nbytes, reqs, qirqs, line = map(int, r.groups())
    assert nbytes == 256, out
    assert reqs >= 4, out                     # 64-byte buffers
    assert qirqs >= reqs and line >= reqs, out
    # Hex lines only: a kernel message may land in the middle of the command's output.
    data = bytes.fromhex("".join(re.findall(r"^([0-9a-f]{2,64})\r?$", out.split("rng:")[0], re.M)))
    assert len(data) == 256 and len(set(data)) > 16, out


def check_machine(machine, mechanism):
    with Machine(f"-M {machine} -m 512M -smp 2 {BRIDGE}", qmp=True) as m:
        m.wait_ready()
        out, ours, qemu = compare_with_qmp(m)
        assert mechanism in out, out[-300:]

        # The bridge's secondary bus holds the second rng.
        bridge = [k for k, v in qemu.items() if v[2] == 0x0604]
        assert len(bridge) == 1 and (1, 3, 0) in ours, sorted(ours)
        assert ours[(1, 3, 0)][:2] == (0x1af4, 0x1005)

        virtio = m.command("virtio")
        assert virtio.count("driver virtio_rng") == 2, virtio
        assert "BROKEN" not in virtio and "failed" not in virtio, virtio

        for dev, mode in ((0, ""), (1, ""), (0, " poll")):
            read_rng(m, dev, mode)
        irqs = m.command("interrupts")
        assert len(re.findall(r"0x[0-9a-f]{2}\s+\d+\s+input", irqs)) == 2, irqs
        lv = m.command("lspci -v")
        assert lv.count("Kernel driver in use: virtio_rng") == 2, lv
        assert lv.count("MSI-X: Enable+ Count=2") == 2, lv


def test_pci_pc():
    check_machine("pc", "ports 0xcf8/0xcfc")


def test_pci_q35():
    check_machine("q35", "ECAM at 0xb0000000, buses 0-255")


def test_pci_q35_modern_behind_root_port():
    """A modern-only virtio device (id 0x1044) behind a PCIe root port (a type 1 header)."""
    with Machine("-M q35 -m 512M -smp 2 -device pcie-root-port,id=rp1,chassis=2 "
                 "-device virtio-rng-pci,bus=rp1,disable-legacy=on", qmp=True) as m:
        m.wait_ready()
        out, ours, qemu = compare_with_qmp(m)
        assert ours[(1, 0, 0)][:2] == (0x1af4, 0x1044), sorted(ours)
        assert "Kernel driver in use: virtio_rng" in out, out
        read_rng(m, 0)


def test_pci_intx_fallback():
    """virtio-rng without MSI-X (vectors=0, as QEMU's virtio-mem-pci always is): INTx through the
    IOAPIC on the IRQ firmware put in the Interrupt Line, next to one with MSI-X."""
    for machine in ("pc", "q35"):
        with Machine(f"-M {machine} -m 512M -smp 2 -device virtio-rng-pci,vectors=0 "
                     "-device virtio-rng-pci", qmp=True) as m:
            m.wait_ready()
            out, ours, qemu = compare_with_qmp(m)
            assert out.count("Kernel driver in use: virtio_rng") == 2, out
            assert "MSI-X: Enable+ Count=" in out, out
            irq = re.search(r"INTx: IRQ (\d+), vector 0x[0-9a-f]+", out)
            assert irq, out
            for dev, mode in ((0, ""), (0, " poll"), (1, "")):
                read_rng(m, dev, mode)
            intx = m.command("rng 64 0")
            assert f"INTx IRQ {irq.group(1)} count" in intx, intx
            assert "MSI-X entry 1 count" in m.command("rng 64 1")


def test_virtio_unbind_rebind():
    """The driver's remove and a second probe, with MSI-X and with INTx: unbinding resets the
    device (status back to ACKNOWLEDGE) and gives every vector back; binding again works."""
    with Machine("-M q35 -m 512M -smp 2 -device virtio-rng-pci -device virtio-rng-pci,vectors=0",
                 qmp=True) as m:
        m.wait_ready()
        for dev in (0, 1):
            read_rng(m, dev)
        for dev in (0, 1):
            assert f"virtio{dev} unbound" in m.command(f"virtio unbind {dev}")
        listing = m.command("virtio")
        assert listing.count("status 0x01, features") == 2 and "driver -" in listing, listing
        assert "no virtio-rng device 0" in m.command("rng 16")
        assert re.search(r"^\s+0x[0-9a-f]{2}\s", m.command("interrupts"), re.M) is None
        assert "MSI-X: Enable+" not in m.command("lspci -v")
        for dev in (0, 1):
            assert f"virtio{dev} bound to virtio_rng" in m.command(f"virtio bind {dev}")
        assert "is bound to virtio_rng" in m.command("virtio bind 0")
        for dev in (0, 1):
            read_rng(m, dev)
        assert m.command("virtio").count("status 0x0f") == 2
