#!/usr/bin/env python3
"""Build a hotmm ISO whose GRUB also loads boot modules (ACPI table overrides).

    tools/mkiso.py OUT.iso ELF [MODULE ...]

ELF is the kernel as it goes on the ISO (build/iso/boot/hotmm.elf, already
stripped of DWARF). Each MODULE (a raw ACPI table such as srat.dat, or a cpio
"newc" archive of tables under kernel/firmware/acpi/) is copied to
/boot/modules/N-NAME and loaded with `module2 /boot/modules/N-NAME NAME`: the
kernel gets NAME as the module's string and names the module with it in its
messages. The grub.cfg is boot/grub.cfg with those lines after `multiboot2`.
Used by `make run ACPI_OVERRIDE=...` and by tests/qemu/qemu.py (make_iso).
"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def grub_cfg(module_names):
    with open(os.path.join(ROOT, "boot", "grub.cfg")) as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        out.append(line)
        if line.strip().startswith("multiboot2 "):
            indent = line[:len(line) - len(line.lstrip())]
            for i, name in enumerate(module_names):
                out.append(f"{indent}module2 /boot/modules/{i}-{name} {name}")
    if len(out) == len(lines) and module_names:
        raise SystemExit("mkiso: boot/grub.cfg has no multiboot2 line")
    return "\n".join(out) + "\n"


def make_iso(out, elf, modules):
    """Write the ISO to `out`; `modules` are file paths. Raises on failure."""
    names = []
    for m in modules:
        name = os.path.basename(m)
        if not name or any(c.isspace() for c in name):
            raise ValueError(f"mkiso: module file name {name!r} must be non-empty, without spaces")
        names.append(name)
    with tempfile.TemporaryDirectory(prefix="hotmm-iso-") as tmp:
        os.makedirs(os.path.join(tmp, "boot", "grub"))
        os.makedirs(os.path.join(tmp, "boot", "modules"))
        shutil.copy(elf, os.path.join(tmp, "boot", "hotmm.elf"))
        for i, (m, name) in enumerate(zip(modules, names)):
            shutil.copy(m, os.path.join(tmp, "boot", "modules", f"{i}-{name}"))
        with open(os.path.join(tmp, "boot", "grub", "grub.cfg"), "w") as f:
            f.write(grub_cfg(names))
        p = subprocess.run(["grub-mkrescue", "-o", out, tmp], capture_output=True, text=True)
        if p.returncode:
            raise RuntimeError(f"grub-mkrescue failed:\n{p.stdout}{p.stderr}")
    return out


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    os.makedirs(os.path.dirname(os.path.abspath(sys.argv[1])), exist_ok=True)
    make_iso(sys.argv[1], sys.argv[2], sys.argv[3:])
