#!/usr/bin/env python3
"""Write the seed corpora of the ACPI fuzz targets from tests/fixtures/acpi.

Each seed is the option byte (see tests/fuzz/fuzz_acpi.h) followed by a real
table: as captured (option 0, checksum already right) and once more with a
few fields bent and option 3 (length and checksum fixed by the target), so
the fuzzers start both at the checks and past them. The discovery target
gets an RSDP plus an RSDT and QEMU's tables laid out in one blob.
"""
import glob
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "tests/fixtures/acpi")
OUT = os.path.join(ROOT, "tests/fuzz/corpus")


def write(name, i, data):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"seed-{i:03d}"), "wb") as f:
        f.write(data)


def checksum(t):
    t = bytearray(t)
    t[9] = 0
    t[9] = (-sum(t)) & 0xff
    return bytes(t)


def tables(fname):
    return sorted(glob.glob(os.path.join(FIX, "*", fname)))


def seeds(target, fname, bend):
    i = 0
    for p in tables(fname):
        data = open(p, "rb").read()
        write(target, i, b"\x00" + data)
        i += 1
        bent = bytearray(data)
        bend(bent)
        write(target, i, b"\x03" + bytes(bent))
        i += 1
    return i


def bend_entries(hdr):
    def f(t):
        if len(t) > hdr + 2:
            t[hdr + 1] = 0  # first entry length 0
    return f


def main():
    seeds("acpi_madt", "apic.dat", bend_entries(44))
    seeds("acpi_srat", "srat.dat", bend_entries(48))
    seeds("acpi_slit", "slit.dat", lambda t: t.__setitem__(36, 0x40))
    seeds("acpi_fadt", "facp.dat", lambda t: t.__setitem__(92, 3))
    seeds("acpi_dsdt", "dsdt.dat", lambda t: None)
    seeds("acpi_mcfg", "mcfg.dat", lambda t: t.__setitem__(54, 0xff))  # start bus 255 > end
    seeds("acpi_nfit", "nfit.dat", lambda t: t.__setitem__(0x2a, 0))  # SPA length 0
    # discovery: RSDP (rev 0 and rev 2) + RSDT/XSDT at the blob start + qemu-numa2 tables after it
    names = ["apic.dat", "srat.dat", "facp.dat", "hpet.dat"]
    blobs = [open(os.path.join(FIX, "qemu-numa2", n), "rb").read() for n in names]
    base = 0x100000
    for i, rev in enumerate((0, 2)):
        esz = 8 if rev else 4
        root_len = 36 + esz * len(blobs)
        offs, off = [], (root_len + 15) & ~15
        for b in blobs:
            offs.append(base + off)
            off += (len(b) + 15) & ~15
        ents = b"".join(struct.pack("<Q" if rev else "<I", o) for o in offs)
        hdr = (b"XSDT" if rev else b"RSDT") + struct.pack("<IBB6s8sI4sI", root_len, 1, 0, b"HOTMM ",
                                                         b"FUZZ    ", 1, b"HOTM", 1)
        root = checksum(hdr + ents)
        mem = bytearray(off)
        mem[0:len(root)] = root
        for o, b in zip(offs, blobs):
            mem[o - base:o - base + len(b)] = b
        rsdp = bytearray(b"RSD PTR " + b"\0" + b"BOCHS " + bytes([rev]) + struct.pack("<IIQ", base, 36, base if rev else 0) + b"\0\0\0\0")
        rsdp[8] = (-sum(rsdp[:20])) & 0xff
        rsdp[32] = (-sum(rsdp)) & 0xff
        write("acpi_tables", i, b"\x00" + bytes(rsdp) + bytes(mem))
    write("acpi_tables", 2, b"\x03" + bytes(36) + bytes(64))


if __name__ == "__main__":
    main()
