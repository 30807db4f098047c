#!/usr/bin/env python3
"""DOC: chart.py - bench/chart.png: memmap init ms per GiB by memory size, hotmm and Linux

    chart.py results.json chart.png

Reads what tools/bench/bench.py wrote. Every scenario with a "chart" entry
({"x": memory GiB, "series": label}) is one point per kernel: the median,
with min-max as the error bar. hotmm's store floor (64 B of struct page per
4 KiB at the measured store rate) is drawn dashed: no memmap init on one CPU
can go below it. Runs under Debian's python3-matplotlib, headless (Agg).
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

KEY = "memmap_ms_per_gib"
STYLE = {"hotmm": ("tab:blue", "o"), "linux": ("tab:red", "s")}
DASH = {0: "-", 1: "--", 2: ":", 3: "-."}


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        data = json.load(f)
    series = {}
    floor = {}
    for sc in data["scenarios"]:
        ch = sc.get("chart")
        s = sc["summary"].get(KEY)
        if not ch or not s:
            continue
        for side in ("hotmm", "linux"):
            if s[side]:
                series.setdefault((side, ch["series"]), []).append((ch["x"], s[side]))
        if s.get("floor"):
            floor.setdefault(ch["x"], []).append(s["floor"]["median"])
    if not series:
        print("chart.py: no scenario with a chart entry and results", file=sys.stderr)
        return 1

    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    labels = sorted({lab for _, lab in series})
    for (side, lab), pts in sorted(series.items()):
        pts.sort()
        xs = [x for x, _ in pts]
        med = [p["median"] for _, p in pts]
        err = [[p["median"] - p["min"] for _, p in pts], [p["max"] - p["median"] for _, p in pts]]
        color, marker = STYLE[side]
        idx = labels.index(lab)
        ax.errorbar(xs, med, yerr=err, color=color, marker=marker, capsize=4, markersize=7,
                    markerfacecolor=color if idx == 0 else "white",
                    linestyle=DASH[idx % len(DASH)],
                    label=f"{'hotmm' if side == 'hotmm' else 'Linux 6.1'} {lab}")
    if floor:
        xs = sorted(floor)
        ax.plot(xs, [min(floor[x]) for x in xs], color="gray", linestyle=(0, (2, 2)), marker="_", markersize=14,
                label="store floor, 1 CPU (64 B per 4 KiB page)")
    meta = data.get("meta", {})
    ax.set_xscale("log", base=2)
    ax.set_xticks(sorted({x for pts in series.values() for x, _ in pts}))
    ax.get_xaxis().set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g} GiB"))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("guest memory (-m)")
    ax.set_ylabel("memmap init, ms per GiB initialized")
    ax.set_title("Deferred memmap init, wall time per GiB, under QEMU TCG (median, min-max)", fontsize=11)
    fig.text(0.01, 0.01, f"hotmm {meta.get('git_revision', '?')} vs {meta.get('linux', '?')}; "
             f"{meta.get('runs', '?')} run(s); {meta.get('host_cpu', '?')}", fontsize=7, color="gray")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
