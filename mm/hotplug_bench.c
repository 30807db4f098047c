/* SPDX-License-Identifier: MIT */
/*
 * DOC: hotplug_bench.c - BENCHMARK(hotplug): online and offline speed of hot-added RAM
 *
 * Works on the RAM withheld by memhp_withhold=SIZE (hot-added at boot):
 * offline it all, online it all (movable), then remove it and add it again
 * with its memmap from boot memory (no memmap on memory) and measure the
 * same. Reports ms per GiB for each, and what the memmap costs: 2 MiB per
 * 128 MiB (1/64) taken from the hot-added RAM itself, or from boot RAM.
 * Leaves the RAM added and online as it found it (memmap on memory).
 */
#include <errno.h>

#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page_alloc.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tsc.h"
#include "kernel/bench.h"
#include "kernel/printk.h"

#define MAX_RANGES 16

static uint64_t starts[MAX_RANGES], sizes[MAX_RANGES];
static int nids[MAX_RANGES];

/* ns for offlining (online=false) or onlining every withheld range. */
static int64_t time_all(unsigned int n, bool online)
{
	uint64_t t0 = ktime_get_ns();
	unsigned int i;

	drain_all_pages(NULL);
	for (i = 0; i < n; i++) {
		int ret = online ? online_memory_range(starts[i], sizes[i], MMOP_ONLINE_MOVABLE)
				 : offline_memory_range(starts[i], sizes[i]);
		if (ret)
			return ret;
	}
	return (int64_t)(ktime_get_ns() - t0);
}

/* Microseconds per GiB (ms with three decimals: TCG onlines a GiB in a few ms). */
static unsigned long us_per_gib(int64_t ns, uint64_t bytes)
{
	return (unsigned long)((uint64_t)ns / 1000 * (1ULL << 30) / bytes);
}

static int bench_hotplug(void)
{
	unsigned int n = memhp_withheld_ranges(starts, sizes, nids, MAX_RANGES), i;
	int64_t off_mom, on_mom, off_nomm, on_nomm;
	uint64_t bytes = 0, free_before, free_nomm;
	int ret;

	if (!n) {
		pr_err("bench hotplug: no withheld RAM to measure (boot with memhp_withhold=SIZE)\n");
		return -ENODEV;
	}
	for (i = 0; i < n; i++)
		bytes += sizes[i];
	off_mom = time_all(n, false);
	on_mom = time_all(n, true);
	if (off_mom < 0 || on_mom < 0) {
		pr_err("bench hotplug: offline/online with memmap on memory failed (%lld/%lld)\n",
		       (long long)off_mom, (long long)on_mom);
		return -EIO;
	}
	/* The same RAM with its memmap in boot memory. */
	for (i = 0; i < n; i++)
		if ((ret = offline_and_remove_memory(starts[i], sizes[i])))
			return ret;
	free_before = nr_free_pages();
	for (i = 0; i < n; i++)
		if ((ret = add_memory(nids[i], starts[i], sizes[i], MHP_NO_ONLINE)))
			return ret;
	free_nomm = nr_free_pages();
	on_nomm = time_all(n, true);
	off_nomm = time_all(n, false);
	for (i = 0; i < n; i++) {
		remove_memory(starts[i], sizes[i]);
		if ((ret = add_memory(nids[i], starts[i], sizes[i], MHP_MEMMAP_ON_MEMORY | MHP_NO_ONLINE)))
			return ret;
	}
	if (on_nomm < 0 || off_nomm < 0 || time_all(n, true) < 0)
		return -EIO;

	pr_info("bench hotplug: %llu MiB, %u CPUs: memmap on memory: online %lu us/GiB, offline %lu us/GiB; "
		"memmap in boot RAM: online %lu us/GiB, offline %lu us/GiB; memmap %llu KiB\n",
		(unsigned long long)(bytes >> 20), num_online_cpus(), us_per_gib(on_mom, bytes),
		us_per_gib(off_mom, bytes), us_per_gib(on_nomm, bytes), us_per_gib(off_nomm, bytes),
		(unsigned long long)(bytes / 64 >> 10));
	report("bench_hotplug",
	       "\"bytes\":%llu,\"cpus\":%u,\"online_ns\":%lld,\"offline_ns\":%lld,"
	       "\"online_us_per_gib\":%lu,\"offline_us_per_gib\":%lu,"
	       "\"online_nomemmap_ns\":%lld,\"offline_nomemmap_ns\":%lld,"
	       "\"online_nomemmap_us_per_gib\":%lu,\"offline_nomemmap_us_per_gib\":%lu,"
	       "\"memmap_bytes\":%llu,\"boot_ram_for_memmap_bytes\":%llu",
	       (unsigned long long)bytes, num_online_cpus(), (long long)on_mom, (long long)off_mom,
	       us_per_gib(on_mom, bytes), us_per_gib(off_mom, bytes), (long long)on_nomm,
	       (long long)off_nomm, us_per_gib(on_nomm, bytes), us_per_gib(off_nomm, bytes),
	       (unsigned long long)(bytes / 64),
	       (unsigned long long)((free_before - free_nomm) << PAGE_SHIFT));
	return 0;
}
BENCHMARK(hotplug, bench_hotplug);
