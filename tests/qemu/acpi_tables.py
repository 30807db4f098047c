"""Building ACPI tables and cpio "newc" archives of them in QEMU tests (overrides).

    table("SLIT", slit_body([[10, 17], [17, 10]]))   # header + checksum
    cpio([("kernel/firmware/acpi/slit.dat", bytes)])  # Linux's override archive
"""
import struct


def checksum(t):
    t = bytearray(t)
    t[9] = 0
    t[9] = (-sum(t)) & 0xff
    return bytes(t)


def table(sig, body, rev=1, oem_table_id=b"OVERRIDE"):
    hdr = sig.encode() + struct.pack("<IBB6s8sI4sI", 36 + len(body), rev, 0, b"HOTMM ",
                                     oem_table_id, 1, b"HTMM", 1)
    return checksum(hdr + body)


def slit_body(dist):
    return struct.pack("<Q", len(dist)) + bytes(d for row in dist for d in row)


def srat_body(cpus, mems):
    """cpus: [(apic_id, pxm)]; mems: [(base, size, pxm, hotpluggable)]."""
    out = struct.pack("<IQ", 1, 0)  # table revision 1, reserved
    for apic, pxm in cpus:
        out += struct.pack("<BBBBIB3sI", 0, 16, pxm & 0xff, apic, 1, 0, bytes(3), 0)
    for base, size, pxm, hp in mems:
        out += struct.pack("<BBIHQQIIQ", 1, 40, pxm, 0, base, size, 0, 1 | (2 if hp else 0), 0)
    return out


def cpio_entry(name, mode, data):
    name = name.encode() + b"\0"
    hdr = b"070701" + b"".join(b"%08X" % v for v in
                               (1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0))
    out = hdr + name
    out += b"\0" * (-len(out) % 4) + data
    return out + b"\0" * (-len(out) % 4)


def cpio(files, trailer=True):
    """files: [(name, data)] regular files, or [(name, mode, data)]."""
    out = b""
    for f in files:
        name, mode, data = f if len(f) == 3 else (f[0], 0o100644, f[1])
        out += cpio_entry(name, mode, data)
    return out + (cpio_entry("TRAILER!!!", 0, b"") if trailer else b"")
