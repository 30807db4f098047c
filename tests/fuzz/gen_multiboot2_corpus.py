#!/usr/bin/env python3
"""Write the seed corpus of the multiboot2 fuzzer: tests/fuzz/corpus/multiboot2/.

Each seed is a boot information structure laid out as GRUB does (u32
total_size, u32 reserved, 8-byte aligned tags, end tag {0, 8}): valid ones
that reach every tag parser, and a few broken ones that reach the error
paths. Run from anywhere; the files are rewritten in place and committed.
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "multiboot2")


def tag(ttype, payload):
    """One tag, padded to 8 bytes (the padding is not part of its size)."""
    raw = struct.pack("<II", ttype, 8 + len(payload)) + payload
    return raw + b"\0" * (-len(raw) % 8)


def info(*tags, end=True):
    body = b"".join(tags) + (tag(0, b"") if end else b"")
    return struct.pack("<II", 8 + len(body), 0) + body


def string(ttype, s):
    return tag(ttype, s.encode() + b"\0")


def mmap(entries, entry_size=24, version=0):
    payload = struct.pack("<II", entry_size, version)
    for base, length, etype in entries:
        e = struct.pack("<QQII", base, length, etype, 0)
        payload += e + b"\0" * (entry_size - len(e))
    return tag(6, payload)


PC_MAP = [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xF0000, 0x10000, 2),
          (0x100000, 0x1FEE0000, 1), (0x1FFE0000, 0x20000, 2), (0xFFFC0000, 0x40000, 2)]
RSDP_V1 = b"RSD PTR \x42BOCHS \x00\x00\xe0\x0f\x00"
RSDP_V2 = b"RSD PTR \x42BOCHS \x02\x00\xe0\x0f\x00" + struct.pack("<IQB", 36, 0xFE0000, 0x77) + b"\0" * 3


def elf_sections(num=3, entsize=64, shndx=2, headers=None):
    """ELF-sections tag; `headers` (default num) section headers actually present."""
    present = num if headers is None else headers
    return tag(9, struct.pack("<III", num, entsize, shndx) + bytes(i % 256 for i in range(present * entsize)))


def efi_mmap(descs, desc_size=48, version=1):
    """EFI memory map tag: (type, phys, pages, attribute) descriptors of desc_size bytes."""
    payload = struct.pack("<II", desc_size, version)
    for dtype, phys, pages, attr in descs:
        d = struct.pack("<IIQQQQ", dtype, 0, phys, 0, pages, attr)
        payload += d + b"\0" * (desc_size - len(d))
    return tag(17, payload)


WB = 0xF          # UC|WC|WT|WB
RT = 1 << 63      # EFI_MEMORY_RUNTIME
# OVMF's map of a 512 MiB guest after ExitBootServices (shortened): every type it uses.
OVMF_MAP = [(3, 0x0, 1, WB), (2, 0x1000, 0x12, WB), (7, 0x13000, 0x74, WB), (4, 0x87000, 1, WB),
            (7, 0x88000, 0x18, WB), (2, 0x100000, 0x19B, WB), (7, 0x29B000, 0x56B, WB),
            (10, 0x806000, 2, WB), (7, 0x808000, 8, WB), (10, 0x810000, 0xF0, WB),
            (4, 0x900000, 0xC00, WB), (7, 0x1500000, 0x1319F, WB), (1, 0x1469F000, 0x74CE, WB),
            (3, 0x1BB6D000, 0x2F1D, WB), (6, 0x1EA8A000, 0x102, RT | WB), (4, 0x1EB8C000, 0x960, WB),
            (6, 0x1F4EC000, 0x100, RT | WB), (5, 0x1F5EC000, 0x100, RT | WB), (0, 0x1F6EC000, 0x80, WB),
            (9, 0x1F76C000, 0x12, WB), (10, 0x1F77E000, 0x80, WB), (4, 0x1F7FE000, 0x602, WB),
            (7, 0x1FE00000, 0x71, WB), (3, 0x1FE71000, 0x7B, WB), (6, 0x1FEEC000, 0x84, RT | WB),
            (10, 0x1FF70000, 0x90, WB), (11, 0xFFC00000, 0x400, RT | 1)]
# Types and attributes the mapping treats apart: no WB, soft reserved, unusable, persistent, OEM.
ODD_MAP = [(7, 0x100000, 0x10, 1), (7, 0x200000, 0x10, WB | (1 << 18)), (8, 0x300000, 0x10, WB),
           (14, 0x400000, 0x100, WB), (15, 0x600000, 0x10, WB), (0x80000000, 0x700000, 1, WB),
           (7, 0x800000, 0, WB), (7, 0xFFFFFFFFFFF00000, 0xFF, WB)]


SEEDS = {
    "minimal": info(),
    "grub_bios": info(string(1, "/boot/hotmm.elf console=ttyS0 mem=300M"), string(2, "GRUB 2.06"),
                      tag(4, struct.pack("<II", 639, 523136)), tag(5, struct.pack("<III", 0xE0, ~0 & 0xFFFFFFFF, ~0 & 0xFFFFFFFF)),
                      mmap(PC_MAP), tag(14, RSDP_V1), elf_sections(),
                      tag(8, struct.pack("<QIIIBBH", 0xB8000, 160, 80, 25, 16, 2, 0))),
    "grub_efi": info(string(1, ""), string(2, "GRUB"), tag(12, struct.pack("<Q", 0x7FBEE018)),
                     tag(15, RSDP_V2), tag(14, RSDP_V1), mmap(PC_MAP),
                     efi_mmap(OVMF_MAP),
                     tag(20, struct.pack("<Q", 0x7E000000)), tag(21, struct.pack("<I", 0x200000))),
    "efi_odd_types": info(tag(12, struct.pack("<Q", 0x7FBEE018)), efi_mmap(ODD_MAP, desc_size=56)),
    "efi_unsorted": info(efi_mmap(list(reversed(OVMF_MAP)))),
    "modules": info(tag(3, struct.pack("<II", 0x400000, 0x480000) + b"initrd\0"),
                    tag(3, struct.pack("<II", 0x480000, 0x480000) + b"\0")),
    "mmap_future": info(mmap(PC_MAP, entry_size=40, version=1)),
    "mmap_full": info(mmap([(i << 20, 1 << 20, 1 + i % 5) for i in range(128)])),
    "unknown_tags": info(tag(99, b"\x01\x02\x03"), tag(13, b"\0" * 31), tag(16, b"\0" * 40)),
    # broken: each reaches one error path
    "bad_no_end": info(string(1, "quiet"), end=False),
    "bad_tag_overrun": info(string(1, "quiet"))[:-8] + struct.pack("<II", 6, 0x100),
    "bad_mmap_entry_size": info(mmap(PC_MAP[:2], entry_size=24)).replace(
        struct.pack("<II", 24, 0), struct.pack("<II", 20, 0), 1),
    "bad_unterminated": info(tag(1, b"quiet")),
    "bad_elf": info(elf_sections(num=4, entsize=64, shndx=2, headers=3)),
    "bad_efi_overlap": info(efi_mmap([(7, 0x100000, 0x100, WB), (4, 0x1FF000, 2, WB)])),
    "bad_efi_unaligned": info(efi_mmap([(7, 0x100800, 1, WB)])),
    "bad_efi_wrap": info(efi_mmap([(2, 0xFFFFFFFFFFF00000, 0x101, WB)])),
    "bad_efi_boot_services": info(efi_mmap(OVMF_MAP[:3]), tag(18, b"")),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds in {OUT}")


if __name__ == "__main__":
    main()
