#!/usr/bin/env python3
"""Write the seed corpus of fuzz_acpi_override (tests/fuzz/fuzz_acpi_override.c).

Seeds: each qemu-numa2 table raw (with the module string that matches its
name where there is one), and cpio "newc" archives of them under
kernel/firmware/acpi/, with a directory entry and a file outside the folder.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests/qemu"))
from acpi_tables import cpio  # noqa: E402  (the archives the QEMU tests boot with)

FIX = os.path.join(ROOT, "tests/fixtures/acpi/qemu-numa2")
OUT = os.path.join(ROOT, "tests/fuzz/corpus/acpi_override")


def main():
    os.makedirs(OUT, exist_ok=True)
    srat = open(os.path.join(FIX, "srat.dat"), "rb").read()
    hpet = open(os.path.join(FIX, "hpet.dat"), "rb").read()
    seeds = [b"\x01" + srat, b"\x00" + hpet,
             b"\x03" + cpio([("kernel/firmware/acpi", 0o40755, b""),
                             ("kernel/firmware/acpi/srat.dat", 0o100644, srat),
                             ("etc/other", 0o100644, b"not a table"),
                             ("kernel/firmware/acpi/hpet.dat", 0o100644, hpet)]),
             b"\x00" + cpio([("init", 0o100755, b"#!/bin/sh\n")])]
    for i, s in enumerate(seeds):
        with open(os.path.join(OUT, f"seed-{i:03d}"), "wb") as f:
            f.write(s)


if __name__ == "__main__":
    main()
