/* SPDX-License-Identifier: MIT */
/*
 * DOC: slab_bench.c - BENCHMARK(kmalloc): what a small allocation costs (kernel only)
 *
 * Loops on the calling CPU, timed with the TSC:
 *   - hit: kmalloc(64) + kfree in a loop; the object goes back onto this
 *     CPU's slab freelist and the next kmalloc takes it again: no lock;
 *   - slow path, each half timed alone with this CPU's slab handed back to
 *     the cache first (slab_flush_cpu(), untimed):
 *       alloc miss: kmalloc(64) refills under the cache lock from a partial
 *                   or empty slab and makes it the CPU's slab;
 *       free miss:  kfree of an object whose slab is not the CPU's goes
 *                   onto that slab's freelist under the cache lock;
 *     slow_ns is their sum, a kmalloc+kfree pair that misses both ways;
 *   - newlib: malloc(64) + free through lib/malloc.c (the hit path plus
 *     newlib's wrapper and _REENT).
 * Reported as one line, ns with two decimals per alloc+free pair:
 *   bench_kmalloc {hit_ns, hit_cycles, slow_ns, slow_cycles, alloc_miss_ns,
 *                  free_miss_ns, malloc_ns, malloc_cycles, iterations, cpu}
 */
#include <stdlib.h>

#include "mm/slab.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/percpu.h"
#include "kernel/bench.h"
#include "kernel/printk.h"

#define HIT_ITERS	200000
#define MISS_ITERS	5000

/* Hundredths of a nanosecond per iteration. */
static uint64_t centi_ns(uint64_t cycles, unsigned long iters)
{
	return tsc_to_ns(cycles * 100) / iters;
}

#define NS2(c)	(unsigned long long)((c) / 100), (unsigned long long)((c) % 100)

static int bench_kmalloc(void)
{
	uint64_t t0, hit_cyc, amiss_cyc = 0, fmiss_cyc = 0, malloc_cyc;
	uint64_t hit_cns, amiss_cns, fmiss_cns, malloc_cns;
	unsigned int cpu = smp_processor_id();
	unsigned long i;
	void *p;

	if (!tsc_khz) {
		printk(KERN_ERR "bench kmalloc: TSC not calibrated, cannot time\n");
		return -1;
	}
	p = kmalloc(64, GFP_KERNEL);	/* warm: this CPU gets a kmalloc-64 slab */
	if (!p) {
		printk(KERN_ERR "bench kmalloc: kmalloc(64) failed\n");
		return -1;
	}
	kfree(p);

	t0 = rdtsc();
	for (i = 0; i < HIT_ITERS; i++) {
		p = kmalloc(64, GFP_KERNEL);
		kfree(p);
	}
	hit_cyc = rdtsc() - t0;

	for (i = 0; i < MISS_ITERS; i++) {
		slab_flush_cpu(cpu);
		t0 = rdtsc();
		p = kmalloc(64, GFP_KERNEL);
		amiss_cyc += rdtsc() - t0;
		if (!p) {
			printk(KERN_ERR "bench kmalloc: kmalloc(64) failed on the slow path\n");
			return -1;
		}
		slab_flush_cpu(cpu);
		t0 = rdtsc();
		kfree(p);
		fmiss_cyc += rdtsc() - t0;
	}

	p = malloc(64);
	free(p);
	t0 = rdtsc();
	for (i = 0; i < HIT_ITERS; i++) {
		p = malloc(64);
		free(p);
	}
	malloc_cyc = rdtsc() - t0;

	hit_cns = centi_ns(hit_cyc, HIT_ITERS);
	amiss_cns = centi_ns(amiss_cyc, MISS_ITERS);
	fmiss_cns = centi_ns(fmiss_cyc, MISS_ITERS);
	malloc_cns = centi_ns(malloc_cyc, HIT_ITERS);
	printk(KERN_NOTICE "bench kmalloc: kmalloc(64)+kfree %llu.%02llu ns (per-CPU hit), "
	       "%llu.%02llu ns (slow: alloc %llu.%02llu + free %llu.%02llu); malloc(64)+free %llu.%02llu ns (cpu %u)\n",
	       NS2(hit_cns), NS2(amiss_cns + fmiss_cns), NS2(amiss_cns), NS2(fmiss_cns), NS2(malloc_cns), cpu);
	report("bench_kmalloc",
	       "\"hit_ns\":%llu.%02llu,\"hit_cycles\":%llu,\"slow_ns\":%llu.%02llu,\"slow_cycles\":%llu,"
	       "\"alloc_miss_ns\":%llu.%02llu,\"free_miss_ns\":%llu.%02llu,"
	       "\"malloc_ns\":%llu.%02llu,\"malloc_cycles\":%llu,\"iterations\":%lu,\"cpu\":%u",
	       NS2(hit_cns), (unsigned long long)(hit_cyc / HIT_ITERS),
	       NS2(amiss_cns + fmiss_cns), (unsigned long long)((amiss_cyc + fmiss_cyc) / MISS_ITERS),
	       NS2(amiss_cns), NS2(fmiss_cns),
	       NS2(malloc_cns), (unsigned long long)(malloc_cyc / HIT_ITERS),
	       (unsigned long)HIT_ITERS, cpu);
	return 0;
}
BENCHMARK(kmalloc, bench_kmalloc);
