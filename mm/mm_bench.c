/* SPDX-License-Identifier: MIT */
/*
 * DOC: mm_bench.c - BENCHMARK(alloc): what an allocation costs (kernel only)
 *
 * Three loops on the calling CPU, each timed with the TSC as a whole:
 *   - order 0, pcp hit: alloc + free of one page; the free puts it back on
 *     the per-CPU list the next alloc takes it from, so no lock is taken;
 *   - order 0, pcp miss: the per-CPU list is drained (untimed) before each
 *     timed alloc + free, so every alloc refills a batch under zone->lock;
 *   - order 9 (2 MiB): alloc + free straight from the buddy, split and merge.
 * Reported as one line:
 *   bench_alloc {order0_pcp_ns, order0_pcp_cycles, order0_miss_ns,
 *                order0_miss_cycles, order9_ns, order9_cycles, iterations, cpu}
 * with ns and cycles per alloc+free pair (ns with two decimals).
 * Memmap init ns/page is in the memmap_init events of the boot.
 */
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/percpu.h"
#include "kernel/bench.h"
#include "kernel/printk.h"

#define PCP_ITERS	200000
#define MISS_ITERS	5000
#define ORDER9_ITERS	5000

/* Hundredths of a nanosecond per iteration. */
static uint64_t centi_ns(uint64_t cycles, unsigned long iters)
{
	return tsc_to_ns(cycles * 100) / iters;
}

static int bench_alloc(void)
{
	uint64_t t0, pcp_cyc, miss_cyc = 0, o9_cyc, pcp_cns, miss_cns, o9_cns;
	struct zone *zone;
	struct page *p;
	unsigned long i;

	if (!tsc_khz) {
		printk(KERN_ERR "bench alloc: TSC not calibrated, cannot time\n");
		return -1;
	}
	p = alloc_pages(GFP_KERNEL, 0);		/* warm the pcp list */
	if (!p) {
		printk(KERN_ERR "bench alloc: no free page\n");
		return -1;
	}
	zone = page_zone(p);
	__free_pages(p, 0);

	t0 = rdtsc();
	for (i = 0; i < PCP_ITERS; i++) {
		p = alloc_pages(GFP_KERNEL, 0);
		__free_pages(p, 0);
	}
	pcp_cyc = rdtsc() - t0;

	for (i = 0; i < MISS_ITERS; i++) {
		drain_local_pages(zone);
		t0 = rdtsc();
		p = alloc_pages(GFP_KERNEL, 0);
		__free_pages(p, 0);
		miss_cyc += rdtsc() - t0;
	}

	t0 = rdtsc();
	for (i = 0; i < ORDER9_ITERS; i++) {
		p = alloc_pages(GFP_KERNEL, 9);
		if (!p) {
			printk(KERN_ERR "bench alloc: no free order-9 block\n");
			return -1;
		}
		__free_pages(p, 9);
	}
	o9_cyc = rdtsc() - t0;

	pcp_cns = centi_ns(pcp_cyc, PCP_ITERS);
	miss_cns = centi_ns(miss_cyc, MISS_ITERS);
	o9_cns = centi_ns(o9_cyc, ORDER9_ITERS);
	printk(KERN_NOTICE "bench alloc: order-0 alloc+free %llu.%02llu ns (pcp hit), %llu.%02llu ns (miss); "
	       "order-9 %llu.%02llu ns (cpu %u)\n",
	       (unsigned long long)(pcp_cns / 100), (unsigned long long)(pcp_cns % 100),
	       (unsigned long long)(miss_cns / 100), (unsigned long long)(miss_cns % 100),
	       (unsigned long long)(o9_cns / 100), (unsigned long long)(o9_cns % 100),
	       smp_processor_id());
	report("bench_alloc",
	       "\"order0_pcp_ns\":%llu.%02llu,\"order0_pcp_cycles\":%llu,"
	       "\"order0_miss_ns\":%llu.%02llu,\"order0_miss_cycles\":%llu,"
	       "\"order9_ns\":%llu.%02llu,\"order9_cycles\":%llu,\"iterations\":%lu,\"cpu\":%u",
	       (unsigned long long)(pcp_cns / 100), (unsigned long long)(pcp_cns % 100),
	       (unsigned long long)(pcp_cyc / PCP_ITERS),
	       (unsigned long long)(miss_cns / 100), (unsigned long long)(miss_cns % 100),
	       (unsigned long long)(miss_cyc / MISS_ITERS),
	       (unsigned long long)(o9_cns / 100), (unsigned long long)(o9_cns % 100),
	       (unsigned long long)(o9_cyc / ORDER9_ITERS), (unsigned long)PCP_ITERS,
	       smp_processor_id());
	return 0;
}
BENCHMARK(alloc, bench_alloc);
