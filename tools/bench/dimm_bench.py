#!/usr/bin/env python3
"""DOC: dimm_bench.py - DIMM scenarios of issue 9, hotmm side, against Linux's measured baseline

Not yet a row of bench.py's SCENARIOS: those boot once and read the serial
console, while these drive the machine over QMP (device_add / device_del) and
the shell (`eject N`). Until bench.py grows a QMP-driven kind and the Linux
initramfs learns to online blocks through sysfs and time it, the Linux column
is the baseline measured by hand on this kind of machine
(/work/shared/linux-baseline.md: Debian 6.1, QEMU 7.2, TCG, -smp 2), quoted
below and marked as such.

Scenarios (same QEMU machine as the baseline: pc, -m 1G, TCG thread=multi, -smp 2):
  dimm-8G       one 8 GiB DIMM coldplugged: add+online ms/GiB (memhp_add took_ns),
                then `eject 0`: offline+remove ms/GiB (memhp_remove took_ns)
  dimm-64x128M  64 DIMMs of 128 MiB, slots=64: add+online ms/GiB over all of them
  dimm-2G-rt    2 GiB device_add -> memhp_add line on the serial (all of it allocatable:
                onlined to the buddy), host wall clock; device_del -> DEVICE_DELETED
Boot RAM spent on the memmap of hot-added memory: 0 when every add reported
memmap_on_memory (the memmap lives in the DIMM), else 16 MiB per GiB.

Usage: dimm_bench.py [--runs N] [--iso PATH] [--only NAME,..]
"""
import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import qemu  # noqa: E402

GIB = 1 << 30
MIB = 1 << 20
MACHINE = ["-smp", "2"]

# linux-baseline.md, medians (min-max) of 3 runs; ms/GiB unless said otherwise
LINUX = {
    "online_ms_gib": (29.5, "26-33 ms/GiB, online_movable, 64 blocks of an 8 GiB DIMM"),
    "offline_ms_gib": (44.5, "39-50 ms/GiB"),
    "online_64x128_ms_gib": (78.0, "78 ms/GiB with memmap_on_memory=1"),
    "plug_2g_ms": (185.0, "185 ms (online_movable; 142 ms online)"),
    "unplug_2g_ms": (290.0, "290 ms"),
    "memmap_boot_ram_mib_gib": (16.0, "16 MiB per GiB without memmap_on_memory"),
}


def dimms(sizes):
    out = []
    for i, s in enumerate(sizes):
        out += ["-object", f"memory-backend-ram,id=bm{i},size={s}", "-device", f"pc-dimm,id=bd{i},memdev=bm{i}"]
    return out


def ready(m):
    m.wait_for(qemu.PROMPT)
    if '"event":"all_ram_allocatable"' not in m.buf:
        m.wait_for('"event":"all_ram_allocatable"')


def events(m, name, since=0):
    return [e for e in qemu.parse_events(m.buf[since:]) if e.get("event") == name]


def memmap_from_boot(m):
    added = events(m, "memory_added")
    return 0.0 if added and all(e.get("memmap_on_memory") for e in added) else 16.0


def run_8g():
    with qemu.Machine(["-m", "1G,slots=2,maxmem=16G"] + MACHINE + dimms([8 * GIB]), cmdline="quiet",
                      timeout=600) as m:
        ready(m)
        add = events(m, "memhp_add")[0]
        since = len(m.buf)
        m.command("eject 0", timeout=300)
        rm = events(m, "memhp_remove", since)[0]
        assert rm["ret"] == 0, rm
        return {"online_ms_gib": add["took_ns"] / 1e6 / 8, "offline_ms_gib": rm["took_ns"] / 1e6 / 8,
                "memmap_boot_ram_mib_gib": memmap_from_boot(m)}


def run_64x128m():
    with qemu.Machine(["-m", "1G,slots=64,maxmem=16G"] + MACHINE + dimms([128 * MIB] * 64), cmdline="quiet",
                      timeout=600) as m:
        ready(m)
        adds = events(m, "memhp_add")
        assert len(adds) == 64, len(adds)
        return {"online_64x128_ms_gib": sum(a["took_ns"] for a in adds) / 1e6 / 8,
                "memmap_boot_ram_mib_gib": memmap_from_boot(m)}


def run_2g_runtime():
    with qemu.Machine(["-m", "1G,slots=2,maxmem=16G"] + MACHINE, cmdline="quiet", timeout=600, qmp=True) as m:
        ready(m)
        m.qmp("object-add", **{"qom-type": "memory-backend-ram", "id": "rt", "size": 2 * GIB})
        since = len(m.buf)
        t0 = time.monotonic()
        m.qmp("device_add", driver="pc-dimm", id="rtd", memdev="rt")
        m.wait_for('"event":"memhp_add"')
        plug = (time.monotonic() - t0) * 1e3
        m.wait_for("\n")          # the rest of the report line
        assert events(m, "memhp_add", since)
        t0 = time.monotonic()
        m.qmp("device_del", id="rtd")
        m.qmp_wait_event("DEVICE_DELETED", timeout=120)
        unplug = (time.monotonic() - t0) * 1e3
        return {"plug_2g_ms": plug, "unplug_2g_ms": unplug}


SCENARIOS = {"dimm-8G": run_8g, "dimm-64x128M": run_64x128m, "dimm-2G-rt": run_2g_runtime}
ROWS = [("online_ms_gib", "online (add + online), 8 GiB DIMM, ms/GiB"),
        ("offline_ms_gib", "offline (+ remove), 8 GiB DIMM, ms/GiB"),
        ("online_64x128_ms_gib", "online, 64 DIMMs of 128 MiB, ms/GiB"),
        ("plug_2g_ms", "device_add 2 GiB -> all allocatable, ms"),
        ("unplug_2g_ms", "device_del 2 GiB -> DEVICE_DELETED, ms"),
        ("memmap_boot_ram_mib_gib", "boot RAM for the memmap of hot-added memory, MiB/GiB")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--iso", default=qemu.ISO)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    qemu.ISO = os.path.abspath(a.iso)
    names = [n for n in SCENARIOS if not a.only or n in a.only.split(",")]
    vals = {}
    for n in names:
        for r in range(a.runs):
            for k, v in SCENARIOS[n]().items():
                vals.setdefault(k, []).append(v)
            print(f"dimm_bench: {n} run {r + 1}/{a.runs} done", file=sys.stderr)
    print("| what | hotmm median (min-max) | Linux 6.1 (baseline, by hand) | ratio |")
    print("|---|---|---|---|")
    for k, title in ROWS:
        if k not in vals:
            continue
        v = vals[k]
        med, lin = statistics.median(v), LINUX[k][0]
        ratio = f"{med / lin:.2f}x" if lin else "-"
        print(f"| {title} | {med:.1f} ({min(v):.1f}-{max(v):.1f}) | {LINUX[k][1]} | {ratio} |")


if __name__ == "__main__":
    main()
