#!/usr/bin/env python3
"""Write the seed corpora of fuzz_pci_config and fuzz_virtio_used (tests/fuzz/corpus/...).

pci_config inputs: 7 little-endian u32 BAR/ROM write masks, then 256 bytes of config space
(tests/host/fake_pci.h). virtio_used inputs: ring-size byte, buffer-count byte, then used-ring
images (flags, idx, entries) written over the ring in rounds (tests/fuzz/fuzz_virtio_used.c).
"""
import os
import struct

ROOT = os.path.dirname(os.path.abspath(__file__))


def header(vendor, device, cls, hdr_type, status=0x10, cap=0x40):
    cfg = bytearray(256)
    struct.pack_into("<HHHH", cfg, 0, vendor, device, 0x3, status)
    struct.pack_into("<I", cfg, 8, cls << 8 | 1)
    cfg[0x0e] = hdr_type
    cfg[0x34] = cap if status & 0x10 else 0
    return cfg


def cap(cfg, off, cid, nxt, body=b""):
    cfg[off], cfg[off + 1] = cid, nxt
    cfg[off + 2:off + 2 + len(body)] = body


def vcap(cfg, off, nxt, typ, bar, offset, length, mult=None):
    body = bytes([20 if mult is not None else 16, typ, bar, 0, 0, 0]) + struct.pack("<II", offset, length)
    if mult is not None:
        body += struct.pack("<I", mult)
    cap(cfg, off, 0x09, nxt, body)


def masks(*m):
    m = list(m) + [0] * (7 - len(m))
    return struct.pack("<7I", *m)


def virtio_rng(bar4_len=0x4000, msix_table=0x1, msix_entries=2, notify_off=0x3000):
    cfg = header(0x1af4, 0x1005, 0x00ff00, 0, cap=0x98)
    struct.pack_into("<I", cfg, 0x10, 0xc001)
    struct.pack_into("<I", cfg, 0x14, 0xfea71000)
    struct.pack_into("<II", cfg, 0x20, 0xfe20000c, 0)
    struct.pack_into("<HH", cfg, 0x2c, 0x1af4, 4)
    cap(cfg, 0x98, 0x11, 0x84, struct.pack("<HII", msix_entries - 1, msix_table, 0x801))
    vcap(cfg, 0x84, 0x70, 5, 0, 0, 0)
    vcap(cfg, 0x70, 0x60, 2, 4, notify_off, 0x1000, 4)
    vcap(cfg, 0x60, 0x50, 4, 4, 0x2000, 0x1000)
    vcap(cfg, 0x50, 0x40, 3, 4, 0x1000, 0x1000)
    vcap(cfg, 0x40, 0x00, 1, 4, 0x0000, 0x1000)
    return masks(0xffffffe0, 0xfffff000, 0, 0, (~(bar4_len - 1)) & 0xfffffff0, 0xffffffff) + bytes(cfg)


def pci_seeds():
    yield "virtio-rng", virtio_rng()
    yield "virtio-notify-past-bar", virtio_rng(notify_off=0x3800)
    yield "virtio-small-bar4", virtio_rng(bar4_len=0x2000)
    yield "msix-table-past-bar", virtio_rng(msix_entries=512)
    yield "msix-bir-7", virtio_rng(msix_table=0x7)
    cfg = header(0x1b36, 0x0001, 0x060400, 1)
    cfg[0x19], cfg[0x1a] = 1, 1
    struct.pack_into("<II", cfg, 0x10, 0xfea72004, 0)
    cap(cfg, 0x40, 0x0c, 0x48)
    cap(cfg, 0x48, 0x04, 0x4c)
    cap(cfg, 0x4c, 0x05, 0x00)
    yield "bridge", masks(0xffffff00, 0xffffffff) + bytes(cfg)
    cfg = header(0x8086, 0x100e, 0x020000, 0x80)
    cap(cfg, 0x40, 0x01, 0x50)
    cap(cfg, 0x50, 0x05, 0x40)
    yield "cap-loop-mfd", masks(0xfffe0000, 0xffffffc1) + bytes(cfg)
    cfg = header(0x8086, 0x100e, 0x020000, 0)
    cap(cfg, 0x40, 0x01, 0x21)
    struct.pack_into("<I", cfg, 0x24, 0xfe000004)
    yield "cap-into-header-bar5-64", masks(0, 0, 0, 0, 0, 0xfffff000, 0xfffff800) + bytes(cfg)
    cfg = header(0x1b36, 0x000c, 0x060400, 1) + bytearray(4096 - 256)
    cap(cfg, 0x40, 0x10, 0x00)
    struct.pack_into("<I", cfg, 0x100, 0x14820001)
    struct.pack_into("<I", cfg, 0x148, 0x1000000d)   # loops back to 0x100
    yield "pcie-ext-caps-loop", masks() + bytes(cfg)


def used_ring(flags, idx, entries, num):
    ring = [(0, 0)] * num
    for i, e in enumerate(entries):
        ring[i] = e
    return struct.pack("<HH", flags, idx) + b"".join(struct.pack("<II", a, b) for a, b in ring)


def used_seeds():
    yield "two-in-order", bytes([3, 4]) + used_ring(0, 2, [(0, 1), (1, 2)], 8)
    yield "out-of-order-rounds", bytes([2, 4]) + used_ring(0, 2, [(3, 4), (0, 1)], 4) + \
        used_ring(0, 4, [(3, 4), (0, 1), (2, 3), (1, 2)], 4)
    yield "id-out-of-range", bytes([3, 2]) + used_ring(0, 1, [(9, 1)], 8)
    yield "len-too-big", bytes([3, 2]) + used_ring(0, 1, [(0, 33)], 8)
    yield "idx-far-ahead", bytes([3, 2]) + used_ring(0, 200, [(0, 1)], 8)
    yield "same-id-twice", bytes([1, 2]) + used_ring(0, 2, [(0, 1), (0, 1)], 2)


def write(name, seeds):
    d = os.path.join(ROOT, "corpus", name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    for label, data in seeds:
        with open(os.path.join(d, f"seed-{label}"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write("pci_config", pci_seeds())
    write("virtio_used", used_seeds())
