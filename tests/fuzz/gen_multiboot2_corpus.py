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


SEEDS = {
    "minimal": info(),
    "grub_bios": info(string(1, "/boot/hotmm.elf console=ttyS0 mem=300M"), string(2, "GRUB 2.06"),
                      tag(4, struct.pack("<II", 639, 523136)), tag(5, struct.pack("<III", 0xE0, ~0 & 0xFFFFFFFF, ~0 & 0xFFFFFFFF)),
                      mmap(PC_MAP), tag(14, RSDP_V1), elf_sections(),
                      tag(8, struct.pack("<QIIIBBH", 0xB8000, 160, 80, 25, 16, 2, 0))),
    "grub_efi": info(string(1, ""), string(2, "GRUB"), tag(12, struct.pack("<Q", 0x7FBEE018)),
                     tag(15, RSDP_V2), tag(14, RSDP_V1), mmap(PC_MAP),
                     tag(17, struct.pack("<II", 48, 1) + b"\x07" * (48 * 4)), tag(18, b""),
                     tag(20, struct.pack("<Q", 0x7E000000)), tag(21, struct.pack("<I", 0x200000))),
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
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds in {OUT}")


if __name__ == "__main__":
    main()
