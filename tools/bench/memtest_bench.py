#!/usr/bin/env python3
"""DOC: memtest_bench.py - hotmm's memory test against memtest86+ on the same QEMU machine

The same pattern over the same RAM on both sides: moving inversions, ones and zeros
(memtest86+'s test 3; hotmm's `movinv`, mm/memtest.h), which on memtest86+'s first pass
is, for P = 0 and then P = ~0: fill with P, then twice up (check P, write ~P) and down
(check ~P, write P) - 10 sweeps over the range in all, as hotmm's movinv. Throughput is
GiB/s of sweeps: bytes tested x sweeps / time.

  hotmm       booted from the ISO, `memtest 1` (so the host has backed every page, as
              memtest86+'s tests 0-2 do before its test 3), then `memtest movinv` in its
              shell on all free memory: the `memtest` report's bytes, sweeps and took_ns
              (kernel clock).
  memtest86+  Debian's /boot/memtest86+x64.bin (6.10) booted by QEMU -kernel with
              `console=ttyS0,115200 nopause`. Its serial screen is redrawn every second
              or two under TCG; each redraw is stamped with the host clock on arrival,
              and test 3 lasts from the first redraw naming "#3" to the first naming
              "#4" (each up to one redraw late, so about +-2 s: use enough RAM that the
              test takes tens of seconds). Its "Test %" is not linear in time (it tests
              in two windows, moving itself between them), so it is not used. Bytes:
              all of the "[.. of M MB]" it names - both windows together cover it.

One CPU (-smp 1) and all CPUs (-smp 2, both sides use every CPU: memtest86+ runs test
3 in parallel mode, "SMP: 2T (PAR)"). Runs alternate the side that goes first. The host
is shared and busy: the load average is recorded next to each run, and so is the host CPU
time the QEMU process used during the test (/proc/PID/stat), which host load does not
change: GiB per host CPU second.

Usage: memtest_bench.py [--runs N] [--mem 2G] [--out bench/memtest.md] [--iso build/hotmm.iso]
"""
import argparse
import os
import re
import select
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import qemu  # noqa: E402

MEMTEST86 = "/boot/memtest86+x64.bin"
GIB = 1 << 30
MOVINV_SWEEPS = 2 * (1 + 2 * 2)   # memtest86+ test 3 on pass 0, and hotmm's movinv
SCREEN_RE = re.compile(rb"\x1b\[(\d+);(\d+)H")


def loadavg():
    return os.getloadavg()[0]


def cpu_secs(pid):
    """Host CPU time (user + system) the QEMU process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine(mem, smp):
    return ["-m", mem, "-smp", str(smp)]


def run_hotmm(mem, smp, iso):
    qemu.ISO = iso
    with qemu.Machine(machine(mem, smp), timeout=900) as m:
        m.wait_ready()
        # memtest86+ reaches test 3 after tests 0-2 have written all of RAM, so the host has
        # backed every guest page by then; do the same here (a first touch costs the host a
        # page fault, several times the test itself under TCG).
        m.command("memtest 1", timeout=850)
        c0 = cpu_secs(m.p.pid)
        out = m.command("memtest movinv", timeout=850)
        cpu = cpu_secs(m.p.pid) - c0
        ev = [e for e in qemu.parse_events(out) if e.get("event") == "memtest"]
        if not ev:
            raise RuntimeError(f"hotmm: no memtest report in {out!r}")
        ev = ev[-1]
        if ev["sweeps"] != MOVINV_SWEEPS:
            raise RuntimeError(f"hotmm movinv is {ev['sweeps']} sweeps, this benchmark assumes {MOVINV_SWEEPS}")
        secs = ev["took_ns"] / 1e9
        return {"bytes": ev["bytes"], "secs": secs, "threads": ev["threads"], "cpu": cpu,
                "gibps": ev["bytes"] * MOVINV_SWEEPS / secs / GIB,
                "gib_per_cpu_s": ev["bytes"] * MOVINV_SWEEPS / cpu / GIB}


def fit_slope(points):
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mp = sum(p for _, p in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    return sum((t - mt) * (p - mp) for t, p in points) / var if var else 0.0


def run_memtest86(mem, smp, timeout=900):
    argv = ["qemu-system-x86_64", "-accel", "tcg,thread=multi"] + machine(mem, smp) + [
        "-display", "none", "-no-reboot", "-serial", "stdio", "-kernel", MEMTEST86,
        "-append", "console=ttyS0,115200 nopause"]
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    t0 = time.monotonic()
    pending = b""
    total_mb, first_seen, cpu_at = None, {}, {}
    try:
        while time.monotonic() - t0 < timeout:
            r, _, _ = select.select([p.stdout], [], [], 0.5)
            if not r:
                continue
            data = os.read(p.stdout.fileno(), 65536)
            if not data:
                break
            now = time.monotonic() - t0
            pending += data
            # Fields are "ESC[row;colH text"; keep the last (possibly partial) one for the next read.
            marks = list(SCREEN_RE.finditer(pending))
            if len(marks) < 2:
                continue
            # One read holds one redraw (about 2 KB): its test number applies to its percent.
            frame = {}
            for a, b in zip(marks, marks[1:]):
                text = pending[a.end():b.start()].decode("latin1")
                frame[(int(a.group(1)), int(a.group(2)))] = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
            m = re.match(r"\s*#(\d+)", frame.get((4, 35), ""))
            if m:
                test_no = int(m.group(1))
                if test_no not in first_seen:
                    first_seen[test_no] = now
                    cpu_at[test_no] = cpu_secs(p.pid)
            # "[1020MB of 1.99GB]": all the RAM it tests, in binary units with two decimals at most
            m = re.search(r"of\s*([\d.]+)([KMG])B\]", frame.get((5, 35), ""))
            if m:
                total_mb = float(m.group(1)) * {"K": 1 / 1024, "M": 1, "G": 1024}[m.group(2)]
            pending = pending[marks[-1].start():]
            if 4 in first_seen:
                break
    finally:
        p.kill()
        p.wait()
    if not total_mb or 3 not in first_seen or 4 not in first_seen:
        raise RuntimeError(f"memtest86+: test 3 not followed (tested {total_mb} MB, seen {first_seen})")
    secs = first_seen[4] - first_seen[3]
    byts = int(total_mb * (1 << 20))
    cpu = cpu_at[4] - cpu_at[3]
    return {"bytes": byts, "secs": secs, "cpu": cpu, "gibps": byts * MOVINV_SWEEPS / secs / GIB,
            "gib_per_cpu_s": byts * MOVINV_SWEEPS / cpu / GIB}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--mem", default="2G")
    ap.add_argument("--iso", default=os.path.join(ROOT, "build", "hotmm.iso"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "memtest.md"))
    a = ap.parse_args()
    if not os.path.exists(MEMTEST86):
        sys.exit(f"{MEMTEST86} missing: tools/deps.sh bench installs Debian's memtest86+")
    rows = []
    results = {}
    for smp in (1, 2):
        for run in range(a.runs):
            order = ["hotmm", "memtest86+"] if run % 2 == 0 else ["memtest86+", "hotmm"]
            for side in order:
                load = loadavg()
                r = run_hotmm(a.mem, smp, a.iso) if side == "hotmm" else run_memtest86(a.mem, smp)
                r["load"] = load
                results.setdefault((smp, side), []).append(r)
                how = f", {r['threads']} CPUs" if side == "hotmm" else ""
                line = (f"smp {smp} run {run} {side:10s}: {r['bytes'] >> 20} MiB x {MOVINV_SWEEPS} sweeps "
                        f"in {r['secs']:.2f} s = {r['gibps']:.2f} GiB/s; QEMU used {r['cpu']:.1f} host CPU s "
                        f"= {r['gib_per_cpu_s']:.2f} GiB per CPU s (load {load:.1f}{how})")
                print(line, flush=True)
                rows.append(line)
    with open(a.out, "w") as f:
        f.write("# Memory test throughput: hotmm `memtest movinv` vs memtest86+ 6.10 test 3\n\n")
        f.write(f"QEMU TCG (`-accel tcg,thread=multi -m {a.mem}`), {a.runs} runs per side, sides alternated; "
                "GiB/s of sweeps (bytes tested x 10 sweeps / time), medians. See "
                "tools/bench/memtest_bench.py for how each side is timed.\n\n")
        f.write("Wall clock is what a user waits for, but on a shared host a guest's vCPU threads get "
                "what the host scheduler leaves them; the host CPU time the QEMU process used during "
                "the test is recorded too (GiB per host CPU second), which load on the host does not "
                "change.\n\n")
        f.write("| CPUs | hotmm GiB/s | memtest86+ GiB/s | ratio | hotmm GiB/CPU-s | memtest86+ GiB/CPU-s | "
                "ratio |\n|---|---|---|---|---|---|---|\n")
        for smp in (1, 2):
            med = lambda side, k: statistics.median(r[k] for r in results[(smp, side)])  # noqa: E731
            h, m = med("hotmm", "gibps"), med("memtest86+", "gibps")
            hc, mc = med("hotmm", "gib_per_cpu_s"), med("memtest86+", "gib_per_cpu_s")
            f.write(f"| {smp} | {h:.2f} | {m:.2f} | {h / m:.2f}x | {hc:.2f} | {mc:.2f} | {hc / mc:.2f}x |\n")
        f.write("\nEvery run (host load average at its start):\n\n```\n" + "\n".join(rows) + "\n```\n")
    print(open(a.out).read())


if __name__ == "__main__":
    main()
