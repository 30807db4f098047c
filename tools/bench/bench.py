#!/usr/bin/env python3
"""DOC: bench.py - `make bench`: hotmm and Linux booted in the same QEMU, measured side by side

Every scenario is one QEMU machine (memory, CPUs, DIMMs, NUMA) booted twice per
run: once with hotmm (-cdrom build/hotmm.iso, options through fw_cfg) and once
with Debian's Linux (-kernel/-initrd from build/bench, `console=ttyS0 quiet`).
The runs alternate (hotmm first on even runs, Linux first on odd ones) so a
machine that slows down over time does not favour one side. Each side's serial
console is read line by line and every line is stamped with the host's
monotonic clock on arrival; that is the wall clock. Each kernel's own report
(hotmm's `@hotmm {..}` lines, the initramfs' `@linux {..}` lines) gives the
kernel clock.

What the numbers mean (also printed at the top of results.md):
  - memmap init ms/GiB: wall time of the deferred phase over the range each
    side initialized in it. hotmm: the `memmap_init` events of phase
    "deferred": all_ram_allocatable's deferred_wall_ns (else the events'
    wall_ns, else init_ns + free_ns) over their pages x 4 KiB; init_ns +
    free_ns, summed over CPUs, is the CPU-time row. Linux: the slowest
    "node N deferred pages initialised in X ms" (wall time of its padata
    threads, jiffies: 4 ms steps at HZ=250), over the RAM Linux defers,
    computed from the firmware map as Linux's defer_init() does (each node's
    highest zone, from the first section boundary after 128 MiB of it).
  - kernel entry -> all boot RAM allocatable, kernel clock. hotmm: the "ns"
    of `all_ram_allocatable` (TSC since kernel entry). Linux: printk stamp
    of the last "deferred pages initialised" line (sched_clock starts in
    setup_arch, after decompression); the same event, as page_alloc_init_late()
    waits for every node's deferred init.
  - QEMU start -> marker, host wall clock. hotmm: the all_ram_allocatable
    line. Linux prints nothing under `quiet`, so its marker is /init's first
    line; Linux runs its initcalls after deferred init and before /init, so
    this includes them (the row "Linux: kernel entry -> /init" shows how much).
  - store floor: hotmm's BENCHMARK(store) in the same boot; a memmap cannot
    be written faster than 64 B of struct page per 4 KiB page at this rate,
    so the floor column is the best store ms/GiB / 64 (one CPU).
    BENCHMARK(store_all) is the same with every CPU storing at once (wall
    time): the floor of a phase that runs on all CPUs, its own row.

  - DIMMs (kind "dimm"): coldplugged DIMMs onlined and offlined.
    hotmm: memhp_add / memhp_remove took_ns (the shell types `eject N` for
    every slot); Linux: /init (init.sh, hotmm_bench=online_movable) writes
    each offline block's sysfs state, timed by printk marks. Boot RAM spent
    on the memmap of hot-added memory, from memory_added / MemTotal.
  - runtime plug (kind "plug"): QMP device_add -> the kernel's line saying
    all of the DIMM is allocatable, device_del -> QEMU's DEVICE_DELETED,
    host wall clock, both kernels driven by the same script.

  - migration (kind "migrate"): offline of a coldplugged 2 GiB DIMM (online
    movable) 90% full of movable memory, whose pages must migrate to boot
    RAM. hotmm: `memhog` fills, `migtest offline` offlines the DIMM's blocks
    (kernel clock, migtest_offline ns); Linux: /init runs migfill
    (tools/bench/migfill.c): anonymous memory, MADV_NOHUGEPAGE, offline
    through sysfs, CLOCK_MONOTONIC. Both move 4 KiB pages. hotmm also
    reports `migtest throughput` (every page of a 128 MiB hog moved once, on
    one CPU and on all).
  - every scenario, both sides: the most AnonHugePages the QEMU process had
    (host THP behind the guest's RAM, sampled from /proc/PID/smaps_rollup
    about once a second while it runs): it changes what a memmap write or a
    page copy costs, so it is recorded next to the times.

Scenarios live in one table, SCENARIOS, below: a later issue adds a row (and,
for a new kind of measurement, a pair of metric extractors).

Usage: bench.py [--runs N] [--quick] [--only NAME,..] [--out DIR] [--no-chart] [--list] [--iso PATH]
"""
import argparse
import datetime
import json
import os
import re
import select
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
ISO = "build/hotmm.iso"                 # paths relative to ROOT: commands stay copy-pastable
LINUX_KERNEL = "build/bench/vmlinuz"
LINUX_INITRD = "build/bench/initramfs.cpio.gz"
LINUX_VERSION = "build/bench/linux-version"
QEMU = "qemu-system-x86_64"
# Both sides get exactly these, then the scenario's machine, then their boot media.
QEMU_COMMON = ["-no-reboot", "-display", "none", "-monitor", "none", "-serial", "stdio",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-accel", "tcg,thread=multi"]
LINUX_APPEND = "console=ttyS0 quiet"
SETTLE_S = 5                            # before each boot, wait this long at most for a quiet host
HOTMM_EXIT_OK = 33                      # bench_exit after every benchmark ran
PAGE = 4096
GIB = 1 << 30
STRUCT_PAGE = 64                        # bytes of memmap per 4 KiB page, both kernels


# ---------------------------------------------------------------- scenarios
def boot_scenario(gib, smp, quick=False):
    return {
        "name": f"boot-{gib}G-smp{smp}",
        "title": f"boot with {gib} GiB, {smp} CPU{'s' if smp > 1 else ''}",
        "kind": "boot",
        "machine": ["-m", f"{gib}G", "-smp", str(smp)],
        "hotmm_cmdline": "bench=store,store_all,alloc bench_exit",
        "linux_append": LINUX_APPEND,
        "chart": {"x": gib, "series": f"-smp {smp}"},
        "quick": quick,
        "timeout": 120 + 15 * gib,
    }


MIB = 1 << 20
PROMPT = "hotmm> "


def dimm_scenario(name, title, sizes, slots, linux_extra=""):
    """Coldplugged DIMMs on the baseline's machine: 1 GiB of boot RAM, 2 CPUs.

    hotmm adds and onlines (online_movable, as Linux is told) every DIMM at
    boot and reports each add; the shell then ejects every slot (offline +
    remove + eject). Linux boots with memhp_default_state=offline and its
    /init onlines and offlines the DIMMs' blocks through sysfs (init.sh).
    """
    dimms = []
    for i, size in enumerate(sizes):
        dimms += ["-object", f"memory-backend-ram,id=bm{i},size={size}",
                  "-device", f"pc-dimm,id=bd{i},memdev=bm{i}"]
    ready = [PROMPT, '"event":"all_ram_allocatable"', '"event":"memhp_ready"']
    # Each step: every text seen since the last thing typed, then type this.
    script = [(ready if i == 0 else [PROMPT, '"event":"memhp_remove"'], f"eject {i}\n")
              for i in range(len(sizes))]
    script.append(([PROMPT, '"event":"memhp_remove"'], "poweroff\n"))
    return {
        "name": name,
        "title": title,
        "kind": "dimm",
        "machine": ["-m", f"1G,slots={slots},maxmem=64G", "-smp", "2"] + dimms,
        "dimms": list(sizes),
        "hotmm_cmdline": "quiet memhp_default_state=online_movable",
        "hotmm_script": script,
        "linux_append": f"{LINUX_APPEND} memhp_default_state=offline hotmm_bench=online_movable{linux_extra}",
        "chart": None,
        "quick": False,
        "timeout": 300,
    }


def plug_scenario(name, title, size):
    """A DIMM of `size` device_add'ed over QMP once the kernel is up, then device_del'ed.

    Host wall clock from sending device_add to the line saying all of it is
    allocatable (hotmm: memhp_add, printed after the add and the online;
    Linux: /init's plug_online, once MemTotal grew by the whole DIMM), and
    from device_del to QEMU's DEVICE_DELETED. Both online_movable.
    """
    def plug(qmp, mark):
        qmp.execute("object-add", **{"qom-type": "memory-backend-ram", "id": "plugm", "size": size})
        mark("device_add")
        qmp.execute("device_add", driver="pc-dimm", id="plugd", memdev="plugm")

    def unplug(qmp, mark):
        mark("device_del")
        qmp.execute("device_del", id="plugd")
    ready = [PROMPT, '"event":"all_ram_allocatable"', '"event":"memhp_ready"']
    return {
        "name": name,
        "title": title,
        "kind": "plug",
        "machine": ["-m", "1G,slots=8,maxmem=64G", "-smp", "2"],
        "dimms": [size],
        "qmp": True,
        "hotmm_cmdline": "quiet memhp_default_state=online_movable",
        "hotmm_script": [(ready, plug), (['"event":"memhp_add"'], unplug),
                         (["QMP:DEVICE_DELETED", '"event":"memhp_remove"'], "poweroff\n")],
        "linux_script": [(['"event":"plug_ready"'], plug), (['"event":"plug_online"'], unplug)],
        "linux_append": f"{LINUX_APPEND} memhp_default_state=online_movable hotmm_bench=plug "
                        f"hotmm_bench_mib={size // MIB}",
        "chart": None,
        "quick": False,
        "timeout": 300,
    }


def migrate_scenario(name, title, dimm, pct=90):
    """A DIMM of `dimm` bytes coldplugged on a machine with 3 GiB of boot RAM (all below 4 GiB,
    so the DIMM starts at 4 GiB, block 32), online movable, pct% full of movable memory, offlined.

    hotmm fills pct% of the DIMM's allocatable pages (its memmap is on it: 512 of every 32768
    pages) and Linux pct% of its ZONE_MOVABLE managed pages (the DIMM); each side reports how
    much of it sat on the DIMM and how many pages migrated.
    """
    blocks = dimm // (128 * MIB)
    hog_kib = blocks * (32768 - 512) * pct // 100 * 4
    ready = [PROMPT, '"event":"all_ram_allocatable"', '"event":"memhp_ready"']
    script = [(ready, f"memhog {hog_kib}K\n"),
              ([PROMPT, '"event":"memhog_alloc"'], f"migtest offline {4 * GIB // (128 * MIB)} {blocks}\n"),
              ([PROMPT, '"event":"migtest_offline"'], "memhog free\n"),
              ([PROMPT, '"event":"memhog_free"'], "migtest throughput 128M\n"),
              ([PROMPT, '"event":"memhog_free"'], "poweroff\n")]
    return {
        "name": name,
        "title": title,
        "kind": "migrate",
        "machine": ["-m", "3G,slots=2,maxmem=16G", "-smp", "2",
                    "-object", f"memory-backend-ram,id=mm0,size={dimm}", "-device", "pc-dimm,id=md0,memdev=mm0"],
        "dimms": [dimm],
        "pct": pct,
        "hotmm_cmdline": "quiet memhp_default_state=online_movable",
        "hotmm_script": script,
        "linux_append": f"{LINUX_APPEND} memhp_default_state=offline hotmm_bench=migrate "
                        f"hotmm_bench_base_mib={4 * GIB // MIB} hotmm_bench_mib={dimm // MIB} hotmm_bench_pct={pct}",
        "chart": None,
        "quick": False,
        "timeout": 900,
    }


def virtio_mem_scenario(name, title, size):
    """A virtio-mem device (QEMU's virtio-mem-pci, 2 MiB blocks) grown 0 -> size and shrunk back.

    Host wall clock from `qom-set requested-size` to QEMU's own `size` property equal to it,
    polled over QMP every 2 ms: the guest's whole answer (config change seen, plugs or unplugs,
    add/online or offline/remove of every block). Both kernels online the memory movable
    (hotmm by default, Linux by memhp_default_state=online_movable); the memory is not in use
    (no migration). Linux: Debian's virtio_pci.ko and virtio_mem.ko loaded by /init.
    """
    def resize(qmp, mark, label, value):
        mark(label)
        qmp.execute("qom-set", path="/machine/peripheral/vmd", property="requested-size", value=value)
        until = time.monotonic() + 300
        while qmp.execute("qom-get", path="/machine/peripheral/vmd", property="size") != value:
            if time.monotonic() > until:
                raise BenchError(f"QEMU's size never reached {value} after {label}")
            time.sleep(0.002)
        mark(label + "_done")

    def grow_shrink(qmp, mark):
        resize(qmp, mark, "grow", size)
        time.sleep(0.5)         # the guest's report of the grow reaches the console first
        resize(qmp, mark, "shrink", 0)
    machine = ["-m", "1G,maxmem=16G", "-smp", "2", "-object", f"memory-backend-ram,id=vmb,size={size}",
               "-device", "virtio-mem-pci,id=vmd,memdev=vmb,requested-size=0"]
    return {
        "name": name,
        "title": title,
        "kind": "virtio_mem",
        "machine": machine,
        "size": size,
        "qmp": True,
        "hotmm_cmdline": "quiet",
        "hotmm_script": [([PROMPT, '"event":"all_ram_allocatable"', '"event":"virtio_mem"'], grow_shrink),
                         (['"plugged":0,"requested":0,"device_plugged":0,"result":0'], "poweroff\n")],
        "linux_script": [(['"event":"vmem_ready"'], grow_shrink), ([], "done\n")],
        "linux_append": f"{LINUX_APPEND} memhp_default_state=online_movable hotmm_bench=virtio_mem",
        "chart": None,
        "quick": False,
        "timeout": 600,
    }


# The one table of what `make bench` runs. QUICK=1 runs the rows marked quick, once.
SCENARIOS = [
    boot_scenario(4, 1, quick=True),
    boot_scenario(4, 2, quick=True),
    boot_scenario(8, 1),
    boot_scenario(8, 2),
    boot_scenario(16, 1),
    boot_scenario(16, 2),
    dimm_scenario("dimm-8G", "one 8 GiB DIMM coldplugged: online and offline", [8 * GIB], 8),
    # Linux 6.1 puts the memmap on the memory only for adds of exactly one block.
    dimm_scenario("dimm-64x128M", "64 DIMMs of 128 MiB coldplugged: online and offline", [128 * MIB] * 64, 64,
                  " memory_hotplug.memmap_on_memory=1"),
    plug_scenario("dimm-2G-rt", "a 2 GiB DIMM plugged and unplugged at runtime over QMP", 2 * GIB),
    migrate_scenario("migrate-2G", "offline of a 2 GiB DIMM 90% full of movable memory (page migration)", 2 * GIB),
    virtio_mem_scenario("virtio-mem-4G", "a virtio-mem device grown 0 → 4 GiB and shrunk 4 GiB → 0 over QMP", 4 * GIB),
]


# ---------------------------------------------------------------- running QEMU
class Run:
    """One QEMU boot: argv, serial lines stamped with ms since QEMU start, exit status."""

    def __init__(self, argv, lines, status, timed_out, marks=None, qmp_events=None, anon_huge_kb=None):
        self.argv, self.lines, self.status, self.timed_out = argv, lines, status, timed_out
        self.anon_huge_kb = anon_huge_kb        # most AnonHugePages of the QEMU process seen (host THP)
        self.marks = marks or {}                # name -> ms since QEMU start, set by script actions
        self.qmp_events = qmp_events or []      # (arrival ms, QMP event)

    def text(self):
        return "\n".join(line for _, line in self.lines)

    def tail(self, n=25):
        return "\n".join(line for _, line in self.lines[-n:])

    def events(self, prefix):
        """(arrival_ms, parsed JSON) of every `PREFIX {..}` line."""
        out = []
        for t, line in self.lines:
            i = line.find(prefix + " {")
            if i < 0:
                continue
            try:
                out.append((t, json.loads(line[i + len(prefix) + 1:])))
            except json.JSONDecodeError as e:
                raise BenchError(f"malformed {prefix} line {line!r}: {e}")
        return out


class BenchError(Exception):
    pass


def type_slowly(p, text):
    # The UART has a 16-byte FIFO and TCG is slow: type like a person would.
    for i in range(0, len(text), 8):
        p.stdin.write(text[i:i + 8].encode())
        p.stdin.flush()
        time.sleep(0.002)


class QMP:
    """Just enough of QMP for the runtime plug: commands, and events stamped on arrival."""

    def __init__(self, path, t0, deadline):
        self.t0, self.buf, self.events, self.new = t0, b"", [], []
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise BenchError(f"cannot connect to QMP at {path}")
                time.sleep(0.05)
        self._reply()                           # the greeting
        self.execute("qmp_capabilities")

    def fileno(self):
        return self.sock.fileno()

    def _messages(self):
        data = self.sock.recv(65536)
        if not data:
            raise BenchError("QMP connection closed")
        now = (time.monotonic() - self.t0) * 1000.0
        self.buf += data
        *done, self.buf = self.buf.split(b"\n")
        out = []
        for raw in done:
            if raw.strip():
                msg = json.loads(raw)
                if "event" in msg:
                    self.events.append((now, msg))
                    self.new.append(msg["event"])
                else:
                    out.append(msg)
        return out

    def poll(self):
        """After select() says readable: take in what arrived; return the new events' names."""
        self._messages()
        new, self.new = self.new, []
        return new

    def _reply(self):
        while True:
            for msg in self._messages():
                return msg

    def execute(self, cmd, **arguments):
        msg = {"execute": cmd}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        reply = self._reply()
        if "error" in reply:
            raise BenchError(f"QMP {cmd} {arguments}: {reply['error']}")
        return reply.get("return")


def anon_huge_kb(pid):
    """AnonHugePages of a host process (kB), or None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("AnonHugePages:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def run_qemu(argv, timeout, give_up=None, script=None, qmp_path=None):
    """Boot, collect the serial lines; `give_up` names a line after which the run
    can only be waiting in vain (3 s of grace, then QEMU is stopped). `script`:
    [([texts], action)], each action taken once all its texts have appeared
    since the previous step's (a prompt has no newline: not line by line); a
    QMP event NAME appears as the text "QMP:NAME". An action is text to type on
    the console, or a function of (qmp, mark) where mark(name) records the
    host time of something it did."""
    t0 = time.monotonic()
    script = list(script or [])
    p = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.PIPE if script else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    marks = {}

    def mark(name):
        marks[name] = (time.monotonic() - t0) * 1000.0
    qmp = conn = None
    try:
        if qmp_path:
            qmp = conn = QMP(qmp_path, t0, t0 + 10)
    except (BenchError, OSError) as e:
        p.kill()
        p.wait()
        raise BenchError(f"QMP: {e}")

    def act(step):
        """Take a step; return the QMP events that arrived while it waited for replies."""
        try:
            step(qmp, mark) if callable(step) else type_slowly(p, step)
        except (BenchError, OSError) as e:
            # Nothing more will happen that the script waits for: stop here.
            marks["error"] = f"{type(e).__name__}: {e}"
            p.kill()
        if not qmp:
            return ""
        new, qmp.new = qmp.new, []
        return "".join(f"QMP:{name}\n" for name in new)
    since = ""
    lines, partial, timed_out = [], b"", False
    huge, huge_at = None, 0.0               # sampled at most once a second: smaps_rollup walks every VMA
    deadline_is_timeout = True
    fd = p.stdout.fileno()
    while True:
        left = t0 + timeout - time.monotonic()
        if left <= 0:
            timed_out = deadline_is_timeout
            p.kill()
            break
        r, _, _ = select.select([fd] + ([qmp] if qmp else []), [], [], min(left, 1.0))
        if not r:
            continue
        if qmp in r:
            try:
                since += "".join(f"QMP:{name}\n" for name in qmp.poll())
            except (BenchError, OSError):
                qmp = None      # QEMU is going away; the serial pipe tells the rest
            if fd not in r:
                data = b""
                r = []
        if fd not in r:
            if script and all(t in since for t in script[0][0]):
                since = ""
                since = act(script.pop(0)[1])
            continue
        data = os.read(fd, 65536)
        now = (time.monotonic() - t0) * 1000.0
        if not data:
            break
        if now - huge_at >= 1000.0:
            huge_at, kb = now, anon_huge_kb(p.pid)
            if kb is not None:
                huge = max(huge or 0, kb)
        partial += data
        if script:
            since += data.decode("utf-8", "replace")
            while script and all(t in since for t in script[0][0]):
                since = act(script.pop(0)[1])
        *done, partial = partial.split(b"\n")
        for raw in done:
            lines.append((now, raw.decode("utf-8", "replace").rstrip("\r")))
            if give_up and give_up in lines[-1][1] and deadline_is_timeout:
                deadline_is_timeout = False
                timeout = (time.monotonic() - t0) + 3.0
    if partial:
        lines.append(((time.monotonic() - t0) * 1000.0, partial.decode("utf-8", "replace")))
    status = p.wait()
    p.stdout.close()
    if p.stdin:
        p.stdin.close()
    if conn:
        conn.sock.close()
    return Run(argv, lines, None if timed_out else status, timed_out, marks, conn.events if conn else [], huge)


def host_busy_cores(window=0.5):
    """CPUs' worth of work the host did over `window` s (none of it ours: no QEMU of ours runs)."""
    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]          # total, idle + iowait
    t0, i0 = sample()
    time.sleep(window)
    t1, i1 = sample()
    return (os.cpu_count() or 1) * (1 - (i1 - i0) / max(1, t1 - t0))


def settle(max_wait):
    """Wait (up to max_wait s) for other work on the host to drop below half a CPU; return its level."""
    until = time.monotonic() + max_wait
    busy = host_busy_cores()
    while busy > 0.5 and time.monotonic() < until:
        busy = host_busy_cores()
    return round(busy, 2)


def hotmm_argv(sc):
    fw = []
    if sc["hotmm_cmdline"]:
        # fw_cfg splits its option string at commas; a doubled comma is a literal one.
        fw = ["-fw_cfg", "name=opt/hotmm/cmdline,string=" + sc["hotmm_cmdline"].replace(",", ",,")]
    return [QEMU] + QEMU_COMMON + sc["machine"] + ["-cdrom", ISO] + fw


def linux_argv(sc):
    return [QEMU] + QEMU_COMMON + sc["machine"] + [
        "-kernel", LINUX_KERNEL, "-initrd", LINUX_INITRD, "-append", sc["linux_append"]]


# ---------------------------------------------------------------- hotmm side
def hotmm_boot_metrics(run, sc=None):
    ev = run.events("@hotmm")
    if run.timed_out:
        raise BenchError("timed out")

    def last(name):
        hits = [(t, e) for t, e in ev if e.get("event") == name]
        if not hits:
            raise BenchError(f"no @hotmm {name!r} event (exit status {run.status})")
        return hits[-1]

    m = {}
    memmap = [e for _, e in ev if e.get("event") == "memmap_init"]
    if not memmap:
        raise BenchError(f"no @hotmm 'memmap_init' event (exit status {run.status})")
    for phase in ("early", "deferred"):
        es = [e for e in memmap if e.get("phase") == phase]
        m[f"{phase}_pages"] = sum(int(e["pages"]) for e in es)
        # CPU time: init_ns and free_ns are summed over the CPUs that took part.
        m[f"{phase}_cpu_ms"] = sum(int(e["init_ns"]) + int(e["free_ns"]) for e in es) / 1e6
        m[f"{phase}_threads"] = max([int(e.get("threads", 1)) for e in es], default=0)
        # Wall time: wall_ns where the phase ran on several CPUs; one CPU's time is its wall time.
        m[f"{phase}_ms"] = sum(int(e.get("wall_ns", int(e["init_ns"]) + int(e["free_ns"]))) for e in es) / 1e6
    if not m["deferred_pages"]:
        raise BenchError("memmap_init reported no deferred pages: nothing to compare with Linux's deferred init")
    t_wall, ready = last("all_ram_allocatable")
    # Nodes may run side by side: the phase's own wall time, when reported, covers them all.
    if "deferred_wall_ns" in ready:
        m["deferred_ms"] = int(ready["deferred_wall_ns"]) / 1e6
    m["memmap_ms"] = m["deferred_ms"]
    m["memmap_cpu_ms"] = m["deferred_cpu_ms"]
    m["memmap_gib"] = m["deferred_pages"] * PAGE / GIB
    m["memmap_ms_per_gib"] = m["deferred_ms"] / m["memmap_gib"]
    m["memmap_cpu_ms_per_gib"] = m["deferred_cpu_ms"] / m["memmap_gib"]

    m["ram_allocatable_ms"] = int(ready["ns"]) / 1e6
    m["wall_marker_ms"] = t_wall
    m["before_kernel_ms"] = t_wall - m["ram_allocatable_ms"]
    m["managed_pages"] = int(ready["managed_pages"])
    m["present_pages"] = int(ready["present_pages"])

    _, st = last("bench_store")
    m["store_plain_ms_per_gib"] = float(st["plain_ms_per_gib"])
    m["store_rep_stosq_ms_per_gib"] = float(st["rep_stosq_ms_per_gib"])
    m["store_plain_mb_s"] = int(st["plain_mb_s"])
    m["store_rep_stosq_mb_s"] = int(st["rep_stosq_mb_s"])
    best = min(m["store_plain_ms_per_gib"], m["store_rep_stosq_ms_per_gib"])
    m["memmap_floor_ms_per_gib"] = best * STRUCT_PAGE / PAGE
    all_cpus = [e for _, e in ev if e.get("event") == "bench_store_all"]
    if all_cpus:        # BENCHMARK(store_all): every online CPU storing at once
        sa = all_cpus[-1]
        m["store_all_plain_ms_per_gib"] = float(sa["plain_ms_per_gib"])
        m["store_all_rep_stosq_ms_per_gib"] = float(sa["rep_stosq_ms_per_gib"])
        m["store_all_threads"] = int(sa["threads"])
        best_all = min(m["store_all_plain_ms_per_gib"], m["store_all_rep_stosq_ms_per_gib"])
        m["memmap_floor_all_ms_per_gib"] = best_all * STRUCT_PAGE / PAGE
    for t, e in ev:     # BENCHMARK(alloc), when the scenario asks for it
        if e.get("event") == "bench_alloc":
            for k in ("order0_pcp_ns", "order0_miss_ns", "order9_ns"):
                m[f"alloc_{k}"] = float(e[k])
    _, done = last("bench_done")
    if int(done["failed"]) or run.status != HOTMM_EXIT_OK:
        raise BenchError(f"bench_done reports {done['failed']} failed, exit status {run.status}")
    return m


# ---------------------------------------------------------------- Linux side
DEFERRED_RE = re.compile(r"node (\d+) deferred pages initialised in (\d+)ms")
ZONE_RE = re.compile(r"^\s+(DMA|DMA32|Normal)\s+(?:\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]|empty)")
NODE_RE = re.compile(r"Initmem setup node (\d+) \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]")
PAGES_PER_SECTION = (128 << 20) // PAGE


def linux_deferred_pages(ram, zones, nodes):
    """Pages Linux 6.1 leaves to deferred init, per its defer_init().

    ram: [(start, end_exclusive)] of System RAM from the firmware map;
    zones: [(name, start, end_exclusive)]; nodes: {nid: (start, end_exclusive)}.
    In each node, only the zone that reaches the node's end is deferred, and
    only from the first section boundary at which more than one section's
    worth of its pages has been initialized.
    """
    total = {}
    for nid, (nstart, nend) in nodes.items():
        top = [(s, e) for _, s, e in zones if s < nend and e >= nend]
        if not top:
            total[nid] = 0
            continue
        zstart, zend = max(nstart, top[0][0]), min(nend, top[0][1])
        zone_ram = sorted((max(s, zstart) // PAGE, min(e, zend) // PAGE) for s, e in ram
                          if min(e, zend) > max(s, zstart))
        seen, first_deferred = 0, None
        for s, e in zone_ram:
            # first section-aligned pfn p in [s, e) with seen + (p - s) >= one section
            p = max(s + max(PAGES_PER_SECTION - seen, 0), s)
            p = -(-p // PAGES_PER_SECTION) * PAGES_PER_SECTION
            if p < e:
                first_deferred = p
                break
            seen += e - s
        if first_deferred is None:
            total[nid] = 0
            continue
        total[nid] = sum(max(0, e - max(s, first_deferred)) for s, e in zone_ram)
    return total


def linux_boot_metrics(run, sc=None):
    ev = run.events("@linux")
    if run.timed_out:
        raise BenchError("timed out")
    names = [e.get("event") for _, e in ev]
    for need in ("init_start", "init_done"):
        if need not in names:
            raise BenchError(f"no @linux {need!r} line (exit status {run.status})")
    dmesg = [(float(e["t"]), e["msg"]) for _, e in ev if e.get("event") == "dmesg"]
    ram = [(int(e["start"], 16), int(e["end"], 16) + 1) for _, e in ev
           if e.get("event") == "memmap" and e.get("type") == "System RAM"]
    if not ram:
        raise BenchError("no System RAM in /sys/firmware/memmap")
    zones, nodes, deferred = [], {}, {}
    for t, msg in dmesg:
        z = ZONE_RE.match(msg)
        if z and z.group(2):
            zones.append((z.group(1), int(z.group(2), 16), int(z.group(3), 16) + 1))
        n = NODE_RE.search(msg)
        if n:
            nodes[int(n.group(1))] = (int(n.group(2), 16), int(n.group(3), 16) + 1)
        d = DEFERRED_RE.search(msg)
        if d:
            deferred[int(d.group(1))] = (t, int(d.group(2)))
    if not deferred:
        raise BenchError("dmesg has no 'deferred pages initialised' line")
    if not zones or not nodes:
        raise BenchError("dmesg has no 'Zone ranges' / 'Initmem setup node' lines for the denominator")
    pages = linux_deferred_pages(ram, zones, nodes)
    m = {"deferred_pages": sum(pages[n] for n in deferred if n in pages)}
    if not m["deferred_pages"]:
        raise BenchError(f"computed no deferred pages from RAM {ram} zones {zones} nodes {nodes}")
    # One kthread per node, all started together: the slowest node is the phase's wall time.
    m["memmap_ms"] = float(max(ms for _, ms in deferred.values()))
    m["memmap_gib"] = m["deferred_pages"] * PAGE / GIB
    m["memmap_ms_per_gib"] = m["memmap_ms"] / m["memmap_gib"]
    m["ram_allocatable_ms"] = max(t for t, _ in deferred.values()) * 1000.0
    run_init = [t for t, msg in dmesg if msg.startswith("Run /init")]
    m["wall_marker_ms"] = [t for t, e in ev if e.get("event") == "init_start"][0]
    if run_init:
        m["init_kernel_ms"] = run_init[-1] * 1000.0
        m["before_kernel_ms"] = m["wall_marker_ms"] - m["init_kernel_ms"]
    mi = [e for _, e in ev if e.get("event") == "meminfo"]
    if mi:
        m["mem_total_kb"] = int(mi[-1]["MemTotal_kB"])
    return m


# ---------------------------------------------------------------- DIMM scenarios, both sides
def memmap_boot_mib_per_gib(dimm_bytes, memmap_on_dimm_bytes):
    """Boot RAM the memmap of `dimm_bytes` of hot-added memory took: the 64 B per
    4 KiB page that do not live on the DIMM itself, in MiB per GiB added."""
    memmap = dimm_bytes // PAGE * STRUCT_PAGE
    return max(0, memmap - memmap_on_dimm_bytes) / MIB / (dimm_bytes / GIB)


def hotmm_dimm_metrics(run, sc):
    if run.timed_out:
        raise BenchError("timed out (the shell script stalled: see the serial tail)")
    ev = [e for _, e in run.events("@hotmm")]

    def named(name):
        return [e for e in ev if e.get("event") == name]
    for e in named("memhp_refused"):
        raise BenchError(f"hotmm refused DIMM slot {e['slot']}: {e.get('reason')}")
    adds, removes = named("memhp_add"), named("memhp_remove")
    total = sum(sc["dimms"])
    if len(adds) != len(sc["dimms"]) or sum(int(e["added"]) for e in adds) != total:
        raise BenchError(f"{len(adds)} memhp_add events adding {sum(int(e['added']) for e in adds)} bytes; "
                         f"the machine has {len(sc['dimms'])} DIMMs of {total} bytes")
    bad = [e for e in removes if int(e["ret"]) != 0 or not e.get("ejected")]
    if bad or len(removes) != len(adds):
        raise BenchError(f"{len(removes)} memhp_remove events for {len(adds)} DIMMs; failed: {bad}")
    if run.status != HOTMM_EXIT_OK:
        raise BenchError(f"exit status {run.status} after poweroff (wanted {HOTMM_EXIT_OK})")
    gib = total / GIB
    m = {"dimm_gib": gib, "blocks": total // (128 * MIB)}
    m["online_ms"] = sum(int(e["took_ns"]) for e in adds) / 1e6
    m["offline_ms"] = sum(int(e["took_ns"]) for e in removes) / 1e6
    m["online_ms_per_gib"] = m["online_ms"] / gib
    m["offline_ms_per_gib"] = m["offline_ms"] / gib
    # The DIMMs' adds (not withheld boot RAM): memory_added inside a DIMM's range.
    ranges = [(int(e["base"]), int(e["base"]) + int(e["size"])) for e in adds]
    added = [e for e in named("memory_added") if any(b <= int(e["base"]) < t for b, t in ranges)]
    if sum(int(e["size"]) for e in added) != total:
        raise BenchError(f"memory_added events cover {sum(int(e['size']) for e in added)} bytes of the DIMMs' {total}")
    on_dimm = sum(int(e["size"]) // PAGE * STRUCT_PAGE for e in added if e["memmap_on_memory"])
    m["memmap_boot_mib_per_gib"] = memmap_boot_mib_per_gib(total, on_dimm)
    return m


DIMM_MARK_RE = re.compile(r"^hotmm_bench: (online|offline) (start|end)$")


def linux_dimm_metrics(run, sc):
    if run.timed_out:
        raise BenchError("timed out")
    ev = [e for _, e in run.events("@linux")]
    on = [e for e in ev if e.get("event") == "dimm_online"]
    off = [e for e in ev if e.get("event") == "dimm_offline"]
    if not on or not off:
        raise BenchError(f"no @linux dimm_online / dimm_offline line (is hotmm_bench= on the command line? "
                         f"exit status {run.status})")
    on, off = on[-1], off[-1]
    total = sum(sc["dimms"])
    found = int(on["blocks"]) * int(on["block_bytes"])
    if found != total:
        raise BenchError(f"Linux found {on['blocks']} offline blocks of {on['block_bytes']} bytes; "
                         f"the DIMMs have {total} bytes")
    for e in (on, off):
        if e["failed"]:
            raise BenchError(f"Linux: {e['event']}: writing the state of {e['failed']} failed")
    marks = {}
    for e in ev:
        if e.get("event") == "dmesg":
            mk = DIMM_MARK_RE.match(e["msg"])
            if mk:
                marks[mk.groups()] = float(e["t"])
    if len(marks) != 4:
        raise BenchError(f"dmesg has {len(marks)} of the 4 hotmm_bench: marks: {sorted(marks)}")
    gib = total / GIB
    m = {"dimm_gib": gib, "blocks": int(on["blocks"])}
    m["online_ms"] = (marks[("online", "end")] - marks[("online", "start")]) * 1000.0
    m["offline_ms"] = (marks[("offline", "end")] - marks[("offline", "start")]) * 1000.0
    m["online_ms_per_gib"] = m["online_ms"] / gib
    m["offline_ms_per_gib"] = m["offline_ms"] / gib
    # Onlined memory less what became managed: the memmap Linux placed on the DIMM.
    managed = (int(on["memtotal_after_kB"]) - int(on["memtotal_before_kB"])) * 1024
    m["memmap_boot_mib_per_gib"] = memmap_boot_mib_per_gib(total, total - managed)
    return m


def plug_common(run, side, online_line):
    """Host wall clock of the plug and the unplug, from the script's marks."""
    if run.marks.get("error"):
        raise BenchError(f"the QMP script failed: {run.marks['error']}")
    if run.timed_out:
        raise BenchError(f"timed out; marks {run.marks}")
    for need in ("device_add", "device_del"):
        if need not in run.marks:
            raise BenchError(f"never got to {need} (marks {run.marks})")
    online = [t for t, line in run.lines if online_line in line]
    deleted = [t for t, e in run.qmp_events if e["event"] == "DEVICE_DELETED"]
    if not online or not deleted:
        raise BenchError(f"{side}: {'no ' + online_line if not online else 'no DEVICE_DELETED from QEMU'}")
    return {"plug_ms": online[0] - run.marks["device_add"], "unplug_ms": deleted[0] - run.marks["device_del"]}


def hotmm_plug_metrics(run, sc):
    m = plug_common(run, "hotmm", '"event":"memhp_add"')
    ev = [e for _, e in run.events("@hotmm")]
    add = [e for e in ev if e.get("event") == "memhp_add"]
    rm = [e for e in ev if e.get("event") == "memhp_remove"]
    if not add or not add[0].get("runtime") or int(add[0]["added"]) != sc["dimms"][0]:
        raise BenchError(f"memhp_add {add[:1]}: wanted a runtime add of {sc['dimms'][0]} bytes")
    if not rm or int(rm[0]["ret"]) != 0 or not rm[0].get("ejected"):
        raise BenchError(f"memhp_remove {rm[:1]}: wanted ret 0, ejected")
    if run.status != HOTMM_EXIT_OK:
        raise BenchError(f"exit status {run.status} after poweroff (wanted {HOTMM_EXIT_OK})")
    m["plug_kernel_ms"] = int(add[0]["took_ns"]) / 1e6
    m["unplug_kernel_ms"] = int(rm[0]["took_ns"]) / 1e6
    return m


def linux_plug_metrics(run, sc):
    m = plug_common(run, "Linux", '"event":"plug_online"')
    names = [e.get("event") for _, e in run.events("@linux")]
    if "plug_removed" not in names or "init_done" not in names:
        raise BenchError(f"Linux /init did not see the DIMM's memory go away (events {names})")
    return m


def hotmm_migrate_metrics(run, sc):
    if run.timed_out:
        raise BenchError("timed out (the shell script stalled: see the serial tail)")
    ev = [e for _, e in run.events("@hotmm")]

    def named(name):
        return [e for e in ev if e.get("event") == name]
    allocs, offs, frees, tps = named("memhog_alloc"), named("migtest_offline"), named("memhog_free"), \
        named("migtest_throughput")
    if not allocs or not offs:
        raise BenchError(f"no memhog_alloc / migtest_offline line ({len(allocs)}, {len(offs)})")
    off = offs[0]
    if int(off["failed"]):
        raise BenchError(f"{off['failed']} of the DIMM's {off['blocks']} blocks did not go offline")
    bad = [e for e in frees if int(e["bad_words"])]
    if bad or len(frees) < 2:
        raise BenchError(f"memhog_free: {len(frees)} lines, bad words in {bad}")
    if run.status != HOTMM_EXIT_OK:
        raise BenchError(f"exit status {run.status} after poweroff (wanted {HOTMM_EXIT_OK})")
    gib = sc["dimms"][0] / GIB
    m = {"dimm_gib": gib, "offline_ms": int(off["took_ns"]) / 1e6, "migrated_pages": int(off["migrated"]),
         "filled_on_dimm_pages": int(allocs[0]["hotadded_pages"])}
    m["offline_ms_per_gib"] = m["offline_ms"] / gib
    if m["migrated_pages"]:
        m["migrated_ms_per_gib"] = m["offline_ms"] / (m["migrated_pages"] * PAGE / GIB)
    for t in tps:
        key = "tp1" if int(t["cpus"]) == 1 else "tpall"
        moved, ns = int(t["moved"]), int(t["took_ns"])
        if int(t["failed"]) or not moved:
            raise BenchError(f"migtest throughput on {t['cpus']} CPUs: {t['failed']} of {t['pages']} pages failed")
        m[f"{key}_gib_s"] = moved * PAGE / GIB / (ns / 1e9)
        m[f"{key}_ns_per_page"] = ns / moved
        if key == "tpall":
            m["tpall_cpus"] = int(t["cpus"])
    return m


def linux_migrate_metrics(run, sc):
    if run.timed_out:
        raise BenchError("timed out")
    ev = [e for _, e in run.events("@linux")]
    err = [e for e in ev if e.get("event") == "migrate_error"]
    if err:
        raise BenchError(f"migfill: {err[0]['msg']}")
    off = [e for e in ev if e.get("event") == "migrate_offline"]
    if not off:
        raise BenchError(f"no @linux migrate_offline line (exit status {run.status})")
    off = off[-1]
    if off["failed"] or int(off["online_failed"]):
        raise BenchError(f"Linux: blocks that did not go offline: {off['failed']!r}, "
                         f"not online: {off['online_failed']}")
    if int(off["bad_words"]):
        raise BenchError(f"Linux: {off['bad_words']} bad words after the offline")
    gib = sc["dimms"][0] / GIB
    if int(off["blocks"]) * int(off["block_bytes"]) != sc["dimms"][0]:
        raise BenchError(f"migfill offlined {off['blocks']} blocks of {off['block_bytes']} bytes; "
                         f"the DIMM has {sc['dimms'][0]}")
    m = {"dimm_gib": gib, "offline_ms": int(off["ns"]) / 1e6, "migrated_pages": int(off["migrated"]),
         "filled_on_dimm_pages": int(off["movable_filled_pages"])}
    m["offline_ms_per_gib"] = m["offline_ms"] / gib
    if m["migrated_pages"]:
        m["migrated_ms_per_gib"] = m["offline_ms"] / (m["migrated_pages"] * PAGE / GIB)
    return m


def virtio_mem_common(run, sc):
    """Host wall clock of the grow and the shrink, from the script's marks."""
    if run.marks.get("error"):
        raise BenchError(f"the QMP script failed: {run.marks['error']}")
    if run.timed_out:
        raise BenchError(f"timed out; marks {run.marks}")
    for need in ("grow_done", "shrink_done"):
        if need not in run.marks:
            raise BenchError(f"never got to {need} (marks {run.marks})")
    gib = sc["size"] / GIB
    grow = run.marks["grow_done"] - run.marks["grow"]
    shrink = run.marks["shrink_done"] - run.marks["shrink"]
    return {"grow_ms": grow, "shrink_ms": shrink, "grow_ms_per_gib": grow / gib,
            "shrink_ms_per_gib": shrink / gib, "vm_gib": gib}


def hotmm_virtio_mem_metrics(run, sc):
    m = virtio_mem_common(run, sc)
    ev = [e for _, e in run.events("@hotmm") if e.get("event") == "virtio_mem"]
    grow = [e for e in ev if int(e["requested"]) == sc["size"]]
    shrink = [e for e in ev[ev.index(grow[-1]) + 1:] if int(e["requested"]) == 0] if grow else []
    if not grow or not shrink or int(grow[-1]["plugged"]) != sc["size"] or int(shrink[-1]["plugged"]):
        raise BenchError(f"virtio_mem events {ev}: wanted a run to {sc['size']} and one back to 0")
    if run.status != HOTMM_EXIT_OK:
        raise BenchError(f"exit status {run.status} after poweroff (wanted {HOTMM_EXIT_OK})")
    m["grow_kernel_ms"] = sum(int(e["took_ns"]) for e in grow) / 1e6
    m["shrink_kernel_ms"] = sum(int(e["took_ns"]) for e in shrink) / 1e6
    return m


def linux_virtio_mem_metrics(run, sc):
    m = virtio_mem_common(run, sc)
    names = [e.get("event") for _, e in run.events("@linux")]
    if "vmem_done" not in names or "init_done" not in names:
        raise BenchError(f"Linux /init did not finish the virtio-mem run (events {names})")
    return m


# ---------------------------------------------------------------- what each kind reports
# (key, label, unit, ratio, floor key): a cell is shown for each side that has
# the key; ratio: whether hotmm / Linux means something for this row (not for
# sizes of different ranges); floor: a hotmm metric this row is read against.
KINDS = {
    "boot": {
        "hotmm": hotmm_boot_metrics,
        "linux": linux_boot_metrics,
        "rows": [
            ("memmap_ms_per_gib", "memmap init, per GiB initialized", "ms/GiB", True, "memmap_floor_ms_per_gib"),
            ("memmap_ms", "memmap init, total (wall)", "ms", False, None),
            ("memmap_cpu_ms_per_gib", "hotmm: memmap init CPU time (summed over CPUs), per GiB", "ms/GiB", False, None),
            ("memmap_gib", "range that phase initialized", "GiB", False, None),
            ("ram_allocatable_ms", "kernel entry → all boot RAM allocatable, kernel clock", "ms", True, None),
            ("wall_marker_ms", "QEMU start → marker line, host wall clock", "ms", True, None),
            ("before_kernel_ms", "QEMU start → kernel clock zero (marker wall − its kernel time)", "ms", False, None),
            ("init_kernel_ms", "Linux: kernel entry → /init, printk clock", "ms", False, None),
            ("early_ms", "hotmm: early memmap init (before deferred)", "ms", False, None),
            ("store_rep_stosq_ms_per_gib", "store floor: rep stosq, per GiB stored", "ms/GiB", False, None),
            ("store_plain_ms_per_gib", "store floor: 8-byte stores, per GiB stored", "ms/GiB", False, None),
            ("store_all_rep_stosq_ms_per_gib", "store floor, every CPU at once: rep stosq, per GiB stored (wall)",
             "ms/GiB", False, None),
            ("store_all_plain_ms_per_gib", "store floor, every CPU at once: 8-byte stores, per GiB stored (wall)",
             "ms/GiB", False, None),
            ("store_all_threads", "CPUs that stored at once (fewest in a sweep)", "threads", False, None),
            ("memmap_floor_all_ms_per_gib", "memmap floor, every CPU at once (64 B per 4 KiB at that rate)",
             "ms/GiB", False, None),
            ("alloc_order0_pcp_ns", "hotmm: order-0 alloc+free, per-CPU list hit", "ns", False, None),
            ("alloc_order0_miss_ns", "hotmm: order-0 alloc+free, per-CPU list refilled", "ns", False, None),
            ("alloc_order9_ns", "hotmm: order-9 (2 MiB) alloc+free from the buddy", "ns", False, None),
            ("qemu_anon_huge_mib", "host: AnonHugePages of the QEMU process (most seen)", "MiB", False, None),
            ("host_busy_cores", "host: other work before the boot (CPUs busy)", "CPUs", False, None),
        ],
        "brief": lambda m: (f"{m['memmap_ms_per_gib']:.1f} ms/GiB ({m['memmap_ms']:.0f} ms over "
                            f"{m['memmap_gib']:.2f} GiB), marker at {m['wall_marker_ms'] / 1000:.2f} s wall"),
    },
    "dimm": {
        "hotmm": hotmm_dimm_metrics,
        "linux": linux_dimm_metrics,
        "rows": [
            ("online_ms_per_gib", "online, per GiB of DIMM (hotmm: add + online; Linux: online only)",
             "ms/GiB", True, None),
            ("offline_ms_per_gib", "offline, per GiB of DIMM (hotmm: offline + remove + eject; Linux: offline only)",
             "ms/GiB", True, None),
            ("online_ms", "online, total", "ms", False, None),
            ("offline_ms", "offline, total", "ms", False, None),
            ("memmap_boot_mib_per_gib", "boot RAM spent on the memmap of hot-added memory", "MiB/GiB", False, None),
            ("dimm_gib", "DIMM memory", "GiB", False, None),
            ("blocks", "128 MiB memory blocks", "blocks", False, None),
            ("qemu_anon_huge_mib", "host: AnonHugePages of the QEMU process (most seen)", "MiB", False, None),
            ("host_busy_cores", "host: other work before the boot (CPUs busy)", "CPUs", False, None),
        ],
        "brief": lambda m: (f"online {m['online_ms_per_gib']:.1f} ms/GiB, offline {m['offline_ms_per_gib']:.1f} "
                            f"ms/GiB over {m['dimm_gib']:.2f} GiB, boot RAM memmap "
                            f"{m['memmap_boot_mib_per_gib']:.1f} MiB/GiB"),
    },
    "virtio_mem": {
        "hotmm": hotmm_virtio_mem_metrics,
        "linux": linux_virtio_mem_metrics,
        "rows": [
            ("grow_ms_per_gib", "grow 0 → size: qom-set → QEMU's size reached, per GiB, host wall clock",
             "ms/GiB", True, None),
            ("shrink_ms_per_gib", "shrink size → 0: qom-set → QEMU's size reached, per GiB, host wall clock",
             "ms/GiB", True, None),
            ("grow_ms", "grow, total", "ms", False, None),
            ("shrink_ms", "shrink, total", "ms", False, None),
            ("grow_kernel_ms", "hotmm: the driver's runs for the grow, kernel clock (virtio_mem took_ns)",
             "ms", False, None),
            ("shrink_kernel_ms", "hotmm: the driver's runs for the shrink, kernel clock", "ms", False, None),
            ("vm_gib", "virtio-mem memory", "GiB", False, None),
            ("qemu_anon_huge_mib", "host: AnonHugePages of the QEMU process (most seen)", "MiB", False, None),
            ("host_busy_cores", "host: other work before the boot (CPUs busy)", "CPUs", False, None),
        ],
        "brief": lambda m: (f"grow {m['grow_ms_per_gib']:.1f} ms/GiB, shrink {m['shrink_ms_per_gib']:.1f} ms/GiB "
                            f"over {m['vm_gib']:.2f} GiB"),
    },
    "plug": {
        "hotmm": hotmm_plug_metrics,
        "linux": linux_plug_metrics,
        "rows": [
            ("plug_ms", "device_add → all of it allocatable, host wall clock", "ms", True, None),
            ("unplug_ms", "device_del → DEVICE_DELETED, host wall clock", "ms", True, None),
            ("plug_kernel_ms", "hotmm: add + online, kernel clock (memhp_add took_ns)", "ms", False, None),
            ("unplug_kernel_ms", "hotmm: offline + remove + eject, kernel clock (memhp_remove took_ns)",
             "ms", False, None),
            ("qemu_anon_huge_mib", "host: AnonHugePages of the QEMU process (most seen)", "MiB", False, None),
            ("host_busy_cores", "host: other work before the boot (CPUs busy)", "CPUs", False, None),
        ],
        "brief": lambda m: f"plug {m['plug_ms']:.0f} ms, unplug {m['unplug_ms']:.0f} ms (host wall clock)",
    },
    "migrate": {
        "hotmm": hotmm_migrate_metrics,
        "linux": linux_migrate_metrics,
        "rows": [
            ("offline_ms_per_gib", "offline of the full DIMM, per GiB of DIMM (kernel clock)", "ms/GiB", True, None),
            ("migrated_ms_per_gib", "offline of the full DIMM, per GiB migrated", "ms/GiB", True, None),
            ("offline_ms", "offline, total", "ms", False, None),
            ("migrated_pages", "pages migrated by the offline (pgmigrate_success)", "pages", False, None),
            ("filled_on_dimm_pages", "pages of the fill that sat on the DIMM", "pages", False, None),
            ("tp1_gib_s", "hotmm: migration throughput, one CPU", "GiB/s", False, None),
            ("tp1_ns_per_page", "hotmm: migration, one CPU, per 4 KiB page", "ns", False, None),
            ("tpall_gib_s", "hotmm: migration throughput, every CPU", "GiB/s", False, None),
            ("tpall_ns_per_page", "hotmm: migration, every CPU, per 4 KiB page (wall)", "ns", False, None),
            ("dimm_gib", "DIMM memory", "GiB", False, None),
            ("qemu_anon_huge_mib", "host: AnonHugePages of the QEMU process (most seen)", "MiB", False, None),
            ("host_busy_cores", "host: other work before the boot (CPUs busy)", "CPUs", False, None),
        ],
        "brief": lambda m: (f"offline {m['offline_ms_per_gib']:.0f} ms/GiB, {m['migrated_pages']} pages migrated"
                            + (f", 1 CPU {m['tp1_gib_s']:.2f} GiB/s ({m['tp1_ns_per_page']:.0f} ns/page)"
                               if "tp1_gib_s" in m else "")
                            + (f", {m['tpall_cpus']} CPUs {m['tpall_gib_s']:.2f} GiB/s" if "tpall_gib_s" in m else "")),
    },
}


# ---------------------------------------------------------------- statistics
def summarize(values):
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}


def run_scenario(sc, runs, log):
    kind = KINDS[sc["kind"]]
    argv = {"hotmm": hotmm_argv(sc), "linux": linux_argv(sc)}
    if sc.get("qmp"):
        for side in argv:
            argv[side] += ["-qmp", f"unix:/tmp/hotmm-bench-{os.getpid()}-{side}.qmp,server=on,wait=off"]
    rec = {k: sc[k] for k in ("name", "title", "kind", "machine", "hotmm_cmdline", "linux_append", "chart")}
    rec["qemu"] = {side: shlex.join(a) for side, a in argv.items()}
    if sc.get("hotmm_script"):
        rec["hotmm_typed"] = "; ".join(typed.strip() for _, typed in sc["hotmm_script"] if isinstance(typed, str))
    rec["runs"] = []
    for i in range(runs):
        order = ("hotmm", "linux") if i % 2 == 0 else ("linux", "hotmm")
        one = {}
        for side in order:
            busy = settle(SETTLE_S)
            t0 = time.monotonic()
            script = sc.get(f"{side}_script")
            qmp_path = None
            if sc.get("qmp"):
                qmp_path = argv[side][argv[side].index("-qmp") + 1].split(",")[0][len("unix:"):]
                if os.path.exists(qmp_path):
                    os.unlink(qmp_path)
            if script or qmp_path:
                try:
                    run = run_qemu(argv[side], sc["timeout"], script=script, qmp_path=qmp_path)
                except BenchError as e:
                    run = Run(argv[side], [(0.0, f"bench: {e}")], None, False, {"error": str(e)})
            else:
                # hotmm reaching its shell means bench_exit never came: do not wait out the timeout.
                run = run_qemu(argv[side], sc["timeout"], '"event":"shell_ready"' if side == "hotmm" else None)
            try:
                one[side] = kind[side](run, sc)
                log(f"  {sc['name']} run {i + 1}/{runs} {side:5}: {kind['brief'](one[side])} "
                    f"[{time.monotonic() - t0:.0f} s]")
                one[side]["host_busy_cores"] = busy
                if run.anon_huge_kb is not None:
                    # Host THP behind the guest's RAM changes what a memmap write or a page copy costs.
                    one[side]["qemu_anon_huge_mib"] = run.anon_huge_kb / 1024
            except (BenchError, KeyError, ValueError, TypeError) as e:
                msg = f"{type(e).__name__}: {e}" if not isinstance(e, BenchError) else str(e)
                one[side] = {"error": msg, "serial_tail": run.tail()}
                log(f"  {sc['name']} run {i + 1}/{runs} {side:5}: FAILED: {msg}\n    --- serial tail ---\n    "
                    + run.tail().replace("\n", "\n    "))
        one["ratio"] = {}
        for key, _, _, ratio, _ in kind["rows"]:
            h, lx = one["hotmm"].get(key), one["linux"].get(key)
            if ratio and h is not None and lx:
                one["ratio"][key] = h / lx
        rec["runs"].append(one)
    rec["summary"] = {}
    for key, _, _, _, floor in kind["rows"]:
        rec["summary"][key] = {
            "hotmm": summarize([r["hotmm"].get(key) for r in rec["runs"]]),
            "linux": summarize([r["linux"].get(key) for r in rec["runs"]]),
            "ratio": summarize([r["ratio"].get(key) for r in rec["runs"]]),
            "floor": summarize([r["hotmm"].get(floor) for r in rec["runs"]]) if floor else None,
        }
    rec["errors"] = [f"run {i + 1} {side}: {r[side]['error']}" for i, r in enumerate(rec["runs"])
                     for side in ("hotmm", "linux") if "error" in r[side]]
    return rec


# ---------------------------------------------------------------- output
def fmt(v, unit):
    if v is None:
        return "—"
    if unit in ("GiB", "GiB/s"):
        return f"{v:.2f}"
    if unit in ("blocks", "threads", "pages"):
        return f"{v:.0f}"
    return f"{v:.1f}" if abs(v) < 100 else f"{v:.0f}"


def cell(s, unit, ratio=False):
    if not s:
        return "—"
    if ratio:
        return f"{s['median']:.2f}× ({s['min']:.2f}–{s['max']:.2f})"
    if s["n"] == 1 or s["min"] == s["max"]:
        return fmt(s["median"], unit)
    return f"{fmt(s['median'], unit)} ({fmt(s['min'], unit)}–{fmt(s['max'], unit)})"


def host_facts():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def out(cmd):
        try:
            return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "unknown"
    linux = "unknown"
    if os.path.exists(os.path.join(ROOT, LINUX_VERSION)):
        with open(os.path.join(ROOT, LINUX_VERSION)) as f:
            linux = f.read().strip()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "git_revision": out(["git", "describe", "--always", "--dirty", "--abbrev=12"]),
        "git_commit": out(["git", "rev-parse", "HEAD"]),
        "host_cpu": cpu,
        "host_cpus": os.cpu_count(),
        "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "qemu": out([QEMU, "--version"]).splitlines()[0] if out([QEMU, "--version"]) else "unknown",
        "linux": linux,
        "linux_cmdline": LINUX_APPEND,
    }


NET_BENCH_MARK = "<!-- net_bench.py section -->"


def write_markdown(path, meta, results, chart):
    L = []
    L.append("# hotmm and Linux in the same QEMU: `make bench` results\n")
    L.append(f"Generated by `{meta['command']}` on {meta['date']}: hotmm at git `{meta['git_revision']}` "
             f"(commit {meta['git_commit'][:12]}), Linux `{meta['linux']}` "
             f"(Debian's kernel, `{meta['linux_cmdline']}`), {meta['qemu']}, host CPU {meta['host_cpu']} "
             f"({meta['host_cpus']} cores; load average {meta['load_average_at_start']} at start, "
             f"{meta['load_average_at_end']} at the end, {meta['duration_s']:.0f} s in all). "
             f"{meta['runs']} run(s) per scenario, hotmm and Linux alternating. Cells: median (min–max). "
             f"The ratio is hotmm / Linux computed run by run, then its median (min–max); below 1 hotmm is faster. "
             f"Harness: `tools/bench/bench.py`; raw numbers: `results.json`.\n")
    # At the start nothing of ours runs; at the end the load includes our own QEMU (1-2 CPUs).
    cores = meta["host_cpus"] or 1
    start, end = float(meta["load_average_at_start"].split()[0]), float(meta["load_average_at_end"].split()[0])
    if start > cores / 2 or end > cores + 0.5:
        L.append(f"**The host was busy** (1-minute load average {start:.1f} at the start, {end:.1f} at the end, "
                 f"on {cores} cores): other work competed with QEMU, so absolute times are inflated and noisy; "
                 "the run-by-run ratios suffer less, as both kernels ran under the same load.\n")
    L.append("How each figure is measured:\n")
    L.append("- **memmap init, ms per GiB initialized**: wall time of the deferred phase over the range each "
             "side initialized in it. hotmm: `all_ram_allocatable`'s `deferred_wall_ns` (else the "
             "`memmap_init` events' `wall_ns`) over the pages of the `memmap_init` events with `phase` "
             "\"deferred\" × 4 KiB; their init_ns + free_ns, summed over the CPUs that took part, is the "
             "CPU-time row. Linux: the slowest \"node N deferred pages initialised in X ms\" line (6.1 runs "
             "each node's deferred init on padata threads, one per CPU of the node, and times it in "
             "jiffies: 4 ms steps at HZ=250), over the RAM Linux defers, computed from the firmware (e820) map as 6.1's "
             "`defer_init()` does: each node's highest zone (on `pc`, RAM above 4 GiB), minus its first "
             "128 MiB section. The **floor** is the store floor read "
             "for a memmap: 64 bytes of `struct page` per 4 KiB page at the best store rate hotmm "
             "measured in the same boot (one CPU; `-smp 2` can go below it).")
    L.append("- **kernel entry → all boot RAM allocatable (kernel clock)**: hotmm: `ns` of "
             "`all_ram_allocatable` (TSC since kernel entry). Linux: printk stamp of the last \"deferred "
             "pages initialised\" line (printk time starts in `setup_arch`, after the decompressor); "
             "`page_alloc_init_late()` waits for every node there, so it is the same event.")
    L.append("- **QEMU start → marker line (host wall clock)**: from starting QEMU to the arrival of the "
             "marker on the serial console, both with firmware (SeaBIOS; GRUB for hotmm, the Linux "
             "decompressor for Linux). hotmm's marker is its `all_ram_allocatable` line. Linux prints "
             "nothing under `quiet`, so its marker is the first line of /init; Linux runs its initcalls "
             "after deferred init and before /init, so this includes them (the row \"Linux: kernel entry → "
             "/init\" shows how long its kernel took to get there).")
    L.append("- **store floor**: hotmm's `bench=store`, plain 8-byte stores and `rep stosq` over the "
             "same 256 MiB (a 64 MiB buffer of order-10 blocks swept 4 times, fastest of 3), after all "
             "boot RAM is allocatable, in the same boot; `bench=store_all` the same with every online CPU storing its "
             "share of a 64 MiB-per-CPU buffer at once (chunks handed out by the job runner; wall time), the floor "
             "for a phase that runs on every CPU. Then `bench=alloc` (mm/mm_bench.c): what one "
             "allocation costs in hotmm; no Linux counterpart is measured.")
    L.append("- **DIMM scenarios** (`dimm-*`; `-m 1G,slots=N,maxmem=64G -smp 2` plus coldplugged "
             "`pc-dimm`s): hotmm adds and onlines every DIMM at boot (`memhp_default_state=online_movable`); "
             "online is the sum of the `memhp_add` events' `took_ns` (add, memmap init and online), offline the "
             "sum of `memhp_remove`'s after the shell's `eject N` of every slot (offline, remove, eject). Linux "
             "boots with `memhp_default_state=offline` (its ACPI driver adds the DIMMs at boot, offline) and its "
             "/init writes `online_movable`, then `offline`, to every offline "
             "`/sys/devices/system/memory/memoryN/state`; each loop is timed by two lines written to "
             "`/dev/kmsg` (printk stamps, µs). So hotmm's figures carry the add and the remove that Linux's "
             "do not. Boot RAM spent on the memmap: 64 B per 4 KiB page of DIMM that does not live on the "
             "DIMM itself; hotmm: from `memory_added`'s `memmap_on_memory`; Linux: from MemTotal, which grows "
             "on online by the DIMM less the memmap it placed on it (`memory_hotplug.memmap_on_memory=1`, "
             "honoured by 6.1 only for adds of exactly one block: the 64 × 128 MiB scenario).")
    L.append("- **runtime plug** (`dimm-2G-rt`): once each kernel is up, the harness sends QMP `object-add` + "
             "`device_add` of a `pc-dimm`, then `device_del`; host wall clock from sending `device_add` to the "
             "serial line saying all of the DIMM is allocatable (hotmm: `memhp_add`, printed after add and "
             "online; Linux, `memhp_default_state=online_movable`: /init's `plug_online`, once MemTotal has "
             "grown by the whole DIMM, polled every 10 ms), and from sending `device_del` to QEMU's "
             "`DEVICE_DELETED` event.")
    L.append(f"- **host: other work before the boot**: before each boot the harness waits up to {SETTLE_S} s "
             "for the other processes on the host to use less than half a CPU, and records how many CPUs "
             "they were using when it started QEMU anyway.\n")
    if chart:
        L.append(f"![memmap init ms per GiB by memory size]({os.path.basename(chart)})\n")
    for rec in results:
        rows = KINDS[rec["kind"]]["rows"]
        L.append(f"## {rec['name']}: {rec['title']}\n")
        L.append("| | hotmm | Linux | hotmm / Linux | floor |")
        L.append("|---|---|---|---|---|")
        for key, label, unit, _, floor in rows:
            s = rec["summary"][key]
            if not s["hotmm"] and not s["linux"]:
                continue
            L.append(f"| {label}, {unit} | {cell(s['hotmm'], unit)} | {cell(s['linux'], unit)} | "
                     f"{cell(s['ratio'], unit, ratio=True)} | {cell(s['floor'], unit) if floor else ''} |")
        L.append("")
        L.append(f"QEMU command lines (from the repository root; hotmm ran a copy of `{meta['iso']}` "
                 "taken at the start):\n")
        L.append("```")
        L.append(f"hotmm: {rec['qemu']['hotmm'].replace(meta['iso_copy'], meta['iso'])}")
        L.append(f"Linux: {rec['qemu']['linux']}")
        L.append("```")
        if rec.get("hotmm_typed"):
            L.append(f"\nTyped on hotmm's shell, each after the previous one finished: `{rec['hotmm_typed']}`")
        if rec["errors"]:
            L.append("\nFailed runs (not in the figures above):\n")
            L.extend(f"- {e}" for e in rec["errors"])
        L.append("")
    # tools/bench/net_bench.py keeps its own section at the end: carry it over.
    try:
        with open(path) as f:
            old = f.read()
        if NET_BENCH_MARK in old:
            L.append(old[old.index(NET_BENCH_MARK):])
    except OSError:
        pass
    with open(path, "w") as f:
        f.write("\n".join(L))


def show(path):
    """A path as the user would type it: relative to the repository when inside it."""
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("..") else rel


def chart_python():
    for py in (sys.executable, "/usr/bin/python3"):
        if py and os.path.exists(py) and subprocess.run(
                [py, "-c", "import matplotlib"], capture_output=True).returncode == 0:
            return py
    return None


def make_chart(json_path, png_path, log):
    py = chart_python()
    if not py:
        log("bench: no python with matplotlib (tools/deps.sh bench installs python3-matplotlib): no chart")
        return None
    p = subprocess.run([py, os.path.join(HERE, "chart.py"), json_path, png_path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        log(f"bench: chart.py failed:\n{p.stdout}{p.stderr}")
        return None
    return png_path


def main():
    global ISO
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=int(os.environ.get("RUNS") or 3))
    ap.add_argument("--quick", action="store_true", help="one run of the scenarios marked quick")
    ap.add_argument("--only", default="", help="comma list of scenario names")
    ap.add_argument("--out", default=None, help="output folder (default bench/, quick: build/bench/quick)")
    ap.add_argument("--no-chart", action="store_true")
    ap.add_argument("--list", action="store_true", help="list the scenarios and exit")
    ap.add_argument("--iso", default=os.environ.get("HOTMM_ISO"), help=f"hotmm image (default $HOTMM_ISO or {ISO})")
    a = ap.parse_args()
    if a.iso:
        ISO = a.iso

    if a.list:
        for sc in SCENARIOS:
            machine = shlex.join(sc["machine"][:4])
            if sc.get("dimms"):
                machine += f" + {len(sc['dimms'])} pc-dimm(s), {sum(sc['dimms']) / GIB:g} GiB"
            print(f"{sc['name']:16} {'quick ' if sc['quick'] else '      '}{sc['title']}: {machine}")
        return 0
    chosen = [sc for sc in SCENARIOS if sc["quick"] or not a.quick]
    if a.only:
        want = a.only.split(",")
        unknown = [w for w in want if w not in {sc["name"] for sc in SCENARIOS}]
        if unknown:
            print(f"bench: no scenario named {', '.join(unknown)}; have: "
                  + ", ".join(sc["name"] for sc in SCENARIOS), file=sys.stderr)
            return 2
        chosen = [sc for sc in SCENARIOS if sc["name"] in want]
    runs = 1 if a.quick else a.runs
    if runs < 1:
        print(f"bench: RUNS={runs}: need at least one run", file=sys.stderr)
        return 2
    out = os.path.abspath(a.out or os.path.join(ROOT, "build/bench/quick" if a.quick else "bench"))
    for f, how in ((ISO, "make build/hotmm.iso"), (LINUX_KERNEL, "make bench-linux"),
                   (LINUX_INITRD, "make bench-linux")):
        if not os.path.exists(os.path.join(ROOT, f)):
            print(f"bench: {f} is missing (build it with `{how}`)", file=sys.stderr)
            return 2
    os.makedirs(out, exist_ok=True)
    # Measure a copy: in a shared tree `make` may rebuild build/hotmm.iso while we
    # run, and two harnesses (make bench, make test) may run at once.
    snap = f"build/bench/hotmm-bench-{os.getpid()}.iso"
    os.makedirs(os.path.join(ROOT, "build/bench"), exist_ok=True)
    shutil.copyfile(os.path.join(ROOT, ISO), os.path.join(ROOT, snap))
    try:
        return measure(a, chosen, runs, out, iso_shown=ISO, iso_run=snap)
    finally:
        os.unlink(os.path.join(ROOT, snap))


def measure(a, chosen, runs, out, iso_shown, iso_run):
    global ISO
    ISO = iso_run

    def log(msg):
        print(msg, flush=True)

    meta = host_facts()
    meta["iso"] = iso_shown
    meta["iso_copy"] = iso_run
    meta["runs"] = runs
    meta["quick"] = a.quick
    meta["command"] = "make bench" + (" QUICK=1" if a.quick else (f" RUNS={runs}" if runs != 3 else ""))
    log(f"bench: {len(chosen)} scenario(s) x {runs} run(s), hotmm {meta['git_revision']} vs {meta['linux']}; "
        f"results in {show(out)}/")
    t0 = time.monotonic()
    results = []
    for sc in chosen:
        log(f"bench: {sc['name']} ({sc['title']})")
        results.append(run_scenario(sc, runs, log))
    meta["duration_s"] = round(time.monotonic() - t0, 1)
    meta["load_average_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    json_path = os.path.join(out, "results.json")
    with open(json_path, "w") as f:
        json.dump({"meta": meta, "scenarios": results}, f, indent=1)
        f.write("\n")
    chart = None if a.no_chart else make_chart(json_path, os.path.join(out, "chart.png"), log)
    write_markdown(os.path.join(out, "results.md"), meta, results, chart)
    errors = sum(len(r["errors"]) for r in results)
    log(f"bench: done in {meta['duration_s']:.0f} s: {show(out)}/results.md"
        + (f", {show(chart)}" if chart else "")
        + (f"; {errors} run(s) FAILED" if errors else ""))
    for r in results:
        for key, _, unit, ratio, _ in KINDS[r["kind"]]["rows"]:
            s = r["summary"][key]
            if ratio and (s["hotmm"] or s["linux"]):
                log(f"  {r['name']:16} {key:20} hotmm {cell(s['hotmm'], unit):>22}  "
                    f"Linux {cell(s['linux'], unit):>22}  ratio {cell(s['ratio'], '', ratio=True)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
