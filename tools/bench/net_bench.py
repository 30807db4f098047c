#!/usr/bin/env python3
"""The network services' speed, from the host through QEMU's user network.

  python3 tools/bench/net_bench.py [--seconds S] [--clients N]

Boots build/hotmm.iso (-smp 2, 512 MiB + a 1 GiB DIMM, virtio-net on `-netdev user` with
hostfwd) and measures, from the host:
  - GET /api/meminfo and GET /metrics: one client on one keep-alive connection (latency of a
    request alone), then N clients at once, each on its own keep-alive connection, for S
    seconds (requests per second, latency median and p99); the two paths alternate, so host
    load falls on both alike;
  - the TCP shell's round trip: `uptime` typed and its prompt back, 200 times.
Writes its section at the end of bench/results.md (between the marker and the end of the file;
`make bench` keeps it) and prints it.
"""
import argparse
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from test_net import NetMachine, Session  # noqa: E402

MARK = "<!-- net_bench.py section -->"


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))] * 1000


def one_client(port, path, n):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    lat = []
    for _ in range(n):
        t0 = time.perf_counter()
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        assert r.status == 200, r.status
        lat.append(time.perf_counter() - t0)
    c.close()
    return lat


def many_clients(port, path, clients, seconds):
    lat, errors, lock = [], [0], threading.Lock()

    def run(c):
        mine = []
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                c.request("GET", path)
                r = c.getresponse()
                r.read()
                if r.status != 200:
                    raise OSError(r.status)
                mine.append(time.perf_counter() - t0)
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.close()
        with lock:
            lat.extend(mine)

    # one connection at a time: QEMU's user network listens with a queue of one on the host side
    conns = []
    for _ in range(clients):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.connect()
        conns.append(c)
    stop = time.perf_counter() + seconds
    t0 = time.perf_counter()
    threads = [threading.Thread(target=run, args=(c,)) for c in conns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, errors[0], time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    load0 = os.getloadavg()
    rows = []
    with NetMachine(cmdline="net_rate=0") as m:     # the per-address limit off: measure the path
        m.wait_net()
        m.get_json("/api/meminfo")
        qemu_line = " ".join(m.argv[1:])
        single = {p: [] for p in ("/api/meminfo", "/metrics")}
        multi = {p: ([], 0, 0.0) for p in single}
        for _ in range(a.rounds):             # alternate the two paths
            for p in single:
                single[p] += one_client(m.http_port, p, 100)
            for p in single:
                lat, err, took = many_clients(m.http_port, p, a.clients, a.seconds)
                ol, oe, ot = multi[p]
                multi[p] = (ol + lat, oe + err, ot + took)
        s = Session(m.shell_port)
        rtt = []
        for _ in range(200):
            t0 = time.perf_counter()
            s.command("uptime")
            rtt.append(time.perf_counter() - t0)
        s.close()
        size = {p: len(m.http("GET", p)[2]) for p in single}
    load1 = os.getloadavg()
    for p in single:
        lat = single[p]
        rows.append(f"| GET {p}, 1 client, keep-alive | {len(lat) / sum(lat):.0f} | {pct(lat, .5):.1f} | "
                    f"{pct(lat, .99):.1f} | {len(lat)} | 0 | {size[p]} |")
        lat, err, took = multi[p]
        rows.append(f"| GET {p}, {a.clients} clients, keep-alive | {len(lat) / took:.0f} | {pct(lat, .5):.1f} | "
                    f"{pct(lat, .99):.1f} | {len(lat)} | {err} | {size[p]} |")
    rows.append(f"| TCP shell: `uptime` and the prompt back | {len(rtt) / sum(rtt):.0f} | {pct(rtt, .5):.1f} | "
                f"{pct(rtt, .99):.1f} | {len(rtt)} | 0 | — |")
    rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"], capture_output=True,
                         text=True).stdout.strip()
    qemu_ver = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0]
    text = "\n".join([
        MARK,
        "## Network services: HTTP and the TCP shell through QEMU's user network",
        "",
        f"Generated by `python3 tools/bench/net_bench.py --seconds {a.seconds:g} --clients {a.clients} "
        f"--rounds {a.rounds}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, hotmm at git `{rev}`, "
        f"{qemu_ver}, host {platform.machine()} with {os.cpu_count()} cores. **The host is shared and busy** "
        f"(load average {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f} at start, "
        f"{load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f} at the end; other engineers' builds and QEMUs run "
        "meanwhile): take the figures as orders of magnitude, and the two paths' ratio, measured alternately "
        "in one boot, as the firmer number.",
        "",
        f"QEMU: `qemu-system-x86_64 {qemu_line}`",
        "",
        "Client: Python's http.client on the host (one thread per client), each client on one keep-alive "
        "connection to hostfwd; latency is from sending the request to having the whole body. /api/meminfo "
        "and /metrics reuse one pfn walk for 500 ms (see drivers/net/mem_api.c); /api/blocks and /metrics share one walk "
        "of the memory blocks' page mix, also kept 500 ms. The kernel runs with `net_rate=0` (no "
        "per-address request limit; the default, 2000/s, would answer 429 to part of the 8-client runs, since "
        "all host clients arrive from one address through QEMU's NAT).",
        "",
        "| what | requests/s | median ms | p99 ms | requests | errors | body bytes |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
    ])
    path = os.path.join(ROOT, "bench", "results.md")
    with open(path) as f:
        old = f.read()
    if MARK in old:
        old = old[:old.index(MARK)]
    with open(path, "w") as f:
        f.write(old.rstrip("\n") + "\n\n" + text)
    print(text)


if __name__ == "__main__":
    main()
