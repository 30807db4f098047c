"""UEFI boot: the same ISO through OVMF (Debian's ovmf) instead of SeaBIOS.

What must hold, stated here and not read back from the kernel:

- GRUB booted through UEFI hands over the EFI system table (OVMF's: "EDK II", UEFI 2.x, with
  the ACPI 2.0 RSDP among its configuration tables), the EFI memory map and the
  ACPI 2.0 RSDP: the kernel says `"boot":"uefi"`, builds its map from the EFI map, and
  reaches QEMU's tables through the XSDT (RSDP revision 2). Through SeaBIOS it gets the
  ACPI 1.0 RSDP and an RSDT.
- The machine is the same under both firmwares, so everything QEMU describes is the same:
  CPUs, NUMA nodes with their CPUs, SRAT memory windows (the hot-pluggable one included),
  SLIT distances, the memory-hotplug controller and its slots, and the ACPI tables QEMU
  builds (APIC, FACP, DSDT, SRAT, ...; each firmware adds the root table and FACS its own way).
- RAM differs only by what each firmware keeps for itself. Above 1 MiB, every range OVMF
  calls usable is usable under SeaBIOS too, and the usable RAM under UEFI is smaller by
  what OVMF keeps after ExitBootServices(): runtime-services code and data (~3.5 MiB), ACPI
  NVS (~2 MiB), a reserved 512 KiB and its ACPI tables, less SeaBIOS's top 128 KiB. That
  measured 6.0 MiB on 512 MiB, 2 GiB and 4 GiB guests (it does not grow with RAM):
  MAX_OVMF_KEEPS is 8 MiB, so a lost range of one memory block would still show. RAM
  above 4 GiB must be the same to the byte. Below 1 MiB the firmwares differ (SeaBIOS's
  EBDA) and the kernel reserves it all anyway.
- The EFI map's usable descriptors add up to the kernel's usable RAM (the conversion loses
  nothing), and GRUB's own e820-style tag, built from the same firmware map before
  ExitBootServices(), has the same usable ranges.
- A DIMM plugged at run time over QMP comes online with nothing typed, and device_del takes
  it out again (offline, remove, eject), as under SeaBIOS.

UEFI boots cost 3-4 s of firmware each under TCG: three of them here (pc and q35 compared
with SeaBIOS, plus the self-tests, booted from the ISO written to a USB stick). All are
skipped, with the reason, when OVMF is missing.
"""
import re

from qemu import Machine, boot, ovmf_missing, parse_events, Skip
from test_acpi import DIST_RE, HOTPLUG_RE, NODE_RE

GiB = 1 << 30
MiB = 1 << 20
MAX_OVMF_KEEPS = 8 * MiB

E820_RE = re.compile(r"^BIOS-e820: \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] (.+?)\s*$", re.M)
EFI_RE = re.compile(r"^efi: mem\d+: \[([^|\]]+)\|[^\]]*\] range=\[0x([0-9a-f]+)-0x([0-9a-f]+)\] "
                    r"\((\d+) KiB\) -> (.+?)\s*$", re.M)
ACPI_SIG_RE = re.compile(r"^  ([A-Z0-9]{4}) 0x[0-9a-f]{16}\s", re.M)

# Two nodes, so that SRAT, SLIT defaults and per-node RAM are compared, and DIMM slots.
PC = ("-M pc -m 2G,slots=4,maxmem=8G -smp 2 "
      "-object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=1G "
      "-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1")
# q35 with 4 GiB: 2 GiB below the PCI hole, 2 GiB above 4 GiB.
Q35 = ("-M q35 -m 4G,slots=4,maxmem=16G -smp 2 "
       "-object memory-backend-ram,id=m0,size=2G -object memory-backend-ram,id=m1,size=2G "
       "-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1")


def need_ovmf():
    why = ovmf_missing()
    if why:
        raise Skip(why)


def e820(text):
    """[(start, end_exclusive, type name)] from `mmap` or `mmap grub`."""
    return [(int(a, 16), int(b, 16) + 1, t) for a, b, t in E820_RE.findall(text)]


def usable(ranges, lo=0, hi=1 << 64):
    """Usable ranges clipped to [lo, hi), adjacent ones merged."""
    out = []
    for a, b, t in sorted(ranges):
        a, b = max(a, lo), min(b, hi)
        if t != "usable" or a >= b:
            continue
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def total(ranges):
    return sum(b - a for a, b in ranges)


def inside(r, ranges):
    return any(a <= r[0] and r[1] <= b for a, b in ranges)


def view(args, uefi, plug=False):
    """Boot, read what the kernel made of the machine; with plug, hot-add a DIMM over QMP.

    A UEFI boot ends in `crash pagefault`: its backtrace must name the functions. GRUB for
    UEFI loads .symtab and .strtab in the lowest free memory, where the AP trampoline goes;
    the kernel moves them first (kernel/main.c), or the names come out empty."""
    with Machine(args, timeout=240, qmp=plug, uefi=uefi) as m:
        m.wait_ready()
        v = {"mmap": m.command("mmap"), "grub": m.command("mmap grub"), "numa": m.command("numa"),
             "acpi": m.command("acpi")}
        if uefi:
            v["efi"] = m.command("mmap efi")
        if plug:
            mark = len(m.buf)
            m.qmp("object-add", **{"qom-type": "memory-backend-ram", "id": "mem-hp0", "size": GiB})
            m.qmp("device_add", driver="pc-dimm", id="hp0", memdev="mem-hp0")
            m.wait_for('"event":"memhp_add"', timeout=60)   # nothing typed: the SCI does it
            v["memory"] = m.command("memory")               # (and the whole report line is in)
            v["plug"] = [e for e in parse_events(m.buf[mark:]) if e["event"] == "memhp_add"]
            mark = len(m.buf)
            m.qmp("device_del", id="hp0")                   # and out again: offline, remove, eject
            v["deleted"] = m.qmp_wait_event("DEVICE_DELETED", timeout=60)["data"]["device"]
            m.wait_for('"event":"memhp_remove"', timeout=60)
            v["memory_after"] = m.command("memory")
            v["unplug"] = [e for e in parse_events(m.buf[mark:]) if e["event"] == "memhp_remove"]
        m.send("crash pagefault\n" if uefi else "poweroff\n")
        r = m.wait_exit()
        r.expect_status(37 if uefi else 33)
        if uefi:
            for text in ("crash_now+0x", "cmd_crash+0x", "shell_exec+0x", "start_kernel+0x"):
                assert text in r.output, f"{text!r} missing from the fault report:\n{r.tail()}"
        v["events"] = r
        return v


def nodes(text):
    return {int(n.group(1)): (int(n.group(2)), n.group(3), n.group(5).split(), int(n.group(6)))
            for n in NODE_RE.finditer(text)}


def srat_windows(text):
    return re.findall(r"^  mem \[(0x[0-9a-f]+)-(0x[0-9a-f]+)\)(.*)$", text, re.M)


def compare(args):
    bios = view(args, uefi=False)
    uefi = view(args, uefi=True, plug=True)
    b_entry, u_entry = bios["events"].event("kernel_entry"), uefi["events"].event("kernel_entry")
    assert (b_entry["boot"], b_entry["mmap"]) == ("bios", "e820"), b_entry
    assert (u_entry["boot"], u_entry["mmap"]) == ("uefi", "efi"), u_entry

    # ACPI: the root table differs, what QEMU describes does not.
    b_acpi, u_acpi = bios["events"].event("acpi"), uefi["events"].event("acpi")
    assert b_acpi["root"] == "RSDT" and b_acpi["rsdp_rev"] == 0, b_acpi
    assert u_acpi["root"] == "XSDT" and u_acpi["rsdp_rev"] >= 2, u_acpi
    for key in ("cpus", "nodes", "numa_dummy", "hotplug_ranges", "hotplug_base", "hotplug_size",
                "memhp_io", "memhp_slots", "gpe0", "sci", "x2apic"):
        assert b_acpi[key] == u_acpi[key], (key, b_acpi, u_acpi)
    assert b_acpi["errors"] == 0 and u_acpi["errors"] == 0, (b_acpi, u_acpi)
    for r in (bios["events"], uefi["events"]):
        smp = r.event("smp_ready")
        assert smp["online"] == 2 and smp["failed"] == 0, smp
    assert "boot: UEFI" in uefi["mmap"] and "-> XSDT" in uefi["mmap"], uefi["mmap"]
    assert "new (ACPI 2.0+) RSDP tag" in uefi["mmap"], uefi["mmap"]
    # OVMF's system table: its vendor, and the ACPI 2.0 RSDP among its configuration tables.
    assert re.search(r"EFI system table at 0x[0-9a-f]+: EFI v2\.\d+(\.\d+)? by EDK II\s*$", uefi["mmap"], re.M), uefi["mmap"]
    assert re.search(r"configuration tables: \d+; ACPI 2\.0 RSDP at 0x[1-9a-f]", uefi["mmap"]), uefi["mmap"]
    assert "boot: BIOS" in bios["mmap"] and "-> RSDT" in bios["mmap"], bios["mmap"]
    b_sigs = set(ACPI_SIG_RE.findall(bios["acpi"])) - {"RSDT", "FACS"}
    u_sigs = set(ACPI_SIG_RE.findall(uefi["acpi"])) - {"XSDT", "FACS"}
    assert {"APIC", "FACP", "DSDT", "SRAT"} <= b_sigs, bios["acpi"]
    assert b_sigs <= u_sigs, (b_sigs, u_sigs)

    # NUMA: same nodes, CPUs, SRAT windows and distances; RAM per node within what OVMF keeps.
    assert HOTPLUG_RE.findall(bios["numa"]) == HOTPLUG_RE.findall(uefi["numa"]), (bios["numa"], uefi["numa"])
    assert HOTPLUG_RE.findall(uefi["numa"]), uefi["numa"]
    assert DIST_RE.findall(bios["numa"]) == DIST_RE.findall(uefi["numa"]), (bios["numa"], uefi["numa"])
    b_nodes, u_nodes = nodes(bios["numa"]), nodes(uefi["numa"])
    assert len(b_nodes) == 2 and b_nodes.keys() == u_nodes.keys(), (b_nodes, u_nodes)
    for n in b_nodes:
        assert b_nodes[n][:3] == u_nodes[n][:3], (n, b_nodes, u_nodes)
        assert 0 <= b_nodes[n][3] - u_nodes[n][3] <= MAX_OVMF_KEEPS // MiB, (n, b_nodes, u_nodes)
    # SRAT windows: the `mem [...)` lines of each node.
    assert srat_windows(bios["numa"]) == srat_windows(uefi["numa"]), (bios["numa"], uefi["numa"])

    # RAM: above 1 MiB, OVMF's usable RAM is SeaBIOS's less what OVMF keeps.
    b_map, u_map = e820(bios["mmap"]), e820(uefi["mmap"])
    b_use, u_use = usable(b_map, lo=MiB), usable(u_map, lo=MiB)
    for r in u_use:
        assert inside(r, b_use), (f"UEFI usable [{r[0]:#x}-{r[1]:#x}) is not usable under SeaBIOS", b_map, u_map)
    kept = total(b_use) - total(u_use)
    assert 0 <= kept <= MAX_OVMF_KEEPS, (f"OVMF keeps {kept} bytes", b_map, u_map)
    assert usable(b_map, lo=4 * GiB) == usable(u_map, lo=4 * GiB), (b_map, u_map)
    b_mem = bios["events"].event("memblock_ready")["memory"]
    u_mem = uefi["events"].event("memblock_ready")["memory"]
    assert -MiB <= b_mem - u_mem <= MAX_OVMF_KEEPS, (b_mem, u_mem)

    # The EFI map adds up to the kernel's map; GRUB's own tag agrees on what is usable.
    descs = EFI_RE.findall(uefi["efi"])
    assert len(descs) >= 10, uefi["efi"]
    efi_usable = sum(int(kib) * 1024 for _, _, _, kib, t in descs if t == "usable")
    assert efi_usable == total(usable(u_map)), (efi_usable, u_map)
    assert {t.strip() for t, _, _, _, _ in descs} >= {"Conventional", "Boot Data", "Runtime Code",
                                                      "ACPI Mem NVS"}, uefi["efi"]
    assert usable(e820(uefi["grub"])) == usable(u_map), (uefi["grub"], u_map)

    # A DIMM plugged at run time came online by itself, in the first slot of the window.
    add = uefi["plug"]
    assert len(add) == 1 and add[0]["runtime"] is True and add[0]["added"] == GiB, add
    assert add[0]["base"] == int(HOTPLUG_RE.findall(uefi["numa"])[0][0], 16), (add, uefi["numa"])
    first = add[0]["base"] // (128 * MiB)
    online = [int(b) for b in re.findall(r"^memory(\d+)\s.*online", uefi["memory"], re.M)]
    assert set(range(first, first + 8)) <= set(online), uefi["memory"]
    # ... and device_del took it out again: its blocks offlined and removed, the DIMM ejected.
    rm = uefi["unplug"]
    assert uefi["deleted"] == "hp0" and len(rm) == 1, (uefi["deleted"], rm)
    assert rm[0]["ret"] == 0 and rm[0]["ejected"] is True, rm
    left = {int(b) for b in re.findall(r"^memory(\d+)\s", uefi["memory_after"], re.M)}
    assert not left & set(range(first, first + 8)), uefi["memory_after"]


def test_uefi_pc_matches_bios():
    need_ovmf()
    compare(PC)


def test_uefi_q35_matches_bios():
    need_ovmf()
    compare(Q35)


def test_uefi_selftests_from_usb_stick():
    # The ISO as README's "Bringing up a server" writes it to a USB stick (booted from its EFI
    # system partition), on the Makefile's machine less its DIMM and second CPU, as
    # test_boot's self-test run: on a loaded host, self-tests on a hot-added DIMM or across
    # two TCG vCPUs take tens of seconds, and neither is about the firmware (the runtime plug
    # and both CPUs coming up are checked above).
    need_ovmf()
    r = boot("-m 512M,slots=8,maxmem=32G -smp 1", cmdline="selftest", timeout=240, uefi=True,
             media="usb")
    r.expect_status(33)
    assert re.search(r"BdsDxe: starting Boot\d+ .*USB", r.output), r.output[:3000]
    assert r.event("kernel_entry")["boot"] == "uefi", r.event("kernel_entry")
    assert r.event("memhp_ready")["slots"] == 8, r.event("memhp_ready")
    ev = r.event("selftest")
    failed = [e["name"] for e in r.events_named("selftest_case") if not e.get("ok")]
    assert ev["failed"] == 0 and ev["passed"] > 0, (ev, failed, r.tail(6000))
