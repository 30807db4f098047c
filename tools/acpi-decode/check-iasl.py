#!/usr/bin/env python3
"""Check tools/acpi-decode against ACPICA's own disassembler, `iasl -d`.

    tools/acpi-decode/check-iasl.py DIR...     (each DIR holds apic.dat, srat.dat, slit.dat ...)

For every DIR: disassembles each table with `iasl -d` in a scratch folder,
runs build/tools/acpi-decode on DIR, and compares
  - every SRAT memory affinity entry: base, length, proximity domain, flags
  - every SRAT processor (APIC / x2APIC) affinity entry: APIC id, domain
  - every MADT local APIC / x2APIC entry: APIC id and enabled bit, in order
  - the SLIT matrix
Disabled SRAT entries and zero-length memory entries are counted on both
sides but not listed by the decoder (the kernel skips them, as Linux does);
proximity domains follow the SRAT revision as the kernel reads them (revision
1: low 8 bits only). Prints one line per check and exits non-zero on any
mismatch. Needs iasl (acpica-tools).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DECODE = os.path.join(ROOT, "build/tools/acpi-decode")


def subtables(dsl):
    """[(type, name, {field: value})] from an iasl data-table disassembly."""
    out = []
    cur = None
    for line in dsl.splitlines():
        m = re.match(r"\[[0-9A-F]+h [0-9]+ +[0-9]+\]\s+(.+?) : (.*)$", line)
        if not m:
            m2 = re.match(r"\s+(.+?) : (.*)$", line)
            if m2 and cur is not None:
                cur[2][m2.group(1).strip()] = m2.group(2).strip()
            continue
        key, val = m.group(1).strip(), m.group(2).strip()
        if key == "Subtable Type":
            t = re.match(r"([0-9A-F]+) \[(.*)\]", val)
            cur = (int(t.group(1), 16), t.group(2), {})
            out.append(cur)
        elif cur is not None:
            cur[2][key] = val
        elif key in ("Revision", "Localities") or key.startswith("Locality"):
            out.append((-1, key, {key: val}))
    return out


def disasm(path, tmp):
    dst = os.path.join(tmp, os.path.basename(path))
    shutil.copy(path, dst)
    subprocess.run(["iasl", "-d", dst], cwd=tmp, capture_output=True)
    with open(dst[:-4] + ".dsl") as f:
        return f.read()


def hexv(s):
    return int(s.split()[0], 16)


def check_dir(d):
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        dec = subprocess.run([DECODE, d], capture_output=True, text=True).stdout
        name = os.path.basename(os.path.normpath(d))

        def report(what, want, got):
            nonlocal bad
            ok = want == got
            bad += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {what}")
            if not ok:
                print(f"     iasl:   {want}\n     decode: {got}")

        if os.path.exists(os.path.join(d, "srat.dat")):
            st = subtables(disasm(os.path.join(d, "srat.dat"), tmp))
            rev = next(hexv(s[2]["Revision"]) for s in st if s[0] == -1 and s[1] == "Revision")
            mem, cpus, disabled = [], [], 0
            for t, _, f in st:
                if t == 1:
                    flags = hexv(f["Flags (decoded below)"])
                    pxm = hexv(f["Proximity Domain"]) & (0xff if rev <= 1 else 0xffffffff)
                    base, ln = hexv(f["Base Address"]), hexv(f["Address Length"])
                    if not flags & 1:
                        disabled += 1
                    elif ln:
                        mem.append((base, base + ln, pxm, flags & 6))
                elif t == 0:
                    flags = hexv(f["Flags (decoded below)"])
                    pxm = hexv(f["Proximity Domain Low(8)"])
                    if rev >= 2:
                        pxm |= hexv(f["Proximity Domain High(24)"]) << 8
                    if flags & 1:
                        cpus.append((hexv(f["Apic ID"]), pxm))
                    else:
                        disabled += 1
                elif t == 2:
                    flags = hexv(f["Flags (decoded below)"])
                    if flags & 1:
                        cpus.append((hexv(f["Apic ID"]), hexv(f["Proximity Domain"])))
                    else:
                        disabled += 1
            got_mem = [(int(a, 16), int(b, 16), int(p), (2 if "hotpluggable" in r else 0) |
                        (4 if "nonvolatile" in r else 0))
                       for a, b, p, r in re.findall(
                           r"^  mem \[0x([0-9a-f]+)-0x([0-9a-f]+)\)\s+\d+ MiB -> domain (\d+)(.*)$", dec, re.M)]
            got_cpu = [(int(a, 16), int(p)) for a, p in
                       re.findall(r"^  cpu (?:x2)?apic_id 0x([0-9a-f]+) -> domain (\d+)$", dec, re.M)]
            m = re.search(r"SRAT revision \d+: .* (\d+) disabled entries skipped", dec)
            report(f"SRAT rev {rev}: {len(mem)} enabled memory entries (base, end, domain, flags)", mem, got_mem)
            report(f"SRAT: {len(cpus)} enabled processor entries (apic id, domain)", cpus, got_cpu)
            report("SRAT: disabled entries skipped", disabled, int(m.group(1)) if m else None)

        if os.path.exists(os.path.join(d, "apic.dat")):
            st = subtables(disasm(os.path.join(d, "apic.dat"), tmp))
            cpus = []
            for t, _, f in st:
                if t == 0:
                    cpus.append((hexv(f["Local Apic ID"]), hexv(f["Flags (decoded below)"]) & 1))
                elif t == 9:
                    cpus.append((hexv(f["Processor x2Apic ID"]), hexv(f["Flags (decoded below)"]) & 1))
            got = [(int(a, 16), 1 if e == "enabled" else 0) for a, e in
                   re.findall(r"^  cpu apic_id 0x([0-9a-f]+) uid \d+ (enabled|disabled)", dec, re.M)]
            report(f"MADT: {len(cpus)} CPU entries (apic id, enabled)", cpus, got)

        if os.path.exists(os.path.join(d, "slit.dat")):
            st = subtables(disasm(os.path.join(d, "slit.dat"), tmp))
            rows = [[int(x, 16) for x in s[2][s[1]].split()] for s in st
                    if s[0] == -1 and s[1].startswith("Locality ")]
            sect = dec.split("SLIT:", 1)[1] if "SLIT:" in dec else ""
            got = [[int(x) for x in r.split()] for r in
                   re.findall(r"^\s+\d+:((?:\s+\d+)+)$", sect.split("\n\n")[0], re.M)]
            report(f"SLIT: {len(rows)}x{len(rows)} matrix", rows, got)
    return bad


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if not shutil.which("iasl"):
        sys.exit("check-iasl: iasl not found (apt-get install acpica-tools)")
    bad = sum(check_dir(d) for d in sys.argv[1:])
    print(f"{'all checks agree' if not bad else f'{bad} mismatch(es)'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
